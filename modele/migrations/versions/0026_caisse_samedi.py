"""caisse_samedi: whether a régie's counter opens on Saturdays

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-05 00:30:00

Once a day's cash is closed, a payment, refund or reject is dated the next cash day: never a
Sunday nor a public holiday, and a Saturday only where the counter opens then (the default,
as before).
"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("regie", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("caisse_samedi", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table("regie", schema=None) as batch_op:
        batch_op.drop_column("caisse_samedi")
