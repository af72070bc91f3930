"""The monkey test: a seeded random walk of key presses through the whole app.

    python -m bench.singe --touches 50000 [--graine 1] [--base demo.db]

Login, search, every tab, every F-screen and dialog, on a copy of the demo base: bound keys
of the screen shown, navigation keys, printable text, hostile strings and pastes. It passes
when the app never met an unexpected error, still answers a key, and the base passes
`PRAGMA integrity_check` with a sound ledger (modele.controle). tests/test_singe.py runs a
short walk in the suite; this runs a long one on demand.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

JOUR = dt.date(2026, 11, 27)
COMPTES = {"accueil": "Accueil2026", "regie": "Regie2026", "admin": "Admin2026"}
NAVIGATION = [
    "tab",
    "shift+tab",
    "enter",
    "escape",
    "up",
    "down",
    "left",
    "right",
    "pageup",
    "pagedown",
    "home",
    "end",
    "space",
    "backspace",
    "delete",
    "shift+left",
    "shift+right",
    "ctrl+s",
    "ctrl+p",
    "ctrl+t",
    "ctrl+e",
    "ctrl+f",
    "f1",
    "f2",
    "f3",
    "f5",
    "f6",
    "f7",
    "f8",
    "f9",
    "f12",
    "1",
    "2",
    "3",
    "4",
    "5",
    "6",
    "7",
    "o",
    "n",
    "?",
]
# Keys that end the run itself (the walk is about what an agent can break, not quitting).
EXCLUES = {"ctrl+q", "ctrl+c"}
FAMILLES = ["dupont", "bertrand", "a", "e", "mar", "1001"]
HOSTILES = [
    "Tarif cantine [/kg] : 3 €",
    "[@click=app.quit]",
    "[b]gras[/b]",
    "[red]",
    "<b>&amp;</b>",
    "a\ud800b",
    "a\x00b",
    "nan",
    "inf",
    "Infinity",
    "-1e400",
    "99999999999",
    "31/02/2024",
    "29/02/2023",
    "00/00/0000",
    "'; DROP TABLE famille;--",
    "𝕏😀",
    "dupont",
    "bertrand",
    "1001001818331",
    "0033 1 02 03 04 05",
    "12,5",
    "FR76 3000 6000 0112 3456 7890 189",
    "",
    "   ",
]


@dataclass
class Bilan:
    touches: int = 0
    erreurs: list[str] = field(default_factory=list)
    anomalies: list[str] = field(default_factory=list)
    ecrans: set[str] = field(default_factory=set)

    @property
    def reussi(self) -> bool:
        return not self.erreurs and not self.anomalies


def _touches_liees(app) -> list[str]:
    """The keys bound on the screen shown, where the focus is (enabled ones)."""
    try:
        liees = app.screen.active_bindings
    except Exception:
        return []
    return [cle for cle, actif in liees.items() if actif.enabled and cle not in EXCLUES]


async def _taper(pilot, texte: str) -> None:
    from textual import events

    from ecrans.compat_textual import touche

    for caractere in texte:
        pilot.app.post_message(events.Key(touche(caractere), caractere))
    await pilot.pause()


async def promenade(app, pilot, graine: int, touches: int) -> Bilan:
    """Walk `touches` keys through the app (run under `app.run_test`)."""
    from textual import events

    from ecrans.verrou import EcranVerrou
    from tui.connexion import EcranConnexion

    hasard = random.Random(graine)
    bilan = Bilan()
    while bilan.touches < touches and app.is_running:
        ecran = app.screen
        bilan.ecrans.add(type(ecran).__name__)
        if isinstance(ecran, EcranConnexion) and hasard.random() < 0.9:
            identifiant = hasard.choice(list(COMPTES))
            ecran.query_one("#identifiant").value = identifiant
            ecran.query_one("#mot_de_passe").value = COMPTES[identifiant]
            ecran.query_one("#mot_de_passe").focus()
            await pilot.press("enter")
            bilan.touches += 1
            continue
        if isinstance(ecran, EcranVerrou) and app.agent is not None and hasard.random() < 0.7:
            await _taper(pilot, COMPTES.get(app.agent.identifiant, ""))
            await pilot.press("enter")
            bilan.touches += 2
            continue
        if type(ecran).__name__ == "EcranRecherche" and hasard.random() < 0.4:
            ecran.query_one("#saisie-recherche").value = ""
            await _taper(pilot, hasard.choice(FAMILLES))
            await pilot.press(*hasard.choice([["enter"], ["down", "down", "enter"]]))
            bilan.touches += 3
            continue
        tirage = hasard.random()
        if tirage < 0.45:
            liees = _touches_liees(app)
            cle = hasard.choice(liees) if liees else hasard.choice(NAVIGATION)
            await pilot.press(cle)
        elif tirage < 0.75:
            await pilot.press(hasard.choice(NAVIGATION))
        elif tirage < 0.9:
            texte = hasard.choice(HOSTILES)
            await _taper(pilot, texte)
            bilan.touches += max(len(texte) - 1, 0)
        elif tirage < 0.97:
            texte = "".join(hasard.choice("abcdefghij 0123456789,/-") for _ in range(12))
            await _taper(pilot, texte)
            bilan.touches += len(texte) - 1
        else:  # a long paste
            texte = hasard.choice(HOSTILES) * hasard.randint(50, 400)
            app.post_message(events.Paste(texte))
            await pilot.pause()
        bilan.touches += 1
        if app.erreurs_inattendues:
            break
    # What the last keys started may be waiting for an answer (a dialog a worker awaits):
    # no longer than a few seconds.
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(app.workers.wait_for_complete(), 5)
    await pilot.pause()
    bilan.erreurs = [f"{type(e).__name__}: {e}" for e in app.erreurs_inattendues]
    if not app.is_running:
        bilan.erreurs.append("L'application s'est arrêtée.")
    return bilan


def controler_base(engine, avant: dict) -> list[str]:
    """`PRAGMA integrity_check` and the ledger's invariants."""
    from sqlalchemy import text

    from modele.controle import anomalies_grand_livre
    from modele.db import session as ouvrir

    anomalies = []
    with engine.connect() as connexion:
        if engine.dialect.name == "sqlite":
            etat = connexion.execute(text("PRAGMA integrity_check")).scalar()
            if etat != "ok":
                anomalies.append(f"integrity_check : {etat}")
    with ouvrir(engine) as session:
        anomalies += anomalies_grand_livre(session, avant)
    return anomalies


