"""Phones stored in one form, French national in pairs (issue #15): every writer stores it,
the search finds any typed form, older rows are converted by migration 0020."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import select

from data.graines import NUMERO_DUPONT
from modele.base import ErreurMetier
from modele.db import REVISION_COURANTE, migrer, revision
from modele.db import session as ouvrir
from modele.famille import Enfant, PersonneAutorisee, Responsable
from modele.recherche import rechercher
from modele.validation import telephone_canonique, verifier_telephone


@pytest.mark.parametrize(
    "saisi,stocke",
    [
        ("0612345678", "06 12 34 56 78"),
        ("06 12 34 56 78", "06 12 34 56 78"),
        ("06.12.34.56.78", "06 12 34 56 78"),
        ("06-12-34-56-78", "06 12 34 56 78"),
        ("+33 6 12 34 56 78", "06 12 34 56 78"),
        ("+33 (0)6 12 34 56 78", "06 12 34 56 78"),
        ("0033 6 12 34 56 78", "06 12 34 56 78"),
        ("  05 61 40 22 18 ", "05 61 40 22 18"),
        ("0262 12 34 56", "02 62 12 34 56"),  # Réunion, dialled from France
        ("+262 262 12 34 56", "02 62 12 34 56"),
        ("0590 12 34 56", "05 90 12 34 56"),  # Guadeloupe
        ("", ""),
        ("   ", ""),
    ],
)
def test_forme_unique(saisi, stocke):
    assert verifier_telephone(saisi) == stocke
    assert telephone_canonique(saisi) == stocke
    assert telephone_canonique(stocke) == stocke  # stable


@pytest.mark.parametrize(
    "saisi", ["01 02 03", "06123456789", "12", "bonjour", "+44 20 7946 0958", "00 00 00 00 00"]
)
def test_numero_invalide_message_au_champ(saisi):
    with pytest.raises(ErreurMetier) as erreur:
        verifier_telephone(saisi, "mobile")
    assert erreur.value.champ == "mobile"
    assert erreur.value.message.startswith("Numéro de téléphone invalide")
    assert telephone_canonique(saisi) is None


def test_la_demo_ne_stocke_que_la_forme_unique(session):
    """The demo generator and the seeds write every phone in the stored form."""
    telephones = [
        t
        for r in session.exec(select(Responsable))
        for t in (r.telephone_domicile, r.telephone_professionnel, r.mobile)
    ]
    telephones += [e.telephone_medecin for e in session.exec(select(Enfant))]
    telephones += [p.telephone for p in session.exec(select(PersonneAutorisee))]
    assert len([t for t in telephones if t]) > 20
    assert [t for t in telephones if t and telephone_canonique(t) != t] == []


@pytest.mark.parametrize(
    "saisi",
    ["0102030405", "01 02 03 04 05", "01.02.03.04.05", "+33 1 02 03 04 05", "0033102030405"],
)
def test_recherche_par_toute_forme(session, saisi):
    assert NUMERO_DUPONT in [r.numero for r in rechercher(session, saisi)]


def test_migration_0020_convertit_les_lignes_existantes(engine):
    """Rows written as typed by an older app: converted, invalid ones left as they were,
    the search terms of a changed number rebuilt."""
    with engine.begin() as c:
        jean = c.execute(
            text(
                "SELECT r.id, r.famille_id FROM responsable r JOIN famille f"
                " ON f.id = r.famille_id WHERE f.numero = :n AND r.role = 'responsable'"
            ),
            {"n": NUMERO_DUPONT},
        ).one()
        c.execute(
            text(
                "UPDATE responsable SET telephone_domicile = '01.02.03.04.05',"
                " mobile = '+33 6 98 76 54 32', telephone_professionnel = '12' WHERE id = :id"
            ),
            {"id": jean.id},
        )
        c.execute(
            text("INSERT INTO indexrecherche (terme, famille_id) VALUES ('33698765432', :f)"),
            {"f": jean.famille_id},
        )
        c.execute(text("DELETE FROM indexrecherche WHERE terme = '0698765432'"))
        enfant = c.execute(
            text("SELECT id FROM enfant WHERE famille_id = :f"), {"f": jean.famille_id}
        ).first()
        c.execute(
            text("UPDATE enfant SET telephone_medecin = '0561402218' WHERE id = :id"),
            {"id": enfant.id},
        )
        # The base as it was at 0019: without the later migrations' columns.
        c.execute(text("ALTER TABLE journal DROP COLUMN tache"))  # 0021
        # the schema as of 0019: what the later revisions add is taken away
        c.execute(text("DROP INDEX ix_indexrecherche_famille_qualite_terme"))
        c.execute(text("DROP INDEX ix_trirecherche_nom_numero"))
        c.execute(text("DROP INDEX ix_indexrecherche_qualite_terme"))
        c.execute(text("DROP INDEX ix_facture_emission"))
        c.execute(text("DROP INDEX ix_reglement_date"))
        for index in (  # 0024
            "ix_demande_statut_cree_le",
            "ix_message_boite",
            "ix_message_sujet",
            "ix_quotientfamilial_valide",
            "ix_consommation_non_pointee",  # 0025
        ):
            c.execute(text(f"DROP INDEX {index}"))
        c.execute(text("DROP TABLE cellulefermee"))  # 0027
        c.execute(text("UPDATE alembic_version SET version_num = '0019'"))
    migrer(engine)
    assert revision(engine) == REVISION_COURANTE
    with ouvrir(engine) as s:
        r = s.get(Responsable, jean.id)
        assert (r.telephone_domicile, r.mobile, r.telephone_professionnel) == (
            "01 02 03 04 05",
            "06 98 76 54 32",
            "12",  # not a number: kept as typed, the form asks for a valid one
        )
        assert s.get(Enfant, enfant.id).telephone_medecin == "05 61 40 22 18"
        for saisi in ("0698765432", "+33 6 98 76 54 32", "06 98"):
            assert NUMERO_DUPONT in [f.numero for f in rechercher(s, saisi)], saisi
    with engine.connect() as c:
        assert not c.execute(text("SELECT 1 FROM indexrecherche WHERE terme = '33698765432'")).all()
