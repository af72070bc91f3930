"""Staff accounts in modele: creation, deactivation, role, reset, lock after five failures."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from modele.agents import (
    MESSAGE_IDENTIFIANTS,
    Agent,
    Role,
    ajouter_agent,
    authentifier,
    changer_mot_de_passe,
    changer_role,
    creer_agent,
    definir_actif,
    deverrouiller,
    manques_mot_de_passe,
    reinitialiser_mot_de_passe,
)
from modele.base import Contexte, ErreurMetier
from modele.journal import Journal

JOUR = dt.date(2026, 11, 27)
MIDI = dt.datetime(2026, 11, 27, 12)  # the app's clock at login, given by the caller


@pytest.fixture
def admin(s) -> Contexte:
    agent = creer_agent(
        s, Contexte.systeme("tests"), "chef", "CHEF", "Anne", Role.ADMIN, "Chef2026x"
    )
    s.commit()
    return Contexte(agent_id=agent.id, aujourdhui=JOUR)


def test_creation_verifiee_champ_par_champ(s, admin):
    with pytest.raises(ErreurMetier) as e:
        ajouter_agent(s, admin, "paul", "durand", "Paul", Role.ACCUEIL, "court")
    assert e.value.champ == "mot_de_passe"
    assert "8 caractères minimum" in e.value.message and "1 majuscule" in e.value.message
    for identifiant in ("é", "a b", "x" * 31, "chef", "CHEF "):
        with pytest.raises(ErreurMetier) as e:
            ajouter_agent(s, admin, identifiant, "DURAND", "Paul", Role.ACCUEIL, "Durand2026")
        assert e.value.champ == "identifiant", identifiant
    with pytest.raises(ErreurMetier) as e:
        ajouter_agent(s, admin, "paul", "\x07", "Paul", Role.ACCUEIL, "Durand2026")
    assert e.value.champ == "nom"
    s.rollback()
    agent = ajouter_agent(s, admin, " Paul.D ", "durand", "Paul", "regisseur", "Durand2026")
    s.commit()
    assert (agent.identifiant, agent.nom, agent.role) == ("paul.d", "DURAND", "regisseur")
    ligne = s.exec(
        select(Journal).where(Journal.objet == "agent", Journal.objet_id == agent.id)
    ).one()
    assert ligne.action == "creation" and ligne.agent_id == admin.agent_id
    assert "mot_de_passe_hash" not in ligne.apres
    assert authentifier(s, "paul.d", "Durand2026", MIDI).id == agent.id


def test_seul_l_administrateur_gere_les_comptes(s, admin):
    accueil = creer_agent(
        s, Contexte.systeme("tests"), "guichet1", "MARTIN", "Léa", Role.ACCUEIL, "Martin2026"
    )
    s.commit()
    contexte = Contexte(agent_id=accueil.id, aujourdhui=JOUR)
    with pytest.raises(ErreurMetier, match="administrateur"):
        ajouter_agent(s, contexte, "pirate", "X", "Y", Role.ADMIN, "Pirate2026")
    with pytest.raises(ErreurMetier, match="administrateur"):
        changer_role(s, contexte, accueil.id, Role.ADMIN)


def test_le_dernier_administrateur_reste(s, admin):
    with pytest.raises(ErreurMetier, match="votre propre compte"):
        definir_actif(s, admin, admin.agent_id, False)
    with pytest.raises(ErreurMetier, match="au moins un administrateur actif"):
        changer_role(s, admin, admin.agent_id, Role.REGISSEUR)
    second = ajouter_agent(s, admin, "adjoint", "ADJOINT", "Marc", Role.ADMIN, "Adjoint2026")
    s.commit()
    # With a second active administrator, the first may step down.
    changer_role(s, admin, admin.agent_id, Role.REGISSEUR)
    s.commit()
    par_second = Contexte(agent_id=second.id, aujourdhui=JOUR)
    with pytest.raises(ErreurMetier, match="au moins un administrateur actif"):
        # the system (no agent) cannot take the last one away either
        definir_actif(s, Contexte.systeme("tests"), second.id, False)
    changer_role(s, par_second, admin.agent_id, Role.ADMIN)
    definir_actif(s, par_second, admin.agent_id, False)
    s.commit()
    with pytest.raises(ErreurMetier) as e:
        authentifier(s, "chef", "Chef2026x", MIDI)
    assert e.value.message == MESSAGE_IDENTIFIANTS
    definir_actif(s, par_second, admin.agent_id, True)
    s.commit()
    assert authentifier(s, "chef", "Chef2026x", MIDI).actif


def test_reinitialisation_puis_changement_obligatoire(s, admin):
    agent = creer_agent(
        s, Contexte.systeme("tests"), "guichet2", "PETIT", "Jo", Role.ACCUEIL, "Petit2026"
    )
    s.get(Agent, agent.id).verrouille_jusqu_a = MIDI + dt.timedelta(minutes=5)
    s.commit()
    temporaire = reinitialiser_mot_de_passe(s, admin, agent.id)
    s.commit()
    assert manques_mot_de_passe(temporaire) == []
    connecte = authentifier(s, "guichet2", temporaire, MIDI)  # the reset lifted the lock too
    assert connecte.mot_de_passe_a_changer
    soi = Contexte(agent_id=agent.id, aujourdhui=JOUR)
    with pytest.raises(ErreurMetier, match="différent"):
        changer_mot_de_passe(s, soi, agent.id, temporaire)
    with pytest.raises(ErreurMetier, match="1 caractère numérique"):
        changer_mot_de_passe(s, soi, agent.id, "Sanschiffre")
    with pytest.raises(ErreurMetier, match="propre mot de passe"):
        changer_mot_de_passe(s, admin, agent.id, "Nouveau2026")
    changer_mot_de_passe(s, soi, agent.id, "Nouveau2026")
    s.commit()
    assert not authentifier(s, "guichet2", "Nouveau2026", MIDI).mot_de_passe_a_changer


def test_cinq_echecs_verrouillent_puis_l_administrateur_deverrouille(s, admin):
    agent = creer_agent(
        s, Contexte.systeme("tests"), "guichet3", "LEROY", "Max", Role.ACCUEIL, "Leroy2026"
    )
    s.commit()
    maintenant = dt.datetime(2026, 11, 27, 10, 0)
    for _ in range(4):
        with pytest.raises(ErreurMetier) as e:
            authentifier(s, "guichet3", "Mauvais1", maintenant)
        assert e.value.message == MESSAGE_IDENTIFIANTS
    with pytest.raises(ErreurMetier, match="verrouillé jusqu'à 10 h 15 après 5"):
        authentifier(s, "guichet3", "Mauvais1", maintenant)
    with pytest.raises(ErreurMetier, match="verrouillé"):  # even the right password
        authentifier(s, "guichet3", "Leroy2026", maintenant + dt.timedelta(minutes=14))
    assert authentifier(s, "guichet3", "Leroy2026", maintenant + dt.timedelta(minutes=16))
    agent = s.get(Agent, agent.id)
    agent.verrouille_jusqu_a = maintenant + dt.timedelta(minutes=15)
    s.commit()
    deverrouiller(s, admin, agent.id)
    s.commit()
    assert authentifier(s, "guichet3", "Leroy2026", maintenant).id == agent.id
    actions = s.exec(select(Journal.action).where(Journal.objet_id == agent.id)).all()
    assert "deverrouillage" in actions
    assert s.get(Agent, agent.id).echecs_connexion == 0
    # Each wrong password and the lock are in the journal (there was only the unlocking).
    refus = s.exec(
        select(Journal)
        .where(Journal.objet == "agent", Journal.objet_id == agent.id)
        .where(Journal.action.in_(["connexion refusee", "compte verrouille"]))
        .order_by(Journal.id)
    ).all()
    assert [j.action for j in refus] == ["connexion refusee"] * 4 + ["compte verrouille"]
    assert refus[0].detail == "guichet3 : mot de passe erroné (1/5)"
    assert refus[-1].detail == "guichet3 : mot de passe erroné (5/5), verrouillé jusqu'à 10:15"
    assert refus[-1].horodatage == maintenant and refus[-1].agent_id is None


def test_migration_0003_garde_les_comptes(tmp_path):
    """A database at 0002: its agents keep logging in, nothing to change, never logged."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    from modele.agents import hacher_mot_de_passe
    from modele.db import MIGRATIONS, creer_engine, migrer, session
    from tui.config import url_sqlite

    engine = creer_engine(url_sqlite(tmp_path / "ancienne.db"))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connexion:
        config.attributes["connection"] = connexion
        command.upgrade(config, "0002")
        connexion.execute(
            text(
                "INSERT INTO agent (identifiant, nom, prenom, role, mot_de_passe_hash, actif, "
                "echecs_connexion, dernier_canal) VALUES ('ancien', 'A', 'B', 'admin', :h, 1, 0, "
                "'guichet')"
            ),
            {"h": hacher_mot_de_passe("Ancien2026")},
        )
    migrer(engine)
    with session(engine) as s:
        agent = authentifier(s, "ancien", "Ancien2026", MIDI)
        assert agent.mot_de_passe_a_changer is False and agent.derniere_connexion is None
    with engine.connect() as connexion:
        index = {r[1] for r in connexion.execute(text("PRAGMA index_list(journal)"))}
    assert {"ix_journal_famille_horodatage", "ix_journal_agent_horodatage"} <= index
    engine.dispose()