async def singer(
    engine,
    dossier: Path,
    graine: int,
    touches: int,
    taille: tuple[int, int] = (120, 40),
) -> Bilan:
    """One walk on the base of `engine` (a copy: it writes), then the checks."""
    from modele.controle import numeros_emis
    from modele.db import session as ouvrir
    from tui.app import GuichetApp
    from tui.config import Reglages

    with ouvrir(engine) as session:
        avant = numeros_emis(session)
    reglages = Reglages(
        db_url=str(engine.url),
        date_fixe=JOUR,
        dossier=dossier,
        imprimante="",
        api_url="local",
        verrouillage_minutes=0,
    )
    app = GuichetApp(reglages, engine)
    async with app.run_test(size=taille) as pilot:
        bilan = await promenade(app, pilot, graine, touches)
        if app.is_running and not bilan.erreurs:  # still answers a key
            avant_touche = app._activite
            await pilot.press("shift")
            if app._activite == avant_touche:
                bilan.erreurs.append("L'application ne répond plus au clavier.")
        app.erreurs_inattendues.clear()  # (reported in the bilan)
    bilan.anomalies = controler_base(engine, avant)
    return bilan


def main(argv: list[str] | None = None) -> int:
    from data.demo import construire_demo
    from modele.db import creer_engine, migrer
    from tui.config import url_sqlite

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--touches", type=int, default=5000)
    parser.add_argument("--graine", type=int, default=1)
    parser.add_argument("--base", type=Path, help="a demo base to copy (built if absent)")
    args = parser.parse_args(argv)
    dossier = Path(tempfile.mkdtemp(prefix="singe-"))
    fichier = dossier / "guichet.db"
    if args.base and args.base.exists():
        shutil.copy(args.base, fichier)
        engine = creer_engine(url_sqlite(fichier))
    else:
        engine = creer_engine(url_sqlite(fichier))
        migrer(engine)
        construire_demo(engine, familles=12, graine=0, reference=JOUR)
    depart = time.perf_counter()
    bilan = asyncio.run(singer(engine, dossier, args.graine, args.touches))
    duree = time.perf_counter() - depart
    print(
        f"{bilan.touches} touches en {duree:.0f} s (graine {args.graine}), "
        f"écrans vus : {', '.join(sorted(bilan.ecrans))}"
    )
    for ligne in bilan.erreurs + bilan.anomalies:
        print(f"  ! {ligne}")
    print(f"Journal d'erreurs : {dossier / 'erreurs.log'}")
    print("RÉUSSI" if bilan.reussi else "ÉCHEC")
    return 0 if bilan.reussi else 1


if __name__ == "__main__":
    sys.exit(main())
