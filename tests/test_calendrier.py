"""The calendar screen: an administrator adds a closure that the grid then shows."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select
from textual.widgets import Input, Select

from ecrans.calendrier import EcranCalendrier, FormulairePeriode
from modele.db import session as ouvrir
from modele.planning import PeriodeCalendrier
from tests.pilote import connecter, lignes, texte

TAILLE = (150, 45)


async def test_fermeture_ajoutee_par_l_administrateur(fabrique_app, engine):
    app = fabrique_app(dt.date(2026, 11, 27))
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "admin", "Admin2026")
        await pilot.press("f5")
        assert isinstance(app.screen, EcranCalendrier)
        assert any(ligne[0] == "Jour férié" and ligne[2] == "25/12/2026"
                   for ligne in lignes(app, "#calendrier"))
        await pilot.press("n")
        assert isinstance(app.screen, FormulairePeriode)
        app.screen.query_one("#type", Select).value = "fermeture"
        app.screen.query_one("#libelle", Input).value = "Journée pédagogique"
        app.screen.query_one("#debut", Input).value = "31/02/2027"
        await pilot.press("ctrl+s")
        assert "n'existe pas" in texte(app, "#erreur-periode")
        app.screen.query_one("#debut", Input).value = "12/02/2027"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert ["Fermeture", "Journée pédagogique", "12/02/2027", "12/02/2027", "1"] in lignes(
            app, "#calendrier")
    with ouvrir(engine) as s:
        assert s.exec(select(PeriodeCalendrier).where(
            PeriodeCalendrier.libelle == "Journée pédagogique")).one().debut == dt.date(2027, 2, 12)


async def test_agent_d_accueil_en_lecture_seule(fabrique_app, engine):
    app = fabrique_app(dt.date(2026, 11, 27))
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await pilot.press("f5")
        assert "Lecture seule" in texte(app, "#calendrier-droits")
        avant = lignes(app, "#calendrier")
        await pilot.press("s", "o")
        await pilot.pause()
        assert lignes(app, "#calendrier") == avant
