"""A plot drawn by plotext, shown as text in a data-safe Static (ecrans/texte.py).

plotext builds the plot as a string with ANSI colours; Rich turns that into a Text (no
markup is read, so an activity's name is shown as typed). textual-plotext would do the same
through plotext's private canvas; the public `build()` is enough here and keeps the Textual
version free. The plot is drawn again at the widget's width when it is resized, not when it
is given the same figures again. plotext keeps one global figure: plots are drawn on the
app's thread only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from rich.text import Text

from ecrans.texte import Static

Trace = Callable[[Any], None]  # receives the plotext module, draws on a cleared figure


def dessiner(trace: Trace, largeur: int, hauteur: int) -> Text:
    """The plot as a Text of `largeur` × `hauteur` cells."""
    import plotext as plt

    plt.clear_figure()
    plt.theme("clear")  # the terminal's own background and text colour
    plt.limitsize(False, False)  # the widget's size, not the size plotext reads from a tty
    plt.plotsize(max(largeur, 20), max(hauteur, 5))
    trace(plt)
    texte = Text.from_ansi(plt.build(), no_wrap=True, overflow="crop")
    plt.clear_figure()
    return texte


def graduer(plt, maximum: float) -> int:
    """Whole, round ticks on the y axis (plotext writes 39633.0 otherwise): from 0, steps
    of 1, 2 or 5 × 10^n, four at most, the last one covering `maximum`; returns that last
    one (the top of the plot)."""
    haut = max(math.ceil(maximum), 1)
    pas = 1
    while haut > 4 * pas:
        pas = pas * 5 // 2 if str(pas)[0] == "2" else pas * 2
    ticks = [i * pas for i in range(math.ceil(haut / pas) + 1)]
    plt.ylim(0, ticks[-1])
    plt.yticks(ticks, [f"{t:,}".replace(",", "\u202f") for t in ticks])
    return ticks[-1]


class Graphique(Static):
    """A plot of a fixed height (its CSS), as wide as the widget."""

    DEFAULT_CSS = """
    Graphique {
        height: 10;
        width: 1fr;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._trace: Trace | None = None
        self._cle: object = None
        self._taille: tuple[int, int] = (0, 0)

    def tracer(self, trace: Trace | None, cle: object = None) -> None:
        """Draw this plot now (None: nothing). `cle`: the figures it draws (comparable); the
        same figures again keep the plot drawn (at its size), a plotext drawing costing
        10–40 ms."""
        meme = cle is not None and cle == self._cle and self._trace is not None
        self._trace, self._cle = trace, cle
        if trace is None or not meme:
            self._taille = (0, 0)
        self._redessiner()

    def on_resize(self) -> None:
        self._redessiner()

    def dessiner_si_besoin(self) -> None:
        """Drawn at its size now if it was not (a screen laid out while hidden)."""
        self._redessiner()

    def _redessiner(self) -> None:
        largeur, hauteur = self.content_size.width, self.content_size.height
        # Its size is its CSS's, never its content's: no layout pass for a new drawing.
        if self._trace is None:
            self._taille = (0, 0)
            self.update("", layout=False)
            return
        if largeur <= 0 or hauteur <= 0 or (largeur, hauteur) == self._taille:
            return
        self._taille = (largeur, hauteur)
        self.update(dessiner(self._trace, largeur, hauteur), layout=False)
