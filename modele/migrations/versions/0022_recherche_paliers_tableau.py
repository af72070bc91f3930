"""search read tier by tier: the terms by level and prefix, the families in their name
order, each family's terms by level, from three indexes; the dashboard's money by date

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 12:00:00

A keystroke ranks its matches tier by tier (modele.recherche._classer_mot). A tier of many
matches spread over every name (a phone's first digits, at 50,000 families tens of
thousands) is read in `trirecherche`'s (nom, numero) order, each family probed for a term of
that level, until the page is full: one index to read the families in order, one to probe a
family's terms by level and prefix (index only). The other tiers read the terms of one
level by prefix: (qualite, terme), not the (terme, qualite) of 0016, which reads a prefix's
terms of every level (a digit's 150,000 phones to find no first name).

The dashboard's money (modele.statistiques.argent_par_mois, encaissements_par_mode) sums a
school year's invoices and payments by day: a range on (date_emission, nature, total) and
on (date, mode, montant, annule_reglement_id), read from the indexes alone, instead of
the whole tables (a town's 600,000 invoices a year).
"""

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_indexrecherche_qualite_terme", "indexrecherche", ["qualite", "terme", "famille_id"]
    )
    op.create_index("ix_trirecherche_nom_numero", "trirecherche", ["nom", "numero"])
    op.create_index(
        "ix_indexrecherche_famille_qualite_terme",
        "indexrecherche",
        ["famille_id", "qualite", "terme"],
    )
    op.create_index("ix_facture_emission", "facture", ["date_emission", "nature", "total"])
    op.create_index(
        "ix_reglement_date", "reglement", ["date", "mode", "montant", "annule_reglement_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_reglement_date", table_name="reglement")
    op.drop_index("ix_facture_emission", table_name="facture")
    op.drop_index("ix_indexrecherche_famille_qualite_terme", table_name="indexrecherche")
    op.drop_index("ix_trirecherche_nom_numero", table_name="trirecherche")
    op.drop_index("ix_indexrecherche_qualite_terme", table_name="indexrecherche")
