"""an address is one block: street, complement, postcode, town, country (the complement
and the country are new columns of the responsable)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27 05:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("responsable") as batch_op:
        batch_op.add_column(
            sa.Column("complement_adresse", sa.String(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("pays", sa.String(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("responsable") as batch_op:
        batch_op.drop_column("pays")
        batch_op.drop_column("complement_adresse")
