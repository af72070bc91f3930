"""Where a document made at the counter goes: in a terminal, the exports folder (and the
printer, if one is set); in a web browser (guichet web), a download in that browser, since
the agent is not at the server (nothing is left on the server's disk, nor sent to its
printer)."""

from __future__ import annotations

import io
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from textual.app import App

from exports.fichiers import ecrire, imprimer, nom_sur


@dataclass(frozen=True)
class Livraison:
    """A document delivered: its file on this computer, or its name sent to the browser."""

    nom: str
    chemin: Path | None = None  # None: downloaded by the browser
    impression: str | None = None  # what the printer said, if one is set

    @property
    def lieu(self) -> str:
        """Where the agent finds it, for the message: the file's name, then its folder on a
        line of its own (a notification at 80 columns cut the whole path in the middle of
        the family's number), or the browser's download."""
        if self.chemin is not None:
            dossier = str(self.chemin.parent)
            maison = str(Path.home())
            if dossier == maison or dossier.startswith(maison + "/"):
                dossier = "~" + dossier[len(maison) :]
            return f"{self.chemin.name}\ndans {dossier}"
        return f"{self.nom} (téléchargé par le navigateur)"


def _vers_navigateur(app: App, contenu: bytes, nom: str) -> None:
    """On the app's thread: the driver streams the bytes to the browser as it asks."""
    type_mime = mimetypes.guess_type(nom)[0] or "application/octet-stream"
    app.deliver_binary(io.BytesIO(contenu), save_filename=nom, mime_type=type_mime)


def livrer(app: App, contenu: bytes, nom: str) -> Livraison:
    """On the app's thread: the document written to the exports folder, or downloaded by
    the browser (OSError if the folder cannot be written)."""
    if app.is_web:
        propre = nom_sur(nom)
        _vers_navigateur(app, contenu, propre)
        return Livraison(propre)
    return Livraison(nom_sur(nom), ecrire(contenu, app.reglages.dossier_exports, nom))


def livrer_depuis_travail(
    app: App, contenu: bytes, nom: str, a_imprimer: bool = False
) -> Livraison:
    """From a worker thread: as `livrer`, and sent to the printer if asked and one is set
    (in a terminal: `lp` may take seconds, hence the worker)."""
    if app.is_web:
        propre = nom_sur(nom)
        app.call_from_thread(_vers_navigateur, app, contenu, propre)
        return Livraison(propre)
    chemin = ecrire(contenu, app.reglages.dossier_exports, nom)
    message = imprimer(chemin, app.reglages.imprimante) if a_imprimer else None
    return Livraison(chemin.name, chemin, message)
