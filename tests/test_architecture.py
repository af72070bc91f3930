"""The layers of DESIGN.md hold: modele, exports and data know nothing of the screen; the
screens reach the database only through the app's two helpers (app.lire, app.agir); inside
modele, basics, tables and rules by area import only the layers below them."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent


def test_contrat_import_linter():
    resultat = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports"))],
        cwd=RACINE,
        capture_output=True,
        text=True,
    )
    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
    assert "Contracts: 3 kept, 0 broken." in resultat.stdout
    assert "modele in layers" in resultat.stdout


def test_modele_n_importe_rien_dans_une_fonction():
    """An import inside a function is how a cycle hides from the layers contract."""
    fichiers = sorted((RACINE / "modele").rglob("*.py"))
    trouves = [
        f"{fichier.relative_to(RACINE)}:{n}: {ligne.strip()}"
        for fichier in fichiers
        for n, ligne in enumerate(fichier.read_text().splitlines(), 1)
        if re.match(r"\s+(from|import) modele\b", ligne)
    ]
    assert trouves == []


def test_modele_n_importe_pas_db_au_chargement():
    """No rule module imports modele.db at load time: the app builds screens in a thread at
    start, and an import of db there waited on the import lock held by the main thread
    (a deadlock). Statements built once (modele.requetes) need no engine."""
    fichiers = sorted(f for f in (RACINE / "modele").rglob("*.py") if "migrations" not in f.parts)
    trouves = []
    for fichier in fichiers:
        for noeud in ast.parse(fichier.read_text()).body:  # (the module's own statements)
            if isinstance(noeud, ast.Import):
                noms = [alias.name for alias in noeud.names]
            elif isinstance(noeud, ast.ImportFrom) and noeud.module:
                noms = [noeud.module] + [f"{noeud.module}.{alias.name}" for alias in noeud.names]
            else:
                continue
            if "modele.db" in noms:
                trouves.append(f"{fichier.relative_to(RACINE)}:{noeud.lineno}")
    assert trouves == []


def test_les_ecrans_n_ouvrent_ni_session_ni_transaction():
    """No SQL, no session, no commit or rollback in the screens: lire/agir own them."""
    interdit = re.compile(
        r"commit\(\)|rollback\(|select\(|\.session\(|"
        r"modele\.db import .*\b(session|session_lecture|SessionGuichet)\b"
    )
    fichiers = [f for dossier in ("ecrans", "tui") for f in sorted((RACINE / dossier).glob("*.py"))]
    trouves = [
        f"{fichier.relative_to(RACINE)}:{n}: {ligne.strip()}"
        for fichier in fichiers
        for n, ligne in enumerate(fichier.read_text().splitlines(), 1)
        if interdit.search(ligne)
    ]
    assert trouves == []


def test_aucun_ecran_ni_export_ne_lit_un_mot_de_passe_hache():
    """Password hashes stay in modele (login, password change): no screen, command or
    document reads one (issue 16; lister_agents returns FicheAgent, without it)."""
    fichiers = [
        f
        for dossier in ("ecrans", "tui", "exports")
        for f in sorted((RACINE / dossier).rglob("*.py"))
    ]
    trouves = [
        f"{fichier.relative_to(RACINE)}:{n}"
        for fichier in fichiers
        for n, ligne in enumerate(fichier.read_text().splitlines(), 1)
        if "mot_de_passe_hash" in ligne
    ]
    assert trouves == []
