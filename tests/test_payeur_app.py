"""The payer chosen in Mon compte, accepted by the service, addresses the next invoice."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from ecrans.decision import EcranDecision
from ecrans.facture_detail import EcranFacture
from ecrans.famille import EcranFamille
from ecrans.formulaire_demande import FormulaireDemande
from ecrans.texte import Select
from modele.famille import Famille, Responsable
from tests.pilote import attendre, connecter, ouvrir_famille, texte

TAILLE = (150, 50)


async def test_payeur_demande_dans_mon_compte_puis_acceptee(fabrique_app, engine):
    from modele.db import session as ouvrir

    with ouvrir(engine) as s:
        famille = s.exec(select(Famille).where(Famille.numero == "1001001818331")).one()
        jeanne = s.exec(
            select(Responsable).where(
                Responsable.famille_id == famille.id, Responsable.prenoms == "JEANNE"
            )
        ).one()
    app = fabrique_app(dt.date(2015, 4, 7))  # the day before AL-36 is issued
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await ouvrir_famille(pilot, "dupont")
        await pilot.press("2")
        await attendre(pilot, lambda: "DUPONT JEAN" in texte(app, "#compte-payeurs"))
        await pilot.press("p")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireDemande))
        app.screen.query_one("#champ-responsable_id", Select).value = str(jeanne.id)
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))
        await pilot.press("6")
        await attendre(pilot, lambda: app.screen.query_one("#demandes-attente").row_count > 0)
        app.screen.query_one("#demandes-attente").focus()
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, EcranDecision))
        await pilot.press("a")
        await attendre(pilot, lambda: "Acceptée le" in texte(app, "#decision-statut"))
        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))
        await pilot.press("2")
        await attendre(
            pilot, lambda: "DUPONT JEANNE (depuis le 07/04/2015)" in texte(app, "#compte-payeurs")
        )
    # the invoice issued the next day (AL-36) is JEANNE's
    app = fabrique_app(dt.date(2015, 5, 4))
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont")
        await attendre(pilot, lambda: app.screen.query_one("#accueil-impayees").row_count > 0)
        app.screen.query_one("#accueil-impayees").focus()
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFacture))
        assert "Payeur : DUPONT JEANNE" in texte(app, "#facture-infos")
