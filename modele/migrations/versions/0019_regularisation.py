"""regularisation: cells changed after their month was billed, lines that regularise a month;
demande.version_famille dropped

Revision ID: 0019
Revises: 0014
Create Date: 2026-12-02 07:00:00

`consommation.a_regulariser` marks a cell whose state changed after its month was billed (a
booking accepted late, a presence recorded late): the next run bills it if it is billable and
on no invoice, on a line of its own (`lignefacture.mois_regularise`, the month it belongs to).
A partial index keeps the few marked cells; the run reads the régie's last billed period
from its own index.
"""

import sqlite3

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
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
    _supprimer_colonne("demande", "version_famille")


def _supprimer_colonne(table: str, colonne: str) -> None:
    """SQLite 3.35+ drops a column in place (no copy of a table of every booking request);
    older SQLite rebuilds the table (batch)."""
    connexion = op.get_bind()
    if connexion.dialect.name == "sqlite" and sqlite3.sqlite_version_info < (3, 35):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(colonne)
    else:
        op.execute(f"ALTER TABLE {table} DROP COLUMN {colonne}")


def downgrade() -> None:
    with op.batch_alter_table("demande", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("version_famille", sa.Integer(), nullable=False, server_default="1")
        )
    op.drop_index("ix_facture_regie_periode", table_name="facture")
    with op.batch_alter_table("lignefacture", schema=None) as batch_op:
        batch_op.drop_column("mois_regularise")
    op.drop_index("ix_consommation_a_regulariser", table_name="consommation")
    with op.batch_alter_table("consommation", schema=None) as batch_op:
        batch_op.drop_column("a_regulariser")
