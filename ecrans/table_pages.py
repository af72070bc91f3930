"""A list of a whole town's rows whose cells are read a page at a time (issue #18)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len
from textual.geometry import Region
from textual.strip import Strip

from ecrans.table import MARGE, StylesLignes, TableLignes

Lignes = Sequence[tuple[str, Sequence[str]]]
Lecture = Callable[[int, int], Lignes]


class TablePages(TableLignes):
    """A `TableLignes` told how many rows it has but given the first page only: the other
    rows are read when the view or the cursor comes to them (`lire(debut, nombre)` returns
    those rows, (key, cells) each), so that opening a list of thousands costs one page.
    Every row is there from the start for the keys (cursor, PgSuiv, Fin, a click,
    `row_count`); the columns widen when a page read later has longer texts."""

    PAGE = 50  # rows read at a time (a screen shows 35 at most at 120×40)

    def __init__(self, *colonnes: str, **kwargs) -> None:
        super().__init__(*colonnes, **kwargs)
        self._lire: Lecture | None = None

    def remplir(self, lignes) -> None:  # (a refill with every row: nothing left to read)
        self._lire = None
        super().remplir(lignes)

    def remplir_pages(self, total: int, premiere: Lignes, lire: Lecture) -> None:
        """`total` rows, the first ones given (`premiere`), the others read by `lire`;
        the cursor goes back to the first row."""
        ancien = len(self._lignes)
        self.remplir(premiere)
        self._lire = lire
        reste = total - len(self._lignes)
        if reste > 0:
            self._cles.extend([""] * reste)
            self._lignes.extend([None] * reste)  # type: ignore[list-item]
            self._version += 1
            self._cache.clear()
            self.refresh(layout=len(self._lignes) != ancien)

    def _assurer(self, debut: int, fin: int) -> None:
        """Rows debut…fin-1 read if they are not yet (a page at least)."""
        if self._lire is None:
            return
        fin = min(fin, len(self._lignes))
        manquants = [r for r in range(max(debut, 0), fin) if self._lignes[r] is None]
        if not manquants:
            return
        # A whole page, ending with the list when near its end (Fin shows the last rows).
        total = len(self._lignes)
        premier = max(0, min(manquants[0], total - self.PAGE))
        while self._lignes[premier] is not None:
            premier += 1
        dernier = min(max(manquants[-1] + 1, premier + self.PAGE), total)
        lues = self._lire(premier, dernier - premier)
        largeurs = [n - 2 * MARGE for n in self._largeurs]
        for rang, (cle, ligne) in enumerate(lues, start=premier):
            if rang >= len(self._lignes):
                break  # (fewer rows than counted: the list is read again on return)
            ligne = tuple(c.replace("\n", " ") if "\n" in c else c for c in ligne)
            for i, texte in enumerate(ligne):
                n = cell_len(texte)
                if n > largeurs[i]:
                    largeurs[i] = n
            self._cles[rang], self._lignes[rang] = cle, ligne
        for rang in range(premier + len(lues), dernier):  # (rows gone meanwhile)
            self._cles[rang], self._lignes[rang] = "", ("",) * len(self.colonnes)
        largeurs = [n + 2 * MARGE for n in largeurs]
        if largeurs != self._largeurs:  # wider texts: every line is laid out again
            self._largeurs = largeurs
            self._version += 1
            self._cache.clear()
            self.refresh()

    def _assurer_rang(self, rang: int) -> None:
        if 0 <= rang < len(self._lignes):
            self._assurer(rang, rang + 1)

    @property
    def cle(self) -> str | None:
        self._assurer_rang(self._curseur)
        return super().cle

    def cle_de(self, rang: int) -> str:
        self._assurer_rang(rang)
        return super().cle_de(rang)

    def get_row_at(self, rang: int) -> list[str]:
        self._assurer_rang(rang)
        return super().get_row_at(rang)

    def move_cursor(self, row: int) -> None:
        self._assurer_rang(max(0, min(row, len(self._lignes) - 1)))  # (its detail line)
        super().move_cursor(row)

    def action_choisir(self) -> None:
        self._assurer_rang(self._curseur)
        if self._lignes and self._cles[self._curseur]:
            super().action_choisir()

    @property
    def detail(self) -> str:
        self._assurer_rang(self._curseur)
        return super().detail

    def render_lines(self, crop: Region) -> list[Strip]:
        self._assurer(self._haut, self._haut + self._hauteur_page)
        return super().render_lines(crop)

    def _dessiner(self, base: StylesLignes, rang: int, largeur: int) -> Strip:
        self._assurer_rang(rang)
        return super()._dessiner(base, rang, largeur)
