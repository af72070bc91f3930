"""The error log: an exception that no screen handled, with its traceback, in the data
folder (`erreurs.log`, kept to a few files of 1 MB)."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

NOM_JOURNAL = "erreurs.log"
_journal = logging.getLogger("guichet.erreurs")
_journal.propagate = False  # (never to the terminal the app draws on)


def fichier_journal(dossier: Path) -> Path:
    return dossier / NOM_JOURNAL


def journaliser(dossier: Path, erreur: BaseException, contexte: str = "") -> Path | None:
    """Append the error and its traceback to the log; None if the log cannot be written
    (the app goes on all the same)."""
    chemin = fichier_journal(dossier)
    try:
        if not any(getattr(h, "baseFilename", None) == str(chemin) for h in _journal.handlers):
            for ancien in list(_journal.handlers):
                _journal.removeHandler(ancien)
                ancien.close()
            chemin.parent.mkdir(parents=True, exist_ok=True)
            gestion = logging.handlers.RotatingFileHandler(
                chemin,
                maxBytes=1_000_000,
                backupCount=3,
                encoding="utf-8",
                errors="backslashreplace",
            )
            gestion.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
            _journal.addHandler(gestion)
            _journal.setLevel(logging.ERROR)
        _journal.error(
            "%s",
            contexte or type(erreur).__name__,
            exc_info=(type(erreur), erreur, erreur.__traceback__),
        )
        for gestion in _journal.handlers:
            gestion.flush()
    except OSError:
        return None
    return chemin
