"""The README's Layout table: every path and name in it exists, every F-key of the app and
every screen module has its row, so that a newcomer goes from a portal name to its code."""

from __future__ import annotations

import importlib
import importlib.util
import re
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
# Shared pieces of the screens, not a feature of their own.
ECRANS_SANS_LIGNE = {"__init__", "compat_textual", "widgets", "texte"}


def _lignes_du_plan() -> list[list[str]]:
    """The table's rows (header and rule left out), as lists of cells."""
    texte = (RACINE / "README.md").read_text()
    debut = texte.index("| portal tab / key |")
    lignes = []
    for ligne in texte[debut:].splitlines()[2:]:
        if not ligne.startswith("|"):
            break
        lignes.append([c.strip() for c in ligne.strip().strip("|").split("|")])
    return lignes


def _noms(cellule: str) -> list[tuple[str, int]]:
    """The backticked names of a cell, each with its depth in parentheses."""
    noms, profondeur = [], 0
    for morceau in re.finditer(r"`([^`]+)`|\(|\)", cellule):
        if morceau.group(0) == "(":
            profondeur += 1
        elif morceau.group(0) == ")":
            profondeur -= 1
        else:
            noms.append((morceau.group(1), profondeur))
    return noms


def _fichier(nom: str, dossiers: tuple[str, ...]) -> list[str]:
    """What is wrong with a file named in the table (nothing: an empty list)."""
    if "/" in nom:
        return [] if (RACINE / nom).exists() else [nom]
    if any((RACINE / d / nom).exists() for d in dossiers):
        return []
    return [f"{'|'.join(dossiers)}/{nom}"]


def _regles(cellule: str) -> list[str]:
    """A rules cell: `module` or `module.fonction` of modele (or a path of data/), and in
    parentheses after a module, names that module defines."""
    manquants: list[str] = []
    module = None
    for nom, profondeur in _noms(cellule):
        if "/" in nom:
            manquants += _fichier(nom, ())
        elif profondeur == 0:
            nom_module, _, attribut = nom.partition(".")
            try:
                module = importlib.import_module(f"modele.{nom_module}")
            except ModuleNotFoundError:
                manquants.append(f"modele.{nom_module}")
                continue
            if attribut and not hasattr(module, attribut):
                manquants.append(nom)
        elif module is not None and nom.isidentifier() and not hasattr(module, nom):
            # (a module named in parentheses, as demandes dispatches to: famille…)
            if importlib.util.find_spec(f"modele.{nom}") is None:
                manquants.append(f"{module.__name__}.{nom}")
    return manquants


def test_chaque_chemin_et_nom_du_plan_existe():
    manquants = []
    for _cles, ecrans, regles, exports, tests in _lignes_du_plan():
        for nom, _ in _noms(ecrans):
            if nom.endswith(".py") or "/" in nom:
                manquants += _fichier(nom, ("ecrans", "tui"))
        manquants += _regles(regles)
        for nom, _ in _noms(exports):
            manquants += _fichier(nom, ("exports",))
        for nom, _ in _noms(tests):
            if not list((RACINE / "tests").glob(nom)):
                manquants.append(f"tests/{nom}")
    assert manquants == []


def test_chaque_touche_f_a_sa_ligne():
    source = (RACINE / "tui" / "app.py").read_text()
    touches = {f"F{n}" for n in re.findall(r'Binding\("f(\d+)"', source)}
    cles = " ".join(ligne[0] for ligne in _lignes_du_plan())
    assert touches and {t for t in touches if not re.search(rf"\b{t}\b", cles)} == set()


def test_chaque_module_d_ecran_a_sa_ligne():
    nommes = {
        Path(nom).stem for ligne in _lignes_du_plan() for nom, _ in _noms(ligne[1]) if ".py" in nom
    }
    ecrans = {p.stem for p in (RACINE / "ecrans").glob("*.py")} - ECRANS_SANS_LIGNE
    assert ecrans - nommes == set()
