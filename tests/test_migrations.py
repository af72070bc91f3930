"""Schema migrations: an older database is brought up to date; a newer one is refused."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import text

from modele.db import MIGRATIONS, REVISION_COURANTE, BaseIncompatible, creer_engine, migrer, revision
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
    assert "gratuit" in colonnes


def test_base_plus_recente_refusee(tmp_path):
    engine = creer_engine(url_sqlite(tmp_path / "future.db"))
    migrer(engine)
    with engine.begin() as connexion:
        connexion.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(BaseIncompatible, match="version plus récente"):
        migrer(engine)
