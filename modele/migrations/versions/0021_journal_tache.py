"""journal_tache: the system's task in a column of its own, no longer inside the canal

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 12:00:00

A named system context (`Contexte.systeme("facturer")`) was journaled with its task inside
the canal column ("systeme:facturer"). The task now has its own column (`journal.tache`,
empty when an agent acted) and the canal is the channel alone ("systeme"), so that a filter
or an export on the canal reads one value per channel.
"""

import sqlite3

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

PREFIXE = "systeme:"


def upgrade() -> None:
    # A plain ADD COLUMN (no table rebuild): the journal is append-only and grows the most.
    op.add_column("journal", sa.Column("tache", sa.String(), nullable=False, server_default=""))
    # Raw SQL on purpose: the ORM's append-only events refuse any update of a journal row.
    op.execute(
        sa.text(
            "UPDATE journal SET tache = substr(canal, :debut), canal = 'systeme'"
            " WHERE canal LIKE 'systeme:%'"
        ).bindparams(debut=len(PREFIXE) + 1)
    )


def downgrade() -> None:
    op.execute(
        "UPDATE journal SET canal = 'systeme:' || tache WHERE canal = 'systeme' AND tache <> ''"
    )
    connexion = op.get_bind()
    if connexion.dialect.name == "sqlite" and sqlite3.sqlite_version_info < (3, 35):
        with op.batch_alter_table("journal", schema=None) as batch_op:
            batch_op.drop_column("tache")
    else:
        op.execute("ALTER TABLE journal DROP COLUMN tache")
