"""Guichet Famille's domain: tables and business rules. No Textual here.

Layers, each importing only those below it (import-linter contract in pyproject.toml): the
basics (base, formats, communes, validation, api_particulier), the tables (modele/tables/, one
module per area, tables and enums only), then the rules by area. Importing the package
registers every table on SQLModel.metadata.
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
    tables,
)
