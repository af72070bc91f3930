"""Keys typed while a dialog opens reach it (issue #18: under load the first keys typed into
the payment dialog, the request form or a new message were lost). The keys are sent in
one burst, as a terminal sends them: the dialog's key and what follows, before the app
has had time to draw anything."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from ecrans.compat_textual import touche
from ecrans.encaissement import FormulaireEncaissement
from ecrans.redaction import Redaction
from tests.pilote import connecter, ouvrir_famille


async def rafale(pilot, texte: str) -> None:
    """Keys posted at once, then the app left to handle them all."""
    for caractere in texte:
        pilot.app.post_message(events.Key(touche(caractere), caractere))
    for _ in range(5):
        await pilot.pause()


async def test_montant_tape_pendant_que_l_encaissement_s_ouvre(fabrique_app):
    app = fabrique_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont")
        await pilot.press("1")
        await rafale(pilot, "p42")
        assert isinstance(app.screen, FormulaireEncaissement)
        montant = app.screen.query_one("#champ-montant", Input)
        assert app.screen.focused is montant
        assert montant.value.endswith("42")


async def test_objet_tape_pendant_que_le_message_s_ouvre(fabrique_app):
    app = fabrique_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont")
        await pilot.press("5")
        await rafale(pilot, "nBonjour")
        assert isinstance(app.screen, Redaction)
        sujet = app.screen.query_one("#sujet", Input)
        assert sujet.value == "Bonjour"
