"""QF brackets and the families' quotients familiaux.

Tables and enums only: the rules that use them are in modele/quotient.py."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import NaiveDatetime
from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class StatutQF(StrEnum):
    EN_COURS = "en_cours"
    VALIDE = "valide"
    REFUSE = "refuse"
    RETIRE = "retire"  # its request withdrawn at the parent's wish, before a decision

    @property
    def libelle(self) -> str:
        return {
            "en_cours": "En cours de traitement",
            "valide": "Validé",
            "refuse": "Refusé",
            "retire": "Retiré",
        }[self.value]


class TrancheQF(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    numero: int = Field(unique=True)  # 1 = lowest; the highest is the "tranche maximale"
    libelle: str
    qf_min: int  # cents, inclusive
    qf_max: int | None = None  # cents, inclusive; None for the top bracket


class QuotientFamilial(SQLModel, table=True):
    # The families with a valid QF on a day (the campaign, F7): the validated ones still
    # valid then, from the index alone.
    __table_args__ = (
        Index(
            "ix_quotientfamilial_valide",
            "statut",
            "valide_au",
            "valide_du",
            "declare_le",
            "famille_id",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    famille_id: int = Field(foreign_key="famille.id", index=True)
    type: str  # "CAF", "MSA", "Manuel"
    libelle_type: str = ""  # as shown: "Quotient test API PARTICULIER"
    valeur: int  # cents
    valide_du: dt.date
    valide_au: dt.date
    tranche_id: int | None = Field(default=None, foreign_key="trancheqf.id")
    statut: str = StatutQF.EN_COURS.value
    origine: str = ""  # "api_particulier", "carte_vitale", "attestation"
    annee_calcul: int | None = None
    mois_calcul: int | None = None
    commentaire: str = ""
    certifie: bool = False
    reference_document: str = ""
    declare_le: dt.date | None = None
    demande_id: int | None = Field(default=None, foreign_key="demande.id")
    decide_par: int | None = Field(default=None, foreign_key="agent.id")
    decide_le: NaiveDatetime | None = None
    motif_refus: str = ""
