"""The family search index (one row per term).

Tables and enums only: the rules that use them are in modele/recherche.py."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class IndexRecherche(SQLModel, table=True):
    terme: str = Field(primary_key=True)
    famille_id: int = Field(primary_key=True, foreign_key="famille.id", index=True)
