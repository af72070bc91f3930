"""The screens' paths, as the agent sees them: from the keypress to the frame that shows
the result, in the real app on the big base (Textual's run_test, 120×40).

How a frame is timed: the app's `_display` (called by the compositor with the screen's
update) is wrapped to also encode the update into terminal sequences, as a real terminal
run does, and to note the time. After a key, the harness waits until no frame has come for
150 ms; the latency is the end of the last frame minus the time the key was sent. Between
two keys the app is left idle, as between an agent's keystrokes.

    python -m bench.ecrans --base FICHIER.db | --db URL [--familles 12] [--parties app,nue,sql]
        [--essais 1]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import os
import random
import time

from bench.mesure import Serie, chrono, publier
from bench.moteur import Brute, options, url

CALME = 0.15
ATTENTE_PREMIERE_IMAGE = 10.0  # seconds: a key that shows nothing by then is an error


class Images:
    """The frames an app shows: the time each one was ready for the terminal."""

    def __init__(self, app) -> None:
        self.fins: list[float] = []
        self.touche_en_cours = False
        origine = app._display

        def afficher(screen, renderable):
            if renderable is not None:
                rendu = getattr(renderable, "render_segments", None)
                if rendu is not None:
                    rendu(app.console)
                self.fins.append(time.perf_counter())
            return origine(screen, renderable)

        app._display = afficher

    async def calme(self, depuis: float) -> None:
        """Wait until no frame has come for CALME seconds (and at least CALME after `depuis`)."""
        while True:
            await asyncio.sleep(0.01)
            dernier = self.fins[-1] if self.fins else 0.0
            maintenant = time.perf_counter()
            if maintenant - max(dernier, depuis) >= CALME:
                return

    async def latence(self, pilot, *touches: str) -> float:
        """Seconds from the (last) key to the end of the last frame it caused."""
        await self.calme(time.perf_counter() - CALME)
        for touche in touches[:-1]:
            await pilot.press(touche)
        n = len(self.fins)
        debut = time.perf_counter()
        self.touche_en_cours = True
        try:
            await self._une_touche(pilot, touches[-1], n, debut)
        finally:
            self.touche_en_cours = False
        if len(self.fins) == n:
            app = pilot.app
            raise RuntimeError(
                f"aucune image après « {touches[-1]} » ({app.screen!r}, focus {app.focused!r})"
            )
        return self.fins[-1] - debut

    async def _une_touche(self, pilot, touche: str, n: int, debut: float) -> None:
        await pilot.press(touche)
        # Under load the key's first frame may come later than CALME: wait for it first.
        while len(self.fins) == n and time.perf_counter() - debut < ATTENTE_PREMIERE_IMAGE:
            await asyncio.sleep(0.01)
        await self.calme(debut)


def echantillons(adresse: str, nombre: int, graine: int = 0) -> dict:
    """Families to work on, drawn once: names to type, files with children and invoices."""
    connexion = Brute(adresse)
    rng = random.Random(graine)
    maximum = connexion.execute("SELECT max(id) FROM famille").fetchone()[0]
    familles = []
    while len(familles) < nombre:
        fid = rng.randint(1, maximum)
        ligne = connexion.execute(
            "SELECT f.numero, r.nom FROM famille f JOIN responsable r ON r.famille_id = f.id "
            "AND r.role = 'responsable' WHERE f.id = ? AND EXISTS (SELECT 1 FROM enfant e "
            "JOIN inscription i ON i.enfant_id = e.id WHERE e.famille_id = f.id) AND EXISTS "
            "(SELECT 1 FROM facture WHERE famille_id = f.id)",
            (fid,),
        ).fetchone()
        if ligne and ligne[1].isalpha() and len(ligne[1]) >= 4:
            familles.append((fid, ligne[0], ligne[1]))
    connexion.close()
    return {"familles": familles}


async def connecter(app, pilot) -> Images:
    """Log in as the counter agent of the demo and wait for the search screen's frames."""
    images = Images(app)
    await pilot.pause()
    app.screen.query_one("#identifiant").value = "accueil"
    app.screen.query_one("#mot_de_passe").value = "Accueil2026"
    app.screen.query_one("#mot_de_passe").focus()
    await pilot.press("enter")
    await images.calme(time.perf_counter())
    return images


