"""Lint, format and types hold on the whole tree (ruff, mypy, as configured in pyproject.toml)."""

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


def test_mypy():
    """mypy on modele/ and exports/ (configured in pyproject.toml): no error."""
    resultat = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=RACINE, capture_output=True, text=True
    )
    assert resultat.returncode == 0, (resultat.stdout + resultat.stderr)[-3000:]
