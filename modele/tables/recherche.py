"""The family search index (one row per term).

Tables and enums only: the rules that use them are in modele/recherche.py."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class IndexRecherche(SQLModel, table=True):
    terme: str = Field(primary_key=True)
    famille_id: int = Field(primary_key=True, foreign_key="famille.id", index=True)
    # How well the term names its family: NOM, PRENOM, CONJOINT or AUTRE (modele/recherche.py).
    qualite: int = 4


class TriRecherche(SQLModel, table=True):
    """A family's place among results that match equally well: its responsable's name as
    typed at the counter (accents and case removed), then its number."""

    famille_id: int = Field(primary_key=True, foreign_key="famille.id")
    nom: str = ""
    numero: str = ""  # the family's, which never changes: the ranking reads no other table
