"""Small shared pieces of the family file: the tab base class and the label/value sheet."""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual import on
from textual import widgets as textual_widgets
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import ScreenResume
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, RadioButton, TextArea
from textual.widgets.input import Selection
from textual.widgets.select import InvalidSelectValueError

from ecrans.pied import PiedDePage
from ecrans.texte import ErreurChamp, Label, OptionList, Static

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen


def fiche(paires: list[tuple[str, str]], colonnes: int = 2) -> Table:
    """Label : value pairs laid out over `colonnes` columns, like the portal's forms.

    An empty value stays empty (never "None").
    """
    grille = Table.grid(padding=(0, 2))
    for _ in range(colonnes):
        grille.add_column(style="bold", no_wrap=True)
        grille.add_column(min_width=18)
    for debut in range(0, len(paires), colonnes):
        cellules: list[Text | str] = []
        for libelle, valeur in paires[debut : debut + colonnes]:
            cellules += [Text(f"{libelle} :"), Text("" if valeur is None else str(valeur))]
        grille.add_row(*cellules)
    return grille


def fiche_texte(
    paires: list[tuple[str, str]], colonnes: int = 1, largeur: int | None = None
) -> Text | None:
    """`fiche` as one Text (bold labels, values aligned, columns as the grid lays them
    out): the same look, and a tenth of the cost to lay out and draw (a Rich grid is
    measured then rendered cell by cell at each layout). None if the sheet is wider than
    `largeur`: the grid then wraps the long values, a Text would cut them."""
    rangees = [paires[debut : debut + colonnes] for debut in range(0, len(paires), colonnes)]
    valeurs = [[("" if v is None else str(v)) for _, v in rangee] for rangee in rangees]
    largeurs = []
    for colonne in range(colonnes):
        etiquettes = [cell_len(r[colonne][0]) + 2 for r in rangees if len(r) > colonne]
        contenus = [cell_len(v[colonne]) for v in valeurs if len(v) > colonne]
        largeurs.append((max(etiquettes, default=0), max(contenus + [18])))
    if colonnes == 1:  # (the one column's values as long as they are)
        largeurs = [(largeurs[0][0], max((cell_len(v[0]) for v in valeurs), default=0))]
    if largeur is not None and sum(e + v for e, v in largeurs) + 2 * (2 * colonnes - 1) > largeur:
        return None
    texte = Text(no_wrap=True, overflow="crop")
    for rang, (rangee, textes) in enumerate(zip(rangees, valeurs, strict=True)):
        if rang:
            texte.append("\n")
        for colonne, ((libelle, _), valeur) in enumerate(zip(rangee, textes, strict=True)):
            etiquette, contenu = largeurs[colonne]
            if colonne:
                texte.append("  ")
            texte.append(f"{libelle} :", style="bold")
            texte.append(" " * (etiquette - cell_len(libelle) - 2 + 2))
            texte.append(valeur)
            if colonne < len(rangee) - 1:
                texte.append(" " * (contenu - cell_len(valeur)))
    return texte


def dessin_fiche(widget: Widget, paires: list[tuple[str, str]], colonnes: int = 2) -> Text:
    """The sheet for a Static in `widget`, as one Text: drawn directly where it fits, else
    the grid (which wraps the long values) rendered once, here, at the widget's width. The
    same look either way; Textual then lays it out and draws it as text, which a Rich grid
    is not (measured, then rendered cell by cell at each layout)."""
    largeur = largeur_fiche(widget)
    texte = fiche_texte(paires, colonnes, largeur)
    if texte is not None:
        return texte
    console = widget.app.console
    lignes = console.render_lines(
        fiche(paires, colonnes), console.options.update_width(largeur), pad=False
    )
    texte = Text(no_wrap=True, overflow="crop")
    for rang, ligne in enumerate(lignes):
        if rang:
            texte.append("\n")
        for segment in ligne:
            texte.append(segment.text, segment.style)
    texte.rstrip()
    return texte


def largeur_fiche(widget: Widget) -> int:
    """The width a sheet has in this tab: the screen's before it was ever laid out (filled
    while hidden), less a scrollbar's room and the Static's padding."""
    return (widget.size.width or widget.app.size.width) - 4


# Under a form whose save was refused at its fields.
CORRIGEZ = "Corrigez les champs signalés : rien n'a été enregistré."


