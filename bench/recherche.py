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

Without a server (`--sans-pg`), SQLite alone, e.g. at 50,000 families (issue #23's first
keys): `python -m bench.recherche --familles 50000 --sans-pg` writes
bench/recherche-50000.json, with `rechercher()` timed apart for the first letter, the
second and third, and the whole surname (its CPU time too: the machine is shared).
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


def construire(base: Path, familles: int, url_pg: str) -> tuple[str, ...]:
    """The SQLite file (built unless it holds the families already) and its copy on the
    server (none without `url_pg`); their URLs."""
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
    migrer(sqlite)  # a file built by an older version: its indexes brought up to date
    if not url_pg:
        sqlite.dispose()
        return (url_s,)
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


CLASSES = ("lettre", "debut", "nom")  # the first letter, the 2nd and 3rd, the whole surname


def fonction_seule(
    url: str, familles: list, serie: Serie, tours: int = 3, classes: dict | None = None
) -> None:
    """`rechercher()` alone, same prefixes (no screen); `classes`: also by kind of input
    (CLASSES, then the same with "_cpu": the process's CPU time), the whole surname too."""
    from modele.db import creer_engine, session
    from modele.recherche import rechercher

    moteur = creer_engine(url)
    with session(moteur) as s:
        rechercher(s, "x")
        for _ in range(tours):
            for _fid, _numero, nom in familles:
                for n in range(1, 6):
                    cpu, debut = time.process_time(), time.perf_counter()
                    rechercher(s, nom[:n])
                    duree = time.perf_counter() - debut
                    serie.valeurs.append(duree)
                    if classes is not None and n <= 3:
                        classe = "lettre" if n == 1 else "debut"
                        classes[classe].valeurs.append(duree)
                        classes[f"{classe}_cpu"].valeurs.append(time.process_time() - cpu)
                if classes is not None:
                    cpu, debut = time.process_time(), time.perf_counter()
                    rechercher(s, nom)
                    classes["nom"].valeurs.append(time.perf_counter() - debut)
                    classes["nom_cpu"].valeurs.append(time.process_time() - cpu)
    moteur.dispose()


def plan(url: str, saisie: str) -> str:
    """The plans of a one-word search's statements for `saisie` on that engine: the
    surnames' tiers, the other levels (letters), and a digit's dense tier read in name
    order (modele.recherche._classer_mot)."""
    from sqlalchemy import text

    from modele.db import creer_engine
    from modele.recherche import AUTRE, CONJOINT, NOM, PRENOM, _groupe, _palier, termes_requete

    moteur = creer_engine(url)
    mot = termes_requete(saisie)[0]
    nom = moteur.dialect.name
    sortie = []
    valeurs = {"mot": mot, "fin": mot + "\uffff", "limite": 50}
    chiffres = {"mot": "06", "fin": "06\uffff", "limite": 50, "exclues": [1, 2], "motif": "%06%"}
    for titre, requete in (
        ("the surnames, typed whole or started", _groupe((NOM,), False, nom).params(valeurs)),
        (
            "first names, conjoints, the rest",
            _groupe((PRENOM, CONJOINT, AUTRE), True, nom).params(valeurs, exclues=[1]),
        ),
        (
            "a digit's dense tier, in name order",
            _palier(AUTRE, True, nom, True, False).params(chiffres),
        ),
    ):
        sql = str(requete.compile(moteur, compile_kwargs={"literal_binds": True}))
        with moteur.connect() as connexion:
            if nom == "sqlite":
                lignes = [r[3] for r in connexion.execute(text("EXPLAIN QUERY PLAN " + sql))]
            else:
                lignes = [r[0] for r in connexion.execute(text("EXPLAIN " + sql))]
        sortie += [f"-- {titre}", *lignes]
    moteur.dispose()
    return "\n".join(sortie)


