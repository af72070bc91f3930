"""The service's screens by role (issue #15): the F-key, the footer, F1's key list and the
command palette agree. A screen a role may not open is neither shown nor opened by its key
(which says why, in French); a role that may open it sees it everywhere."""

from __future__ import annotations

import pytest

from ecrans.agents import EcranAgents
from ecrans.aide_touches import AideTouches
from ecrans.caisse import EcranCaisse
from ecrans.calendrier import EcranCalendrier
from ecrans.compat_textual import notifications
from ecrans.journal import EcranJournal
from ecrans.pied import PiedDePage
from ecrans.tableau_de_bord import EcranTableauDeBord
from tests.conftest import JOUR_SEED
from tests.pilote import attendre, connecter, lignes
from tests.test_palette_app import commandes
from tui.recherche import EcranRecherche

# key, screen, its name in the footer / F1 / palette, the refusal of a role without the right
ECRANS = [
    ("f4", EcranCaisse, "Caisse", "clôturer la caisse"),
    ("f5", EcranCalendrier, "Calendrier", "modifier le calendrier"),
    ("f8", EcranAgents, "Agents", "gérer les comptes des agents"),
    ("f9", EcranJournal, "Journal", "consulter le journal"),
    ("f11", EcranTableauDeBord, "Tableau de bord", "réservé aux régisseurs"),
]
# which of them each role may open
PERMIS = {
    "accueil": set(),
    "admin": {"f4", "f5", "f8", "f9", "f11"},
}
COMPTES = {"accueil": "Accueil2026", "admin": "Admin2026"}


def pied(app) -> str:
    barre = app.screen.query_one(PiedDePage)
    return barre.render_line(0).text


@pytest.mark.parametrize("role", list(PERMIS))
async def test_touches_pied_f1_et_palette_d_accord(fabrique_app, role):
    app = fabrique_app(JOUR_SEED)
    # wide enough for every global key in the footer
    async with app.run_test(size=(300, 40)) as pilot:
        await connecter(pilot, role, COMPTES[role])
        assert isinstance(app.screen, EcranRecherche)
        recherche = app.screen
        ligne = pied(app)
        await pilot.press("f1")
        await attendre(pilot, lambda: isinstance(app.screen, AideTouches))
        f1 = {touche: action for touche, action in lignes(app, "#aide-liste")}
        await pilot.press("escape")
        await attendre(pilot, lambda: app.screen is recherche)
        palette = await commandes(pilot)
        for touche, ecran, nom, refus in ECRANS:
            permis = touche in PERMIS[role]
            assert (f" {touche} {nom} " in ligne) == permis, (touche, ligne)
            assert (f1.get(touche) == nom) == permis, (touche, f1)
            assert (nom in palette) == permis, (nom, palette)
            app.clear_notifications()
            await pilot.press(touche)
            if permis:
                await attendre(pilot, lambda ecran=ecran: isinstance(app.screen, ecran))
                await pilot.press("escape")
                await attendre(pilot, lambda: app.screen is recherche)
            else:
                await attendre(
                    pilot, lambda refus=refus: any(refus in n for n in notifications(app))
                )
                assert app.screen is recherche
