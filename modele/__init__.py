"""Guichet Famille's domain: tables and business rules. No Textual here.

Importing the package registers every table on SQLModel.metadata.
"""

from modele import (  # noqa: F401
    agents,
    caisse,
    chaine,
    cloture,
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
