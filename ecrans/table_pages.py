"""A list of a whole town's rows whose cells are read a page at a time (issue #18)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len
from textual.geometry import Region
from textual.strip import Strip

from ecrans.table import MARGE, TableLignes

Lecture = Callable[[list[str]], Sequence[Sequence[str]]]


class TablePages(TableLignes):
    """A `TableLignes` given every row's key at once but the cells of the first page only:
    the others are read when the view or the cursor comes to them (`lire(cles)` returns
    their cells, in order), so that opening a list of thousands costs one page. Every row
    is there from the start for the keys (cursor, PgSuiv, Fin, a click, `row_count`); the
    columns widen when a page read later has longer texts."""

    PAGE = 100  # rows read at a time (a screen shows about 40)

    def __init__(self, *colonnes: str, **kwargs) -> None:
        super().__init__(*colonnes, **kwargs)
        self._lire: Lecture | None = None

    def remplir(self, lignes) -> None:  # (a refill with every cell: nothing left to read)
        self._lire = None
        super().remplir(lignes)

    def remplir_pages(
        self, cles: Sequence[str], premiere: Sequence[Sequence[str]], lire: Lecture
    ) -> None:
        """Every row's key, the cells of the first rows (as many as given), and how to read
        the cells of other rows; the cursor goes back to the first row."""
        ancien = len(self._lignes)
        self.remplir(zip(cles, premiere, strict=False))
        self._lire = lire
        reste = len(cles) - len(self._lignes)
        if reste > 0:
            self._cles = list(cles)
            self._lignes.extend([None] * reste)  # type: ignore[list-item]
            self._version += 1
            self._cache.clear()
            self.refresh(layout=len(self._lignes) != ancien)

    def _assurer(self, debut: int, fin: int) -> None:
        """The cells of rows debut…fin-1 read if they are not yet."""
        if self._lire is None:
            return
        fin = min(fin, len(self._lignes))
        manquants = [r for r in range(max(debut, 0), fin) if self._lignes[r] is None]
        if not manquants:
            return
        premier = manquants[0]
        dernier = max(manquants[-1] + 1, min(premier + self.PAGE, len(self._lignes)))
        rangs = [r for r in range(premier, dernier) if self._lignes[r] is None]
        cellules = self._lire([self._cles[r] for r in rangs])
        largeurs = [n - 2 * MARGE for n in self._largeurs]
        for rang, ligne in zip(rangs, cellules, strict=True):
            ligne = tuple(c.replace("\n", " ") if "\n" in c else c for c in ligne)
            for i, texte in enumerate(ligne):
                n = cell_len(texte)
                if n > largeurs[i]:
                    largeurs[i] = n
            self._lignes[rang] = ligne
        largeurs = [n + 2 * MARGE for n in largeurs]
        if largeurs != self._largeurs:  # wider texts: every line is laid out again
            self._largeurs = largeurs
            self._version += 1
            self._cache.clear()
            self.refresh()

    def get_row_at(self, rang: int) -> list[str]:
        self._assurer(rang, rang + 1)
        return super().get_row_at(rang)

    def move_cursor(self, row: int) -> None:
        rang = max(0, min(row, len(self._lignes) - 1))
        self._assurer(rang, rang + 1)  # (its detail line)
        super().move_cursor(row)

    @property
    def detail(self) -> str:
        if self._lignes:
            self._assurer(self._curseur, self._curseur + 1)
        return super().detail

    def render_lines(self, crop: Region) -> list[Strip]:
        self._assurer(self._haut, self._haut + self._hauteur_page)
        return super().render_lines(crop)

    def _dessiner(self, rang: int, largeur: int) -> Strip:
        if rang >= 0:
            self._assurer(rang, rang + 1)
        return super()._dessiner(rang, largeur)
