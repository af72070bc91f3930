"""The QF campaign (September and February): families whose QF will not be valid for the
next period, a reminder to all of them in one action, and who has updated since."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header

from ecrans.table import DataTable
from ecrans.texte import Static
from ecrans.widgets import Confirmation
from modele.formats import date_courte
from modele.messages import envoyer_a_plusieurs
from modele.quotient import (
    SUJET_RELANCE,
    corps_relance,
    debut_de_periode,
    prochaine_campagne,
    vue_campagne,
)


class EcranCampagneQF(Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Retour"),
        Binding("r", "relancer", "Relancer ces familles"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="campagne-titre", classes="titre-section")
        table = DataTable(id="campagne-familles", cursor_type="row", zebra_stripes=True)
        table.add_columns("N° famille", "Responsable", "Ville", "Relancée le", "Mise à jour")
        yield table
        yield Static(id="campagne-suivi", classes="aide")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Campagne quotient familial"
        self.charger()
        self.query_one(DataTable).focus()

    def charger(self) -> None:
        jour = self.app.aujourdhui
        debut_campagne = debut_de_periode(jour)
        vue = self.app.lire(vue_campagne, jour)
        self.familles, suivi, ids = vue.a_relancer, vue.suivi, vue.familles
        infos, noms = vue.numeros, vue.responsables
        echeance = prochaine_campagne(jour)
        a_jour = sum(1 for quand, maj in suivi.values() if maj)
        self.query_one("#campagne-titre", Static).update(
            f"{len(self.familles)} famille(s) sans QF valide au {date_courte(echeance)} — "
            f"{len(suivi)} relancée(s) depuis le {date_courte(debut_campagne)}, "
            f"dont {a_jour} à jour"
        )
        table = self.query_one(DataTable)
        table.clear()
        for fid in ids:
            r = noms.get(fid)
            quand, maj = suivi.get(fid, (None, None))
            etat = (
                f"déclaré le {date_courte(maj)}"
                if maj
                else ("à faire" if fid in self.familles else "à jour")
            )
            table.add_row(
                infos.get(fid, ""),
                r.nom_prenom if r else "",
                r.ville if r else "",
                quand.strftime("%d/%m/%Y") if quand else "",
                etat,
                key=str(fid),
            )
        self.query_one("#campagne-suivi", Static).update(
            "Sans mise à jour à l'échéance, la tranche maximale s'applique ; aucun effet "
            "rétroactif sur les factures déjà éditées. Entrée ouvre la famille."
        )

    def action_relancer(self) -> None:
        if not self.familles:
            self.notify("Aucune famille à relancer.")
            return
        jour = self.app.aujourdhui
        familles = list(self.familles)

        def _fin(oui: bool | None) -> None:
            if not oui:
                return
            fait, nombre = self.app.agir_ou_signaler(
                envoyer_a_plusieurs,
                self.app.contexte(),
                familles,
                SUJET_RELANCE,
                corps_relance(jour),
            )
            if not fait:
                return
            self.notify(f"Relance envoyée à {nombre} famille(s) dans leur boîte de réception.")
            self.charger()

        self.app.push_screen(
            Confirmation(f"Envoyer la relance « {SUJET_RELANCE} » à {len(familles)} famille(s) ?"),
            _fin,
        )

    @on(DataTable.RowSelected)
    def _ouvrir(self, event: DataTable.RowSelected) -> None:
        self.app.ouvrir_famille(int(event.row_key.value), onglet="quotient")
