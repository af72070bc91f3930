"""Schema migrations: an older database is brought up to date (a base full of data, the
demo's, loses nothing and keeps its references); a newer one is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

from modele.base import Contexte
from modele.db import (
    MIGRATIONS,
    REVISION_COURANTE,
    BaseIncompatible,
    creer_engine,
    migrer,
    revision,
)
from modele.db import session as nouvelle_session
from modele.journal import FiltreJournal, lire_journal
from tui.config import url_sqlite


def test_la_revision_courante_est_la_derniere_migration():
    """The app migrates a base at start only when its revision is not REVISION_COURANTE:
    left behind a new migration, a base one step older opened unmigrated (« no such
    column » at the first screen reading the new column)."""
    from tui.fichier_base import revisions_connues

    assert REVISION_COURANTE == revisions_connues()[-1]


def test_base_ancienne_mise_a_jour(tmp_path):
    engine = creer_engine(url_sqlite(tmp_path / "ancienne.db"))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connexion:
        config.attributes["connection"] = connexion
        command.upgrade(config, "0001")
    assert revision(engine) == "0001"
    migrer(engine)
    assert revision(engine) == REVISION_COURANTE
    with engine.connect() as connexion:
        colonnes = [r[1] for r in connexion.execute(text("PRAGMA table_info(consommation)"))]
        demande = [r[1] for r in connexion.execute(text("PRAGMA table_info(demande)"))]
    assert "gratuit" in colonnes and "a_regulariser" in colonnes
    # 0015: conflicts are found field by field; the family's version was never read
    assert "version_famille" not in demande


def test_base_plus_recente_refusee(tmp_path):
    engine = creer_engine(url_sqlite(tmp_path / "future.db"))
    migrer(engine)
    with engine.begin() as connexion:
        connexion.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(BaseIncompatible, match="version plus récente"):
        migrer(engine)


def _descendre(engine, cible: str) -> None:
    """Alembic's downgrade, as migrer() runs an upgrade (foreign keys checked at the end)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as connexion:
        connexion.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        with connexion.begin():
            config.attributes["connection"] = connexion
            command.downgrade(config, cible)
        connexion.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


def _liens(connexion, requete: str) -> set[tuple[int, int]]:
    return {tuple(r) for r in connexion.execute(text(requete))}


def test_0007_les_jours_factures_passent_dans_leur_table(base):
    engine = creer_engine(base)
    with engine.connect() as connexion:
        avant = _liens(connexion, "SELECT consommation_id, facture_id FROM jourfacture")
    assert len(avant) > 1000
    _descendre(engine, "0006")
    with engine.connect() as connexion:
        assert (
            _liens(
                connexion, "SELECT id, facture_id FROM consommation WHERE facture_id IS NOT NULL"
            )
            == avant
        )
    migrer(engine)
    assert revision(engine) == REVISION_COURANTE
    with engine.connect() as connexion:
        assert _liens(connexion, "SELECT consommation_id, facture_id FROM jourfacture") == avant
        colonnes = {r[1] for r in connexion.execute(text("PRAGMA table_info(consommation)"))}
        assert "facture_id" not in colonnes
        assert connexion.execute(text("PRAGMA foreign_key_check")).first() is None
        # Statistics kept: the billing run's plan depends on them.
        assert (
            connexion.execute(
                text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'consommation'")
            ).scalar()
            > 0
        )
    engine.dispose()


def test_une_ancienne_base_pleine_monte_jusqu_au_bout(base):
    """Tables rebuilt by a migration (SQLite) while other tables reference them."""
    engine = creer_engine(base)
    with engine.connect() as connexion:
        factures = connexion.execute(text("SELECT count(*) FROM facture")).scalar()
    _descendre(engine, "0002")
    migrer(engine)
    assert revision(engine) == REVISION_COURANTE
    with engine.connect() as connexion:
        assert connexion.execute(text("SELECT count(*) FROM facture")).scalar() == factures
        assert connexion.execute(text("PRAGMA foreign_key_check")).first() is None
    engine.dispose()


