"""The append-only journal's table, and the events that keep it append-only.

Tables and enums only: the rules that use them are in modele/journal.py."""

from __future__ import annotations

from typing import Any

from pydantic import NaiveDatetime
from sqlalchemy import JSON, Column, Index, event, inspect
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as SessionORM
from sqlalchemy.sql.elements import Null
from sqlmodel import Field, SQLModel

from modele.base import ErreurMetier


class Journal(SQLModel, table=True):
    # Reading by family or by agent, newest first (the journal screen's filters).
    __table_args__ = (
        Index("ix_journal_famille_horodatage", "famille_id", "horodatage"),
        Index("ix_journal_agent_horodatage", "agent_id", "horodatage"),
    )

    id: int | None = Field(default=None, primary_key=True)
    horodatage: NaiveDatetime = Field(index=True)
    agent_id: int | None = Field(default=None, foreign_key="agent.id", index=True)
    canal: str
    # The system's task when no agent acted (Contexte.systeme("facturer")); "" for an agent.
    tache: str = ""
    action: str  # e.g. "creation", "modification", "connexion", "facturation"
    objet: str  # table name
    objet_id: int | None = None
    famille_id: int | None = Field(default=None, index=True)
    avant: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    apres: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    detail: str = ""


MESSAGE_AJOUT_SEUL = "Le journal ne peut être ni modifié ni supprimé : on y ajoute seulement."


_EFFACABLES = {"avant", "apres", "detail"}


def _vide(valeur: object) -> bool:
    return valeur is None or valeur == "" or isinstance(valeur, Null)


@event.listens_for(Journal, "before_update")
def _refuser_modification(_mapper, _connexion, ligne: Journal) -> None:
    etat = inspect(ligne)
    for attribut in etat.attrs:
        if attribut.history.has_changes() and not (
            attribut.key in _EFFACABLES and _vide(attribut.value)
        ):
            raise ErreurMetier(MESSAGE_AJOUT_SEUL)


@event.listens_for(Journal, "before_delete")
def _refuser_suppression(_mapper, _connexion, _ligne: Journal) -> None:
    raise ErreurMetier(MESSAGE_AJOUT_SEUL)


@event.listens_for(SessionORM, "do_orm_execute")
def _refuser_en_masse(etat: ORMExecuteState) -> None:
    """Bulk UPDATE and DELETE statements through a session skip the mapper events."""
    if not (etat.is_update or etat.is_delete):
        return
    if etat.bind_mapper is None or etat.bind_mapper.class_ is not Journal:
        return
    if etat.is_update and not etat.parameters:
        valeurs = getattr(etat.statement, "_values", None) or {}
        if valeurs and all(
            getattr(c, "key", c) in _EFFACABLES and _vide(getattr(v, "value", v))
            for c, v in valeurs.items()
        ):
            return
    raise ErreurMetier(MESSAGE_AJOUT_SEUL)
