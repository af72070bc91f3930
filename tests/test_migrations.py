"""Schema migrations: an older database is brought up to date (a base full of data, the
demo's, loses nothing and keeps its references); a newer one is refused."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import text

from modele.db import (
    MIGRATIONS,
    REVISION_COURANTE,
    BaseIncompatible,
    creer_engine,
    migrer,
    revision,
)
from tui.config import url_sqlite


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
