"""Payments and their allocation to invoices.

Tables and enums only: the rules that use them are in modele/reglements.py."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import NaiveDatetime
from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel


class ModeReglement(StrEnum):
    CHEQUE = "cheque"
    ESPECES = "especes"
    CARTE = "carte"
    PAIEMENT_EN_LIGNE = "paiement_en_ligne"
    PRELEVEMENT = "prelevement"
    VIREMENT = "virement"
    CESU = "cesu"
    TITRE_ORMC = "titre_ormc"
    REMBOURSEMENT = "remboursement"  # a credit paid back to the family (negative amount)

    @property
    def libelle(self) -> str:
        return LIBELLES_MODES[self]


LIBELLES_MODES = {
    ModeReglement.CHEQUE: "Chèque",
    ModeReglement.ESPECES: "Espèces",
    ModeReglement.CARTE: "Carte bancaire",
    ModeReglement.PAIEMENT_EN_LIGNE: "Paiement en ligne",
    ModeReglement.PRELEVEMENT: "Prélèvement",
    ModeReglement.VIREMENT: "Virement",
    ModeReglement.CESU: "CESU",
    ModeReglement.TITRE_ORMC: "Titre émis",
    ModeReglement.REMBOURSEMENT: "Remboursement",
}


class Reglement(SQLModel, table=True):
    # A payment's cancellation, if any; most payments have none.
    __table_args__ = (
        Index(
            "ix_reglement_annule",
            "annule_reglement_id",
            sqlite_where=text("annule_reglement_id IS NOT NULL"),
            postgresql_where=text("annule_reglement_id IS NOT NULL"),
        ),
        # A family's payments; balances read this index alone.
        Index("ix_reglement_famille", "famille_id", "regie_id", "date", "montant"),
        # The dashboard's payments of a school year, by day and mode, from the index alone.
        Index("ix_reglement_date", "date", "mode", "montant", "annule_reglement_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    regie_id: int = Field(foreign_key="regie.id")
    numero: int
    reference: str = Field(index=True)  # "AL-228"
    famille_id: int = Field(foreign_key="famille.id")
    date: dt.date
    mode: str
    reference_paiement: str = ""  # cheque number, ORMC title number…
    banque: str = ""
    payeur: str = ""
    montant: int  # cents; negative for a cancelling entry or a refund of a credit
    annule_reglement_id: int | None = Field(default=None, foreign_key="reglement.id")
    motif: str = ""
    saisi_par: int | None = Field(default=None, foreign_key="agent.id")
    cree_le: NaiveDatetime


class Affectation(SQLModel, table=True):
    """The part of a payment, or of a credit note (`avoir_id`), that pays one invoice."""

    id: int | None = Field(default=None, primary_key=True)
    reglement_id: int | None = Field(default=None, foreign_key="reglement.id", index=True)
    avoir_id: int | None = Field(default=None, foreign_key="facture.id", index=True)
    facture_id: int = Field(foreign_key="facture.id", index=True)
    montant: int  # cents
