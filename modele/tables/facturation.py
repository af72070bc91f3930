"""Tariffs, invoices and credit notes, and their lines.

Tables and enums only: the rules that use them are in modele/facturation.py."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import NaiveDatetime
from sqlalchemy import (
    Index,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel


class NatureFacture(StrEnum):
    FACTURE = "facture"
    AVOIR = "avoir"


class Tarif(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    activite_id: int = Field(foreign_key="activite.id", index=True)
    tranche_id: int = Field(foreign_key="trancheqf.id")
    prix_unitaire: int  # cents per day
    valide_du: dt.date
    valide_au: dt.date | None = None


class Facture(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("regie_id", "nature", "numero"),
        # A family's invoices (balance, unpaid, relevé): more selective, to the planner, than
        # the régie's number sequence above; with the total, balances read the index alone.
        Index("ix_facture_famille", "famille_id", "regie_id", "nature", "date_emission", "total"),
        # The régie's last billed period (is a changed day's month already billed?).
        Index("ix_facture_regie_periode", "regie_id", "nature", "periode_fin"),
        # The dashboard's money of a school year, by day, from the index alone.
        Index("ix_facture_emission", "date_emission", "nature", "total"),
        # An invoice's credit notes (what is still due); most invoices have none.
        Index(
            "ix_facture_origine",
            "facture_origine_id",
            sqlite_where=text("facture_origine_id IS NOT NULL"),
            postgresql_where=text("facture_origine_id IS NOT NULL"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    regie_id: int = Field(foreign_key="regie.id")
    nature: str = NatureFacture.FACTURE.value
    numero: int
    reference: str = Field(index=True)  # as printed: "AL-36"
    famille_id: int = Field(foreign_key="famille.id")
    date_emission: dt.date
    date_echeance: dt.date
    periode_debut: dt.date
    periode_fin: dt.date
    total: int  # cents, positive (an avoir's total is the amount credited)
    facture_origine_id: int | None = Field(default=None, foreign_key="facture.id")
    motif: str = ""
    emise_par: int | None = Field(default=None, foreign_key="agent.id")
    cree_le: NaiveDatetime


class LigneFacture(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    facture_id: int = Field(foreign_key="facture.id", index=True)
    enfant_id: int | None = Field(default=None, foreign_key="enfant.id")
    activite_id: int | None = Field(default=None, foreign_key="activite.id")
    libelle: str
    quantite: int
    prix_unitaire: int  # cents
    montant: int  # cents = quantite × prix_unitaire
    # A regularisation line: the earlier month whose days it bills (its 1st), else None.
    mois_regularise: dt.date | None = None
