"""Build the big base with the demo generator and note how long it took and its size
(bench/construction.json, read by `python -m bench` for RESULTS.md; with --db, on a
PostgreSQL server, bench/construction-postgresql.json, read for RESULTS-postgresql.md).

    python -m bench.construire [--familles 50000] [--base /tmp/grand.db]
    python -m bench.construire --db postgresql+psycopg://… [--familles N] [--dump F.pgdump]

With --dump, the built base is kept with `pg_dump -Fc` in that file, and a later run whose
dump file exists restores it (`pg_restore`, a few minutes) instead of building again (the
build takes about three times as long as on SQLite): a throwaway cluster is gone with its
folder, its dump is not. The restore records nothing.

With --depuis FICHIER.db (and --db), the base is not generated but copied from that SQLite
base (`bench.copie`: the migrations' schema, each table's rows by COPY, keys and indexes made
again after, the tables checked equal): the 50,000-family base in minutes where the generator
takes hours. Give it a copy of /tmp/grand.db, never the file itself (it is only read, but the
machine's other sessions use it).

    python -m bench.construire --db URL --depuis /tmp/NOM-grand.db --dump F.pgdump
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

from bench.mesure import machine
from bench.moteur import Brute, libpq

ICI = Path(__file__).resolve().parent


def restaurer(url: str, dump: str) -> None:
    """The base of an earlier build, from its dump, into the URL's database (emptied)."""
    depart = time.perf_counter()
    subprocess.run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "-d", libpq(url), dump],
        check=True,
    )
    connexion = Brute(url)
    connexion.execute("VACUUM (FREEZE, ANALYZE)")  # as bench.copie leaves a base
    familles = connexion.execute("SELECT count(*) FROM famille").fetchone()[0]
    connexion.close()
    print(f"{dump} restauré : {familles} familles, en {time.perf_counter() - depart:.0f} s")


def garder(url: str, dump: str) -> None:
    """The built base kept in `dump` (pg_dump -Fc), to be restored by a later run."""
    subprocess.run(["pg_dump", "-Fc", "-f", dump, libpq(url)], check=True, cwd=ICI.parent)


def depuis(args: argparse.Namespace) -> None:
    """The base copied from a SQLite file (bench.copie), noted as a build."""
    from bench.copie import copier

    lignes: list[str] = []

    def dire(texte: str) -> None:
        print(texte, file=sys.stderr)
        lignes.append(texte)

    depart = time.perf_counter()
    temps = copier(args.depuis, args.db, dire=dire)
    duree = time.perf_counter() - depart
    dire(
        f"Copie de {args.depuis} : schéma {temps['schema_s']:.0f} s, {temps['lignes']:,} lignes "
        f"par COPY {temps['copie_s']:.0f} s, clés et index {temps['index_s']:.0f} s, clés "
        f"étrangères {temps['cles_etrangeres_s']:.0f} s, ANALYZE {temps['analyse_s']:.0f} s, "
        f"tables vérifiées égales (nombre et empreinte) {temps['verification_s']:.0f} s"
    )
    connexion = Brute(args.db)
    taille = connexion.taille()
    familles = connexion.execute("SELECT count(*) FROM famille").fetchone()[0]
    connexion.close()
    if args.dump:
        debut = time.perf_counter()
        garder(args.db, args.dump)
        dire(
            f"{args.dump} : {Path(args.dump).stat().st_size / 1e9:.2f} Go, en "
            f"{time.perf_counter() - debut:.0f} s"
        )
    resultat = {
        "familles": familles,
        "base": args.db,
        "depuis": args.depuis,
        "date": args.date,
        "duree_s": round(duree, 1),
        "taille_octets": taille,
        "etapes": {k: v for k, v in temps.items() if k != "tables"},
        "tables": temps["tables"],
        "sortie": "\n".join(lignes),
        "construite_le": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": machine(),
    }
    (ICI / "construction-postgresql.json").write_text(
        json.dumps(resultat, ensure_ascii=False, indent=2)
    )
    print(json.dumps({k: v for k, v in resultat.items() if k not in ("sortie", "tables")}))


def main() -> None:
    analyseur = argparse.ArgumentParser()
    analyseur.add_argument("--familles", type=int, default=50_000)
    analyseur.add_argument("--base", default="/tmp/grand.db")
    analyseur.add_argument("--db", help="a PostgreSQL URL instead of --base")
    analyseur.add_argument("--dump", help="with --db: pg_dump -Fc the built base to this file")
    analyseur.add_argument("--date", default="2026-11-27")
    analyseur.add_argument("--depuis", help="with --db: copy this SQLite base instead")
    args = analyseur.parse_args()
    base = ["--db", args.db] if args.db else ["--base", args.base]
    if args.db and args.dump and Path(args.dump).exists():
        restaurer(args.db, args.dump)
        return
    if args.depuis:
        if not args.db:
            analyseur.error("--depuis va avec --db")
        depuis(args)
        return
    depart = time.perf_counter()
    sortie = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from tui.cli import main; sys.exit(main())",
            "demo",
            "--familles",
            str(args.familles),
            *base,
            "--date",
            args.date,
            "--remplacer",
        ],
        capture_output=True,
        text=True,
        cwd=ICI.parent,
    )
    duree = time.perf_counter() - depart
    print(sortie.stdout, sortie.stderr, file=sys.stderr)
    sortie.check_returncode()
    if args.db:
        connexion = Brute(args.db)
        taille = connexion.taille()
        connexion.close()
        if args.dump:
            garder(args.db, args.dump)
    else:
        taille = Path(args.base).stat().st_size
    resultat = {
        "familles": args.familles,
        "base": args.db or args.base,
        "date": args.date,
        "duree_s": round(duree, 1),
        "taille_octets": taille,
        # the steps' lines (stderr, plain in a pipe: each with its count and time), then
        # the summary
        "sortie": f"{sortie.stderr.strip()}\n{sortie.stdout.strip()}".strip(),
        "construite_le": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": machine(),
    }
    nom = "construction-postgresql.json" if args.db else "construction.json"
    (ICI / nom).write_text(json.dumps(resultat, ensure_ascii=False, indent=2))
    print(json.dumps({k: v for k, v in resultat.items() if k != "sortie"}, ensure_ascii=False))


if __name__ == "__main__":
    main()
