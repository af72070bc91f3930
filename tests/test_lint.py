"""Lint and format hold on the whole tree (ruff, as configured in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent


def ruff(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *arguments], cwd=RACINE, capture_output=True, text=True
    )


def test_ruff_check():
    resultat = ruff("check", "--no-cache", ".")
    assert resultat.returncode == 0, resultat.stdout[-3000:]


def test_ruff_format():
    resultat = ruff("format", "--no-cache", "--check", ".")
    assert resultat.returncode == 0, resultat.stdout[-3000:]


# Type errors still to fix, by file (mypy on modele/ and exports/, configured in
# pyproject.toml). A count may only go down: fixing a file means lowering its line here,
# and a new file or a new error fails. The goal is an empty list.
MYPY_RESTANT = RACINE / "tests" / "mypy_restant.txt"


def _erreurs_par_fichier(sortie: str) -> dict[str, int]:
    comptes: dict[str, int] = {}
    for ligne in sortie.splitlines():
        chemin, _, reste = ligne.partition(":")
        if ": error: " in reste:
            comptes[chemin] = comptes.get(chemin, 0) + 1
    return comptes


def test_mypy():
    resultat = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary"],
        cwd=RACINE,
        capture_output=True,
        text=True,
    )
    assert "error: " in resultat.stdout or resultat.returncode == 0, resultat.stderr[-3000:]
    trouvees = _erreurs_par_fichier(resultat.stdout)
    restant = {
        chemin: int(nombre)
        for chemin, nombre in (
            ligne.split() for ligne in MYPY_RESTANT.read_text().splitlines() if ligne.strip()
        )
    }
    nouvelles = {f: n for f, n in trouvees.items() if n > restant.get(f, 0)}
    assert not nouvelles, "nouvelles erreurs de type :\n" + "\n".join(
        ligne for ligne in resultat.stdout.splitlines() if ligne.split(":")[0] in nouvelles
    )
    a_baisser = {f: (n, trouvees.get(f, 0)) for f, n in restant.items() if trouvees.get(f, 0) < n}
    assert not a_baisser, f"corrigées : baissez tests/mypy_restant.txt {a_baisser}"
