"""A local stand-in for API Particulier's quotient familial endpoint, on loopback only.

Same contract (path, parameters, bodies, error codes) with a few test identities, so that
the tests and the demo exercise the real client without calling the real service.
Special birth names trigger errors: SATURE → 429, PANNE → 502, LENT → a slow answer.
"""

from __future__ import annotations

import json
import threading
import time
import unicodedata
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

JETON = "jeton-local"
CHEMIN = "/v3/dss/quotient_familial/identite"

_BERTRAND = {
    "allocataires": [
        {
            "nom_naissance": "BERTRAND",
            "nom_usage": None,
            "prenoms": "ANTOINE LOUIS",
            "date_naissance": "1990-11-23",
            "sexe": "M",
        },
        {
            "nom_naissance": "DUMONT",
            "nom_usage": None,
            "prenoms": "CLÉMÉ MARIE",
            "date_naissance": "1992-07-14",
            "sexe": "F",
        },
    ],
    "enfants": [
        {
            "nom_naissance": "BERTRAND",
            "nom_usage": None,
            "prenoms": "MATHIS NOAH",
            "date_naissance": "2018-04-30",
            "sexe": "M",
        },
        {
            "nom_naissance": "BERTRAND",
            "nom_usage": None,
            "prenoms": "EMMA LUCIE",
            "date_naissance": "2021-04-10",
            "sexe": "F",
        },
    ],
    "adresse": {
        "destinataire": "MONSIEUR ANTOINE BERTRAND",
        "complement_information": None,
        "complement_information_geographique": None,
        "numero_libelle_voie": "9 RUE DES LIAS",
        "lieu_dit": None,
        "code_postal_ville": "59000 LILLE",
        "pays": "FRANCE",
    },
    "quotient_familial": {
        "fournisseur": "CNAF",
        "valeur": 300,
        "annee": 2024,
        "mois": 12,
        "annee_calcul": 2024,
        "mois_calcul": 12,
    },
}
_DURANT = {
    "allocataires": [
        {
            "nom_naissance": "DURANT",
            "nom_usage": "DUPONT DURANT",
            "prenoms": "PIERRE RICHARD",
            "date_naissance": "1985-01-20",
            "sexe": "M",
        }
    ],
    "enfants": [
        {
            "nom_naissance": "DURANT",
            "nom_usage": None,
            "prenoms": "LOU",
            "date_naissance": "2016-06-02",
            "sexe": "F",
        }
    ],
    "adresse": {
        "destinataire": "MONSIEUR PIERRE DURANT",
        "numero_libelle_voie": "1 RUE DE LA GARE",
        "lieu_dit": None,
        "code_postal_ville": "08480 LA GRANDVILLE",
        "pays": "FRANCE",
    },
    "quotient_familial": {
        "fournisseur": "MSA",
        "valeur": 1045,
        "annee": 2026,
        "mois": 9,
        "annee_calcul": 2026,
        "mois_calcul": 9,
    },
}
# (birth name, first first name, sex, birth year) → the family file
IDENTITES = {
    ("BERTRAND", "ANTOINE", "M", "1990"): _BERTRAND,
    ("DUMONT", "CLEME", "M", "1992"): _BERTRAND,
    ("DUMONT", "CLEME", "F", "1992"): _BERTRAND,
    ("DURANT", "PIERRE", "M", "1985"): _DURANT,
}


def _cle(texte: str) -> str:
    sans_accents = unicodedata.normalize("NFKD", texte)
    return "".join(c for c in sans_accents if not unicodedata.combining(c)).upper().strip()


def _erreur(code: str, titre: str, detail: str, meta: dict | None = None) -> dict:
    return {
        "errors": [
            {"code": code, "title": titre, "detail": detail, "source": None, "meta": meta or {}}
        ]
    }


class _Gestionnaire(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def _repondre(self, statut: int, corps: dict, entetes: dict[str, str] | None = None) -> None:
        donnees = json.dumps(corps, ensure_ascii=False).encode()
        self.send_response(statut)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(donnees)))
        for nom, valeur in (entetes or {}).items():
            self.send_header(nom, valeur)
        self.end_headers()
        try:
            self.wfile.write(donnees)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (time-out test)

    def do_GET(self) -> None:
        url = urlparse(self.path)
        if url.path != CHEMIN:
            self._repondre(404, _erreur("00404", "Introuvable", "Chemin inconnu"))
            return
        if self.headers.get("Authorization") != f"Bearer {JETON}":
            self._repondre(
                401,
                _erreur("00101", "Interdit", "Votre token n'est pas valide ou n'est pas renseigné"),
            )
            return
        q = parse_qs(url.query)
        if not q.get("recipient"):
            self._repondre(
                422,
                _erreur("00203", "Entité non traitable", "Le paramètre recipient est obligatoire"),
            )
            return
        nom = _cle(q.get("nomNaissance", [""])[0])
        if nom == "SATURE":
            self._repondre(
                429,
                _erreur("00429", "Trop de requêtes", "Vous avez effectué trop de requêtes"),
                {"Retry-After": "30"},
            )
            return
        if nom == "PANNE":
            self._repondre(
                502,
                _erreur(
                    "37999",
                    "Erreur inconnue du fournisseur de données",
                    "La réponse retournée par le fournisseur de données est "
                    "invalide et inconnue de notre service.",
                ),
            )
            return
        if nom == "LENT":
            time.sleep(float(q.get("attente", ["3"])[0]))
        prenoms = [_cle(p) for p in q.get("prenoms[]", [])]
        cle = (
            nom,
            prenoms[0].split()[0] if prenoms else "",
            q.get("sexeEtatCivil", [""])[0],
            q.get("anneeDateNaissance", [""])[0],
        )
        famille = IDENTITES.get(cle)
        if famille is None:
            self._repondre(
                404,
                _erreur(
                    "23003",
                    "Dossier allocataire absent CNAF",
                    "Le dossier allocataire n'a pas été trouvé auprès de la CNAF.",
                    {"provider": "CNAF"},
                ),
            )
            return
        self._repondre(200, {"data": famille, "links": {}, "meta": {}})


class ServeurLocal:
    """Start on a free loopback port; `url` is what the client's configuration takes."""

    def __init__(self) -> None:
        self._serveur = ThreadingHTTPServer(("127.0.0.1", 0), _Gestionnaire)
        self._serveur.daemon_threads = True
        self._fil = threading.Thread(target=self._serveur.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        hote, port = self._serveur.server_address[:2]
        return f"http://{hote}:{port}"

    def demarrer(self) -> ServeurLocal:
        self._fil.start()
        return self

    def arreter(self) -> None:
        self._serveur.shutdown()
        self._serveur.server_close()

    def __enter__(self) -> ServeurLocal:
        return self.demarrer()

    def __exit__(self, *exc) -> None:
        self.arreter()
