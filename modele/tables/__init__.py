"""The tables, one module per area: tables and enums only, no rule.

Importing the package registers every table on SQLModel.metadata (Alembic, `vider_base`).
"""

from modele.tables import (
    agents,
    caisse,
    chaine,
    demandes,
    facturation,
    famille,
    journal,
    messages,
    planning,
    quotient,
    recherche,
    reglements,
    relances,
    sepa,
    structure,
)

__all__ = [
    "agents",
    "caisse",
    "chaine",
    "demandes",
    "facturation",
    "famille",
    "journal",
    "messages",
    "planning",
    "quotient",
    "recherche",
    "reglements",
    "relances",
    "sepa",
    "structure",
]
