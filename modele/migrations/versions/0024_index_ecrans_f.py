"""index_ecrans_f: the F-screens read a page and a count from indexes (issue #18)

Revision ID: 0024
Revises: 0022
Create Date: 2026-12-02 15:00:00

At 50,000 families the service's queue (F2: 7,235 pending requests), its unread messages
(F3 and the header's count: a scan of 59,000 messages) and the QF campaign (F7: the
families without a valid QF, a scan of 119,000 QF) were read from the tables; each now
reads a range of an index, with the columns it needs in it.
"""

from alembic import op

revision = "0024"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_demande_statut_cree_le", "demande", ["statut", "cree_le", "id"])
    op.create_index("ix_message_boite", "message", ["sens", "lu", "supprime", "envoye_le", "id"])
    op.create_index("ix_message_sujet", "message", ["sujet", "sens", "envoye_le", "famille_id"])
    op.create_index(
        "ix_quotientfamilial_valide",
        "quotientfamilial",
        ["statut", "valide_au", "valide_du", "declare_le", "famille_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_quotientfamilial_valide", table_name="quotientfamilial")
    op.drop_index("ix_message_sujet", table_name="message")
    op.drop_index("ix_message_boite", table_name="message")
    op.drop_index("ix_demande_statut_cree_le", table_name="demande")
