"""Tables: one whose cells are data, and tables that draw fast.

`DataTable` is Textual's, with str cells shown as typed (Textual reads them as markup).
`TableLignes` is a list that draws its own lines, as the planning grid and the footer do:
for the plain-text lists refilled at each keystroke or year (the search results, the
relevé's operations). Textual's DataTable renders every visible cell through Rich (padding,
styling, wrapping): refilling 50 rows costs tens of milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DataTable as DataTableTextual
from textual.widgets.data_table import CellType, ColumnKey, RowKey

MARGE = 1  # blank cells each side of a cell, as DataTable's cell_padding


def _cellule(valeur: CellType) -> CellType:
    # A str cell is markup to DataTable; a Text is shown as is.
    return Text(valeur, end="") if isinstance(valeur, str) else valeur


class DataTable(DataTableTextual):
    """A DataTable whose str cells show as typed, never read as markup (ecrans/texte.py);
    the column labels are ours."""

    def add_row(self, *cells: CellType, height: int | None = 1, key: str | None = None,
                label: Any = None) -> RowKey:
        return super().add_row(*map(_cellule, cells), height=height, key=key, label=label)

    def update_cell(self, row_key: RowKey | str, column_key: ColumnKey | str, value: CellType,
                    *, update_width: bool = False) -> None:
        super().update_cell(row_key, column_key, _cellule(value), update_width=update_width)

    def update_cell_at(self, coordinate: Coordinate, value: CellType, *,
                       update_width: bool = False) -> None:
        super().update_cell_at(coordinate, _cellule(value), update_width=update_width)


class TableLignes(Widget, can_focus=True):
    """A list of rows that draws its own lines: a header line, the rows, a row cursor.

    For read-only lists refilled often (search results, a relevé). A refill keeps the rows
    as tuples of strings and repaints this one widget: no cell objects, no Rich rendering,
    and no layout pass unless its height follows its rows (height auto) and their number
    changed. It scrolls by itself and draws its own scrollbar, so that a refill does not
    also repaint scrollbar widgets in a later frame. The look and keys are a row-cursor
    DataTable's; Enter, or a click on the cursor's row, posts `LigneChoisie` with the key.
    """

    COMPONENT_CLASSES = {"table--entete", "table--curseur", "table--pair"}
    # Its lines are drawn here, nothing scrolls inside it by Textual: a new size needs
    # neither a second layout pass (Widget's virtual_size asks for one) nor a repaint in a
    # later frame (the layout that changed the size has drawn it).
    virtual_size = Reactive(Size(0, 0), repaint=False)
    DEFAULT_CSS = """
    TableLignes {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        &:focus {
            background-tint: $foreground 5%;
            & > .table--curseur {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .table--entete {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .table--pair {
            background: $surface-darken-1 40%;
        }
        & > .table--entete {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .table--pair {
            background: $surface-lighten-1 50%;
        }
        & > .table--curseur {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """
    BINDINGS = [
        Binding("enter", "choisir", "Ouvrir", show=False),
        Binding("up", "deplacer(-1)", "Ligne préc.", show=False),
        Binding("down", "deplacer(1)", "Ligne suiv.", show=False),
        Binding("pageup", "page(-1)", "Page préc.", show=False),
        Binding("pagedown", "page(1)", "Page suiv.", show=False),
        Binding("home", "aller(0)", "Première ligne", show=False),
        Binding("end", "aller(-1)", "Dernière ligne", show=False),
        Binding("left", "decaler(-4)", "Colonnes à gauche", show=False),
        Binding("right", "decaler(4)", "Colonnes à droite", show=False),
    ]

    class LigneChoisie(Message):
        """Enter, or a click on the cursor's row: the row's key and rank."""

        def __init__(self, table: TableLignes, cle: str, rang: int) -> None:
            super().__init__()
            self.table = table
            self.cle = cle
            self.rang = rang

        @property
        def control(self) -> TableLignes:
            return self.table

    def __init__(self, *colonnes: str, droite: Iterable[str] = (), zebre: bool = False,
                 **kwargs) -> None:  # noqa: ANN003
        """`colonnes`: the header's labels; `droite`: those whose cells are right-justified
        (amounts); `zebre`: every other row shaded."""
        super().__init__(**kwargs)
        self.colonnes = list(colonnes)
        droites = set(droite)
        self._droite = [c in droites for c in colonnes]
        self.zebre = zebre
        self._cles: list[str] = []
        self._lignes: list[tuple[str, ...]] = []
        self._largeurs = [cell_len(c) + 2 * MARGE for c in colonnes]
        self._curseur = 0
        self._haut = 0  # first row shown
        self._gauche = 0  # first column of cells shown (the table wider than the widget)
        self._cache: dict[int, Strip] = {}  # row rank (-1: header) → its whole line
        self._cle_cache: tuple = ()

    # --- data ----------------------------------------------------------------------------

    def remplir(self, lignes: Iterable[tuple[str, Sequence[str]]]) -> None:
        """Replace the rows, (key, cells) each; the cursor goes back to the first row."""
        ancien = len(self._lignes)
        self._cles = []
        self._lignes = []
        largeurs = [cell_len(c) for c in self.colonnes]
        for cle, cellules in lignes:
            cellules = tuple(c.replace("\n", " ") if "\n" in c else c for c in cellules)
            for i, texte in enumerate(cellules):
                n = cell_len(texte)
                if n > largeurs[i]:
                    largeurs[i] = n
            self._cles.append(cle)
            self._lignes.append(cellules)
        self._largeurs = [n + 2 * MARGE for n in largeurs]
        self._curseur = self._haut = self._gauche = 0
        self._cache.clear()
        # A height that follows the rows needs a layout pass when their number changes;
        # otherwise only this widget's lines are drawn again.
        hauteur = self.styles.height
        suit = hauteur is None or hauteur.is_auto
        self.refresh(layout=suit and len(self._lignes) != ancien)

    @property
    def row_count(self) -> int:
        return len(self._lignes)

    @property
    def cursor_row(self) -> int:
        return self._curseur

    @property
    def cle(self) -> str | None:
        """The key of the cursor's row (None when the list is empty)."""
        return self._cles[self._curseur] if self._lignes else None

    def cle_de(self, rang: int) -> str:
        return self._cles[rang]

    def get_row_at(self, rang: int) -> list[str]:
        return list(self._lignes[rang])

    def move_cursor(self, row: int) -> None:
        """Put the cursor on a row (bounded), scrolled into view."""
        if not self._lignes:
            return
        rang = max(0, min(row, len(self._lignes) - 1))
        ancien, self._curseur = self._curseur, rang
        haut = self._haut
        if rang < haut:
            haut = rang
        elif rang >= haut + self._hauteur_page:
            haut = rang - self._hauteur_page + 1
        if haut != self._haut:
            self._haut = haut
            self.refresh()
        else:
            self._redessiner(ancien, rang)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 1 + len(self._lignes)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return sum(self._largeurs)

    # --- keys and mouse --------------------------------------------------------------------

    @property
    def _hauteur_page(self) -> int:
        """Rows shown below the header."""
        return max(self.content_size.height - 1, 1)

    def action_deplacer(self, decalage: int) -> None:
        self.move_cursor(self._curseur + decalage)

    def action_page(self, sens: int) -> None:
        self.move_cursor(self._curseur + sens * self._hauteur_page)

    def action_aller(self, rang: int) -> None:
        self.move_cursor(rang if rang >= 0 else len(self._lignes) - 1)

    def action_decaler(self, colonnes: int) -> None:
        """Shift the cells sideways when the table is wider than the widget."""
        depasse = sum(self._largeurs) - (self.content_size.width - self._largeur_barre)
        gauche = max(0, min(self._gauche + colonnes, depasse))
        if gauche != self._gauche:
            self._gauche = gauche
            self.refresh()

    def action_choisir(self) -> None:
        if self._lignes:
            self.post_message(self.LigneChoisie(self, self._cles[self._curseur], self._curseur))

    def _rang_en(self, y: int) -> int | None:
        rang = y - 1 + self._haut
        return rang if y >= 1 and rang < len(self._lignes) else None

    def on_click(self, event: events.Click) -> None:
        decalage = event.get_content_offset(self)
        rang = None if decalage is None else self._rang_en(decalage.y)
        if rang is None:
            return
        event.stop()
        if rang == self._curseur:
            self.action_choisir()
        else:
            self.move_cursor(rang)

    def _defiler(self, lignes: int) -> None:
        haut = max(0, min(self._haut + lignes, len(self._lignes) - self._hauteur_page))
        if haut != self._haut:
            self._haut = haut
            self.refresh()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self._defiler(3)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self._defiler(-3)

    # --- drawing ---------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # The lines drawn are kept while their styles stay (the focus, the theme change them)
        # and the width too: a repaint after a focus change draws nothing again.
        cle = (self.content_size.width, self.rich_style,
               *(self.get_component_rich_style(c) for c in sorted(self.COMPONENT_CLASSES)))
        if cle != self._cle_cache:
            self._cache.clear()
            self._cle_cache = cle
        return super().render_lines(crop)

    def on_resize(self) -> None:
        # No blank below the last row, the cursor in view (a repaint only if the rows shown
        # change: the new size has drawn them).
        page = self._hauteur_page
        haut = max(0, min(self._haut, len(self._lignes) - page))
        if self._curseur >= haut + page:
            haut = self._curseur - page + 1
        if haut != self._haut:
            self._haut = haut
            self.refresh()

    def _redessiner(self, *rangs: int) -> None:
        for rang in rangs:
            self._cache.pop(rang, None)
            y = rang - self._haut + 1
            if 1 <= y < self.content_size.height:
                self.refresh(Region(0, y, self.size.width, 1))

    @property
    def _largeur_barre(self) -> int:
        """Width of the scrollbar: only when the rows do not all fit."""
        if len(self._lignes) <= self._hauteur_page:
            return 0
        return self.styles.scrollbar_size_vertical

    def render_line(self, y: int) -> Strip:
        largeur, hauteur = self.content_size
        barre = self._largeur_barre
        utile = largeur - barre
        if y == 0:
            rang = -1
        else:
            rang = y - 1 + self._haut
        if rang >= len(self._lignes):
            strip = Strip.blank(utile, self.rich_style)
        else:
            strip = self._cache.get(rang)
            if strip is None:
                strip = self._cache[rang] = self._dessiner(rang, utile)
            if self._gauche or strip.cell_length > utile:
                strip = strip.crop(self._gauche, self._gauche + utile)
        if barre:
            strip = Strip([*strip, self._barre(y, hauteur, barre)])
        return strip

    def _barre(self, y: int, hauteur: int, largeur: int) -> Segment:
        """A line of the scrollbar, as a DataTable's: its thumb shows the lines in view."""
        styles = self.styles
        fond = styles.scrollbar_background
        if fond.a < 1:
            fond = self.background_colors[0] + fond
        total = len(self._lignes) + 1
        pouce = max(1, round(hauteur * hauteur / total))
        debut = round((hauteur - pouce) * self._haut / max(total - hauteur, 1))
        if debut <= y < debut + pouce:
            couleur = fond + styles.scrollbar_color
            return Segment(" " * largeur, Style(bgcolor=couleur.rich_color))
        return Segment(" " * largeur, Style(bgcolor=fond.rich_color))

    def _dessiner(self, rang: int, largeur: int) -> Strip:
        """The whole line of a row (rank -1: the header), extended to the widget's width."""
        if rang < 0:
            style = self.get_component_rich_style("table--entete")
            cellules = self.colonnes
        else:
            style = (self.get_component_rich_style("table--pair")
                     if self.zebre and rang % 2 == 0 else self.rich_style)
            if rang == self._curseur:
                style = style + self.get_component_rich_style("table--curseur")
            cellules = self._lignes[rang]
        marge = " " * MARGE
        morceaux = []
        for texte, place, droite in zip(cellules, self._largeurs, self._droite, strict=True):
            place -= 2 * MARGE
            vide = place - cell_len(texte)
            if vide < 0:
                texte = set_cell_size(texte, place)
            elif droite:
                texte = " " * vide + texte
            else:
                texte = texte + " " * vide
            morceaux.append(f"{marge}{texte}{marge}")
        ligne = "".join(morceaux)
        reste = largeur - cell_len(ligne)
        if reste > 0:
            ligne += " " * reste
        return Strip([Segment(ligne, style)])