def test_0016_niveaux_et_noms_de_tri_remplis_comme_a_l_indexation(base):
    """An older base gets each term's level and each family's sort name and number as
    indexer_famille (and the demo generator) would have written them."""
    engine = creer_engine(base)
    requetes = (
        "SELECT terme, famille_id, qualite FROM indexrecherche",
        "SELECT famille_id, nom, numero FROM trirecherche",
    )
    with engine.connect() as connexion:
        avant = [_liens(connexion, r) for r in requetes]
    assert {q for _t, _f, q in avant[0]} == {0, 2, 3, 4}
    _descendre(engine, "0014")
    migrer(engine)
    with engine.connect() as connexion:
        assert [_liens(connexion, r) for r in requetes] == avant
    engine.dispose()


def test_0021_la_tache_du_systeme_quitte_le_canal(tmp_path):
    """A base at 0020 journaled a named system context as canal "systeme:facturer"; 0021
    moves the task to its own column, the journal then reads "Système (facturer)"; back
    down to 0020, the canal holds it again."""
    engine = creer_engine(url_sqlite(tmp_path / "journal.db"))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connexion:
        config.attributes["connection"] = connexion
        command.upgrade(config, "0020")
        connexion.execute(
            text(
                "INSERT INTO agent (identifiant, nom, prenom, role, mot_de_passe_hash, actif,"
                " echecs_connexion, dernier_canal, mot_de_passe_a_changer)"
                " VALUES ('chef', 'CHEF', 'Anne', 'admin', '-', 1, 0, 'guichet', 0)"
            )
        )
        for canal, agent in (
            ("systeme:facturer", None),
            ("systeme:demo", None),
            ("guichet", 1),
            ("systeme", None),  # the system before tasks were named
        ):
            connexion.execute(
                text(
                    "INSERT INTO journal (horodatage, agent_id, canal, action, objet, detail)"
                    " VALUES ('2026-11-27 10:00:00', :agent, :canal, 'creation', :objet, '')"
                ),
                {"agent": agent, "canal": canal, "objet": canal},
            )
    migrer(engine)
    assert revision(engine) == REVISION_COURANTE
    with engine.connect() as connexion:
        lignes = set(connexion.execute(text("SELECT objet, canal, tache FROM journal")))
    assert lignes == {
        ("systeme:facturer", "systeme", "facturer"),
        ("systeme:demo", "systeme", "demo"),
        ("guichet", "guichet", ""),
        ("systeme", "systeme", ""),
    }
    with nouvelle_session(engine) as session:
        chef = Contexte(agent_id=1, aujourdhui=dt.date(2026, 11, 27))
        lues, _ = lire_journal(session, chef, FiltreJournal())
    assert {(ligne.objet, ligne.agent, ligne.canal) for ligne in lues} == {
        ("systeme:facturer", "Système (facturer)", "systeme"),
        ("systeme:demo", "Système (demo)", "systeme"),
        ("guichet", "chef", "guichet"),
        ("systeme", "Système", "systeme"),
    }
    _descendre(engine, "0020")
    with engine.connect() as connexion:
        canaux = set(connexion.execute(text("SELECT objet, canal FROM journal")))
        colonnes = [r[1] for r in connexion.execute(text("PRAGMA table_info(journal)"))]
    assert canaux == {(o, o) for o, _ in canaux}
    assert "tache" not in colonnes


# Known: the search's covering indexes are made by migrations 0016 and 0022 only (not in the
# tables: the ranking reads them by name in its plans, the ORM never needs them).
DIFFERENCES_CONNUES = {
    ("remove_index", "ix_indexrecherche_terme_qualite"),
    ("remove_index", "ix_indexrecherche_qualite_terme"),
    ("remove_index", "ix_indexrecherche_famille_qualite_terme"),
    ("remove_index", "ix_trirecherche_nom_numero"),
}


def test_les_migrations_font_les_tables_du_modele(tmp_path):
    """Alembic's autogenerate finds nothing between a migrated base and the tables: moving a
    table between modules, or adding a column, changed nothing it did not migrate."""
    engine = creer_engine(url_sqlite(tmp_path / "complete.db"))
    migrer(engine)
    with engine.connect() as connexion:
        contexte = MigrationContext.configure(connexion, opts={"compare_type": True})
        differences = {
            (d[0], getattr(d[1], "name", None)) if isinstance(d, tuple) else (str(d), None)
            for d in compare_metadata(contexte, SQLModel.metadata)
        }
    assert differences == DIFFERENCES_CONNUES
