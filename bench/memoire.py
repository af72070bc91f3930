"""Memory of the app with a family file open (resident set, MB), beside the bare 6-tab
Textual app; each in its own process, headless (run_test, 120×40).

    python -m bench.memoire --base FICHIER.db | --db URL [--repetitions 3]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import subprocess
import sys

from bench.mesure import Serie, publier, rss_mo
from bench.moteur import options, transmises, url


async def app_ouverte(adresse: str) -> float:
    from bench.ecrans import connecter, echantillons
    from tui.app import GuichetApp
    from tui.config import Reglages

    _fid, numero, _nom = echantillons(adresse, 1, graine=7)["familles"][0]
    app = GuichetApp(Reglages(db_url=adresse, date_fixe=dt.date(2026, 11, 27)))
    async with app.run_test(size=(120, 40)) as pilot:
        images = await connecter(app, pilot)
        app.screen.query_one("#saisie-recherche").value = numero
        await images.latence(pilot, "enter")
        await asyncio.sleep(0.5)
        return rss_mo()


async def nue() -> float:
    from bench.nue import AppNue

    app = AppNue()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await asyncio.sleep(0.5)
        return rss_mo()


def main() -> None:
    analyseur = argparse.ArgumentParser()
    options(analyseur)
    analyseur.add_argument("--repetitions", type=int, default=3)
    analyseur.add_argument("--un", choices=["app", "nue"])
    args = analyseur.parse_args()
    os.environ.setdefault("TEXTUAL_CURSOR_BLINK", "0")
    # The dialogs and F-screens built ahead after login, as in a terminal (not headless).
    os.environ.setdefault("GUICHET_PREPARER_ECRANS", "1")
    # No animations: the last frame is the one showing the result, not the end of the
    # tabs' underline sliding under the new tab (which starts once the content is shown).
    os.environ["TEXTUAL_ANIMATIONS"] = "none"
    os.environ["GUICHET_VERROUILLAGE_MINUTES"] = "0"
    if args.un:
        valeur = asyncio.run(app_ouverte(url(args)) if args.un == "app" else nue())
        print(json.dumps(valeur))
        return
    series = {"app": Serie("memoire", unite="Mo"), "nue": Serie("memoire_nue", unite="Mo")}
    for _ in range(args.repetitions):
        for quoi, serie in series.items():
            sortie = subprocess.run(
                [sys.executable, "-m", "bench.memoire", *transmises(args), "--un", quoi],
                capture_output=True,
                text=True,
                check=True,
            )
            serie.valeurs.append(json.loads(sortie.stdout.strip().splitlines()[-1]))
    publier(list(series.values()))


if __name__ == "__main__":
    main()
