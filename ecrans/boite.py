"""Boîte de réception: the messages between the family and the structure (read-only here)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from ecrans.widgets import Onglet
from modele.messages import Message, Sens, messages_famille


def dossier(m: Message) -> str:
    if m.supprime:
        return "Supprimés"
    return "Reçus" if m.sens == Sens.DE_LA_FAMILLE else "Envoyés"


class OngletBoite(Onglet):
    def compose(self) -> ComposeResult:
        yield Static("Boîte de réception", classes="titre-section")
        table = DataTable(id="boite-messages", cursor_type="row")
        table.add_columns("Dossier", "Date", "De", "Sujet", "Lu", "Début du message")
        yield table
        yield Static(id="boite-message", classes="cadre")

    def charger(self) -> None:
        with self.app.session() as session:
            self._messages = {m.id: m for m in messages_famille(session, self.famille_id)}
        table = self.query_one("#boite-messages", DataTable)
        table.clear()
        for m in self._messages.values():
            auteur = "La famille" if m.sens == Sens.DE_LA_FAMILLE else "Le service"
            premiere = m.corps.strip().splitlines()[0][:60] if m.corps.strip() else ""
            table.add_row(dossier(m), m.envoye_le.strftime("%d/%m/%Y %H:%M"), auteur, m.sujet,
                          "Oui" if m.lu else "Non", premiere, key=str(m.id))
        if not self._messages:
            self.query_one("#boite-message", Static).update("Aucun message.")

    @on(DataTable.RowHighlighted, "#boite-messages")
    def _apercu(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is None or event.row_key.value is None:
            return
        m = self._messages[int(event.row_key.value)]
        self.query_one("#boite-message", Static).update(f"{m.sujet}\n\n{m.corps}")
