"""cellulefermee: the cells a closure closed, and their state before

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-05 03:45:00

Deleting or shortening a closure left its cells in « Fermeture » (656 bookings of a deleted
closure stayed closed, and unbilled). Each cell a closure closes is now recorded with its
state before, which comes back when no closure covers the day any more.
"""

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cellulefermee",
        sa.Column("consommation_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("periode_id", sa.Integer(), nullable=False),
        sa.Column("etat_avant", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("consommation_id"),
    )
    op.create_index("ix_cellulefermee_periode_id", "cellulefermee", ["periode_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_cellulefermee_periode_id", table_name="cellulefermee")
    op.drop_table("cellulefermee")
