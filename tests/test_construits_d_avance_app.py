"""Screens built ahead after login (the family file, the dashboard, the F-screens: issue
#18) for an agent who logs out before they have mounted: they go with the agent, and
their mounting then does nothing (each looked up its widgets, already removed: NoMatches
caught by the safety net, seen once under load in the suite)."""

from __future__ import annotations

import asyncio

import pytest

from ecrans.compat_textual import construire_ecran
from ecrans.famille import EcranFamille
from ecrans.tableau_de_bord import EcranTableauDeBord
from tests.pilote import connecter


async def test_retires_avant_leur_montage_sans_erreur(fabrique_app):
    app = fabrique_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await connecter(pilot, "admin", "Admin2026")
        fabriques = {
            "famille": EcranFamille,
            "tableau": lambda: EcranTableauDeBord(app.aujourdhui, charger=False),
            **app._fabriques_gardes(),
        }
        assert len(fabriques) >= 8  # (every F-screen an administrator may open)
        for nom, fabrique in fabriques.items():
            ecran = fabrique()
            ecran.prepare_avant = True
            app.install_screen(ecran, f"essai-{nom}")
            assert construire_ecran(app, ecran)
            # what `deconnecte` does with a kept screen, before this one could mount
            app.uninstall_screen(ecran)
            ecran.remove()
            for _ in range(5):
                await pilot.pause()
            assert not ecran.is_attached, nom
            assert not app.erreurs_inattendues, (nom, app.erreurs_inattendues)


async def test_ouverts_pendant_leur_construction_sans_erreur(fabrique_app):
    """A dialog opened while the one of its kind built ahead is still being composed (an
    agent quick after login, a loaded machine): the kept one is not filled before its
    widgets exist (« Erreur inattendue », seen once in a README run); a new one opens."""
    from ecrans.dialogues import A_L_AVANCE
    from ecrans.widgets import Modale, construire_d_avance

    app = fabrique_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await connecter(pilot, "admin", "Admin2026")
        for fabrique in A_L_AVANCE:
            app.dialogues_gardes.clear()
            construire_d_avance(app, lambda f=fabrique: f(app))
            (pendant,) = app.dialogues_gardes.values()
            while not pendant.is_running:  # its compose started, not finished
                await asyncio.sleep(0)
            assert not pendant.is_mounted
            Modale._d_avance = True  # (a dialog of the same kind and forme)
            try:
                neuf = fabrique(app)
            finally:
                Modale._d_avance = False
            app.push_screen(neuf)  # at once: the one built ahead has not composed yet
            for _ in range(5):
                await pilot.pause()
            assert not app.erreurs_inattendues, (fabrique, app.erreurs_inattendues)
            assert app.screen is neuf, fabrique
            app.pop_screen()
            for _ in range(3):
                await pilot.pause()
        assert not app.erreurs_inattendues


@pytest.mark.parametrize("rang", range(6))
async def test_app_qui_se_termine_pendant_une_construction_sans_erreur(fabrique_app, rang):
    """The app ends (an agent quits, a test ends) while a dialog built ahead is composing:
    its mounting does nothing (its widgets were being removed: NoMatches, seen once in a
    README run's teardown)."""
    from ecrans.dialogues import A_L_AVANCE
    from ecrans.widgets import construire_d_avance

    fabrique = A_L_AVANCE[rang]
    app = fabrique_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await connecter(pilot, "admin", "Admin2026")
        app.dialogues_gardes.clear()
        construire_d_avance(app, lambda: fabrique(app))
        (pendant,) = app.dialogues_gardes.values()
        while not pendant.is_running:  # its compose started
            await asyncio.sleep(0)
        app.exit()
    assert not app.erreurs_inattendues