class Onglet(VerticalScroll):
    """A tab of the family file; loads its data the first time it is shown."""

    # Its keys an agent's role may not use (action → permission, modele.agents): not offered
    # in the footer nor in F1 to that agent (modele refuses them anyway).
    DROITS: ClassVar[dict[str, str]] = {}

    def __init__(self, famille_id: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.famille_id = famille_id
        self.charge = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        droit = self.DROITS.get(action)
        if droit is None:
            return True
        from modele.agents import peut

        return peut(getattr(self.app, "agent", None), droit)

    def charger(self) -> None:
        """Read from modele and fill the widgets (each tab defines it)."""

    def afficher(self) -> None:
        if not self.charge:
            self.charger()
            self.charge = True

    def oublier(self) -> None:
        """The file is put away and this tab kept for the next family: nothing read is
        shown again (it is read afresh when shown), its state back to the defaults."""
        self.charge = False
        self.scroll_home(animate=False)

    def focus_premier(self) -> None:
        """Put the focus inside the tab so that its keys work (its table, else itself)."""
        tables = self.query("DataTable, TableLignes")
        # At once, not in a later callback as focus() does: a key typed together with the
        # tab's (PgSuiv after 3) is then matched to this tab's bindings, not the tab left.
        self.screen.set_focus(tables.first() if tables else self)


R = TypeVar("R")

# The widgets whose value is what the agent typed or chose.
CHAMPS_SAISIS = "Input, TextArea, Select, ToggleButton, Switch"


def ouvre_un_dialogue(action: Callable[..., Any]) -> Callable[..., Any]:
    """For an action whose worker opens a dialog (`push_screen_wait`), put above `@work`:
    the keys typed until the dialog is ready go to it, not to the screen beneath (if the
    worker ends without a dialog, they go on at once)."""

    @functools.wraps(action)
    def lancer(self, *args: Any, **kwargs: Any) -> Any:
        worker = action(self, *args, **kwargs)
        retenir = getattr(self.app, "retenir_touches", None)
        if retenir is not None:
            retenir(worker)
        return worker

    return lancer


class SaisieGardee:
    """What a form keeps: its fields' values when it opened. Escape (`abandonner`) on a form
    whose fields changed asks « Abandonner la saisie ? » (Non by default); a form left
    unchanged closes at once. A screen that fills its fields later (a worker, a step) calls
    `memoriser_saisie` again once they are filled."""

    _saisie_initiale: dict[int, object] | None = None

    def _valeurs_saisies(self) -> dict[int, object]:
        valeurs: dict[int, object] = {}
        for champ in self.query(CHAMPS_SAISIS):  # type: ignore[attr-defined]
            valeurs[id(champ)] = champ.text if isinstance(champ, TextArea) else champ.value
        return valeurs

    def memoriser_saisie(self) -> None:
        self._saisie_initiale = self._valeurs_saisies()

    def saisie_modifiee(self) -> bool:
        initiale = self._saisie_initiale
        if initiale is None:
            return False
        actuelles = self._valeurs_saisies()
        # A field shown later (a step of the form) counts once something is in it.
        return any(
            valeur != initiale[cle] if cle in initiale else bool(valeur)
            for cle, valeur in actuelles.items()
        )

    def action_abandonner(self, resultat: object = None) -> None:
        """Close the form with `resultat` (what "nothing done" means to its caller), once
        the agent agrees to lose what was typed."""
        if not self.saisie_modifiee():
            self._abandonner(resultat)
            return

        def _fin(oui: bool | None) -> None:
            if oui:
                self._abandonner(resultat)

        self.app.push_screen(  # type: ignore[attr-defined]
            Confirmation("Abandonner la saisie ?"), _fin
        )

    def _abandonner(self, resultat: object) -> None:
        self.dismiss(resultat)  # type: ignore[attr-defined]


# What a dialog focuses when it opens (Textual's AUTO_FOCUS): its first field, list or button,
# never the `.champs` box around the fields (a scrolling container can take the focus, and
# comes first in the tree): typed keys go to the field, and the focus does not go through the
# box, whose every descendant Textual restyles when it gains or loses the focus.
PREMIER_CHAMP = (
    "Input, TextArea, Select, SelectionList, RadioSet, Checkbox, Switch, OptionList, "
    "ListView, DataTable, TableLignes, GrillePlanning, Tree, Button"
)


class PremiereReprise:
    """A screen shown for the first time keeps the styles it was given when its widgets
    were mounted, a moment before: Textual restyles every widget of a screen when it is
    resumed (for a theme changed while it was covered), which for a new screen only does
    the same work twice (~20–100 ms for a form of 50 widgets). Later resumes restyle as
    usual."""

    _theme_monte: str | None = None
    _repris = False

    def on_mount(self) -> None:
        self._theme_monte = self.app.theme  # type: ignore[attr-defined]

    def on_screen_resume(self, event: ScreenResume) -> None:
        # (runs before Screen's own handler, which reads refresh_styles)
        if not self._repris and self._theme_monte == self.app.theme:  # type: ignore[attr-defined]
            event.refresh_styles = False
        self._repris = True


class Modale(PremiereReprise, SaisieGardee, ModalScreen[R], Generic[R]):
    """A modal form or question; its keys are shown in a footer of its own.

    A form's fields scroll in a `.champs` box whose height is bounded so that the whole
    form, its buttons under the fields included, fits the screen (80×24 too). Its fields'
    values when it opened are kept (`SaisieGardee`): bind Escape to `abandonner`. Its
    button `#annuler` does what Escape does (a click on it asks too, when something was
    typed): a form has no handler of its own for it."""

    # A kind of dialog kept once built (issue #18: composing and styling its widgets was
    # most of an opening): the app pushes the kept one instead of a new instance of the same
    # kind and `forme()`, once it has taken the new one's `ARGUMENTS` and started again as
    # a new one would (`reprendre`). Such a dialog fills its widgets in `remplir` (on mount,
    # and each time it is shown again), never in `compose`, which builds what `forme` says.
    GARDEE = False
    ARGUMENTS: tuple[str, ...] = ()
    # Its first field blurred then focused again at each opening (an Input focused selects
    # its value). False where focusing again changes nothing but costs a restyle (F1's list:
    # a DataTable restyled drops every drawn row and draws them all again).
    FOCUS_A_NOUVEAU = True
    _d_avance = False  # (set while dialogs are built ahead: no key is held for them)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Built by the key that opens it: the keys typed until it is ready come to it.
        try:
            retenir = None if Modale._d_avance else getattr(self.app, "retenir_touches", None)
        except Exception:  # (built outside a running app)
            retenir = None
        if retenir is not None:
            retenir()
        self._etat_neuf: list[tuple[Widget, str, object]] | None = None
        self._taille_bornee: object = None
        self._d_avance_a_disposer = Modale._d_avance

    def forme(self) -> Hashable:
        """What the tree of its widgets depends on (kept dialogs: one per kind and forme)."""
        return ()

    def remplir(self) -> None:
        """Put its arguments into its widgets and focus its first field (on mount, and
        each time a kept dialog is shown again, after its widgets were set back)."""

    def ouvrir(self) -> None:
        """`remplir`, its first field focused afresh (a field focused selects its value:
        typing replaces it), as when it opens (the form's on_mount calls it)."""
        if self.FOCUS_A_NOUVEAU:
            self.set_focus(None)
        self.remplir()

    def reprendre(self, neuve: Modale) -> None:
        """Start again as `neuve` (a new instance of the same kind and forme, never shown)
        would: its arguments taken, every widget back to how it was when first shown (no
        value, error, selection, scroll or focus left from the last use), then filled."""
        for nom in self.ARGUMENTS:
            setattr(self, nom, getattr(neuve, nom))
        self._repris = False  # (PremiereReprise: no restyle when shown, if the theme is the same)
        self._saisie_initiale = None
        if self.FOCUS_A_NOUVEAU:
            self.set_focus(None)
        if self._etat_neuf is not None:
            restaurer(self._etat_neuf)
        self.ouvrir()
        # Its first field is being focused (`remplir`): the push does not focus another
        # one meanwhile (each focus change restyles the widget).
        self.AUTO_FOCUS = ""
        self.call_after_refresh(self._focus_auto)
        # A new field's cursor is at the end of the value it is first given.
        for champ in self.query(Input):
            champ.selection = Selection.cursor(len(champ.value))
        self.call_after_refresh(self.memoriser_saisie)
        if self._taille_bornee != self.app.size:
            self.on_resize()
        self.call_after_refresh(self._pret)

    @on(Button.Pressed, "#annuler")
    async def _annuler(self, event: Button.Pressed) -> None:
        event.stop()
        echap = self.active_bindings.get("escape")
        if echap is not None:
            await self.app.run_action(echap.binding.action, echap.node)

    AUTO_FOCUS = PREMIER_CHAMP

    def on_mount(self) -> None:
        # (Textual calls each class's own on_mount: PremiereReprise's too.)
        # After the form's own on_mount and its widgets' (a Select takes its first option
        # then): the values filled in are the start.
        self.call_after_refresh(self.memoriser_saisie)
        if self.GARDEE:
            self.call_after_refresh(self._photographier)
        self.mount(PiedDePage())  # one widget drawing its line (ecrans/pied.py)
        self.call_after_refresh(self._borner_champs)
        # Its first field focused (the form's own on_mount asked for it): the keys typed
        # while it opened come now, after the values it opened with are kept.
        self.call_after_refresh(self._pret)

    def _focus_auto(self) -> None:
        del self.AUTO_FOCUS  # (back to the class's)

    def _pret(self) -> None:
        relacher = getattr(self.app, "relacher_touches", None)
        if relacher is not None:
            relacher()

    def on_resize(self) -> None:
        for champs in self.query(".champs"):
            champs.styles.max_height = None  # back to the stylesheet's, then bounded again
        self.call_after_refresh(self._borner_champs)

    def viser_erreur(self, champ: str) -> None:
        """A field refused: the focus on it (`#champ-<champ>`) and its message under it
        (`#erreur-<champ>`, just shown, so once laid out) both brought into view."""
        self.query_one(f"#champ-{champ}").focus()
        erreurs = self.query(f"#erreur-{champ}")
        if erreurs:
            self.call_after_refresh(erreurs.first().scroll_visible, animate=False)

    def _photographier(self) -> None:
        if self._d_avance_a_disposer and not self.is_current:
            from ecrans.compat_textual import disposer_ecran

            # Laid out now, not when first shown; what it looks like once bounded is kept.
            self._d_avance_a_disposer = False
            disposer_ecran(self, *self.app.size)
            self.call_after_refresh(self._photographier)
            return
        self._etat_neuf = photographier(self)

    def champs_corriges(self) -> None:
        """« Corrigez les champs signalés » goes with the last field's message corrected
        (called as a field changes; it stayed under a form with nothing left signalled).
        Any other message there (« Aucune modification », the record changed meanwhile)
        stays: it is not about a field."""
        if any(e.display for e in self.query(ErreurChamp)):
            return
        for zone in self.query("#form-erreur").results(Static):
            if str(zone.content) == CORRIGEZ:
                zone.update("")

    def _borner_champs(self) -> None:
        self._taille_bornee = self.size
        pieds = sum(p.outer_size.height for p in self.query(PiedDePage))
        place = self.size.height - pieds
        for champs in self.query(".champs"):
            cadre = champs.parent
            if not isinstance(cadre, Widget):
                continue
            besoin = cadre.styles.gutter.height + sum(
                w.outer_size.height + w.styles.margin.height for w in cadre.children if w.display
            )
            if besoin > place:
                champs.styles.max_height = max(3, champs.outer_size.height - (besoin - place))
                if self.size and not self.is_current:  # (built ahead: laid out again now)
                    from ecrans.compat_textual import disposer_ecran

                    disposer_ecran(self, *self.app.size)


class Confirmation(Modale[bool]):
    """Oui / Non, Non by default."""

    BINDINGS = [
        ("escape", "dismiss(False)", "Annuler"),
        ("o", "dismiss(True)", "Oui"),
        ("n", "dismiss(False)", "Non"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialogue"):
            yield Static(self.question, classes="titre-dialogue")
            with Horizontal(classes="boutons"):
                yield Button("Oui", id="oui", variant="error")
                yield Button("Non", id="non", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#non", Button).focus()

    @on(Button.Pressed)
    def _choix(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "oui")


class QuestionQuitter(Confirmation):
    """ctrl+q over a form typed in (its own class: ctrl+q again on it quits; over any other
    question, the form beneath is still asked about)."""

    def __init__(self) -> None:
        super().__init__("Une saisie n'est pas enregistrée : quitter quand même ?")


class Choix(Modale[str | None]):
    """Pick one item of a list (Entrée), or Échap; the cursor starts on `actuel` (the
    value as it is), else on the first."""

    BINDINGS = [("escape", "dismiss(None)", "Fermer")]
    ARGUMENTS = ("titre", "options", "aide", "actuel")

    def __init__(
        self,
        titre: str,
        options: list[tuple[str, str]],
        aide: str = "",
        actuel: str | None = None,
    ) -> None:
        super().__init__()
        self.titre = titre
        self.options = options
        self.aide = aide
        self.actuel = actuel

    def forme(self) -> Hashable:
        return (tuple(self.options), self.aide)

    def compose(self) -> ComposeResult:
        from textual.widgets.option_list import Option

        with Vertical(classes="dialogue large"):
            yield Static("", id="choix-titre", classes="titre-dialogue")
            if self.aide:
                yield Static(self.aide, classes="aide")
            yield OptionList(
                *[Option(libelle, id=cle) for cle, libelle in self.options], id="choix"
            )

    def on_mount(self) -> None:
        self.ouvrir()

    def remplir(self) -> None:
        self.query_one("#choix-titre", Static).update(self.titre)
        liste = self.query_one("#choix", OptionList)
        cles = [cle for cle, _ in self.options]
        liste.highlighted = cles.index(self.actuel) if self.actuel in cles else 0
        liste.focus()

    def on_option_list_option_selected(self, event) -> None:
        self.dismiss(event.option.id)


class SaisieMotif(Modale[str | None]):
    """A required reason (refusal of a request, cancellation of a payment…)."""

    BINDINGS = [
        ("escape", "abandonner", "Annuler"),
        Binding("ctrl+s", "valider", "Valider", priority=True),
    ]

    def __init__(
        self, titre: str, libelle: str, bouton: str, obligatoire: str = "Le motif est obligatoire."
    ) -> None:
        super().__init__()
        self.titre, self.libelle, self.bouton = titre, libelle, bouton
        self.obligatoire = obligatoire

    def compose(self) -> ComposeResult:
        from textual.widgets import Input

        with Vertical(classes="dialogue large"):
            yield Static(self.titre, classes="titre-dialogue")
            yield Label(self.libelle)
            yield Input(id="motif", max_length=300)
            yield Static("", id="erreur-motif", classes="erreur")
            with Horizontal(classes="boutons"):
                yield Button(self.bouton, id="valider", variant="error")
                yield Button("Fermer", id="annuler")  # as Escape: asks if typed in

    def on_input_submitted(self) -> None:
        self.action_valider()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.value.strip():  # (the reason typed: « obligatoire » no longer true)
            self.query_one("#erreur-motif", Static).update("")

    @on(Button.Pressed, "#valider")
    def action_valider(self) -> None:
        from textual.widgets import Input

        motif = self.query_one("#motif", Input).value.strip()
        if not motif:
            self.query_one("#erreur-motif", Static).update(self.obligatoire)
            self.query_one("#motif", Input).focus()
            return
        self.dismiss(motif)


# --- dialogs kept once built (Modale.GARDEE) ---------------------------------------------------

# Kept dialogs of one kind (a request form of each type, say): the least recently used go.
GARDEES_PAR_GENRE = 8


def dialogue_garde(app: App, ecran: Screen) -> Screen:
    """The screen to push for `ecran`: for a new dialog of a kept kind, the dialog of that
    kind and forme kept by the app (started again as `ecran`), else `ecran`, kept from now
    on (installed: its dismissal no longer removes it)."""
    # (a Modale, or a screen with the same GARDEE, forme() and reprendre(): EcranFacture)
    if not getattr(ecran, "GARDEE", False) or ecran.is_attached:
        return ecran
    gardes: dict[tuple[type, Hashable], Any] | None = getattr(app, "dialogues_gardes", None)
    if gardes is None:
        return ecran
    cle = (type(ecran), ecran.forme())  # type: ignore[attr-defined]
    garde = gardes.get(cle)
    if garde is not None and garde.is_running and not garde.is_mounted:
        # Built ahead and still composing (an agent quick after login): its widgets are not
        # all there to be filled. This one opens, not kept; the kept one serves next time.
        return ecran
    gardes.pop(cle, None)
    if garde is not None and garde.is_running and garde.is_mounted and not en_usage(app, garde):
        gardes[cle] = garde  # (last used: last in the dict)
        garde.reprendre(ecran)
        return garde
    if garde is not None:  # being shown (one over another), or gone: a new one, kept
        oublier_dialogue(app, garde)
    garder(app, ecran, cle)
    return ecran


def garder(app: App, ecran: Screen, cle: tuple[type, Hashable]) -> None:
    gardes: dict[tuple[type, Hashable], Screen] = app.dialogues_gardes  # type: ignore[attr-defined]
    gardes[cle] = ecran
    app.install_screen(ecran, f"dialogue-garde-{id(ecran)}")
    du_genre = [c for c in gardes if c[0] is cle[0]]
    for vieille in du_genre[:-GARDEES_PAR_GENRE]:
        oublier_dialogue(app, gardes.pop(vieille))


def en_usage(app: App, ecran: Screen) -> bool:
    return ecran in app.screen_stack  # (the app has one mode)


def oublier_dialogue(app: App, ecran: Screen) -> None:
    """A kept dialog let go: removed once no longer shown."""
    if app.is_screen_installed(ecran):
        app.uninstall_screen(ecran)
    if ecran.is_running and not en_usage(app, ecran):
        ecran.remove()


def oublier_dialogues(app: App) -> None:
    """Every kept dialog let go (the agent logs out: the next one sees nothing of them)."""
    gardes: dict | None = getattr(app, "dialogues_gardes", None)
    while gardes:
        _cle, ecran = gardes.popitem()
        oublier_dialogue(app, ecran)


def construire_d_avance(app: App, fabrique: Callable[[], Screen]) -> None:
    """Build a dialog ahead (composed and mounted, not shown) and keep it."""
    from ecrans.compat_textual import construire_ecran

    gardes: dict | None = getattr(app, "dialogues_gardes", None)
    if gardes is None:
        return
    Modale._d_avance = True
    try:
        ecran = fabrique()
    finally:
        Modale._d_avance = False
    cle = (type(ecran), ecran.forme())  # type: ignore[attr-defined]
    if cle in gardes:
        return
    garder(app, ecran, cle)
    construire_ecran(app, ecran)


def photographier(ecran: Widget) -> list[tuple[Widget, str, object]]:
    """What each widget of a dialog shows when it is new: values, texts, what is shown,
    scroll, highlighted option (restaurer puts it back)."""
    etat: list[tuple[Widget, str, object]] = []
    # A Select's own widgets show its value: put back apart from it, its label kept the
    # value of the dialog built ahead (« — ») over the family's (« Monsieur »).
    internes = {id(d) for s in ecran.query(textual_widgets.Select) for d in s.query("*")}
    for w in ecran.query("*"):
        if id(w) in internes:
            continue
        etat.append((w, "display", w.display))
        if w.is_scrollable:
            etat.append((w, "scroll", (w.scroll_x, w.scroll_y)))
        if isinstance(w, Input):
            etat.append((w, "input", w.value))
            etat.append((w, "invalide", w.has_class("-invalid")))
        elif isinstance(w, TextArea):
            etat.append((w, "texte", w.text))
        elif isinstance(w, textual_widgets.Select):
            etat.append((w, "value", w.value))
        elif isinstance(w, (Checkbox, RadioButton)):
            etat.append((w, "value", w.value))
        elif isinstance(w, textual_widgets.Static):
            etat.append((w, "contenu", w.content))
        elif isinstance(w, textual_widgets.OptionList):
            etat.append((w, "highlighted", w.highlighted))
    return etat


def restaurer(etat: list[tuple[Widget, str, object]]) -> None:
    for w, quoi, valeur in etat:
        if quoi == "display":
            if w.display != valeur:
                w.display = bool(valeur)
        elif quoi == "scroll":
            if (w.scroll_x, w.scroll_y) != valeur:
                w.scroll_to(*valeur, animate=False, immediate=True)  # type: ignore[misc]
        elif quoi == "input":
            assert isinstance(w, Input) and isinstance(valeur, str)
            if w.value != valeur:
                w.value = valeur
            w.selection = Selection.cursor(len(valeur))
        elif quoi == "invalide":
            w.set_class(bool(valeur), "-invalid")
        elif quoi == "texte":
            assert isinstance(w, TextArea) and isinstance(valeur, str)
            w.load_text(valeur)  # (its undo history goes too)
            w.move_cursor((0, 0))
            w.scroll_home(animate=False)
        elif quoi == "value" and isinstance(w, RadioButton):
            # (its RadioSet lets no button go off: the one pressed turns the others off)
            if valeur and not w.value:
                w.value = True
        elif quoi == "value" and isinstance(w, textual_widgets.Select):
            w.expanded = False
            if w.value != valeur:
                try:
                    w.value = valeur
                except InvalidSelectValueError:
                    pass  # (a choice of the last use's list only: `remplir` sets it)
        elif quoi == "value":
            if w.value != valeur:  # type: ignore[attr-defined]
                w.value = valeur  # type: ignore[attr-defined]
        elif quoi == "contenu":
            assert isinstance(w, textual_widgets.Static)
            if w.content is not valeur:
                w.update(valeur)  # type: ignore[arg-type]
        elif quoi == "highlighted":
            assert isinstance(w, textual_widgets.OptionList)
            if w.highlighted != valeur:
                w.highlighted = valeur  # type: ignore[assignment]
