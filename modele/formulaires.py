"""The fields of each request form (seed 004, "Mon compte"), their checks and conversion.

A form gives text and booleans; `lire_saisie` turns them into typed, normalised values or
reports every invalid field at once, with its French message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlmodel import col, select

from modele import validation
from modele.base import ErreurMetier
from modele.famille import BLOC_ADRESSE, payeur
from modele.formats import centimes, date_courte, montant
from modele.tables.demandes import TypeDemande
from modele.tables.famille import Responsable, RoleResponsable
from modele.tables.structure import Regie


class Genre(StrEnum):
    TEXTE = "texte"
    NOM = "nom"  # a person's or a town's name: letters, spaces, hyphens, apostrophes
    TELEPHONE = "telephone"
    EMAIL = "email"
    CODE_POSTAL = "code_postal"
    IBAN = "iban"
    BIC = "bic"
    DATE = "date"
    MONTANT = "montant"
    ANNEE = "annee"
    BOOLEEN = "booleen"
    CHOIX = "choix"
    RUM = "rum"  # a SEPA mandate's reference: the SEPA character set, upper case


@dataclass(frozen=True)
class Champ:
    nom: str
    libelle: str
    genre: Genre = Genre.TEXTE
    choix: tuple[str, ...] = ()
    obligatoire: bool = False
    longueur_max: int = 120
    etiquettes: tuple[str, ...] = ()  # how each choice is shown, when not the value itself
    passee: bool = False  # a date not after today (a birth)

    def options(self) -> list[tuple[str, str]]:
        etiquettes = self.etiquettes or tuple(c or "—" for c in self.choix)
        return list(zip(etiquettes, self.choix, strict=True))


CIVILITES = ("Monsieur", "Madame")
QUALITES = ("Père", "Mère", "Tuteur", "Tutrice", "Beau-père", "Belle-mère", "Autre")
SITUATIONS = (
    "Marié(e)",
    "Pacsé(e)",
    "Vie maritale",
    "Célibataire",
    "Séparé",
    "Divorcé(e)",
    "Veuf(ve)",
)
ORGANISMES = ("", "CAF", "MSA", "Autre")
# INSEE PCS, groups of socio-professional categories.
CSP = (
    "",
    "Agriculteurs exploitants",
    "Artisans, commerçants et chefs d'entreprise",
    "Cadres et professions intellectuelles supérieures",
    "Professions intermédiaires",
    "Employés",
    "Ouvriers",
    "Retraités",
    "Autres personnes sans activité professionnelle",
)

_PERSONNE = (
    Champ("civilite", "Civilité", Genre.CHOIX, CIVILITES),
    Champ("nom", "Nom", Genre.NOM, obligatoire=True),
    Champ("prenoms", "Prénom", Genre.NOM, obligatoire=True),
    Champ("nom_naissance", "Nom de naissance", Genre.NOM),
    Champ("date_naissance", "Date de naissance", Genre.DATE, passee=True),
    Champ("qualite", "Qualité", Genre.CHOIX, QUALITES),
    Champ("adresse", "Adresse", longueur_max=200),
    Champ("complement_adresse", "Complément d'adresse", longueur_max=200),
    Champ("code_postal", "Code postal", Genre.CODE_POSTAL),
    Champ("ville", "Ville", Genre.NOM),
    Champ("pays", "Pays", Genre.NOM),
    Champ("telephone_domicile", "Téléphone domicile", Genre.TELEPHONE),
    Champ("telephone_professionnel", "Téléphone prof.", Genre.TELEPHONE),
    Champ("mobile", "Mobile", Genre.TELEPHONE),
    Champ("email", "Email", Genre.EMAIL),
    Champ("profession", "Profession"),
    Champ("csp", "CSP", Genre.CHOIX, CSP),
    Champ("employeur", "Employeur"),
    Champ("adresse_employeur", "Adresse employeur", longueur_max=200),
    Champ("autorisation_sms", "Autorisation SMS", Genre.BOOLEEN),
    Champ("autorisation_courriel", "Autorisation courriel", Genre.BOOLEEN),
)

FORMULAIRES: dict[TypeDemande, tuple[str, tuple[Champ, ...]]] = {
    TypeDemande.RESPONSABLE: ("Infos Responsable", _PERSONNE),
    TypeDemande.CONJOINT: ("Informations Conjoint", _PERSONNE),
    TypeDemande.FISCALES: (
        "Informations Fiscales",
        (
            Champ("situation", "Situation familiale", Genre.CHOIX, SITUATIONS),
            Champ("numero_fiscal", "N° fiscal"),
            Champ("revenu_fiscal_reference", "Revenu fiscal de référence", Genre.MONTANT),
            Champ("nombre_parts", "Nombre de parts", longueur_max=5),
            Champ("annee_revenus", "Année des revenus", Genre.ANNEE),
        ),
    ),
    TypeDemande.CAF: (
        "Informations CAF",
        (
            Champ("organisme", "Organisme rattachement", Genre.CHOIX, ORGANISMES),
            Champ("numero_allocataire", "N° allocataire", longueur_max=20),
        ),
    ),
    TypeDemande.AUTORISATIONS: (
        "Autorisations",
        (
            Champ("autorisation_photo", "Photos et vidéos", Genre.BOOLEEN),
            Champ("autorisation_sortie_seul", "Sortie seul(e)", Genre.BOOLEEN),
            Champ("autorisation_soins", "Soins d'urgence", Genre.BOOLEEN),
        ),
    ),
    TypeDemande.SANITAIRES: (
        "Données sanitaires",
        (
            Champ("lunettes", "Port de lunettes", Genre.BOOLEEN),
            Champ("allergies", "Allergies", longueur_max=300),
            Champ("pai", "PAI (projet d'accueil individualisé)", Genre.BOOLEEN),
            Champ("regime_alimentaire", "Régime alimentaire"),
            Champ("medecin", "Médecin traitant"),
            Champ("telephone_medecin", "Tél. du médecin", Genre.TELEPHONE),
        ),
    ),
    TypeDemande.PERSONNES_AUTORISEES: (
        "Ajouter une personne autorisée à venir chercher l'enfant",
        (
            Champ("nom", "Nom", Genre.NOM, obligatoire=True),
            Champ("prenom", "Prénom", Genre.NOM, obligatoire=True),
            Champ("lien", "Lien avec l'enfant"),
            Champ("telephone", "Téléphone", Genre.TELEPHONE, obligatoire=True),
        ),
    ),
    TypeDemande.AJOUT_ENFANT: (
        "Ajouter un enfant (pré-inscription)",
        (
            Champ("nom", "Nom", Genre.NOM, obligatoire=True),
            Champ("prenoms", "Prénoms", Genre.NOM, obligatoire=True),
            Champ("sexe", "Sexe", Genre.CHOIX, ("M", "F"), etiquettes=("Masculin", "Féminin")),
            Champ("date_naissance", "Date de naissance", Genre.DATE, obligatoire=True, passee=True),
            Champ(
                "niveau",
                "Niveau scolaire",
                Genre.CHOIX,
                ("creche", "maternelle", "elementaire"),
                etiquettes=("Crèche", "Maternelle", "Élémentaire"),
            ),
            Champ("ecole", "École"),
            Champ("classe", "Classe", longueur_max=20),
        ),
    ),
    TypeDemande.BANCAIRES: (
        "Coordonnées Bancaires",
        (
            Champ("titulaire_compte", "Titulaire du compte"),
            Champ("iban", "IBAN", Genre.IBAN),
            Champ("bic", "BIC", Genre.BIC),
            Champ("nom_banque", "Nom banque"),
            Champ("prelevement", "Prélèvement automatique", Genre.BOOLEEN),
            Champ("mandat_sepa_reference", "Référence du mandat SEPA", Genre.RUM, longueur_max=35),
            Champ("mandat_sepa_date", "Date de signature du mandat", Genre.DATE, passee=True),
        ),
    ),
}


FORMULAIRES[TypeDemande.PAYEUR] = ("Payeur des factures", ())  # its choices: champs_payeur()


def champs_payeur(
    session,
    famille_id: int,
    moment,
) -> tuple[tuple[Champ, ...], dict[str, str]]:
    """The payer form: a régie and one of the family's responsables; prefilled with the
    first régie and who pays it now."""

    regies = list(
        session.exec(select(Regie).order_by(col(Regie.encaissement_tresorerie), col(Regie.code)))
    )
    personnes = sorted(
        session.exec(select(Responsable).where(Responsable.famille_id == famille_id)),
        key=lambda r: r.role != RoleResponsable.RESPONSABLE,
    )
    champs = (
        Champ(
            "regie_id",
            "Régie",
            Genre.CHOIX,
            tuple(str(r.id) for r in regies),
            obligatoire=True,
            etiquettes=tuple(r.libelle for r in regies),
        ),
        Champ(
            "responsable_id",
            "Payeur",
            Genre.CHOIX,
            tuple(str(r.id) for r in personnes),
            obligatoire=True,
            etiquettes=tuple(f"{r.nom_prenom} ({r.qualite or r.role})" for r in personnes),
        ),
    )
    actuel = payeur(session, famille_id, regies[0].id, moment) if regies else None
    return champs, {
        "regie_id": str(regies[0].id) if regies else "",
        "responsable_id": str(actuel.id) if actuel else "",
    }


class ErreursSaisie(ErreurMetier):
    """Several invalid fields at once: {champ: message}."""

    def __init__(
        self, erreurs: dict[str, str], actuelles: dict[str, str | bool] | None = None
    ) -> None:
        super().__init__(" ".join(erreurs.values()), next(iter(erreurs), None))
        self.erreurs = erreurs
        self.actuelles = actuelles or {}  # a field changed meanwhile: its value now


def en_texte(champ: Champ, valeur: Any) -> str | bool:
    """A record's value as the form shows it."""
    if champ.genre == Genre.BOOLEEN:
        return bool(valeur)
    if valeur is None:
        return ""
    if champ.genre == Genre.DATE:
        return date_courte(valeur)
    if champ.genre == Genre.MONTANT:
        return montant(valeur)
    return str(valeur)


