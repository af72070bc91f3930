"""Shared fixtures: one demo database per test run, copied for each test; the app factory."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from modele.db import creer_engine, migrer, session as nouvelle_session
from tui.config import Reglages, url_sqlite

REFERENCE = dt.date(2026, 11, 27)  # the demo's "today" in tests
JOUR_SEED = dt.date(2015, 5, 4)  # the portal guide's Accueil screenshot
FAMILLES_TEST = 12


@pytest.fixture(autouse=True)
def _environnement(tmp_path, monkeypatch):
    """No user config, no real data folder, no printer: every test is deterministic."""
    monkeypatch.setenv("GUICHET_DATA_DIR", str(tmp_path / "donnees"))
    monkeypatch.delenv("GUICHET_DB_URL", raising=False)
    monkeypatch.delenv("GUICHET_DATE", raising=False)
    monkeypatch.delenv("GUICHET_IMPRIMANTE", raising=False)
    monkeypatch.setenv("TEXTUAL_CURSOR_BLINK", "0")


@pytest.fixture(scope="session")
def fichier_demo(tmp_path_factory) -> Path:
    """The project's own demo data, built once for the whole run."""
    from data.demo import construire_demo

    fichier = tmp_path_factory.mktemp("demo") / "demo.db"
    engine = creer_engine(url_sqlite(fichier))
    migrer(engine)
    construire_demo(engine, familles=FAMILLES_TEST, graine=0, reference=REFERENCE)
    engine.dispose()
    return fichier


@pytest.fixture
def base(fichier_demo, tmp_path) -> str:
    """A private copy of the demo database for one test (its URL)."""
    copie = tmp_path / "guichet.db"
    shutil.copy(fichier_demo, copie)
    return url_sqlite(copie)


@pytest.fixture
def engine(base):
    moteur = creer_engine(base)
    yield moteur
    moteur.dispose()


@pytest.fixture
def session(engine):
    with nouvelle_session(engine) as s:
        yield s


@pytest.fixture
def fabrique_app(engine):
    """Make the real app on the test database, with a fixed "today"."""
    from tui.app import GuichetApp

    def fabriquer(jour: dt.date = REFERENCE) -> GuichetApp:
        return GuichetApp(Reglages(db_url=str(engine.url), date_fixe=jour), engine)

    return fabriquer
