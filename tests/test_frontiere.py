"""The boundary between screens and the database (modele.db.lire / agir): a read takes no
write lock, an action is one transaction, a busy base is the French message on every path."""

from __future__ import annotations

import sqlite3
import time
from contextlib import contextmanager

import pytest
from sqlalchemy import func
from sqlmodel import select

from modele.base import ErreurMetier
from modele.db import MESSAGE_OCCUPEE, SessionGuichet, agir, lire
from modele.db import session as nouvelle_session
from modele.famille import Famille


@contextmanager
def verrou_ecriture(engine):
    """Another counter in the middle of a long action: a raw connection holds the write lock."""
    bloqueur = sqlite3.connect(engine.url.database, isolation_level=None)
    bloqueur.execute("BEGIN IMMEDIATE")
    try:
        yield bloqueur
    finally:
        bloqueur.execute("ROLLBACK")
        bloqueur.close()


def _nombre(session) -> int:
    return session.exec(select(func.count()).select_from(Famille)).one()


def _renommer(session, famille_id: int, nom: str) -> str:
    famille = session.get(Famille, famille_id)
    famille.situation = nom
    session.add(famille)
    return nom


def test_une_lecture_ne_prend_pas_le_verrou(engine):
    with verrou_ecriture(engine):
        debut = time.monotonic()
        assert lire(engine, _nombre, attente=5) > 0
        assert time.monotonic() - debut < 1


def test_une_action_sur_base_occupee_donne_le_message_puis_reussit(engine):
    famille_id = lire(engine, lambda s: s.exec(select(Famille.id)).first())
    with verrou_ecriture(engine):
        debut = time.monotonic()
        with pytest.raises(ErreurMetier) as erreur:
            agir(engine, lambda s: _renommer(s, famille_id, "Marié(e)"), attente=0.3)
        assert erreur.value.message == MESSAGE_OCCUPEE
        assert 0.25 < time.monotonic() - debut < 3
    assert agir(engine, lambda s: _renommer(s, famille_id, "Marié(e)")) == "Marié(e)"
    assert lire(engine, lambda s: s.get(Famille, famille_id).situation) == "Marié(e)"


def test_une_action_qui_echoue_est_annulee(engine):
    famille_id = lire(engine, lambda s: s.exec(select(Famille.id)).first())
    avant = lire(engine, lambda s: s.get(Famille, famille_id).situation)

    def _echoue(session) -> None:
        _renommer(session, famille_id, "Autre")
        session.flush()
        raise ErreurMetier("refusé")

    with pytest.raises(ErreurMetier, match="refusé"):
        agir(engine, _echoue)
    assert lire(engine, lambda s: s.get(Famille, famille_id).situation) == avant


def test_une_lecture_n_enregistre_rien(engine):
    famille_id = lire(engine, lambda s: s.exec(select(Famille.id)).first())
    avant = lire(engine, lambda s: s.get(Famille, famille_id).situation)
    lire(engine, lambda s: _renommer(s, famille_id, "Autre"))
    assert lire(engine, lambda s: s.get(Famille, famille_id).situation) == avant


def test_exec_sur_base_occupee_donne_le_message(engine):
    """SQLModel's exec skipped SessionGuichet's guard: a raw OperationalError came out."""
    courte = engine.execution_options(attente=0.2)
    with verrou_ecriture(engine), SessionGuichet(courte) as session:
        with pytest.raises(ErreurMetier, match="occupée"):
            session.exec(select(Famille.id)).first()


def test_attente_par_transaction_pas_par_connexion(engine):
    """A short wait asked by one transaction does not stay on the pooled connection."""
    lire(engine, _nombre, attente=0.5)
    with nouvelle_session(engine) as session:
        assert session.connection().exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000
