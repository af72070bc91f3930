"""The footer of the keys, as one widget that draws its line directly.

Textual's Footer is a row of small widgets, one per key, rebuilt at every focus or binding
change: some twenty-five widgets removed, mounted and styled again, which was most of the
time a family file took to open or a tab to show. This footer shows the same keys (one per
action, the command palette's at the end) in one line of text, redrawn only when they
change; a click on a key presses it, as with Textual's.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.screen import Screen
from textual.strip import Strip
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

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._touches: tuple = ()
        self._positions: list[tuple[int, int, str]] = []  # (start, end, key) for clicks
        self._cle: tuple = ()
        self._ligne = Strip([])

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
                palette = (binding.key, app.get_key_display(binding), binding.description, enabled)
                continue
            if binding.show:
                par_action.setdefault(
                    binding.action,
                    (binding.key, app.get_key_display(binding), binding.description, enabled),
                )
        # The key that lists every key first: what does not fit is one key away.
        aide = par_action.pop("aide_touches", None)
        return (
            ((aide,) if aide else ()) + tuple(par_action.values()) + ((palette,) if palette else ())
        )

    def render_line(self, y: int) -> Strip:
        # The line is built from its segments and kept while the keys, the width and the
        # styles stay: a repaint of the screen around it (a tab switch) draws nothing here.
        if not self._touches and self.is_attached:
            self._touches = self._lire(self.screen)
        base = self.rich_style
        styles = tuple(
            self.get_component_rich_style(c, partial=True)
            for c in ("pied--touche", "pied--description", "pied--inactive")
        )
        largeur = self.size.width
        cle = (largeur, base, styles, self._touches)
        if cle != self._cle:
            self._cle, self._ligne = cle, self._dessiner(largeur, base, *styles)
        return self._ligne if y == 0 else Strip.blank(largeur, base)

    def _dessiner(
        self, largeur: int, base: Style, touche: Style, description: Style, inactive: Style
    ) -> Strip:
        """The keys as one line of segments: what a Text of them would draw."""
        segments = []
        position = 0
        self._positions = []
        for key, affichage, libelle, actif in self._touches:
            debut = position
            morceau = f" {affichage} "
            segments.append(Segment(morceau, base + (touche if actif else touche + inactive)))
            position += len(morceau)
            if libelle:
                morceau = f"{libelle} "
                segments.append(
                    Segment(morceau, base + (description if actif else description + inactive))
                )
                position += len(morceau)
            self._positions.append((debut, position, key))
        # A key that does not fit goes whole, its description with it ("i Imprimer la"
        # said nothing): F1, first, lists them all. No style runs on past the last word.
        texte = "".join(segment.text for segment in segments)
        fin = len(texte)
        if cell_len(texte) > largeur:
            entieres = [f for _, f, _ in self._positions if cell_len(texte[: f - 1]) <= largeur]
            fin = len(texte[: entieres[-1]].rstrip(" ")) if entieres else largeur
            self._positions = self._positions[: len(entieres)]
        fond = Style.from_color(bgcolor=base.bgcolor)
        return Strip(segments).crop(0, fin).adjust_cell_length(largeur, fond).simplify()

    def on_click(self, event: events.Click) -> None:
        for debut, fin, key in self._positions:
            if debut <= event.x < fin:
                self.app.simulate_key(key)
                return
