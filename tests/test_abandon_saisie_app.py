"""Escape on a form with changes asks « Abandonner la saisie ? » (issue #15): Non goes back
to the form with what was typed, Oui closes it and nothing is saved; a form without changes
closes at once. One mechanism (ecrans.widgets.SaisieGardee) for every form that saves."""

from __future__ import annotations

import pytest
from sqlmodel import func, select
from textual.widgets import Input

from ecrans.agents import FormulaireAgent
from ecrans.declaration_qf import SaisieAttestation
from ecrans.encaissement import FormulaireEncaissement
from ecrans.formulaire_champs import FormulaireChamps
from ecrans.formulaire_demande import FormulaireDemande
from ecrans.parametres_regie import ParametresRegie
from ecrans.redaction import Redaction
from ecrans.texte import Static
from ecrans.widgets import Confirmation
from modele.agents import Agent
from modele.db import session as ouvrir
from modele.demandes import Demande
from modele.messages import Message
from modele.reglements import Reglement
from tests.conftest import JOUR_SEED
from tests.pilote import attendre, connecter, ouvrir_famille

# (role's login, how to reach the form, the form, the table that must not grow)
CAS = {
    "demande": (("accueil", "Accueil2026"), ("2", "r"), FormulaireDemande, Demande),
    "reglement": (("regie", "Regie2026"), ("p",), FormulaireEncaissement, Reglement),
    "message": (("accueil", "Accueil2026"), ("5", "n"), Redaction, Message),
    "attestation_qf": (("regie", "Regie2026"), ("7", "s"), SaisieAttestation, None),
    "agent": (("admin", "Admin2026"), ("f8", "n"), FormulaireAgent, Agent),
    "parametres_regie": (("admin", "Admin2026"), ("f6", "o"), ParametresRegie, None),
    "delais_relances": (("regie", "Regie2026"), ("f6", "r", "d"), FormulaireChamps, None),
}


def nombre(engine, table) -> int:
    if table is None:
        return 0
    with ouvrir(engine) as s:
        return s.exec(select(func.count()).select_from(table)).one()


async def ouvrir_formulaire(pilot, cas: str):
    (identifiant, mot_de_passe), touches, classe, _ = CAS[cas]
    app = pilot.app
    await connecter(pilot, identifiant, mot_de_passe)
    if not touches[0].startswith("f"):  # (an F-key: from the search)
        await ouvrir_famille(pilot, "1001001818331")
    for touche in touches:
        await pilot.press(touche)
        await pilot.pause()
    await attendre(pilot, lambda: isinstance(app.screen, classe))
    return app.screen


def premier_champ(formulaire) -> Input:
    return next(c for c in formulaire.query(Input) if c.display and not c.disabled)


@pytest.mark.parametrize("cas", list(CAS))
async def test_echap_ou_annuler_demande_confirmation_si_saisie(fabrique_app, engine, cas):
    """Escape, then the mouse on « Annuler » (one mechanism: Modale), in one app run."""
    app = fabrique_app(JOUR_SEED)
    avant = nombre(engine, CAS[cas][3])
    async with app.run_test(size=(120, 40)) as pilot:
        formulaire = await ouvrir_formulaire(pilot, cas)
        # Nothing typed: Escape closes at once.
        await pilot.press("escape")
        await attendre(pilot, lambda: app.screen is not formulaire)
        assert not isinstance(app.screen, Confirmation)
        for touche in CAS[cas][1][-1:]:
            await pilot.press(touche)
        await attendre(pilot, lambda: isinstance(app.screen, CAS[cas][2]))
        formulaire = app.screen
        champ = premier_champ(formulaire)
        champ.focus()
        await pilot.pause()
        await pilot.press("end", "9", "z")
        saisi = champ.value
        assert saisi.endswith("9z")
        # Escape asks; Non (also Escape on the question) goes back to what was typed.
        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        question = app.screen.query_one(".titre-dialogue", Static)
        assert str(question.content) == "Abandonner la saisie ?"
        await pilot.press("n")
        await attendre(pilot, lambda: app.screen is formulaire)
        assert champ.value == saisi
        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        await pilot.press("escape")
        await attendre(pilot, lambda: app.screen is formulaire)
        # Oui closes the form; nothing was saved.
        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        await pilot.press("o")
        await attendre(pilot, lambda: app.screen is not formulaire)
        assert not isinstance(app.screen, Confirmation | CAS[cas][2])
        # The mouse on « Annuler » asks as Escape does.
        await pilot.press(CAS[cas][1][-1])
        await attendre(pilot, lambda: isinstance(app.screen, CAS[cas][2]))
        formulaire = app.screen
        champ = premier_champ(formulaire)
        champ.focus()
        await pilot.pause()
        await pilot.press("end", "9", "z")
        saisi = champ.value
        assert saisi.endswith("9z")
        assert await pilot.click("#annuler")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        question = app.screen.query_one(".titre-dialogue", Static)
        assert str(question.content) == "Abandonner la saisie ?"
        await pilot.press("n")
        await attendre(pilot, lambda: app.screen is formulaire)
        assert champ.value == saisi
        # Textual's Button ignores a click while it still shows the previous one (its
        # "-active" effect, 0.2 s): a fast machine comes back from the question sooner.
        bouton = formulaire.query_one("#annuler")
        await attendre(pilot, lambda: not bouton.has_class("-active"))
        assert await pilot.click("#annuler")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        await pilot.click("#oui")
        await attendre(pilot, lambda: app.screen is not formulaire)
        assert not isinstance(app.screen, Confirmation | CAS[cas][2])
        # Nothing typed: the click closes at once.
        await pilot.press(CAS[cas][1][-1])
        await attendre(pilot, lambda: isinstance(app.screen, CAS[cas][2]))
        formulaire = app.screen
        await pilot.pause()
        assert await pilot.click("#annuler")
        await attendre(pilot, lambda: app.screen is not formulaire)
        assert not isinstance(app.screen, Confirmation | CAS[cas][2])
    assert nombre(engine, CAS[cas][3]) == avant
