"""Several counters at once: payment and invoice numbers stay unique and gapless with two
real concurrent connections (PostgreSQL) and two processes on one SQLite file."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import select

from modele.db import creer_engine, migrer
from modele.db import session as ouvrir
from modele.facturation import ETAPE_EMISSION, Facture
from modele.reglements import ModeReglement, Reglement, encaisser
from tests import fabrique
from tests.conftest import PG_URL, _url_pg
from tui.config import url_sqlite

PAR_GUICHET = 8


@contextmanager
def base_pg(prefixe: str) -> Iterator[str]:
    """A fresh PostgreSQL database of the throwaway cluster for one test (its URL)."""
    base = f"{prefixe}_{os.environ.get('PYTEST_XDIST_WORKER', 'seul')}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connexion:
        connexion.execute(text(f'DROP DATABASE IF EXISTS "{base}"'))
        connexion.execute(text(f'CREATE DATABASE "{base}"'))
    try:
        yield _url_pg(base)
    finally:
        with admin.connect() as connexion:
            connexion.execute(text(f'DROP DATABASE IF EXISTS "{base}" WITH (FORCE)'))
        admin.dispose()


def preparer(url: str) -> tuple[int, list[int]]:
    """A régie and two families, each with days to bill in March 2026 (committed)."""
    moteur = creer_engine(url)
    migrer(moteur)
    with ouvrir(moteur) as s:
        regie, cantine, _ = fabrique.structure(s)
        familles = []
        for numero in ("1000000000001", "1000000000002"):
            famille, enfant = fabrique.famille(s, numero=numero, nom=f"F{numero[-1]}")
            s.add_all(fabrique.jours(enfant, cantine, [dt.date(2026, 3, 2), dt.date(2026, 3, 3)]))
            familles.append(famille.id)
        s.commit()
        regie_id = regie.id
    moteur.dispose()
    return regie_id, familles


def guichet(url: str, regie_id: int, famille_id: int) -> None:
    """One counter: bills its family's March, then takes several payments, one per action."""
    moteur = creer_engine(url)
    for i in range(PAR_GUICHET):
        with ouvrir(moteur) as s:
            if i == 0:
                fabrique.facturer(
                    s,
                    fabrique.contexte(),
                    regie_id,
                    dt.date(2026, 3, 1),
                    dt.date(2026, 3, 31),
                    dt.date(2026, 4, 5),
                    familles={famille_id},
                )
            encaisser(
                s,
                fabrique.contexte(),
                famille_id,
                regie_id,
                100 + i,
                ModeReglement.ESPECES,
                dt.date(2026, 4, 6),
                garder_en_avoir=True,
            )
            s.commit()
    moteur.dispose()


def verifier(url: str) -> None:
    moteur = creer_engine(url)
    with ouvrir(moteur) as s:
        numeros = sorted(r.numero for r in s.exec(select(Reglement)))
        assert numeros == list(range(1, 2 * PAR_GUICHET + 1))
        assert sorted(f.numero for f in s.exec(select(Facture))) == [1, 2]
    moteur.dispose()


@pytest.mark.skipif(not PG_URL, reason="GUICHET_TEST_PG_URL absent")
def test_deux_connexions_concurrentes_postgresql():
    with base_pg("guichet_concurrence") as url:
        regie_id, familles = preparer(url)
        fils = [threading.Thread(target=guichet, args=(url, regie_id, f)) for f in familles]
        for fil in fils:
            fil.start()
        for fil in fils:
            fil.join()
        verifier(url)


def test_deux_processus_sur_un_fichier_sqlite(tmp_path):
    url = url_sqlite(tmp_path / "partage.db")
    regie_id, familles = preparer(url)
    contexte = multiprocessing.get_context("spawn")
    processus = [contexte.Process(target=guichet, args=(url, regie_id, f)) for f in familles]
    for p in processus:
        p.start()
    for p in processus:
        p.join(60)
        assert p.exitcode == 0
    verifier(url)


def test_base_occupee_trop_longtemps_message_clair(tmp_path):
    """Another process holds the SQLite file's write lock: the action says so and rolls back."""
    from modele.base import ErreurMetier
    from modele.db import MESSAGE_OCCUPEE, agir

    url = url_sqlite(tmp_path / "occupee.db")
    regie_id, familles = preparer(url)
    bloqueur = sqlite3.connect(tmp_path / "occupee.db", isolation_level=None)
    bloqueur.execute("BEGIN IMMEDIATE")  # another counter in the middle of a long action
    moteur = creer_engine(url)
    try:
        with pytest.raises(ErreurMetier, match="occupée"):
            agir(
                moteur,
                lambda s: encaisser(
                    s,
                    fabrique.contexte(),
                    familles[0],
                    regie_id,
                    100,
                    ModeReglement.ESPECES,
                    dt.date(2026, 4, 6),
                    garder_en_avoir=True,
                ),
                attente=0.2,
            )  # the test does not wait long
    finally:
        bloqueur.execute("ROLLBACK")
        bloqueur.close()
        moteur.dispose()
    assert "rien n'a été enregistré" in MESSAGE_OCCUPEE


