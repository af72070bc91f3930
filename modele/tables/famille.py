"""Families, their responsables, payers, children and people allowed to collect them.

Tables and enums only: the rules that use them are in modele/famille.py."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel


class RoleResponsable(StrEnum):
    RESPONSABLE = "responsable"
    CONJOINT = "conjoint"


class Famille(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    numero: str = Field(unique=True)  # "N° Famille", e.g. 1001001818331
    situation: str = ""  # Marié, Pacsé, Vie maritale, Séparé, Divorcé, Célibataire, Veuf
    # Portal access (rule 1)
    identifiant_portail: str = Field(default="", index=True)
    mot_de_passe_hash: str = ""
    mot_de_passe_a_changer: bool = False
    # Organisme de rattachement ("Informations CAF")
    organisme: str = ""  # "CAF", "MSA", "Autre", "" when none
    numero_allocataire: str = ""
    # Informations fiscales
    numero_fiscal: str = ""
    revenu_fiscal_reference: int | None = None  # cents
    nombre_parts: str = ""  # "2,5"
    annee_revenus: int | None = None
    # Coordonnées bancaires
    titulaire_compte: str = ""
    iban: str = ""
    bic: str = ""
    nom_banque: str = ""
    prelevement: bool = False
    mandat_sepa_reference: str = ""
    mandat_sepa_date: dt.date | None = None
    cree_le: dt.date | None = None
    # Optimistic locking: every accepted change bumps it.
    version: int = 1


class Responsable(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    famille_id: int = Field(foreign_key="famille.id", index=True)
    role: str = RoleResponsable.RESPONSABLE.value
    civilite: str = ""  # Monsieur, Madame
    nom: str  # nom d'usage, as printed
    nom_naissance: str = ""
    prenoms: str  # "Antoine Louis"
    sexe: str = ""  # "M" | "F"
    qualite: str = ""  # Père, Mère, Tuteur, Tutrice, Autre
    date_naissance: dt.date | None = None
    # Birthplace: France (pays "FRANCE", département, commune INSEE) or abroad (pays, lieu).
    pays_naissance: str = ""
    departement_naissance: str = ""
    commune_naissance: str = ""
    code_insee_naissance: str = ""
    lieu_naissance_etranger: str = ""
    adresse: str = ""
    complement_adresse: str = ""
    code_postal: str = ""
    ville: str = ""
    pays: str = ""  # empty: France
    telephone_domicile: str = ""
    telephone_professionnel: str = ""
    mobile: str = ""
    email: str = ""
    profession: str = ""
    csp: str = ""
    employeur: str = ""
    adresse_employeur: str = ""
    autorisation_sms: bool = False
    autorisation_courriel: bool = False
    payeur: bool = True

    @property
    def nom_prenom(self) -> str:
        return f"{self.nom} {self.prenoms}"

    @property
    def premier_prenom(self) -> str:
        return self.prenoms.split()[0] if self.prenoms else ""


class Payeur(SQLModel, table=True):
    """Who pays a régie's invoices for a family, from `depuis` on: one at a time, the latest
    designation made before a document was issued addresses it (issued ones never move)."""

    id: int | None = Field(default=None, primary_key=True)
    famille_id: int = Field(foreign_key="famille.id", index=True)
    regie_id: int = Field(foreign_key="regie.id")
    responsable_id: int = Field(foreign_key="responsable.id")
    depuis: NaiveDatetime


class NiveauScolaire(StrEnum):
    CRECHE = "creche"
    MATERNELLE = "maternelle"
    ELEMENTAIRE = "elementaire"

    @property
    def libelle(self) -> str:
        return {"creche": "Crèche", "maternelle": "Maternelle", "elementaire": "Élémentaire"}[
            self.value
        ]


class Enfant(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    famille_id: int = Field(foreign_key="famille.id", index=True)
    nom: str
    prenoms: str
    sexe: str = ""
    date_naissance: dt.date
    niveau: str = NiveauScolaire.MATERNELLE.value
    ecole: str = ""
    classe: str = ""
    lunettes: bool = False
    allergies: str = ""
    pai: bool = False  # projet d'accueil individualisé
    regime_alimentaire: str = ""
    medecin: str = ""
    telephone_medecin: str = ""
    autorisation_photo: bool = False
    autorisation_sortie_seul: bool = False
    autorisation_soins: bool = True
    actif: bool = True

    @property
    def nom_prenom(self) -> str:
        return f"{self.nom} {self.prenoms}"

    @property
    def premier_prenom(self) -> str:
        return self.prenoms.split()[0] if self.prenoms else ""


class PersonneAutorisee(SQLModel, table=True):
    """Someone allowed to collect a child."""

    id: int | None = Field(default=None, primary_key=True)
    enfant_id: int = Field(foreign_key="enfant.id", index=True)
    nom: str
    prenom: str
    lien: str = ""  # Grand-mère, Voisin…
    telephone: str = ""