def lire_champ(champ: Champ, saisie: str | bool) -> Any:
    """One field's typed value, or ErreurMetier with the field's French message."""
    if champ.genre == Genre.BOOLEEN:
        return bool(saisie)
    texte = str(saisie)
    if champ.obligatoire and not texte.strip():
        raise ErreurMetier(f"« {champ.libelle} » est obligatoire.", champ.nom)
    if champ.genre == Genre.TELEPHONE:
        return validation.verifier_telephone(texte, champ.nom)
    if champ.genre == Genre.EMAIL:
        return validation.verifier_email(texte, champ.nom)
    if champ.genre == Genre.CODE_POSTAL:
        return validation.verifier_code_postal(texte, champ.nom)
    if champ.genre == Genre.IBAN:
        return validation.verifier_iban(texte, champ.nom)
    if champ.genre == Genre.BIC:
        return validation.verifier_bic(texte, champ.nom)
    if champ.genre == Genre.DATE:
        return validation.verifier_date(texte, champ.nom)
    if champ.genre == Genre.RUM:
        if not texte.strip():
            return ""
        try:
            return validation.verifier_rum(texte)
        except ErreurMetier as e:
            raise ErreurMetier(e.message, champ.nom) from None
    if champ.genre == Genre.MONTANT:
        if not texte.strip():
            return None
        try:
            return centimes(texte)
        except ValueError as e:
            raise ErreurMetier(str(e), champ.nom) from None
    if champ.genre == Genre.ANNEE:
        if not texte.strip():
            return None
        if not texte.strip().isdigit() or not 1900 <= int(texte) <= 2100:
            raise ErreurMetier("Année invalide (ex. 2025).", champ.nom)
        return int(texte)
    if champ.genre == Genre.NOM:
        return validation.verifier_nom(texte, champ.nom, f"« {champ.libelle} »", champ.obligatoire)
    if champ.genre == Genre.CHOIX and texte not in champ.choix:
        raise ErreurMetier(
            f"Choisissez une valeur de la liste pour « {champ.libelle} ».", champ.nom
        )
    return validation.verifier_texte(
        texte, champ.nom, champ.longueur_max, champ.obligatoire, f"« {champ.libelle} »"
    )


