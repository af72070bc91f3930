"""Writing an export to the exports folder and sending it to a printer (CUPS `lp`).

No reportlab here: the app imports this module without paying for the PDF library.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

LONGUEUR_MAX = 120
_RESERVES_WINDOWS = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}


def nom_sur(nom: str) -> str:
    """A file name safe on every disk and share: ASCII letters, digits, "-", "_" and ".", no
    path, no hidden file. "Facture AL-36 Hélène.pdf" -> "Facture_AL-36_Helene.pdf"."""
    ascii_ = unicodedata.normalize("NFKD", nom).encode("ascii", "ignore").decode("ascii")
    ascii_ = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_)
    ascii_ = re.sub(r"_+", "_", ascii_).strip("._-") or "document"
    racine, point, extension = ascii_.rpartition(".")
    if not point or not racine:
        racine, extension = ascii_, ""
    if racine.upper() in _RESERVES_WINDOWS:
        racine = f"_{racine}"
    extension = extension[:10]
    racine = racine[: LONGUEUR_MAX - len(extension) - 1]
    return f"{racine}.{extension}" if extension else racine


def ecrire(contenu: bytes, dossier: Path, nom: str) -> Path:
    """Write `contenu` to `dossier/nom` (folder created, name made safe) without ever
    overwriting: "facture.pdf" exists -> "facture-2.pdf", "facture-3.pdf"…"""
    dossier = Path(dossier)
    dossier.mkdir(parents=True, exist_ok=True)
    propre = nom_sur(nom)
    racine, point, extension = propre.rpartition(".")
    if not point:
        racine, extension = propre, ""
    suffixe = f".{extension}" if extension else ""
    for rang in range(1, 10_000):
        candidat = dossier / (propre if rang == 1 else f"{racine}-{rang}{suffixe}")
        try:
            # "x": created only if absent, atomically, so two counters never clash.
            with open(candidat, "xb") as fichier:
                fichier.write(contenu)
        except FileExistsError:
            continue
        return candidat
    raise FileExistsError(f"Trop de fichiers nommés {propre} dans {dossier}.")


def imprimer(chemin: Path, imprimante: str, copies: int = 1) -> str | None:
    """Send `chemin` to `lp -d imprimante`. None when no printer is configured; otherwise a
    French message saying what happened. Blocks up to 30 s: call it from a worker thread."""
    imprimante = (imprimante or "").strip()
    if not imprimante:
        return None
    lp = shutil.which("lp")
    if lp is None:
        return (
            f"Impression impossible : la commande « lp » (CUPS) est absente de ce poste. "
            f"Le document est enregistré dans {chemin}."
        )
    if not Path(chemin).is_file():
        return f"Impression impossible : le fichier {chemin} n'existe pas."
    commande = [
        lp,
        "-d",
        imprimante,
        "-n",
        str(max(copies, 1)),
        "-t",
        Path(chemin).name,
        "--",
        os.fspath(chemin),
    ]
    try:
        resultat = subprocess.run(commande, capture_output=True, text=True, timeout=30, check=False)
    except subprocess.TimeoutExpired:
        return f"L'imprimante {imprimante} ne répond pas (délai de 30 s dépassé)."
    except OSError as erreur:
        return f"Impression impossible sur {imprimante} : {erreur.strerror or erreur}."
    if resultat.returncode != 0:
        detail = (resultat.stderr or resultat.stdout).strip().splitlines()
        raison = f" : {detail[0]}" if detail else ""
        return f"Échec de l'impression sur {imprimante}{raison}"
    return f"Envoyé à l'imprimante {imprimante}"
