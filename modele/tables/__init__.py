"""The tables, one module per area: tables and enums only, no rule.

Importing the package registers every table on SQLModel.metadata (Alembic, `vider_base`).
"""

from modele.tables import (
    agents,
    demandes,
    facturation,
    famille,
    journal,
    messages,
    planning,
    quotient,
    recherche,
    reglements,
    structure,
)

__all__ = [
    "agents",
    "demandes",
    "facturation",
    "famille",
    "journal",
    "messages",
    "planning",
    "quotient",
    "recherche",
    "reglements",
    "structure",
]
