"""Relevé de compte: a school year's invoices and payments, totals and balance (rule 6)."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding

from ecrans.table import TableLignes, TableSansPages
from ecrans.texte import Static
from ecrans.widgets import Onglet, fiche_texte
from modele.base import annee_scolaire, libelle_annee_scolaire
from modele.formats import date_courte, montant
from modele.reglements import MESSAGE_TRESORERIE, regies_tresorerie, releve


class OngletReleve(Onglet):
    BINDINGS = [
        # (not priority bindings: those are matched as a key arrives, before the keys
        # typed just ahead of it have acted, so `3` + PgSuiv would change the year here)
        Binding("pageup", "annee(-1)", "Année préc."),
        Binding("pagedown", "annee(1)", "Année suiv."),
        Binding("p", "encaisser", "Encaisser"),
        Binding("i", "imprimer", "Imprimer la ligne"),
        Binding("r", "imprimer_releve", "Imprimer le relevé"),
        Binding("v", "avoir", "Avoir"),
        Binding("a", "annuler", "Annuler le règlement"),
        Binding("t", "attestation", "Attestation fiscale"),
        Binding("b", "rembourser", "Rembourser le crédit"),
    ]
    DROITS = {"avoir": "avoir", "annuler": "annuler_reglement", "rembourser": "rembourser"}

    def __init__(self, famille_id: int | None, **kwargs) -> None:
        super().__init__(famille_id, **kwargs)
        self.annee: int | None = None  # the current school year when first shown
        self._premier = True  # first showing for this family: the Trésorerie's régies read

    def compose(self) -> ComposeResult:
        yield Static(id="releve-annee", classes="titre-section")
        yield Static("Relevé des opérations", classes="aide")
        yield TableSansPages(
            "N° opération",
            "Date",
            "Description",
            "Régie",
            "Débit",
            "Crédit",
            droite=["Débit", "Crédit"],
            abandon=["Régie"],
            lignes_detail=2,
            id="releve-operations",
        )
        yield Static(id="releve-totaux")
        yield Static(id="releve-tresorerie", classes="aide")

    def charger(self) -> None:
        if self.annee is None:
            self.annee = annee_scolaire(self.app.aujourdhui)
        r = self.app.lire(releve, self.famille_id, self.annee)
        tresorerie = self.app.lire(regies_tresorerie) if self._premier else []
        # Lines of a fixed height: a year change repaints them without a layout pass.
        self.query_one("#releve-annee", Static).update(
            f"Année scolaire : {libelle_annee_scolaire(self.annee)}   "
            "(PgPréc / PgSuiv pour changer)",
            layout=False,
        )
        self.query_one("#releve-operations", TableLignes).remplir(
            (
                f"f{o.facture_id}" if o.facture_id else f"r{o.reglement_id}",
                (
                    o.numero,
                    date_courte(o.date),
                    o.description,
                    o.regie,
                    montant(o.debit) if o.debit else "",
                    montant(o.credit) if o.credit else "",
                ),
            )
            for o in r.operations
        )
        self.query_one("#releve-totaux", Static).update(
            fiche_texte(
                [
                    ("Ancien solde", montant(r.ancien_solde)),
                    ("Total débit", montant(r.total_debit)),
                    ("Total crédit", montant(r.total_credit)),
                    ("Solde du compte pour l'année scolaire", montant(r.solde)),
                ]
            ),
            layout=self._premier,
        )
        if self._premier:
            self.query_one("#releve-tresorerie", Static).update(
                "\n".join(f"{regie.libelle} : {MESSAGE_TRESORERIE}." for regie in tresorerie)
            )
        self._premier = False

    def oublier(self) -> None:
        super().oublier()
        self.annee = None
        self._premier = True
        self.query_one("#releve-operations", TableLignes).remplir(())

    def action_annee(self, decalage: int) -> None:
        self.annee += decalage
        self.charger()

    def _ligne(self) -> tuple[str, int] | None:
        """The selected operation: ("f", invoice id) or ("r", payment id)."""
        cle = self.query_one("#releve-operations", TableLignes).cle
        if cle is None:
            return None
        return cle[0], int(cle[1:])

    def _apres(self) -> None:
        self.screen.rafraichir()

    @on(TableLignes.LigneChoisie, "#releve-operations")
    def _ouvrir(self, event: TableLignes.LigneChoisie) -> None:
        from ecrans.encaissement import DetailReglement
        from ecrans.facture_detail import EcranFacture

        cle = event.cle
        if cle.startswith("f"):
            self.app.push_screen(EcranFacture(int(cle[1:])))
        else:
            self.app.push_screen(DetailReglement(int(cle[1:])), lambda _: self._apres())

    def action_encaisser(self) -> None:
        from ecrans.encaissement import ouvrir_encaissement

        ligne = self._ligne()
        # An unpaid invoice selected is ticked in the form (a credit note is simply ignored).
        factures = [ligne[1]] if ligne and ligne[0] == "f" else None
        ouvrir_encaissement(self.app, self.famille_id, factures)

    def action_imprimer(self) -> None:
        from ecrans.impression_compte import imprimer_facture, imprimer_recu

        ligne = self._ligne()
        if ligne is None:
            self.notify("Aucune opération sur cette année scolaire.", severity="warning")
        elif ligne[0] == "f":
            imprimer_facture(self.app, ligne[1])
        else:
            imprimer_recu(self.app, ligne[1])

    def action_imprimer_releve(self) -> None:
        from ecrans.impression_compte import imprimer_releve

        imprimer_releve(self.app, self.famille_id, self.annee)

    def action_attestation(self) -> None:
        self._attestation()

    @work(exclusive=True, group="attestation")
    async def _attestation(self) -> None:
        from ecrans.attestations import demander_attestations

        await demander_attestations(self.app, self.famille_id)

    def action_avoir(self) -> None:
        from ecrans.facture_detail import ouvrir_avoir

        ligne = self._ligne()
        if ligne is None or ligne[0] != "f":
            self.notify("Choisissez une facture dans le relevé.", severity="warning")
            return
        ouvrir_avoir(self.app, ligne[1], apres=self._apres)

    def action_annuler(self) -> None:
        from ecrans.encaissement import annuler_depuis

        ligne = self._ligne()
        if ligne is None or ligne[0] != "r":
            self.notify("Choisissez un règlement dans le relevé.", severity="warning")
            return
        annuler_depuis(self.app, ligne[1], apres=self._apres)

    def action_rembourser(self) -> None:
        from ecrans.remboursement import ouvrir_remboursement

        ouvrir_remboursement(self.app, self.famille_id)
