"""The SQLite base file, guarded: what a file holds, whether its header is whole, a copy made
with SQLite's backup API, and the exclusive hold a restore needs.

sqlite3 and the standard library only: the launch checks a file without loading SQLAlchemy.
"""

from __future__ import annotations

import sqlite3
import struct
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from modele.base import Progression

# Tables that every Guichet schema has had since the first migration.
TABLES_GUICHET = frozenset({"famille", "agent", "regie"})


class Etat(StrEnum):
    """What a SQLite file holds, seen from Guichet Famille."""

    VIDE = "vide"  # no byte, or a SQLite file without a table
    ETRANGERE = "etrangere"  # another program's tables
    SANS_VERSION = "sans_version"  # Guichet's tables, its schema version lost
    A_JOUR = "a_jour"
    ANCIENNE = "ancienne"  # a known older revision: migrated at start
    RECENTE = "recente"  # a later revision than this app knows: the app must be updated
    INCONNUE = "inconnue"  # a revision that no version of Guichet has written


class BaseOccupee(Exception):
    """Another process has the base open: it cannot be replaced under it."""


def revisions_connues() -> list[str]:
    """The migrations' revisions, oldest first, from their file names ("0004_….py"),
    without importing Alembic."""
    dossier = Path(next(iter(find_spec("modele").submodule_search_locations)))
    return sorted(
        p.name.split("_")[0]
        for p in (dossier / "migrations" / "versions").glob("*.py")
        if p.name[:1].isdigit()
    )


def _lecture(fichier: Path, attente: float = 1.0) -> sqlite3.Connection:
    # A short busy timeout: a WAL reader never waits for a writer, only for a restore.
    return sqlite3.connect(f"file:{fichier}?mode=ro", uri=True, timeout=attente)


