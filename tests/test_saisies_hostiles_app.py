"""Hostile input typed into the app's other forms (payment, QF attestation, calendar period):
a message at the field, no crash, nothing stored."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import func, select
from textual.widgets import Input

from modele.db import session as ouvrir
from modele.planning import PeriodeCalendrier
from modele.quotient import QuotientFamilial
from modele.reglements import Reglement
from tests.pilote import connecter, ouvrir_famille

TAILLE = (150, 50)
HOSTILES = [
    "",
    "douze euros",
    "-5",
    "😀",
    "'); DROP TABLE reglement; --",
    "1" * 400,
    "\x00\x1b",
    "nan",
    "inf",
    "Infinity",
    "-inf",
    "1e400",
]


def compter(engine, modele) -> int:
    with ouvrir(engine) as s:
        return s.exec(select(func.count()).select_from(modele)).one()


async def essayer(pilot, champ: str, valeurs: list[str], bouton: str = "#enregistrer") -> None:
    """Type each hostile value in the field and save: the form stays, with a message."""
    app = pilot.app
    ecran = app.screen
    for valeur in valeurs:
        ecran.query_one(champ, Input).value = valeur
        ecran.query_one(bouton).press()
        await pilot.pause()
        assert app.screen is ecran, f"{valeur!r} accepté"
        messages = " ".join(
            str(w.content) for w in ecran.query(".erreur, .erreur-champ") if str(w.content).strip()
        )
        assert messages, f"pas de message pour {valeur!r}"


async def test_reglement_montant_hostile(fabrique_app, engine):
    avant = compter(engine, Reglement)
    app = fabrique_app(dt.date(2015, 5, 4))
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont jean")
        await pilot.press("p")
        await pilot.pause()
        await essayer(pilot, "#champ-montant", HOSTILES + ["12,345", "0"])
        # Free text: refused by the model, at the field (cheque n°, bank, payer).
        app.screen.query_one("#champ-montant", Input).value = "10"
        app.screen.query_one("#champ-reference_paiement", Input).value = "1234567"
        for champ in ("#champ-payeur", "#champ-banque", "#champ-reference_paiement"):
            await essayer(pilot, champ, ["a\ud800b", "a\x00b", "x" * 81])
            app.screen.query_one(champ, Input).value = "1234567"
            await pilot.pause()  # (the field's Changed handled)
            erreur = app.screen.query_one(champ.replace("champ-", "erreur-"))
            assert str(erreur.content) == "", champ  # cleared when the field changes
    assert compter(engine, Reglement) == avant


async def test_attestation_qf_hostile(fabrique_app, engine):
    avant = compter(engine, QuotientFamilial)
    app = fabrique_app(dt.date(2026, 11, 27))
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await ouvrir_famille(pilot, "dupont jean")
        await pilot.press("7", "s")
        app.screen.query_one("#reference", Input).value = "REF-1"
        await essayer(pilot, "#valeur", HOSTILES + ["99999999"])
        app.screen.query_one("#valeur", Input).value = "500"
        await essayer(pilot, "#mois", ["13/2026", "00/2026", "😀", "'; --"])
    assert compter(engine, QuotientFamilial) == avant


@pytest.mark.parametrize(
    "champ, valeurs",
    [
        ("#debut", ["", "31/02/2027", "😀", "'); DROP TABLE periodecalendrier; --"]),
        ("#fin", ["30/02/2027", "01/01/2027"]),  # impossible, then before the start
    ],
)
async def test_periode_du_calendrier_hostile(fabrique_app, engine, champ, valeurs):
    avant = compter(engine, PeriodeCalendrier)
    app = fabrique_app(dt.date(2026, 11, 27))
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "admin", "Admin2026")
        await pilot.press("f5", "n")
        app.screen.query_one("#libelle", Input).value = "x" * 50
        if champ == "#fin":
            app.screen.query_one("#debut", Input).value = "12/02/2027"
        await essayer(pilot, champ, valeurs)
    assert compter(engine, PeriodeCalendrier) == avant


async def test_compte_d_agent_hostile(fabrique_app, engine):
    from modele.agents import Agent

    avant = compter(engine, Agent)
    app = fabrique_app(dt.date(2026, 11, 27))
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "admin", "Admin2026")
        await pilot.press("f8", "n")
        ecran = app.screen
        for champ, valeur in (
            ("#nom", "DURAND"),
            ("#prenom", "Léa"),
            ("#mot_de_passe", "Valide2026"),
            ("#confirmation", "Valide2026"),
        ):
            ecran.query_one(champ, Input).value = valeur
        await essayer(
            pilot,
            "#identifiant",
            ["", "a", "'; DROP TABLE agent; --", "léa 😀", "x" * 40, "ab\x00cd"],
        )
        ecran.query_one("#identifiant", Input).value = "ldurand"
        await essayer(pilot, "#mot_de_passe", ["court", "sansmajuscule1", "\x00Abcdefg1"])
    assert compter(engine, Agent) == avant


async def test_identite_de_la_declaration_qf_hostile(fabrique_app, engine):
    from textual.widgets import Checkbox

    from modele.famille import (
        Famille,
        Responsable,
        renseigner_lieu_naissance,
        valeurs_lieu_naissance,
    )
    from tests.fabrique import contexte

    with ouvrir(engine) as s:  # BERTRAND's birthplaces, the declaration's prerequisite
        famille = s.exec(
            select(Famille).join(Responsable).where(Responsable.nom == "BERTRAND")
        ).first()
        for personne in s.exec(select(Responsable).where(Responsable.famille_id == famille.id)):
            renseigner_lieu_naissance(s, contexte(), personne.id, valeurs_lieu_naissance("59350"))
        s.commit()
    app = fabrique_app(dt.date(2026, 11, 27))
    app.reglages.api_url = "local"
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await ouvrir_famille(pilot, "bertrand antoine")
        await pilot.press("7", "d")
        ecran = app.screen
        ecran.query_one("#lu", Checkbox).value = True
        await pilot.pause()
        ecran.query_one("#commencer").press()
        await pilot.pause()
        for champ, valeurs in (
            ("#annee", ["", "19x0", "😀", "1850", "3000"]),
            ("#nom_naissance", ["", "   "]),
            ("#nir", ["", "123", "'; --", "1" * 21]),
        ):
            for valeur in valeurs:
                ecran.query_one(champ, Input).value = valeur
                ecran.query_one("#valider-identite").press()
                await pilot.pause()
                assert str(ecran.query_one("#erreur-identite").content).strip(), valeur
                assert ecran.query_one("#etape-identite").display
            ecran.query_one("#annee", Input).value = "1990"
            ecran.query_one("#nom_naissance", Input).value = "BERTRAND"
