"""A search typed key by key: one search per burst of keys, not one per key."""

from __future__ import annotations

from collections.abc import Callable

from textual.dom import DOMNode
from textual.timer import Timer

# Keys closer together than this make one burst (a paste sent key by key, fast typing, a key
# held down): the first key of a burst is searched at once, the text it ends with once more
# when it stops.
RAFALE = 0.08  # seconds; the agent's keys, a tenth of a second apart or more, each search


class Rafale:
    """Calls `chercher(texte)` for the first text of a burst and for the text it ends with."""

    def __init__(self, proprietaire: DOMNode, chercher: Callable[[str], None]) -> None:
        self._proprietaire = proprietaire
        self._chercher = chercher
        self._minuterie: Timer | None = None  # set while keys come in a burst
        self._en_attente: str | None = None  # the text to search when the burst ends
        self.recherches = 0  # searches run (the tests count them)

    @property
    def en_attente(self) -> bool:
        """Keys typed whose results are not shown yet (the end of a burst)."""
        return self._en_attente is not None

    @property
    def en_cours(self) -> bool:
        """A burst is going on: the next key will wait for its end."""
        return self._minuterie is not None

    def frappe(self, texte: str) -> None:
        """A key changed the text: searched now if it starts a burst, else when it ends."""
        if self._minuterie is None:
            self._lancer(texte)
            self._minuterie = self._proprietaire.set_timer(RAFALE, self._fin)
        else:
            self._en_attente = texte
            self._minuterie.reset()

    def rattraper(self) -> None:
        """Search now the text typed (Enter before the burst's end)."""
        if self._minuterie is not None:
            self._minuterie.stop()
        self._fin()

    def oublier(self) -> None:
        """The text typed is replaced (the screen shown anew): nothing left to search."""
        if self._minuterie is not None:
            self._minuterie.stop()
        self._minuterie = self._en_attente = None

    def _fin(self) -> None:
        self._minuterie = None
        texte, self._en_attente = self._en_attente, None
        if texte is not None and self._proprietaire.is_attached:
            self._lancer(texte)

    def _lancer(self, texte: str) -> None:
        self.recherches += 1
        self._chercher(texte)
