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


def avoir_une_famille(adresse: str) -> None:
    """A family of régie 1 with a credit: billing letters it to the new invoice
    (affectation rows the undo must remove too)."""
    from modele.base import Contexte
    from modele.db import session
    from modele.reglements import credit_disponible, encaisser, solde
    from modele.tables.reglements import ModeReglement

    engine = creer_engine(adresse)
    connexion = Brute(adresse)
    # a family the run bills (a billable cell of November not billed yet)
    famille = connexion.execute(
        "SELECT e.famille_id FROM consommation c JOIN enfant e ON e.id = c.enfant_id "
        "WHERE c.jour >= ? AND c.jour <= ? AND NOT c.gratuit AND c.etat IN (?, ?) AND NOT "
        "EXISTS (SELECT 1 FROM jourfacture j WHERE j.consommation_id = c.id) "
        "ORDER BY e.famille_id LIMIT 1",
        (*(j.isoformat() for j in NOVEMBRE), "reserve", "present"),
    ).fetchone()[0]
    connexion.close()
    with session(engine) as s:
        contexte = Contexte.systeme("essai", aujourdhui=REFERENCE)
        encaisser(
            s,
            contexte,
            famille,
            1,
            max(solde(s, famille), 0) + 20_000,
            ModeReglement.ESPECES,
            REFERENCE,
            garder_en_avoir=True,
        )
        s.commit()
        assert credit_disponible(s, famille, 1) > 0
    engine.dispose()


def facturer_puis_defaire(adresse: str) -> None:
    avant = contenu(adresse)
    etat_avant = etat(adresse)
    _duree, factures, _lignes = facturer(adresse, *NOVEMBRE, dt.date(2026, 12, 5))
    assert factures > 0
    apres = contenu(adresse)
    assert apres["affectation"] != avant["affectation"]  # the credit was lettered
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
    avoir_une_famille(base)
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
        avoir_une_famille(adresse)
        facturer_puis_defaire(adresse)
        facturer_puis_defaire(adresse)
    finally:
        with admin.connect() as connexion:
            connexion.execute(text(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)'))
        admin.dispose()
