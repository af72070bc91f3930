"""API Particulier bodies that do not follow the contract: the agent reads the portal's
French message (ErreurAPI), never an AttributeError; the QF is kept to the cent."""

from __future__ import annotations

import copy
import json

import httpx
import pytest

from data.api_particulier_local import _BERTRAND
from modele.api_particulier import ClientAPIParticulier, ErreurAPI, Identite, euros_en_centimes

IDENTITE = Identite("BERTRAND", ("Antoine",), "M", 1990, code_insee_commune="59350")


def client(statut: int, corps: object) -> ClientAPIParticulier:
    """A client whose every call gets this answer (httpx's MockTransport, no network)."""
    contenu = corps if isinstance(corps, bytes) else json.dumps(corps).encode()

    def repondre(_requete: httpx.Request) -> httpx.Response:
        return httpx.Response(statut, content=contenu, headers={"Content-Type": "application/json"})

    return ClientAPIParticulier(
        "http://api.test", "jeton", "21310999400011", transport=httpx.MockTransport(repondre)
    )


def erreur(statut: int, corps: object) -> ErreurAPI:
    with pytest.raises(ErreurAPI) as e:
        client(statut, corps).quotient_familial(IDENTITE)
    return e.value


def avec_qf(**qf) -> dict:
    data = copy.deepcopy(_BERTRAND)
    data["quotient_familial"].update(qf)
    return {"data": data, "links": {}, "meta": {}}


ILLISIBLE = "Réponse d'API Particulier illisible"


HORS_CONTRAT = [
    {"data": None},
    {"data": []},
    {},
    [],
    [1, 2],
    "texte",
    None,
    b"pas du json",
    b"\xff\xfe",
    {"data": {"quotient_familial": None}},
    {"data": {"quotient_familial": []}},
    avec_qf(valeur=None),
    avec_qf(valeur="beaucoup"),
    avec_qf(valeur=-1),
    avec_qf(valeur=True),
    avec_qf(valeur="NaN"),
    avec_qf(valeur=1e300),
    avec_qf(mois=13),
    avec_qf(annee="deux"),
    avec_qf(annee=2024.5),
    {"data": {**_BERTRAND, "allocataires": [None]}},
    {"data": {**_BERTRAND, "enfants": "BERTRAND"}},
]


@pytest.mark.parametrize("corps", HORS_CONTRAT, ids=[str(i) for i in range(len(HORS_CONTRAT))])
def test_reponse_200_hors_contrat(corps):
    assert erreur(200, corps).message.startswith(ILLISIBLE)


def test_adresse_hors_contrat_ignoree():
    corps = {"data": {**_BERTRAND, "adresse": 7}}
    assert client(200, corps).quotient_familial(IDENTITE).adresse == ""


@pytest.mark.parametrize(
    "statut, corps, debut",
    [
        (500, [{"code": "x"}], "La CAF ou la MSA ne répond pas"),
        (500, ["erreur"], "La CAF ou la MSA ne répond pas"),
        (502, "Bad gateway", "La CAF ou la MSA ne répond pas"),
        (404, {"errors": [None]}, "Dossier allocataire inexistant. Veuillez"),
        (404, {"errors": [{"meta": []}]}, "Dossier allocataire inexistant. Veuillez"),
        (404, {"errors": [{"meta": {"provider": 7}}]}, "Dossier allocataire inexistant. Veuillez"),
        (404, {"errors": "aucun"}, "Dossier allocataire inexistant"),
        (
            422,
            {"errors": [None, {"detail": "x"}]},
            "Identité non reconnue : vérifiez les informations saisies.",
        ),
        (422, {"errors": [{"detail": {"a": 1}}]}, "Identité non reconnue"),
        (401, {"errors": {}}, "Accès à API Particulier refusé"),
        (418, None, "Réponse inattendue d'API Particulier (418)."),
        (418, {"errors": [{"code": None, "detail": None}]}, "Réponse inattendue"),
    ],
)
def test_erreur_hors_contrat(statut, corps, debut):
    e = erreur(statut, corps)
    assert e.message.startswith(debut), e.message
    assert e.statut == statut
    assert "None" not in e.message and "{" not in e.message


@pytest.mark.parametrize(
    "valeur, centimes",
    [
        (512, 51200),
        (512.7, 51270),
        ("512.7", 51270),
        (512.705, 51271),
        (512.704, 51270),
        (0, 0),
        (1045.0, 104500),
    ],
)
def test_qf_garde_au_centime(valeur, centimes):
    assert euros_en_centimes(valeur) == centimes
    assert client(200, avec_qf(valeur=valeur)).quotient_familial(IDENTITE).valeur == centimes


def test_qf_decimal_enregistre_au_centime(s):
    """512.7 € from the API is the QF declared, not 512 €."""
    from modele.quotient import declarer_qf
    from tests import fabrique

    fabrique.structure(s)
    famille, _ = fabrique.famille(s)
    resultat = client(200, avec_qf(valeur=512.7)).quotient_familial(IDENTITE)
    qf = declarer_qf(s, fabrique.contexte(), famille.id, resultat, "", certifie=True)
    s.commit()
    s.refresh(qf)
    assert qf.valeur == 51270
