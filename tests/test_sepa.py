"""SEPA direct debit (issue 17, point 2), as rules on SQLite and PostgreSQL: mandates, the
creditor identifier, the month's remise and its pain.008 file (validated against the
schema), the debits passed on the collection date, a reject that re-opens the invoice."""

from __future__ import annotations

import datetime as dt
import os
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
import sepaxml
import xmlschema
from sqlmodel import select

from exports.documents import document_prelevements
from modele.base import ErreurMetier
from modele.chaine import verifier_chaine
from modele.cloture import cloturer_caisse
from modele.facturation import Facture
from modele.journal import Journal
from modele.reglements import (
    ModeReglement,
    Reglement,
    detail_facture,
    facturer_mois,
    factures_impayees,
    releve,
)
from modele.relances import relances
from modele.sepa import (
    ApercuPrelevements,
    MandatSepa,
    Prelevement,
    Sequence,
    apercu_prelevements,
    creer_remise,
    date_prelevement_proposee,
    enregistrer_mandat,
    jour_ouvre_sepa,
    passer_prelevements,
    preavis_court,
    rejeter_prelevement,
    verifier_date_prelevement,
    verifier_ics,
)
from tests import fabrique

MARS = [dt.date(2026, 3, d) for d in (2, 3, 5, 6)]  # 4 × 4,05 = 16,20
EMISSION = dt.date(2026, 4, 5)
LE_6_AVRIL = dt.date(2026, 4, 6)
PRELEVEMENT = dt.date(2026, 4, 15)
IBAN_REGIE = "FR7630006000011234567890189"
IBAN_FAMILLE = "FR1420041010050500013M02606"
SCHEMA = os.path.join(os.path.dirname(sepaxml.__file__), "schemas", "pain.008.001.02.xsd")
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}


@pytest.fixture
def monde(s):
    regie, cantine, _ = fabrique.structure(s)
    regie.ics, regie.iban_creancier, regie.bic_creancier = "FR72ZZZ123456", IBAN_REGIE, "AGRIFRPP"
    s.add(regie)
    famille, enfant = fabrique.famille(s)
    famille.iban, famille.bic, famille.prelevement = IBAN_FAMILLE, "PSSTFRPPLIL", True
    s.add(famille)
    autre, enfant2 = fabrique.famille(s, numero="1000000000002", nom="PETIT", enfant="Zoé")
    s.add_all(fabrique.jours(enfant, cantine, MARS) + fabrique.jours(enfant2, cantine, MARS))
    s.commit()
    mandat = enregistrer_mandat(
        s, fabrique.contexte(EMISSION), famille.id, regie.id, "al-0001", dt.date(2026, 1, 10)
    )
    facturer_mois(
        s,
        fabrique.contexte(EMISSION),
        regie.id,
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 31),
        EMISSION,
    )
    s.commit()
    mars = s.exec(select(Facture).where(Facture.famille_id == famille.id)).one()
    return regie, famille, mandat, mars


def test_ics_verifie_avec_stdnum():
    assert verifier_ics("fr72 zzz 123456") == "FR72ZZZ123456"
    for faux in ("FR73ZZZ123456", "FR72ZZZ", ""):
        with pytest.raises(ErreurMetier, match="ICS"):
            verifier_ics(faux)


def test_mandat_par_famille_et_regie(s, monde):
    regie, famille, mandat, _ = monde
    assert (mandat.rum, mandat.sequence, mandat.actif) == ("AL-0001", "FRST", True)
    with pytest.raises(ErreurMetier, match="existe déjà"):
        enregistrer_mandat(
            s, fabrique.contexte(EMISSION), famille.id, regie.id, "AL-0001", EMISSION
        )
    with pytest.raises(ErreurMetier, match="RUM"):
        enregistrer_mandat(s, fabrique.contexte(EMISSION), famille.id, regie.id, "a b", EMISSION)
    nouveau = enregistrer_mandat(
        s, fabrique.contexte(EMISSION), famille.id, regie.id, "AL-0002", EMISSION
    )
    s.commit()
    assert [m.actif for m in s.exec(select(MandatSepa).order_by(MandatSepa.id))] == [False, True]
    assert nouveau.sequence == Sequence.PREMIER
    assert s.exec(select(Journal).where(Journal.action == "mandat enregistre")).all()