class Collections:
    """The garbage collector's pauses during a run (gc.callbacks): every collection of the
    oldest generation, the ones that walk the whole heap not frozen (tui/tas.py)."""

    def __init__(self, images: Images | None = None) -> None:
        self.pauses = Serie("gc_complete")
        self.sur_touche = Serie("gc_sur_touche")  # those that came while a key was timed
        self.jeunes = 0
        self._debut = 0.0
        self._images = images

    def __call__(self, phase: str, info: dict) -> None:
        if info["generation"] != 2:
            self.jeunes += phase == "stop"
        elif phase == "start":
            self._debut = time.perf_counter()
        else:
            pause = time.perf_counter() - self._debut
            self.pauses.valeurs.append(pause)
            if self._images is not None and self._images.touche_en_cours:
                self.sur_touche.valeurs.append(pause)

    def __enter__(self) -> Collections:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *_exc: object) -> None:
        gc.callbacks.remove(self)


async def mesurer_app(adresse: str, jour: dt.date, familles: list) -> dict[str, Serie]:
    from tui.app import GuichetApp
    from tui.config import Reglages

    noms = (
        "recherche_premiere",
        "recherche",
        "ouverture_premiere",
        "ouverture",
        "planning",
        "releve",
        "releve_annee",
    )
    series = {n: Serie(n) for n in noms}
    app = GuichetApp(Reglages(db_url=adresse, date_fixe=jour), None)
    async with app.run_test(size=(120, 40)) as pilot:
        images = await connecter(app, pilot)
        saisie = app.screen.query_one("#saisie-recherche")
        with Collections() as collections:
            for rang, (_fid, numero, nom) in enumerate(familles):
                # A name typed letter by letter: each keystroke filters the families. The
                # first keystroke and the first opening after login have series of their
                # own (what is read and compiled for the first time is paid there).
                saisie.value = ""
                for place, lettre in enumerate(nom[:5].lower()):
                    serie = "recherche_premiere" if rang == place == 0 else "recherche"
                    series[serie].valeurs.append(await images.latence(pilot, lettre))
                # The file opened from its number (Enter): Accueil shown.
                saisie.value = numero
                serie = "ouverture_premiere" if rang == 0 else "ouverture"
                series[serie].valeurs.append(await images.latence(pilot, "enter"))
                # Relevé of the current school year, then the one before.
                series["releve"].valeurs.append(await images.latence(pilot, "4"))
                series["releve_annee"].valeurs.append(await images.latence(pilot, "pageup"))
                # Planning: month after month, then back.
                await images.latence(pilot, "3")
                for touche in ["pagedown"] * 3 + ["pageup"] * 3:
                    series["planning"].valeurs.append(await images.latence(pilot, touche))
                await images.latence(pilot, "escape")
                saisie = app.screen.query_one("#saisie-recherche")
    # one value at least, so that a run without a full collection still shows a line
    series["gc_complete"] = collections.pauses
    series["gc_complete"].valeurs = collections.pauses.valeurs or [0.0]
    series["gc_jeunes"] = Serie("gc_jeunes", [float(collections.jeunes)], unite="")
    return series


async def mesurer_nue(familles: list) -> dict[str, Serie]:
    from bench.nue import AppRemplissage

    series = {n: Serie(n) for n in ("recherche_nue", "ouverture_nue", "planning_nue", "releve_nue")}
    app = AppRemplissage()
    async with app.run_test(size=(120, 40)) as pilot:
        images = Images(app)
        await pilot.pause()
        saisie = app.query_one("#saisie")
        for _fid, _numero, nom in familles:
            saisie.focus()
            saisie.value = ""
            for lettre in nom[:5].lower():
                series["recherche_nue"].valeurs.append(await images.latence(pilot, lettre))
            series["ouverture_nue"].valeurs.append(await images.latence(pilot, "ctrl+o"))
            await images.latence(pilot, "escape")
            app.query_one("#table").focus()
            series["releve_nue"].valeurs.append(await images.latence(pilot, "ctrl+r"))
            for _ in range(6):
                series["planning_nue"].valeurs.append(await images.latence(pilot, "f4"))
    return series


