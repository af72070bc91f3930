"""Helpers for driving the app like an agent: type, log in, search, open a family."""

from __future__ import annotations

import io
import re

from rich.console import Console
from textual.widgets import DataTable, Static

from ecrans.table import TableLignes


async def saisir(pilot, texte: str) -> None:
    """Type text key by key, as the terminal would send it, then wait once for the app.

    (pilot.press waits for the app to be idle after every key: seconds for a sentence.)"""
    from textual import events

    from ecrans.compat_textual import touche

    for caractere in texte:
        pilot.app.post_message(events.Key(touche(caractere), caractere))
    await pilot.pause()
    await attendre_recherche(pilot)


async def attendre_recherche(pilot) -> None:
    """On a search (the family search, F3's), wait until the results of what was typed are
    shown (a burst of keys is searched when it ends)."""
    while getattr(pilot.app.screen, "recherche_en_attente", False):
        await pilot.pause()


async def connecter(pilot, identifiant: str = "accueil", mot_de_passe: str = "Accueil2026") -> None:
    await saisir(pilot, identifiant)
    await pilot.press("enter")
    await saisir(pilot, mot_de_passe)
    await pilot.press("enter")
    await pilot.pause()


async def ouvrir_famille(pilot, recherche: str) -> None:
    """From the search screen: type, then Enter opens the first result."""
    await saisir(pilot, recherche)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


def texte(app, selecteur: str) -> str:
    """The plain text a Static shows."""
    contenu = app.screen.query_one(selecteur, Static).content
    if isinstance(contenu, str):
        return contenu
    if hasattr(contenu, "plain"):
        brut = contenu.plain
    else:
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(contenu)
        brut = console.export_text()
    # a grid (or a sheet drawn as text) pads its columns: fold the padding so that tests
    # read "Nom : DUPONT"
    lignes = (re.sub(r" {2,}", " ", ligne).strip() for ligne in brut.splitlines())
    return "\n".join(lignes)


def lignes(app, selecteur: str) -> list[list[str]]:
    """The cells' text of a DataTable or a TableLignes, row by row (a cell wrapped on its
    row's lines read as one line: ecrans.table._plier)."""
    table = app.screen.query_one(selecteur)
    assert isinstance(table, DataTable | TableLignes), table
    return [
        [getattr(c, "plain", str(c)).replace("\n", " ") for c in table.get_row_at(i)]
        for i in range(table.row_count)
    ]


async def attendre(pilot, condition, limite: float = 30.0) -> None:
    """Wait for a state, a frame at a time; bounded, so that a test never hangs on a dead
    app (the bound is a failure, not a pace: the state usually comes in a few frames)."""
    import time

    fin = time.monotonic() + limite
    while not condition():
        if not pilot.app.is_running or time.monotonic() > fin:
            break
        await pilot.pause()
    assert condition(), "l'état attendu n'est pas venu"


async def emettre_mois_en_cours(pilot) -> None:
    """F6's e on a month not over yet: its question answered yes, until the emission's own
    question (« Émettre N factures … ? ») shows, left for the test to answer."""
    from ecrans.widgets import Confirmation

    app = pilot.app
    await pilot.press("e")
    await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
    await pilot.press("o")  # the month is not over: issue anyway
    await attendre(
        pilot,
        lambda: isinstance(app.screen, Confirmation) and app.screen.question.startswith("Émettre "),
    )