def test_mandat_sans_iban_refuse(s, monde):
    regie, _, _, _ = monde
    autre = s.exec(select(Facture).where(Facture.reference == "AL-2")).one().famille_id
    with pytest.raises(ErreurMetier, match="coordonnées bancaires"):
        enregistrer_mandat(s, fabrique.contexte(EMISSION), autre, regie.id, "AL-9", EMISSION)


def test_remise_du_mois_et_fichier_pain008_valide(s, monde):
    regie, famille, mandat, mars = monde
    apercu = apercu_prelevements(s, regie.id, dt.date(2026, 3, 1))
    assert [(a.facture.id, a.montant) for a in apercu.lignes] == [(mars.id, 1620)]
    remise = creer_remise(
        s, fabrique.contexte(LE_6_AVRIL), regie.id, dt.date(2026, 3, 1), PRELEVEMENT
    )
    s.commit()
    assert (remise.nombre, remise.total) == (1, 1620)
    # Once in a remise, an invoice is not debited twice, nor reminded while it waits.
    assert apercu_prelevements(s, regie.id, dt.date(2026, 3, 1)).lignes == []
    en_retard = [a.facture.reference for a in relances(s, regie.id, dt.date(2026, 6, 1)).lignes]
    assert en_retard == ["AL-2"]  # the other family's, not the one waiting for its debit
    nom, xml = document_prelevements(s, remise.id, dt.datetime(2026, 4, 6, 10, 0))
    assert nom.endswith(".xml")
    xmlschema.XMLSchema(SCHEMA).validate(xml.decode())  # raises when not valid
    racine = ET.fromstring(xml)
    assert racine.findtext(".//p:GrpHdr/p:NbOfTxs", namespaces=NS) == "1"
    assert racine.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS) == "16.20"
    assert racine.findtext(".//p:GrpHdr/p:CreDtTm", namespaces=NS) == "2026-04-06T10:00:00"
    assert racine.findtext(".//p:PmtInf/p:ReqdColltnDt", namespaces=NS) == "2026-04-15"
    assert racine.findtext(".//p:SeqTp", namespaces=NS) == "FRST"
    assert racine.findtext(".//p:CdtrSchmeId//p:Othr/p:Id", namespaces=NS) == "FR72ZZZ123456"
    assert racine.findtext(".//p:MndtId", namespaces=NS) == "AL-0001"
    assert racine.findtext(".//p:DtOfSgntr", namespaces=NS) == "2026-01-10"
    assert racine.findtext(".//p:DrctDbtTxInf//p:IBAN", namespaces=NS) == IBAN_FAMILLE
    assert racine.findtext(".//p:EndToEndId", namespaces=NS) == mars.reference
    # The same remise gives the same file.
    assert (
        document_prelevements(s, remise.id, dt.datetime(2026, 4, 6, 10, 0))[1].count(
            b"<DrctDbtTxInf>"
        )
        == 1
    )


def test_remise_refusee_sans_ics_ou_date_passee(s, monde):
    regie, _, _, _ = monde
    with pytest.raises(ErreurMetier, match="après aujourd'hui"):
        creer_remise(s, fabrique.contexte(PRELEVEMENT), regie.id, dt.date(2026, 3, 1), PRELEVEMENT)
    regie.ics = "FR00ZZZ000000"
    s.add(regie)
    s.flush()
    with pytest.raises(ErreurMetier, match="ICS"):
        creer_remise(s, fabrique.contexte(LE_6_AVRIL), regie.id, dt.date(2026, 3, 1), PRELEVEMENT)


