"""RGPD: the export of everything held on a family, and its anonymisation."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlmodel import select

from modele.base import ErreurMetier
from modele.db import session as ouvrir
from modele.facturation import Facture
from modele.famille import Famille, Responsable
from modele.recherche import rechercher
from modele.reglements import ModeReglement, encaisser, solde
from modele.rgpd import anonymiser_famille, exporter_famille
from tests.fabrique import contexte


def test_export_complet_et_anonymisation(engine):
    ctx = contexte(dt.date(2015, 5, 4))
    with ouvrir(engine) as s:
        dupont = s.exec(select(Famille).where(Famille.numero == "1001001818331")).one()
        donnees = exporter_famille(s, ctx, dupont.id)
        json.dumps(donnees)
        assert donnees["responsables"][0]["adresse"] == "12 RUE DES BONBONS"
        assert {f["reference"] for f in donnees["factures"]} == {"AL-12", "AL-36"}
        # Each billed day with its invoice, as the planning holds them.
        jours = {c["id"] for c in donnees["planning"]}
        factures = {f["id"] for f in donnees["factures"]}
        assert donnees["jours_factures"]
        assert all(
            j["consommation_id"] in jours and j["facture_id"] in factures
            for j in donnees["jours_factures"]
        )
        assert "mot_de_passe_hash" not in donnees["famille"]
        assert donnees["messages"] and donnees["journal"]
        with pytest.raises(ErreurMetier, match="pas soldé"):
            anonymiser_famille(s, ctx, dupont.id)
        encaisser(
            s,
            ctx,
            dupont.id,
            s.exec(select(Facture)).first().regie_id,
            12060,
            ModeReglement.ESPECES,
            dt.date(2015, 5, 4),
        )
        assert solde(s, dupont.id) == 0
        anonymiser_famille(s, ctx, dupont.id)
        s.commit()
    with ouvrir(engine) as s:
        personnes = s.exec(select(Responsable).where(Responsable.famille_id == dupont.id)).all()
        assert {p.nom for p in personnes} == {"ANONYME"} and not any(p.adresse for p in personnes)
        assert {
            f.reference for f in s.exec(select(Facture).where(Facture.famille_id == dupont.id))
        } == {"AL-12", "AL-36"}  # accounting kept
        assert rechercher(s, "dupont jean") == []
        assert [r.numero for r in rechercher(s, "1001001818331")] == ["1001001818331"]


def test_rgpd_reserve_a_l_administrateur(engine):
    from modele.agents import Agent

    with ouvrir(engine) as s:
        accueil = s.exec(select(Agent).where(Agent.identifiant == "accueil")).one()
        famille = s.exec(select(Famille)).first()
        with pytest.raises(ErreurMetier, match="administrateur"):
            exporter_famille(s, contexte().avec(agent_id=accueil.id), famille.id)
