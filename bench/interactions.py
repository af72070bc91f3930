"""Every interaction of the counter at p90, beside a bare floor of the same kind (issue #18).

The real app on the big base (Textual's run_test, 120×40, logged in as the demo's
administrator, who may open every F-screen), timed as bench/ecrans.py times a key: from the
key sent to the end of the last frame it caused. For each sample family, the file opened
(not timed here: bench.ecrans), then:

- each tab 2…7 then 1 (a tab switch, its content read and shown), Relevé PgPréc/PgSuiv,
  Relevé Entrée on an invoice (its detail), the planning's cursor keys, PgSuiv/PgPréc and
  Entrée on a day (the cell's menu);
- every dialog opening: payment (`1 p`), request form (`2 r`), new message (`5 n`), the key
  list (F1), the palette (ctrl+p) (the invoice detail is the Relevé's Entrée above);
- every other key of the tabs (AUTRES_TOUCHES: Mon compte's request forms, payer and
  portal password; Mes enfants' absence, the child's requests, the legend; the Relevé's
  credit note and tax attestation; the Boîte's next folder and phone message; the
  Demandes' filter and period; the QF declaration and attestation), each
  beside the floor of what it showed;
- every F-screen (F2 … F9, F11) pushed from the family file.

Floors, in the same process after the app (bench/nue.py): a bare 7-tab screen whose tabs are
switched with 1…7; a bare ModalScreen with as many Inputs as the app's dialog, pushed; a
bare Screen (header, a 20-row table, footer) pushed; a cursor moved in a bare 20×32
DataTable; the 20×32 and 30×6 refills of bench.ecrans for the page keys.

    python -m bench.interactions --base FICHIER.db [--familles 8] [--parties app,nue]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import sys
import time
from collections import defaultdict

from bench.ecrans import Collections, Images, echantillons
from bench.mesure import Serie, publier
from bench.moteur import options, url

# (series, what the key does, the floor's series)
ONGLETS = {str(rang): f"onglet_{rang}" for rang in range(1, 8)}
PREFIXE = "interactions."
F_ECRANS = ("f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f11")


async def revenir(app, images: Images, ecran) -> None:
    """Back to the family file (Escape, then pops if a screen stays), not timed."""
    if app.screen is not ecran:
        await images.latence_ou_rien(app, "escape")
    while app.screen is not ecran and len(app.screen_stack) > 2:
        app.pop_screen()
        await images.calme(time.perf_counter())


class Pilote(Images):
    """Images with the pilot: a key timed, or sent and waited for."""

    def __init__(self, app, pilot) -> None:
        super().__init__(app)
        self.pilot = pilot
        # The process's CPU time at each frame too (the machine is shared: wall time moves
        # with the load, CPU time much less), printed apart (stderr), not published.
        self.cpu_fins: list[float] = []
        # The screen of each frame, beside `fins`: when a pushed screen was first shown.
        self.ecrans: list[object] = []
        self.n_debut, self.debut = 0, 0.0
        origine = app._display

        def afficher(screen, renderable):
            resultat = origine(screen, renderable)
            if renderable is not None:
                self.cpu_fins.append(time.process_time())
                self.ecrans.append(screen)
            return resultat

        app._display = afficher

    async def mesurer(self, serie: Serie, *touches: str) -> float:
        valeur = await self.latence(self.pilot, *touches)
        serie.valeurs.append(valeur)
        CPU[serie.nom].append(self.cpu_fins[-1] - self.cpu_debut)
        return valeur

    async def _une_touche(self, pilot, touche: str, n: int, debut: float) -> None:
        self.cpu_debut = time.process_time()  # (when the timed key is sent)
        self.n_debut, self.debut = n, debut
        await super()._une_touche(pilot, touche, n, debut)

    def premiere_image_hors_de(self, ecran) -> float | None:
        """Seconds from the last timed key to the first frame of another screen than
        `ecran` (a screen pushed: shown, its later frames still to come)."""
        for fin, montre in zip(self.fins[self.n_debut :], self.ecrans[self.n_debut :], strict=True):
            if montre is not ecran:
                return fin - self.debut
        return None

    async def latence_ou_rien(self, _app, *touches: str) -> None:
        await self.calme(time.perf_counter() - 0.15)
        for touche in touches:
            await self.pilot.press(touche)
        await self.calme(time.perf_counter())


# The family file's other keys, tab by tab: (series, tab, key, what it opens). Each timed
# from its key to its last frame; its floor follows what it showed (see `genre_de`): a
# bare modal with as many Inputs, a bare screen pushed, or, a key that stays in the tab,
# a bare 30×6 table refilled. Not here: Mes enfants' r books the day under the cursor at
# once (a request written, no dialog), and the Boîte's r answers the chosen message in the
# same dialog as n and l.
AUTRES_TOUCHES = [
    ("compte_bancaires", "2", "b", "Mon compte: bank details request form (2 b)"),
    ("compte_fiscales", "2", "f", "Mon compte: fiscal request form (2 f)"),
    ("compte_payeur", "2", "p", "Mon compte: payer of the invoices (2 p)"),
    ("compte_portail", "2", "m", "Mon compte: portal password (2 m)"),
    ("enfants_absence", "3", "a", "Mes enfants: absence form (3 a)"),
    ("enfants_demandes", "3", "d", "Mes enfants: the child's requests (3 d)"),
    ("enfants_legende", "3", "question_mark", "Mes enfants: the legend (3 ?)"),
    ("releve_avoir", "4", "v", "Relevé: credit note on an invoice (4 v)"),
    ("releve_attestation", "4", "t", "Relevé: tax attestation (4 t)"),
    ("boite_dossier", "5", "d", "Boîte: next folder (5 d)"),
    ("boite_telephone", "5", "l", "Boîte: message left by phone (5 l)"),
    ("demandes_filtre", "6", "t", "Demandes: filter by type (6 t)"),
    ("demandes_periode", "6", "p", "Demandes: wider period (6 p)"),
    ("qf_declarer", "7", "d", "Quotient familial: CAF/MSA declaration (7 d)"),
    ("qf_attestation", "7", "s", "Quotient familial: attestation typed in (7 s)"),
]


def genre_de(app, ecran) -> str:
    """What a key showed: « modale » (a dialog over the file), « ecran » (a screen pushed
    in its place) or « onglet » (the file still shown)."""
    from textual.screen import ModalScreen

    if app.screen is ecran:
        return "onglet"
    return "modale" if isinstance(app.screen, ModalScreen) else "ecran"


# AUTRES_TOUCHES: what each key showed (genre_de), published beside the series.
GENRES: dict[str, str] = {}

# CPU seconds from each timed key to its last frame, by series (see Pilote).
CPU: dict[str, list[float]] = defaultdict(list)


def cpu_en_clair() -> str:
    """The CPU time of each series: median and p90, in ms."""
    lignes = []
    for nom, valeurs in sorted(CPU.items()):
        v = sorted(valeurs)
        p90 = v[min(len(v) - 1, round(0.9 * (len(v) - 1)))]
        lignes.append(
            f"cpu {nom:24} n={len(v):3} median {1000 * v[len(v) // 2]:7.1f} ms  "
            f"p90 {1000 * p90:7.1f} ms"
        )
    return "\n".join(lignes)


def champs_de(ecran) -> int:
    from textual.widgets import Input, TextArea

    return len(ecran.query(Input)) + len(ecran.query(TextArea))


async def mesurer_app(
    adresse: str, jour: dt.date, familles: list, tout: bool = True, dialogues: bool = False
) -> tuple[dict, dict]:
    from ecrans.famille import EcranFamille
    from ecrans.grille_planning import GrillePlanning
    from ecrans.table import TableLignes
    from tui.app import GuichetApp
    from tui.config import Reglages
    from tui.tas import REPOS

    series: dict[str, Serie] = defaultdict(lambda: Serie(""))
    champs: dict[str, int] = {}

    def serie(nom: str) -> Serie:
        s = series[nom]
        s.nom = nom
        return s

    app = GuichetApp(Reglages(db_url=adresse, date_fixe=jour), None)
    async with app.run_test(size=(120, 40)) as pilot:
        images = Pilote(app, pilot)
        await pilot.pause()
        app.screen.query_one("#identifiant").value = "admin"
        app.screen.query_one("#mot_de_passe").value = "Admin2026"
        app.screen.query_one("#mot_de_passe").focus()
        await pilot.press("enter")
        await images.calme(time.perf_counter())
        with Collections(images) as collections:
            for _fid, numero, _nom in familles:
                app.screen.query_one("#saisie-recherche").value = numero
                await images.latence_ou_rien(app, "enter")
                ecran = app.screen
                assert isinstance(ecran, EcranFamille), ecran
                # The tabs, each first shown for this family, then back to the Accueil.
                for rang in "2345671":
                    if dialogues:  # --parties dialogues: each tab shown, not timed
                        await images.latence_ou_rien(app, rang)
                    else:
                        await images.mesurer(serie(ONGLETS[rang]), rang)
                if not tout:  # --parties onglets: the tabs only
                    await images.latence_ou_rien(app, "escape")
                    continue
                # Relevé: the years, then Entrée on an invoice (its detail screen).
                await images.latence_ou_rien(app, "4")
                await images.mesurer(serie("releve_annee"), "pageup")
                await images.mesurer(serie("releve_annee"), "pagedown")
                liste = ecran.query_one("#releve-operations", TableLignes)
                rangs = [r for r in range(liste.row_count) if liste.cle_de(r).startswith("f")]
                if rangs:
                    liste.move_cursor(rangs[0])
                    liste.focus()
                    await images.mesurer(serie("releve_facture"), "enter")
                    await revenir(app, images, ecran)
                # The planning: cursor keys, months, Entrée on a day (the cell's menu).
                await images.latence_ou_rien(app, "3")
                grille = ecran.query_one(GrillePlanning)
                if grille.lignes_actives and not dialogues:  # (no activity this month: no cursor)
                    for touche in ("right", "right", "down", "left", "up"):
                        await images.mesurer(serie("planning_curseur"), touche)
                for touche in ("pagedown", "pageup"):
                    if not dialogues:
                        await images.mesurer(serie("planning_mois"), touche)
                if grille.lignes_actives:
                    await images.mesurer(serie("planning_case"), "enter")
                    champs["planning_case"] = champs_de(app.screen)
                    await revenir(app, images, ecran)
                # Dialogs.
                for nom, onglet, touche in (
                    ("dialogue_reglement", "1", "p"),
                    ("dialogue_demande", "2", "r"),
                    ("dialogue_message", "5", "n"),
                    ("dialogue_touches", "1", "f1"),
                    ("dialogue_palette", "1", "ctrl+p"),
                ):
                    await images.latence_ou_rien(app, onglet)
                    await images.mesurer(serie(nom), touche)
                    if app.screen is not ecran:
                        champs[nom] = champs_de(app.screen)
                    await revenir(app, images, ecran)
                # The other keys of each tab (a key whose action refuses, e.g. no message
                # to answer, says so in a toast: not what the row measures, left out).
                for nom, onglet, touche, _quoi in () if dialogues else AUTRES_TOUCHES:
                    await images.latence_ou_rien(app, onglet)
                    if nom == "releve_avoir":  # on the year's first invoice
                        liste = ecran.query_one("#releve-operations", TableLignes)
                        rangs = [
                            r for r in range(liste.row_count) if liste.cle_de(r).startswith("f")
                        ]
                        if not rangs:
                            continue
                        liste.move_cursor(rangs[0])
                        liste.focus()
                    toasts = len(app._notifications)
                    try:
                        valeur = await images.latence(pilot, touche)
                    except RuntimeError:  # nothing drawn: the key did nothing here
                        continue
                    genre = genre_de(app, ecran)
                    if len(app._notifications) > toasts and genre == "onglet":
                        await revenir(app, images, ecran)
                        app.clear_notifications()
                        continue
                    serie(nom).valeurs.append(valeur)
                    CPU[nom].append(images.cpu_fins[-1] - images.cpu_debut)
                    GENRES[nom] = genre
                    if genre == "modale":
                        champs[nom] = champs_de(app.screen)
                    await revenir(app, images, ecran)
                    app.clear_notifications()
                # F-screens, from the family file.
                await images.latence_ou_rien(app, "1")
                for touche in () if dialogues else F_ECRANS:
                    await images.mesurer(serie(f"ecran_{touche}"), touche)
                    if touche == "f6":  # shown at once, its preview computed behind
                        vu = images.premiere_image_hors_de(ecran)
                        if vu is not None:
                            serie("ecran_f6_vu").valeurs.append(vu)
                    await revenir(app, images, ecran)
                await images.latence_ou_rien(app, "escape")
                # The agent talks with the next family a moment: idle, as at a counter
                # (the app collects its garbage then: tui/tas.py), not timed.
                if not dialogues:
                    await asyncio.sleep(REPOS + 1.0)
    resultat = {nom: s for nom, s in series.items() if s.valeurs}
    resultat["gc_complete"] = collections.pauses
    resultat["gc_complete"].valeurs = collections.pauses.valeurs or [0.0]
    resultat["gc_jeunes"] = Serie("gc_jeunes", [float(collections.jeunes)], unite="")
    resultat["gc_sur_touche"] = collections.sur_touche
    resultat["gc_sur_touche"].valeurs = collections.sur_touche.valeurs or [0.0]
    return resultat, champs


def n_sur_touche(serie: dict) -> int:
    return 0 if serie["n"] == 1 and serie["max"] == 0 else serie["n"]


async def mesurer_nue(
    nombre: int, champs: set[int], tout: bool = True, dialogues: bool = False
) -> dict[str, Serie]:
    from bench.nue import AppInteractions

    series: dict[str, Serie] = {}

    def serie(nom: str) -> Serie:
        return series.setdefault(nom, Serie(nom))

    app = AppInteractions()
    async with app.run_test(size=(120, 40)) as pilot:
        images = Pilote(app, pilot)
        await pilot.pause()
        for _ in range(nombre):
            # Tabs of a bare 7-tab screen, switched with 2…7 then 1.
            if not dialogues:
                await images.latence_ou_rien(app, "ctrl+o")
                for rang in "2345671":
                    await images.mesurer(serie("onglet_nue"), rang)
                await images.latence_ou_rien(app, "escape")
            if not tout:
                continue
            # A bare Screen pushed (F-screen, invoice detail).
            await images.mesurer(serie("ecran_nue"), "f6")
            await images.latence_ou_rien(app, "escape")
            # A bare modal with n Inputs pushed.
            for n in sorted(champs):
                app.champs = n
                await images.mesurer(serie(f"modale_nue_{n}"), "f5")
                await images.latence_ou_rien(app, "escape")
            if dialogues:
                continue
            # A cursor moved in a bare 20×32 DataTable, then the refills of the page keys.
            app.query_one("#table").focus()
            await images.latence_ou_rien(app, "f4")
            for touche in ("right", "right", "down", "left", "up"):
                await images.mesurer(serie("curseur_nue"), touche)
            for _ in range(2):
                await images.mesurer(serie("planning_nue"), "f4")
                await images.mesurer(serie("releve_nue"), "ctrl+r")
    return series


def main() -> None:
    analyseur = argparse.ArgumentParser()
    options(analyseur)  # --base FILE or --db URL
    analyseur.add_argument("--familles", type=int, default=8)
    analyseur.add_argument("--date", type=dt.date.fromisoformat, default=dt.date(2026, 11, 27))
    # "onglets" instead of "app": the tabs only (while working on them); "dialogues" with
    # "app": the dialogs, the cell's menu and the invoice detail only, and their floors (the
    # tabs and the planning shown on the way, not timed; no F-screen, no idle between
    # families).
    analyseur.add_argument("--parties", default="app,nue")
    analyseur.add_argument("--profil", help="cProfile of the app part into this file")
    args = analyseur.parse_args()
    os.environ.setdefault("TEXTUAL_CURSOR_BLINK", "0")
    os.environ["TEXTUAL_ANIMATIONS"] = "none"
    os.environ["TEXTUAL_FPS"] = "120"
    os.environ["GUICHET_VERROUILLAGE_MINUTES"] = "0"
    # The dialogs and F-screens built ahead after login, as in a terminal (not headless).
    os.environ.setdefault("GUICHET_PREPARER_ECRANS", "1")
    familles = echantillons(url(args), args.familles, graine=18)["familles"]
    parties = set(args.parties.split(","))
    series: dict[str, Serie] = {}
    champs: dict[str, int] = {}
    if parties & {"app", "onglets"}:
        if args.profil:
            import cProfile

            profil = cProfile.Profile()
            profil.enable()
        tout = "app" in parties
        app, champs = asyncio.run(
            mesurer_app(url(args), args.date, familles, tout, "dialogues" in parties)
        )
        if args.profil:
            profil.disable()
            profil.dump_stats(args.profil)
        series.update(app)
    if "nue" in parties:
        nombres = set(champs.values()) or {0, 1, 8, 10}
        tout = "onglets" not in parties
        series.update(
            asyncio.run(mesurer_nue(len(familles), nombres, tout, "dialogues" in parties))
        )
    # Named apart: python -m bench gathers every part's series in one table (bench.ecrans
    # has a releve_annee and floors of the same names, measured its own way).
    for serie in series.values():
        serie.nom = PREFIXE + serie.nom
    print(cpu_en_clair(), file=sys.stderr)
    publier(list(series.values()), champs=champs, genres=GENRES, familles=len(familles))


if __name__ == "__main__":
    main()


# Each interaction: (series, what it is, its floor, the floor's words). Budgets (issue #18):
# ≤ 0.25 × the floor, as a ratio measured / floor like every ratio of RESULTS.md, at the p90
# (p90 / floor's p90) as at the median; and every p90 ≤ 2 × its median.
BUDGET = 0.25
LIGNES = [
    *[
        (f"onglet_{rang}", f"tab {rang} ({titre}) first shown for the family", "onglet_nue")
        for rang, titre in zip(
            "2345671",
            (
                "Mon compte",
                "Mes enfants, planning",
                "Relevé",
                "Boîte de réception",
                "Demandes",
                "Quotient familial",
                "Accueil, back",
            ),
            strict=True,
        )
    ],
    ("releve_annee", "Relevé PgPréc / PgSuiv (a school year)", "releve_nue"),
    ("releve_facture", "Relevé Entrée on an invoice (its detail)", "ecran_nue"),
    ("planning_curseur", "planning cursor ← → ↑ ↓", "curseur_nue"),
    ("planning_mois", "planning PgSuiv / PgPréc (a month)", "planning_nue"),
    ("planning_case", "planning Entrée on a day (the cell's menu)", "modale"),
    ("dialogue_reglement", "payment dialog (1 p)", "modale"),
    ("dialogue_demande", "request form (2 r)", "modale"),
    ("dialogue_message", "new message (5 n)", "modale"),
    ("dialogue_touches", "key list (F1)", "modale"),
    ("dialogue_palette", "command palette (ctrl+p)", "modale"),
    *[
        (
            f"ecran_{f}",
            f"F-screen {f.upper()}" + (" (until its preview)" if f == "f6" else ""),
            "ecran_nue",
        )
        for f in F_ECRANS
    ],
    # F6 above is timed to its preview's last frame (the month's cells read in a worker
    # thread, « Calcul de l'aperçu »); here to its first frame, the screen shown and its
    # keys answering while the preview is computed.
    ("ecran_f6_vu", "F-screen F6 shown (first frame; its preview computed behind)", "ecran_nue"),
    *[(nom, quoi, "selon_genre") for nom, _onglet, _touche, quoi in AUTRES_TOUCHES],
]
PLANCHERS = {
    "onglet_nue": "bare 7-tab screen, tab switched",
    "releve_nue": "bare DataTable refill 30×6",
    "ecran_nue": "bare Screen pushed (header, 20-row table, footer)",
    "curseur_nue": "bare DataTable 20×32, cursor moved",
    "planning_nue": "bare DataTable refill 20×32",
}


def section(resultat: dict) -> list[str]:
    """The section of RESULTS.md: every interaction beside its floor, median, p90, p99."""
    from bench.__main__ import fmt

    series = {s["nom"].removeprefix(PREFIXE): s for s in resultat["series"]}
    champs = resultat.get("champs", {})
    lignes = []
    for nom, chemin, plancher in LIGNES:
        if nom not in series:
            continue
        mots = PLANCHERS.get(plancher, "")
        if plancher == "selon_genre":  # AUTRES_TOUCHES: the floor of what the key showed
            plancher = {"modale": "modale", "ecran": "ecran_nue"}.get(
                resultat.get("genres", {}).get(nom, ""), "releve_nue"
            )
            mots = PLANCHERS.get(plancher, "")
        if plancher == "modale":
            n = champs.get(nom, 0)
            plancher = f"modale_nue_{n}"
            mots = f"bare ModalScreen with {n} Input{'s' if n > 1 else ''} pushed"
        m, p = series[nom], series.get(plancher)
        if p is None:
            continue
        r50, r90 = m["mediane"] / p["mediane"], m["p90"] / p["p90"]
        queue = m["p90"] / m["mediane"]
        ok = r50 <= BUDGET and r90 <= BUDGET and queue <= 2
        lignes.append(
            f"| {chemin} | **{fmt(m['mediane'], 's')}** | {fmt(m['p90'], 's')} | "
            f"{fmt(m['p99'], 's')} | {fmt(p['mediane'], 's')} / {fmt(p['p90'], 's')} {mots} | "
            f"{r50:.2f} / {r90:.2f} | {queue:.1f} | {'✅ pass' if ok else '❌ fail'} |"
        )
    gc = series.get("gc_complete")
    jeunes = series.get("gc_jeunes")
    sur_touche = series.get("gc_sur_touche")
    texte = [
        "## Every interaction at p90, beside its floor (issue #18)",
        "",
        "`python -m bench.interactions` (run by `python -m bench`): "
        f"{resultat.get('familles', '?')} families, each opened (not timed here), then "
        "every key below, as the demo's "
        "administrator; the floors measured in the same process afterwards "
        "(`bench/nue.py`'s `AppInteractions`). Each row: median, p90, p99 of the app; the "
        "floor's median / p90; ratio measured / floor at the median / at the p90. Budget: "
        f"≤ {BUDGET} × the floor at the median and at the p90, and p90 ≤ 2 × median.",
        "",
        "| interaction | median | p90 | p99 | floor (median / p90) | ratio (median / p90) "
        "| p90 / median | |",
        "|---|---|---|---|---|---|---|---|",
        *lignes,
    ]
    if gc and jeunes:
        pauses = [v for v in [gc["max"]] if gc["n"] > 1 or v > 0]
        texte += [
            "",
            f"Garbage collection during the app part: {gc['n'] if pauses else 0} full "
            f"collections (longest {fmt(gc['max'], 's')}), "
            f"{jeunes['mediane']:.0f} young ones."
            + (
                f" Of the full ones, {n_sur_touche(sur_touche)} came while a key was timed "
                "(the others while the app was idle: tui/tas.py)."
                if sur_touche
                else ""
            ),
        ]
    return texte
