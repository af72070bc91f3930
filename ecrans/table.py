"""A DataTable whose plain one-line cells are drawn straight to segments.

Textual's DataTable renders every visible cell through Rich (padding, styling, wrapping):
refilling 50 rows costs tens of milliseconds, most of a search keystroke. Here a cell that
is plain text (a str, or a Text without spans) on a one-line row becomes one segment,
padded or cropped to the column and justified as its Text asks; anything else (styled text,
other renderables, taller rows) goes through DataTable's own rendering. Same API, same keys.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.widgets import DataTable


class TableRapide(DataTable):
    def _render_cell(self, row_index: int, column_index: int, base_style: Style, width: int,
                     cursor: bool = False, hover: bool = False):  # noqa: ANN201
        if row_index < 0 or column_index < 0:  # header and labels: as DataTable does
            return super()._render_cell(row_index, column_index, base_style, width, cursor,
                                        hover)
        row_key = self._row_locations.get_key(row_index)
        row = self.rows.get(row_key)
        if row is None or row.height != 1:
            return super()._render_cell(row_index, column_index, base_style, width, cursor,
                                        hover)
        column_key = self._column_locations.get_key(column_index)
        cle = (row_key, column_key, base_style, cursor, hover, self._show_hover_cursor,
               self._update_count, self._pseudo_class_state)
        lignes = self._cell_render_cache.get(cle)
        if lignes is not None:
            return lignes
        valeur = self._data.get(row_key, {}).get(column_key)
        if isinstance(valeur, Text) and not valeur.spans and not valeur.style:
            texte, justification = valeur.plain, valeur.justify
        elif isinstance(valeur, str) and "[" not in valeur:
            texte, justification = valeur, None
        else:
            return super()._render_cell(row_index, column_index, base_style, width, cursor,
                                        hover)
        fixe = row_index < self.fixed_rows or column_index < self.fixed_columns
        style_composant, style_apres = self._get_styles_to_render_cell(
            False, False, fixe, hover, cursor, self.show_cursor, self._show_hover_cursor,
            self.cursor_foreground_priority == "css", self.cursor_background_priority == "css")
        style = (base_style + Style.from_meta({"row": row_index, "column": column_index})
                 + style_composant + style_apres)
        marge = self.cell_padding
        utile = max(width - 2 * marge, 0)
        texte = texte.replace("\n", " ")
        if cell_len(texte) < utile and justification in ("right", "center"):
            vide = utile - cell_len(texte)
            gauche = vide if justification == "right" else vide // 2
            texte = " " * gauche + texte
        contenu = " " * marge + set_cell_size(texte, utile) + " " * marge
        lignes = [[Segment(set_cell_size(contenu, width), style)]]
        self._cell_render_cache[cle] = lignes
        return lignes
