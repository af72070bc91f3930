"""Staff accounts through the app: create, reset, deactivate, last administrator, lock."""

from __future__ import annotations

from sqlmodel import select
from textual.widgets import DataTable, Input

from ecrans.agents import (
    ChangementMotDePasse,
    DroitsParRole,
    EcranAgents,
    FormulaireAgent,
    MotDePasseTemporaire,
)
from ecrans.compat_textual import notifications
from ecrans.widgets import Choix, Confirmation
from modele.agents import Agent
from modele.db import session as ouvrir
from tests.pilote import attendre, lignes, saisir, texte
from tui.connexion import EcranConnexion
from tui.recherche import EcranRecherche

TAILLE = (150, 45)


def messages(app) -> list[str]:
    return notifications(app)


async def tenter(pilot, identifiant: str, mot_de_passe: str) -> str:
    """One login attempt (fields filled at once, Enter typed); the message shown."""
    ecran = pilot.app.screen
    ecran.query_one("#identifiant", Input).value = identifiant
    ecran.query_one("#mot_de_passe", Input).value = mot_de_passe
    ecran.query_one("#mot_de_passe", Input).focus()
    await pilot.press("enter")
    await pilot.pause()
    if isinstance(pilot.app.screen, EcranConnexion):
        return texte(pilot.app, "#erreur-connexion")
    return ""


async def deconnecter(pilot) -> None:
    """From the Agents screen back to the login."""
    await pilot.press("escape", "escape", "o")
    await pilot.pause()
    assert isinstance(pilot.app.screen, EcranConnexion)


async def aller_a(pilot, identifiant: str) -> None:
    """Put the Agents table's cursor on an account."""
    table = pilot.app.screen.query_one("#agents", DataTable)
    rang = [ligne[0] for ligne in lignes(pilot.app, "#agents")].index(identifiant)
    table.move_cursor(row=rang)
    await pilot.pause()


async def test_l_administrateur_cree_un_agent_qui_se_connecte(fabrique_app):
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await tenter(pilot, "admin", "Admin2026")
        await pilot.press("f8")
        assert isinstance(app.screen, EcranAgents)
        assert [ligne[0] for ligne in lignes(app, "#agents")] == ["accueil", "admin", "regie"]
        await pilot.press("n")
        assert isinstance(app.screen, FormulaireAgent)
        await saisir(pilot, "lucie")
        await pilot.press("enter")
        app.screen.query_one("#nom", Input).value = "moreau"
        app.screen.query_one("#prenom", Input).value = "Lucie"
        app.screen.query_one("#mot_de_passe", Input).focus()
        await saisir(pilot, "lucie1")
        assert texte(app, "#erreur-agent") == (
            "Il manque : 8 caractères minimum, au moins 1 majuscule."
        )
        await pilot.press("enter")
        app.screen.query_one("#confirmation", Input).value = "lucie1"
        await pilot.press("enter")
        assert isinstance(app.screen, FormulaireAgent)  # refused, what was typed kept
        assert texte(app, "#erreur-agent") == (
            "Mot de passe refusé : 8 caractères minimum, au moins 1 majuscule."
        )
        assert app.screen.query_one("#identifiant", Input).value == "lucie"
        for champ in ("mot_de_passe", "confirmation"):
            app.screen.query_one(f"#{champ}", Input).value = "Moreau2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EcranAgents)
        assert ["lucie", "MOREAU", "Lucie", "Agent d'accueil", "Oui", "", "", ""] in lignes(
            app, "#agents"
        )
        await deconnecter(pilot)
        await tenter(pilot, "lucie", "Moreau2026")
        assert isinstance(app.screen, EcranRecherche)
        assert app.agent.identifiant == "lucie"


