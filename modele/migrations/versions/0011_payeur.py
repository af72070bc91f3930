"""the payer of a régie's invoices, per family, dated (one at a time, the latest before a
document was issued addresses it)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27 05:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payeur",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("famille_id", sa.Integer(), nullable=False),
        sa.Column("regie_id", sa.Integer(), nullable=False),
        sa.Column("responsable_id", sa.Integer(), nullable=False),
        sa.Column("depuis", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["famille_id"], ["famille.id"]),
        sa.ForeignKeyConstraint(["regie_id"], ["regie.id"]),
        sa.ForeignKeyConstraint(["responsable_id"], ["responsable.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_payeur_famille_id", "payeur", ["famille_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_payeur_famille_id", table_name="payeur")
    op.drop_table("payeur")
