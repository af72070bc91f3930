"""The bare floors on the Textual side: a bare 6-tab app (launch, memory), and a bare app
whose keys refill a DataTable or push a tabbed screen (the floors of the screens' paths).

    python bench/nue.py            # the bare 6-tab app, for the launch and memory floors
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    Static,
    TabbedContent,
    TabPane,
)

MARQUE_NUE = "Application nue prete"


class AppNue(App[None]):
    """Six tabs, a header and a footer: what any Textual app of this shape costs."""

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent():
            for i in range(6):
                with TabPane(f"Onglet {i + 1}"):
                    yield Static(MARQUE_NUE if i == 0 else f"Contenu {i + 1}")
        yield Footer()


class EcranOnglets(Screen[None]):
    """A pushed screen of 7 tabs with a table and a few texts (floor of opening a file)."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Retour")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Bienvenue")
        with TabbedContent():
            for i in range(7):
                with TabPane(f"Onglet {i + 1}"):
                    for j in range(8):
                        yield Static(f"Ligne {j} de l'onglet {i + 1}")
                    table = DataTable()
                    table.add_columns("N°", "Date", "Échéance", "Montant", "Reste")
                    for k in range(3):
                        table.add_row(f"AL-{k}", "01/11/2026", "27/11/2026", "12,00", "12,00")
                    yield table
        yield Footer()


class AppRemplissage(App[None]):
    """Keys that do, bare, what the screens do: a letter in the input refills a 50×6 table
    (search); F4 refills a 20×32 table (planning, the issue's floor); r refills a
    30×6 table (relevé); ctrl+o pushes a 7-tab screen (family file)."""

    BINDINGS = [
        Binding("f4", "grille", "Grille", priority=True),
        Binding("ctrl+r", "releve", "Relevé"),
        Binding("ctrl+o", "ouvrir", "Ouvrir"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.tour = 0

    def compose(self) -> ComposeResult:
        yield Input(id="saisie")
        yield DataTable(id="table")
        yield Footer()

    def _remplir(self, lignes: int, colonnes: int) -> None:
        self.tour += 1
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns(*[f"C{c}" for c in range(colonnes)])
        for i in range(lignes):
            table.add_row(*[f"{(i * colonnes + c + self.tour) % 97:02d}" for c in range(colonnes)])

    def on_input_changed(self, _event: Input.Changed) -> None:
        self._remplir(50, 6)

    def action_grille(self) -> None:
        self._remplir(20, 32)

    def action_releve(self) -> None:
        self._remplir(30, 6)

    def action_ouvrir(self) -> None:
        self.push_screen(EcranOnglets())


class EcranOngletsTouches(EcranOnglets):
    """The 7-tab screen whose keys 1…7 switch the tab (floor of a tab switch)."""

    BINDINGS = [Binding(str(i), f"onglet({i})", f"Onglet {i}") for i in range(1, 8)]

    def action_onglet(self, rang: int) -> None:
        onglets = self.query_one(TabbedContent)
        onglets.active = onglets.query(TabPane)[rang - 1].id or ""


class EcranNu(Screen[None]):
    """A bare screen: a header, a title, a table of 20 rows, a footer (floor of an
    F-screen or a detail screen pushed)."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Retour")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Écran nu")
        table = DataTable()
        table.add_columns("N°", "Date", "Famille", "Montant", "Reste", "État")
        for k in range(20):
            table.add_row(f"AL-{k}", "01/11/2026", "DUPONT", "12,00", "12,00", "émise")
        yield table
        yield Footer()


class ModaleNue(ModalScreen[None]):
    """A bare modal form: a title, n Inputs with their labels, two buttons, a footer
    (floor of a dialog opening with as many fields)."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Annuler")]

    def __init__(self, champs: int) -> None:
        super().__init__()
        self.champs = champs

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Formulaire nu")
            for i in range(self.champs):
                yield Label(f"Champ {i + 1}")
                yield Input(value=f"valeur {i + 1}")
            with Horizontal():
                yield Button("Enregistrer")
                yield Button("Annuler")
        yield Footer()


class AppInteractions(AppRemplissage):
    """AppRemplissage with the floors of bench/interactions.py: ctrl+o a 7-tab screen
    (keys 1…7 switch), f6 a bare screen, f5 a bare modal of `champs` Inputs; the table's
    cursor keys are DataTable's own."""

    BINDINGS = [
        Binding("f5", "modale", "Modale"),
        Binding("f6", "ecran", "Écran"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.champs = 0

    def action_ouvrir(self) -> None:
        self.push_screen(EcranOngletsTouches())

    def action_ecran(self) -> None:
        self.push_screen(EcranNu())

    def action_modale(self) -> None:
        self.push_screen(ModaleNue(self.champs))


if __name__ == "__main__":
    AppNue().run()