async def test_mot_de_passe_temporaire_a_changer_a_la_connexion(fabrique_app, engine):
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await tenter(pilot, "admin", "Admin2026")
        await pilot.press("f8")
        await aller_a(pilot, "accueil")
        await pilot.press("m")
        assert isinstance(app.screen, Confirmation)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, MotDePasseTemporaire)
        temporaire = texte(app, "#mdp-temporaire")
        await pilot.press("escape")
        assert lignes(app, "#agents")[0][6] == "à changer"
        await deconnecter(pilot)
        await tenter(pilot, "accueil", temporaire)
        assert isinstance(app.screen, ChangementMotDePasse)
        assert app.agent is None
        for champ in ("mot_de_passe", "confirmation"):
            app.screen.query_one(f"#{champ}", Input).value = temporaire
        await pilot.press("enter", "enter")
        assert "différent" in texte(app, "#erreur-nouveau")
        for champ in ("mot_de_passe", "confirmation"):
            app.screen.query_one(f"#{champ}", Input).value = "Accueil2027"
        await pilot.press("enter", "enter")  # to the confirmation, then validate
        await pilot.pause()
        assert isinstance(app.screen, EcranRecherche)
        assert app.agent.identifiant == "accueil"
    with ouvrir(engine) as s:
        agent = s.exec(select(Agent).where(Agent.identifiant == "accueil")).one()
        assert not agent.mot_de_passe_a_changer and agent.derniere_connexion


async def test_desactive_et_dernier_administrateur(fabrique_app):
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await tenter(pilot, "admin", "Admin2026")
        await pilot.press("f8")
        await aller_a(pilot, "accueil")
        await pilot.press("a", "o")
        await pilot.pause()
        assert lignes(app, "#agents")[0][4] == "Non"
        await aller_a(pilot, "admin")
        await pilot.press("a", "o")
        await pilot.pause()
        assert "Vous ne pouvez pas désactiver votre propre compte." in messages(app)
        await pilot.press("r")
        assert isinstance(app.screen, Choix)
        choix = app.screen.query_one("#choix")
        # The cursor on the role as it is, marked so.
        assert str(choix.get_option_at_index(choix.highlighted).prompt) == (
            "Administrateur (actuel)"
        )
        await pilot.press("up", "enter")  # Régisseur
        await pilot.pause()
        assert "Il doit rester au moins un administrateur actif." in messages(app)
        assert lignes(app, "#agents")[1][3:5] == ["Administrateur", "Oui"]
        await deconnecter(pilot)
        await tenter(pilot, "accueil", "Accueil2026")
        assert texte(app, "#erreur-connexion") == "Identifiant ou mot de passe incorrect."


async def test_cinq_echecs_verrouillent_puis_l_administrateur_deverrouille(fabrique_app):
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        for _ in range(4):
            assert await tenter(pilot, "regie", "Mauvais2026") == (
                "Identifiant ou mot de passe incorrect."
            )
        message = await tenter(pilot, "regie", "Mauvais2026")
        assert message.startswith("Compte verrouillé jusqu'à ")
        assert "après 5 mots de passe erronés" in message and "administrateur" in message
        # the right password now: still locked
        assert (await tenter(pilot, "regie", "Regie2026")).startswith("Compte verrouillé")
        assert await tenter(pilot, "admin", "Admin2026") == ""
        await pilot.press("f8")
        await aller_a(pilot, "regie")
        assert lignes(app, "#agents")[2][5]  # locked until …
        await pilot.press("v")
        await pilot.pause()
        assert "Compte déverrouillé." in messages(app)
        await deconnecter(pilot)
        await tenter(pilot, "regie", "Regie2026")
        assert app.agent.identifiant == "regie"


