"""API Particulier: the CAF / MSA quotient familial of a person, by identity (v3,
GET /v3/dss/quotient_familial/identite), with its errors in the portal's words.

httpx is imported on first use: the login screen does not need it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from modele.base import ErreurMetier

if TYPE_CHECKING:
    import httpx

CHEMIN = "/v3/dss/quotient_familial/identite"
CODE_FRANCE = "99100"
DOSSIER_INEXISTANT = "Dossier allocataire inexistant"


@dataclass(frozen=True)
class Identite:
    """What the declarant gives (seed 000: "Renseigner vos informations d'identité")."""

    nom_naissance: str
    prenoms: tuple[str, ...]
    sexe: str  # "M" | "F"
    annee_naissance: int | None
    mois_naissance: int | None = None
    jour_naissance: int | None = None
    nom_usage: str = ""
    code_insee_commune: str = ""  # born in France
    code_insee_pays: str = CODE_FRANCE


@dataclass(frozen=True)
class Personne:
    nom_naissance: str
    nom_usage: str
    prenoms: str
    date_naissance: dt.date | None
    sexe: str

    @property
    def libelle(self) -> str:
        ne = "née" if self.sexe == "F" else "né"
        date = f" {ne} le {self.date_naissance:%d/%m/%Y}" if self.date_naissance else ""
        return f"{self.nom_naissance} {self.prenoms}".upper() + date


@dataclass(frozen=True)
class QuotientCaf:
    """The API's answer: who is in the family, where it lives, and its QF."""

    allocataires: list[Personne]
    enfants: list[Personne]
    adresse: str
    fournisseur: str  # "CNAF" | "MSA"
    valeur: int  # cents
    annee: int
    mois: int
    annee_calcul: int | None = None
    mois_calcul: int | None = None
    brut: dict = field(default_factory=dict, compare=False, repr=False)


class ErreurAPI(ErreurMetier):
    """A failed retrieval; `reessayable` when trying again later may work."""

    def __init__(
        self,
        message: str,
        statut: int | None = None,
        code: str = "",
        reessayable: bool = False,
        attente: int | None = None,
    ) -> None:
        super().__init__(message)
        self.statut = statut
        self.code = code
        self.reessayable = reessayable
        self.attente = attente


def parametres(
    identite: Identite, siret: str, annee: int | None = None, mois: int | None = None
) -> list[tuple[str, str]]:
    """The query string of the call (the contract's names)."""
    if not identite.nom_naissance.strip():
        raise ErreurMetier("Le nom de naissance est obligatoire.", "nom_naissance")
    prenoms = [p.strip().upper() for p in identite.prenoms if p.strip()]
    if not prenoms:
        raise ErreurMetier("Au moins un prénom est obligatoire.", "prenoms")
    if identite.sexe not in ("M", "F"):
        raise ErreurMetier("Le sexe est obligatoire.", "sexe")
    if identite.annee_naissance is None:
        raise ErreurMetier("L'année de naissance est obligatoire.", "annee")
    if identite.code_insee_pays == CODE_FRANCE and not identite.code_insee_commune:
        raise ErreurMetier("Né(e) en France : la commune de naissance est obligatoire.", "commune")
    valeurs = [("recipient", siret), ("nomNaissance", identite.nom_naissance.strip().upper())]
    if (
        identite.nom_usage.strip()
        and identite.nom_usage.strip().upper() != identite.nom_naissance.strip().upper()
    ):
        valeurs.append(("nomUsage", identite.nom_usage.strip().upper()))
    valeurs += [("prenoms[]", p) for p in prenoms[:3]]
    valeurs += [
        ("sexeEtatCivil", identite.sexe),
        ("anneeDateNaissance", str(identite.annee_naissance)),
    ]
    if identite.mois_naissance:
        valeurs.append(("moisDateNaissance", str(identite.mois_naissance)))
        if identite.jour_naissance:
            valeurs.append(("jourDateNaissance", str(identite.jour_naissance)))
    valeurs.append(("codeCogInseePaysNaissance", identite.code_insee_pays))
    if identite.code_insee_pays == CODE_FRANCE:
        valeurs.append(("codeCogInseeCommuneNaissance", identite.code_insee_commune))
    if annee:
        valeurs.append(("annee", str(annee)))
    if mois:
        valeurs.append(("mois", str(mois)))
    return valeurs


