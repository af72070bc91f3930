"""The pain.008 file (SEPA direct debit initiation, CORE) of a remise, built with sepaxml
and validated by it against the pain.008.001.02 schema it ships. Amounts in integer cents."""

from __future__ import annotations

import datetime as dt

from sepaxml import SepaDD

from modele.sepa import DonneesRemise

SCHEMA = "pain.008.001.02"


def pain008(donnees: DonneesRemise, cree_le: dt.datetime) -> bytes:
    """The XML of the remise; `cree_le` from the app's clock (the file's creation time)."""
    regie, remise = donnees.regie, donnees.remise
    config = {
        "name": f"{donnees.nom_creancier} {regie.libelle}"[:70],
        "IBAN": regie.iban_creancier.replace(" ", "").upper(),
        "BIC": regie.bic_creancier.replace(" ", "").upper(),
        "batch": True,
        "creditor_id": regie.ics.replace(" ", "").upper(),
        "currency": "EUR",
        "instrument": "CORE",
    }
    sepa = SepaDD(config, schema=SCHEMA, clean=True)
    # sepaxml stamps its own clock and a random id: the app's clock and the remise's
    # reference instead, so that the same remise gives the same file.
    sepa.msg_id = remise.reference[:35]
    en_tete = sepa._xml.find("CstmrDrctDbtInitn/GrpHdr")
    en_tete.find("MsgId").text = sepa.msg_id
    en_tete.find("CreDtTm").text = cree_le.strftime("%Y-%m-%dT%H:%M:%S")
    for ligne, facture, mandat in donnees.lignes:
        paiement = {
            "name": ligne.titulaire,
            "IBAN": ligne.iban,
            "amount": ligne.montant,  # cents
            "type": ligne.sequence,
            "collection_date": remise.date_echeance,
            "mandate_id": mandat.rum,
            "mandate_date": mandat.date_signature,
            "description": f"Facture {facture.reference} {regie.libelle}",
            "endtoend_id": facture.reference.replace(" ", "")[:35],
        }
        if ligne.bic:
            paiement["BIC"] = ligne.bic
        sepa.add_payment(paiement)
    return sepa.export(validate=True, pretty_print=True)


def nom_fichier(donnees: DonneesRemise) -> str:
    return f"Prelevements {donnees.remise.reference}.xml"