def etat_schema(fichier: Path) -> tuple[Etat, str | None]:
    """The file's state and its schema revision (None when it has none).

    Raises sqlite3.DatabaseError when the file cannot be read as SQLite."""
    if fichier.stat().st_size == 0:
        return Etat.VIDE, None
    connexion = _lecture(fichier)
    try:
        tables = {
            r[0] for r in connexion.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        ligne = (
            connexion.execute("SELECT version_num FROM alembic_version").fetchone()
            if "alembic_version" in tables
            else None
        )
    finally:
        connexion.close()
    if not tables:
        return Etat.VIDE, None
    if not TABLES_GUICHET <= tables:
        # Another program's file (its own alembic_version included): never ours to migrate.
        return Etat.ETRANGERE, None
    if ligne is None or not ligne[0]:
        return Etat.SANS_VERSION, None
    revision = str(ligne[0])
    connues = revisions_connues()
    if revision == connues[-1]:
        return Etat.A_JOUR, revision
    if revision in connues:
        return Etat.ANCIENNE, revision
    if revision.isdigit() and revision > connues[-1]:
        return Etat.RECENTE, revision
    return Etat.INCONNUE, revision


def entete_abimee(fichier: Path) -> str | None:
    """Why the file's 100-byte header says it is damaged or cut short, or None.

    Reads the header alone (microseconds): the magic string, the page size, and the page
    count against the file's size (a file cut short is found before any page is read)."""
    taille = fichier.stat().st_size
    with fichier.open("rb") as flux:
        entete = flux.read(100)
    if len(entete) < 100 or not entete.startswith(b"SQLite format 3\x00"):
        return "ce n'est pas un fichier SQLite"
    taille_page = struct.unpack(">H", entete[16:18])[0]
    taille_page = 65536 if taille_page == 1 else taille_page
    if taille_page < 512 or taille_page & (taille_page - 1):
        return f"taille de page invalide ({taille_page})"
    compteur, pages = struct.unpack(">II", entete[24:32])
    valide_pour = struct.unpack(">I", entete[92:96])[0]
    wal = Path(f"{fichier}-wal")
    if (
        compteur == valide_pour
        and pages
        and taille < pages * taille_page
        and not (wal.exists() and wal.stat().st_size)
    ):
        # With a non-empty WAL, a checkpoint cut short is finished by SQLite itself.
        return f"fichier tronqué ({taille} octets pour {pages} pages de {taille_page})"
    return None


def verification_complete(fichier: Path) -> str:
    """SQLite's quick_check over the whole file ("ok" or the first problem): it reads every
    page, so it takes seconds on a town's base (backups and restores run it)."""
    connexion = _lecture(fichier)
    try:
        return connexion.execute("PRAGMA quick_check(1)").fetchone()[0]
    finally:
        connexion.close()


# Pages copied by each step of a backup (16 MB of 4 KB pages): the progress moves that often.
PAGES_PAR_PAS = 4096


def sauvegarder(
    source: sqlite3.Connection,
    cible: sqlite3.Connection,
    progression: Progression | None = None,
    etape: str = "Copie",
) -> None:
    """SQLite's backup API from `source` to `cible`, by steps, telling `progression` the
    pages copied out of the total."""

    def avancer(_statut: int, restantes: int, total: int) -> None:
        if progression is not None:
            progression(etape, total - restantes, total)

    if progression is not None:
        progression(etape, 0, None)
    # By steps, the copy would start again whenever another process writes between two of
    # them; a read transaction held on the source for the whole copy keeps one snapshot.
    lecture = not source.in_transaction
    if lecture:
        source.execute("BEGIN")
        source.execute("SELECT count(*) FROM sqlite_master").fetchone()
    try:
        source.backup(cible, pages=PAGES_PAR_PAS, progress=avancer)
    finally:
        if lecture:
            source.execute("ROLLBACK")  # a read: nothing to keep


def copier(
    source: sqlite3.Connection,
    cible: Path,
    progression: Progression | None = None,
    etape: str = "Copie",
) -> None:
    """A consistent copy with SQLite's backup API: what is committed in the WAL is in it,
    and another process may go on writing meanwhile (a plain file copy would miss the WAL)."""
    copie = sqlite3.connect(cible)
    try:
        sauvegarder(source, copie, progression, etape)
    finally:
        copie.close()


def _verrouillee(erreur: sqlite3.OperationalError) -> bool:
    texte = str(erreur).lower()
    return "locked" in texte or "busy" in texte


@contextmanager
def seul_sur_la_base(
    fichier: Path, attente: float, annoncer: Callable[[], None] | None = None
) -> Iterator[sqlite3.Connection]:
    """A connection that has the base to itself, or BaseOccupee after `attente` seconds
    (`annoncer` is called once before waiting, so that the wait is said).

    In WAL mode a reader does not block BEGIN EXCLUSIVE, but every connection that has read
    the base keeps a SHARED lock on the file for as long as it is open (SQLite's pager does so
    that nobody leaves WAL mode under it). With locking_mode=EXCLUSIVE, our connection takes
    the file's EXCLUSIVE lock, which fails while any such lock is held, by any process, and
    keeps it after COMMIT until it is closed: nobody reads or writes the base meanwhile. An app
    that has not read the base yet holds no lock, and nothing of the base either."""
    connexion = sqlite3.connect(fichier, timeout=0, isolation_level=None)
    try:
        connexion.execute("PRAGMA locking_mode=EXCLUSIVE")
        for delai in (0.0, attente):
            connexion.execute(f"PRAGMA busy_timeout={int(delai * 1000)}")
            try:
                connexion.execute("BEGIN EXCLUSIVE")
                connexion.execute("COMMIT")
                break
            except sqlite3.OperationalError as erreur:
                if not _verrouillee(erreur):
                    raise
                if delai or attente <= 0:
                    raise BaseOccupee from None
                if annoncer is not None:
                    annoncer()
        yield connexion
    finally:
        connexion.close()
