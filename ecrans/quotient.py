"""Quotient familial: the family's QF rows, as in seed 000 (read-only here)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from ecrans.widgets import Onglet
from modele.dossier import quotients
from modele.formats import date_courte, montant
from modele.quotient import StatutQF


class OngletQuotient(Onglet):
    def compose(self) -> ComposeResult:
        yield Static("Quotient familial", classes="titre-section")
        table = DataTable(id="qf-liste", cursor_type="row")
        table.add_columns("Type de quotient", "Dates de validité", "Valeur du quotient",
                          "Tranche du quotient", "Statut")
        yield table

    def charger(self) -> None:
        with self.app.session() as session:
            lignes = quotients(session, self.famille_id)
        table = self.query_one("#qf-liste", DataTable)
        table.clear()
        for qf, tranche in lignes:
            table.add_row(qf.libelle_type or qf.type,
                          f"Du {date_courte(qf.valide_du)} au {date_courte(qf.valide_au)}",
                          montant(qf.valeur), tranche.libelle if tranche else "",
                          StatutQF(qf.statut).libelle, key=str(qf.id))
