"""A dialog over the family file (F1, the payment dialog) drawn with its backdrop kept
(ecrans.compat_textual.teinte_en_cache, fond_de_dialogue_direct): the same text and colours
as Textual's own drawing, at its first opening and when opened again over the same file."""

from __future__ import annotations

from textual.widgets import Input

from ecrans.compat_textual import (
    fond_de_dialogue_direct,
    rendu_ecran,
    teinte_en_cache,
    texte_ecran,
)
from ecrans.famille import EcranFamille
from tests.conftest import JOUR_SEED
from tests.pilote import attendre, connecter, ouvrir_famille

DUPONT = "1001001818331"


async def _calme(pilot) -> None:
    for _ in range(3):
        await pilot.pause()


async def _stable(pilot, app) -> tuple:
    """The screen once it stops changing (under load a late repaint, a focus frame, may
    still be on its way after a few idle turns): two captures alike in a row."""
    avant = None
    for _ in range(50):
        await _calme(pilot)
        maintenant = (texte_ecran(app), rendu_ecran(app))
        if maintenant == avant:
            break
        avant = maintenant
    return maintenant


async def _comme_textual(pilot, app) -> None:
    """The dialog shown equals, segment by segment, its screen drawn by Textual alone."""
    for champ in app.screen.query(Input):
        champ.cursor_blink = False  # (a blink between the two drawings is no difference)
    garde = await _stable(pilot, app)
    try:
        fond_de_dialogue_direct(False)
        teinte_en_cache(False)
        app.screen.refresh()
        textual = await _stable(pilot, app)
    finally:
        fond_de_dialogue_direct()
        teinte_en_cache()
    assert garde[0] == textual[0]
    assert garde[1] == textual[1]


async def test_dialogues_sur_la_fiche_dessines_comme_textual(fabrique_app):
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=(120, 40)) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await ouvrir_famille(pilot, DUPONT)
        fiche = app.screen
        assert isinstance(fiche, EcranFamille)
        for touche, onglet in (("f1", "1"), ("f1", "1"), ("p", "1"), ("p", "1")):
            await pilot.press(onglet)
            await _calme(pilot)
            await pilot.press(touche)
            await attendre(pilot, lambda: app.screen is not fiche)
            await attendre(pilot, lambda: app.screen.focused is not None)
            assert "DUPONT" in texte_ecran(app)  # (the file, tinted, beneath)
            await _comme_textual(pilot, app)
            await pilot.press("escape")
            await attendre(pilot, lambda: app.screen is fiche)