def lire_saisie(
    type_demande: TypeDemande,
    saisie: dict[str, str | bool],
    champs: tuple[Champ, ...] | None = None,
    aujourdhui: dt.date | None = None,
    inchangees: frozenset[str] | set[str] = frozenset(),
) -> dict[str, Any]:
    """Every field checked; all errors reported together (ErreursSaisie). With `aujourdhui`,
    a date of birth after it is refused. A field of `inchangees` (left as the record has
    it) is not refused for a value stored before its check existed (a mandate reference
    outside the SEPA characters): not the parent's to correct to change their IBAN; its
    value is kept as typed."""
    champs = champs or FORMULAIRES[type_demande][1]
    valeurs, erreurs = {}, {}
    for champ in champs:
        if champ.nom not in saisie:
            continue
        try:
            valeurs[champ.nom] = lire_champ(champ, saisie[champ.nom])
        except ErreurMetier as e:
            if champ.nom in inchangees:
                valeurs[champ.nom] = saisie[champ.nom]
            else:
                erreurs[champ.nom] = e.message
    for champ in champs:
        valeur = valeurs.get(champ.nom)
        if champ.nom in inchangees or not isinstance(valeur, dt.date):
            continue
        if champ.passee and aujourdhui is not None and valeur > aujourdhui:
            erreurs[champ.nom] = f"« {champ.libelle} » ne peut pas être une date à venir."
    if type_demande == TypeDemande.BANCAIRES and valeurs.get("prelevement"):
        for nom, message in (
            ("iban", "Le prélèvement automatique demande un IBAN."),
            ("mandat_sepa_reference", "Le prélèvement demande la référence du mandat SEPA."),
            ("mandat_sepa_date", "Le prélèvement demande la date du mandat."),
        ):
            if not valeurs.get(nom) and nom not in erreurs:
                erreurs[nom] = message
    if erreurs:
        raise ErreursSaisie(erreurs)
    return valeurs


