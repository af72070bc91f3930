"""Engine, sessions and schema migrations (Alembic), for SQLite and PostgreSQL alike."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session, SQLModel, create_engine

import modele.tables  # noqa: F401  (every table registered on SQLModel.metadata)
from modele.base import ErreurMetier, Progression

MIGRATIONS = Path(__file__).with_name("migrations")
# The newest migration; checked cheaply at start so that Alembic loads only when needed.
REVISION_COURANTE = "0027"
# How long a transaction waits for another process's write lock (SQLite busy timeout), in
# seconds: the command line and the rules wait long; the app's screens only briefly.
ATTENTE_DEFAUT = 15.0
ATTENTE_LECTURE = 2.0
# An action from a screen runs on the UI thread: it waits half a second for another counter's
# write (milliseconds as a rule), then says the base is busy rather than freeze the screen
# (a billing run holds the lock for seconds).
ATTENTE_ACTION = 0.5

T = TypeVar("T")

# For the command line, which imports neither SQLAlchemy nor SQLModel itself:
ErreurPilote = DBAPIError  # the database driver refused (file unreadable, server down…)


class BaseIncompatible(Exception):
    """The database cannot be used by this version of the app (message in French)."""


def creer_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 15, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(connexion, _record) -> None:
            curseur = connexion.cursor()
            curseur.execute("PRAGMA journal_mode=WAL")
            curseur.execute("PRAGMA foreign_keys=ON")
            curseur.execute("PRAGMA busy_timeout=15000")
            curseur.execute("PRAGMA synchronous=NORMAL")
            curseur.close()
            connexion.isolation_level = None  # transactions are begun below, not by pysqlite

        @event.listens_for(engine, "begin")
        def _debut(connexion) -> None:
            # A user action takes the write lock at its start: two app processes on one file
            # then wait for each other (busy timeout) instead of failing on a stale snapshot
            # half-way. Reads ask for a deferred transaction: in WAL they never wait.
            options = connexion.get_execution_options()
            attente = int(options.get("attente", ATTENTE_DEFAUT) * 1000)
            # set each time: a pooled connection keeps the previous transaction's value
            connexion.connection.dbapi_connection.execute(f"PRAGMA busy_timeout={attente}")
            if options.get("lecture"):
                connexion.exec_driver_sql("BEGIN")
            else:
                connexion.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    # JIT off for the app's connections: its statements are short or, for a town's month,
    # a few large ones that JIT compiles for ~1.8 s before running (bench/NOTES-postgresql.md).
    return create_engine(url, pool_pre_ping=True, connect_args={"options": "-c jit=off"})


def revision(engine: Engine) -> str | None:
    with engine.connect() as connexion:
        if not inspect(connexion).has_table("alembic_version"):
            return None
        return connexion.execute(text("SELECT version_num FROM alembic_version")).scalar()


ETAPE_SCHEMA = "Schéma de la base (migrations)"


def migrer(engine: Engine, progression: Progression | None = None) -> None:
    """Bring the schema to the newest revision (creates it on an empty database);
    `progression` is told of each migration applied."""
    actuelle = revision(engine)
    if actuelle == REVISION_COURANTE:
        return
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    scripts = ScriptDirectory.from_config(config)
    connues = {s.revision for s in scripts.walk_revisions()}
    if actuelle is not None and actuelle not in connues:
        raise BaseIncompatible(
            f"Cette base a été créée par une version plus récente de Guichet Famille "
            f"(schéma {actuelle}). Mettez l'application à jour."
        )
    if progression is not None:
        total = len(list(scripts.iterate_revisions("head", actuelle or "base")))
        faites = [0]
        progression(ETAPE_SCHEMA, 0, total)

        def appliquee(**_etape) -> None:
            faites[0] += 1
            progression(ETAPE_SCHEMA, faites[0], total)

        config.attributes["on_version_apply"] = appliquee
    with engine.connect() as connexion:
        sqlite = connexion.dialect.name == "sqlite"
        # The pragma goes to the driver's own connection, outside SQLAlchemy's transaction
        # (SQLite ignores foreign_keys inside one); an open connection always has it.
        pilote = connexion.connection.driver_connection
        assert pilote is not None
        if sqlite:
            # A table rebuilt by a migration (SQLite's ALTER is limited) is dropped and
            # created again: foreign keys are checked once at the end instead, before commit.
            pilote.execute("PRAGMA foreign_keys=OFF")
        try:
            with connexion.begin():
                config.attributes["connection"] = connexion
                command.upgrade(config, "head")
                if sqlite and connexion.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise BaseIncompatible(
                        "La base contient des références invalides (lignes "
                        "qui pointent vers des lignes absentes) : mise à "
                        "jour du schéma annulée, base non modifiée."
                    )
        finally:
            if sqlite:
                pilote.execute("PRAGMA foreign_keys=ON")


def base_vide(engine: Engine) -> bool:
    """A migrated base with no family and no staff account yet."""
    with engine.connect() as connexion:
        return not any(
            connexion.execute(text(f"SELECT 1 FROM {table} LIMIT 1")).first()
            for table in ("famille", "agent", "collectivite")
        )


def vider_base(engine: Engine) -> None:
    """Drop every table of the schema, Alembic's included (a demo rebuilt on a server)."""
    with engine.begin() as connexion:
        SQLModel.metadata.drop_all(connexion)
        connexion.execute(text("DROP TABLE IF EXISTS alembic_version"))


