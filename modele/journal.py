"""The append-only journal: who did what, when, through which channel, on which record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column
from pydantic import NaiveDatetime
from sqlmodel import Field, Session, SQLModel

from modele.base import Contexte


class Journal(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    horodatage: NaiveDatetime = Field(index=True)
    agent_id: int | None = Field(default=None, foreign_key="agent.id", index=True)
    canal: str
    action: str  # e.g. "creation", "modification", "connexion", "facturation"
    objet: str  # table name
    objet_id: int | None = None
    famille_id: int | None = Field(default=None, index=True)
    avant: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    apres: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    detail: str = ""


def journaliser(session: Session, contexte: Contexte, action: str, objet: str,
                objet_id: int | None = None, famille_id: int | None = None,
                avant: dict[str, Any] | None = None, apres: dict[str, Any] | None = None,
                detail: str = "") -> Journal:
    """Add a journal row to the caller's transaction (it commits with the action)."""
    ligne = Journal(horodatage=contexte.maintenant(), agent_id=contexte.agent_id,
                    canal=str(contexte.canal), action=action, objet=objet, objet_id=objet_id,
                    famille_id=famille_id, avant=avant, apres=apres, detail=detail)
    session.add(ligne)
    return ligne