def valeurs_actuelles(type_demande: TypeDemande, source: object | None) -> dict[str, str | bool]:
    """Today's values of the record (family, responsable, child), to prefill the form;
    blank for a new record (no source)."""
    _, champs = FORMULAIRES[type_demande]
    return {
        c.nom: en_texte(c, getattr(source, c.nom, None) if source is not None else None)
        for c in champs
    }


def champs_activites(activites: list) -> tuple[Champ, ...]:
    """One tick box per activity wished (Ajouter un enfant)."""
    return tuple(Champ(f"activite_{a.id}", a.nom, Genre.BOOLEEN) for a in activites)


def regrouper_activites(valeurs: dict[str, Any]) -> dict[str, Any]:
    """The ticked activity boxes as one list of ids, as the request stores them."""
    activites = [
        int(k.split("_", 1)[1]) for k, v in valeurs.items() if k.startswith("activite_") and v
    ]
    propres = {k: v for k, v in valeurs.items() if not k.startswith("activite_")}
    return propres | {"activites": activites}


AUTRES_LIBELLES = {
    "activites_souhaitees": "Activités souhaitées",
    "activite": "Activité",
    "motif": "Motif",
    "certificat": "Certificat",
    "jours": "Jours",
    "valeur": "Valeur",
    "type": "Type",
    "prenom": "Prénom",
    "nom": "Nom",
    "payeur": "Payeur",
    "regie": "Régie",
    # (the place of birth, from its own dialog: ecrans/lieu_naissance.py)
    "pays_naissance": "Pays de naissance",
    "departement_naissance": "Département de naissance",
    "commune_naissance": "Commune de naissance",
    "code_insee_naissance": "Code INSEE de naissance",
}


