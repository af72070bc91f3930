"""The layers of DESIGN.md hold: modele, exports and data know nothing of the screen."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent


def test_contrat_import_linter():
    resultat = subprocess.run([str(Path(sys.executable).with_name("lint-imports"))], cwd=RACINE,
                              capture_output=True, text=True)
    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
    assert "Contracts: 1 kept, 0 broken." in resultat.stdout
