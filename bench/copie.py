"""A SQLite base copied into an empty PostgreSQL database, fast: the 50,000-family base in
minutes where the demo generator on PostgreSQL takes hours (issue #18).

    python -m bench.copie --base /tmp/copie-grand.db --db postgresql+psycopg://…/guichet

1. The schema is the migrations' (`migrer`: alembic upgrade to head on the empty database),
   never the SQLite file's.
2. In one transaction: the foreign keys, primary keys, unique constraints and indexes the
   migrations made are noted (`pg_get_constraintdef`, `pg_indexes`) and dropped; every table
   emptied (TRUNCATE: with `wal_level = minimal` the rows then go to disk without WAL); each
   table's rows streamed from sqlite3 into `COPY … FROM STDIN` (text format: the server
   parses SQLite's text dates, 0/1 booleans and JSON text as the column's type); then the
   keys and indexes made again from their own definitions, foreign keys last (each checked
   against the whole table as it is added, so a row without its parent stops the copy).
3. Each id sequence set so that its next value is max(id) + 1; `VACUUM (FREEZE, ANALYZE)`
   (statistics, visibility map, no hint bits left to write by the first reads).
4. Checked: per table, the row count and an order-free digest of the rows as the app reads
   them (SQLAlchemy's types on each engine, so a SQLite text date and a PostgreSQL date
   compare equal) are the same on both sides; the two sides are read in two processes.

`copier()` is what `python -m bench.construire --db URL --depuis FICHIER.db` runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sqlite3
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.moteur import libpq

MASQUE = (1 << 64) - 1


def _tables() -> list:
    """The models' tables, parents first."""
    from sqlmodel import SQLModel

    import modele  # noqa: F401  (every table registered)

    return list(SQLModel.metadata.sorted_tables)


def _normal(valeur: object) -> object:
    """One value as both engines' reads give it alike (JSON with its keys sorted)."""
    if isinstance(valeur, dt.date | dt.time):  # datetime too
        return valeur.isoformat()
    if isinstance(valeur, dict | list):
        return json.dumps(valeur, sort_keys=True)
    return valeur


def empreintes(url: str) -> dict[str, tuple[int, str]]:
    """Per table: its row count and the sum (mod 2^64) of its rows' md5, each row read
    through SQLAlchemy with the models' types; the order of the rows does not count."""
    from sqlalchemy import select

    from modele.db import creer_engine

    engine = creer_engine(url)
    resultat = {}
    with engine.connect() as connexion:
        for table in _tables():
            somme = nombre = 0
            lignes = connexion.execution_options(yield_per=20_000).execute(select(table))
            for ligne in lignes:
                cle = repr(tuple(_normal(v) for v in ligne)).encode()
                somme += int.from_bytes(hashlib.md5(cle).digest()[:8], "little")
                nombre += 1
            resultat[table.name] = (nombre, f"{somme & MASQUE:016x}")
    engine.dispose()
    return resultat


def comparer(url_sqlite: str, url_pg: str) -> tuple[dict, list[str]]:
    """Both sides' digests (read at once, one process each) and the tables that differ."""
    with ProcessPoolExecutor(2) as executeur:
        a = executeur.submit(empreintes, url_sqlite)
        b = executeur.submit(empreintes, url_pg)
        source, cible = a.result(), b.result()
    differentes = [t for t in source if source[t] != cible.get(t)]
    return source, differentes


_CONTRAINTES = """
SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
WHERE n.nspname = 'public' AND c.contype IN ('p', 'u', 'f') AND c.conrelid <> 0
ORDER BY c.conrelid::regclass::text, c.conname
"""
_INDEX = """
SELECT i.indexname, i.indexdef FROM pg_indexes i
WHERE i.schemaname = 'public' AND NOT EXISTS (
    SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.indexname))::regclass
    AND c.contype IN ('p', 'u', 'x'))
ORDER BY i.indexname
"""


