"""The benchmarks on both engines (bench/moteur.py): the billing bench's undo leaves the base
as it was, on SQLite and on PostgreSQL. Nothing here is timed."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

from bench.facturation import defaire, etat, facturer
from bench.moteur import Brute
from modele.db import creer_engine, migrer
from tests.conftest import FAMILLES_TEST, PG_URL, REFERENCE, _url_pg

NOVEMBRE = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def contenu(adresse: str) -> dict[str, tuple]:
    """Every table's row count and highest id, and the counters."""
    connexion = Brute(adresse)
    vu = {}
    for table in SQLModel.metadata.sorted_tables:
        a_un_id = "id" in table.columns
        vu[table.name] = connexion.execute(
            f"SELECT count(*){', max(id)' if a_un_id else ''} FROM {table.name}"
        ).fetchone()
    vu["compteur"] = tuple(
        connexion.execute(
            "SELECT regie_id, nature, dernier FROM compteur WHERE regie_id = ? ORDER BY nature",
            (1,),
        ).fetchall()
    )
    connexion.close()
    return vu


def facturer_puis_defaire(adresse: str) -> None:
    avant = contenu(adresse)
    etat_avant = etat(adresse)
    _duree, factures = facturer(adresse, *NOVEMBRE, dt.date(2026, 12, 5))
    assert factures > 0
    assert contenu(adresse) != avant
    defaire(adresse, etat_avant)
    assert contenu(adresse) == avant
    connexion = Brute(adresse)
    orphelines = connexion.execute(
        "SELECT count(*) FROM affectation a LEFT JOIN facture f ON f.id = a.facture_id "
        "WHERE f.id IS NULL"
    )
    assert orphelines.fetchone()[0] == 0
    connexion.close()


def test_facturation_defaite_sqlite(base):
    facturer_puis_defaire(base)
    facturer_puis_defaire(base)  # twice: the same ids and numbers are taken again


@pytest.mark.skipif(not PG_URL, reason="GUICHET_TEST_PG_URL absent : pas de PostgreSQL")
def test_facturation_defaite_postgresql():
    from data.demo import construire_demo

    nom = "guichet_test_bench"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connexion:
        connexion.execute(text(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)'))
        connexion.execute(text(f'CREATE DATABASE "{nom}"'))
    adresse = _url_pg(nom)
    try:
        engine = creer_engine(adresse)
        migrer(engine)
        construire_demo(engine, familles=FAMILLES_TEST, graine=0, reference=REFERENCE)
        engine.dispose()
        facturer_puis_defaire(adresse)
        facturer_puis_defaire(adresse)
    finally:
        with admin.connect() as connexion:
            connexion.execute(text(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)'))
        admin.dispose()
