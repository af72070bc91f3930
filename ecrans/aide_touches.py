"""F1: every key of the screen beneath, with what it does, in French (the footer shows only
what fits)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from ecrans.table import DataTable
from ecrans.texte import Static
from ecrans.widgets import Modale

# Textual's own keys, said in French (those without a description are not listed).
TRADUCTIONS = {
    "Quit": "Quitter",
    "Copy": "Copier",
    "Paste": "Coller",
    "Cut": "Couper",
    "Focus Next": "Champ suivant",
    "Focus Previous": "Champ précédent",
    "Command palette": "Palette de commandes",
    "palette": "Palette de commandes",
    "Select all": "Tout sélectionner",
    "Undo": "Annuler la frappe",
    "Redo": "Rétablir",
    "Toggle": "Cocher / décocher",
    "Press": "Activer",
    "Submit": "Valider",
    "Scroll Up": "Défiler vers le haut",
    "Scroll Down": "Défiler vers le bas",
    "Cursor up": "Ligne précédente",
    "Cursor down": "Ligne suivante",
    "Cursor left": "Case précédente",
    "Cursor right": "Case suivante",
    "Page up": "Page précédente",
    "Page down": "Page suivante",
    "Top": "Début",
    "Bottom": "Fin",
    "Select": "Choisir",
    "Show keys": "Liste des touches",
    "Maximize": "Agrandir",
    "Minimize": "Réduire",
}


def touches_de(app, ecran) -> list[tuple[str, str]]:
    """(keys as shown, description) of each action the screen offers now, one per action
    (its keys together: « ^t / f10 »): its own and its widgets' first, the app's global keys
    after."""
    vues: dict[str, tuple[str, str]] = {}
    globales: dict[str, tuple[str, str]] = {}
    for _cle, (noeud, binding, actif, _aide) in ecran.active_bindings.items():
        if not actif or not binding.show or not binding.description:
            continue  # (a field's editing keys are the terminal's usual ones)
        description = TRADUCTIONS.get(binding.description, binding.description)
        touche = app.get_key_display(binding)
        for deja in (vues, globales):
            if binding.action in deja:
                if deja[binding.action][1] == description:  # (the same action, another key)
                    deja[binding.action] = (f"{deja[binding.action][0]} / {touche}", description)
                break
        else:
            (globales if noeud is app else vues)[binding.action] = (touche, description)
    return list(vues.values()) + list(globales.values())


class ListeTouches(DataTable):
    """The list of the keys; Début and Fin go to its first and last key (Textual's DataTable
    gives them to the columns, left and right)."""

    BINDINGS = [
        Binding("home", "scroll_top", "Début", show=False),
        Binding("end", "scroll_bottom", "Fin", show=False),
    ]


class AideTouches(Modale[None]):
    """The list of the keys, over the screen it describes; Échap or F1 closes it."""

    BINDINGS = [Binding("escape", "dismiss", "Fermer"), Binding("f1", "dismiss", "Fermer")]

    # Kept once built (ecrans.widgets.Modale.GARDEE): its list is filled at each opening.
    GARDEE = True
    ARGUMENTS = ("titre", "touches")
    FOCUS_A_NOUVEAU = False  # (its list keeps the focus from one opening to the next)

    def __init__(self, titre: str, touches: list[tuple[str, str]]) -> None:
        super().__init__()
        self.titre, self.touches = titre, touches
        self._lignes: tuple | None = None  # (the keys its list shows now)

    @classmethod
    def d_avance(cls, _app) -> AideTouches:
        return cls("", [])

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialogue large", id="aide-touches"):
            yield Static("", id="aide-titre", classes="titre-dialogue")
            # (.champs: its height bounded so that the dialog fits the screen: Modale)
            table = ListeTouches(
                id="aide-liste", classes="champs", cursor_type="row", zebra_stripes=True
            )
            table.add_columns("Touche", "Action")
            yield table

    def on_mount(self) -> None:
        # (Textual calls Modale's on_mount as well: calling it here mounted two footers)
        self.ouvrir()

    def remplir(self) -> None:
        self.query_one("#aide-titre", Static).update(Text(f"Touches — {self.titre}"))
        table = self.query_one(DataTable)
        lignes = tuple(self.touches)
        if lignes != self._lignes:
            table.clear()
            for touche, description in self.touches:
                table.add_row(Text(touche, style="bold"), Text(description))
            self._lignes = lignes
            self.on_resize()  # (bounded again for its new rows)
        elif table.cursor_coordinate != (0, 0):
            # Opened again over a screen with the same keys (another family's file): its
            # rows and their drawn lines kept; the cursor back on the first, as in a list
            # filled afresh.
            table.move_cursor(row=0, column=0, animate=False)
        table.focus()
