"""Screens built ahead after login (the family file, the dashboard, the F-screens: issue
#18) for an agent who logs out before they have mounted: they go with the agent, and
their mounting then does nothing (each looked up its widgets, already removed: NoMatches
caught by the safety net, seen once under load in the suite)."""

from __future__ import annotations

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
