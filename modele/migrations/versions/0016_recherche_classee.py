"""search ranked in SQL: each term says how well it names its family, each family has its
sort name; on PostgreSQL the terms and names compare by code point (collation "C")

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-02 07:00:00

The ranking of issue #15 (a surname typed whole, a surname's start, a first name, the
conjoint, the rest; ties by name, then number) moves from Python into the query, so that
every engine returns the same best families. `indexrecherche.qualite` and `trirecherche`
(a family's sort name and number) are filled here as modele.recherche.indexer_famille
fills them.
"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

NOM, PRENOM, CONJOINT = 0, 2, 3


def _normaliser(texte: str) -> str:
    decompose = unicodedata.normalize("NFKD", texte or "")
    return "".join(c for c in decompose if not unicodedata.combining(c)).upper()


def _mots(texte: str) -> list[str]:
    return re.findall(r"[A-Z0-9]+", _normaliser(texte))


def upgrade() -> None:
    connexion = op.get_bind()
    postgresql = connexion.dialect.name == "postgresql"
    op.add_column(
        "indexrecherche", sa.Column("qualite", sa.Integer(), nullable=False, server_default="4")
    )
    texte = sa.String(collation="C") if postgresql else sa.String()
    op.create_table(
        "trirecherche",
        sa.Column("famille_id", sa.Integer(), nullable=False),
        sa.Column("nom", texte, nullable=False),
        sa.Column("numero", texte, nullable=False),
        sa.ForeignKeyConstraint(["famille_id"], ["famille.id"]),
        sa.PrimaryKeyConstraint("famille_id"),
    )
    if postgresql:
        # A prefix range on the terms must not depend on the server's locale (in most
        # locales U+FFFF, the range's end, weighs nothing).
        op.execute('ALTER TABLE indexrecherche ALTER COLUMN terme TYPE VARCHAR COLLATE "C"')
    # The ranking reads the level with the term: from the index alone.
    op.create_index(
        "ix_indexrecherche_terme_qualite", "indexrecherche", ["terme", "qualite", "famille_id"]
    )

    qualites: dict[tuple[str, int], int] = {}
    noms: dict[int, str] = {}
    for famille_id, role, nom, prenoms in connexion.execute(
        sa.text("SELECT famille_id, role, nom, prenoms FROM responsable ORDER BY id")
    ):
        responsable = role == "responsable"
        for terme in _mots(nom):
            cle = (terme, famille_id)
            qualites[cle] = min(qualites.get(cle, 4), NOM if responsable else CONJOINT)
        for terme in _mots(prenoms):
            cle = (terme, famille_id)
            qualites[cle] = min(qualites.get(cle, 4), PRENOM if responsable else CONJOINT)
        if responsable and famille_id not in noms:
            noms[famille_id] = _normaliser(f"{nom} {prenoms}")
    if qualites:
        connexion.execute(
            sa.text("UPDATE indexrecherche SET qualite = :q WHERE terme = :t AND famille_id = :f"),
            [dict(q=q, t=t, f=f) for (t, f), q in qualites.items()],
        )
    familles = connexion.execute(sa.text("SELECT id, numero FROM famille")).all()
    if familles:
        connexion.execute(
            sa.text("INSERT INTO trirecherche (famille_id, nom, numero) VALUES (:f, :n, :m)"),
            [dict(f=f, n=noms.get(f, ""), m=numero) for f, numero in familles],
        )


def downgrade() -> None:
    op.drop_index("ix_indexrecherche_terme_qualite", table_name="indexrecherche")
    if op.get_bind().dialect.name == "postgresql":
        op.execute('ALTER TABLE indexrecherche ALTER COLUMN terme TYPE VARCHAR COLLATE "default"')
    op.drop_table("trirecherche")
    with op.batch_alter_table("indexrecherche", schema=None) as batch_op:
        batch_op.drop_column("qualite")