def test_prelevee_a_l_echeance_puis_rejet_rouvre_la_facture(s, monde):
    regie, famille, mandat, mars = monde
    creer_remise(s, fabrique.contexte(LE_6_AVRIL), regie.id, dt.date(2026, 3, 1), PRELEVEMENT)
    s.commit()
    assert (
        passer_prelevements(s, fabrique.contexte(PRELEVEMENT - dt.timedelta(days=1)), regie.id) == 0
    )
    [ligne] = s.exec(select(Prelevement)).all()
    with pytest.raises(ErreurMetier, match="pas encore passé"):
        rejeter_prelevement(s, fabrique.contexte(LE_6_AVRIL), ligne.id, "AM04")
    assert passer_prelevements(s, fabrique.contexte(PRELEVEMENT), regie.id) == 1
    s.commit()
    assert detail_facture(s, mars.id).reste_du == 0
    assert factures_impayees(s, famille.id, PRELEVEMENT) == []
    paiement = s.exec(select(Reglement)).one()
    assert (paiement.mode, paiement.date, paiement.montant) == (
        ModeReglement.PRELEVEMENT,
        PRELEVEMENT,
        1620,
    )
    assert s.get(MandatSepa, mandat.id).sequence == Sequence.RECURRENT
    # A reject entered at the counter, with its reason code.
    contexte = fabrique.contexte(dt.date(2026, 4, 20))
    with pytest.raises(ErreurMetier, match="Code de rejet inconnu"):
        rejeter_prelevement(s, contexte, ligne.id, "ZZ99")
    rejet = rejeter_prelevement(s, contexte, ligne.id, "am04")
    s.commit()
    assert rejet.montant == -1620
    assert [i.facture.id for i in factures_impayees(s, famille.id, dt.date(2026, 4, 20))] == [
        mars.id
    ]
    descriptions = [o.description for o in releve(s, famille.id, 2025).operations]
    assert "Rejet de prélèvement AM04 : Provision insuffisante" in descriptions
    assert "Règlement : Prélèvement" in descriptions
    with pytest.raises(ErreurMetier, match="déjà rejeté"):
        rejeter_prelevement(s, contexte, ligne.id, "AM04")
    assert s.exec(select(Journal).where(Journal.action == "prelevement rejete")).one()
    # Rejected, the invoice may go into a next remise (now recurring).
    [a] = apercu_prelevements(s, regie.id, dt.date(2026, 3, 1)).lignes
    assert (a.facture.id, a.mandat.sequence) == (mars.id, "RCUR")
    # The debit and its reject are links of the régie's chain, like counter payments.
    assert verifier_chaine(s, regie.id).intacte


def test_pas_de_prelevement_passe_ni_rejete_un_jour_clos(s, monde):
    regie, famille, mandat, mars = monde
    creer_remise(s, fabrique.contexte(LE_6_AVRIL), regie.id, dt.date(2026, 3, 1), PRELEVEMENT)
    s.commit()
    cloturer_caisse(s, fabrique.contexte(PRELEVEMENT), regie.id, PRELEVEMENT, {}, "")
    s.commit()
    with pytest.raises(ErreurMetier, match="est close"):
        passer_prelevements(s, fabrique.contexte(PRELEVEMENT), regie.id)


def test_sans_prelevement_dans_la_fiche_une_anomalie(s, monde):
    regie, famille, _, mars = monde
    famille.prelevement = False
    s.add(famille)
    s.flush()
    apercu = apercu_prelevements(s, regie.id, dt.date(2026, 3, 1))
    assert apercu.lignes == []
    assert apercu.anomalies == [
        f"{famille.numero} : prélèvement désactivé dans la fiche, facture {mars.reference} "
        "non prélevée."
    ]


@pytest.mark.parametrize(
    ("jour", "ouvre"),
    [
        (dt.date(2026, 4, 2), True),  # a Thursday
        (dt.date(2026, 4, 3), False),  # Good Friday
        (dt.date(2026, 4, 6), False),  # Easter Monday
        (dt.date(2026, 5, 1), False),
        (dt.date(2026, 5, 8), True),  # a French holiday, not the banks'
        (dt.date(2026, 12, 5), False),  # a Saturday
        (dt.date(2026, 12, 25), False),
        (dt.date(2026, 12, 26), False),
        (dt.date(2027, 1, 1), False),
        (dt.date(2028, 2, 29), True),  # a leap day, a Tuesday
    ],
)
def test_jours_ouvres_des_banques(jour, ouvre):
    assert jour_ouvre_sepa(jour) is ouvre


