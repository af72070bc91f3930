"""Accueil: the responsable, the balance, unpaid invoices, the collectivité's message and
documents (rule 2 of DESIGN.md)."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding

from ecrans.table import DataTable
from ecrans.texte import Static
from ecrans.widgets import Onglet, dessin_fiche
from modele.dossier import accueil
from modele.formats import date_courte, date_longue, euros, montant, nouveaux_messages
from modele.reglements import MESSAGE_TRESORERIE
from modele.relances import libelle_niveau


class TableDansLaPage(DataTable):
    """The Accueil's unpaid invoices, focused when the tab shows: at its last row (or its
    first), the keys that would move past it scroll the Accueil instead. They did nothing
    there, and the sections below (documents, registration form) were out of the keys'
    reach at 80×24."""

    def _ou_la_page(self, sienne: Callable[[], None], fin: bool, action: str) -> None:
        """The table's own `sienne`, or at its last row (`fin`; else its first) the tab's
        scrolling `action`."""
        if self.row_count and self.cursor_row != (self.row_count - 1 if fin else 0):
            sienne()
        else:
            self._page(action)

    def _page(self, action: str) -> None:
        if isinstance(page := self.parent, Onglet):
            getattr(page, f"action_{action}")()

    def action_cursor_down(self) -> None:
        self._ou_la_page(super().action_cursor_down, True, "scroll_down")

    def action_cursor_up(self) -> None:
        self._ou_la_page(super().action_cursor_up, False, "scroll_up")

    def action_page_down(self) -> None:
        self._ou_la_page(super().action_page_down, True, "page_down")

    def action_page_up(self) -> None:
        self._ou_la_page(super().action_page_up, False, "page_up")

    def action_scroll_end(self) -> None:
        self._page("scroll_end")

    def action_scroll_home(self) -> None:
        self._page("scroll_home")


class OngletAccueil(Onglet):
    BINDINGS = [
        Binding("f", "fiche", "Fiche d'inscription"),
        Binding("p", "encaisser", "Encaisser"),
        Binding("i", "imprimer", "Imprimer la facture"),
        Binding("b", "rembourser", "Rembourser le crédit"),
    ]
    DROITS = {"rembourser": "rembourser"}

    def __init__(self, famille_id: int | None, **kwargs) -> None:
        super().__init__(famille_id, **kwargs)
        self._responsable: list[tuple[str, str]] = []
        self._largeur = 0  # the width the sheet was drawn for

    def compose(self) -> ComposeResult:
        # The filled widgets kept from here: an opening looks none up.
        self._bienvenue = Static(id="accueil-bienvenue", classes="sous-titre")
        self._fiche = Static(id="accueil-responsable")
        self._solde = Static(id="accueil-solde")
        self._tresorerie = Static(id="accueil-tresorerie", classes="aide")
        self._impayees_titre = Static(id="accueil-impayees-titre")
        self._impayees = TableDansLaPage(id="accueil-impayees", cursor_type="row")
        self._impayees.add_columns(
            "N° facture", "Date facture", "Date échéance", "Montant", "Reste dû", "Relance"
        )
        self._total = Static(id="accueil-total")
        self._message = Static(id="accueil-message")
        self._documents = Static(id="accueil-documents")
        self._fiches = Static(id="accueil-fiches")
        yield self._bienvenue
        yield Static("Responsable", classes="titre-section")
        yield self._fiche
        yield Static("Opérations en cours", classes="titre-section")
        yield self._solde
        yield self._tresorerie
        yield Static("Factures impayées", classes="titre-section")
        yield self._impayees_titre
        yield self._impayees
        yield self._total
        yield Static("Message de la collectivité", classes="titre-section")
        yield self._message
        yield Static("Infos./Documents", classes="titre-section")
        yield self._documents
        yield Static("Fiche d'inscription", classes="titre-section")
        yield self._fiches

    def charger(self) -> None:
        app = self.app
        vue = app.lire(accueil, self.famille_id, app.aujourdhui)
        e = vue.entete
        r = e.responsable
        qui = f"{r.premier_prenom} {r.nom}".upper() if r else ""
        self._bienvenue.update(f"Bienvenue {qui}, {nouveaux_messages(e.non_lus)}")
        self._responsable = [
            ("Civilité", r.civilite if r else ""),
            ("Nom", r.nom if r else ""),
            ("N° Famille", e.famille.numero),
            ("Prénom", r.prenoms if r else ""),
        ]
        self._dessiner_responsable()
        jour = date_longue(app.aujourdhui)
        solde = Text.assemble(
            f"À la date du {jour}, votre compte présente un solde de ", (euros(vue.solde), "bold")
        )
        if vue.solde < 0:
            solde.append(" (avoir en faveur de la famille)")
        self._solde.update(solde)
        self._tresorerie.update(
            "\n".join(f"{r.libelle} : {MESSAGE_TRESORERIE}." for r in vue.tresorerie)
        )
        self._impayees_titre.update(
            f"Vos factures impayées à la date du {jour} :"
            if vue.impayees
            else f"Aucune facture impayée à la date du {jour}."
        )
        table = self._impayees
        table.clear()
        for i in vue.impayees:
            f = i.facture
            table.add_row(
                f.reference,
                date_courte(f.date_emission),
                date_courte(f.date_echeance),
                Text(montant(f.total), justify="right"),
                Text(montant(i.reste_du), justify="right"),
                libelle_niveau(vue.relances.get(f.id, 0)),
                key=str(f.id),
            )
        table.display = bool(vue.impayees)
        self._total.update(
            Text.assemble("Total : FACTURES = ", (montant(vue.total_impayes), "bold"))
            if vue.impayees
            else ""
        )
        c = vue.collectivite
        message = Text(c.message_accueil or "")
        contacts = [
            ("Pour l'utilisation du Portail Famille", c.contact_portail),
            ("Pour votre facture", c.contact_factures),
            ("Pour vos inscriptions et réservations", c.contact_inscriptions),
        ]
        for libelle, contact in contacts:
            if contact:
                message.append(f"\n{libelle} : {contact}")
        self._message.update(message)
        documents = Text()
        for d in vue.documents:
            documents.append(f"• [{d.categorie}] ", style="dim")
            documents.append(d.titre)
            if d.description:
                documents.append(f" — {d.description}", style="dim")
            documents.append("\n")
        self._documents.update(documents or "Aucun document.")
        self._enfants = vue.enfants
        fiches = "Touche f : la fiche vierge pour la rentrée scolaire"
        if vue.enfants:
            fiches += ", ou pré-remplie pour " + ", ".join(e.premier_prenom for e in vue.enfants)
        self._fiches.update(fiches + " (PDF).")

    def _dessiner_responsable(self) -> None:
        # (filled before the kept file is shown: its width then is the app's, which
        # largeur_fiche draws for; the first layout then finds the same width, no redraw)
        self._largeur = self.size.width or self.app.size.width
        self._fiche.update(dessin_fiche(self, self._responsable))

    def on_resize(self) -> None:
        # (a sheet drawn as a Text is cut, not wrapped; a Resize also comes each time the
        # tab is shown again, its width unchanged)
        if self._responsable and self.size.width != self._largeur:
            self._dessiner_responsable()

    def action_fiche(self) -> None:
        from ecrans.impression import imprimer_fiche_inscription
        from ecrans.widgets import Choix

        options = [("vierge", "Fiche vierge")] + [
            (str(e.id), f"Fiche pré-remplie : {e.nom_prenom}") for e in self._enfants
        ]

        def _fin(choix: str | None) -> None:
            if choix is not None:
                imprimer_fiche_inscription(
                    self.app, self.famille_id, None if choix == "vierge" else int(choix)
                )

        self.app.push_screen(Choix("Fiche d'inscription", options), _fin)

    def _facture_choisie(self) -> int | None:
        table = self._impayees
        if not table.row_count:
            return None
        return int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    @on(DataTable.RowSelected, "#accueil-impayees")
    def _ouvrir_facture(self, event: DataTable.RowSelected) -> None:
        from ecrans.facture_detail import EcranFacture

        self.app.push_screen(EcranFacture(int(event.row_key.value)))

    def action_encaisser(self) -> None:
        from ecrans.encaissement import ouvrir_encaissement

        ouvrir_encaissement(self.app, self.famille_id)

    def action_imprimer(self) -> None:
        from ecrans.impression_compte import imprimer_facture

        facture_id = self._facture_choisie()
        if facture_id is None:
            self.notify(
                "Aucune facture impayée à imprimer : le Relevé de compte (4) les montre toutes.",
                severity="warning",
            )
            return
        imprimer_facture(self.app, facture_id)

    def action_rembourser(self) -> None:
        from ecrans.remboursement import ouvrir_remboursement

        ouvrir_remboursement(self.app, self.famille_id)
