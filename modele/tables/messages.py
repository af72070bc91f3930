"""Messages between families and the service, and reusable answers.

Tables and enums only: the rules that use them are in modele/messages.py."""

from __future__ import annotations

from enum import StrEnum

from pydantic import NaiveDatetime
from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class Sens(StrEnum):
    DE_LA_FAMILLE = "famille"  # "Reçus" for the service
    DU_SERVICE = "service"  # "Envoyés"


class Message(SQLModel, table=True):
    # The service's unread messages (F3, the header's count) in their order; a QF
    # campaign's reminders by subject (F7).
    __table_args__ = (
        Index("ix_message_boite", "sens", "lu", "supprime", "envoye_le", "id"),
        Index("ix_message_sujet", "sujet", "sens", "envoye_le", "famille_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    famille_id: int = Field(foreign_key="famille.id", index=True)
    sens: str
    sujet: str
    corps: str
    envoye_le: NaiveDatetime = Field(index=True)
    lu: bool = False  # read by its recipient (the service, for a family's message)
    lu_le: NaiveDatetime | None = None
    supprime: bool = False
    supprime_le: NaiveDatetime | None = None
    reponse_a_id: int | None = Field(default=None, foreign_key="message.id")
    agent_id: int | None = Field(default=None, foreign_key="agent.id")
    canal: str = "portail"


class ModeleMessage(SQLModel, table=True):
    """A reusable answer, with {famille} and {enfant} filled in when used."""

    id: int | None = Field(default=None, primary_key=True)
    titre: str
    sujet: str
    corps: str
