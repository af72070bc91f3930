"""The cash of a régie's day: its closing (clôture de caisse) and the deposit slips
(bordereaux de remise), and the events that keep them unchanged once written.

Tables and enums only: the check that a day is open is in modele/caisse.py, the rules that
close a day and make the slips in modele/cloture.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import NaiveDatetime
from sqlalchemy import JSON, Column, UniqueConstraint, event, inspect
from sqlmodel import Field, SQLModel

from modele.base import ErreurMetier


class Cloture(SQLModel, table=True):
    """A régie's closed day: what the app recorded by mode against what was counted."""

    __table_args__ = (
        UniqueConstraint("regie_id", "jour"),
        UniqueConstraint("regie_id", "numero"),
    )
    id: int | None = Field(default=None, primary_key=True)
    regie_id: int = Field(foreign_key="regie.id")
    numero: int  # per régie, without gaps
    reference: str  # "AL-CL12"
    jour: dt.date
    # {mode: {"enregistre": cents, "compte": cents, "nombre": n}}
    comptages: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    enregistre: int  # cents, all modes
    compte: int
    ecart: int  # compte − enregistre
    motif: str = ""  # required when a mode differs
    cloturee_par: int | None = Field(default=None, foreign_key="agent.id")
    cree_le: NaiveDatetime


class NatureBordereau:
    CHEQUE = "cheque"
    ESPECES = "especes"


class Bordereau(SQLModel, table=True):
    """A deposit slip: the cheques (or the cash) of a closed day taken to the bank."""

    __table_args__ = (UniqueConstraint("regie_id", "numero"),)
    id: int | None = Field(default=None, primary_key=True)
    regie_id: int = Field(foreign_key="regie.id")
    numero: int  # per régie, without gaps
    reference: str  # "AL-BR3"
    nature: str  # cheque | especes
    jour: dt.date  # the closed day it deposits
    nombre: int
    total: int  # cents
    cree_par: int | None = Field(default=None, foreign_key="agent.id")
    cree_le: NaiveDatetime
    imprime_le: NaiveDatetime | None = None  # first print: from then on it never changes


class LigneBordereau(SQLModel, table=True):
    """A payment on a slip; a payment is on one slip at most (unique)."""

    id: int | None = Field(default=None, primary_key=True)
    bordereau_id: int = Field(foreign_key="bordereau.id", index=True)
    reglement_id: int = Field(foreign_key="reglement.id", unique=True)


MESSAGE_IMPRIME = "Un bordereau imprimé ne se modifie plus."


@event.listens_for(Bordereau, "before_update")
def _bordereau_fige(_mapper, _connexion, bordereau: Bordereau) -> None:
    # The one change allowed: its first print is noted; nothing else, ever.
    for attribut in inspect(bordereau).attrs:
        historique = attribut.history
        if historique.has_changes() and not (
            attribut.key == "imprime_le" and all(v is None for v in historique.deleted)
        ):
            raise ErreurMetier(MESSAGE_IMPRIME)


@event.listens_for(Bordereau, "before_delete")
@event.listens_for(Cloture, "before_delete")
def _jamais_supprime(_mapper, _connexion, _ligne) -> None:
    raise ErreurMetier("Une clôture ou un bordereau ne se supprime pas.")


@event.listens_for(LigneBordereau, "before_delete")
@event.listens_for(LigneBordereau, "before_update")
def _ligne_figee(_mapper, _connexion, _ligne) -> None:
    raise ErreurMetier(MESSAGE_IMPRIME)
