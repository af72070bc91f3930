"""Relevé de compte: a school year's invoices and payments, totals and balance (rule 6)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ecrans.widgets import Onglet, fiche
from modele.base import annee_scolaire, libelle_annee_scolaire
from modele.formats import date_courte, montant
from modele.reglements import releve


class OngletReleve(Onglet):
    BINDINGS = [Binding("pageup", "annee(-1)", "Année préc."),
                Binding("pagedown", "annee(1)", "Année suiv.")]

    def compose(self) -> ComposeResult:
        yield Static(id="releve-annee", classes="titre-section")
        yield Static("Relevé des opérations", classes="aide")
        table = DataTable(id="releve-operations", cursor_type="row")
        table.add_columns("N° opération", "Date", "Description", "Régie", "Débit", "Crédit")
        yield table
        yield Static(id="releve-totaux")

    def charger(self) -> None:
        if not hasattr(self, "annee"):
            self.annee = annee_scolaire(self.app.aujourdhui)
        with self.app.session() as session:
            r = releve(session, self.famille_id, self.annee)
        self.query_one("#releve-annee", Static).update(
            f"Année scolaire : {libelle_annee_scolaire(self.annee)}   (PgPréc / PgSuiv pour changer)")
        table = self.query_one("#releve-operations", DataTable)
        table.clear()
        for o in r.operations:
            table.add_row(o.numero, date_courte(o.date), o.description, o.regie,
                          Text(montant(o.debit) if o.debit else "", justify="right"),
                          Text(montant(o.credit) if o.credit else "", justify="right"))
        self.query_one("#releve-totaux", Static).update(fiche([
            ("Ancien solde", montant(r.ancien_solde)),
            ("Total débit", montant(r.total_debit)), ("Total crédit", montant(r.total_credit)),
            ("Solde du compte pour l'année scolaire", montant(r.solde)),
        ], colonnes=1))

    def action_annee(self, decalage: int) -> None:
        self.annee += decalage
        self.charger()
