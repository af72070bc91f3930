"""The footer of the keys, built again only when the keys change.

Textual's Footer rebuilds all its keys at every focus or binding change, and each key then
restyles itself once (its `compact` follows the footer's): on a family file that was most
of the time the file took to open. This one keeps its keys while the shown bindings stay
the same, and is compact (the keys' own default, so nothing restyles; more keys fit).
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class PiedDePage(Footer):
    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        kwargs.setdefault("compact", True)
        super().__init__(**kwargs)
        self._montrees: tuple | None = None

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        montrees = tuple((binding.key, binding.description, enabled, tooltip)
                         for _, binding, enabled, tooltip in screen.active_bindings.values()
                         if binding.show)
        if montrees != self._montrees:
            self._montrees = montrees
            self.call_after_refresh(self.recompose)
