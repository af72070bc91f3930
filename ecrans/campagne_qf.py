"""The QF campaign (September and February): families whose QF will not be valid for the
next period, a reminder to all of them in one action, and who has updated since."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header

from ecrans.pied import PiedDePage
from ecrans.table import TableLignes
from ecrans.texte import Static
from ecrans.widgets import Confirmation, PremiereReprise
from modele.formats import date_courte
from modele.messages import envoyer_a_plusieurs
from modele.quotient import (
    SUJET_RELANCE,
    corps_relance,
    debut_de_periode,
    prochaine_campagne,
    vue_campagne,
)


class EcranCampagneQF(PremiereReprise, Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Retour"),
        Binding("r", "relancer", "Relancer ces familles"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="campagne-titre", classes="titre-section")
        # A list drawing its own lines: every family of the town may be in it (a DataTable
        # built a row of widgets' worth per family: 1–2 s at 3,000 families).
        table = TableLignes(
            "N° famille",
            "Responsable",
            "Ville",
            "Relancée le",
            "Mise à jour",
            abandon=("Ville",),
            zebre=True,
            id="campagne-familles",
        )
        # The list takes the room left: a town's families scroll in it, the count above
        # and the help below stay on screen (at 80×24 too).
        table.styles.height = "1fr"
        yield table
        yield Static(id="campagne-suivi", classes="aide")
        yield PiedDePage()

    def on_mount(self) -> None:
        self.title = "Campagne quotient familial"
        self.charger()
        self.query_one(TableLignes).focus()

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
        a_faire = set(self.familles)  # (a list of a whole town: `in` on it was quadratic)
        lignes = []
        for fid in ids:
            r = noms.get(fid)
            quand, maj = suivi.get(fid, (None, None))
            etat = (
                f"déclaré le {date_courte(maj)}"
                if maj
                else ("à faire" if fid in a_faire else "à jour")
            )
            cellules = (
                infos.get(fid, ""),
                r[0] if r else "",
                r[1] if r else "",
                quand.strftime("%d/%m/%Y") if quand else "",
                etat,
            )
            lignes.append((str(fid), cellules))
        self.query_one(TableLignes).remplir(lignes)
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

    @on(TableLignes.LigneChoisie)
    def _ouvrir(self, event: TableLignes.LigneChoisie) -> None:
        self.app.ouvrir_famille(int(event.cle), onglet="quotient")
