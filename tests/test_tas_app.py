"""The garbage collector at the counter (tui/tas.py): what is alive once the agent is
logged in is frozen out of the collector's walks; logout and the app's end give it back."""

from __future__ import annotations

import gc

from tests.pilote import attendre, connecter
from tui.recherche import EcranRecherche
from tui.tas import DEFAUT, SEUILS


async def test_la_session_figee_apres_connexion_rendue_a_la_deconnexion(fabrique_app):
    app = fabrique_app()
    async with app.run_test(size=(120, 40)) as pilot:
        assert gc.get_freeze_count() == 0
        await connecter(pilot)
        await attendre(pilot, lambda: app._ecran_famille is not None)
        await attendre(pilot, lambda: gc.get_freeze_count() > 0)
        assert isinstance(app.screen, EcranRecherche)
        assert gc.get_threshold() == SEUILS
        app.deconnecte()
        await pilot.pause()
        assert gc.get_freeze_count() == 0
        assert gc.get_threshold() == DEFAUT
        await connecter(pilot)
        await attendre(pilot, lambda: gc.get_freeze_count() > 0)
    assert gc.get_freeze_count() == 0  # the app ended: nothing of it kept
    assert gc.get_threshold() == DEFAUT


async def test_gc_python_garde_le_comportement_de_python(fabrique_app, monkeypatch):
    monkeypatch.setenv("GUICHET_GC", "python")
    app = fabrique_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await connecter(pilot)
        await attendre(pilot, lambda: app._ecran_famille is not None)
        await pilot.pause()
        assert gc.get_freeze_count() == 0
