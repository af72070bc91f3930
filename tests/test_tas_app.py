"""The garbage collector at the counter (tui/tas.py): what is alive once the agent is
logged in is frozen out of the collector's walks; logout and the app's end give it back."""

from __future__ import annotations

import gc

from tests.pilote import attendre, connecter
from tui.recherche import EcranRecherche
from tui.tas import A_COLLECTER, DEFAUT, REPOS, SEUILS, collecter_au_repos


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


async def test_la_collection_complete_attend_que_l_agent_soit_au_repos(fabrique_app, monkeypatch):
    app = fabrique_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await connecter(pilot)
        await attendre(pilot, lambda: gc.get_freeze_count() > 0)
        # Python no longer triggers a full collection during the session…
        assert gc.get_threshold()[2] >= 1_000
        # …the app runs it once the agent has been idle long enough and enough was promoted.
        monkeypatch.setattr(gc, "get_count", lambda: (0, 0, A_COLLECTER))
        collectees: list[int] = []
        monkeypatch.setattr(gc, "collect", lambda *a: collectees.append(1) or 0)
        assert not collecter_au_repos(REPOS / 2)  # a key a moment ago
        assert not collecter_au_repos(REPOS, occupee=True)  # a reading in progress
        assert collectees == []
        app._activite -= REPOS
        await attendre(pilot, lambda: collectees)
        app.deconnecte()
        await pilot.pause()
        collectees.clear()
        assert not collecter_au_repos(10 * REPOS)  # logged out: Python's own pace again
        assert collectees == []
