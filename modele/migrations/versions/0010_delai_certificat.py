"""the collectivité's delay for a medical certificate (working days after the absence)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("collectivite", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "delai_certificat_jours_ouvres", sa.Integer(), nullable=False, server_default="2"
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("collectivite", schema=None) as batch_op:
        batch_op.drop_column("delai_certificat_jours_ouvres")
