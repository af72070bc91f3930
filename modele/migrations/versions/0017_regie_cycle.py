"""régie's cycle: reminders of unpaid invoices, SEPA mandates and direct debits

Revision ID: 0017
Revises: 0014
Create Date: 2026-12-02 07:00:00

Each régie gets its reminder delays (days after the due date) and its SEPA creditor
identity (ICS, account); reminders sent, mandates, remises and their debits get tables; an
activity says whether it is meals (restauration), left out of the attestations fiscales.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("regie", schema=None) as batch_op:
        for nom, defaut in (
            ("relance1_jours", "15"),
            ("relance2_jours", "30"),
            ("titre_jours", "60"),
        ):
            batch_op.add_column(sa.Column(nom, sa.Integer(), nullable=False, server_default=defaut))
        for nom in ("ics", "iban_creancier", "bic_creancier"):
            batch_op.add_column(sa.Column(nom, sa.String(), nullable=False, server_default=""))
    with op.batch_alter_table("activite", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("restauration", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # Meals, as the activities are named: outside the attestations fiscales.
    op.execute("UPDATE activite SET restauration = TRUE WHERE lower(libelle) LIKE '%restauration%'")
    op.create_table(
        "relance",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("facture_id", sa.Integer(), sa.ForeignKey("facture.id"), nullable=False),
        sa.Column("niveau", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("mode", sa.String(), nullable=False),
        sa.Column("agent_id", sa.Integer(), sa.ForeignKey("agent.id"), nullable=True),
        sa.Column("cree_le", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_relance_facture_id", "relance", ["facture_id"])
    op.create_table(
        "mandatsepa",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("famille_id", sa.Integer(), sa.ForeignKey("famille.id"), nullable=False),
        sa.Column("regie_id", sa.Integer(), sa.ForeignKey("regie.id"), nullable=False),
        sa.Column("rum", sa.String(), nullable=False, unique=True),
        sa.Column("date_signature", sa.Date(), nullable=False),
        sa.Column("sequence", sa.String(), nullable=False),
        sa.Column("actif", sa.Boolean(), nullable=False),
        sa.Column("cree_le", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_mandatsepa_famille_id", "mandatsepa", ["famille_id"])
    op.create_table(
        "remiseprelevement",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("regie_id", sa.Integer(), sa.ForeignKey("regie.id"), nullable=False),
        sa.Column("mois", sa.Date(), nullable=False),
        sa.Column("date_echeance", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(), nullable=False),
        sa.Column("nombre", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), sa.ForeignKey("agent.id"), nullable=True),
        sa.Column("cree_le", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_remiseprelevement_regie_id", "remiseprelevement", ["regie_id"])
    op.create_table(
        "prelevement",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("remise_id", sa.Integer(), sa.ForeignKey("remiseprelevement.id"), nullable=False),
        sa.Column("facture_id", sa.Integer(), sa.ForeignKey("facture.id"), nullable=False),
        sa.Column("mandat_id", sa.Integer(), sa.ForeignKey("mandatsepa.id"), nullable=False),
        sa.Column("montant", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.String(), nullable=False),
        sa.Column("iban", sa.String(), nullable=False),
        sa.Column("bic", sa.String(), nullable=False),
        sa.Column("titulaire", sa.String(), nullable=False),
        sa.Column("reglement_id", sa.Integer(), sa.ForeignKey("reglement.id"), nullable=True),
        sa.Column("rejet_reglement_id", sa.Integer(), sa.ForeignKey("reglement.id"), nullable=True),
        sa.Column("code_rejet", sa.String(), nullable=False),
    )
    op.create_index("ix_prelevement_remise_id", "prelevement", ["remise_id"])
    op.create_index("ix_prelevement_facture_id", "prelevement", ["facture_id"])


def downgrade() -> None:
    op.drop_table("prelevement")
    op.drop_table("remiseprelevement")
    op.drop_table("mandatsepa")
    op.drop_table("relance")
    with op.batch_alter_table("activite", schema=None) as batch_op:
        batch_op.drop_column("restauration")
    with op.batch_alter_table("regie", schema=None) as batch_op:
        for nom in (
            "bic_creancier",
            "iban_creancier",
            "ics",
            "titre_jours",
            "relance2_jours",
            "relance1_jours",
        ):
            batch_op.drop_column(nom)
