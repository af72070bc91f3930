"""Every private name of Textual the app relies on, in one place, each with its test
(tests/test_compat_textual.py). Textual is pinned to a minor release in pyproject.toml; a new
release is taken once these tests pass on it.
"""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.events import Mount
from textual.keys import _character_to_key
from textual.message_pump import MessagePump
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen
    from textual.widgets import TabbedContent

    from ecrans.table import DataTable


def rendu_ecran(app: App) -> list[list[tuple[str, object]]]:
    """The screen as the terminal gets it: each line's segments (text, Rich style), from a
    full render of the screen's compositor (tests compare colours)."""
    from textual._context import visible_screen_stack

    visible_screen_stack.set(app._background_screens)
    return [
        [(segment.text, segment.style) for segment in strip]
        for strip in app.screen._compositor.render_strips()
    ]


def texte_ecran(app: App) -> str:
    """The screen as plain text, line by line, as the terminal shows it (snapshot tests):
    what `App.export_screenshot` renders through the screen's private compositor, exported
    as text instead of SVG."""
    import io

    from rich.console import Console

    largeur, hauteur = app.size
    console = Console(
        width=largeur,
        height=hauteur,
        file=io.StringIO(),
        force_terminal=True,
        color_system=None,
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    lignes = [ligne.rstrip() for ligne in console.export_text().splitlines()][:hauteur]
    return "\n".join(lignes + [""] * (hauteur - len(lignes)))


def touche(caractere: str) -> str:
    """The key name Textual gives a typed character ("a", "full_stop", "space")."""
    return caractere if caractere.isalnum() else _character_to_key(caractere)


def notifications(app: App) -> list[str]:
    """The texts of the notifications the app shows now (tests read them)."""
    return [n.message for n in app._notifications]


def construire_ecran(app: App, ecran: Screen) -> bool:
    """Compose and mount an installed screen before it is pushed (what push_screen does
    first). False if this Textual has no such step: the screen is built when pushed."""
    try:
        app._get_screen(ecran)
    except AttributeError:
        return False
    return True


def disposer_ecran(ecran: Screen, largeur: int, hauteur: int) -> bool:
    """Lay out a screen that is not shown at a size (the app's): its widgets learn their
    sizes, and get their Resize, as when it is shown; nothing is drawn on the terminal.
    False if this Textual cannot: the sizes come when the screen is shown."""
    from textual.geometry import Size

    try:
        disposer = ecran._refresh_layout
    except AttributeError:
        return False
    if ecran.is_current:
        return False
    disposer(Size(largeur, hauteur))
    return True


def disposition_faite(ecran: Screen) -> None:
    """A screen not shown just laid out whole (`disposer_ecran`): the layout its widgets
    asked for before is done, not to be done again when it is shown."""
    if not ecran.is_current and hasattr(ecran, "_layout_required"):
        ecran._layout_required = False


def mesurer_table(table: DataTable) -> None:
    """A DataTable's rows measured now, as its next idle would (its `_on_idle`): its
    height then follows its rows at the next layout, so that a scroll computed after that
    layout is not off by the lines the table grows later."""
    if table._require_update_dimensions:
        table._require_update_dimensions = False
        nouvelles = table._new_rows.copy()
        table._new_rows.clear()
        table._update_dimensions(nouvelles)


def liste_deroulante_en_francais() -> None:
    """The open list of a Select says « Fermer la liste » in the footer, not Textual's
    « Dismiss menu » (its overlay, textual.widgets._select.SelectOverlay, merges its
    bindings when the class is made: merged again here)."""
    from textual.binding import Binding
    from textual.widgets._select import SelectOverlay

    SelectOverlay.BINDINGS = [Binding("escape", "dismiss", "Fermer la liste")]
    SelectOverlay._merged_bindings = SelectOverlay._merge_bindings()


def souligner(onglets: TabbedContent, ident: str) -> None:
    """Put the underline under the tab `ident` at once, without its slide (Tabs moves it in
    a later frame, where it then finds it in place)."""
    tab = onglets.get_tab(ident)
    start, end = tab.virtual_region.shrink(tab.styles.gutter).column_span
    # (the tabs' bar only, not every pane's widgets: TabbedContent's first child)
    for trait in onglets.children[0].query("Underline"):  # (textual.widgets._tabs.Underline)
        trait.highlight_start, trait.highlight_end = start, end


def soulignement(onglets: TabbedContent) -> tuple[int, int]:
    """Where the underline is now (columns), for tests."""
    trait = onglets.query_one("Underline")
    return trait.highlight_start, trait.highlight_end


def cases_lisibles_sans_couleur() -> None:
    """A ticked checkbox draws "X" and a set radio button "●"; unset ones draw a blank.
    Textual draws the same glyph either way, coloured by the value: invisible on a
    monochrome terminal or to a colour-blind agent. (BUTTON_INNER is public; making it
    follow the value relies on Textual reading it at each render.)"""
    from textual.widgets import Checkbox, RadioButton

    Checkbox.BUTTON_INNER = property(lambda self: "X" if self.value else " ")  # type: ignore
    RadioButton.BUTTON_INNER = property(  # type: ignore[assignment]
        lambda self: "\u25cf" if self.value else " "
    )


AUCUN_RESULTAT = "Aucun résultat"


class PaletteEnFrancais(CommandPalette):
    """The command palette, saying « Aucun résultat » where Textual's says "No matches
    found" (a private step of CommandPalette, the same in Textual 8.2 but for the text)."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def _aucun_resultat() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(AUCUN_RESULTAT, style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                # nothing typed: no "no result" to tell
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, _aucun_resultat)


# --- the safety net ------------------------------------------------------------------------
# Textual ends the app on any exception raised in a message handler, an action, a timer or a
# callback (App._handle_exception), and a handler's exception also stops its widget's message
# loop for good. An app that installs a net has such exceptions handed to it instead, and both
# the app and the widget go on.

_dispatch_origine = MessagePump._dispatch_message


async def _dispatch_garde(self: MessagePump, message) -> None:
    app = _app(self)
    if type(message) is Mount and (
        getattr(self, "_pruning", False) or self._closing or getattr(app, "_exit", False)
    ):
        # Removed before it mounted (a screen built ahead, whose agent logged out, or the
        # app ending meanwhile): its handlers would look up widgets already gone. (Awaiters
        # of its mounting are released all the same: Textual sets that in a `finally`.)
        return
    avant = getattr(app, "enregistrements", None)  # what the handler itself commits
    try:
        await _dispatch_origine(self, message)
    except (asyncio.CancelledError, KeyboardInterrupt, SystemExit):
        raise
    except Exception as erreur:
        filet = getattr(app, "_filet_de_securite", None)
        if filet is None:
            raise
        filet(erreur, avant)


def _app(pompe: MessagePump):
    try:
        return pompe.app
    except Exception:
        return None


def installer_filet(app_cls: type[App], gerer: str) -> None:
    """From now on an exception that would end an app of `app_cls` is passed to its method
    `gerer(erreur, avant) -> bool` instead: True when handled (the app goes on), False to let
    Textual end the app as usual; `avant` is the app's `enregistrements` when the failing
    handler began (None where Textual reports it: a worker, a timer, a drawing). Apps of
    other classes are untouched."""
    if MessagePump._dispatch_message is not _dispatch_garde:
        MessagePump._dispatch_message = _dispatch_garde  # type: ignore[method-assign]
    origine = app_cls._handle_exception

    def _handle_exception(self: App, error: Exception) -> None:
        if not getattr(self, gerer)(error, None):
            origine(self, error)

    app_cls._handle_exception = _handle_exception  # type: ignore[method-assign]

    def _filet_de_securite(self: App) -> Callable[[BaseException, int | None], None]:
        def recevoir(erreur: BaseException, avant: int | None) -> None:
            if not getattr(self, gerer)(erreur, avant):
                origine(self, erreur)

        return recevoir

    app_cls._filet_de_securite = property(_filet_de_securite)  # type: ignore[attr-defined]


# --- styles computed once, at mount ----------------------------------------------------------


def styles_au_montage() -> None:
    """A widget not yet mounted is not restyled when a class changes: Textual restyles a node
    at once when its classes change (`update_node_styles`), even before it is mounted (a
    compact Input, Select or RadioSet sets its class in its constructor: 5–15 ms each under
    load, in every dialog), and styles it again when it is mounted (App._register applies
    the stylesheet to each widget registered). The App and mounted widgets are unchanged."""
    from textual.dom import DOMNode
    from textual.widget import Widget

    if getattr(DOMNode.update_node_styles, "_au_montage", False):
        return
    origine = DOMNode.update_node_styles

    def update_node_styles(self: DOMNode, animate: bool = True) -> None:
        if isinstance(self, Widget) and not self.is_attached:
            return  # (styled when mounted)
        origine(self, animate)

    update_node_styles._au_montage = True  # type: ignore[attr-defined]
    DOMNode.update_node_styles = update_node_styles  # type: ignore[method-assign]


# --- one frame drawn, not two, when a screen is laid out and repainted --------------------


def un_rendu_par_image() -> None:
    """A screen whose layout and whole repaint are both due (a screen shown: its resume asks
    for a repaint, its widgets filled ask for a layout) draws the screen once: Textual's
    update draws the regions the layout changed, then the whole screen again (two full
    frames of a dialog over the family file, each tinting every segment beneath). The
    screen is added to what the layout draws (its whole region), and the repaint is then
    done."""
    from textual.screen import Screen

    if getattr(Screen._on_timer_update, "_un_rendu", False):
        return
    origine = Screen._on_timer_update

    def _on_timer_update(self: Screen) -> None:
        if self._layout_required and self._repaint_required:
            self._dirty_widgets.add(self)  # (drawn whole by the layout's update)
            self._repaint_required = False
        origine(self)

    _on_timer_update._un_rendu = True  # type: ignore[attr-defined]
    Screen._on_timer_update = _on_timer_update  # type: ignore[method-assign]


# --- a screen hidden under an opaque one draws nothing ------------------------------------


def fond_cache_non_redessine() -> None:
    """A screen under an opaque one (the search under the family file) is still among the
    app's "background screens" (Textual keeps the first opaque screen below the top one):
    a refresh of it (push_screen refreshes the screen it covers) repaints the top screen
    over the regions it touched, a whole second frame of the file that shows nothing new.
    Under an opaque top screen its regions are only kept dirty: it is repainted whole when
    shown again (its ScreenResume refreshes it)."""
    from textual.screen import Screen

    if getattr(Screen._compositor_refresh, "_fond_cache", False):
        return
    origine = Screen._compositor_refresh

    def _compositor_refresh(self: Screen) -> None:
        app = self.app
        dessus = app.screen
        if (
            self is not dessus
            and not app.is_inline
            and dessus.styles.background.a == 1
            and self in app._background_screens
        ):
            self._repaint_required = True  # (as Textual marks it, for its next showing)
            self._compositor._dirty_regions.clear()
            self._dirty_widgets.clear()
            return
        origine(self)

    _compositor_refresh._fond_cache = True  # type: ignore[attr-defined]
    Screen._compositor_refresh = _compositor_refresh  # type: ignore[method-assign]


# --- the backdrop of a dialog: tinted once, line by line --------------------------------------
# A screen with a translucent background (a dialog, F1, the cell's menu) shows the screen
# beneath tinted: Textual renders it as a Rich renderable (`BackgroundScreen`) at each repaint
# of the dialog's screen: every segment of the screen beneath tinted, restyled and split into
# lines again (~40 % of the drawing of F1 or the cell's menu). Here the same strips are made
# directly from the lines beneath, a style tinted once per style, and (`teinte_en_cache`) a
# line beneath unchanged since the last repaint keeps its tinted strip.

_FOND_STYLES_MAX = 4096
_fond_styles: dict[tuple, dict] = {}  # (tint, base style) -> {style beneath: style shown}
_fond_cache = {"actif": False, "direct": False}
_changes = itertools.count(1)  # (teinte_en_cache: changes told to compositors)


def _style_teinte(style, couleur, base, memo: dict):
    """The style a segment of the screen beneath is drawn with: what BackgroundScreen then
    the screen's base style (`_Styled`) make of it, computed once per style."""
    from rich.style import Style
    from textual.color import Color

    s = Style() if style is None else style.clear_meta_and_links()
    if couleur.a != 0:
        s = s + Style.from_color(
            (Color.from_rich_color(s.color) + couleur).rich_color if s.color is not None else None,
            (Color.from_rich_color(s.bgcolor) + couleur).rich_color
            if s.bgcolor is not None
            else None,
        )
    if base:
        s = base + s
    if len(memo) > _FOND_STYLES_MAX:
        memo.clear()
    memo[style] = s
    return s


def _ligne_teinte(strip, couleur, base, memo: dict):
    from rich.segment import Segment
    from textual.strip import Strip

    segments = []
    ajouter = segments.append
    trouver = memo.get
    for texte, style, controle in strip._segments:
        if controle or "\n" in texte:
            return None  # (not what the compositor draws: Textual's own way)
        teinte = trouver(style)
        if teinte is None:
            teinte = _style_teinte(style, couleur, base, memo)
        ajouter(Segment(texte, teinte))
    return Strip(segments, strip.cell_length)


def _etat_dessous(ecran) -> tuple | None:
    """What the backdrop of `ecran` depends on beneath it: each screen below it in the stack,
    its size and how many times its compositor was told of a change (`teinte_en_cache`)."""
    pile = ecran.app.screen_stack
    if ecran not in pile:
        return None
    etat = []
    for dessous in pile[: pile.index(ecran)]:
        compositeur = dessous._compositor
        etat.append((id(dessous), compositeur.size, getattr(compositeur, "_guichet_changes", 0)))
    return tuple(etat)


def _fond_direct(ecran, fond, largeur: int, hauteur: int):
    """The strips of the backdrop `fond` (a BackgroundScreen) over `ecran`, or None where
    Textual's own way must draw them."""
    base = ecran.visual_style.rich_style
    if base._meta is not None:
        return None
    couleur = fond.color
    cle = (id(fond.screen), couleur, base, largeur, hauteur)
    cache = getattr(ecran, "_guichet_fond", None) if _fond_cache["actif"] else None
    if cache is not None and cache[0] != cle:
        cache = None
    etat = _etat_dessous(ecran) if _fond_cache["actif"] else None
    if cache is not None and etat is not None and cache[1] == etat:
        return cache[3]  # (nothing beneath changed since: the same backdrop)
    memo = _fond_styles.get((couleur, base))
    if memo is None:
        if len(_fond_styles) > 64:
            _fond_styles.clear()
        memo = _fond_styles[(couleur, base)] = {}
    dessous = fond.screen._compositor.render_strips()[:hauteur]
    if any(strip.cell_length > largeur for strip in dessous):
        return None
    avant, rendus = (cache[2], cache[3]) if cache is not None else ((), ())
    lignes = []
    for y, strip in enumerate(dessous):
        if y < len(avant) and avant[y]._segments == strip._segments:
            lignes.append(rendus[y])  # (the same line beneath: the same tinted line)
            continue
        ligne = _ligne_teinte(strip, couleur, base, memo)
        if ligne is None:
            return None
        lignes.append(ligne)
    if _fond_cache["actif"]:
        ecran._guichet_fond = (cle, etat, dessous, lignes)
    return lignes


def fond_de_dialogue_direct(actif: bool = True) -> None:
    """A screen over another drawn through a translucent background: its backdrop's strips
    made directly from the lines beneath (the same segments and styles as Textual's
    BackgroundScreen rendered by Rich, each style tinted once). Anything else, or a text
    selection, an alignment, a link style: Textual's own way (`actif=False`: always, for
    tests)."""
    from textual.renderables.background_screen import BackgroundScreen
    from textual.screen import Screen
    from textual.visual import RichVisual
    from textual.widget import _RenderCache

    _fond_cache["direct"] = actif
    if getattr(Screen._render_content, "_fond_direct", False):
        return
    origine = Screen._render_content

    def _render_content(self: Screen) -> None:
        visual = self._render()
        fond = getattr(visual, "_renderable", None)
        if (
            _fond_cache["direct"]
            and type(visual) is RichVisual
            and type(fond) is BackgroundScreen
            and self.text_selection is None
            and self.styles.content_align == ("left", "top")
            and not (self.auto_links and not self.is_container)
        ):
            largeur, hauteur = self.size
            lignes = _fond_direct(self, fond, largeur, hauteur)
            if lignes is not None:
                self._render_cache = _RenderCache(self.size, lignes)
                self._dirty_regions.clear()
                return
        origine(self)

    _render_content._fond_direct = True  # type: ignore[attr-defined]
    Screen._render_content = _render_content  # type: ignore[method-assign]


def teinte_en_cache(actif: bool = True) -> None:
    """With `fond_de_dialogue_direct`: a dialog's screen keeps its backdrop, drawn again only
    once the screens beneath have changed (their compositor told of widgets to redraw, a
    layout, a size), and then only the lines beneath that differ from those it tinted last
    (same segments: same tinted line). A dialog opened again over the same family file, or
    repainted (each focus change repaints the screen), tints nothing again. `actif=False`:
    every repaint tints the whole backdrop (tests compare both)."""
    from textual._compositor import Compositor

    _fond_cache["actif"] = actif
    if getattr(Compositor.update_widgets, "_guichet", False):
        return

    def compter(origine):
        def methode(self, *args, **kwargs):
            # (one count for all compositors: a screen made anew, even at the same address,
            # never shows a count its predecessor had)
            self._guichet_changes = next(_changes)
            return origine(self, *args, **kwargs)

        methode._guichet = True  # type: ignore[attr-defined]
        return methode

    # Every way a compositor learns that what it draws changed (Textual 8.2).
    for nom in ("update_widgets", "reflow", "reflow_visible", "clear"):
        setattr(Compositor, nom, compter(getattr(Compositor, nom)))


# --- a widget removed after a scroll leaves no trace on the terminal ------------------------


def carte_paresseuse_sans_trace() -> None:
    """After a scroll, Textual lays out only what is visible and marks its full map of
    widgets stale; the map is rebuilt from the DOM at its next read. A widget removed
    meanwhile (an expired notification) and then read by any `refresh()` rebuilt the map
    without it, so the next layout compared against that map saw no change where it had
    been drawn: its text stayed on the terminal until a full repaint (a notification over
    the Relevé after a tab switch at 80×24, whose tab bar scrolls). The rebuild now marks
    as to be drawn where the widgets gone or moved since the last drawing were, and where
    a moved one is now, as a layout would."""
    from textual._compositor import Compositor

    propriete = Compositor.full_map
    if getattr(propriete.fget, "_sans_trace", False):
        return
    origine = propriete.fget

    def full_map(self: Compositor):
        if self.root is None or not self._full_map_invalidated:
            return origine(self)
        # What was last drawn: the visible map of the scroll's layout, else the full map.
        dessine = self._visible_map or self._full_map
        carte = origine(self)
        # Where each widget gone or moved was drawn, and where a moved one is now (a toast
        # gone, the one above it slides down): the layout to come compares with `carte`.
        changes = [(w, g) for w, g in dessine.items() if carte.get(w) != g]
        geometries = [g for _, g in changes] + [carte[w] for w, _ in changes if w in carte]
        self._dirty_regions.update(
            r for r in (g.clip.intersection(g.region) for g in geometries) if r
        )
        return carte

    full_map._sans_trace = True  # type: ignore[attr-defined]
    Compositor.full_map = property(full_map)  # type: ignore[method-assign,assignment]


# --- French line breaks: never before « € », « ? », « : », nor after « « » -----------------

# A word, as Rich's wrapping (and Textual's Content, which uses it) cuts lines between words:
# a no-break space (U+00A0, U+202F) is inside a word, and so is a space after « « » or before
# what French typography keeps with the word before it (» ? ! : ; € %).
MOT_FRANCAIS = re.compile(r"\s*(?:[^\s]|[\u00a0\u202f]|(?<=«)\s|\s(?=[»?!:;€%]))+\s*")


def coupures_a_la_francaise() -> None:
    """Rich cuts a line at any space, a no-break one included (`\\s`): a notification's
    amount broke as « 120,60 » / « € », a question as « … familles » / « ? ». Its word
    pattern (rich._wrap.re_word, read at each call) becomes MOT_FRANCAIS: a line breaks
    where it did, except at those spaces (a word longer than the line is still folded)."""
    import rich._wrap

    rich._wrap.re_word = MOT_FRANCAIS


# --- the header's line formed again at each width ------------------------------------------


def titre_a_la_largeur() -> None:
    """Textual forms the header's line (`App.format_title`) only when a title changes; the
    app picks a form that fits the width (GuichetApp.format_title): its HeaderTitle forms it
    again when its width changes, on the screen shown or on one shown again later."""
    from textual.events import Resize
    from textual.widgets import Header
    from textual.widgets._header import HeaderTitle

    if getattr(HeaderTitle, "_a_la_largeur", False):
        return

    def _on_resize(self: HeaderTitle, event: Resize) -> None:
        entete = self.parent
        if isinstance(entete, Header):
            self.update(entete.format_title())

    HeaderTitle._on_resize = _on_resize  # type: ignore[attr-defined]
    HeaderTitle._a_la_largeur = True  # type: ignore[attr-defined]

    # A title changed (the header's counts after an action) while a screen's Header has no
    # HeaderTitle yet, or none any more (a screen built ahead composing, one being
    # removed): Textual's watcher looked it up and raised NoMatches, an « Erreur
    # inattendue » (seen in CI: F6's emission, then the SEPA screen opened at once). Such a
    # header forms its line when its title mounts.
    from textual.css.query import NoMatches
    from textual.dom import NoScreen

    def _on_mount(self: Header, _: Mount) -> None:
        async def set_title() -> None:
            try:
                self.query_one(HeaderTitle).update(self.format_title())
            except (NoScreen, NoMatches):
                pass

        self.watch(self.app, "title", set_title)
        self.watch(self.app, "sub_title", set_title)
        self.watch(self.screen, "title", set_title)
        self.watch(self.screen, "sub_title", set_title)

    Header._on_mount = _on_mount  # type: ignore[method-assign]


# --- focus moved: the widget restyled, its descendants only if a rule needs it -------------


def _ancetres_au_focus(stylesheet) -> list:
    """The selectors with :focus or :focus-within that stand for an ancestor in some rule
    (« Select:focus > SelectCurrent », « Tabs:focus .-active »): a widget matching one has
    descendants whose style follows its focus."""
    from textual.css.model import CombinatorType

    trouves = []
    for regle in stylesheet.rules:
        for ensemble in regle.selector_set:
            selecteurs = ensemble.selectors
            # The last compound (its selectors joined by SAME) is the node styled itself.
            dernier = max(
                (i for i, s in enumerate(selecteurs) if s.combinator != CombinatorType.SAME),
                default=0,
            )
            trouves += [
                s for s in selecteurs[:dernier] if {"focus", "focus-within"} & s.pseudo_classes
            ]
    return trouves


def focus_sans_restyle_des_descendants() -> None:
    """Textual restyles a widget and every descendant when it gains or loses the focus
    (`watch_has_focus`): a tab of the family file, a dialog's scrolling form, a dozen
    widgets each time. Their styles follow that focus only through a rule naming a focused
    ancestor (`_ancetres_au_focus`): a widget that matches none of those (type, class or id,
    checked without the pseudo-class: a wider match restyles more, never less) is restyled
    alone; the others as before."""
    from textual.widget import Widget

    if getattr(Widget.watch_has_focus, "_seul", False):
        return
    origine = Widget.watch_has_focus
    memo: dict[tuple[int, int], list] = {}

    def watch_has_focus(self: Widget, has_focus: bool) -> None:
        if not self.is_attached or not self.children:
            return origine(self, has_focus)
        stylesheet = self.app.stylesheet
        cle = (id(stylesheet.rules), len(stylesheet.rules))
        ancetres = memo.get(cle)
        if ancetres is None:
            memo.clear()
            ancetres = memo[cle] = _ancetres_au_focus(stylesheet)
        if any(s._check(self) for s in ancetres):
            return origine(self, has_focus)
        stylesheet.update_nodes([self], animate=True)

    watch_has_focus._seul = True  # type: ignore[attr-defined]
    Widget.watch_has_focus = watch_has_focus  # type: ignore[method-assign]


# --- a paste longer than a field keeps its start --------------------------------------------


def collage_tronque() -> None:
    """Textual's Input drops a paste whole when the field cannot take all of it (its
    `max_length`): 3,000 characters pasted into « Objet » left it empty, with no word. The
    paste's first line now goes in up to the room the field has, and the agent is told
    that the rest was left out (the search field did this on its own before)."""
    from textual import events
    from textual.widgets import Input

    if getattr(Input._on_paste, "_tronque", False):
        return

    def _on_paste(self: Input, event: events.Paste) -> None:
        event.stop()
        lignes = event.text.splitlines()
        if not lignes:
            return
        debut, fin = sorted(self.selection)
        ligne = lignes[0]
        if self.max_length:
            place = max(self.max_length - len(self.value) + (fin - debut), 0)
            if len(ligne) > place:
                self.notify(
                    f"Texte collé coupé : ce champ prend {self.max_length} caractères au plus.",
                    severity="warning",
                )
                ligne = ligne[:place]
        self.replace(ligne, debut, fin)

    _on_paste._tronque = True  # type: ignore[attr-defined]
    Input._on_paste = _on_paste  # type: ignore[method-assign]

    # A TextArea has no limit of its own: one given a `longueur_max` (ours) takes what fits
    # of a paste and says so (5,400 characters pasted into a message's body went in whole,
    # to be refused at the save by a message cut at 80 columns).
    from textual.widgets import TextArea

    origine = TextArea._on_paste

    async def _on_paste_zone(self: TextArea, event: events.Paste) -> None:
        longueur_max = getattr(self, "longueur_max", None)
        if longueur_max and not self.read_only:
            place = max(longueur_max - len(self.text) + len(self.selected_text), 0)
            if len(event.text) > place:
                event.stop()
                self.notify(
                    f"Texte collé coupé : ce champ prend {longueur_max:_} caractères au "
                    "plus.".replace("_", "\u202f"),
                    severity="warning",
                )
                if not place:
                    return  # (nothing of it fits: the selection is kept, not erased)
                event = events.Paste(event.text[:place])
        await origine(self, event)

    TextArea._on_paste = _on_paste_zone  # type: ignore[method-assign]


# --- a table's lines drawn again once its columns are measured --------------------------------


def colonnes_mesurees_redessinees() -> None:
    """A DataTable measures its new rows' columns when idle; a frame drawn before that (under
    load, the screen's timer comes first) draws the rows in columns as wide as their titles
    (F6 at its first opening: « 1001002460 BERTRAN 137,9 »), and Textual keeps those lines:
    their cache keys do not hold the widths. Once measured, a width that changed makes the
    table's lines new (`_update_count`, part of every key) and draws it again."""
    from textual.widgets._data_table import DataTable  # (Textual's: its caches are patched)

    if getattr(DataTable._update_dimensions, "_redessinees", False):
        return
    dimensions = DataTable._update_dimensions
    largeurs = DataTable._update_column_widths

    def _avec_largeurs(origine: Callable) -> Callable:
        def mesurer(self: DataTable, cles) -> None:
            avant = [c.get_render_width(self) for c in self.ordered_columns]
            origine(self, cles)
            if [c.get_render_width(self) for c in self.ordered_columns] != avant:
                self._update_count += 1
                self.refresh()

        mesurer._redessinees = True  # type: ignore[attr-defined]
        return mesurer

    DataTable._update_dimensions = _avec_largeurs(dimensions)  # type: ignore[method-assign]
    DataTable._update_column_widths = _avec_largeurs(largeurs)  # type: ignore[method-assign]
