"""The journal: append-only from the app, read by an administrator by family, agent, dates."""

from __future__ import annotations

import datetime as dt
import inspect
from pathlib import Path

import pytest
from sqlmodel import delete, select, update

import modele.journal
from modele.agents import Agent
from modele.base import Contexte, ErreurMetier
from modele.journal import FiltreJournal, Journal, journaliser, ligne_journal, lire_journal

DUPONT = "1001001818331"


@pytest.fixture
def ligne(s) -> Journal:
    ecrite = journaliser(
        s,
        Contexte(agent_id=None),
        "modification",
        "famille",
        1,
        1,
        avant={"ville": "A"},
        apres={"ville": "B"},
        detail="adresse",
    )
    s.commit()
    return ecrite


def test_le_modele_n_offre_que_l_ajout_et_la_lecture():
    publiques = {
        nom
        for nom, f in inspect.getmembers(modele.journal, inspect.isfunction)
        if f.__module__ == "modele.journal" and not nom.startswith("_")
    }
    # (acteur: the who-columns of a row, for the bulk writers that add rows as journaliser;
    # detail_lisible: a row's before and after in words, for reading)
    assert publiques == {
        "acteur",
        "detail_lisible",
        "journaliser",
        "lire_journal",
        "ligne_journal",
        "libelle_action",
    }
    for fichier in [
        *Path("modele").glob("*.py"),
        *Path("ecrans").glob("*.py"),
        *Path("tui").glob("*.py"),
    ]:
        texte = fichier.read_text()
        assert "delete(Journal" not in texte, fichier
        # only RGPD anonymisation empties what a row held about a person
        assert "update(Journal" not in texte or fichier.name == "rgpd.py", fichier


def test_modifier_ou_supprimer_par_l_orm_est_refuse(s, ligne):
    ligne.action = "falsifiee"
    s.add(ligne)
    with pytest.raises(ErreurMetier, match="ajoute seulement"):
        s.commit()
    s.rollback()
    s.delete(s.get(Journal, ligne.id))
    with pytest.raises(ErreurMetier, match="ajoute seulement"):
        s.commit()
    s.rollback()
    for requete in (
        update(Journal).values(action="x"),
        update(Journal).values(detail="autre"),
        delete(Journal),
    ):
        with pytest.raises(ErreurMetier, match="ajoute seulement"):
            s.exec(requete)
        s.rollback()
    relue = s.get(Journal, ligne.id)
    assert (relue.action, relue.detail) == ("modification", "adresse")


def test_seul_l_effacement_rgpd_est_permis(s, ligne):
    s.exec(update(Journal).where(Journal.famille_id == 1).values(avant=None, apres=None, detail=""))
    s.commit()
    relue = s.exec(
        select(Journal).where(Journal.id == ligne.id).execution_options(populate_existing=True)
    ).one()
    assert (relue.avant, relue.apres, relue.detail, relue.action) == (
        None,
        None,
        "",
        "modification",
    )


def _admin(session) -> Contexte:
    admin = session.exec(select(Agent).where(Agent.identifiant == "admin")).one()
    return Contexte(agent_id=admin.id)


