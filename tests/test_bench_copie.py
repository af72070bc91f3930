"""bench/copie.py: a SQLite demo copied into PostgreSQL by COPY gives equal tables, the
migrations' constraints and indexes back, and sequences past the copied ids. Not timed;
skipped without a server (GUICHET_TEST_PG_URL)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from bench.copie import comparer, copier, empreintes
from bench.moteur import Brute
from modele.db import creer_engine, migrer
from tests.conftest import PG_URL, REFERENCE, _url_pg
from tui.config import url_sqlite

pytestmark = pytest.mark.skipif(not PG_URL, reason="GUICHET_TEST_PG_URL absent : pas de PostgreSQL")


@pytest.fixture
def demo(tmp_path):
    from data.demo import construire_demo

    fichier = tmp_path / "demo.db"
    engine = creer_engine(url_sqlite(fichier))
    migrer(engine)
    construire_demo(engine, familles=4, graine=0, reference=REFERENCE)
    engine.dispose()
    return fichier


@pytest.fixture
def base_pg():
    nom = "guichet_test_copie"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connexion:
        connexion.execute(text(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)'))
        connexion.execute(text(f'CREATE DATABASE "{nom}"'))
    yield _url_pg(nom)
    with admin.connect() as connexion:
        connexion.execute(text(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)'))
    admin.dispose()


def test_copie_tables_egales(demo, base_pg):
    temps = copier(demo, base_pg, dire=lambda _texte: None)
    assert temps["tables"]["famille"] == 6  # 4 generated, 2 of the portal's guides
    assert temps["tables"]["consommation"] > 0
    # The check itself sees a difference: one row changed on the server.
    connexion = Brute(base_pg, lecture_seule=False)
    connexion.execute("UPDATE famille SET situation = situation || 'x' WHERE id = 1")
    connexion.commit()
    _comptes, differentes = comparer(url_sqlite(demo), base_pg)
    assert differentes == ["famille"]
    # The sequences follow the copied ids.
    suivant = connexion.execute("SELECT nextval(pg_get_serial_sequence('famille', 'id'))")
    assert suivant.fetchone()[0] == 7
    connexion.close()
    assert empreintes(base_pg)["famille"][0] == 6
