"""the day's places counted from the index alone: (jour, activite_id, etat)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 02:05:00
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_consommation_jour_activite", table_name="consommation")
    op.create_index(
        "ix_consommation_jour_activite",
        "consommation",
        ["jour", "activite_id", "etat"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_consommation_jour_activite", table_name="consommation")
    op.create_index(
        "ix_consommation_jour_activite", "consommation", ["jour", "activite_id"], unique=False
    )
