"""the QF's validity is a setting of the collectivité: months after the first one (12 by
default, as seed 000 shows "Du 01/12/2024 au 31/12/2025")

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-27 06:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("collectivite") as batch_op:
        batch_op.add_column(
            sa.Column("qf_validite_mois", sa.Integer(), nullable=False, server_default="12")
        )


def downgrade() -> None:
    with op.batch_alter_table("collectivite") as batch_op:
        batch_op.drop_column("qf_validite_mois")
