"""The QF campaign (September and February): families whose QF will not be valid for the
next period, a reminder to all of them in one action, and who has updated since."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header

from ecrans.garde import EcranGarde
from ecrans.pied import PiedDePage
from ecrans.table import TableLignes
from ecrans.table_pages import TablePages
from ecrans.texte import Static
from ecrans.widgets import Confirmation
from modele.formats import accord, compte, date_courte, nombre
from modele.messages import relancer_campagne
from modele.quotient import (
    SUJET_RELANCE,
    LigneCampagne,
    RelanceDuJour,
    debut_de_periode,
    entete_campagne,
    page_campagne,
    prochaine_campagne,
    relance_du_jour,
)


class EcranCampagneQF(EcranGarde, Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Retour"),
        Binding("r", "relancer", "Relancer ces familles"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="campagne-titre", classes="titre-section")
        # A list drawing its own lines, read a page at a time: every family of the town may
        # be in it (a DataTable built a row of widgets' worth per family: 1–2 s at 3,000
        # families; reading 50,000 families' rows, 0.7 s).
        table = TablePages(
            "N° famille",
            "Responsable",
            "Ville",
            "Relancée le",
            "Mise à jour",
            abandon=("Ville",),
            zebre=True,
            id="campagne-familles",
        )
        # The list takes the room left (guichet.tcss): a town's families scroll in it, the
        # count above and the help below stay on screen (at 80×24 too).
        yield table
        yield Static(id="campagne-suivi", classes="aide")
        yield PiedDePage()

    def on_mount(self) -> None:
        self.title = "Campagne quotient familial"
        self.a_relancer = 0

    def relance(self) -> RelanceDuJour:
        """The families to remind (read when asked: a town's may be all of them)."""
        if not self.a_relancer:
            return RelanceDuJour([], 0)
        return self.app.lire(relance_du_jour, self.app.aujourdhui)

    def rouvrir(self) -> None:
        """Each showing: the figures and the list read afresh, the first row."""
        self.charger()
        self.query_one(TableLignes).focus()

    def charger(self) -> None:
        jour = self.app.aujourdhui
        debut_campagne = debut_de_periode(jour)
        entete = self.app.lire(entete_campagne, jour)
        self.a_relancer, suivi = entete.a_relancer, entete.suivi
        echeance = prochaine_campagne(jour)
        a_jour = sum(1 for quand, maj in suivi.values() if maj)
        self.query_one("#campagne-titre", Static).update(
            f"{compte(self.a_relancer, 'famille')} sans QF valide au "
            f"{date_courte(echeance)} — {compte(len(suivi), 'relancée')} depuis "
            f"le {date_courte(debut_campagne)}, dont {nombre(a_jour)} à jour"
        )

        def _ligne(f: LigneCampagne) -> tuple[str, tuple[str, ...]]:
            quand, maj = suivi.get(f.famille_id, (None, None))
            etat = (
                f"déclaré le {date_courte(maj)}" if maj else ("à faire" if f.a_faire else "à jour")
            )
            return str(f.famille_id), (
                f.numero,
                f.responsable,
                f.ville,
                quand.strftime("%d/%m/%Y") if quand else "",
                etat,
            )

        def _lire(debut: int, nombre: int) -> list[tuple[str, tuple[str, ...]]]:
            return [_ligne(f) for f in self.app.lire(page_campagne, jour, debut, nombre)]

        table = self.query_one(TablePages)
        table.remplir_pages(entete.familles, _lire(0, TablePages.PAGE), _lire)
        self.query_one("#campagne-suivi", Static).update(
            "Sans mise à jour à l'échéance, la tranche maximale s'applique ; aucun effet "
            "rétroactif sur les factures déjà éditées. Entrée ouvre la famille."
        )

    def action_relancer(self) -> None:
        jour = self.app.aujourdhui
        relance = self.relance()
        familles = relance.familles
        if not familles:
            self.notify(
                f"{compte(relance.deja, 'famille')} à relancer, "
                f"{accord(relance.deja, 'déjà relancée', 'toutes déjà relancées')} "
                "aujourd'hui : pas une seconde fois le même jour."
                if relance.deja
                else "Aucune famille à relancer.",
                severity="warning" if relance.deja else "information",
            )
            return

        def _fin(oui: bool | None) -> None:
            if not oui:
                return
            fait, envoi = self.app.agir_ou_signaler(
                relancer_campagne, self.app.contexte(), familles, jour
            )
            if not fait:
                return
            nombre, n = envoi.envoyees, envoi.deja
            pas = accord(n, "l'a", "l'ont")
            entre_temps = (
                f" {compte(n, 'autre')}, {accord(n, 'relancée')} entre-temps par un autre "
                f"agent, ne {pas} pas été une seconde fois."
                if n
                else ""
            )
            self.notify(
                f"Relance envoyée à {compte(nombre, 'famille')} dans "
                f"{accord(nombre, 'sa', 'leur')} boîte de réception." + entre_temps
                if nombre
                else "Aucune relance envoyée : "
                f"{accord(n, 'la famille a été relancée', 'les familles ont été relancées')} "
                "entre-temps par un autre agent.",
                severity="information" if nombre else "warning",
            )
            self.charger()

        n = relance.deja
        deja = (
            f" {compte(n, 'autre')}, déjà {accord(n, 'relancée')} aujourd'hui, ne "
            f"{accord(n, 'le sera', 'le seront')} pas une seconde fois."
            if n
            else ""
        )
        self.app.push_screen(
            Confirmation(
                f"Envoyer la relance « {SUJET_RELANCE} » à {compte(len(familles), 'famille')} ?"
                + deja
            ),
            _fin,
        )

    @on(TableLignes.LigneChoisie)
    def _ouvrir(self, event: TableLignes.LigneChoisie) -> None:
        self.app.ouvrir_famille(int(event.cle), onglet="quotient")
