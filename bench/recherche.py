"""The search keystroke on SQLite and on PostgreSQL, on the same families (issue #23).

    bash -c '. .ci/postgres.sh; pg_demarrer; python -m bench.recherche --familles 5000'

The demo's families (`construire_demo(familles_seules=True)`: people, children, phones, the
search index; no planning or invoices, so each balance is read but is zero) are built in a
SQLite file, then copied row for row into a PostgreSQL database of their own
(`data.copie.copier_base`, analysed). Then, in one run:
- the real app's search keystroke, as bench/ecrans.py times it (key → last frame), names
  typed letter by letter, on each engine in turn, twice (the machine's load drifts);
- the floor of bench/ecrans.py (a bare Input + DataTable refill 50×6), same harness;
- `rechercher()` alone on each engine, same prefixes;
- the ranking query's plan on each engine (EXPLAIN), which must read the index.
Writes bench/recherche.json; `python -m bench` copies its section into RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

from bench.mesure import Serie, machine

ICI = Path(__file__).resolve().parent
JOUR = dt.date(2026, 11, 27)


def construire(base: Path, familles: int, url_pg: str) -> tuple[str, str]:
    """The SQLite file (built unless it holds the families already) and its copy on the
    server; their URLs."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from data.copie import copier_base
    from data.demo import construire_demo
    from modele.db import creer_engine, migrer
    from tui.config import url_sqlite

    url_s = url_sqlite(base)
    sqlite = creer_engine(url_s)
    with sqlite.connect() as connexion:
        tables = connexion.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE name = 'trirecherche'"
        ).scalar()
        nombre = tables and connexion.exec_driver_sql("SELECT count(*) FROM famille").scalar()
    if nombre != familles + 2:  # the two seed families
        sqlite.dispose()
        for suffixe in ("", "-wal", "-shm"):
            Path(f"{base}{suffixe}").unlink(missing_ok=True)
        sqlite = creer_engine(url_s)
        migrer(sqlite)
        debut = time.perf_counter()
        construire_demo(sqlite, familles=familles, graine=0, reference=JOUR, familles_seules=True)
        print(f"SQLite : {time.perf_counter() - debut:.0f} s", file=sys.stderr)
    nom = f"guichet_bench_recherche_{familles}"
    admin = create_engine(url_pg, isolation_level="AUTOCOMMIT")
    with admin.connect() as connexion:
        connexion.execute(text(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)'))
        connexion.execute(text(f'CREATE DATABASE "{nom}"'))
    admin.dispose()
    url_p = make_url(url_pg).set(database=nom).render_as_string(hide_password=False)
    postgresql = creer_engine(url_p)
    migrer(postgresql)
    debut = time.perf_counter()
    copier_base(sqlite, postgresql)
    print(f"copie PostgreSQL : {time.perf_counter() - debut:.0f} s", file=sys.stderr)
    sqlite.dispose()
    postgresql.dispose()
    return url_s, url_p


def echantillons(url: str, nombre: int) -> list[tuple[int, str, str]]:
    """Responsables' surnames to type (letters only, 4 or more), drawn with a fixed seed."""
    from sqlalchemy import text

    from modele.db import creer_engine

    moteur = creer_engine(url)
    with moteur.connect() as connexion:
        lignes = connexion.execute(
            text(
                "SELECT f.id, f.numero, r.nom FROM famille f JOIN responsable r "
                "ON r.famille_id = f.id AND r.role = 'responsable' ORDER BY f.id"
            )
        ).all()
    moteur.dispose()
    candidats = [tuple(ligne) for ligne in lignes if ligne[2].isalpha() and len(ligne[2]) >= 4]
    return random.Random(0).sample(candidats, nombre)


async def frappes(url: str, familles: list, serie: Serie) -> None:
    """The real app: each name typed letter by letter, one latency per key."""
    from bench.ecrans import connecter
    from tui.app import GuichetApp
    from tui.config import Reglages

    app = GuichetApp(Reglages(db_url=url, date_fixe=JOUR), None)
    async with app.run_test(size=(120, 40)) as pilot:
        images = await connecter(app, pilot)
        saisie = app.screen.query_one("#saisie-recherche")
        for _fid, _numero, nom in familles:
            saisie.value = ""
            await images.calme(time.perf_counter())
            for lettre in nom[:5].lower():
                serie.valeurs.append(await images.latence(pilot, lettre))


def fonction_seule(url: str, familles: list, serie: Serie, tours: int = 3) -> None:
    """`rechercher()` alone, same prefixes (no screen)."""
    from modele.db import creer_engine, session
    from modele.recherche import rechercher

    moteur = creer_engine(url)
    with session(moteur) as s:
        rechercher(s, "x")
        for _ in range(tours):
            for _fid, _numero, nom in familles:
                for n in range(1, 6):
                    debut = time.perf_counter()
                    rechercher(s, nom[:n])
                    serie.valeurs.append(time.perf_counter() - debut)
    moteur.dispose()


def plan(url: str, saisie: str) -> str:
    """The ranking query's plan for `saisie` on that engine."""
    from sqlalchemy import text

    from modele.db import creer_engine
    from modele.recherche import requete_classee

    moteur = creer_engine(url)
    requete = requete_classee(saisie, moteur.dialect.name)
    sql = str(requete.compile(moteur, compile_kwargs={"literal_binds": True}))
    with moteur.connect() as connexion:
        if moteur.dialect.name == "sqlite":
            lignes = [r[3] for r in connexion.execute(text("EXPLAIN QUERY PLAN " + sql))]
        else:
            lignes = [r[0] for r in connexion.execute(text("EXPLAIN " + sql))]
    moteur.dispose()
    return "\n".join(lignes)


def section(resultat: dict) -> list[str]:
    """RESULTS.md's section for this benchmark."""
    from bench.__main__ import cellule

    s = {serie["nom"]: serie for serie in resultat["series"]}

    def rapport(a: str, b: str, cle: str = "mediane") -> str:
        return f"{s[a][cle] / s[b][cle]:.2f}"

    return [
        f"## Search keystroke: PostgreSQL beside SQLite ({resultat['familles']:,} families)",
        "",
        f"Run on {resultat['date']} with `{resultat['commande']}` (load average "
        f"{resultat['charge_avant']:.1f} at the start, {resultat['charge_apres']:.1f} at the "
        "end). The same families on both engines (the demo's families without their planning "
        "or invoices: balances are read, almost all zero); 2 passes of each engine in turn.",
        "",
        "| path | SQLite | PostgreSQL | PostgreSQL / SQLite (median, p90) | budget |",
        "|---|---|---|---|---|",
        f"| search keystroke → results shown | {cellule(s['frappe_sqlite'])} | "
        f"{cellule(s['frappe_postgresql'])} | **{rapport('frappe_postgresql', 'frappe_sqlite')}**"
        f", {rapport('frappe_postgresql', 'frappe_sqlite', 'p90')} | ≤ 1.2 |",
        f"| `rechercher()` alone | {cellule(s['fonction_sqlite'])} | "
        f"{cellule(s['fonction_postgresql'])} | "
        f"{rapport('fonction_postgresql', 'fonction_sqlite')}, "
        f"{rapport('fonction_postgresql', 'fonction_sqlite', 'p90')} | |",
        "",
        f"Floor (same run): bare Input + DataTable refill 50×6 {cellule(s['recherche_nue'])}; "
        f"keystroke / floor: SQLite {rapport('frappe_sqlite', 'recherche_nue')}, "
        f"PostgreSQL {rapport('frappe_postgresql', 'recherche_nue')} (budget ≤ 0.3 at "
        "50,000 families, see above).",
        "",
        f"The ranking query's plan for « {resultat['saisie_plan']} » on PostgreSQL:",
        "",
        "```",
        resultat["plan_postgresql"],
        "```",
        "",
        "and on SQLite:",
        "",
        "```",
        resultat["plan_sqlite"],
        "```",
    ]


def main() -> None:
    analyseur = argparse.ArgumentParser()
    analyseur.add_argument("--familles", type=int, default=5000)
    analyseur.add_argument("--base", default=None, help="SQLite file (built if needed)")
    analyseur.add_argument("--pg", default=os.environ.get("GUICHET_TEST_PG_URL", ""))
    analyseur.add_argument("--echantillons", type=int, default=12)
    args = analyseur.parse_args()
    if not args.pg:
        raise SystemExit("--pg URL (or GUICHET_TEST_PG_URL): the PostgreSQL server to use")
    os.environ.setdefault("TEXTUAL_CURSOR_BLINK", "0")
    os.environ["TEXTUAL_ANIMATIONS"] = "none"
    os.environ["TEXTUAL_FPS"] = "120"
    os.environ["GUICHET_VERROUILLAGE_MINUTES"] = "0"
    base = Path(args.base or f"/tmp/recherche-{args.familles}.db")
    urls = dict(
        zip(("sqlite", "postgresql"), construire(base, args.familles, args.pg), strict=True)
    )
    familles = echantillons(urls["sqlite"], args.echantillons)
    charge_avant = os.getloadavg()[0]
    series = {f"{q}_{m}": Serie(f"{q}_{m}") for q in ("frappe", "fonction") for m in urls}
    for _passe in range(2):
        for moteur, url in urls.items():
            asyncio.run(frappes(url, familles, series[f"frappe_{moteur}"]))
            fonction_seule(url, familles, series[f"fonction_{moteur}"])
    from bench.ecrans import mesurer_nue

    series.update(asyncio.run(mesurer_nue(familles)))
    saisie_plan = familles[0][2][:3].lower()
    resultat = {
        "familles": args.familles,
        "date": f"{dt.datetime.now():%Y-%m-%d %H:%M}",
        "commande": "bash -c '. .ci/postgres.sh; pg_demarrer; python -m bench.recherche "
        f"--familles {args.familles}'",
        "charge_avant": charge_avant,
        "charge_apres": os.getloadavg()[0],
        "machine": machine(),
        "series": [
            serie.resume()
            for nom, serie in series.items()
            if nom.startswith(("frappe", "fonction", "recherche_nue"))
        ],
        "saisie_plan": saisie_plan,
        **{f"plan_{m}": plan(url, saisie_plan) for m, url in urls.items()},
    }
    (ICI / "recherche.json").write_text(json.dumps(resultat, indent=1, ensure_ascii=False))
    print("\n".join(section(resultat)))


if __name__ == "__main__":
    main()
