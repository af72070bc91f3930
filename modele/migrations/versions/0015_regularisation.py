"""regularisation: cells changed after their month was billed, lines that regularise a month

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 07:00:00

`consommation.a_regulariser` marks a cell whose state changed after its month was billed (a
booking accepted late, a presence recorded late): the next run bills it if it is billable and
on no invoice, on a line of its own (`lignefacture.mois_regularise`, the month it belongs to).
A partial index keeps the few marked cells; the run reads the régie's last billed period
from its own index.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (no table rebuild): the planning table is the largest of the base.
    op.add_column(
        "consommation",
        sa.Column("a_regulariser", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index(
        "ix_consommation_a_regulariser",
        "consommation",
        ["jour"],
        unique=False,
        sqlite_where=sa.text("a_regulariser = 1"),
        postgresql_where=sa.text("a_regulariser"),
    )
    op.add_column("lignefacture", sa.Column("mois_regularise", sa.Date(), nullable=True))
    op.create_index(
        "ix_facture_regie_periode", "facture", ["regie_id", "nature", "periode_fin"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_facture_regie_periode", table_name="facture")
    with op.batch_alter_table("lignefacture", schema=None) as batch_op:
        batch_op.drop_column("mois_regularise")
    op.drop_index("ix_consommation_a_regulariser", table_name="consommation")
    with op.batch_alter_table("consommation", schema=None) as batch_op:
        batch_op.drop_column("a_regulariser")
