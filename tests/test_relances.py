"""Reminders of unpaid invoices (issue 17, point 1), as rules on SQLite and PostgreSQL:
levels by days after the due date, set per régie; each reminder recorded once per level and
journaled; a paid or credited invoice leaves the list; letters to the payer, or a message."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlmodel import select

from exports.documents import document_relances
from modele.agents import Role, creer_agent
from modele.base import Contexte, ErreurMetier
from modele.facturation import Facture
from modele.journal import Journal
from modele.messages import Message
from modele.reglements import (
    ModeReglement,
    emettre_avoir_et_lettrer,
    encaisser,
    facturer_mois,
)
from modele.relances import (
    TITRE,
    ModeRelance,
    Relance,
    envoyer_relances,
    niveau_atteint,
    regler_delais,
    relances,
    relances_de_la_famille,
)
from tests import fabrique

MARS = [dt.date(2026, 3, d) for d in (2, 3, 5, 6)]  # 4 × 4,05 = 16,20
EMISSION = dt.date(2026, 4, 5)
ECHEANCE = EMISSION + dt.timedelta(days=22)  # 27/04/2026


@pytest.fixture
def monde(s):
    regie, cantine, _ = fabrique.structure(s)
    famille, enfant = fabrique.famille(s)
    s.add_all(fabrique.jours(enfant, cantine, MARS))
    s.commit()
    [mars] = facturer_mois(
        s,
        fabrique.contexte(EMISSION),
        regie.id,
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 31),
        EMISSION,
    )
    s.commit()
    return regie, famille, s.get(Facture, mars.id)


def jour(retard: int) -> dt.date:
    return ECHEANCE + dt.timedelta(days=retard)


def test_niveaux_par_delais_de_la_regie(s, monde):
    regie, _, mars = monde
    assert mars.date_echeance == ECHEANCE
    assert relances(s, regie.id, jour(14)).lignes == []
    [ligne] = relances(s, regie.id, jour(15)).lignes
    assert (ligne.niveau, ligne.retard, ligne.reste_du, ligne.envoye) == (1, 15, 1620, 0)
    assert ligne.payeur.nom == "MARTIN"
    assert relances(s, regie.id, jour(29)).lignes[0].niveau == 1
    assert relances(s, regie.id, jour(30)).lignes[0].niveau == 2
    assert relances(s, regie.id, jour(60)).lignes[0].niveau == TITRE
    # The régie's own delays.
    regler_delais(s, fabrique.contexte(jour(0)), regie.id, 5, 10, 20)
    s.commit()
    assert relances(s, regie.id, jour(10)).lignes[0].niveau == 2
    vue = relances(s, regie.id, jour(20))
    assert (vue.total, vue.total_niveau(TITRE), vue.nombre_niveau(TITRE)) == (1620, 1620, 1)
    with pytest.raises(ErreurMetier, match="croître"):
        regler_delais(s, fabrique.contexte(jour(0)), regie.id, 10, 10, 20)
    s.rollback()
    with pytest.raises(ErreurMetier, match="au plus 365 jours") as refus:
        regler_delais(s, fabrique.contexte(jour(0)), regie.id, 10, 20, 10**20)
    assert refus.value.champ == "titre"
    s.rollback()
    assert regler_delais(s, fabrique.contexte(jour(0)), regie.id, 10, 20, 365).titre_jours == 365


def test_niveau_atteint_aux_bornes(s, monde):
    regie, _, _ = monde
    echeance = dt.date(2026, 1, 31)
    assert [
        niveau_atteint(regie, echeance, echeance + dt.timedelta(days=n))
        for n in (-3, 0, 14, 15, 29, 30, 59, 60, 400)
    ] == [0, 0, 0, 1, 1, 2, 2, 3, 3]


def test_chaque_niveau_envoye_une_fois_et_journalise(s, monde):
    regie, famille, mars = monde
    agent = creer_agent(
        s, Contexte.systeme("tests"), "regie2", "Régie", "Test", Role.REGISSEUR, "Regie2026x"
    )
    s.commit()
    contexte = fabrique.contexte(jour(16)).avec(agent_id=agent.id)
    ids = envoyer_relances(s, contexte, regie.id, ModeRelance.COURRIER)
    s.commit()
    [relance] = s.exec(select(Relance)).all()
    assert (relance.id, relance.niveau, relance.date, relance.agent_id) == (
        ids[0],
        1,
        jour(16),
        agent.id,
    )
    ligne = s.exec(select(Journal).where(Journal.action == "relance envoyee")).one()
    assert (ligne.agent_id, ligne.famille_id, ligne.apres["niveau"]) == (agent.id, famille.id, 1)
    [a] = relances(s, regie.id, jour(16)).lignes
    assert (a.envoye, a.envoye_le, a.a_envoyer) == (1, jour(16), False)
    with pytest.raises(ErreurMetier, match="Aucune relance à envoyer"):
        envoyer_relances(s, contexte, regie.id)
    # The 2nd level, into the family's Boîte de réception.
    envoyer_relances(s, contexte.avec(aujourdhui=jour(31)), regie.id, ModeRelance.BOITE)
    s.commit()
    message = s.exec(select(Message).where(Message.famille_id == famille.id)).one()
    assert message.sujet == "2e relance : factures impayées"
    assert mars.reference in message.corps and "16,20" in message.corps
    assert relances_de_la_famille(s, famille.id) == {mars.id: 2}


def test_un_accueil_ne_relance_pas(s, monde):
    regie, _, _ = monde
    agent = creer_agent(
        s, Contexte.systeme("tests"), "accueil2", "Accueil", "Test", Role.ACCUEIL, "Accueil2026x"
    )
    s.commit()
    with pytest.raises(ErreurMetier, match="régisseur"):
        envoyer_relances(s, fabrique.contexte(jour(20)).avec(agent_id=agent.id), regie.id)


def test_payee_ou_couverte_par_un_avoir_sort_de_la_liste(s, monde):
    regie, famille, mars = monde
    encaisser(
        s,
        fabrique.contexte(jour(1)),
        famille.id,
        regie.id,
        1000,
        ModeReglement.ESPECES,
        jour(1),
    )
    s.commit()
    [a] = relances(s, regie.id, jour(20)).lignes
    assert a.reste_du == 620
    emettre_avoir_et_lettrer(s, fabrique.contexte(jour(2)), mars.id, "Grève")
    s.commit()
    assert relances(s, regie.id, jour(20)).lignes == []


def test_lettres_au_payeur_en_un_pdf(s, monde):
    regie, _, mars = monde
    ids = envoyer_relances(s, fabrique.contexte(jour(16)), regie.id)
    s.commit()
    nom, pdf = document_relances(s, ids, jour(16))
    assert nom == f"Relances AL {jour(16):%Y-%m-%d}.pdf"
    texte = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "1RE RELANCE" in texte
    assert "Madame MARTIN Élodie" in texte
    assert mars.reference in texte and "16,20" in texte


def test_le_titre_a_emettre_est_enregistre_sans_lettre(s, monde):
    regie, famille, _ = monde
    ids = envoyer_relances(s, fabrique.contexte(jour(61)), regie.id, ModeRelance.BOITE)
    s.commit()
    assert [r.niveau for r in s.exec(select(Relance))] == [TITRE]
    assert s.exec(select(Message).where(Message.famille_id == famille.id)).all() == []
    with pytest.raises(ErreurMetier, match="Aucune lettre"):
        document_relances(s, ids, jour(61))


def test_regie_de_la_tresorerie_refusee(s, monde):
    regie, _, _ = monde
    regie.encaissement_tresorerie = True
    s.add(regie)
    s.commit()
    with pytest.raises(ErreurMetier, match="Trésorerie"):
        relances(s, regie.id, jour(20))
