"""Boîte de réception: messages between the family and the structure."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import NaiveDatetime
from sqlmodel import Field, Session, SQLModel, col, func, select


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


def nombre_non_lus(session: Session, famille_id: int) -> int:
    """Messages from the family the service has not read yet (the header's count)."""
    return session.exec(
        select(func.count()).select_from(Message).where(
            Message.famille_id == famille_id, Message.sens == Sens.DE_LA_FAMILLE,
            Message.lu == False, Message.supprime == False)  # noqa: E712
    ).one()


def messages_famille(session: Session, famille_id: int) -> list[Message]:
    return list(session.exec(
        select(Message).where(Message.famille_id == famille_id)
        .order_by(col(Message.envoye_le).desc())
    ).all())
