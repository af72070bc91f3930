"""SEPA direct debit: the mandates, the month's remises and their debits.

Tables and enums only: the rules that use them are in modele/sepa.py."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel


class Sequence(StrEnum):
    PREMIER = "FRST"
    RECURRENT = "RCUR"

    @property
    def libelle(self) -> str:
        return {"FRST": "Premier", "RCUR": "Récurrent"}[self.value]


class MandatSepa(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    famille_id: int = Field(foreign_key="famille.id", index=True)
    regie_id: int = Field(foreign_key="regie.id")
    rum: str = Field(unique=True)  # Référence Unique du Mandat
    date_signature: dt.date
    sequence: str = Sequence.PREMIER.value
    actif: bool = True
    cree_le: NaiveDatetime


class RemisePrelevement(SQLModel, table=True):
    """One month's direct debits of a régie, for one collection date (one pain.008 file)."""

    id: int | None = Field(default=None, primary_key=True)
    regie_id: int = Field(foreign_key="regie.id", index=True)
    mois: dt.date  # first day of the month billed
    date_echeance: dt.date  # collection date
    reference: str  # message id of the file
    nombre: int
    total: int  # cents
    agent_id: int | None = Field(default=None, foreign_key="agent.id")
    cree_le: NaiveDatetime


class Prelevement(SQLModel, table=True):
    """One invoice debited in a remise; its payment once passed, its reject if any."""

    id: int | None = Field(default=None, primary_key=True)
    remise_id: int = Field(foreign_key="remiseprelevement.id", index=True)
    facture_id: int = Field(foreign_key="facture.id", index=True)
    mandat_id: int = Field(foreign_key="mandatsepa.id")
    montant: int  # cents
    sequence: str
    iban: str
    bic: str = ""
    titulaire: str
    reglement_id: int | None = Field(default=None, foreign_key="reglement.id")
    rejet_reglement_id: int | None = Field(default=None, foreign_key="reglement.id")
    code_rejet: str = ""
