"""The calendar screen: an administrator adds a closure that the grid then shows."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import col, select
from textual.widgets import Input, Select

from ecrans.calendrier import EcranCalendrier, FormulairePeriode, MessageFermeture
from ecrans.widgets import Confirmation
from modele.base import ErreurMetier
from modele.db import session as ouvrir
from modele.planning import PeriodeCalendrier
from tests.pilote import attendre, connecter, lignes, texte

TAILLE = (150, 45)


async def test_fermeture_ajoutee_par_l_administrateur(fabrique_app, engine):
    app = fabrique_app(dt.date(2026, 11, 27))
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "admin", "Admin2026")
        await pilot.press("f5")
        assert isinstance(app.screen, EcranCalendrier)
        assert any(
            ligne[0] == "Jour férié" and ligne[2] == "25/12/2026"
            for ligne in lignes(app, "#calendrier")
        )
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
        if isinstance(app.screen, MessageFermeture):  # booked families: not told here
            await pilot.press("escape")
            await pilot.pause()
        assert ["Fermeture", "Journée pédagogique", "12/02/2027", "12/02/2027", "1"] in lignes(
            app, "#calendrier"
        )
    with ouvrir(engine) as s:
        assert s.exec(
            select(PeriodeCalendrier).where(PeriodeCalendrier.libelle == "Journée pédagogique")
        ).one().debut == dt.date(2027, 2, 12)


async def test_agent_d_accueil_en_lecture_seule(fabrique_app, engine):
    app = fabrique_app(dt.date(2026, 11, 27))
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await pilot.press("f5")  # not offered to an agent d'accueil (tests/test_droits_ecrans_app)
        await pilot.pause()
        assert not isinstance(app.screen, EcranCalendrier)
        # The screen itself, reached anyway, stays read-only.
        app.push_screen(EcranCalendrier())
        await pilot.pause()
        assert "Lecture seule" in texte(app, "#calendrier-droits")
        avant = lignes(app, "#calendrier")
        await pilot.press("s", "o")
        await pilot.pause()
        assert lignes(app, "#calendrier") == avant


async def fermeture_saisie(pilot, activite_id: int, libelle: str, jour: str) -> None:
    """As the administrator: F5, n, a closure of `activite_id` on `jour`, saved (ctrl+s)."""
    app = pilot.app
    await connecter(pilot, "admin", "Admin2026")
    await pilot.press("f5")
    await pilot.press("n")
    await attendre(pilot, lambda: isinstance(app.screen, FormulairePeriode))
    app.screen.query_one("#type", Select).value = "fermeture"
    app.screen.query_one("#activite", Select).value = activite_id
    app.screen.query_one("#libelle", Input).value = libelle
    app.screen.query_one("#debut", Input).value = jour
    await pilot.press("ctrl+s")


async def test_greve_a_la_cantine_ferme_les_reservations_et_previent_les_familles(
    fabrique_app, engine
):
    """Issue 14.2: a strike at the canteen recorded on a day already invoiced: the credit
    notes are asked first; the booked cells become "Fermeture"; the families concerned
    are listed and told in one action."""
    from sqlmodel import func

    from modele.controle import anomalies_grand_livre, numeros_emis
    from modele.facturation import Facture, NatureFacture
    from modele.messages import Message
    from modele.planning import Activite, Consommation, JourFacture
    from modele.planning import EtatConsommation as E

    jour = dt.date(2026, 10, 8)  # a Thursday of October, invoiced in the demo
    with ouvrir(engine) as s:
        rest = s.exec(select(Activite).where(Activite.code == "GP-REST")).one()
        cellules = s.exec(
            select(Consommation)
            .join(JourFacture, JourFacture.consommation_id == Consommation.id)
            .where(Consommation.activite_id == rest.id, Consommation.jour == jour)
        ).all()
        assert len(cellules) >= 2, "la démo n'a pas de cantine facturée ce jour-là"
        for cellule in cellules:  # booked, billed, not yet pointed
            cellule.etat = E.RESERVE.value
            s.add(cellule)
        s.commit()
        ids = [c.id for c in cellules]
        numeros = numeros_emis(s)
        avoirs_avant = s.exec(
            select(func.count()).select_from(Facture).where(Facture.nature == NatureFacture.AVOIR)
        ).one()
    app = fabrique_app(dt.date(2026, 11, 27))
    async with app.run_test(size=TAILLE) as pilot:
        await fermeture_saisie(pilot, rest.id, "Grève", "08/10/2026")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        question = str(app.screen.query_one(".titre-dialogue").content)
        assert f"{len(ids)} jours de la fermeture sont déjà facturés" in question
        await pilot.press("o")
        await attendre(pilot, lambda: isinstance(app.screen, MessageFermeture))
        familles = lignes(app, "#fermeture-familles")
        assert len(familles) >= 1
        assert app.screen.query_one("#sujet", Input).value == "Fermeture le 08/10/2026 : Grève"
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: isinstance(app.screen, EcranCalendrier))
        assert ["Fermeture", "Grève", "08/10/2026", "08/10/2026", "1"] in lignes(app, "#calendrier")
    with ouvrir(engine) as s:
        etats = {c.etat for c in s.exec(select(Consommation).where(col(Consommation.id).in_(ids)))}
        assert etats == {E.FERMETURE}
        assert not s.exec(
            select(JourFacture).where(col(JourFacture.consommation_id).in_(ids))
        ).all()
        avoirs = s.exec(
            select(func.count()).select_from(Facture).where(Facture.nature == NatureFacture.AVOIR)
        ).one()
        assert avoirs > avoirs_avant
        envoyes = s.exec(
            select(Message).where(Message.sujet == "Fermeture le 08/10/2026 : Grève")
        ).all()
        assert len(envoyes) == len(familles)
        assert anomalies_grand_livre(s, numeros) == []


async def test_fermeture_supprimee_rend_les_reservations(fabrique_app, engine):
    """A closure added by mistake, then deleted: the question says how many days come back,
    and they are booked again (they stayed « Fermeture », unbilled)."""
    from modele.calendrier import FERMABLES
    from modele.planning import Activite, Consommation
    from modele.planning import EtatConsommation as E

    jour = dt.date(2026, 12, 10)  # a Thursday to come: booked canteen days in the demo
    with ouvrir(engine) as s:
        rest = s.exec(select(Activite).where(Activite.code == "GP-REST")).one()
        avant = {
            c.id: c.etat
            for c in s.exec(
                select(Consommation).where(
                    Consommation.activite_id == rest.id, Consommation.jour == jour
                )
            )
        }
        assert any(e in (E.RESERVE, E.REGULIER) for e in avant.values()), avant
    app = fabrique_app(dt.date(2026, 11, 27))
    async with app.run_test(size=TAILLE) as pilot:
        await fermeture_saisie(pilot, rest.id, "Erreur de saisie", "10/12/2026")
        await attendre(pilot, lambda: isinstance(app.screen, MessageFermeture))
        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, EcranCalendrier))
        rang = [r[1] for r in lignes(app, "#calendrier")].index("Erreur de saisie")
        app.screen.query_one("#calendrier").move_cursor(row=rang)
        await pilot.press("s")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        fermes = sum(e in FERMABLES for e in avant.values())
        assert f"Les {fermes} jours qu'elle a fermés reviennent" in app.screen.question
        await pilot.press("o")
        await attendre(pilot, lambda: "Erreur de saisie" not in str(lignes(app, "#calendrier")))
    with ouvrir(engine) as s:
        apres = {
            c.id: c.etat
            for c in s.exec(select(Consommation).where(col(Consommation.id).in_(list(avant))))
        }
        assert apres == avant


async def test_vacances_sur_des_vacances_demandent_avant(fabrique_app, engine):
    """School holidays typed over other holidays (20/12–05/01 beside « Vacances de Noël »)
    were saved with no word: the form asks first; « Non » saves nothing, « Oui » saves."""
    from modele.calendrier import CHAMP_CHEVAUCHEMENT, enregistrer_periode
    from modele.planning import PeriodeCalendrier, TypeCalendrier
    from tests import fabrique

    with ouvrir(engine) as s:
        noel = s.exec(
            select(PeriodeCalendrier).where(PeriodeCalendrier.libelle == "Vacances de Noël")
        ).first()
        debut = noel.debut + dt.timedelta(days=1)
        with pytest.raises(ErreurMetier, match="chevauchent « Vacances de Noël »") as refus:
            enregistrer_periode(
                s, fabrique.contexte(), TypeCalendrier.PETITES_VACANCES, "Double", debut, None
            )
        assert refus.value.champ == CHAMP_CHEVAUCHEMENT
        # Correcting the holidays themselves is no overlap with themselves.
        enregistrer_periode(
            s,
            fabrique.contexte(),
            TypeCalendrier.PETITES_VACANCES,
            noel.libelle,
            noel.debut,
            noel.fin,
            periode_id=noel.id,
        )
        s.rollback()
    app = fabrique_app(dt.date(2026, 11, 27))
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "admin", "Admin2026")
        await pilot.press("f5")
        await pilot.press("n")
        await attendre(pilot, lambda: isinstance(app.screen, FormulairePeriode))
        formulaire = app.screen
        formulaire.query_one("#type", Select).value = "petites_vacances"
        formulaire.query_one("#libelle", Input).value = "Chevauchement"
        formulaire.query_one("#debut", Input).value = f"{debut:%d/%m/%Y}"
        for reponse in ("n", "o"):
            await pilot.press("ctrl+s")
            await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
            assert "chevauchent « Vacances de Noël »" in app.screen.question
            await pilot.press(reponse)
            if reponse == "n":
                await attendre(pilot, lambda: app.screen is formulaire)
        await attendre(pilot, lambda: isinstance(app.screen, EcranCalendrier))
    with ouvrir(engine) as s:
        assert s.exec(
            select(PeriodeCalendrier).where(PeriodeCalendrier.libelle == "Chevauchement")
        ).one()
