"""Text that a person typed is data, never markup: the widgets that show it read no markup.

Textual reads a str as markup in a Static, a Label, a DataTable cell, an option, a Select's
prompt, a toggle's label, a palette hit and a notification: "[/kg]" raises MarkupError,
"[@click=app.quit]" becomes a link, "[b]x[/b]" turns bold. The app's own strings use no
markup either (styles are Text spans and .tcss), so the widgets below read none. Screens
import them from here instead of `textual.widgets`, and DataTable from `ecrans.table`
(tests/test_balisage.py checks it). Where Textual reads a str as markup with no switch (a
Checkbox's label, a SelectionList's prompt, a palette hit), pass `brut(...)`.
Notifications: `GuichetApp.notify`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual import widgets
from textual.content import Content


def brut(valeur: object) -> Content:
    """The value as plain text (None: empty), for a place that would read a str as markup."""
    return Content("" if valeur is None else str(valeur))


def indication(touches: str) -> str:
    """A title's key hint, « (PgPréc / PgSuiv : mois ; g : régie) », as one word: too long
    for the title's line (80 columns), it goes whole to the next line rather than cut
    after « mois ; » (compat_textual.MOT_FRANCAIS keeps no-break spaces together)."""
    return "(" + touches.replace(" ", "\u00a0") + ")"


class Static(widgets.Static):
    """A Static that shows its text as is."""

    def __init__(self, content: Any = "", *, markup: bool = False, **kwargs: Any) -> None:
        super().__init__(content, markup=markup, **kwargs)


class ErreurChamp(Static):
    """The French message under a field: shown while it says something, hidden when empty
    (`.erreur-champ` takes no line until then)."""

    DEFAULT_CLASSES = "erreur-champ"

    def update(self, content: Any = "", *, layout: bool = True) -> None:
        super().update(content, layout=layout)
        self.display = bool(str(content))


class Label(widgets.Label):
    """A Label that shows its text as is."""

    def __init__(self, content: Any = "", *, markup: bool = False, **kwargs: Any) -> None:
        super().__init__(content, markup=markup, **kwargs)


class OptionList(widgets.OptionList):
    """An OptionList whose str options show as is."""

    def __init__(self, *content: Any, markup: bool = False, **kwargs: Any) -> None:
        super().__init__(*content, markup=markup, **kwargs)


def _prompts(options: Iterable[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    # Text, not Content: the Select's type-to-search reads a str or a Text.
    return [(Text(p) if isinstance(p, str) else p, v) for p, v in options]


class Select(widgets.Select):
    """A Select whose str prompts show as is."""

    def __init__(self, options: Iterable[tuple[Any, Any]], **kwargs: Any) -> None:
        super().__init__(_prompts(options), **kwargs)

    def set_options(self, options: Iterable[tuple[Any, Any]]) -> None:
        super().set_options(_prompts(options))
