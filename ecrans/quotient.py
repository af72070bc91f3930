"""Quotient familial: the family's QF rows as in seed 000, the one in force, the bracket
billed this month; the declaration (d), a QF from a paper attestation (s), birthplaces (l)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ecrans.widgets import Choix, Onglet
from modele.agents import peut
from modele.base import ErreurMetier
from modele.demandes import TypeDemande, creer_demande
from modele.dossier import quotients
from modele.famille import renseigner_lieu_naissance
from modele.formats import date_courte, montant, mois_annee
from modele.quotient import StatutQF, lieux_de_naissance_manquants, tranche_du_mois


class OngletQuotient(Onglet):
    BINDINGS = [
        Binding("d", "declarer", "Déclarer (CAF/MSA)"),
        Binding("s", "attestation", "Saisir une attestation"),
        Binding("l", "lieu", "Lieu de naissance"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("Quotient familial", classes="titre-section")
        table = DataTable(id="qf-liste", cursor_type="row")
        table.add_columns("Type de quotient", "Dates de validité", "Valeur du quotient",
                          "Tranche du quotient", "Statut")
        yield table
        yield Static(id="qf-tranche", classes="sous-titre")
        yield Static(id="qf-prealable", classes="aide")

    def charger(self) -> None:
        jour = self.app.aujourdhui
        with self.app.session() as session:
            lignes = quotients(session, self.famille_id)
            tranche, en_vigueur = tranche_du_mois(session, self.famille_id, jour.replace(day=1))
            manquants = lieux_de_naissance_manquants(session, self.famille_id)
        table = self.query_one("#qf-liste", DataTable)
        table.clear()
        for qf, tranche_qf in lignes:
            style = "bold reverse" if en_vigueur is not None and qf.id == en_vigueur.id else ""
            cellules = [qf.libelle_type or qf.type,
                        f"Du {date_courte(qf.valide_du)} au {date_courte(qf.valide_au)}",
                        montant(qf.valeur),
                        # the bracket is the service's, once it has validated the QF
                        tranche_qf.libelle if tranche_qf and qf.statut == StatutQF.VALIDE else "",
                        StatutQF(qf.statut).libelle]
            table.add_row(*[Text(c, style=style) for c in cellules], key=str(qf.id))
        if en_vigueur is not None:
            texte = (f"Facturé en {mois_annee(jour).lower()} : {tranche.libelle} "
                     f"(QF en vigueur {montant(en_vigueur.valeur)} €, en gras ci-dessus).")
        else:
            texte = (f"Facturé en {mois_annee(jour).lower()} à la tranche maximale "
                     f"({tranche.libelle}) : aucun quotient familial validé pour ce mois.")
        self.query_one("#qf-tranche", Static).update(texte)
        self.query_one("#qf-prealable", Static).update(
            "Avant de déclarer : renseigner le lieu de naissance de "
            + " et de ".join(p.nom_prenom for p in manquants) + " (touche l)." if manquants
            else "Lieux de naissance renseignés : la déclaration est possible (touche d).")

    def action_declarer(self) -> None:
        from ecrans.declaration_qf import EcranDeclarationQF

        self.app.push_screen(EcranDeclarationQF(self.famille_id),
                             lambda fait: fait and self.screen.rafraichir())

    def action_attestation(self) -> None:
        from ecrans.declaration_qf import SaisieAttestation

        self.app.push_screen(SaisieAttestation(self.famille_id),
                             lambda fait: fait and self.screen.rafraichir())

    def action_lieu(self) -> None:
        """Fill a birthplace: directly for a régisseur, as a request for an agent d'accueil."""
        from ecrans.lieu_naissance import LieuNaissance

        with self.app.session() as session:
            personnes = lieux_de_naissance_manquants(session, self.famille_id) or []
            if not personnes:
                from modele.famille import responsables

                personnes = [p for p in responsables(session, self.famille_id) if p]
        choix = [(str(p.id), f"{p.nom_prenom} ({p.role})") for p in personnes]

        def _personne(ident: str | None) -> None:
            if ident is None:
                return
            personne = next(p for p in personnes if p.id == int(ident))

            def _fin(valeurs: dict[str, str] | None) -> None:
                if valeurs is not None:
                    self._enregistrer_lieu(personne, valeurs)

            self.app.push_screen(LieuNaissance(personne.nom_prenom), _fin)

        self.app.push_screen(Choix("Lieu de naissance de…", choix), _personne)

    def _enregistrer_lieu(self, personne, valeurs: dict[str, str]) -> None:  # noqa: ANN001
        app = self.app
        with app.session() as session:
            try:
                if peut(app.agent, "modifier_fiche"):
                    renseigner_lieu_naissance(session, app.contexte(), personne.id, valeurs)
                    message = "Lieu de naissance enregistré."
                else:
                    type_ = (TypeDemande.RESPONSABLE if personne.role == "responsable"
                             else TypeDemande.CONJOINT)
                    creer_demande(session, app.contexte(), self.famille_id, type_, valeurs)
                    message = ("Lieu de naissance enregistré comme demande : un régisseur doit "
                               "l'accepter avant la déclaration.")
                session.commit()
            except ErreurMetier as e:
                session.rollback()
                self.notify(e.message, severity="error")
                return
        self.notify(message)
        self.screen.rafraichir()
