"""caisse: the régie's hash chain, cash closings and deposit slips

Revision ID: 0018
Revises: 0014
Create Date: 2026-12-02 07:00:00

Every accounting record of a régie gets a link in its chain (modele/chaine.py); the
records of an existing base are chained here, day by day (invoices and credit notes, then
payments, by id), with the chain's current serialisation.
"""

import sqlalchemy as sa
from alembic import op
from sqlmodel import Session

from modele.chaine import chainer_existants

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "maillon",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("regie_id", sa.Integer(), sa.ForeignKey("regie.id"), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("objet", sa.String(), nullable=False),
        sa.Column("nature", sa.String(), nullable=False),
        sa.Column("objet_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(), nullable=False),
        sa.Column("empreinte", sa.String(length=64), nullable=False),
        sa.Column("precedente", sa.String(length=64), nullable=False),
        sa.UniqueConstraint("regie_id", "sequence"),
        sa.UniqueConstraint("objet", "objet_id"),
    )
    op.create_index("ix_maillon_regie_objet", "maillon", ["regie_id", "objet", "objet_id"])
    op.create_table(
        "cloture",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("regie_id", sa.Integer(), sa.ForeignKey("regie.id"), nullable=False),
        sa.Column("numero", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(), nullable=False),
        sa.Column("jour", sa.Date(), nullable=False),
        sa.Column("comptages", sa.JSON(), nullable=True),
        sa.Column("enregistre", sa.Integer(), nullable=False),
        sa.Column("compte", sa.Integer(), nullable=False),
        sa.Column("ecart", sa.Integer(), nullable=False),
        sa.Column("motif", sa.String(), nullable=False),
        sa.Column("cloturee_par", sa.Integer(), sa.ForeignKey("agent.id"), nullable=True),
        sa.Column("cree_le", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("regie_id", "jour"),
        sa.UniqueConstraint("regie_id", "numero"),
    )
    op.create_table(
        "bordereau",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("regie_id", sa.Integer(), sa.ForeignKey("regie.id"), nullable=False),
        sa.Column("numero", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(), nullable=False),
        sa.Column("nature", sa.String(), nullable=False),
        sa.Column("jour", sa.Date(), nullable=False),
        sa.Column("nombre", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("cree_par", sa.Integer(), sa.ForeignKey("agent.id"), nullable=True),
        sa.Column("cree_le", sa.DateTime(), nullable=False),
        sa.Column("imprime_le", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("regie_id", "numero"),
    )
    op.create_table(
        "lignebordereau",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("bordereau_id", sa.Integer(), sa.ForeignKey("bordereau.id"), nullable=False),
        sa.Column(
            "reglement_id", sa.Integer(), sa.ForeignKey("reglement.id"), nullable=False, unique=True
        ),
    )
    op.create_index("ix_lignebordereau_bordereau_id", "lignebordereau", ["bordereau_id"])
    # The existing records, chained with the app's own code (same hashes as at run time).
    with Session(bind=op.get_bind()) as session:
        chainer_existants(session)
        session.flush()


def downgrade() -> None:
    op.drop_index("ix_lignebordereau_bordereau_id", table_name="lignebordereau")
    op.drop_table("lignebordereau")
    op.drop_table("bordereau")
    op.drop_table("cloture")
    op.drop_index("ix_maillon_regie_objet", table_name="maillon")
    op.drop_table("maillon")
    op.execute("DELETE FROM compteur WHERE nature IN ('chaine', 'cloture', 'bordereau')")
