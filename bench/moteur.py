"""The benchmarks' two engines: each part takes `--base FICHIER.db` (SQLite) or `--db URL`
(PostgreSQL, `postgresql+psycopg://…`), and measures its floor with raw SQL on that same base:
sqlite3 on the file, psycopg on the server. The query text is the same on both where it can
be (`?` placeholders, turned into psycopg's `%s`); `Brute.moteur` tells the few that differ.

The drivers are imported when a connection is made, not with this module: bench.memoire's
bare app must not carry psycopg in its resident memory.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def options(analyseur: argparse.ArgumentParser) -> None:
    """--base FICHIER.db or --db URL, one of them."""
    groupe = analyseur.add_mutually_exclusive_group(required=True)
    groupe.add_argument("--base", help="a SQLite file")
    groupe.add_argument("--db", help="a PostgreSQL URL (postgresql+psycopg://…)")


def url(args: argparse.Namespace) -> str:
    """The SQLAlchemy URL the app is given: --db as it is, --base as a sqlite:/// URL."""
    if args.db:
        return args.db
    return f"sqlite:///{Path(args.base).expanduser().resolve()}"


def transmises(args: argparse.Namespace) -> list[str]:
    """The same choice passed on to another part's command line."""
    return ["--db", args.db] if args.db else ["--base", args.base]


def est_pg(adresse: str) -> bool:
    return adresse.startswith("postgresql")


def libpq(adresse: str) -> str:
    """A SQLAlchemy PostgreSQL URL as libpq takes it (psycopg, pg_dump): no "+psycopg"."""
    pilote, reste = adresse.split("://", 1)
    return f"{pilote.split('+', 1)[0]}://{reste}"


def fichier(adresse: str) -> str:
    """The SQLite file of a sqlite:/// URL."""
    return adresse.split("sqlite:///", 1)[1]


class Brute:
    """A raw DB-API connection to the base, either engine. Read only by default: a
    sqlite3 `mode=ro` URI, or psycopg in autocommit (each query its own snapshot, as
    sqlite3 reads outside a transaction) with read-only transactions."""

    def __init__(self, adresse: str, lecture_seule: bool = True) -> None:
        self.moteur = "postgresql" if est_pg(adresse) else "sqlite"
        self.connexion: Any
        if self.moteur == "postgresql":
            import psycopg

            self.connexion = psycopg.connect(libpq(adresse), autocommit=lecture_seule)
            if lecture_seule:
                self.connexion.execute("SET default_transaction_read_only = on")
        else:
            import sqlite3

            chemin = fichier(adresse)
            if lecture_seule:
                self.connexion = sqlite3.connect(f"file:{chemin}?mode=ro", uri=True)
            else:
                self.connexion = sqlite3.connect(chemin)

    def execute(self, sql: str, parametres: tuple | list = ()) -> Any:
        """The query with `?` placeholders on either engine; its cursor."""
        if self.moteur == "postgresql":
            sql = sql.replace("%", "%%").replace("?", "%s")
            return self.connexion.execute(sql, tuple(parametres))
        return self.connexion.execute(sql, tuple(parametres))

    def commit(self) -> None:
        self.connexion.commit()

    def close(self) -> None:
        self.connexion.close()

    def taille(self) -> int:
        """The base's size on disk, bytes: the SQLite file, or pg_database_size."""
        if self.moteur == "postgresql":
            return int(self.execute("SELECT pg_database_size(current_database())").fetchone()[0])
        liste = self.execute("PRAGMA database_list").fetchall()
        return Path(liste[0][2]).stat().st_size
