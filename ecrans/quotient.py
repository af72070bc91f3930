"""Quotient familial: the family's QF rows as in seed 000, the one in force, the bracket
billed this month; the declaration (d), a QF from a paper attestation (s), birthplaces (l)."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding

from ecrans.table import DataTable
from ecrans.texte import Static
from ecrans.widgets import Onglet
from modele.dossier import quotients
from modele.formats import date_courte, mois_annee, montant
from modele.quotient import StatutQF, lieux_de_naissance_manquants, tranche_du_mois


class OngletQuotient(Onglet):
    BINDINGS = [
        Binding("d", "declarer", "Déclarer (CAF/MSA)"),
        Binding("s", "attestation", "Saisir une attestation"),
        Binding("l", "lieu", "Lieu de naissance"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("Quotient familial", classes="titre-section")
        yield DataTable(id="qf-liste", cursor_type="row")
        yield Static(id="qf-tranche", classes="sous-titre")
        yield Static(id="qf-prealable", classes="aide")

    def oublier(self) -> None:
        super().oublier()
        self.query_one("#qf-liste", DataTable).clear()
        self.query_one("#qf-tranche", Static).update("")
        self.query_one("#qf-prealable", Static).update("")

    def on_resize(self) -> None:
        # A new width: the columns shared again (opened at 120 columns then narrowed to 80,
        # the bracket and the status ran off the right edge).
        if self.charge and self.app.size.width != getattr(self, "_largeur", 0):
            self.charger()

    def charger(self) -> None:
        self._largeur = self.app.size.width
        jour = self.app.aujourdhui
        lire = self.app.lire
        lignes = lire(quotients, self.famille_id)
        tranche, en_vigueur = lire(tranche_du_mois, self.famille_id, jour.replace(day=1))
        manquants = lire(lieux_de_naissance_manquants, self.famille_id)
        table = self.query_one("#qf-liste", DataTable)
        # Within the width, long texts wrapped: at 80 columns the bracket was cut off.
        table.colonnes_partagees(
            self.app.size.width,
            [
                ("Type de quotient", None),
                ("Dates de validité", None),
                ("Valeur du quotient", 10),
                ("Tranche du quotient", None),
                ("Statut", 14),
            ],
        )
        for qf, tranche_qf in lignes:
            style = "bold reverse" if en_vigueur is not None and qf.id == en_vigueur.id else ""
            cellules = [
                qf.libelle_type or qf.type,
                f"Du {date_courte(qf.valide_du)} au {date_courte(qf.valide_au)}",
                montant(qf.valeur),
                # the bracket is the service's, once it has validated the QF
                tranche_qf.libelle if tranche_qf and qf.statut == StatutQF.VALIDE else "",
                StatutQF(qf.statut).libelle,
            ]
            table.add_row(*[Text(c, style=style) for c in cellules], key=str(qf.id), height=None)
        if en_vigueur is not None:
            texte = (
                f"Facturé en {mois_annee(jour).lower()} : {tranche.libelle}\n"
                f"QF en vigueur : {montant(en_vigueur.valeur)} € (en gras ci-dessus)."
            )
        else:
            texte = (
                f"Facturé en {mois_annee(jour).lower()} à la tranche maximale "
                f"({tranche.libelle}) : aucun quotient familial validé pour ce mois."
            )
        self.query_one("#qf-tranche", Static).update(texte)
        self.query_one("#qf-prealable", Static).update(
            "Avant de déclarer : renseigner le lieu de naissance de "
            + " et de ".join(p.nom_prenom for p in manquants)
            + " (touche l)."
            if manquants
            else "Lieux de naissance renseignés : la déclaration est possible (touche d)."
        )

    def action_declarer(self) -> None:
        from ecrans.declaration_qf import EcranDeclarationQF

        self.app.push_screen(
            EcranDeclarationQF(self.famille_id), lambda fait: fait and self.screen.rafraichir()
        )

    def action_attestation(self) -> None:
        from ecrans.declaration_qf import SaisieAttestation

        self.app.push_screen(
            SaisieAttestation(self.famille_id), lambda fait: fait and self.screen.rafraichir()
        )

    @work(group="dialogues")
    async def action_lieu(self) -> None:
        """Fill a birthplace: directly for a régisseur, as a request for an agent d'accueil."""
        from ecrans.lieu_naissance import saisir_lieu_naissance
        from modele.famille import responsables

        personnes = self.app.lire(lieux_de_naissance_manquants, self.famille_id) or [
            p for p in self.app.lire(responsables, self.famille_id) if p
        ]
        if await saisir_lieu_naissance(self.app, self.famille_id, personnes):
            self.screen.rafraichir()