def test_lecture_par_famille_agent_et_dates_du_plus_recent(session):
    contexte = _admin(session)
    tout, _ = lire_journal(session, contexte, FiltreJournal(numero_famille=DUPONT), limite=1000)
    assert tout and all(x.numero_famille == DUPONT for x in tout)
    assert [x.curseur for x in tout] == sorted((x.curseur for x in tout), reverse=True)
    # pages of 3 by keyset give the same rows
    pages, curseur, encore = [], None, True
    while encore:
        page, encore = lire_journal(
            session, contexte, FiltreJournal(numero_famille=DUPONT), apres=curseur, limite=3
        )
        pages += page
        curseur = page[-1].curseur if page else None
    assert [x.id for x in pages] == [x.id for x in tout]
    jour = tout[len(tout) // 2].horodatage.date()
    du_jour, _ = lire_journal(
        session, contexte, FiltreJournal(DUPONT, du=jour, au=jour), limite=1000
    )
    assert du_jour and all(x.horodatage.date() == jour for x in du_jour)
    par_admin, _ = lire_journal(session, contexte, FiltreJournal(identifiant="ADMIN"), limite=20)
    assert par_admin and all(x.agent == "admin" for x in par_admin)
    detail = ligne_journal(session, contexte, tout[0].id)
    assert detail.id == tout[0].id and detail.numero_famille == DUPONT


def test_lecture_refusee_ou_filtre_inconnu(session):
    contexte = _admin(session)
    for filtre, champ in (
        (FiltreJournal(numero_famille="999"), "famille"),
        (FiltreJournal(identifiant="personne"), "agent"),
        (FiltreJournal(du=dt.date(2026, 2, 1), au=dt.date(2026, 1, 1)), "du"),
    ):
        with pytest.raises(ErreurMetier) as e:
            lire_journal(session, contexte, filtre)
        assert e.value.champ == champ
    accueil = session.exec(select(Agent).where(Agent.identifiant == "accueil")).one()
    with pytest.raises(ErreurMetier, match="Seul un administrateur peut consulter le journal"):
        lire_journal(session, Contexte(agent_id=accueil.id), FiltreJournal())


def test_libelles_des_actions_en_francais():
    from modele.journal import libelle_action

    assert libelle_action("demande creee") == "demande créée"
    assert libelle_action("reglement encaisse") == "règlement encaissé"
    assert libelle_action("demande acceptee") == "demande acceptée"
    assert libelle_action("connexion") == "connexion"  # already French: as stored


# Actions stored in words that need no accent: shown as stored.
DEJA_EN_FRANCAIS = {
    "calendrier",
    "connexion",
    "fermeture",
    "inscription",
    "lieu de naissance",
    "message lu",
    "pointage",
}


def test_chaque_action_journalisee_a_son_libelle():
    """Every action written to the journal by modele/ reads in French (the journal, F9, and
    the summary read back at the end of a call): labelled, or French as stored."""
    import ast
    from pathlib import Path

    from modele.journal import LIBELLES_ACTIONS

    actions = set()
    for fichier in Path(__file__).parent.parent.joinpath("modele").rglob("*.py"):
        for noeud in ast.walk(ast.parse(fichier.read_text(encoding="utf-8"))):
            if (
                isinstance(noeud, ast.Call)
                and getattr(noeud.func, "id", None) == "journaliser"
                and len(noeud.args) >= 3
            ):
                action = noeud.args[2]
                choix = [action.body, action.orelse] if isinstance(action, ast.IfExp) else [action]
                actions |= {c.value for c in choix if isinstance(c, ast.Constant)}
    assert {"caisse cloturee", "message recu", "reglement encaisse"} <= actions
    assert actions - set(LIBELLES_ACTIONS) - DEJA_EN_FRANCAIS == set()


def test_detail_lisible_des_mots_et_des_euros():
    from modele.journal import detail_lisible

    assert detail_lisible(None) == [] and detail_lisible({}) == []
    assert detail_lisible(
        {
            "reference": "AL-12",
            "montant": -940,
            "mode": "especes",
            "jour": "2024-02-29",
            "cree_le": "2026-12-04T18:30:10.000001",
            "actif": False,
            "motif": None,
            "nombre": 3,  # a count, not an amount
            "ids": [1, 2],
            "especes": {"nombre": 2, "enregistre": 12060, "compte": 12000},
            "etat": "2026-13-01",  # not a date: kept as typed
        }
    ) == [
        ("Référence", "AL-12"),
        ("Montant", "-9,40\u00a0€"),
        ("Mode", "Espèces"),
        ("Jour", "29/02/2024"),
        ("Créé le", "04/12/2026 18:30"),
        ("Actif", "non"),
        ("Motif", "—"),
        ("Nombre", "3"),
        ("Ids", "1, 2"),
        ("Espèces", "nombre 2, enregistré 120,60\u00a0€, compté 120,00\u00a0€"),
        ("État", "2026-13-01"),
    ]


def test_chaque_objet_journalise_a_son_nom():
    """Every kind of record the journal names (F9's Objet) reads in French."""
    import ast

    from modele.journal import NOMS_OBJETS

    objets = set()
    for fichier in Path(__file__).parent.parent.joinpath("modele").rglob("*.py"):
        for noeud in ast.walk(ast.parse(fichier.read_text(encoding="utf-8"))):
            if (
                isinstance(noeud, ast.Call)
                and getattr(noeud.func, "id", None) == "journaliser"
                and len(noeud.args) >= 4
                and isinstance(noeud.args[3], ast.Constant)
            ):
                objets.add(noeud.args[3].value)
    assert {"reglement", "facture", "demande"} <= objets
    assert objets - set(NOMS_OBJETS) == set()


def test_un_enregistrement_nomme_par_sa_reference_pas_son_id(session):
    """F9 names a payment, an invoice, a family by what the service prints (« Règlement
    AL-228 »), the others by their number; never a table's name and an internal id."""
    from modele.journal import NOMS_OBJETS
    from modele.reglements import Facture, Reglement

    contexte = _admin(session)
    lignes, _ = lire_journal(session, contexte, FiltreJournal(numero_famille=DUPONT), limite=1000)
    vues = {x.objet for x in lignes}
    assert {"reglement", "facture"} <= vues
    for x in lignes:
        table = {"reglement": Reglement, "facture": Facture}.get(x.objet)
        if table is not None:
            reference = session.get(table, x.objet_id).reference
            assert x.designation == f"{NOMS_OBJETS[x.objet]} {reference}"
        assert not x.designation.startswith(x.objet + " "), x.designation
    detail = ligne_journal(session, contexte, lignes[0].id)
    assert detail.designation == lignes[0].designation
