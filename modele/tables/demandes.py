"""Requests from families (or agents for them) and phone calls.

Tables and enums only: the rules that use them are in modele/demandes.py."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import NaiveDatetime
from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel


class TypeDemande(StrEnum):
    RESPONSABLE = "responsable"
    CONJOINT = "conjoint"
    FISCALES = "fiscales"
    CAF = "caf"
    BANCAIRES = "bancaires"
    AUTORISATIONS = "autorisations"
    SANITAIRES = "sanitaires"
    RESERVATION = "reservation"
    ABSENCE = "absence"
    PERSONNES_AUTORISEES = "personnes_autorisees"
    AJOUT_ENFANT = "ajout_enfant"
    QUOTIENT_FAMILIAL = "quotient_familial"
    PAYEUR = "payeur"

    @property
    def libelle(self) -> str:
        return LIBELLES_TYPES[self]

    @property
    def concerne_enfant(self) -> bool:
        return self in TYPES_ENFANTS


LIBELLES_TYPES = {
    TypeDemande.RESPONSABLE: "Responsable",
    TypeDemande.CONJOINT: "Conjoint",
    TypeDemande.FISCALES: "Fiscales",
    TypeDemande.CAF: "CAF",
    TypeDemande.BANCAIRES: "Bancaires",
    TypeDemande.AUTORISATIONS: "Autorisations",
    TypeDemande.SANITAIRES: "Données sanitaires",
    TypeDemande.PERSONNES_AUTORISEES: "Personnes autorisées",
    TypeDemande.RESERVATION: "Réservations",
    TypeDemande.ABSENCE: "Absences",
    TypeDemande.AJOUT_ENFANT: "Ajout d'enfant",
    TypeDemande.QUOTIENT_FAMILIAL: "Quotient familial",
    TypeDemande.PAYEUR: "Payeur des factures",
}


TYPES_ENFANTS = frozenset(
    {
        TypeDemande.AUTORISATIONS,
        TypeDemande.SANITAIRES,
        TypeDemande.PERSONNES_AUTORISEES,
        TypeDemande.RESERVATION,
        TypeDemande.ABSENCE,
        TypeDemande.AJOUT_ENFANT,
    }
)


class StatutDemande(StrEnum):
    EN_ATTENTE = "en_attente"
    ACCEPTEE = "acceptee"
    REFUSEE = "refusee"
    RETIREE = "retiree"

    @property
    def libelle(self) -> str:
        return {
            "en_attente": "En attente",
            "acceptee": "Acceptée",
            "refusee": "Refusée",
            "retiree": "Retirée",
        }[self.value]


class Demande(SQLModel, table=True):
    # The service's queue (F2): the pending requests in their order, from the index alone.
    __table_args__ = (Index("ix_demande_statut_cree_le", "statut", "cree_le", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    famille_id: int = Field(foreign_key="famille.id", index=True)
    enfant_id: int | None = Field(default=None, foreign_key="enfant.id")
    type: str = Field(index=True)
    # Changed fields only: {champ: [ancienne valeur, nouvelle valeur]}, or the booking's detail.
    valeurs: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    canal: str = "portail"
    saisie_par: int | None = Field(default=None, foreign_key="agent.id")
    cree_le: NaiveDatetime = Field(index=True)
    commentaire: str = ""
    statut: str = Field(default=StatutDemande.EN_ATTENTE.value, index=True)
    decide_par: int | None = Field(default=None, foreign_key="agent.id")
    decide_le: NaiveDatetime | None = None
    motif_refus: str = ""


class Appel(SQLModel, table=True):
    """A phone call with a parent: everything entered meanwhile has canal téléphone."""

    id: int | None = Field(default=None, primary_key=True)
    famille_id: int = Field(foreign_key="famille.id", index=True)
    agent_id: int | None = Field(default=None, foreign_key="agent.id")
    debut: NaiveDatetime
    fin: NaiveDatetime | None = None
    recapitulatif: str = ""
