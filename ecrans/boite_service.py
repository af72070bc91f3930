"""The service's inbox: unread messages of every family, oldest first; search; and a
message to several families at once."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Input

from ecrans.pied import PiedDePage
from ecrans.table import DataTable
from ecrans.texte import Static
from ecrans.widgets import PremiereReprise
from modele.messages import apercu, boite_du_service


class EcranBoiteService(PremiereReprise, Screen[None]):
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
        self.charger()
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        self.charger()

    def charger(self) -> None:
        recherche = self.query_one("#boite-recherche", Input).value
        lignes = self.app.lire(boite_du_service, recherche)
        table = self.query_one(DataTable)
        table.clear()
        for ligne in lignes:
            m = ligne.message
            premiere = apercu(m.corps, 50)
            table.add_row(
                m.envoye_le.strftime("%d/%m/%Y %H:%M"),
                ligne.famille_numero,
                ligne.famille_nom,
                m.sujet,
                "Oui" if m.lu else "Non",
                premiere,
                key=f"{m.famille_id}:{m.id}",
            )
        pluriel = "s" if len(lignes) > 1 else ""
        quoi = (
            f"{len(lignes)} message{pluriel} trouvé{pluriel}"
            if recherche.strip()
            else f"{len(lignes)} message{pluriel} non lu{pluriel}, les plus anciens d'abord"
        )
        self.query_one("#boite-service-compte", Static).update(
            f"{quoi} — Entrée ouvre le message dans le dossier de la famille"
        )
        self.app.rafraichir_compteurs()

    @on(Input.Changed, "#boite-recherche")
    def _filtrer(self) -> None:
        self.charger()

    @on(Input.Submitted, "#boite-recherche")
    def _vers_table(self) -> None:
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