def mesurer_sql(adresse: str, familles: list, jour: dt.date) -> dict[str, Serie]:
    """The raw queries on the same base (the database's floor of each path), the same text on
    both engines."""
    connexion = Brute(adresse)
    series = {}

    def recherche() -> None:
        for _fid, _numero, nom in familles:
            for n in range(1, 6):
                prefixe = nom[:n].upper()
                connexion.execute(
                    "SELECT famille_id FROM indexrecherche WHERE terme >= ? AND "
                    "terme < ? LIMIT 200",
                    (prefixe, prefixe + "\uffff"),
                ).fetchall()

    def planning() -> None:
        for fid, _numero, _nom in familles:
            for (enfant,) in connexion.execute(
                "SELECT id FROM enfant WHERE famille_id = ?", (fid,)
            ):
                connexion.execute(
                    "SELECT * FROM consommation WHERE enfant_id = ? AND jour >= ? AND jour <= ?",
                    (enfant, "2026-11-01", "2026-11-30"),
                ).fetchall()

    def releve() -> None:
        for fid, _numero, _nom in familles:
            connexion.execute(
                "SELECT * FROM facture WHERE famille_id = ? AND date_emission >= ? "
                "AND date_emission <= ?",
                (fid, "2026-09-01", "2027-08-31"),
            ).fetchall()
            connexion.execute(
                "SELECT * FROM reglement WHERE famille_id = ? AND date >= ? AND date <= ?",
                (fid, "2026-09-01", "2027-08-31"),
            ).fetchall()

    for nom, fonction, n in (
        ("recherche_sql", recherche, len(familles) * 5),
        ("planning_sql", planning, len(familles)),
        ("releve_sql", releve, len(familles)),
    ):
        serie = chrono(fonction, 5, nom)
        serie.valeurs = [v / n for v in serie.valeurs]
        series[nom] = serie
    connexion.close()
    return series


def main() -> None:
    analyseur = argparse.ArgumentParser()
    options(analyseur)
    analyseur.add_argument("--familles", type=int, default=12)
    analyseur.add_argument("--date", type=dt.date.fromisoformat, default=dt.date(2026, 11, 27))
    # Only some parts, e.g. "app" while working on a screen (the floors take as long again).
    analyseur.add_argument("--parties", default="sql,app,nue")
    analyseur.add_argument("--essais", type=int, default=1, help="apps logged in, one by one")
    args = analyseur.parse_args()
    os.environ.setdefault("TEXTUAL_CURSOR_BLINK", "0")
    # The dialogs and F-screens built ahead after login, as in a terminal (not headless).
    os.environ.setdefault("GUICHET_PREPARER_ECRANS", "1")
    # No animations: the last frame is the one showing the result, not the end of the
    # tabs' underline sliding under the new tab (which starts once the content is shown).
    os.environ["TEXTUAL_ANIMATIONS"] = "none"
    os.environ["TEXTUAL_FPS"] = "120"  # as tui/__init__.py sets it for the app, floors alike
    os.environ["GUICHET_VERROUILLAGE_MINUTES"] = "0"
    adresse = url(args)
    familles = echantillons(adresse, args.familles)["familles"]
    parties = set(args.parties.split(","))
    series = {}
    if "sql" in parties:
        series.update(mesurer_sql(adresse, familles, args.date))
    if "app" in parties:
        # Each trial a new app (its own engine and caches) that logs in: one more value of
        # the first keystroke and the first opening after login.
        for _ in range(args.essais):
            for nom, serie in asyncio.run(mesurer_app(adresse, args.date, familles)).items():
                if nom in series:
                    series[nom].valeurs.extend(serie.valeurs)
                else:
                    series[nom] = serie
    if "nue" in parties:
        series.update(asyncio.run(mesurer_nue(familles)))
    publier(list(series.values()))


if __name__ == "__main__":
    main()