MESSAGE_OCCUPEE = (
    "La base est occupée par un autre poste : rien n'a été enregistré, réessayez dans un instant."
)


MESSAGE_ABIMEE = (
    "La base est endommagée : rien n'a été enregistré. Prévenez "
    "l'administrateur (« guichet restaurer » remet la dernière sauvegarde)."
)
MESSAGE_LECTURE_SEULE = (
    "La base est en lecture seule : rien n'a été enregistré. Prévenez l'administrateur."
)


class BaseAbimee(ErreurMetier):
    """The database file itself is damaged (the command line exits with its own code)."""


def _occupee(erreur: OperationalError) -> bool:
    texte = str(erreur.orig).lower()
    return "database is locked" in texte or "database is busy" in texte


def _en_francais(erreur: DBAPIError) -> ErreurMetier | None:
    """What the agent is told of the database's own failure (None: not one of these)."""
    texte = str(erreur.orig).lower()
    if isinstance(erreur, OperationalError) and _occupee(erreur):
        return ErreurMetier(MESSAGE_OCCUPEE)
    if "malformed" in texte or "not a database" in texte or "disk i/o error" in texte:
        return BaseAbimee(MESSAGE_ABIMEE)
    if "readonly database" in texte:
        return ErreurMetier(MESSAGE_LECTURE_SEULE)
    return None


# The background check reads every page: up to this size it takes seconds at most.
TAILLE_VERIFIEE = 512 * 1024 * 1024


def verifier_integrite(engine: Engine) -> str | None:
    """SQLite's `quick_check` of the whole file (run in the background after login: the
    start only reads the header and schema). The first problem found, or None when sound,
    not SQLite, or too large to read now (`guichet sauvegarde` checks those)."""
    if engine.dialect.name != "sqlite" or not engine.url.database:
        return None
    try:
        if os.path.getsize(engine.url.database) > TAILLE_VERIFIEE:
            return None
        with engine.connect() as connexion:
            resultat = connexion.exec_driver_sql("PRAGMA quick_check(1)").scalar()
    except DBAPIError as erreur:
        return str(erreur.orig)
    except OSError:
        return None
    return None if resultat == "ok" else str(resultat)


class SessionGuichet(Session):
    """A session whose "base occupée" (SQLite locked too long by another app process) is a
    clear French error the screens show, not a crash; the transaction is rolled back."""

    def _garde(self, appel, *args, **kwargs):
        try:
            return appel(*args, **kwargs)
        except OperationalError as erreur:
            if not _occupee(erreur):
                raise
            self.rollback()
            raise ErreurMetier(MESSAGE_OCCUPEE) from None

    def execute(self, *args, **kwargs):
        return self._garde(super().execute, *args, **kwargs)

    def exec(self, *args, **kwargs):
        # SQLModel's exec calls Session.execute of SQLAlchemy, not the override above
        return self._garde(super().exec, *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._garde(super().get, *args, **kwargs)

    def flush(self, *args, **kwargs) -> None:
        return self._garde(super().flush, *args, **kwargs)

    def commit(self) -> None:
        return self._garde(super().commit)


def session(engine: Engine) -> Session:
    return SessionGuichet(engine, expire_on_commit=False)


def session_lecture(engine: Engine, attente: float = ATTENTE_DEFAUT) -> Session:
    """For a read (a search, a preview, a report): it does not take SQLite's write lock."""
    return SessionGuichet(
        engine.execution_options(lecture=True, attente=attente), expire_on_commit=False
    )


def lire(engine: Engine, appel: Callable[[Session], T], attente: float = ATTENTE_LECTURE) -> T:
    """`appel(session)` in a read transaction (no write lock), never committed; a busy,
    damaged or read-only base is an `ErreurMetier` in French whatever the call path."""
    try:
        with session_lecture(engine, attente) as lecture:
            return appel(lecture)
    except DBAPIError as erreur:
        if (francais := _en_francais(erreur)) is None:
            raise
        raise francais from None


def agir(engine: Engine, appel: Callable[[Session], T], attente: float = ATTENTE_ACTION) -> T:
    """`appel(session)` as one transaction (SQLite: BEGIN IMMEDIATE), committed if it returns,
    rolled back if it raises; a busy, damaged or read-only base is an `ErreurMetier`."""
    try:
        with SessionGuichet(
            engine.execution_options(attente=attente), expire_on_commit=False
        ) as action:
            try:
                resultat = appel(action)
                action.commit()
            except BaseException:
                action.rollback()
                raise
            return resultat
    except DBAPIError as erreur:
        if (francais := _en_francais(erreur)) is None:
            raise
        raise francais from None
