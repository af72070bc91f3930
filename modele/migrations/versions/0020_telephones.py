"""telephones: every stored phone in one form, French national in pairs ("06 12 34 56 78")

Revision ID: 0020
Revises: 0014
Create Date: 2026-12-02 07:00:00

Phones were stored as typed before the forms normalised them ("01.02.03.04.05",
"0612345678", "+33 6 12 34 56 78"). Each one a French number is rewritten in the form the
app now writes (modele.validation.telephone_canonique); one that is not is left as it was
(nothing typed is lost; the form asks for a valid one at the next change). A family whose
phone digits changed ("+33 6…" → "06…") gets its search terms for phones rebuilt.
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

# (table, phone columns, how to reach the family id)
COLONNES = (
    ("responsable", ("telephone_domicile", "telephone_professionnel", "mobile")),
    ("enfant", ("telephone_medecin",)),
    ("personneautorisee", ("telephone",)),
)
REGIONS = ("FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF")


def canonique(valeur: str) -> str | None:
    """A copy of modele.validation.telephone_canonique as of this revision (a migration
    never follows the code that comes after it)."""
    import phonenumbers

    if not valeur.strip():
        return ""
    for region in REGIONS:
        try:
            numero = phonenumbers.parse(valeur, region)
        except phonenumbers.NumberParseException:
            return None
        if (
            phonenumbers.is_valid_number(numero)
            and phonenumbers.region_code_for_number(numero) in REGIONS
        ):
            chiffres = "0" + str(numero.national_number)
            return " ".join(chiffres[i : i + 2] for i in range(0, len(chiffres), 2))
    return None


def _chiffres(texte: str) -> str:
    return re.sub(r"\D", "", texte or "")


def upgrade() -> None:
    connexion = op.get_bind()
    familles_a_reindexer: set[int] = set()
    for table, colonnes in COLONNES:
        liste = ", ".join(colonnes)
        for ligne in connexion.execute(sa.text(f"SELECT id, {liste} FROM {table}")).all():
            nouveaux = {}
            for colonne, valeur in zip(colonnes, ligne[1:], strict=True):
                forme = canonique(valeur or "")
                if forme is not None and forme != (valeur or ""):
                    nouveaux[colonne] = forme
            if not nouveaux:
                continue
            poses = ", ".join(f"{c} = :{c}" for c in nouveaux)
            connexion.execute(
                sa.text(f"UPDATE {table} SET {poses} WHERE id = :id"), {**nouveaux, "id": ligne[0]}
            )
            if table == "responsable" and any(
                _chiffres(v) != _chiffres(ligne[1 + colonnes.index(c)]) for c, v in nouveaux.items()
            ):
                famille = connexion.execute(
                    sa.text("SELECT famille_id FROM responsable WHERE id = :id"), {"id": ligne[0]}
                ).scalar_one()
                familles_a_reindexer.add(famille)
    for famille_id in familles_a_reindexer:
        _reindexer_telephones(connexion, famille_id)


def _reindexer_telephones(connexion, famille_id: int) -> None:
    """The family's digit terms again from its phones (its number stays a term)."""
    numero = connexion.execute(
        sa.text("SELECT numero FROM famille WHERE id = :id"), {"id": famille_id}
    ).scalar_one()
    termes = connexion.execute(
        sa.text("SELECT terme FROM indexrecherche WHERE famille_id = :id"), {"id": famille_id}
    ).scalars()
    for terme in list(termes):
        if terme.isdigit() and terme != numero:
            connexion.execute(
                sa.text("DELETE FROM indexrecherche WHERE famille_id = :id AND terme = :t"),
                {"id": famille_id, "t": terme},
            )
    nouveaux: set[str] = set()
    for ligne in connexion.execute(
        sa.text(
            "SELECT telephone_domicile, telephone_professionnel, mobile FROM responsable"
            " WHERE famille_id = :id"
        ),
        {"id": famille_id},
    ):
        nouveaux.update(_chiffres(t) for t in ligne if _chiffres(t))
    existants = set(
        connexion.execute(
            sa.text("SELECT terme FROM indexrecherche WHERE famille_id = :id"), {"id": famille_id}
        ).scalars()
    )
    for terme in sorted(nouveaux - existants):
        connexion.execute(
            sa.text("INSERT INTO indexrecherche (terme, famille_id) VALUES (:t, :id)"),
            {"t": terme, "id": famille_id},
        )


def downgrade() -> None:
    # The old forms are not kept: the canonical one is as good a value for the older app.
    pass