def _apercu(*emissions: dt.date) -> ApercuPrelevements:
    lignes = [SimpleNamespace(facture=SimpleNamespace(date_emission=e)) for e in emissions]
    return ApercuPrelevements(None, dt.date(2026, 11, 1), lignes, [])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("aujourdhui", "emissions", "proposee"),
    [
        # 14 days after the latest invoice: Monday 21 December.
        (dt.date(2026, 12, 7), (dt.date(2026, 12, 3), dt.date(2026, 12, 7)), dt.date(2026, 12, 21)),
        # 14 days land on a Sunday, 3 January: the Monday after.
        (dt.date(2026, 12, 20), (dt.date(2026, 12, 20),), dt.date(2027, 1, 4)),
        # Issued long ago: the bank's two business days, over Christmas (24, 28), then a day.
        (dt.date(2026, 12, 23), (dt.date(2026, 11, 1),), dt.date(2026, 12, 29)),
        # Nothing to debit: only the bank's delay.
        (dt.date(2026, 4, 2), (), dt.date(2026, 4, 9)),
    ],
)
def test_date_de_prelevement_proposee(aujourdhui, emissions, proposee):
    apercu = _apercu(*emissions)
    assert date_prelevement_proposee(apercu, aujourdhui) == proposee
    verifier_date_prelevement(proposee, aujourdhui)
    assert preavis_court(apercu, proposee) is None


def test_date_de_prelevement_refusee_ou_preavis_court():
    aujourdhui = dt.date(2026, 12, 7)
    for jour, motif in (
        (aujourdhui, "après aujourd'hui"),
        (dt.date(2026, 12, 12), "un samedi"),
        (dt.date(2026, 12, 13), "un dimanche"),
        (dt.date(2026, 12, 25), "jour férié des banques"),
    ):
        with pytest.raises(ErreurMetier, match=motif) as refus:
            verifier_date_prelevement(jour, aujourdhui)
        assert refus.value.champ == "echeance"
    apercu = _apercu(dt.date(2026, 12, 3), dt.date(2026, 12, 7))
    assert "vient 1 jour après l'émission des factures (le 07/12/2026)" in preavis_court(
        apercu, dt.date(2026, 12, 8)
    )
    assert preavis_court(apercu, dt.date(2026, 12, 20)) is not None
    assert preavis_court(apercu, dt.date(2026, 12, 21)) is None
    # Invoices issued long ago: only the bank's delay (two business days) is left to say.
    ancien = _apercu(dt.date(2026, 10, 5))
    demain = preavis_court(ancien, dt.date(2026, 12, 8), aujourdhui)
    assert demain is not None and demain.startswith("La banque demande d'ordinaire 2 jours")
    assert preavis_court(ancien, dt.date(2026, 12, 10), aujourdhui) is None
    assert preavis_court(ancien, dt.date(2026, 12, 8)) is None  # (no day given: no delay)


def test_facture_d_une_famille_prelevee_sans_talon(s, monde):
    """A family paying by direct debit gets an invoice that says so and carries no payment
    slip (it would pay twice); the other family's keeps its due date and slip; once
    « prélèvement » is off in the file, the slip comes back."""
    import io

    import pypdf

    from exports.documents import document_facture

    regie, famille, _mandat, mars = monde

    def lu(facture_id: int) -> str:
        _nom, pdf = document_facture(s, facture_id, EMISSION)
        return " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)

    prelevee = " ".join(lu(mars.id).split())
    assert "Prélevé sur votre compte (mandat AL-0001)" in prelevee
    assert "TALON DE PAIEMENT" not in prelevee and "À régler avant le" not in prelevee
    autre = s.exec(select(Facture).where(Facture.famille_id != famille.id)).one()
    payee_a_part = lu(autre.id)
    assert "TALON DE PAIEMENT" in payee_a_part and "À régler avant le" in payee_a_part
    famille.prelevement = False
    s.add(famille)
    s.commit()
    assert "TALON DE PAIEMENT" in lu(mars.id)
