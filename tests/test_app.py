"""The app driven as an agent would: login, family search, the family file and Accueil."""

from __future__ import annotations

from textual.command import CommandList
from textual.widgets import Input, TabbedContent

from ecrans.famille import EcranFamille
from tests.conftest import JOUR_SEED
from tests.pilote import attendre, connecter, lignes, ouvrir_famille, saisir, texte
from tui.connexion import EcranConnexion
from tui.recherche import EcranRecherche

TAILLE = (140, 45)


async def test_mauvais_mot_de_passe_refuse_sans_rien_reveler(fabrique_app):
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "accueil", "Mauvais2026")
        assert isinstance(app.screen, EcranConnexion)
        assert texte(app, "#erreur-connexion") == "Identifiant ou mot de passe incorrect."
        assert app.screen.query_one("#mot_de_passe", Input).value == ""
        await pilot.press(*"Accueil2026", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EcranRecherche)
        assert app.agent.identifiant == "accueil"


async def test_identifiant_inconnu_meme_message(fabrique_app):
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "personne", "Accueil2026")
        assert texte(app, "#erreur-connexion") == "Identifiant ou mot de passe incorrect."


async def test_dupont_accueil_comme_le_portail(fabrique_app):
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await ouvrir_famille(pilot, "dupont")
        assert isinstance(app.screen, EcranFamille)
        assert texte(app, "#bienvenue") == (
            "Bienvenue JEAN DUPONT, vous avez 1 nouveau message — lundi 4 mai 2015"
        )
        responsable = texte(app, "#accueil-responsable")
        for attendu in (
            "Civilité : Monsieur",
            "Nom : DUPONT",
            "N° Famille : 1001001818331",
            "Prénom : JEAN",
        ):
            assert attendu in responsable
        assert texte(app, "#accueil-solde") == (
            "À la date du lundi 4 mai 2015, votre compte présente un solde de 120,60\u00a0€"
        )
        assert lignes(app, "#accueil-impayees") == [
            ["AL-36", "08/04/2015", "30/04/2015", "120,60", "120,60", ""]
        ]
        assert texte(app, "#accueil-total") == "Total : FACTURES = 120,60"
        assert "Bienvenue sur le Portail Famille" in texte(app, "#accueil-message")


async def test_les_sept_onglets_au_clavier_et_retour(fabrique_app):
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "1001001818331")
        onglets = app.screen.query_one(TabbedContent)
        attendus = ["accueil", "compte", "enfants", "releve", "boite", "demandes", "quotient"]
        for rang, ident in enumerate(attendus, start=1):
            await pilot.press(str(rang))
            await pilot.pause()
            assert onglets.active == ident
        # Mon compte: the portal's fields, empty ones empty (never "None").
        await pilot.press("2")
        compte = texte(app, "#compte-responsable")
        assert "Adresse : 12 RUE DES BONBONS" in compte
        assert "Téléphone domicile : 01 02 03 04 05" in compte
        assert "Organisme rattachement : 0" in compte
        assert "None" not in compte
        assert "Lotissement les bons bonbons" in texte(app, "#compte-conjoint")
        # Relevé 2014-2015 as in the seed.
        await pilot.press("4")
        await pilot.pause()
        operations = lignes(app, "#releve-operations")
        assert [o[0] for o in operations] == ["AL-36", "AL-228", "AL-12"]
        assert operations[1][2] == "Règlement : Chèque"
        totaux = texte(app, "#releve-totaux")
        assert "Solde du compte pour l'année scolaire : 120,60" in totaux
        # Escape: file → search → confirm logout → login.
        await pilot.press("escape")
        assert isinstance(app.screen, EcranRecherche)
        await pilot.press("escape")
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, EcranConnexion)
        assert app.agent is None


async def test_recherche_ignore_accents_et_casse(fabrique_app):
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        saisie = app.screen.query_one("#saisie-recherche", Input)
        for requete in ("clemé", "CLEME", "Clémé"):
            saisie.value = ""
            await saisir(pilot, requete)
            await pilot.pause()
            resultats = lignes(app, "#resultats")
            assert len(resultats) == 1, requete
            assert resultats[0][1] == "BERTRAND Antoine Louis"
            assert resultats[0][2] == "DUMONT Clémé Marie"


async def test_recherche_par_telephone_et_enfant(fabrique_app):
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await saisir(pilot, "01 02 03 04 05")
        await pilot.pause()
        assert [r[0] for r in lignes(app, "#resultats")] == ["1001001818331"]
        app.screen.query_one("#saisie-recherche", Input).value = ""
        await saisir(pilot, "mathis bertrand")
        await pilot.pause()
        assert [r[1] for r in lignes(app, "#resultats")] == ["BERTRAND Antoine Louis"]
        # Down then Enter opens the highlighted family.
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EcranFamille)


async def test_palette_ouvre_une_famille(fabrique_app):
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await pilot.press("ctrl+p")
        await saisir(pilot, "dupont")
        await attendre(
            pilot,
            lambda: any(
                "DUPONT" in str(o.prompt)
                for liste in app.screen.query(CommandList)
                for o in liste.options
            ),
        )  # (the palette's search runs in the background)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EcranFamille)
        assert "JEAN DUPONT" in texte(app, "#bienvenue")
