"""An address is one block (issue 14, point 4): a request on any part carries the whole
block, and accepting it after the block changed is a conflict decided whole."""

from __future__ import annotations

import pytest

from modele.base import ErreurMetier
from modele.demandes import (
    TypeDemande,
    accepter_demande,
    conflits,
    creer_demande,
    enregistrer_demande,
)
from modele.famille import BLOC_ADRESSE, responsables
from modele.formulaires import ErreursSaisie
from tests import fabrique


def _famille(s):
    fabrique.structure(s)
    famille, _ = fabrique.famille(s)
    [elodie, _] = responsables(s, famille.id)
    elodie.adresse, elodie.code_postal, elodie.ville = "12 RUE DES BONBONS", "31400", "TOULOUSE"
    s.add(elodie)
    s.flush()
    return famille, elodie


def test_une_demande_porte_toute_l_adresse(s):
    famille, _ = _famille(s)
    demande = creer_demande(
        s,
        fabrique.contexte(),
        famille.id,
        TypeDemande.RESPONSABLE,
        {"code_postal": "31000", "email": "e@exemple.fr"},
    )
    assert list(demande.valeurs)[:5] == list(BLOC_ADRESSE)
    assert demande.valeurs["adresse"] == ["12 RUE DES BONBONS", "12 RUE DES BONBONS"]
    assert demande.valeurs["code_postal"] == ["31400", "31000"]
    assert demande.valeurs["email"] == ["", "e@exemple.fr"]
    # a request with no address part carries no address
    autre = creer_demande(
        s, fabrique.contexte(), famille.id, TypeDemande.RESPONSABLE, {"mobile": "06 12 34 56 78"}
    )
    assert set(autre.valeurs) == {"mobile"}


def test_deux_demandes_en_morceaux_ne_se_melangent_pas(s):
    famille, elodie = _famille(s)
    ctx = fabrique.contexte()
    rue = creer_demande(
        s, ctx, famille.id, TypeDemande.RESPONSABLE, {"adresse": "5 AVENUE DES PINS"}
    )
    ville = creer_demande(
        s,
        ctx,
        famille.id,
        TypeDemande.RESPONSABLE,
        {"code_postal": "31000", "ville": "TOULOUSE CEDEX"},
    )
    accepter_demande(s, ctx, rue.id)
    # the street moved since the second request: the whole block is to decide
    trouves = conflits(s, ville)
    assert set(trouves) == set(BLOC_ADRESSE)
    assert trouves["adresse"] == ("12 RUE DES BONBONS", "5 AVENUE DES PINS", "12 RUE DES BONBONS")
    with pytest.raises(ErreurMetier, match="La fiche a changé"):
        accepter_demande(s, ctx, ville.id)
    melange = {c: t[1] for c, t in trouves.items()} | {"code_postal": "31000"}
    with pytest.raises(ErreurMetier, match="en entier"):
        accepter_demande(s, ctx, ville.id, champs_retenus=melange)
    s.refresh(elodie)
    assert (elodie.adresse, elodie.code_postal) == ("5 AVENUE DES PINS", "31400")
    # the second request's block, whole: an address that someone asked for
    accepter_demande(s, ctx, ville.id, champs_retenus={c: t[2] for c, t in trouves.items()})
    s.refresh(elodie)
    assert (elodie.adresse, elodie.code_postal, elodie.ville) == (
        "12 RUE DES BONBONS",
        "31000",
        "TOULOUSE CEDEX",
    )


def test_le_formulaire_verifie_toute_l_adresse_affichee(s):
    """The form changed the postcode only; another counter changed the street meanwhile."""
    famille, elodie = _famille(s)
    vues = {
        "adresse": "12 RUE DES BONBONS",
        "complement_adresse": "",
        "code_postal": "31400",
        "ville": "TOULOUSE",
        "pays": "",
    }
    elodie.adresse = "5 AVENUE DES PINS"
    s.add(elodie)
    s.flush()
    with pytest.raises(ErreursSaisie) as e:
        enregistrer_demande(
            s,
            fabrique.contexte(),
            famille.id,
            TypeDemande.RESPONSABLE,
            {"code_postal": "31000"},
            vues=vues,
        )
    assert set(e.value.erreurs) == {"adresse"}
