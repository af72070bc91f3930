"""balances from the indexes alone: the invoices' (famille_id, regie_id, nature,
date_emission) index carries their total, the payments' family index their régie, date and
amount (the search sums 50 families' balances at each keystroke)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 04:15:00
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_facture_famille", table_name="facture")
    op.create_index(
        "ix_facture_famille",
        "facture",
        ["famille_id", "regie_id", "nature", "date_emission", "total"],
        unique=False,
    )
    op.drop_index("ix_reglement_famille_id", table_name="reglement")
    op.create_index(
        "ix_reglement_famille",
        "reglement",
        ["famille_id", "regie_id", "date", "montant"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_reglement_famille", table_name="reglement")
    op.create_index("ix_reglement_famille_id", "reglement", ["famille_id"], unique=False)
    op.drop_index("ix_facture_famille", table_name="facture")
    op.create_index(
        "ix_facture_famille",
        "facture",
        ["famille_id", "regie_id", "nature", "date_emission"],
        unique=False,
    )