def libelle_champ(nom: str) -> str:
    if nom in AUTRES_LIBELLES:
        return AUTRES_LIBELLES[nom]
    for _, champs in FORMULAIRES.values():
        for champ in champs:
            if champ.nom == nom:
                return champ.libelle
    return nom.replace("_", " ").capitalize()


def etiquette(type_demande: str, nom: str, valeur: object) -> object:
    """A choice's label as the form shows it ("creche" → "Crèche"), an amount in euros
    (cents stored: 3060000 → "30 600,00 €"); other values as they are."""
    formulaire = FORMULAIRES.get(TypeDemande(type_demande))
    for champ in formulaire[1] if formulaire else ():
        if champ.nom != nom:
            continue
        if champ.etiquettes and valeur in champ.choix:
            return dict(zip(champ.choix, champ.etiquettes, strict=True))[valeur]
        if champ.genre == Genre.MONTANT and type(valeur) is int:
            return f"{montant(valeur)} €"
    return valeur


def valeur_lue(type_demande: str, nom: str, valeur: object) -> str:
    """A request's value as a person reads it (a choice's label, euros, a date, Oui/Non)."""
    return lisible(etiquette(type_demande, nom, valeur))


def avec_bloc_adresse(champs: list[str] | dict) -> list[str]:
    """The fields a change form must check as shown: the address's whole block when any
    part of it changes."""

    noms = list(champs)
    if any(c in BLOC_ADRESSE for c in noms):
        noms += [c for c in BLOC_ADRESSE if c not in noms]
    return noms


INTERNES = {
    "activite_id",
    "activites",
    "personne_id",
    "precedents",
    "hors_delai",
    "action",
    "qf_id",
    "regie_id",
    "responsable_id",
}


def detail_demande(type_demande: str, valeurs: dict[str, Any], nouvelles: bool = False) -> str:
    """A request's values as they read: the changed fields, "Champ : ancien → nouveau" (with
    `nouvelles`, as read back to a parent: "Champ : nouveau"), or a booking's detail; the
    ids and bookkeeping fields left out."""
    morceaux = []
    if valeurs.get("action") == "retrait":
        morceaux.append("Retrait")
    for champ, valeur in valeurs.items():
        if champ in INTERNES:
            continue
        if champ == "valeur" and type_demande == TypeDemande.QUOTIENT_FAMILIAL:
            morceaux.append(f"Quotient : {montant(valeur)} €")
        elif champ == "jours":
            morceaux.append("Jours : " + ", ".join(lisible(j) for j in valeur))
        elif (
            isinstance(valeur, list)
            and len(valeur) == 2
            and type_demande
            not in (TypeDemande.AJOUT_ENFANT, TypeDemande.RESERVATION, TypeDemande.ABSENCE)
        ):
            if valeur[0] == valeur[1]:
                continue  # the rest of the address block, unchanged
            ancien, nouveau = (valeur_lue(type_demande, champ, v) for v in valeur)
            change = nouveau if nouvelles else f"{ancien} → {nouveau}"
            morceaux.append(f"{libelle_champ(champ)} : {change}")
        else:
            morceaux.append(f"{libelle_champ(champ)} : {valeur_lue(type_demande, champ, valeur)}")
    return "; ".join(morceaux)


def lisible(valeur: object) -> str:
    if valeur is True:
        return "Oui"
    if valeur is False:
        return "Non"
    if valeur in (None, ""):
        return "∅"
    if isinstance(valeur, str) and len(valeur) == 10 and valeur[4] == "-" and valeur[7] == "-":
        try:
            return date_courte(dt.date.fromisoformat(valeur))
        except ValueError:
            return valeur
    return str(valeur)
