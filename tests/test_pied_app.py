"""The footer of the keys (PiedDePage), as the agent sees it: the keys of the focused tab,
cropped at a whole key when the line is too short, a click on a key presses it."""

from __future__ import annotations

import datetime as dt

from textual.geometry import Region
from textual.widgets import TabbedContent

from ecrans.pied import PiedDePage
from tests.pilote import connecter, ouvrir_famille

AUJOURDHUI = dt.date(2026, 11, 27)


def ligne(app) -> str:
    """The footer's line as drawn on the screen."""
    pied = app.screen.query_one(PiedDePage)
    return pied.render_lines(Region(0, 0, pied.size.width, 1))[0].text


async def test_pied_touches_de_l_onglet_et_clic(fabrique_app):
    app = fabrique_app(AUJOURDHUI)
    # (wide enough for the relevé's keys and then the tabs': the click needs "2 Mon compte")
    async with app.run_test(size=(260, 45)) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont jean")
        assert "Fiche d'inscription" in ligne(app)
        await pilot.press("4")
        await pilot.pause()
        texte = ligne(app)
        assert "Année préc." in texte and "Imprimer le relevé" in texte
        assert "Fiche d'inscription" not in texte
        assert len(texte) == 260
        # A click on "2 Mon compte" shows that tab.
        x = texte.index(" 2 Mon compte")
        await pilot.click(PiedDePage, offset=(x + 1, 0))
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "compte"


async def test_pied_coupe_a_une_touche_entiere(fabrique_app):
    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=(61, 30)) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont jean")
        await pilot.press("4")
        await pilot.pause()
        texte = ligne(app)
        assert len(texte) == 61
        pied = app.screen.query_one(PiedDePage)
        entier = "".join(
            f" {affichage} " + (f"{libelle} " if libelle else "")
            for _cle, affichage, libelle, _actif in pied._touches
        )
        assert len(entier) > 61  # (too long for this width)
        # Cropped after a whole word, as a Text wrapped at the width: no word cut in two.
        visible = texte.rstrip()
        assert visible and entier.startswith(visible) and entier[len(visible)] == " "