def _dict(valeur: object) -> dict:
    """A JSON object of the body, or an empty one when the API sent anything else."""
    return valeur if isinstance(valeur, dict) else {}


def _texte(valeur: object) -> str:
    return valeur if isinstance(valeur, str) else ""


def _entier(valeur: object) -> int | None:
    """An integer of the body (2024, 2024.0 or "2024"); None when absent."""
    if valeur is None:
        return None
    if isinstance(valeur, bool) or not isinstance(valeur, int | float | str):
        raise ValueError(valeur)
    nombre = Decimal(str(valeur))
    if not nombre.is_finite() or nombre != nombre.to_integral_value():
        raise ValueError(valeur)
    return int(nombre)


def euros_en_centimes(valeur: object) -> int:
    """The QF the API gives in euros, in cents. The contract says an integer; a decimal
    value (512.7) is kept to the cent, rounded half up beyond (512.705 → 51271), never cut."""
    if isinstance(valeur, bool) or not isinstance(valeur, int | float | str):
        raise ValueError(valeur)
    euros = Decimal(str(valeur))
    if not euros.is_finite() or euros < 0 or euros >= 1_000_000:
        raise ValueError(valeur)
    return int((euros * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _personne(donnees: object) -> Personne:
    if not isinstance(donnees, dict):
        raise ValueError(donnees)
    date = _texte(donnees.get("date_naissance"))
    return Personne(
        _texte(donnees.get("nom_naissance")),
        _texte(donnees.get("nom_usage")),
        _texte(donnees.get("prenoms")),
        dt.date.fromisoformat(date) if date else None,
        _texte(donnees.get("sexe")),
    )


def lire_reponse(corps: object) -> QuotientCaf:
    """The answer's QuotientCaf; ValueError when the body is not what the contract says."""
    data = _dict(corps).get("data")
    if not isinstance(data, dict) or not isinstance(data.get("quotient_familial"), dict):
        raise ValueError("data")
    adresse = _dict(data.get("adresse"))
    lignes = [
        _texte(adresse.get(k))
        for k in ("numero_libelle_voie", "lieu_dit", "code_postal_ville", "pays")
    ]
    qf = data["quotient_familial"]
    annee, mois = _entier(qf.get("annee")), _entier(qf.get("mois"))
    if annee is None or mois is None or not 1 <= mois <= 12 or not 1900 <= annee <= 2200:
        raise ValueError("annee, mois")
    allocataires, enfants = data.get("allocataires") or [], data.get("enfants") or []
    if not isinstance(allocataires, list) or not isinstance(enfants, list):
        raise ValueError("allocataires, enfants")
    return QuotientCaf(
        allocataires=[_personne(a) for a in allocataires],
        enfants=[_personne(e) for e in enfants],
        adresse=", ".join(x for x in lignes if x),
        fournisseur=_texte(qf.get("fournisseur")),
        valeur=euros_en_centimes(qf.get("valeur")),
        annee=annee,
        mois=mois,
        annee_calcul=_entier(qf.get("annee_calcul")),
        mois_calcul=_entier(qf.get("mois_calcul")),
        brut=_dict(corps),
    )


def erreur_depuis(statut: int, corps: object, entetes: dict[str, str]) -> ErreurAPI:
    """The French message an agent reads, from the API's error body (whatever its shape)."""
    erreurs = _dict(corps).get("errors")
    premiere = _dict(erreurs[0]) if isinstance(erreurs, list) and erreurs else {}
    code, detail = str(premiere.get("code") or ""), _texte(premiere.get("detail"))
    if statut == 404:
        fournisseur = _texte(_dict(premiere.get("meta")).get("provider"))
        suite = f" ({fournisseur})" if fournisseur else ""
        return ErreurAPI(
            f"{DOSSIER_INEXISTANT}{suite}. Veuillez vous rapprocher du service "
            "Portail famille, ou saisir le QF depuis l'attestation papier.",
            statut,
            code,
        )
    if statut == 401:
        return ErreurAPI(
            "Accès à API Particulier refusé : le jeton est invalide ou expiré. "
            "Prévenez l'administrateur.",
            statut,
            code,
        )
    if statut == 403:
        return ErreurAPI(
            "Accès à API Particulier refusé : privilèges insuffisants. Prévenez l'administrateur.",
            statut,
            code,
        )
    if statut == 422:
        return ErreurAPI(
            f"Identité non reconnue : vérifiez les informations saisies. {detail}".strip(),
            statut,
            code,
        )
    if statut == 429:
        attente = entetes.get("retry-after")
        secondes = int(attente) if attente and attente.isdigit() else None
        quand = f"dans {secondes} s" if secondes else "dans un instant"
        return ErreurAPI(
            f"Trop de demandes auprès d'API Particulier : réessayez {quand}.",
            statut,
            code,
            reessayable=True,
            attente=secondes,
        )
    if statut == 409:
        return ErreurAPI(
            "Une demande est déjà en cours pour ce jeton : réessayez dans quelques secondes.",
            statut,
            code,
            reessayable=True,
        )
    if statut >= 500:
        return ErreurAPI(
            "La CAF ou la MSA ne répond pas pour le moment : réessayez plus tard. "
            f"{detail}".strip(),
            statut,
            code,
            reessayable=True,
        )
    return ErreurAPI(
        f"Réponse inattendue d'API Particulier ({statut}). {detail}".strip(), statut, code
    )


@dataclass(frozen=True)
class ClientAPIParticulier:
    url: str
    jeton: str
    siret: str
    delai: float = 10.0
    # Tests: httpx's MockTransport.
    transport: httpx.BaseTransport | None = field(default=None, compare=False, repr=False)

    def quotient_familial(
        self, identite: Identite, annee: int | None = None, mois: int | None = None
    ) -> QuotientCaf:
        """Call the API; raises ErreurAPI with the agent's message on any failure."""
        import httpx

        if not self.url or not self.jeton:
            raise ErreurAPI(
                "API Particulier n'est pas configurée (adresse, jeton) : saisissez "
                "le QF depuis l'attestation de la CAF ou de la MSA."
            )
        if not self.siret:
            raise ErreurAPI(
                "Le SIRET de la collectivité n'est pas renseigné : il est exigé par "
                "API Particulier. Prévenez l'administrateur."
            )
        requete = parametres(identite, self.siret, annee, mois)
        try:
            with httpx.Client(transport=self.transport, timeout=self.delai) as client:
                reponse = client.get(
                    self.url.rstrip("/") + CHEMIN,
                    params=tuple(requete),
                    headers={"Authorization": f"Bearer {self.jeton}", "Accept": "application/json"},
                )
        except httpx.TimeoutException:
            raise ErreurAPI(
                "API Particulier ne répond pas (délai dépassé) : réessayez.", reessayable=True
            ) from None
        except httpx.HTTPError:
            raise ErreurAPI(
                "API Particulier est injoignable (réseau) : réessayez.", reessayable=True
            ) from None
        try:
            corps = reponse.json()
        except ValueError:
            corps = None
        if reponse.status_code != 200:
            raise erreur_depuis(reponse.status_code, corps, dict(reponse.headers))
        try:
            return lire_reponse(corps)
        except (KeyError, TypeError, ValueError, ArithmeticError):
            raise ErreurAPI(
                "Réponse d'API Particulier illisible : réessayez plus tard, ou "
                "saisissez le QF depuis l'attestation papier.",
                reponse.status_code,
            ) from None


def lieu_depuis_nir(nir: str, sexe: str, annee: int | None, mois: int | None) -> tuple[str, str]:
    """(INSEE commune code, INSEE country code) of the birthplace a carte Vitale number
    holds, after checking it (checksum, and that sex, year and month agree)."""
    from stdnum.exceptions import ValidationError
    from stdnum.fr import nir as module_nir

    numero = "".join(nir.split()).upper()
    try:
        numero = module_nir.validate(numero)
    except ValidationError:
        raise ErreurMetier(
            "Numéro de carte Vitale invalide (15 caractères, clé comprise).", "nir"
        ) from None
    if sexe and {"1": "M", "2": "F"}.get(numero[0]) not in (sexe, None):
        raise ErreurMetier("Le numéro ne correspond pas au sexe indiqué.", "nir")
    if annee and numero[1:3] != f"{annee % 100:02d}":
        raise ErreurMetier("Le numéro ne correspond pas à l'année de naissance.", "nir")
    if mois and numero[3:5].isdigit() and int(numero[3:5]) <= 12 and int(numero[3:5]) != mois:
        raise ErreurMetier("Le numéro ne correspond pas au mois de naissance.", "nir")
    departement = numero[5:7]
    if departement == "99":
        return "", "99" + numero[7:10]
    if departement in ("97", "98"):
        return numero[5:10], CODE_FRANCE
    return numero[5:10], CODE_FRANCE
