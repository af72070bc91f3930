"""The dashboard (F11) as the régisseur sees it: from the key to the frame that shows it, in
the real app on the big base (Textual's run_test, 120×40), timed as bench/ecrans.py times
the screens (METHODE.md).

Paths: opening the dashboard (every figure read: the month's fréquentation, the school
year's money, unpaid by age, QF brackets, the campaign, the pending requests), a month
change (PgSuiv / PgPréc: the month's fréquentation, the money when the school year
changes), a section shown (2, 3). Floors: pushing a bare 7-tab screen
(bench/nue.py, as "ouverture_nue"), and on the database the raw SQL of the figures
(the month's cells by activity and day, the invoices and payments of the year by month,
the QFs in force by family).

    python -m bench.tableau --base FICHIER.db | --db URL [--fois 12] [--parties app,nue,sql]
        [--sortie bench/tableau.json] [--profil FICHIER.prof]

`--sortie`: the series and the run's conditions as JSON, whose section `python -m bench`
copies into RESULTS.md; `--profil`: cProfile of the app's part (pstats file).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import datetime as dt
import json
import os
from pathlib import Path

from bench.ecrans import Images
from bench.mesure import Serie, chrono, machine, publier
from bench.moteur import Brute, options, url

ICI = Path(__file__).resolve().parent


async def mesurer_app(adresse: str, jour: dt.date, fois: int) -> dict[str, Serie]:
    import time

    from tui.app import GuichetApp
    from tui.config import Reglages

    series = {n: Serie(n) for n in ("tableau", "tableau_mois", "tableau_section")}
    app = GuichetApp(Reglages(db_url=adresse, date_fixe=jour), None)
    async with app.run_test(size=(120, 40)) as pilot:
        images = Images(app)
        await pilot.pause()
        app.screen.query_one("#identifiant").value = "regie"
        app.screen.query_one("#mot_de_passe").value = "Regie2026"
        app.screen.query_one("#mot_de_passe").focus()
        await pilot.press("enter")
        await images.calme(time.perf_counter())
        for _ in range(fois):
            series["tableau"].valeurs.append(await images.latence(pilot, "f11"))
            for touche in ["pagedown"] * 3 + ["pageup"] * 3:
                series["tableau_mois"].valeurs.append(await images.latence(pilot, touche))
            for touche in ("2", "3", "1"):
                series["tableau_section"].valeurs.append(await images.latence(pilot, touche))
            await images.latence(pilot, "escape")
    return series


async def mesurer_nue(fois: int) -> dict[str, Serie]:
    from bench.nue import AppRemplissage

    serie = Serie("ouverture_nue")
    app = AppRemplissage()
    async with app.run_test(size=(120, 40)) as pilot:
        images = Images(app)
        await pilot.pause()
        for _ in range(fois):
            serie.valeurs.append(await images.latence(pilot, "ctrl+o"))
            await images.latence(pilot, "escape")
    return {serie.nom: serie}


def mesurer_sql(adresse: str, jour: dt.date) -> dict[str, Serie]:
    """The raw aggregates the dashboard needs, on the same base (either engine)."""
    connexion = Brute(adresse)
    # the month of a date: the only text that differs between the engines
    mois = "to_char({}, 'MM')" if connexion.moteur == "postgresql" else "strftime('%m', {})"
    debut = jour.replace(day=1).isoformat()
    fin = (jour.replace(day=28) + dt.timedelta(days=4)).replace(day=1).isoformat()
    annee = jour.year if jour.month >= 9 else jour.year - 1

    def figures() -> None:
        connexion.execute(
            "SELECT activite_id, jour, count(*) FROM consommation WHERE jour >= ? AND jour < ? "
            "GROUP BY activite_id, jour",
            (debut, fin),
        ).fetchall()
        connexion.execute(
            f"SELECT {mois.format('date_emission')}, nature, sum(total) FROM facture "
            "WHERE date_emission BETWEEN ? AND ? GROUP BY 1, 2",
            (f"{annee}-09-01", f"{annee + 1}-08-31"),
        ).fetchall()
        connexion.execute(
            f"SELECT {mois.format('date')}, sum(montant) FROM reglement "
            "WHERE date BETWEEN ? AND ? GROUP BY 1",
            (f"{annee}-09-01", f"{annee + 1}-08-31"),
        ).fetchall()
        connexion.execute(
            "SELECT count(DISTINCT famille_id) FROM quotientfamilial WHERE statut = 'valide' "
            "AND valide_du <= ? AND valide_au >= ?",
            (jour.isoformat(), jour.isoformat()),
        ).fetchall()

    serie = chrono(figures, 5, "tableau_sql")
    connexion.close()
    return {serie.nom: serie}


def main() -> None:
    analyseur = argparse.ArgumentParser()
    options(analyseur)
    analyseur.add_argument("--fois", type=int, default=12)
    analyseur.add_argument("--date", type=dt.date.fromisoformat, default=dt.date(2026, 11, 27))
    analyseur.add_argument("--parties", default="sql,app,nue")
    analyseur.add_argument("--sortie", default=None, help="JSON for RESULTS.md")
    analyseur.add_argument("--profil", default=None, help="cProfile of the app's part")
    args = analyseur.parse_args()
    os.environ.setdefault("TEXTUAL_CURSOR_BLINK", "0")
    os.environ["TEXTUAL_ANIMATIONS"] = "none"
    os.environ["TEXTUAL_FPS"] = "120"
    os.environ["GUICHET_VERROUILLAGE_MINUTES"] = "0"
    parties = set(args.parties.split(","))
    charge_avant = os.getloadavg()[0]
    series = {}
    if "sql" in parties:
        series.update(mesurer_sql(url(args), args.date))
    if "app" in parties:
        profil = cProfile.Profile() if args.profil else None
        if profil is not None:
            profil.enable()
        series.update(asyncio.run(mesurer_app(url(args), args.date, args.fois)))
        if profil is not None:
            profil.disable()
            profil.dump_stats(args.profil)
    if "nue" in parties:
        series.update(asyncio.run(mesurer_nue(args.fois)))
    publier(list(series.values()))
    if args.sortie:
        resultat = {
            "base": args.base,
            "date_base": args.date.isoformat(),
            "date": f"{dt.datetime.now():%Y-%m-%d %H:%M}",
            "fois": args.fois,
            "charge_avant": charge_avant,
            "charge_apres": os.getloadavg()[0],
            "machine": machine(),
            "series": [serie.resume() for serie in series.values()],
        }
        Path(args.sortie).write_text(json.dumps(resultat, indent=1, ensure_ascii=False))


def section(resultat: dict) -> list[str]:
    """RESULTS.md's section for the dashboard (bench/tableau.json)."""
    from bench.__main__ import cellule

    s = {serie["nom"]: serie for serie in resultat["series"]}
    nue = s["ouverture_nue"]
    lignes = [
        "## Tableau de bord (F11, issue #19)",
        "",
        f"Run on {resultat['date']} with `python -m bench.tableau --base {resultat['base']} "
        f"--fois {resultat['fois']} --date {resultat['date_base']}` (120×40, as the "
        f"régisseur; load average {resultat['charge_avant']:.1f} at the start, "
        f"{resultat['charge_apres']:.1f} at the end). Budget: an F-screen or a tab switch "
        "≤ 0.25 × its floor (DESIGN.md), the floor being a bare 7-tab screen pushed.",
        "",
        "| path | measured | floor | ratio | budget | |",
        "|---|---|---|---|---|---|",
    ]
    for nom, chemin in (
        ("tableau", "F11 → dashboard shown (the month's fréquentation)"),
        ("tableau_mois", "PgSuiv / PgPréc → month shown"),
        ("tableau_section", "2 / 3 / 1 → section shown, its plot drawn"),
    ):
        if nom in s:
            ratio = s[nom]["mediane"] / nue["mediane"]
            lignes.append(
                f"| {chemin} | {cellule(s[nom])} | {cellule(nue)} | {ratio:.2f} | ≤ 0.25 | "
                f"{'✅ pass' if ratio <= 0.25 else '❌ fail'} |"
            )
    if "tableau_sql" in s:
        lignes.append(f"| the figures' raw SQL | {cellule(s['tableau_sql'])} | | | | |")
    return lignes


if __name__ == "__main__":
    main()
