"""Children's requests, adding a child, enrolment and unenrolment, through the app."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select
from textual.widgets import Checkbox, Input, Select

from ecrans.compat_textual import notifications
from ecrans.formulaire_demande import FormulaireDemande
from ecrans.widgets import Choix
from modele.db import session as ouvrir
from modele.demandes import Demande, StatutDemande, TypeDemande, accepter_demande, creer_demande
from modele.famille import Enfant
from modele.planning import Consommation, Inscription
from tests.fabrique import contexte
from tests.pilote import attendre, connecter, ouvrir_famille, texte

TAILLE = (160, 50)
AUJOURDHUI = dt.date(2026, 11, 27)


async def choisir(pilot, cle: str) -> None:
    """Pick an entry of a Choix list by its key."""
    liste = pilot.app.screen.query_one("#choix")
    rang = next(i for i in range(liste.option_count) if liste.get_option_at_index(i).id == cle)
    liste.highlighted = rang
    await pilot.press("enter")
    await pilot.pause()


async def test_ajout_d_enfant_accepte_cree_l_enfant(fabrique_app, engine):
    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE, notifications=True) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await ouvrir_famille(pilot, "dupont")
        await pilot.press("3", "d")
        assert isinstance(app.screen, Choix)
        await choisir(pilot, "ajout_enfant")
        assert isinstance(app.screen, FormulaireDemande)
        assert app.screen.query_one("#champ-nom", Input).value == "DUPONT"
        app.screen.query_one("#champ-prenoms", Input).value = "Léa"
        app.screen.query_one("#champ-date_naissance", Input).value = "29/02/2024"
        await pilot.press("ctrl+s")  # no sex chosen: said at the field, until chosen
        erreur = app.screen.query_one("#erreur-sexe")
        await attendre(pilot, lambda: "Sexe" in texte(app, "#erreur-sexe"))
        app.screen.query_one("#champ-sexe", Select).value = "F"
        await attendre(pilot, lambda: not erreur.display)
        app.screen.query_one("#champ-niveau", Select).value = "maternelle"
        cases = [c for c in app.screen.query(Checkbox) if c.id.startswith("champ-activite_")]
        cases[0].value = True
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: not isinstance(app.screen, FormulaireDemande))
        # The channel said, as for the file's other requests.
        assert "Demande « Ajout d'enfant » enregistrée (Guichet)" in " ".join(notifications(app))
    with ouvrir(engine) as s:
        demande = s.exec(
            select(Demande)
            .where(Demande.type == TypeDemande.AJOUT_ENFANT)
            .order_by(Demande.id.desc())
        ).first()
        assert demande.valeurs["date_naissance"] == "2024-02-29"
        assert demande.statut == StatutDemande.EN_ATTENTE
        famille_id = demande.famille_id
        assert not s.exec(select(Enfant).where(Enfant.prenoms == "Léa")).first()
        regie = contexte(AUJOURDHUI)
        accepter_demande(s, regie, demande)
        s.commit()
        lea = s.exec(select(Enfant).where(Enfant.prenoms == "Léa")).one()
        assert lea.famille_id == famille_id and lea.date_naissance == dt.date(2024, 2, 29)
        assert s.exec(select(Inscription).where(Inscription.enfant_id == lea.id)).all()


async def test_donnees_sanitaires_par_demande(fabrique_app, engine):
    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "mathis bertrand")
        await pilot.press("3", "d")
        await choisir(pilot, "sanitaires")
        app.screen.query_one("#champ-allergies", Input).value = "Arachide"
        await pilot.press("ctrl+s")
        await pilot.pause()
    with ouvrir(engine) as s:
        demande = s.exec(
            select(Demande)
            .where(Demande.type == TypeDemande.SANITAIRES)
            .order_by(Demande.id.desc())
        ).first()
        assert demande.valeurs["allergies"][1] == "Arachide"
        assert demande.enfant_id is not None


async def test_desinscription_annule_les_jours_a_venir(fabrique_app, engine):
    with ouvrir(engine) as s:
        mathis = s.exec(select(Enfant).where(Enfant.prenoms == "Mathis Noah")).one()
        avant = s.exec(
            select(Inscription).where(
                Inscription.enfant_id == mathis.id, Inscription.annee_scolaire == 2026
            )
        ).all()
    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "mathis bertrand")
        await pilot.press("3")
        await pilot.pause()
        grille = app.screen.query_one("#planning")
        if grille.grille.enfant.id != mathis.id:
            await pilot.press("e")
        await pilot.press("d")
        await choisir(pilot, "desinscrire")
        inscription = avant[0]
        await choisir(pilot, str(inscription.id))
        await choisir(pilot, "annuler")
    with ouvrir(engine) as s:
        inscription = s.get(Inscription, inscription.id)
        assert inscription.date_fin == AUJOURDHUI
        futures = s.exec(
            select(Consommation).where(
                Consommation.enfant_id == mathis.id,
                Consommation.activite_id == inscription.activite_id,
                Consommation.jour > AUJOURDHUI,
            )
        ).all()
        assert futures == []


async def test_fiche_d_inscription_pdf(fabrique_app, tmp_path):
    import io

    from pypdf import PdfReader

    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont jean")
        await pilot.press("3", "d")
        await choisir(pilot, "fiche")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("d")
        await choisir(pilot, "fiche_vierge")
        await app.workers.wait_for_complete()
    fichiers = sorted(app.reglages.dossier_exports.glob("*.pdf"))
    assert [f.name for f in fichiers] == [
        "fiche-inscription-DUPONT-Lucas.pdf",
        "fiche-inscription-vierge.pdf",
    ]
    texte = "".join(p.extract_text() for p in PdfReader(io.BytesIO(fichiers[0].read_bytes())).pages)
    assert "DUPONT" in texte and "Lucas" in texte and "2026-2027" in texte


async def test_donnees_de_sante_reservees(fabrique_app, engine):
    """A régisseur sees the child's file without its health data, and cannot ask to change it
    (enforced in modele, not only hidden)."""
    from modele.agents import Agent
    from modele.base import ErreurMetier

    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await ouvrir_famille(pilot, "dupont jean")
        await pilot.press("3")
        await pilot.pause()
        fiche = texte(app, "#enfant-fiche")
        assert "(réservé)" in fiche and "Dr Martine FABRE" not in fiche
    with ouvrir(engine) as s:
        regie = s.exec(select(Agent).where(Agent.identifiant == "regie")).one()
        lucas = s.exec(
            select(Enfant).where(Enfant.prenoms == "Lucas", Enfant.nom == "DUPONT")
        ).one()
        with pytest.raises(ErreurMetier, match="réservées"):
            creer_demande(
                s,
                contexte(AUJOURDHUI).avec(agent_id=regie.id),
                lucas.famille_id,
                TypeDemande.SANITAIRES,
                {"allergies": "Gluten"},
                enfant_id=lucas.id,
            )
