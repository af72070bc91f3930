"""Reminders of unpaid invoices (relances): one row per invoice and level sent.

Tables and enums only: the rules that use them are in modele/relances.py."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel


class ModeRelance(StrEnum):
    COURRIER = "courrier"
    BOITE = "boite"

    @property
    def libelle(self) -> str:
        return {"courrier": "Courrier", "boite": "Boîte de réception"}[self.value]


class Relance(SQLModel, table=True):
    """One reminder sent for one invoice, at one level."""

    id: int | None = Field(default=None, primary_key=True)
    facture_id: int = Field(foreign_key="facture.id", index=True)
    niveau: int  # 1, 2, 3 (titre à émettre)
    date: dt.date
    mode: str  # ModeRelance
    agent_id: int | None = Field(default=None, foreign_key="agent.id")
    cree_le: NaiveDatetime