async def test_autres_roles_en_lecture_seule(fabrique_app):
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await tenter(pilot, "regie", "Regie2026")
        await pilot.press("f8")  # not offered to a régisseur: it says why
        await pilot.pause()
        assert not isinstance(app.screen, EcranAgents)
        assert "Seul un administrateur peut gérer les comptes des agents." in messages(app)
        # The screen itself, reached anyway, stays read-only.
        app.push_screen(EcranAgents())
        await pilot.pause()
        assert "Lecture seule" in texte(app, "#agents-droits")
        await pilot.press("n")  # the editing keys are not offered (and modele refuses them)
        assert isinstance(app.screen, EcranAgents)
        assert not [
            b for b in app.screen.active_bindings.values() if b.binding.key == "n" and b.enabled
        ]
        await pilot.press("d")
        assert isinstance(app.screen, DroitsParRole)
        droits = {ligne[0]: ligne[1:] for ligne in lignes(app, "#droits")}
        assert droits["Gérer les comptes des agents"] == ["—", "—", "oui"]
        assert droits["Encaisser un règlement"] == ["oui", "oui", "oui"]
        await pilot.press("escape", "escape", "f9")  # the journal is not offered either
        from ecrans.journal import EcranJournal

        assert not isinstance(app.screen, EcranJournal)


async def test_nouvel_agent_en_80x24_et_son_propre_compte(fabrique_app, engine):
    """At 80×24 the new-account form shows its error and buttons (its fields took three
    lines each); a name with markup is refused at its field; `a` on one's own account says
    why not at once instead of asking first."""
    from tests.pilote import attendre
    from tests.test_etroit_app import visible

    avant = len(lignes_agents(engine))
    app = fabrique_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await tenter(pilot, "admin", "Admin2026")
        await pilot.press("f8", "n")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireAgent))
        formulaire = app.screen
        await pilot.press("ctrl+s")
        erreur = formulaire.query_one("#erreur-agent")
        await attendre(pilot, lambda: "Identifiant" in str(erreur.content))
        for selecteur in ("#erreur-agent", "#enregistrer", "#annuler", "#confirmation"):
            assert visible(app, formulaire.query_one(selecteur)), selecteur
        valeurs = {"identifiant": "jdupont", "nom": "[RED]DUPONT[/RED]", "prenom": "<b>Jo</b>"}
        for champ, valeur in valeurs.items():
            formulaire.query_one(f"#{champ}", Input).value = valeur
        for champ in ("mot_de_passe", "confirmation"):
            formulaire.query_one(f"#{champ}", Input).value = "Dupont2026"
        await pilot.pause()  # (the password's policy line follows what is typed)
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: "Le nom ne peut contenir" in str(erreur.content))
        assert formulaire.query_one("#nom", Input).has_focus
        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, (EcranAgents, Confirmation)))
        if isinstance(app.screen, Confirmation):  # (abandon what was typed)
            await pilot.press("o")
        await attendre(pilot, lambda: isinstance(app.screen, EcranAgents))
        table = app.screen.query_one("#agents", DataTable)
        rang = [ligne[0] for ligne in lignes(app, "#agents")].index("admin")
        table.move_cursor(row=rang)
        await pilot.press("a")
        await attendre(pilot, lambda: any("propre compte" in m for m in messages(app)))
        assert isinstance(app.screen, EcranAgents)
    assert len(lignes_agents(engine)) == avant


def lignes_agents(engine) -> list[Agent]:
    with ouvrir(engine) as s:
        return list(s.exec(select(Agent)))


async def test_donner_le_role_administrateur_est_demande(fabrique_app):
    """Up from « Agent d'accueil » wrapped to « Administrateur », given at once: the choice
    starts on the role as it is, and the administrator's role is asked first."""
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await tenter(pilot, "admin", "Admin2026")
        await pilot.press("f8")
        await aller_a(pilot, "accueil")
        await pilot.press("r")
        await attendre(pilot, lambda: isinstance(app.screen, Choix))
        await pilot.press("up", "enter")  # (wraps to the last: Administrateur)
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        assert "le rôle Administrateur" in app.screen.question
        await pilot.press("n")
        await attendre(pilot, lambda: not isinstance(app.screen, (Choix, Confirmation)))
        [ligne] = [r for r in lignes(app, "#agents") if r[0] == "accueil"]
        assert ligne[3] == "Agent d'accueil"
