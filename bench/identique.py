"""The same month billed by two versions of the code must leave the same base.

Two copies of a base; the month is billed on one by the code of a git revision (`--avant`,
extracted to a temporary folder) and on the other by this checkout, each in its own
process, with a fixed clock. Then every table of the two copies is compared row for row:
invoices, lines, numbers and sequences, the cells' links, the chain's links and hashes, the
journal, the lettering. Prints what differs; exit code 1 if anything does.

SQLite: two copies of the file, compared both ways with `EXCEPT` on attached files.
PostgreSQL: two databases created from the one given as their template (nothing may be
connected to it), compared by each table's row count and an order-free sum of its rows'
hashes (rows as text), the differing rows listed for a table that differs; both are dropped
after.

    python -m bench.identique --base FICHIER.db [--avant main] [--mois 2026-11]
    python -m bench.identique --db postgresql+psycopg://…/modele [--avant main]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ICI = Path(__file__).resolve().parent.parent

# Run in each process: bill every régie with activities, in id order, one transaction each.
FACTURER = """
import datetime as dt, sys, time
from sqlmodel import select
from modele.base import Contexte
from modele.db import creer_engine, session
from modele.facturation import bornes_mois
from modele.reglements import facturer_mois
from modele.tables.planning import Activite
from tui.config import url_sqlite

base, mois, emission = sys.argv[1], sys.argv[2], dt.date.fromisoformat(sys.argv[3])
debut, fin = bornes_mois(*map(int, mois.split("-")))
instant = dt.datetime.combine(emission, dt.time(9, 30))
contexte = Contexte.systeme("facturer", aujourdhui=emission, horloge=lambda: instant)
engine = creer_engine(base if base.startswith("postgresql") else url_sqlite(base))
with session(engine) as s:
    regies = sorted(set(s.exec(select(Activite.regie_id)).all()))
total, duree = 0, 0.0
for regie in regies:
    with session(engine) as s:
        depart = time.perf_counter()
        total += len(facturer_mois(s, contexte, regie, debut, fin, emission))
        s.commit()
        duree += time.perf_counter() - depart
