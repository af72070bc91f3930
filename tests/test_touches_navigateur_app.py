"""Keys a web browser (guichet web) keeps or an agent hits by reflex: the phone call without
ctrl+t, ctrl+c, ctrl+q over a form typed in, a name typed after Escape on the search."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input

from ecrans.compat_textual import notifications
from ecrans.famille import EcranFamille
from ecrans.formulaire_demande import FormulaireDemande
from ecrans.widgets import Confirmation, QuestionQuitter
from tests.pilote import attendre, connecter, ouvrir_famille, saisir, texte
from tui.recherche import ConfirmationDeconnexion, EcranRecherche

TAILLE = (120, 40)
AUJOURDHUI = dt.date(2026, 11, 27)


async def test_appel_par_f10_et_par_la_palette(fabrique_app):
    """ctrl+t opens a browser tab: F10 and the palette start and end the call too."""
    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont jean")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))
        # F1 gives both keys on one line.
        from ecrans.aide_touches import touches_de

        assert ("^t / f10", "Appel tél.") in touches_de(app, app.screen)
        await pilot.press("f10")
        await attendre(pilot, lambda: app.appel_id is not None)
        assert "ctrl+t ou F10 pour terminer" in texte(app, "#bienvenue")
        await pilot.press("ctrl+p")
        await saisir(pilot, "appel")
        await attendre(pilot, lambda: "Appel téléphonique : terminer" in texte_palette(app))
        await pilot.press("enter")
        await attendre(pilot, lambda: app.appel_id is None)


def texte_palette(app) -> str:
    return " ".join(str(o.prompt) for o in app.screen.query("CommandList").first()._options)


async def test_ctrl_c_sans_selection_en_francais(fabrique_app):
    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE, notifications=True) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont jean")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))
        await pilot.press("ctrl+c")
        await attendre(pilot, lambda: any("ctrl+q" in m for m in notifications(app)))
        [message] = [m for m in notifications(app) if "ctrl+q" in m]
        assert message.startswith("Pour quitter Guichet Famille") and "[b]" not in message


async def test_ctrl_q_sur_une_saisie_demande_avant(fabrique_app):
    """ctrl+q closed the app at once, what was typed lost (in a browser, the session): a
    form typed in asks first; « Non » keeps it."""
    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont jean")
        await pilot.press("2", "r")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireDemande))
        formulaire = app.screen
        champ = formulaire.query(Input).first()
        champ.value = champ.value + "X"
        await pilot.press("ctrl+q")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        assert "pas enregistrée" in app.screen.question
        await pilot.press("n")
        await attendre(pilot, lambda: app.screen is formulaire)
        assert app.is_running and champ.value.endswith("X")
        # Over another question on the form (« Abandonner la saisie ? »): asked too.
        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        await pilot.press("ctrl+q")
        await attendre(pilot, lambda: isinstance(app.screen, QuestionQuitter))
        await pilot.press("o")
        await attendre(pilot, lambda: not app.is_running)


async def test_un_nom_tape_apres_echap_ne_deconnecte_pas(fabrique_app):
    """Escape on the empty search asks « Se déconnecter ? »: « dupont » typed then is an
    answer « Non » and the search (its « o » logged the agent out)."""
    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await attendre(pilot, lambda: isinstance(app.screen, EcranRecherche))
        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, ConfirmationDeconnexion))
        await pilot.press(*"dupont")  # (a key at a time, as typed)
        champ = app.screen.query_one("#saisie-recherche", Input)
        await attendre(pilot, lambda: champ.value == "dupont")
        assert app.agent is not None
        champ.value = ""
        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, ConfirmationDeconnexion))
        await pilot.press("O", *"livier")  # a capital: a letter, not the « o » of Oui
        await attendre(pilot, lambda: champ.value == "Olivier")
        assert app.agent is not None
        champ.value = ""
        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, ConfirmationDeconnexion))
        await pilot.press("o")
        await attendre(pilot, lambda: app.agent is None)


async def test_ni_palette_ni_ecran_du_service_sur_un_dialogue(fabrique_app):
    """ctrl+p over a form opened the palette, and a screen chosen there, above it; the form
    came back later, what was typed then going into it. F12 locks over a form too."""
    from ecrans.verrou import EcranVerrou

    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE, notifications=True) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await ouvrir_famille(pilot, "dupont jean")
        await pilot.press("2", "r")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireDemande))
        formulaire = app.screen
        await pilot.press("ctrl+p")
        await attendre(pilot, lambda: any("Fermez d'abord" in m for m in notifications(app)))
        assert app.screen is formulaire
        await pilot.press("f12")
        await attendre(pilot, lambda: isinstance(app.screen, EcranVerrou))


async def test_pas_de_palette_sur_la_declaration_qf_en_cours(fabrique_app):
    """The QF declaration is a full screen, not a dialog: ctrl+p opened over it and a family
    chosen there dropped what was typed."""
    from ecrans.declaration_qf import EcranDeclarationQF

    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE, notifications=True) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont jean")
        await pilot.press("7", "d")
        await attendre(pilot, lambda: isinstance(app.screen, EcranDeclarationQF))
        declaration = app.screen
        champ = declaration.query(Input).first()
        champ.value = champ.value + "1"
        await pilot.press("ctrl+p")
        await attendre(pilot, lambda: any("Fermez d'abord" in m for m in notifications(app)))
        assert app.screen is declaration
