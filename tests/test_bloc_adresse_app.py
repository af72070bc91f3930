"""Two requests changing the address in pieces: the second, decided in the F2 queue after
the first was accepted, shows the whole address in conflict and is applied whole."""

from __future__ import annotations

from sqlmodel import select
from textual.widgets import Checkbox

from ecrans.decision import ChoixConflits, EcranDecision
from ecrans.file_demandes import EcranDemandesATraiter
from modele.demandes import TypeDemande, accepter_demande, creer_demande
from modele.famille import Famille, responsables
from tests import fabrique
from tests.pilote import attendre, connecter, lignes, texte

TAILLE = (150, 50)


async def test_adresse_en_morceaux_decidee_en_entier(fabrique_app, engine):
    from modele.db import session as ouvrir

    with ouvrir(engine) as s:
        famille = s.exec(select(Famille).where(Famille.numero == "1001001818331")).one()
        ctx = fabrique.contexte()
        rue = creer_demande(
            s, ctx, famille.id, TypeDemande.RESPONSABLE, {"adresse": "5 AVENUE DES PINS"}
        )
        creer_demande(
            s,
            ctx,
            famille.id,
            TypeDemande.RESPONSABLE,
            {"code_postal": "31000", "ville": "TOULOUSE"},
        )
        accepter_demande(s, ctx, rue.id)
        s.commit()
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await pilot.press("f2")
        await attendre(pilot, lambda: isinstance(app.screen, EcranDemandesATraiter))
        rang = next(
            i
            for i, ligne in enumerate(lignes(app, "#file-demandes"))
            if ligne[2] == "1001001818331" and "TOULOUSE" in ligne[8]
        )
        app.screen.query_one("#file-demandes").move_cursor(row=rang)
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, EcranDecision))
        champs = lignes(app, "#decision-champs")
        assert [
            "Adresse",
            "5 AVENUE DES PINS",
            "12 RUE DES BONBONS",
            "12 RUE DES BONBONS",
            "modifié depuis",
        ] in champs
        await pilot.press("a")
        await attendre(pilot, lambda: isinstance(app.screen, ChoixConflits))
        vue = texte(app, ".champs Static")
        assert "à la demande « 12 RUE DES BONBONS 31400 SANT - JEAN »" in vue
        assert "actuellement « 5 AVENUE DES PINS 31400 SANT - JEAN »" in vue
        # one box for the whole address: no field of it can be picked alone
        assert not app.screen.query("#conflit-code_postal")
        app.screen.query_one("#conflit-bloc-adresse", Checkbox).value = True
        await pilot.click("#valider")
        await attendre(pilot, lambda: "Acceptée le" in texte(app, "#decision-statut"))
    with ouvrir(engine) as s:
        jean, _ = responsables(s, famille.id)
        assert (jean.adresse, jean.code_postal, jean.ville) == (
            "12 RUE DES BONBONS",
            "31000",
            "TOULOUSE",
        )
