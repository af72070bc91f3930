"""index_non_pointees: the booked days with nothing recorded, in a partial index (issue #18)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-03 05:30:00

Before a month is issued, F6 lists its booked past days with no presence or absence recorded
(`reservations.en_suspens`). At 50,000 families that was a count and a page read through the
month's 1.3 million cells (0.55 s at each opening of F6); the booked days not recorded are 7 %
of the cells, and this index holds only them.
"""

from alembic import op
from sqlalchemy import text

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

# As modele.tables.planning.CONDITION_NON_POINTEE(_PG) (a migration keeps its own copy).
CONDITION = "etat IN ('reserve', 'regulier')"
CONDITION_PG = "etat::text = ANY (ARRAY['reserve'::text, 'regulier'::text])"


def upgrade() -> None:
    op.create_index(
        "ix_consommation_non_pointee",
        "consommation",
        ["jour", "activite_id", "enfant_id", "etat"],
        sqlite_where=text(CONDITION),
        postgresql_where=text(CONDITION_PG),
    )
    connexion = op.get_bind()
    if (
        connexion.dialect.name == "sqlite"
        and connexion.execute(
            text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        ).first()
    ):
        # A base analysed before (the demo's build does it): without its own statistics the
        # planner would not know the new index is the small one.
        op.execute("ANALYZE ix_consommation_non_pointee")


def downgrade() -> None:
    op.drop_index("ix_consommation_non_pointee", table_name="consommation")
