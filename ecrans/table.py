"""Tables: one whose cells are data, and tables that draw fast.

`DataTable` is Textual's, with str cells shown as typed (Textual reads them as markup).
`TableLignes` is a list that draws its own lines, as the planning grid and the footer do:
for the plain-text lists refilled at each keystroke or year (the search results, the
relevé's operations). Textual's DataTable renders every visible cell through Rich (padding,
styling, wrapping): refilling 50 rows costs tens of milliseconds.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

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


def _plier(valeur: CellType, largeur: int) -> CellType:
    """A cell's text broken into lines of `largeur` at its spaces, not inside a figure:
    Rich also breaks at the narrow no-break space between thousands (« 1 / 700,00 € »),
    textwrap only at ASCII whitespace. A Text styled in parts is left to Rich."""
    if isinstance(valeur, str):
        texte = Text(valeur, end="")
    elif isinstance(valeur, Text) and not valeur.spans:
        texte = valeur
    else:
        return valeur
    if texte.cell_len <= largeur:
        return texte
    lignes = textwrap.wrap(texte.plain, largeur, break_on_hyphens=False)
    return Text("\n".join(lignes), style=texte.style, justify=texte.justify, end="")


class DataTable(DataTableTextual):
    """A DataTable whose str cells show as typed, never read as markup (ecrans/texte.py);
    the column labels are ours."""

    def add_row(
        self, *cells: CellType, height: int | None = 1, key: str | None = None, label: Any = None
    ) -> RowKey:
        colonnes = self.ordered_columns
        if height is None and all(not c.auto_width for c in colonnes):
            # Columns of a width each (colonnes_partagees): long texts on several lines.
            valeurs = [_plier(v, c.width) for v, c in zip(cells, colonnes, strict=False)]
            return super().add_row(*valeurs, height=None, key=key, label=label)
        return super().add_row(*map(_cellule, cells), height=height, key=key, label=label)

    def update_cell(
        self,
        row_key: RowKey | str,
        column_key: ColumnKey | str,
        value: CellType,
        *,
        update_width: bool = False,
    ) -> None:
        super().update_cell(row_key, column_key, _cellule(value), update_width=update_width)

    def update_cell_at(
        self, coordinate: Coordinate, value: CellType, *, update_width: bool = False
    ) -> None:
        super().update_cell_at(coordinate, _cellule(value), update_width=update_width)

    def colonnes_partagees(self, largeur: int, colonnes: Sequence[tuple[str, int | None]]) -> None:
        """Columns within `largeur`: those given a width keep it, the others (None) share
        what is left; rows added with `height=None` wrap a long value on their lines, so
        nothing runs off the right edge (80 columns). Clears the rows; titles longer than
        their column take two lines."""
        self.clear(columns=True)
        # The table's margins; a cell of padding on either side of each column; two more
        # for the scrollbar.
        largeur -= self.styles.margin.width
        reste = largeur - 2 * len(colonnes) - 2 - sum(n for _, n in colonnes if n)
        souples = sum(1 for _, n in colonnes if n is None)
        partage = max(reste // max(souples, 1), 8)
        largeurs = [n or partage for _, n in colonnes]
        titres = [titre for titre, _ in colonnes]
        self.header_height = 2 if any(map(lambda t, n: len(t) > n, titres, largeurs)) else 1
        for titre, n in zip(titres, largeurs, strict=True):
            self.add_column(titre, width=n)


def sans_touches(bindings: Iterable[Any], *touches: str) -> list[Any]:
    """A widget's bindings without those of `touches`, which it leaves to its screen (for
    a subclass declared with `inherit_bindings=False`)."""
    return [b for b in bindings if b.key not in touches]


class DataTableSansPages(DataTable, inherit_bindings=False):
    """A DataTable whose PgPréc and PgSuiv are left to its screen (a month, a year, a day):
    plain bindings of the screen then, matched through the focus even for a PgSuiv typed
    together with the F-key that opens it (a priority binding is matched when the key
    arrives, while the screen below is still shown, and the key was lost)."""

    BINDINGS = [
        *sans_touches(DataTableTextual.BINDINGS, "pageup", "pagedown", "home", "end"),
        # Début / Fin: the first and last row, as in the app's own lists (DataTable scrolls
        # sideways with them: F6's 48,889 families were reached only by the arrows); a
        # page with ctrl, PgPréc / PgSuiv being the screen's.
        Binding("home", "scroll_top", "Première ligne", show=False),
        Binding("end", "scroll_bottom", "Dernière ligne", show=False),
        Binding("ctrl+pageup", "page_up", "Page préc.", show=False),
        Binding("ctrl+pagedown", "page_down", "Page suiv.", show=False),
    ]


# (the order of StylesLignes's component fields)
_COMPOSANTS = ("table--entete", "table--curseur", "table--pair", "table--detail")


class StylesLignes(NamedTuple):
    """The styles a drawing of the lines uses, computed once per drawing (render_lines)."""

    ligne: Style
    entete: Style
    curseur: Style
    pair: Style
    detail: Style
    barre: Style
    pouce: Style


class TableLignes(Widget, can_focus=True):
    """A list of rows that draws its own lines: a header line, the rows, a row cursor.

    For read-only lists refilled often (search results, a relevé). A refill keeps the rows
    as tuples of strings and repaints this one widget: no cell objects, no Rich rendering,
    and no layout pass unless its height follows its rows (height auto) and their number
    changed. It scrolls by itself and draws its own scrollbar, so that a refill does not
    also repaint scrollbar widgets in a later frame. The look and keys are a row-cursor
    DataTable's; Enter, or a click on the cursor's row, posts `LigneChoisie` with the key.
    """

    COMPONENT_CLASSES = {"table--entete", "table--curseur", "table--pair", "table--detail"}
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
        & > .table--detail {
            color: $text-muted;
            text-style: italic;
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

    def __init__(
        self,
        *colonnes: str,
        droite: Iterable[str] = (),
        abandon: Iterable[str] = (),
        lignes_detail: int = 1,
        zebre: bool = False,
        **kwargs,
    ) -> None:
        """`colonnes`: the header's labels; `droite`: those whose cells are right-justified
        (amounts), never shortened; `abandon`: the columns left out when the width lacks,
        the first listed first; `zebre`: every other row shaded.

        What is left out or shortened shows in a detail under the rows (`lignes_detail`
        lines at most), for the cursor's row: the columns left out last come first."""
        super().__init__(**kwargs)
        self._definir(colonnes, droite, abandon)
        self._lignes_detail = lignes_detail
        self._detail = 0  # lines of the detail: 0 when everything shows
        self._place_barre = 0
        self._cle_page: tuple = ()
        self._version = 0  # counts the refills
        self.zebre = zebre
        self._cles: list[str] = []
        self._lignes: list[tuple[str, ...]] = []
        self._curseur = 0
        self._haut = 0  # first row shown
        self._gauche = 0  # first column of cells shown (the table wider than the widget)
        self._cache: dict[int, Strip] = {}  # row rank (-1: header) → its whole line
        self._cle_cache: tuple = ()
        self._base: StylesLignes | None = None  # the styles of the lines drawn (render_lines)

    def _definir(
        self, colonnes: Sequence[str], droite: Iterable[str], abandon: Iterable[str]
    ) -> None:
        self.colonnes = list(colonnes)
        droites = set(droite)
        self._droite = [c in droites for c in colonnes]
        self._abandon = [self.colonnes.index(c) for c in abandon if c in self.colonnes]
        self._largeurs = [cell_len(c) + 2 * MARGE for c in colonnes]
        # The layout for the content's size: columns shown, their widths, a detail line, a
        # scrollbar; computed again when the size or the rows change.
        self._montrees = list(range(len(colonnes)))
        self._places = list(self._largeurs)

    def definir_colonnes(
        self, *colonnes: str, droite: Iterable[str] = (), abandon: Iterable[str] = ()
    ) -> None:
        """Other columns (a list whose columns follow a filter); `remplir` comes next."""
        self._definir(colonnes, droite, abandon)
        self._lignes, self._cles = [], []

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
        self._version += 1
        detail = self._detail
        self._mettre_en_page()
        # A height that follows the rows needs a layout pass when their number changes (or
        # the detail line comes or goes); otherwise only this widget's lines are drawn again.
        hauteur = self.styles.height
        suit = hauteur is None or hauteur.is_auto
        self.refresh(layout=suit and (len(self._lignes) != ancien or self._detail != detail))

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
        montrees, places = self._disposer(width)
        return 1 + len(self._lignes) + self._a_detail(montrees, places)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return sum(self._largeurs)

    # --- columns that fit ------------------------------------------------------------------

    def _disposer(self, largeur: int) -> tuple[list[int], list[int]]:
        """The columns shown in a width and their widths: the columns that may go are left
        out in their order until the rest fits; then the widest text columns are shortened,
        down to their header; the figures (right-justified) never are."""
        places = list(self._largeurs)
        montrees = list(range(len(places)))
        total = sum(places)
        minimum = [
            min(p, max(cell_len(c), 6) + 2 * MARGE)
            for p, c in zip(places, self.colonnes, strict=True)
        ]
        derniere = None
        for i in self._abandon:
            if total <= largeur:
                break
            montrees.remove(i)
            total -= places[i]
            derniere = i
        if derniere is not None and largeur - total >= minimum[derniere]:
            # The room left shows the last one left out, shortened.
            places[derniere] = largeur - total
            total = largeur
            montrees = sorted([*montrees, derniere])
        minimum = {i: minimum[i] for i in montrees if not self._droite[i]}
        while total > largeur:
            souples = sorted(
                (i for i in minimum if places[i] > minimum[i]),
                key=lambda i: places[i],
                reverse=True,
            )
            if not souples:
                break
            i = souples[0]
            suivante = places[souples[1]] if len(souples) > 1 else 0
            retrait = min(total - largeur, places[i] - max(minimum[i], suivante - 1))
            places[i] -= retrait
            total -= retrait
        return montrees, [places[i] for i in montrees]

    def _a_detail(self, montrees: list[int], places: list[int]) -> int:
        """The detail's lines when something is left out or shortened, else 0."""
        if not self._lignes:
            return 0
        manque = len(montrees) < len(self._largeurs) or any(
            p < self._largeurs[i] for i, p in zip(montrees, places, strict=True)
        )
        return self._lignes_detail if manque else 0

    def _mettre_en_page(self) -> None:
        """The layout for the content's size (kept until the size or the rows change)."""
        largeur, hauteur = self.content_size
        cle = (largeur, hauteur, self._version)
        if cle == self._cle_page:
            return
        self._cle_page = cle
        barre = 0
        while True:  # a scrollbar narrows the rows: at most once more
            montrees, places = self._disposer(largeur - barre)
            detail = self._a_detail(montrees, places)
            page = max(hauteur - 1 - detail, 1)
            besoin = self.styles.scrollbar_size_vertical if len(self._lignes) > page else 0
            if besoin <= barre:
                break
            barre = besoin
        self._montrees, self._places = montrees, places
        self._detail, self._place_barre = detail, barre

    @property
    def colonnes_visibles(self) -> list[str]:
        """The labels of the columns shown in the present width."""
        self._mettre_en_page()
        return [self.colonnes[i] for i in self._montrees]

    @property
    def detail(self) -> str:
        """What the cursor's row does not show in its cells (left out or shortened)."""
        self._mettre_en_page()
        if not self._detail or not self._lignes:
            return ""
        cellules = self._lignes[self._curseur]
        places = dict(zip(self._montrees, self._places, strict=True))
        # The columns shortened first (their start is on the row), then those left out,
        # the ones kept longest first.
        ordre = [
            *(i for i in self._montrees if i not in self._abandon),
            *(i for i in self._montrees if i in self._abandon),
            *(i for i in reversed(self._abandon) if i not in places),
        ]
        morceaux = []
        for i in ordre:
            texte = cellules[i]
            if texte and (i not in places or cell_len(texte) > places[i] - 2 * MARGE):
                morceaux.append(f"{self.colonnes[i]} : {texte}")
        # Too long for its lines: the longest piece goes last, so that the others show
        # whole (a request's channel and agent came after its long detail, and were cut).
        largeur = self.content_size.width - self._largeur_barre - 2 * MARGE
        place = self._detail * max(largeur, 1)
        if len(morceaux) > 1 and cell_len(" — ".join(morceaux)) > place:
            morceaux.append(morceaux.pop(max(range(len(morceaux)), key=lambda k: len(morceaux[k]))))
        return " — ".join(morceaux)

    # --- keys and mouse --------------------------------------------------------------------

    @property
    def _hauteur_page(self) -> int:
        """Rows shown below the header (and above the detail line)."""
        self._mettre_en_page()
        return max(self.content_size.height - 1 - self._detail, 1)

    def action_deplacer(self, decalage: int) -> None:
        self.move_cursor(self._curseur + decalage)

    def action_page(self, sens: int) -> None:
        self.move_cursor(self._curseur + sens * self._hauteur_page)

    def action_aller(self, rang: int) -> None:
        self.move_cursor(rang if rang >= 0 else len(self._lignes) - 1)

    def action_decaler(self, colonnes: int) -> None:
        """Shift the cells sideways when the table is wider than the widget."""
        depasse = sum(self._places) - (self.content_size.width - self._largeur_barre)
        gauche = max(0, min(self._gauche + colonnes, depasse))
        if gauche != self._gauche:
            self._gauche = gauche
            self.refresh()

    def action_choisir(self) -> None:
        if self._lignes:
            self.post_message(self.LigneChoisie(self, self._cles[self._curseur], self._curseur))

    def _rang_en(self, y: int) -> int | None:
        rang = y - 1 + self._haut
        return rang if 1 <= y <= self._hauteur_page and rang < len(self._lignes) else None

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
        self._mettre_en_page()
        base = StylesLignes(
            self.rich_style,
            *(self.get_component_rich_style(c) for c in _COMPOSANTS),
            *self._styles_barre(),
        )
        cle = (self._cle_page, base)
        if cle != self._cle_cache:
            self._cache.clear()
            self._cle_cache = cle
        self._base = base
        return super().render_lines(crop)

    def _styles_barre(self) -> tuple[Style, Style]:
        """The scrollbar's background and thumb, as a DataTable's."""
        styles = self.styles
        fond = styles.scrollbar_background
        if fond.a < 1:
            fond = self.background_colors[0] + fond
        return (
            Style(bgcolor=fond.rich_color),
            Style(bgcolor=(fond + styles.scrollbar_color).rich_color),
        )

    def _styles(self) -> StylesLignes:
        """The styles computed for this drawing (render_lines), or now if a line is drawn
        alone."""
        if self._base is None:
            self._base = StylesLignes(
                self.rich_style,
                *(self.get_component_rich_style(c) for c in _COMPOSANTS),
                *self._styles_barre(),
            )
        return self._base

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
            if 1 <= y <= self._hauteur_page:
                self.refresh(Region(0, y, self.size.width, 1))
        if self._detail:  # the detail follows the cursor
            self.refresh(Region(0, self._y_detail, self.size.width, self._detail))

    @property
    def _y_detail(self) -> int:
        """The detail's first line: right under the rows shown."""
        return 1 + min(len(self._lignes) - self._haut, self._hauteur_page)

    @property
    def _largeur_barre(self) -> int:
        """Width of the scrollbar: only when the rows do not all fit."""
        self._mettre_en_page()
        return self._place_barre

    def render_line(self, y: int) -> Strip:
        largeur, hauteur = self.content_size
        barre = self._largeur_barre
        utile = largeur - barre
        if y == 0:
            rang = -1
        else:
            rang = y - 1 + self._haut
        if self._detail and 0 <= y - self._y_detail < self._detail:
            strip = self._dessiner_detail(utile, y - self._y_detail)
        elif rang >= len(self._lignes) or y > self._hauteur_page:
            strip = Strip.blank(utile, self._styles().ligne)
        else:
            strip = self._cache.get(rang)
            if strip is None:
                strip = self._cache[rang] = self._dessiner(self._styles(), rang, utile)
            if self._gauche or strip.cell_length > utile:
                strip = strip.crop(self._gauche, self._gauche + utile)
        if barre:
            strip = Strip([*strip, self._barre(y, hauteur, barre)])
        return strip

    def _barre(self, y: int, hauteur: int, largeur: int) -> Segment:
        """A line of the scrollbar, as a DataTable's: its thumb shows the lines in view."""
        base = self._styles()
        total = len(self._lignes) + 1
        pouce = max(1, round(hauteur * hauteur / total))
        debut = round((hauteur - pouce) * self._haut / max(total - hauteur, 1))
        return Segment(" " * largeur, base.pouce if debut <= y < debut + pouce else base.barre)

    def _dessiner(self, base: StylesLignes, rang: int, largeur: int) -> Strip:
        """The whole line of a row (rank -1: the header), extended to the widget's width,
        in the styles of `base` (computed once for the lines drawn together)."""
        if rang < 0:
            style = base.entete
            cellules = self.colonnes
        else:
            style = base.pair if self.zebre and rang % 2 == 0 else base.ligne
            if rang == self._curseur:
                style = style + base.curseur
            cellules = self._lignes[rang]
        marge = " " * MARGE
        morceaux = []
        for i, place in zip(self._montrees, self._places, strict=True):
            texte, droite = cellules[i], self._droite[i]
            place -= 2 * MARGE
            vide = place - cell_len(texte)
            if vide < 0:
                texte = set_cell_size(texte, place - 1) + "…"
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

    def _dessiner_detail(self, largeur: int, rang: int) -> Strip:
        """A line of the detail: the cursor row's cells left out or shortened, folded on
        the detail's lines, the last one ending with "…" when it is still longer."""
        place = max(largeur - 2 * MARGE, 1)
        lignes = Text(self.detail).wrap(self.app.console, place)
        texte = lignes[rang].plain.rstrip() if rang < len(lignes) else ""
        if rang == self._detail - 1 and len(lignes) > self._detail:
            texte = (set_cell_size(texte, place - 1) if cell_len(texte) >= place else texte) + "…"
        texte = " " * MARGE + set_cell_size(texte, largeur - MARGE)
        return Strip([Segment(texte, self._styles().detail)])


class TableSansPages(TableLignes, inherit_bindings=False):
    """A TableLignes whose PgPréc and PgSuiv are left to the widgets around it (the Relevé's
    school year): matched through the focus, and shown in the footer, as theirs."""

    BINDINGS = sans_touches(TableLignes.BINDINGS, "pageup", "pagedown")
