"""Messages between families and the service, and reusable answers.

Tables and enums only: the rules that use them are in modele/messages.py."""

from __future__ import annotations

from enum import StrEnum

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel


class Sens(StrEnum):
    DE_LA_FAMILLE = "famille"  # "Reçus" for the service
    DU_SERVICE = "service"  # "Envoyés"


class Message(SQLModel, table=True):
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
