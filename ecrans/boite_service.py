"""The service's inbox: unread messages of every family, oldest first; search; and a
message to several families at once."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Input

from ecrans.garde import EcranGarde
from ecrans.pied import PiedDePage
from ecrans.rafale import Rafale
from ecrans.table import DataTable
from ecrans.texte import Static
from modele.formats import accord, compte
from modele.messages import MessageNonLu, apercu, boite_du_service, nombre_boite_du_service

PAGE = 60  # rows read at a time: the next ones when the cursor reaches the last one


class EcranBoiteService(EcranGarde, Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Retour"),
        Binding("ctrl+f", "chercher", "Rechercher"),
        Binding("ctrl+e", "envoi_groupe", "Message à plusieurs familles"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Boîte de réception du service", classes="titre-section")
        yield Input(
            id="boite-recherche",
            placeholder="rechercher par famille, objet ou texte (vide : les non lus)",
        )
        yield Static(id="boite-service-compte", classes="aide")
        table = DataTable(id="boite-service", cursor_type="row", zebra_stripes=True)
        table.add_columns("Reçu le", "N° famille", "Famille", "Objet", "Lu", "Début du message")
        yield table
        yield PiedDePage()

    def on_mount(self) -> None:
        self.title = "Boîte de réception du service"
        self._recherche: str | None = None  # the search whose rows are shown
        self._dernier: tuple | None = None  # the last row read (date, id): the next page
        self._reste = 0  # rows not read yet
        self._montrees: list[tuple[str, tuple[str, ...]]] = []  # the rows in the table
        self.rafale = Rafale(self, self.charger)

    @property
    def recherche_en_attente(self) -> bool:
        """Keys typed whose results are not shown yet (the end of a burst)."""
        return self.rafale.en_attente

    def rouvrir(self) -> None:
        """Each showing: no search, the unread messages read afresh, the first row."""
        self.rafale.oublier()
        self.query_one("#boite-recherche", Input).value = ""
        self.charger("")
        self.query_one(DataTable).focus()

    def preremplir(self) -> None:
        self.charger("")

    def on_screen_suspend(self) -> None:
        self.rafale.oublier()  # (hidden: both ways back read the field again)

    def on_screen_resume(self) -> None:
        if not self._a_rouvrir:  # (back from a screen of its own: read again)
            self.charger(self.query_one("#boite-recherche", Input).value)

    def charger(self, recherche: str) -> None:
        self._recherche = recherche
        nombre = self.app.lire(nombre_boite_du_service, recherche)
        lues = self.app.lire(boite_du_service, recherche, PAGE)
        table = self.query_one(DataTable)
        if [self._ligne(m) for m in lues] == self._montrees:
            # The same rows as shown (often, an inbox read again): only the cursor goes
            # back to the first one; refilling a DataTable is most of an opening.
            table.move_cursor(row=0, animate=False)
            self._reste = nombre - len(lues)
        else:
            table.clear()
            self._montrees = []
            self._reste = nombre
            self._ajouter(lues)
        quoi = (
            f"{compte(nombre, 'message')} {accord(nombre, 'trouvé')}"
            if recherche.strip()
            else f"{compte(nombre, 'message')} {accord(nombre, 'non lu')}, les plus anciens d'abord"
        )
        self.query_one("#boite-service-compte", Static).update(
            f"{quoi} — Entrée ouvre le message dans le dossier de la famille"
        )
        self.app.rafraichir_compteurs()

    @staticmethod
    def _ligne(ligne: MessageNonLu) -> tuple[str, tuple[str, ...]]:
        m = ligne.message
        return f"{m.famille_id}:{m.id}", (
            m.envoye_le.strftime("%d/%m/%Y %H:%M"),
            ligne.famille_numero,
            ligne.famille_nom,
            m.sujet,
            "Oui" if m.lu else "Non",
            apercu(m.corps, 50),
        )

    def _ajouter(self, lignes: list[MessageNonLu]) -> None:
        table = self.query_one(DataTable)
        for ligne in lignes:
            cle, cellules = rangee = self._ligne(ligne)
            table.add_row(*cellules, key=cle)
            self._montrees.append(rangee)
            self._dernier = (ligne.message.envoye_le, ligne.message.id)
        self._reste -= len(lignes)
        if not lignes:
            self._reste = 0

    @on(DataTable.RowHighlighted, "#boite-service")
    def _suite(self, event: DataTable.RowHighlighted) -> None:
        """The cursor on the last row read: the next page comes under it."""
        table = self.query_one(DataTable)
        if self._reste > 0 and event.cursor_row >= table.row_count - 1:
            self._ajouter(self.app.lire(boite_du_service, self._recherche, PAGE, self._dernier))

    @on(Input.Changed, "#boite-recherche")
    def _filtrer(self, event: Input.Changed) -> None:
        # (Emptied by `rouvrir`: already read. Keys still waiting: the text they end with is
        # searched, even back to the one shown.)
        if event.value != self._recherche or self.rafale.en_attente:
            self.rafale.frappe(event.value)  # a paste sent key by key: one search per burst

    @on(Input.Submitted, "#boite-recherche")
    def _vers_table(self) -> None:
        self.rafale.rattraper()
        self.query_one(DataTable).focus()

    def action_chercher(self) -> None:
        self.query_one("#boite-recherche", Input).focus()

    @on(DataTable.RowSelected)
    def _ouvrir(self, event: DataTable.RowSelected) -> None:
        famille_id, message_id = (int(x) for x in event.row_key.value.split(":"))
        self.app.ouvrir_famille(famille_id, onglet="boite", message_id=message_id)

    def action_envoi_groupe(self) -> None:
        from ecrans.envoi_groupe import EnvoiGroupe

        self.app.push_screen(EnvoiGroupe())
