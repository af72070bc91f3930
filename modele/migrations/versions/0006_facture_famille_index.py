"""a family's invoices by (famille_id, regie_id, nature, date_emission): balances, unpaid
invoices and the relevé read this index, not the régie's number sequence (which SQLite
preferred without statistics: 80 ms for 50 balances at 50,000 families)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 02:25:00
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_facture_famille",
        "facture",
        ["famille_id", "regie_id", "nature", "date_emission"],
        unique=False,
    )
    op.drop_index("ix_facture_famille_id", table_name="facture")


def downgrade() -> None:
    op.create_index("ix_facture_famille_id", "facture", ["famille_id"], unique=False)
    op.drop_index("ix_facture_famille", table_name="facture")
