"""The links of a régie's hash chain (see modele/chaine.py for what is hashed and when).

Tables and enums only: the rules that write and check the chain are in modele/chaine.py."""

from __future__ import annotations

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class Maillon(SQLModel, table=True):
    """One link of a régie's chain: the record it seals and the hashes."""

    __table_args__ = (
        UniqueConstraint("regie_id", "sequence"),
        UniqueConstraint("objet", "objet_id"),
        Index("ix_maillon_regie_objet", "regie_id", "objet", "objet_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    regie_id: int = Field(foreign_key="regie.id")
    sequence: int  # 1, 2, 3… per régie, without gaps
    objet: str  # table: facture, reglement, cloture, bordereau
    nature: str  # facture, avoir, reglement, annulation, remboursement, cloture, bordereau
    objet_id: int
    reference: str  # as printed ("AL-36"): names a removed record
    empreinte: str = Field(max_length=64)
    precedente: str = Field(max_length=64)
