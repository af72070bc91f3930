"""The counter locks itself when idle; the agent's password resumes with nothing lost."""

from __future__ import annotations

from textual.widgets import Input, TabbedContent

from ecrans.compat_textual import notifications
from ecrans.famille import EcranFamille
from ecrans.verrou import EcranVerrou
from tests.pilote import attendre, ouvrir_famille, saisir, texte
from tui.connexion import EcranConnexion
from tui.recherche import EcranRecherche

TAILLE = (140, 45)


async def entrer(pilot, identifiant: str = "accueil", mot_de_passe: str = "Accueil2026") -> None:
    """Log in with the fields filled at once (typing is tested elsewhere)."""
    ecran = pilot.app.screen
    ecran.query_one("#identifiant", Input).value = identifiant
    ecran.query_one("#mot_de_passe", Input).value = mot_de_passe
    ecran.query_one("#mot_de_passe", Input).focus()
    await pilot.press("enter")
    await pilot.pause()


async def test_inactif_verrouille_puis_reprend_la_fiche_ouverte(fabrique_app):
    app = fabrique_app()
    app.reglages.verrouillage_minutes = 0.5 / 60  # checked every 0.125 s; 5 minutes by default
    async with app.run_test(size=TAILLE) as pilot:
        app.reglages.verrouillage_minutes = 0  # not while logging in on a slow machine
        await entrer(pilot)
        await ouvrir_famille(pilot, "dupont")
        avant = app._activite
        await pilot.press("2")
        assert app._activite > avant  # a key is activity
        assert isinstance(app.screen, EcranFamille)
        app.reglages.verrouillage_minutes = 0.5 / 60
        await attendre(pilot, lambda: isinstance(app.screen, EcranVerrou))
        app.reglages.verrouillage_minutes = 0  # no second lock while the test types
        await pilot.press("f8", "ctrl+p")  # nothing opens over the lock
        assert isinstance(app.screen, EcranVerrou)
        await saisir(pilot, "Faux2026")
        await pilot.press("enter")
        assert texte(app, "#erreur-verrou") == "Mot de passe incorrect."
        assert app.screen.query_one("#verrou-mdp", Input).value == ""
        app.screen.query_one("#verrou-mdp", Input).value = "Accueil2026"
        await pilot.press("enter")
        await pilot.pause()
        # the same family file, on the same tab; the search typed before is still there
        assert isinstance(app.screen, EcranFamille)
        assert app.screen.query_one(TabbedContent).active == "compte"
        assert "DUPONT" in app.screen.title
        recherche = app.screen_stack[-2]
        assert isinstance(recherche, EcranRecherche)
        assert recherche.query_one("#saisie-recherche", Input).value == "dupont"
        assert not app.verrouillee


async def test_un_autre_agent_se_deconnecte_depuis_le_verrou(fabrique_app):
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await entrer(pilot)
        await ouvrir_famille(pilot, "dupont")
        await pilot.press("f12")
        assert isinstance(app.screen, EcranVerrou)
        await pilot.press("f10", "o")
        await pilot.pause()
        assert isinstance(app.screen, EcranConnexion)
        assert app.agent is None and not app.verrouillee
        await entrer(pilot, "regie", "Regie2026")
        assert isinstance(app.screen, EcranRecherche)
        # the régisseur's own session: F8 (administrators) is refused, with the reason
        await pilot.press("f8")
        await attendre(
            pilot,
            lambda: (
                "Seul un administrateur peut gérer les comptes des agents." in notifications(app)
            ),
        )
        assert isinstance(app.screen, EcranRecherche)