def test_la_liste_des_agents_ne_donne_aucun_hachage(s):
    from modele.agents import creer_agent, lister_agents

    creer_agent(
        s, Contexte.systeme("tests"), "martin", "MARTIN", "Sophie", Role.ACCUEIL, "Accueil2026"
    )
    s.commit()
    (fiche,) = lister_agents(s)
    assert fiche.identifiant == "martin" and fiche.nom_complet == "Sophie MARTIN"
    assert not hasattr(fiche, "mot_de_passe_hash")
    assert "argon2" not in repr(fiche)


def test_la_connexion_garde_la_fiche_sans_hachage(s):
    """What the app keeps for the whole session (app.agent) is the card, never the row."""
    from modele.agents import connecter, creer_agent

    creer_agent(
        s, Contexte.systeme("tests"), "martin", "MARTIN", "Sophie", Role.ACCUEIL, "Accueil2026"
    )
    s.commit()
    contexte = Contexte.systeme("tests", aujourdhui=MIDI.date())
    fiche = connecter(s, contexte, "martin", "Accueil2026")
    assert fiche.role == Role.ACCUEIL and fiche.nom_complet == "Sophie MARTIN"
    assert not hasattr(fiche, "mot_de_passe_hash")
    assert "argon2" not in repr(fiche)
