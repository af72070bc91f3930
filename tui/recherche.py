"""Family search: filters at each keystroke, Enter opens the family file."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from ecrans.pied import PiedDePage
from ecrans.table import TableRapide
from ecrans.widgets import Confirmation
from modele.formats import montant
from modele.recherche import rechercher


class ConfirmationDeconnexion(Confirmation):
    def __init__(self) -> None:
        super().__init__("Se déconnecter ?")


class EcranRecherche(Screen[None]):
    BINDINGS = [
        Binding("escape", "deconnexion", "Déconnexion"),
        Binding("down", "vers_resultats", "Résultats", show=False),
        Binding("ctrl+f", "vers_saisie", "Rechercher"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Rechercher une famille : nom, prénom, n° famille, enfant, téléphone",
                     classes="aide")
        yield Input(id="saisie-recherche", placeholder="ex. dupont, 1001001818331, 01 02 03…")
        yield Static("", id="compte-resultats", classes="aide")
        table = TableRapide(id="resultats", cursor_type="row", zebra_stripes=True)
        table.add_columns("N° famille", "Responsable", "Conjoint", "Enfants", "Ville", "Solde")
        yield table
        yield PiedDePage()

    def on_mount(self) -> None:
        self.query_one("#saisie-recherche", Input).focus()

    def on_screen_resume(self) -> None:
        """Back from a family file: ready to type the next family's name."""
        saisie = self.query_one("#saisie-recherche", Input)
        saisie.focus()
        saisie.select_all()

    @on(Input.Changed, "#saisie-recherche")
    def _filtrer(self, event: Input.Changed) -> None:
        self.afficher(event.value)

    def afficher(self, texte: str) -> None:
        table = self.query_one("#resultats", DataTable)
        with self.app.session() as session:
            resultats = rechercher(session, texte)
        table.clear()
        for r in resultats:
            table.add_row(r.numero, r.responsable, r.conjoint, r.enfants, r.ville,
                          montant(r.solde), key=str(r.famille_id))
        compte = self.query_one("#compte-resultats", Static)
        # One line of fixed height: no layout pass at each keystroke.
        if not texte.strip():
            compte.update("", layout=False)
        elif not resultats:
            compte.update("Aucune famille ne correspond.", layout=False)
        else:
            pluriel = "s" if len(resultats) > 1 else ""
            compte.update(f"{len(resultats)} famille{pluriel} — ↓ pour choisir, Entrée pour ouvrir",
                          layout=False)

    @on(Input.Submitted, "#saisie-recherche")
    def _ouvrir_premiere(self) -> None:
        table = self.query_one("#resultats", DataTable)
        if table.row_count:
            self._ouvrir(table, table.cursor_row)

    @on(DataTable.RowSelected, "#resultats")
    def _ouvrir_ligne(self, event: DataTable.RowSelected) -> None:
        self.app.ouvrir_famille(int(event.row_key.value))

    def _ouvrir(self, table: DataTable, ligne: int) -> None:
        cle = table.coordinate_to_cell_key((ligne, 0)).row_key
        self.app.ouvrir_famille(int(cle.value))

    def action_vers_resultats(self) -> None:
        table = self.query_one("#resultats", DataTable)
        if table.row_count and not table.has_focus:
            table.focus()

    def action_vers_saisie(self) -> None:
        self.query_one("#saisie-recherche", Input).focus()

    def action_deconnexion(self) -> None:
        self.app.action_deconnexion()