engine.dispose()
print(f"{total} factures, {duree:.2f} s")
"""


def facturer(code: Path, base: Path | str, mois: str, emission: str) -> str:
    sortie = subprocess.run(
        [sys.executable, "-c", FACTURER, str(base), mois, emission],
        cwd=code,
        env={**os.environ, "PYTHONPATH": str(code)},
        capture_output=True,
        text=True,
        check=False,
    )
    if sortie.returncode:
        raise SystemExit(f"La facturation a échoué ({code}) :\n{sortie.stderr}")
    return sortie.stdout.strip()


def extraire(revision: str, dossier: Path) -> Path:
    """The code of `revision` in `dossier` (git archive: nothing of the worktree changes)."""
    dossier.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ICI), "archive", revision], capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(dossier)], input=archive.stdout, check=True)
    return dossier


def differences(a: Path, b: Path) -> list[str]:
    """Per table, the rows of one copy missing from the other (both ways)."""
    connexion = sqlite3.connect(a)
    connexion.execute("ATTACH DATABASE ? AS autre", (str(b),))
    tables = [
        nom
        for (nom,) in connexion.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    trouvees = []
    for table in tables:
        nombres = [
            connexion.execute(f'SELECT count(*) FROM {schema}."{table}"').fetchone()[0]
            for schema in ("main", "autre")
        ]
        seulement = [
            connexion.execute(
                f'SELECT count(*) FROM (SELECT * FROM {x}."{table}" '
                f'EXCEPT SELECT * FROM {y}."{table}")'
            ).fetchone()[0]
            for x, y in (("main", "autre"), ("autre", "main"))
        ]
        if nombres[0] != nombres[1] or any(seulement):
            exemples = [
                connexion.execute(
                    f'SELECT * FROM {x}."{table}" EXCEPT SELECT * FROM {y}."{table}" LIMIT 1'
                ).fetchone()
                for x, y in (("main", "autre"), ("autre", "main"))
            ]
            trouvees.append(
                f"{table}: {nombres[0]} / {nombres[1]} lignes, {seulement[0]} seulement avant, "
                f"{seulement[1]} seulement après (ex. avant {exemples[0]}, après {exemples[1]})"
            )
    connexion.close()
    return trouvees


def _psycopg(adresse: str, base: str | None = None):
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(adresse).set(drivername="postgresql")
    if base is not None:
        u = u.set(database=base)
    return psycopg.connect(u.render_as_string(hide_password=False), autocommit=True)


def _url_base(adresse: str, base: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(adresse).set(database=base).render_as_string(hide_password=False)


def differences_pg(a: str, b: str) -> list[str]:
    """differences() on two PostgreSQL databases (URLs): per table, count and an order-free
    checksum of the rows as text; for a table that differs, its rows both ways."""
    empreinte = (
        "SELECT count(*), coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint"
        "::numeric), 0) FROM {} t"
    )
    connexions = [_psycopg(a), _psycopg(b)]
    tables = [
        nom
        for (nom,) in connexions[0].execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
    ]
    trouvees = []
    for table in tables:
        resultats = [c.execute(empreinte.format(f'"{table}"')).fetchone() for c in connexions]
        if resultats[0] == resultats[1]:
            continue
        lignes = [
            Counter(r[0] for r in c.execute(f'SELECT t::text FROM "{table}" t')) for c in connexions
        ]
        avant, apres = lignes[0] - lignes[1], lignes[1] - lignes[0]
        exemple = next(iter(avant or apres), None)
        trouvees.append(
            f"{table}: {resultats[0][0]} / {resultats[1][0]} lignes, {sum(avant.values())} "
            f"seulement avant, {sum(apres.values())} seulement après (ex. {exemple})"
        )
    for c in connexions:
        c.close()
    return trouvees


def main_pg(args: argparse.Namespace) -> None:
    from sqlalchemy.engine import make_url

    modele = make_url(args.db).database
    serveur = _psycopg(args.db, "postgres")
    noms = {cote: f"{modele}_identique_{cote}" for cote in ("avant", "apres")}
    try:
        for nom in noms.values():
            serveur.execute(f'DROP DATABASE IF EXISTS "{nom}"')
            serveur.execute(f'CREATE DATABASE "{nom}" TEMPLATE "{modele}"')
        with tempfile.TemporaryDirectory(dir="/tmp") as dossier:
            code_avant = extraire(args.avant, Path(dossier) / "code")
            for cote, code in (("avant", code_avant), ("apres", ICI)):
                depart = time.perf_counter()
                resultat = facturer(code, _url_base(args.db, noms[cote]), args.mois, args.emission)
                print(
                    f"{cote} ({code}) : {resultat} ({time.perf_counter() - depart:.1f} s en tout)"
                )
        trouvees = differences_pg(
            _url_base(args.db, noms["avant"]), _url_base(args.db, noms["apres"])
        )
    finally:
        for nom in noms.values():
            serveur.execute(f'DROP DATABASE IF EXISTS "{nom}"')
        serveur.close()
    conclure(trouvees)


def conclure(trouvees: list[str]) -> None:
    if trouvees:
        print("Différences :")
        for ligne in trouvees:
            print(" ", ligne)
        raise SystemExit(1)
    print("Identiques : toutes les tables, ligne pour ligne.")


def main() -> None:
    analyseur = argparse.ArgumentParser()
    quelle = analyseur.add_mutually_exclusive_group(required=True)
    quelle.add_argument("--base", type=Path, help="a SQLite file")
    quelle.add_argument("--db", help="a PostgreSQL URL: the template of the two copies")
    analyseur.add_argument("--avant", default="main", help="git revision of the code before")
    analyseur.add_argument("--mois", default="2026-11")
    analyseur.add_argument("--emission", default="2026-12-05")
    args = analyseur.parse_args()
    if args.db:
        main_pg(args)
        return
    with tempfile.TemporaryDirectory(dir="/tmp") as nom:
        dossier = Path(nom)
        copies = {}
        for cote in ("avant", "apres"):
            copies[cote] = dossier / f"{cote}.db"
            source = sqlite3.connect(args.base)
            cible = sqlite3.connect(copies[cote])
            source.backup(cible)  # consistent even with a WAL beside the file
            cible.close()
            source.close()
        code_avant = extraire(args.avant, dossier / "code")
        for cote, code in (("avant", code_avant), ("apres", ICI)):
            depart = time.perf_counter()
            resultat = facturer(code, copies[cote], args.mois, args.emission)
            print(f"{cote} ({code}) : {resultat} ({time.perf_counter() - depart:.1f} s en tout)")
        trouvees = differences(copies["avant"], copies["apres"])
        shutil.rmtree(dossier / "code")
    conclure(trouvees)


if __name__ == "__main__":
    main()
