"""Attestation fiscale of childcare costs (children under 6), one per family; a batch of
every family's is one PDF."""

from __future__ import annotations

import datetime as dt

from exports.courrier import en_tete, nom_destinataire, signature
from exports.pdf import (
    FOND,
    GRIS,
    ITALIQUE,
    UTILE,
    Colonne,
    Document,
    Tableau,
    date_courte,
    euros,
    mm,
)
from modele.attestations import AttestationFiscale
from modele.structure import Collectivite


def attestations_pdf(
    collectivite: Collectivite,
    attestations: list[AttestationFiscale],
    *,
    edite_le: dt.date,
) -> bytes:
    if not attestations:
        raise ValueError("Aucune attestation à imprimer.")
    annee = attestations[0].annee
    document = Document(f"Attestations fiscales {annee}", collectivite.nom, edite_le)
    for attestation in attestations:
        _attestation(document, collectivite, attestation, edite_le)
    return document.octets()


def _attestation(
    document: Document, collectivite: Collectivite, a: AttestationFiscale, edite_le: dt.date
) -> None:
    identite = [("Structure", collectivite.nom)]
    if collectivite.siret:
        identite.append(("SIRET", collectivite.siret))
    identite.append(("N° famille", a.famille.numero))
    piece = en_tete(
        document,
        collectivite,
        None,
        f"Attestation fiscale {a.annee}",
        ("ATTESTATION FISCALE", f"Frais de garde — année {a.annee}"),
        (a.destinataire, a.famille),
        identite,
        largeur_libelle=26 * mm,
        ecart=18,
    )
    lieu = collectivite.adresse.replace("\n", ", ")
    piece.paragraphe(
        f"Le régisseur de {collectivite.nom}{f', {lieu}' if lieu else ''}, atteste que "
        f"{nom_destinataire(a.destinataire, a.famille)} (famille n° {a.famille.numero}) a versé "
        f"au cours de l'année {a.annee}, pour la garde de ses enfants âgés de moins de 6 ans au "
        f"1er janvier {a.annee}, les sommes suivantes (frais de repas exclus) :",
        taille=10,
    )
    piece.y -= 8
    tableau = Tableau(
        piece,
        [
            Colonne("Enfant", UTILE - 76 * mm),
            Colonne("Date de naissance", 36 * mm),
            Colonne("Sommes versées", 40 * mm, "d"),
        ],
    )
    tableau.entete()
    for m in a.enfants:
        tableau.ligne(
            [
                f"{m.enfant.nom} {m.enfant.prenoms}",
                date_courte(m.enfant.date_naissance),
                euros(m.montant),
            ]
        )
    tableau.ligne(["Total", "", euros(a.total)], gras=True, fond=FOND)
    tableau.fin()
    piece.y -= 6
    piece.paragraphe(
        "Sommes effectivement payées dans l'année, déduction faite des avoirs et des "
        "règlements annulés, à déclarer au titre des frais de garde des enfants de moins de "
        "6 ans (crédit d'impôt). Les aides perçues pour cette garde (CAF, employeur) sont à "
        "déduire par le déclarant.",
        taille=8.5,
        police=ITALIQUE,
        couleur=GRIS,
    )
    signature(piece, collectivite, edite_le)
    piece.finir()
