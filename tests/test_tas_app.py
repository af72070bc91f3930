"""The garbage collector at the counter (tui/tas.py): what is alive once the agent is
logged in is frozen out of the collector's walks; logout and the app's end give it back."""

from __future__ import annotations

import gc

from tests.pilote import attendre, connecter
from tui.app import GuichetApp
from tui.cli import main
from tui.recherche import EcranRecherche
from tui.tas import (
    A_COLLECTER,
    DEFAUT,
    REPOS,
    SEUILS,
    collecter_au_repos,
    reprendre_apres_lancement,
    suspendre_au_lancement,
)


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


async def test_pas_de_collection_du_lancement_a_l_app_chaude(fabrique_app):
    """From the process start (`guichet`) to the app warm, no automatic collection; then
    what is alive is frozen and the collector is back on."""
    suspendre_au_lancement()
    try:
        assert not gc.isenabled()
        app = fabrique_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await attendre(pilot, gc.isenabled)
            assert gc.get_freeze_count() > 0
    finally:
        reprendre_apres_lancement(figer=False)
        gc.enable()
        gc.unfreeze()


def test_une_commande_rend_le_ramasse_miettes(base, monkeypatch):
    """A command, or an app stopped before it was warm, gives the collector back."""
    assert main(["--base", base.removeprefix("sqlite:///"), "verifier"]) == 0
    assert gc.isenabled()
    vus: list[bool] = []
    monkeypatch.setattr(GuichetApp, "run", lambda app: vus.append(gc.isenabled()))
    assert main(["--base", base.removeprefix("sqlite:///"), "--date", "2026-11-27"]) == 0
    assert vus == [False]
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_gc_python_au_lancement(monkeypatch):
    monkeypatch.setenv("GUICHET_GC", "python")
    suspendre_au_lancement()
    assert gc.isenabled()
