"""lettrage: credit notes allocated by Affectation rows; payment plausibility per régie

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 09:00:00

An Affectation now comes from a payment or from a credit note (`avoir_id`). A credit note
used to lower its invoice implicitly; each existing one is allocated to its invoice as far
as that invoice was still due (older credit notes first), what is left stays a credit.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("regie", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "montant_max_reglement", sa.Integer(), nullable=False, server_default="500000"
            )
        )
        batch_op.add_column(
            sa.Column("chiffres_cheque", sa.Integer(), nullable=False, server_default="7")
        )
    with op.batch_alter_table("affectation", schema=None) as batch_op:
        batch_op.alter_column("reglement_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("avoir_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_affectation_avoir", "facture", ["avoir_id"], ["id"])
        batch_op.create_index("ix_affectation_avoir_id", ["avoir_id"], unique=False)
    connexion = op.get_bind()
    payes = dict(
        connexion.execute(
            sa.text("SELECT facture_id, SUM(montant) FROM affectation GROUP BY facture_id")
        ).all()
    )
    factures = dict(
        connexion.execute(sa.text("SELECT id, total FROM facture WHERE nature = 'facture'")).all()
    )
    lettres: dict[int, int] = {}
    lignes = []
    for avoir_id, origine, total in connexion.execute(
        sa.text(
            "SELECT id, facture_origine_id, total FROM facture WHERE nature = 'avoir' "
            "AND facture_origine_id IS NOT NULL ORDER BY date_emission, numero"
        )
    ):
        du = factures.get(origine, 0) - (payes.get(origine) or 0) - lettres.get(origine, 0)
        part = min(total, max(du, 0))
        if part > 0:
            lettres[origine] = lettres.get(origine, 0) + part
            lignes.append({"avoir_id": avoir_id, "facture_id": origine, "montant": part})
    if lignes:
        connexion.execute(
            sa.text(
                "INSERT INTO affectation (avoir_id, facture_id, montant) "
                "VALUES (:avoir_id, :facture_id, :montant)"
            ),
            lignes,
        )


def downgrade() -> None:
    op.execute("DELETE FROM affectation WHERE avoir_id IS NOT NULL")
    with op.batch_alter_table("affectation", schema=None) as batch_op:
        batch_op.drop_index("ix_affectation_avoir_id")
        batch_op.drop_constraint("fk_affectation_avoir", type_="foreignkey")
        batch_op.drop_column("avoir_id")
        batch_op.alter_column("reglement_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("regie", schema=None) as batch_op:
        batch_op.drop_column("chiffres_cheque")
        batch_op.drop_column("montant_max_reglement")
