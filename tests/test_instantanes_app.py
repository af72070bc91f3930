"""Snapshot tests (issue #15): every tab of the family file, every F-screen, the main
dialogs, login and search, at 80×24 and 120×40, on the demo base at 2015-05-04, compared
as text with the files in tests/instantanes/ (what the terminal shows, without colours).

After an intended change of a screen, regenerate them and look at the diff:

    GUICHET_INSTANTANES=regenerer .venv/bin/python -m pytest tests/test_instantanes_app.py

One app per size walks every screen in turn (the run stays short). Deterministic: the
demo's fixed seed, the app's fixed date, the time of day fixed too, no cursor blink, the
notifications cleared, every worker done before a screen is read.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from pathlib import Path

import pytest

from ecrans.compat_textual import texte_ecran
from ecrans.famille import EcranFamille
from ecrans.widgets import Confirmation
from tests.conftest import JOUR_SEED
from tests.pilote import attendre, attendre_recherche, connecter, saisir

DOSSIER = Path(__file__).parent / "instantanes"
REGENERER = os.environ.get("GUICHET_INSTANTANES") == "regenerer"
HEURE = dt.time(9, 30)  # the counter opens


def devant(app, noeud) -> bool:
    """The app itself, the screen shown, or a widget of it."""
    return noeud is app or noeud is app.screen or getattr(noeud, "screen", None) is app.screen


async def stable(pilot) -> None:
    """Nothing left to happen on screen: workers done, notifications gone, frames drawn."""
    app = pilot.app
    await pilot.pause()
    # The workers of the screen shown; a dialog chain's worker, beneath, awaits the dialog.
    await attendre(pilot, lambda: all(w.is_finished for w in app.workers if devant(app, w.node)))
    await attendre_recherche(pilot)
    app.clear_notifications()
    await pilot.pause()
    await pilot.pause()


class Album:
    """The snapshots of one size: compared with the stored ones (or stored, when asked)."""

    def __init__(self, taille: tuple[int, int]) -> None:
        self.suffixe = f"{taille[0]}x{taille[1]}"
        self.differents: list[str] = []
        self.vus: list[str] = []

    async def prendre(self, pilot, nom: str) -> None:
        await stable(pilot)
        texte = "\n".join(ligne.rstrip() for ligne in texte_ecran(pilot.app).splitlines())
        texte += "\n"
        fichier = DOSSIER / f"{nom}-{self.suffixe}.txt"
        self.vus.append(fichier.name)
        if REGENERER:
            fichier.write_text(texte, encoding="utf-8")
            return
        attendu = fichier.read_text(encoding="utf-8") if fichier.exists() else ""
        if texte != attendu:
            diff = difflib.unified_diff(
                attendu.splitlines(), texte.splitlines(), "enregistré", "vu", lineterm=""
            )
            self.differents.append(f"{fichier.name}:\n" + "\n".join(diff))


async def touches(pilot, *noms: str) -> None:
    for nom in noms:
        await pilot.press(nom)
    await stable(pilot)


async def fermer(pilot, classe=None) -> None:
    """Escape, until the screen is no longer a `classe` (the one open)."""
    app = pilot.app
    ecran = app.screen
    await pilot.press("escape")
    await attendre(pilot, lambda: app.screen is not ecran)


@pytest.fixture
def heure_fixe(monkeypatch):
    """The app's clock at a fixed time of day (--date fixes the day only)."""
    import modele.base

    monkeypatch.setattr(
        modele.base, "horloge_reelle", lambda: dt.datetime.combine(JOUR_SEED, HEURE)
    )


@pytest.mark.parametrize("taille", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_instantanes(fabrique_app, heure_fixe, taille):
    album = Album(taille)
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=taille) as pilot:
        await album.prendre(pilot, "connexion")
        await connecter(pilot, "admin", "Admin2026")
        await album.prendre(pilot, "recherche-vide")
        await saisir(pilot, "dupont")
        await album.prendre(pilot, "recherche-dupont")
        await pilot.press("escape")  # leaving the search asks first
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        await album.prendre(pilot, "confirmation-deconnexion")
        await pilot.press("n")
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))

        # The family file, tab by tab.
        for rang, nom in enumerate(
            ["accueil", "mon-compte", "mes-enfants", "releve", "boite", "demandes", "quotient"],
            start=1,
        ):
            await touches(pilot, str(rang))
            await album.prendre(pilot, f"famille-{rang}-{nom}")

        # Dialogs: payment, a request form and its "Abandonner la saisie ?", a new message,
        # the invoice detail.
        await touches(pilot, "1", "p")
        await album.prendre(pilot, "modale-encaissement")
        await fermer(pilot)
        await touches(pilot, "2", "r")
        await album.prendre(pilot, "modale-demande-responsable")
        await touches(pilot, "tab", "x")
        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        await album.prendre(pilot, "confirmation-abandon")
        await pilot.press("o")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))
        await touches(pilot, "5", "n")
        await album.prendre(pilot, "modale-message")
        await fermer(pilot)
        await touches(pilot, "4")
        app.screen.query_one("#releve-operations").focus()
        await touches(pilot, "enter")
        await album.prendre(pilot, "facture-detail")
        await fermer(pilot)

        # F1 on the family file, then every F-screen.
        await touches(pilot, "1", "f1")
        await album.prendre(pilot, "f1-touches-famille")
        await fermer(pilot)
        for touche, nom in [
            ("f2", "demandes-a-traiter"),
            ("f3", "messages-service"),
            ("f4", "caisse"),
            ("f5", "calendrier"),
            ("f6", "facturation"),
            ("f7", "campagne-qf"),
            ("f8", "agents"),
            ("f9", "journal"),
        ]:
            await touches(pilot, touche)
            await album.prendre(pilot, f"{touche}-{nom}")
            await fermer(pilot)
        await touches(pilot, "f12")
        await album.prendre(pilot, "f12-verrou")
        await saisir(pilot, "Admin2026")
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))

    if REGENERER:
        pytest.skip(f"{len(album.vus)} instantanés écrits dans {DOSSIER}: relisez le diff")
    assert not album.differents, (
        "Écrans changés (GUICHET_INSTANTANES=regenerer pour les réécrire après un changement "
        "voulu) :\n\n" + "\n\n".join(album.differents)
    )
