"""The footer of the keys, as one widget that draws its line directly.

Textual's Footer is a row of small widgets, one per key, rebuilt at every focus or binding
change: some twenty-five widgets removed, mounted and styled again, which was most of the
time a family file took to open or a tab to show. This footer shows the same keys (one per
action, the command palette's at the end) in one line of text, redrawn only when they
change; a click on a key presses it, as with Textual's.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class PiedDePage(Widget):
    DEFAULT_CSS = """
    PiedDePage {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    PiedDePage > .pied--touche {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    PiedDePage > .pied--description {
        color: $footer-description-foreground;
    }
    PiedDePage > .pied--inactive {
        text-style: dim;
    }
    """
    COMPONENT_CLASSES = {"pied--touche", "pied--description", "pied--inactive"}

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self._touches: tuple = ()
        self._positions: list[tuple[int, int, str]] = []  # (start, end, key) for clicks

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._changees)

    def _changees(self, screen: Screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        touches = self._lire(screen)
        if touches != self._touches:
            self._touches = touches
            self.refresh()

    def _lire(self, screen: Screen) -> tuple:
        """(key, display, description, enabled) of each key shown, one per action, the
        command palette's last."""
        app = self.app
        par_action: dict[str, tuple] = {}
        palette = None
        for cle, (_, binding, enabled, _aide) in screen.active_bindings.items():
            if cle == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = (binding.key, app.get_key_display(binding), binding.description,
                           enabled)
                continue
            if binding.show:
                par_action.setdefault(binding.action, (
                    binding.key, app.get_key_display(binding), binding.description, enabled))
        return tuple(par_action.values()) + ((palette,) if palette else ())

    def render(self) -> Text:
        if not self._touches and self.is_attached:
            self._touches = self._lire(self.screen)
        texte = Text(no_wrap=True, overflow="crop")
        touche = self.get_component_rich_style("pied--touche", partial=True)
        description = self.get_component_rich_style("pied--description", partial=True)
        inactive = self.get_component_rich_style("pied--inactive", partial=True)
        self._positions = []
        for key, affichage, libelle, actif in self._touches:
            debut = len(texte)
            texte.append(f" {affichage} ", touche + inactive if not actif else touche)
            if libelle:
                texte.append(f"{libelle} ", description + inactive if not actif else description)
            self._positions.append((debut, len(texte), key))
        return texte

    def on_click(self, event: events.Click) -> None:
        for debut, fin, key in self._positions:
            if debut <= event.x < fin:
                self.app.simulate_key(key)
                return
