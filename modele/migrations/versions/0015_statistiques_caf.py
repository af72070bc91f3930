"""CAF statistics: each activity's slot length and meal, the collectivité's daily caps

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 07:00:00

The CAF counts "heures réalisées": a child present for any part of a slot counts the whole
slot, and a child's day is capped (9 h with a meal, 4 h a half-day by default). The
reference activities get their slot lengths; other activities count 0 until set.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# The reference activities (data/reference.py): minutes a slot counts, meal included.
DUREES = {
    "ALSH-MER-AM": (240, False),
    "ALSH-MER-J": (540, True),
    "ALSH-VAC-AM": (240, False),
    "ALSH-VAC-J": (540, True),
    "ALSH-VAC-M": (240, False),
    "GP-MATIN": (90, False),
    "GP-REST": (120, True),
    "GP-TL": (90, False),
    "GP-AD": (90, False),
}


def upgrade() -> None:
    with op.batch_alter_table("activite") as batch_op:
        batch_op.add_column(
            sa.Column("duree_caf_minutes", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("repas", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("collectivite") as batch_op:
        batch_op.add_column(
            sa.Column(
                "caf_plafond_journee_minutes", sa.Integer(), nullable=False, server_default="540"
            )
        )
        batch_op.add_column(
            sa.Column(
                "caf_plafond_demi_journee_minutes",
                sa.Integer(),
                nullable=False,
                server_default="240",
            )
        )
    activite = sa.table(
        "activite",
        sa.column("code", sa.String),
        sa.column("duree_caf_minutes", sa.Integer),
        sa.column("repas", sa.Boolean),
    )
    for code, (minutes, repas) in DUREES.items():
        op.execute(
            activite.update()
            .where(activite.c.code == code)
            .values(duree_caf_minutes=minutes, repas=repas)
        )


def downgrade() -> None:
    with op.batch_alter_table("collectivite") as batch_op:
        batch_op.drop_column("caf_plafond_demi_journee_minutes")
        batch_op.drop_column("caf_plafond_journee_minutes")
    with op.batch_alter_table("activite") as batch_op:
        batch_op.drop_column("repas")
        batch_op.drop_column("duree_caf_minutes")
