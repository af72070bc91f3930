"""Shared fixtures: one demo database per test run, copied for each test; the app factory."""

from __future__ import annotations

import datetime as dt
import gc
import os
import shutil
import tempfile
from pathlib import Path

import pytest
import textual._wait
from argon2.profiles import CHEAPEST

from modele import agents
from modele.db import creer_engine, migrer
from modele.db import session as nouvelle_session
from tui.config import Reglages, url_sqlite

# Passwords hashed with argon2's cheapest parameters: a test's login checks its password in
# microseconds instead of ~130 ms (the suite logs in about a thousand times).
agents.PARAMETRES_HACHAGE = CHEAPEST

# Textual's pilot waits for the app to be idle by sleeping 20 ms windows until one passes with
# under 1 ms of CPU, so every key pressed costs at least two windows of nothing. Windows of
# 10 ms keep the same test (under 5 % of a window's CPU) and take a sixth off the app tests.
assert textual._wait.SLEEP_GRANULARITY == 1 / 50, "Textual a changé son attente : revoir ceci"
textual._wait.SLEEP_GRANULARITY = 0.01
textual._wait.SLEEP_IDLE = textual._wait.SLEEP_GRANULARITY / 20

# A test worker holds a large heap (pytest, Textual's and SQLAlchemy's modules, the caches
# Textual keeps between apps), and Python's default thresholds ran a full collection of it
# (~0.4 s) about every test and a half: a quarter of the suite's CPU. Collected less often
# here (a tenth of that), set before the app is imported: `tui.tas` keeps these as the
# thresholds outside a session, and the app's own during one.
gc.set_threshold(50_000, 20, 100)

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
    monkeypatch.delenv("GUICHET_VERROUILLAGE_MINUTES", raising=False)
    monkeypatch.delenv("GUICHET_API_PARTICULIER_URL", raising=False)
    monkeypatch.delenv("GUICHET_API_PARTICULIER_JETON", raising=False)
    # Dialogs and F-screens built when first opened, not ahead at each login (headless; the
    # tests of it set it on).
    monkeypatch.delenv("GUICHET_PREPARER_ECRANS", raising=False)
    monkeypatch.setenv("TEXTUAL_CURSOR_BLINK", "0")


DEMO_PARTAGEE = "GUICHET_TEST_DEMO"  # the demo base the xdist controller built for its workers


def construire_fichier_demo(dossier: Path) -> Path:
    from data.demo import construire_demo

    fichier = dossier / "demo.db"
    engine = creer_engine(url_sqlite(fichier))
    migrer(engine)
    construire_demo(engine, familles=FAMILLES_TEST, graine=0, reference=REFERENCE)
    engine.dispose()
    return fichier


def pytest_configure(config):
    """With workers (`-n`), the demo base is built once here, before they start, rather than
    once by each of them (~5 s of CPU each); they inherit its path."""
    if hasattr(config, "workerinput") or not config.getoption("numprocesses", None):
        return
    dossier = Path(tempfile.mkdtemp(prefix="guichet-demo-"))
    config.add_cleanup(lambda: shutil.rmtree(dossier, ignore_errors=True))
    config.add_cleanup(lambda: os.environ.pop(DEMO_PARTAGEE, None))
    os.environ[DEMO_PARTAGEE] = str(construire_fichier_demo(dossier))


@pytest.fixture(scope="session")
def fichier_demo(tmp_path_factory) -> Path:
    """The project's own demo data, built once for the whole run (and for every worker)."""
    partagee = os.environ.get(DEMO_PARTAGEE)
    if partagee and os.environ.get("PYTEST_XDIST_WORKER") and Path(partagee).is_file():
        return Path(partagee)
    return construire_fichier_demo(tmp_path_factory.mktemp("demo"))


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

    faites: list[GuichetApp] = []

    def fabriquer(jour: dt.date = REFERENCE) -> GuichetApp:
        app = GuichetApp(Reglages(db_url=str(engine.url), date_fixe=jour), engine)
        faites.append(app)
        return app

    yield fabriquer
    # The safety net keeps the app alive on an unexpected error; a test must still see it.
    for app in faites:
        assert not app.erreurs_inattendues, f"erreurs inattendues : {app.erreurs_inattendues!r}"


# --- the rule tests run on SQLite and, when CI gives one, on PostgreSQL --------------------

PG_URL = os.environ.get("GUICHET_TEST_PG_URL", "")
MOTEURS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            not PG_URL, reason="GUICHET_TEST_PG_URL absent : pas de PostgreSQL pour ce lancement"
        ),
    ),
]


def _url_pg(base: str) -> str:
    """The same server, another database name (the URL's path)."""
    from sqlalchemy.engine import make_url

    return make_url(PG_URL).set(database=base).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def engine_pg():
    """A database of its own for this test worker, migrated once."""
    from sqlalchemy import create_engine, text

    base = f"guichet_test_{os.environ.get('PYTEST_XDIST_WORKER', 'seul')}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connexion:
        connexion.execute(text(f'DROP DATABASE IF EXISTS "{base}"'))
        connexion.execute(text(f'CREATE DATABASE "{base}"'))
    moteur = creer_engine(_url_pg(base))
    migrer(moteur)
    yield moteur
    moteur.dispose()
    with admin.connect() as connexion:
        connexion.execute(text(f'DROP DATABASE IF EXISTS "{base}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def fichier_vide(tmp_path_factory) -> Path:
    """An empty SQLite database migrated once for the whole run (a copy is ~100× cheaper
    than running the migrations for each rule test)."""
    fichier = tmp_path_factory.mktemp("vide") / "vide.db"
    moteur = creer_engine(url_sqlite(fichier))
    migrer(moteur)
    moteur.dispose()
    return fichier


@pytest.fixture(params=MOTEURS)
def moteur_vide(request, tmp_path):
    """An empty, migrated database: a SQLite file, or the worker's PostgreSQL database."""
    if request.param == "sqlite":
        copie = tmp_path / "regles.db"
        shutil.copy(request.getfixturevalue("fichier_vide"), copie)
        moteur = creer_engine(url_sqlite(copie))
        yield moteur
        moteur.dispose()
    else:
        yield request.getfixturevalue("engine_pg")


@pytest.fixture
def s(moteur_vide):
    """A session on an empty database; on PostgreSQL everything is rolled back afterwards
    (commits inside the test become savepoints)."""
    from sqlmodel import Session

    if moteur_vide.dialect.name == "sqlite":
        with nouvelle_session(moteur_vide) as session:
            yield session
        return
    connexion = moteur_vide.connect()
    transaction = connexion.begin()
    session = Session(
        bind=connexion, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connexion.close()