def copier(
    fichier: Path | str,
    url: str,
    dire: Callable[[str], None] = print,
    verifier: bool = True,
) -> dict:
    """The SQLite file's rows into the PostgreSQL database at `url` (empty, or migrated and
    empty); returns the steps' times and, if `verifier`, the tables' counts. Raises
    SystemExit if a table differs after the copy."""
    import psycopg
    from psycopg import sql

    from modele.db import REVISION_COURANTE, creer_engine, migrer
    from tui.config import url_sqlite

    temps: dict[str, float] = {}
    source = sqlite3.connect(f"file:{Path(fichier).resolve()}?mode=ro", uri=True)
    revision = source.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    if revision != REVISION_COURANTE:
        raise SystemExit(
            f"{fichier} est au schéma {revision}, pas {REVISION_COURANTE} : ouvrez-le d'abord "
            "avec l'application (migration)."
        )
    depart = time.perf_counter()
    engine = creer_engine(url)
    migrer(engine)  # alembic upgrade head: the server's own schema
    engine.dispose()
    temps["schema_s"] = time.perf_counter() - depart
    tables = _tables()
    with psycopg.connect(libpq(url)) as cible:
        cible.execute("SET maintenance_work_mem = '1GB'")
        contraintes = cible.execute(_CONTRAINTES).fetchall()
        index = cible.execute(_INDEX).fetchall()
        for genre in ("f", "u", "p"):  # foreign keys before the keys they point at
            for table, nom, _definition, type_ in contraintes:
                if type_ == genre:
                    cible.execute(
                        sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                            sql.Identifier(table), sql.Identifier(nom)
                        )
                    )
        for nom, _definition in index:
            cible.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(nom)))
        cible.execute(
            sql.SQL("TRUNCATE {}").format(
                sql.SQL(", ").join(sql.Identifier(t.name) for t in tables)
            )
        )
        depart = time.perf_counter()
        lignes_total = 0
        for table in tables:
            debut = time.perf_counter()
            colonnes_pg = [
                r[0]
                for r in cible.execute(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position",
                    (table.name,),
                )
            ]
            colonnes_sqlite = [r[1] for r in source.execute(f'PRAGMA table_info("{table.name}")')]
            if sorted(colonnes_pg) != sorted(colonnes_sqlite):
                raise SystemExit(
                    f"{table.name} : colonnes différentes\n  SQLite {colonnes_sqlite}\n"
                    f"  PostgreSQL {colonnes_pg}"
                )
            liste = sql.SQL(", ").join(sql.Identifier(c) for c in colonnes_pg)
            lecture = source.execute(
                f"SELECT {', '.join(chr(34) + c + chr(34) for c in colonnes_pg)} "
                f'FROM "{table.name}"'
            )
            nombre = 0
            with cible.cursor().copy(
                sql.SQL("COPY {} ({}) FROM STDIN").format(sql.Identifier(table.name), liste)
            ) as copie:
                while lot := lecture.fetchmany(10_000):
                    for ligne in lot:
                        copie.write_row(ligne)
                    nombre += len(lot)
            lignes_total += nombre
            if nombre:
                dire(f"  {table.name} : {nombre:,} lignes en {time.perf_counter() - debut:.1f} s")
        temps["lignes"] = lignes_total
        temps["copie_s"] = time.perf_counter() - depart
        depart = time.perf_counter()
        for genre in ("p", "u"):
            for table, nom, definition, type_ in contraintes:
                if type_ == genre:
                    cible.execute(
                        sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} ").format(
                            sql.Identifier(table), sql.Identifier(nom)
                        )
                        + sql.SQL(definition)
                    )
        for _nom, definition in index:
            debut = time.perf_counter()
            cible.execute(sql.SQL(definition))
            if time.perf_counter() - debut > 5:
                dire(f"  {_nom} : {time.perf_counter() - debut:.0f} s")
        temps["index_s"] = time.perf_counter() - depart
        depart = time.perf_counter()
        for table, nom, definition, type_ in contraintes:
            if type_ == "f":
                cible.execute(
                    sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} ").format(
                        sql.Identifier(table), sql.Identifier(nom)
                    )
                    + sql.SQL(definition)
                )
        temps["cles_etrangeres_s"] = time.perf_counter() - depart
        # Each id sequence: its next value is max(id) + 1 (1 on an empty table).
        for table in tables:
            if "id" in table.c:
                cible.execute(
                    sql.SQL(
                        "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                        "COALESCE((SELECT max(id) FROM {}), 0) + 1, false)"
                    ).format(sql.Identifier(table.name)),
                    (table.name,),
                )
        cible.commit()
        # Every constraint and index back as the migrations made them.
        assert sorted(cible.execute(_CONTRAINTES).fetchall()) == sorted(contraintes)
        assert sorted(cible.execute(_INDEX).fetchall()) == sorted(index)
    source.close()
    depart = time.perf_counter()
    with psycopg.connect(libpq(url), autocommit=True) as cible:
        # The statistics, and the rows frozen with their visibility map set: the first reads
        # do not write hint bits, index-only scans work, autovacuum has nothing to catch up.
        cible.execute("SET maintenance_work_mem = '1GB'")
        cible.execute("VACUUM (FREEZE, ANALYZE)")
    temps["analyse_s"] = time.perf_counter() - depart
    if verifier:
        depart = time.perf_counter()
        comptes, differentes = comparer(url_sqlite(Path(fichier).resolve()), url)
        temps["verification_s"] = time.perf_counter() - depart
        if differentes:
            raise SystemExit(f"Tables différentes après la copie : {', '.join(differentes)}")
        temps["tables"] = {t: n for t, (n, _e) in comptes.items()}
    return temps


def main() -> None:
    analyseur = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analyseur.add_argument("--base", required=True, help="the SQLite file (read only)")
    analyseur.add_argument("--db", required=True, help="postgresql+psycopg://… (empty)")
    analyseur.add_argument("--sans-verification", action="store_true")
    args = analyseur.parse_args()
    debut = time.perf_counter()
    temps = copier(args.base, args.db, verifier=not args.sans_verification)
    print(json.dumps(temps, indent=1), file=sys.stderr)
    print(f"copie faite en {time.perf_counter() - debut:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