def section_sqlite(resultat: dict) -> list[str]:
    """RESULTS.md's section for a run on SQLite alone (--sans-pg)."""
    from bench.__main__ import cellule

    s = {serie["nom"]: serie for serie in resultat["series"]}
    lignes = [
        f"## Search keystroke on SQLite at {resultat['familles']:,} families (issue #23)",
        "",
        f"Run on {resultat['date']} with `{resultat['commande']}` (load average "
        f"{resultat['charge_avant']:.1f} at the start, {resultat['charge_apres']:.1f} at the "
        "end): the demo's families without their planning or invoices, 12 surnames typed "
        "letter by letter in the real app (2 passes); `rechercher()` alone on the same "
        "inputs and the whole surnames, wall time and CPU time (the CPU time is what the "
        "shared machine's load inflates least).",
        "",
        "| path | measured | CPU time | floor | / floor | budget |",
        "|---|---|---|---|---|---|",
        f"| search keystroke → results shown | {cellule(s['frappe_sqlite'])} | | "
        f"{cellule(s['recherche_nue'])} | "
        f"{s['frappe_sqlite']['mediane'] / s['recherche_nue']['mediane']:.2f} | "
        "≤ 30 ms, ≤ 0.3 × floor |",
    ]
    for classe, libelle in zip(
        CLASSES, ("first letter", "2nd and 3rd letters", "whole surname"), strict=True
    ):
        if f"fonction_{classe}" in s:
            lignes.append(
                f"| `rechercher()`, {libelle} | {cellule(s[f'fonction_{classe}'])} | "
                f"{cellule(s[f'fonction_{classe}_cpu'])} | | | |"
            )
    return [
        *lignes,
        "",
        f"The statements' plans for « {resultat['saisie_plan']} »:",
        "",
        "```",
        resultat["plan_sqlite"],
        "```",
    ]


def section(resultat: dict) -> list[str]:
    """RESULTS.md's section for this benchmark."""
    from bench.__main__ import cellule

    s = {serie["nom"]: serie for serie in resultat["series"]}
    if "frappe_postgresql" not in s:
        return section_sqlite(resultat)

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
    analyseur.add_argument("--sans-pg", action="store_true", help="SQLite alone")
    analyseur.add_argument("--echantillons", type=int, default=12)
    analyseur.add_argument("--sortie", default=None, help="the JSON written")
    args = analyseur.parse_args()
    if args.sans_pg:
        args.pg = ""
    elif not args.pg:
        raise SystemExit("--pg URL (or GUICHET_TEST_PG_URL), or --sans-pg")
    os.environ.setdefault("TEXTUAL_CURSOR_BLINK", "0")
    os.environ["TEXTUAL_ANIMATIONS"] = "none"
    os.environ["TEXTUAL_FPS"] = "120"
    os.environ["GUICHET_VERROUILLAGE_MINUTES"] = "0"
    base = Path(args.base or f"/tmp/recherche-{args.familles}.db")
    urls = dict(
        zip(("sqlite", "postgresql"), construire(base, args.familles, args.pg), strict=False)
    )
    familles = echantillons(urls["sqlite"], args.echantillons)
    charge_avant = os.getloadavg()[0]
    series = {f"{q}_{m}": Serie(f"{q}_{m}") for q in ("frappe", "fonction") for m in urls}
    classes = None
    if len(urls) == 1:
        classes = {
            f"{c}{cpu}": Serie(f"fonction_{c}{cpu}") for c in CLASSES for cpu in ("", "_cpu")
        }
    for _passe in range(2):
        for moteur, url in urls.items():
            asyncio.run(frappes(url, familles, series[f"frappe_{moteur}"]))
            fonction_seule(url, familles, series[f"fonction_{moteur}"], classes=classes)
    for serie in (classes or {}).values():
        series[serie.nom] = serie
    from bench.ecrans import mesurer_nue

    series.update(asyncio.run(mesurer_nue(familles)))
    saisie_plan = familles[0][2][:3].lower()
    resultat = {
        "familles": args.familles,
        "date": f"{dt.datetime.now():%Y-%m-%d %H:%M}",
        "commande": (
            f"python -m bench.recherche --familles {args.familles} --sans-pg"
            if args.sans_pg
            else "bash -c '. .ci/postgres.sh; pg_demarrer; python -m bench.recherche "
            f"--familles {args.familles}'"
        ),
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
    sortie = args.sortie or ICI / (
        f"recherche-{args.familles}.json" if args.sans_pg else "recherche.json"
    )
    Path(sortie).write_text(json.dumps(resultat, indent=1, ensure_ascii=False))
    print("\n".join(section(resultat)))


if __name__ == "__main__":
    main()
