"""indexes for a town of 50,000 families: a request's cells, an invoice's credit notes, a
payment's cancellation (partial: only the rows that have one)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 01:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

INDEX = (
    ("ix_consommation_demande", "consommation", "demande_id"),
    ("ix_facture_origine", "facture", "facture_origine_id"),
    ("ix_reglement_annule", "reglement", "annule_reglement_id"),
)


def upgrade() -> None:
    for nom, table, colonne in INDEX:
        condition = sa.text(f"{colonne} IS NOT NULL")
        op.create_index(
            nom, table, [colonne], unique=False, sqlite_where=condition, postgresql_where=condition
        )


def downgrade() -> None:
    for nom, table, _ in INDEX:
        op.drop_index(nom, table_name=table)
