"""The QF declaration of seed 000 through the app, against the loopback API Particulier."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select
from textual.widgets import Checkbox, Input, RadioButton

from ecrans.compat_textual import notifications
from ecrans.declaration_qf import EcranDeclarationQF, SaisieAttestation
from ecrans.famille import EcranFamille
from ecrans.lieu_naissance import LieuNaissance
from ecrans.widgets import Confirmation
from modele.db import session as ouvrir
from modele.demandes import Demande, TypeDemande
from modele.famille import Famille
from modele.quotient import QuotientFamilial, StatutQF
from modele.tables.journal import Journal
from tests.pilote import attendre, connecter, lignes, ouvrir_famille, saisir, texte

TAILLE = (150, 50)
AUJOURDHUI = dt.date(2026, 11, 27)


@pytest.fixture
def app_qf(fabrique_app):
    def fabriquer():
        app = fabrique_app(AUJOURDHUI)
        app.reglages.api_url = "local"
        return app

    return fabriquer


async def renseigner_lieu(pilot, recherche: str) -> None:
    """In the birthplace form: type a commune, Enter, pick the first one, save."""
    app = pilot.app
    assert isinstance(app.screen, LieuNaissance)
    await saisir(pilot, recherche)
    await pilot.pause()
    await pilot.press("enter", "enter")
    await pilot.pause()
    app.screen.query_one("#enregistrer").press()
    await pilot.pause()


async def ouvrir_qf_bertrand(pilot) -> None:
    await connecter(pilot, "regie", "Regie2026")
    await ouvrir_famille(pilot, "bertrand antoine")
    await pilot.press("7")
    await pilot.pause()


async def test_prealable_puis_declaration_jusqu_au_recapitulatif(app_qf, engine):
    app = app_qf()
    async with app.run_test(size=TAILLE) as pilot:
        await ouvrir_qf_bertrand(pilot)
        assert [
            "Quotient test API PARTICULIER",
            "Du 01/12/2024 au 31/12/2025",
            "300,00",
            "",
            "En cours de traitement",
        ] in lignes(app, "#qf-liste")
        assert "tranche maximale" in texte(app, "#qf-tranche")
        assert "renseigner le lieu de naissance de BERTRAND Antoine Louis et de DUMONT" in texte(
            app, "#qf-prealable"
        )
        await pilot.press("d")  # the prerequisite stops the declaration
        assert isinstance(app.screen, EcranDeclarationQF)
        assert "Prérequis" in texte(app, "#prealable-texte")
        await pilot.press("escape")
        for _ in range(2):  # both birthplaces, directly (régisseur)
            await pilot.press("l", "enter")
            await renseigner_lieu(pilot, "lille")
        assert "la déclaration est possible" in texte(app, "#qf-prealable")
        await pilot.press("d")
        app.screen.query_one("#lu", Checkbox).value = True
        await pilot.pause()
        app.screen.query_one("#commencer").press()
        await pilot.pause()
        assert app.screen.query_one("#nom_naissance", Input).value == "BERTRAND"
        assert app.screen.query_one("#prenom-1", Input).value == "Louis"
        assert app.screen.query_one("#annee", Input).value == "1990"
        app.screen.query_one("#naissance", RadioButton).value = True
        await pilot.pause()
        app.screen.query_one("#valider-identite").press()
        await attendre(pilot, lambda: texte(app, "#recap"))  # (the API call, in a worker)
        recap = texte(app, "#recap")
        assert "Allocataire 1 : BERTRAND ANTOINE LOUIS né le 23/11/1990" in recap
        assert "Allocataire 2 : DUMONT CLÉMÉ MARIE née le 14/07/1992" in recap
        assert "Adresse : 9 RUE DES LIAS, 59000 LILLE, FRANCE" in recap
        assert "BERTRAND EMMA LUCIE née le 10/04/2021" in recap
        assert "Quotient familial : 300,00€ valide à partir de Décembre 2024" in recap
        app.screen.query_one("#valider-declaration").press()  # not certified
        await pilot.pause()
        assert "Je certifie" in texte(app, "#erreur-recap")
        app.screen.query_one("#certifie", Checkbox).value = True
        await pilot.pause()
        app.screen.query_one("#valider-declaration").press()
        await pilot.pause()
        assert not isinstance(app.screen, EcranDeclarationQF)
        assert [
            "Quotient CAF — API Particulier",
            "Du 01/11/2026 au 30/11/2027",
            "300,00",
            "",
            "En cours de traitement",
        ] in lignes(app, "#qf-liste")
        # The régisseur validates it from the queue: bracket 1, billed from this month.
        await pilot.press("f2")
        table = app.screen.query_one("#file-demandes")
        rang = next(
            i
            for i in range(table.row_count)
            if "Quotient familial" in [str(c) for c in table.get_row_at(i)]
            and "BERTRAND" in str(table.get_row_at(i)[3])
            and "01/11/2026" in str(table.get_row_at(i)[8])
        )
        table.move_cursor(row=rang)
        await pilot.press("enter", "a", "escape", "escape")
        await pilot.pause()
        assert [
            "Quotient CAF — API Particulier",
            "Du 01/11/2026 au 30/11/2027",
            "300,00",
            "Tranche 1 : de 0,00 à 400,00 €",
            "Validé",
        ] in lignes(app, "#qf-liste")
        assert texte(app, "#qf-tranche").startswith("Facturé en novembre 2026 : Tranche 1")


async def test_dossier_allocataire_inexistant(app_qf, engine):
    app = app_qf()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await ouvrir_famille(pilot, "dupont jean")
        await pilot.press("7")
        for _ in range(2):
            await pilot.press("l", "enter")
            await renseigner_lieu(pilot, "toulouse")
        await pilot.press("d")
        app.screen.query_one("#lu", Checkbox).value = True
        await pilot.pause()
        app.screen.query_one("#commencer").press()
        await pilot.pause()
        app.screen.query_one("#annee", Input).value = "1975"
        app.screen.query_one("#sexe-M", RadioButton).value = True
        app.screen.query_one("#naissance", RadioButton).value = True
        await pilot.pause()
        app.screen.query_one("#valider-identite").press()
        await attendre(
            pilot,
            lambda: texte(app, "#recuperation-texte").startswith("Dossier allocataire inexistant"),
        )
        assert app.screen.query_one("#vers-attestation").display
        # No CAF file: the attestation typed instead, saved; both screens close, no error
        # (its callback returned the declaration's dismissal, which Textual then awaited).
        declaration = app.screen
        app.screen.query_one("#vers-attestation").press()
        await attendre(pilot, lambda: isinstance(app.screen, SaisieAttestation))
        await saisir(pilot, "850,50")
        app.screen.query_one("#reference", Input).value = "ATT-1"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))
        for _ in range(5):
            await pilot.pause()
        assert not app.erreurs_inattendues, app.erreurs_inattendues
        assert not declaration.is_attached or app.screen is not declaration
        assert any(ligne[2] == "850,50" for ligne in lignes(app, "#qf-liste"))


async def test_carte_vitale_verifiee_puis_recuperation(app_qf):
    app = app_qf()
    async with app.run_test(size=TAILLE) as pilot:
        await ouvrir_qf_bertrand(pilot)
        for _ in range(2):
            await pilot.press("l", "enter")
            await renseigner_lieu(pilot, "lille")
        await pilot.press("d")
        app.screen.query_one("#lu", Checkbox).value = True
        await pilot.pause()
        app.screen.query_one("#commencer").press()
        await pilot.pause()
        app.screen.query_one("#nir", Input).value = "1 90 11 59 350 123 88"  # wrong key
        app.screen.query_one("#valider-identite").press()
        await pilot.pause()
        assert "carte Vitale invalide" in texte(app, "#erreur-identite")
        # corrected: the message goes with the change, not at the next check only
        app.screen.query_one("#nir", Input).value = "2 90 11 59 350 123 3"
        await attendre(pilot, lambda: texte(app, "#erreur-identite") == "")
        app.screen.query_one("#nir", Input).value = "2 90 11 59 350 123 37"  # valid, but a woman
        app.screen.query_one("#valider-identite").press()
        await pilot.pause()
        assert "ne correspond pas" in texte(app, "#erreur-identite")
        # Another source: the message about the card goes (it stayed), then back to it.
        app.screen.query_one("#naissance", RadioButton).value = True
        await attendre(pilot, lambda: texte(app, "#erreur-identite") == "")
        app.screen.query_one("#vitale", RadioButton).value = True
        await pilot.pause()
        app.screen.query_one("#nir", Input).value = "1 90 11 59 350 123 87"
        app.screen.query_one("#valider-identite").press()
        await attendre(pilot, lambda: "Quotient familial : 300,00€" in texte(app, "#recap"))


async def test_attestation_papier_et_campagne(app_qf, engine):
    app = app_qf()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await ouvrir_famille(pilot, "dupont jean")
        await pilot.press("7", "s")
        await saisir(pilot, "650,5")
        app.screen.query_one("#enregistrer").press()
        await pilot.pause()
        assert "référence" in texte(app, "#erreur-attestation")
        app.screen.query_one("#reference", Input).value = "CAF-2026-11-0042"
        app.screen.query_one("#enregistrer").press()
        await pilot.pause()
        assert [
            "Attestation CAF",
            "Du 01/11/2026 au 30/11/2027",
            "650,50",
            "",
            "En cours de traitement",
        ] in lignes(app, "#qf-liste")
    with ouvrir(engine) as s:
        famille = s.exec(select(Famille).where(Famille.numero == "1001001818331")).one()
        qf = s.exec(
            select(QuotientFamilial)
            .where(QuotientFamilial.famille_id == famille.id)
            .order_by(QuotientFamilial.id.desc())
        ).first()
        assert (qf.valeur, qf.statut, qf.reference_document) == (
            65050,
            StatutQF.EN_COURS,
            "CAF-2026-11-0042",
        )
        assert s.exec(
            select(Demande).where(
                Demande.type == TypeDemande.QUOTIENT_FAMILIAL, Demande.famille_id == famille.id
            )
        ).all()


async def test_campagne_relance_les_familles(app_qf, engine):
    from ecrans.campagne_qf import EcranCampagneQF
    from modele.messages import Message
    from modele.quotient import SUJET_RELANCE

    app = app_qf()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await pilot.press("f7")
        assert isinstance(app.screen, EcranCampagneQF)
        a_relancer = len(app.screen.relance().familles)
        assert a_relancer > 1
        assert "1001001818331" in [ligne[0] for ligne in lignes(app, "#campagne-familles")]
        await pilot.press("r")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        assert f"à {a_relancer} familles ?" in app.screen.question
        await pilot.press("o")
        await attendre(pilot, lambda: any("Relance envoyée à" in m for m in notifications(app)))
        assert f"Relance envoyée à {a_relancer} familles dans leur boîte" in notifications(app)[-1]
        suivi = lignes(app, "#campagne-familles")
        assert all(ligne[3] == "27/11/2026" for ligne in suivi if ligne[4] == "à faire")
        # `r` again the same day: no family reminded twice, and the agent is told why
        await pilot.press("r")
        await attendre(pilot, lambda: any("déjà relancées" in m for m in notifications(app)))
        assert f"{a_relancer} familles à relancer, toutes déjà relancées" in notifications(app)[-1]
        assert isinstance(app.screen, EcranCampagneQF)
    with ouvrir(engine) as s:
        relances = s.exec(select(Message).where(Message.sujet == SUJET_RELANCE)).all()
        assert len({m.famille_id for m in relances}) >= a_relancer
        assert len(relances) == len({m.famille_id for m in relances})  # once each


async def test_campagne_deux_agents_ne_relancent_pas_deux_fois(app_qf, engine):
    """Another agent reminds some of the families while this one's confirmation is open:
    those are not reminded a second time, and the agent is told how many."""
    from ecrans.campagne_qf import EcranCampagneQF
    from modele.messages import Message, relancer_campagne
    from modele.quotient import SUJET_RELANCE

    app = app_qf()
    async with app.run_test(size=TAILLE, notifications=True) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await pilot.press("f7")
        await attendre(pilot, lambda: isinstance(app.screen, EcranCampagneQF))
        familles = app.screen.relance().familles
        await pilot.press("r")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        with ouvrir(engine) as s:  # the other counter, meanwhile
            autre = relancer_campagne(s, app.contexte(), familles[:2], app.aujourdhui)
            s.commit()
        assert (autre.envoyees, autre.deja) == (2, 0)
        await pilot.press("o")
        await attendre(pilot, lambda: any("Relance envoyée à" in m for m in notifications(app)))
        assert notifications(app)[-1] == (
            f"Relance envoyée à {len(familles) - 2} familles dans leur boîte de réception. "
            "2 autres, relancées entre-temps par un autre agent, ne l'ont pas été une seconde "
            "fois."
        )
    with ouvrir(engine) as s:
        relances = s.exec(select(Message).where(Message.sujet == SUJET_RELANCE)).all()
        assert sorted(m.famille_id for m in relances) == sorted(familles)
        # written in bulk, each message as one written alone: unread by the family, the
        # agent's, journaled with its own id, family and agent
        assert {(m.sens, m.lu, m.supprime, m.canal) for m in relances} == {
            ("service", False, False, "guichet")
        }
        assert len({m.id for m in relances}) == len(familles)
        journal = s.exec(
            select(Journal).where(Journal.action == "message envoye", Journal.objet == "message")
        ).all()
        par_message = {j.objet_id: j for j in journal}
        for m in relances:
            j = par_message[m.id]
            assert (j.famille_id, j.agent_id, j.apres) == (
                m.famille_id,
                m.agent_id,
                {"sujet": SUJET_RELANCE},
            )
            assert m.agent_id is not None


async def test_lieu_de_naissance_en_france_sans_commune(app_qf):
    """Born in France, no commune chosen: the message asks for the commune, not for the
    country of a birth abroad."""
    app = app_qf()
    async with app.run_test(size=TAILLE) as pilot:
        await ouvrir_qf_bertrand(pilot)
        await pilot.press("l", "enter")
        await attendre(pilot, lambda: isinstance(app.screen, LieuNaissance))
        app.screen.query_one("#enregistrer").press()
        await attendre(pilot, lambda: texte(app, "#erreur-lieu") != "")
        assert texte(app, "#erreur-lieu") == "Choisissez la commune dans la liste (Entrée)."
        assert isinstance(app.screen, LieuNaissance)


async def test_declaration_dit_de_cocher_avant_de_commencer(app_qf):
    """« Commencer ma déclaration » cannot be reached until the box is ticked: the form says
    so, and stops saying it once ticked."""
    app = app_qf()
    async with app.run_test(size=TAILLE) as pilot:
        await ouvrir_qf_bertrand(pilot)
        await pilot.press("d")
        await attendre(pilot, lambda: isinstance(app.screen, EcranDeclarationQF))
        aide = app.screen.query_one("#lu-aide")
        assert aide.display and "Cochez" in str(aide.content)
        app.screen.query_one("#lu", Checkbox).value = True
        await attendre(pilot, lambda: not aide.display)
        assert not app.screen.query_one("#commencer").disabled