def _facturer_tout(url: str, regie_id: int) -> None:
    moteur = creer_engine(url)
    with ouvrir(moteur) as s:
        fabrique.facturer(
            s,
            fabrique.contexte(),
            regie_id,
            dt.date(2026, 3, 1),
            dt.date(2026, 3, 31),
            dt.date(2026, 4, 5),
        )
        s.commit()
    moteur.dispose()


@pytest.mark.skipif(not PG_URL, reason="GUICHET_TEST_PG_URL absent")
def test_deux_facturations_du_meme_mois_en_meme_temps_postgresql():
    """Two counters run the same month at once: each day is billed once, numbers gapless."""
    with base_pg("guichet_double") as url:
        regie_id, _ = preparer(url)
        fils = [threading.Thread(target=_facturer_tout, args=(url, regie_id)) for _ in range(2)]
        for fil in fils:
            fil.start()
        for fil in fils:
            fil.join()
        moteur = creer_engine(url)
        with ouvrir(moteur) as s:
            assert sorted(f.numero for f in s.exec(select(Facture))) == [1, 2]
        moteur.dispose()


@pytest.mark.skipif(not PG_URL, reason="GUICHET_TEST_PG_URL absent")
@pytest.mark.parametrize("changement", ["absence", "desinscription"])
def test_jours_changes_pendant_la_facturation_postgresql(changement):
    """Another counter changes a counted day while the month's run is between counting and
    linking (PostgreSQL lets it): the run stops with a clear message, nothing issued."""
    from modele.base import ErreurMetier
    from modele.facturation import CELLULES_CHANGEES
    from modele.inscriptions import Futures, desinscrire
    from modele.planning import EtatConsommation, Inscription, JourFacture
    from modele.reglements import facturer_mois
    from modele.reservations import pointer

    with base_pg(f"guichet_change_{changement}") as url:
        moteur = creer_engine(url)
        migrer(moteur)
        with ouvrir(moteur) as s:
            regie, cantine, _ = fabrique.structure(s)
            _, enfant = fabrique.famille(s)
            s.add(
                Inscription(
                    enfant_id=enfant.id,
                    activite_id=cantine.id,
                    annee_scolaire=2025,
                    date_debut=dt.date(2025, 9, 1),
                    date_fin=dt.date(2026, 8, 31),
                )
            )
            s.add_all(
                fabrique.jours(
                    enfant,
                    cantine,
                    [dt.date(2026, 3, d) for d in (2, 23)],
                    EtatConsommation.RESERVE,
                )
            )
            s.commit()
            ids = (regie.id, cantine.id, enfant.id)

        def autre_guichet(etape: str, fait: int, _total: int | None) -> None:
            if etape != ETAPE_EMISSION or not fait:
                return  # another counter acts once the run has read the month's cells
            with ouvrir(moteur) as b:
                if changement == "absence":
                    pointer(
                        b,
                        fabrique.contexte(dt.date(2026, 3, 25)),
                        ids[2],
                        ids[1],
                        dt.date(2026, 3, 23),
                        EtatConsommation.ABSENT_EXCUSE,
                    )
                else:  # the days after the 20th cancelled
                    inscription = b.exec(select(Inscription)).one()
                    desinscrire(
                        b, fabrique.contexte(dt.date(2026, 3, 20)), inscription.id, Futures.ANNULER
                    )
                b.commit()

        with ouvrir(moteur) as s:
            with pytest.raises(ErreurMetier) as erreur:
                facturer_mois(
                    s,
                    fabrique.contexte(dt.date(2026, 3, 31)),
                    ids[0],
                    dt.date(2026, 3, 1),
                    dt.date(2026, 3, 31),
                    dt.date(2026, 3, 31),
                    progression=autre_guichet,
                )
            assert erreur.value.message == CELLULES_CHANGEES
            s.rollback()
            assert s.exec(select(Facture)).all() == [] == s.exec(select(JourFacture)).all()
        moteur.dispose()


@pytest.mark.skipif(not PG_URL, reason="GUICHET_TEST_PG_URL absent")
def test_campagne_qf_envoyee_par_deux_agents_a_la_fois_postgresql():
    """Two agents confirm the QF campaign's reminder at the same moment, each with the list
    read before the other sent: every family is reminded once."""
    from modele.messages import Message, relancer_campagne

    jour = dt.date(2026, 11, 27)
    with base_pg("guichet_campagne") as url:
        _regie_id, familles = preparer(url)
        moteur = creer_engine(url)
        depart = threading.Barrier(2)
        envois: list[tuple[int, int]] = []
        erreurs: list[BaseException] = []

        def agent() -> None:
            try:
                with ouvrir(moteur) as s:
                    depart.wait()
                    envoi = relancer_campagne(s, fabrique.contexte(jour), familles, jour)
                    s.commit()
                    envois.append((envoi.envoyees, envoi.deja))
            except BaseException as e:
                erreurs.append(e)

        fils = [threading.Thread(target=agent) for _ in range(2)]
        for f in fils:
            f.start()
        for f in fils:
            f.join()
        assert not erreurs, erreurs
        assert sorted(envois) == [(0, 2), (2, 0)]
        with ouvrir(moteur) as s:
            assert sorted(m.famille_id for m in s.exec(select(Message))) == sorted(familles)
        moteur.dispose()
