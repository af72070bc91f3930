"""The month's billing run, for the régisseur: choose the régie and the month, preview each
family's lines and anomalies, issue every invoice in one transaction (stoppable), print the
month's invoices in one PDF for the post."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, ProgressBar
from textual.worker import WorkerState, get_current_worker

from ecrans.table import DataTable
from ecrans.texte import Static
from ecrans.widgets import Confirmation
from modele.agents import PERMISSIONS, peut
from modele.base import Arret, ErreurMetier
from modele.facturation import (
    Apercu,
    apercu_facturation,
    bornes_mois,
    jours_a_venir,
    question_mois_en_cours,
)
from modele.formats import date_courte, euros, mois_annee, montant
from modele.reglements import facturer_mois
from modele.structure import Regie, regies


class Progression(Message):
    def __init__(self, fait: int, total: int | None) -> None:
        super().__init__()
        self.fait, self.total = fait, total


class ApercuPret(Message):
    def __init__(self, apercu: Apercu) -> None:
        super().__init__()
        self.apercu = apercu


class EmissionFinie(Message):
    """`references` None: stopped, nothing written; `erreur`: refused, nothing written."""

    def __init__(self, references: list[str] | None, erreur: str = "") -> None:
        super().__init__()
        self.references, self.erreur = references, erreur


class EcranFacturation(Screen[None]):
    BINDINGS = [
        Binding("escape", "retour", "Retour"),
        Binding("pageup", "mois(-1)", "Mois préc.", priority=True),
        Binding("pagedown", "mois(1)", "Mois suiv.", priority=True),
        Binding("g", "regie", "Régie suivante"),
        Binding("a", "apercu", "Actualiser"),
        Binding("e", "emettre", "Émettre"),
        Binding("s", "arreter", "Arrêter"),
        Binding("f", "filtre", "Anomalies seules"),
        Binding("i", "imprimer", "Imprimer le mois"),
    ]

    def __init__(self, jour: dt.date) -> None:
        super().__init__()
        precedent = jour.replace(day=1) - dt.timedelta(days=1)  # default: the previous month
        self.annee, self.mois = precedent.year, precedent.month
        self.apercu: Apercu | None = None
        self.anomalies_seules = False
        self.en_cours = ""  # "apercu" | "emission" | ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="facturation-titre", classes="titre-section")
        yield Static(id="facturation-etat", classes="aide")
        yield ProgressBar(id="facturation-progression", show_eta=False)
        table = DataTable(id="facturation-familles", cursor_type="row", zebra_stripes=True)
        table.add_columns("N° famille", "Famille", "Lignes", "Total", "Anomalies")
        yield table
        yield Static("Lignes de la famille", classes="titre-section")
        lignes = DataTable(id="facturation-lignes", cursor_type="row")
        lignes.add_columns("Enfant", "Activité", "Jours", "Prix unitaire", "Montant")
        yield lignes
        yield Static(id="facturation-anomalies", classes="erreur")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Facturation du mois"
        self.regies = self.app.lire(regies)
        self.regie_index = 0
        self.query_one("#facturation-familles", DataTable).focus()
        self.lancer_apercu()

    @property
    def regie(self) -> Regie | None:
        return self.regies[self.regie_index] if self.regies else None

    @property
    def bornes(self) -> tuple[dt.date, dt.date]:
        return bornes_mois(self.annee, self.mois)

    def _titre(self) -> None:
        regie = self.regie
        debut, fin = self.bornes
        self.query_one("#facturation-titre", Static).update(
            f"{regie.libelle if regie else 'Aucune régie'} ({regie.code if regie else ''}) — "
            f"{mois_annee(debut)}, du {date_courte(debut)} au {date_courte(fin)}   "
            "(PgPréc / PgSuiv : mois ; g : régie)"
        )

    def _etat(self, texte: str) -> None:
        self.query_one("#facturation-etat", Static).update(texte)

    # --- preview ------------------------------------------------------------------------------

    def lancer_apercu(self) -> None:
        self._titre()
        self.apercu = None
        self.query_one("#facturation-familles", DataTable).clear()
        self.query_one("#facturation-lignes", DataTable).clear()
        self.query_one("#facturation-anomalies", Static).update("")
        if self.regie is None:
            self._etat("Aucune régie n'est configurée.")
            return
        self.en_cours = "apercu"
        self._etat("Calcul de l'aperçu… (s pour arrêter)")
        barre = self.query_one("#facturation-progression", ProgressBar)
        barre.update(total=None, progress=0)
        barre.display = True
        debut, fin = self.bornes
        self._apercu(self.regie.id, debut, fin)

    @work(thread=True, exclusive=True, group="facturation")
    def _apercu(self, regie_id: int, debut: dt.date, fin: dt.date) -> None:
        worker = get_current_worker()
        try:
            # a read: another counter's payment is never kept waiting by the preview
            apercu = self.app.lire(apercu_facturation, regie_id, debut, fin)
        except ErreurMetier as e:
            self.post_message(EmissionFinie(None, e.message))
            return
        if not worker.is_cancelled:
            self.post_message(ApercuPret(apercu))

    @on(ApercuPret)
    def _apercu_pret(self, message: ApercuPret) -> None:
        debut, _ = self.bornes
        if (
            self.regie is None
            or message.apercu.regie.id != self.regie.id
            or message.apercu.debut != debut
        ):
            return  # an older preview, the agent has moved on
        self.apercu = message.apercu
        self.en_cours = ""
        self.query_one("#facturation-progression", ProgressBar).display = False
        self._remplir()

    def _remplir(self) -> None:
        a = self.apercu
        table = self.query_one("#facturation-familles", DataTable)
        table.clear()
        familles = [f for f in a.familles if f.prevue.anomalies or not self.anomalies_seules]
        table.add_rows(
            [
                (
                    f.numero,
                    f.nom,
                    str(len(f.prevue.lignes)),
                    Text(montant(f.prevue.total), justify="right"),
                    Text(f"{len(f.prevue.anomalies)} ⚠", style="bold")
                    if f.prevue.anomalies
                    else "",
                )
                for f in familles
            ]
        )
        # add_rows gives keys of its own: keep the family ids in the same order.
        self.familles_affichees = familles
        if not a.familles:
            self._etat(
                f"Rien à facturer pour {mois_annee(a.debut)} : aucun jour facturable "
                "qui ne soit déjà sur une facture."
            )
        else:
            filtre = (
                " (familles avec anomalies seulement, f pour tout voir)"
                if self.anomalies_seules
                else ""
            )
            self._etat(
                f"{len(a.familles)} facture{'s' if len(a.familles) > 1 else ''} à "
                f"émettre, total {euros(a.total)} ; {a.avec_anomalies} famille"
                f"{'s' if a.avec_anomalies > 1 else ''} avec anomalies{filtre}. "
                "e : émettre."
            )
        self._detail(0)

    @on(DataTable.RowHighlighted, "#facturation-familles")
    def _famille_choisie(self, event: DataTable.RowHighlighted) -> None:
        self._detail(event.cursor_row)

    def _detail(self, rang: int) -> None:
        lignes = self.query_one("#facturation-lignes", DataTable)
        lignes.clear()
        anomalies = self.query_one("#facturation-anomalies", Static)
        familles = getattr(self, "familles_affichees", [])
        if self.apercu is None or not 0 <= rang < len(familles):
            anomalies.update("")
            return
        f = familles[rang]
        for ligne in f.prevue.lignes:
            activite = self.apercu.activites.get(ligne.activite_id)
            lignes.add_row(
                self.apercu.enfants.get(ligne.enfant_id, ""),
                activite.nom if activite else ligne.libelle,
                str(ligne.quantite),
                Text(montant(ligne.prix_unitaire), justify="right"),
                Text(montant(ligne.montant), justify="right"),
            )
        anomalies.update("\n".join(f"⚠ {a}" for a in f.prevue.anomalies))

    # --- issuing ------------------------------------------------------------------------------

    def action_emettre(self) -> None:
        if not peut(self.app.agent, "facturer"):
            self.notify(PERMISSIONS["facturer"][1], severity="error", timeout=8)
            return
        if self.en_cours:
            self.notify(
                "Attendez la fin du calcul en cours (ou s pour l'arrêter).", severity="warning"
            )
            return
        a = self.apercu
        if a is None or not a.familles:
            self.notify(
                f"Aucune facture à émettre pour {mois_annee(self.bornes[0])}.", severity="warning"
            )
            return
        self._confirmer_emission(a, self.app.aujourdhui)

    @work(exclusive=True, group="confirmation")
    async def _confirmer_emission(self, a: Apercu, jour: dt.date) -> None:
        a_venir = jours_a_venir(a.debut, a.fin, jour)
        if a_venir and not await self.app.push_screen_wait(
            Confirmation(question_mois_en_cours(a_venir))
        ):
            return
        if not await self.app.push_screen_wait(
            Confirmation(
                f"Émettre {len(a.familles)} facture{'s' if len(a.familles) > 1 else ''} "
                f"({euros(a.total)}) de {mois_annee(a.debut)}, régie {a.regie.code}, datées du "
                f"{date_courte(jour)} ?"
            )
        ):
            return
        self.en_cours = "emission"
        self._etat("Émission en cours… (s pour arrêter : rien ne sera émis)")
        barre = self.query_one("#facturation-progression", ProgressBar)
        barre.update(total=len(a.familles), progress=0)
        barre.display = True
        self._emettre(a.regie.id, a.debut, a.fin, jour, a_venir > 0)

    @work(thread=True, exclusive=True, group="facturation")
    def _emettre(
        self, regie_id: int, debut: dt.date, fin: dt.date, jour: dt.date, mois_en_cours: bool
    ) -> None:
        worker = get_current_worker()
        contexte = self.app.contexte()
        try:
            factures = self.app.agir(
                facturer_mois,
                contexte,
                regie_id,
                debut,
                fin,
                jour,
                progression=lambda n, t: self.post_message(Progression(n, t)),
                arret=lambda: worker.is_cancelled,
                mois_en_cours=mois_en_cours,
            )
        except Arret:
            self.post_message(EmissionFinie(None))
            return
        except ErreurMetier as e:
            self.post_message(EmissionFinie(None, e.message))
            return
        self.post_message(EmissionFinie([f.reference for f in factures]))

    @on(Progression)
    def _progression(self, message: Progression) -> None:
        self.query_one("#facturation-progression", ProgressBar).update(
            total=message.total, progress=message.fait
        )

    @on(EmissionFinie)
    def _emission_finie(self, message: EmissionFinie) -> None:
        self.en_cours = ""
        self.query_one("#facturation-progression", ProgressBar).display = False
        if message.erreur:
            self.notify(message.erreur, severity="error", timeout=10)
            self._etat(message.erreur)
            return
        if message.references is None:
            self.notify("Émission arrêtée : aucune facture n'a été émise.", severity="warning")
        elif message.references:
            refs = message.references
            self.notify(
                f"{len(refs)} facture{'s' if len(refs) > 1 else ''} émise"
                f"{'s' if len(refs) > 1 else ''} : {refs[0]} à {refs[-1]}.",
                timeout=10,
            )
        else:
            self.notify("Aucune facture à émettre : tout est déjà facturé.", severity="warning")
        self.lancer_apercu()

    def action_arreter(self) -> None:
        travaux = [
            w
            for w in self.workers
            if w.group == "facturation" and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
        ]
        if not travaux:
            self.notify("Aucun calcul en cours.")
            return
        for w in travaux:
            w.cancel()
        if self.en_cours == "apercu":
            self.en_cours = ""
            self.query_one("#facturation-progression", ProgressBar).display = False
            self._etat("Aperçu arrêté. a : relancer.")
        else:
            self._etat("Arrêt demandé : l'émission s'annule, rien ne sera écrit…")

    # --- navigation ---------------------------------------------------------------------------

    def action_mois(self, decalage: int) -> None:
        if self.en_cours == "emission":
            self.notify("Émission en cours : attendez ou arrêtez-la (s).", severity="warning")
            return
        rang = self.annee * 12 + self.mois - 1 + decalage
        self.annee, self.mois = divmod(rang, 12)
        self.mois += 1
        self.lancer_apercu()

    def action_regie(self) -> None:
        if len(self.regies) < 2 or self.en_cours == "emission":
            return
        self.regie_index = (self.regie_index + 1) % len(self.regies)
        self.lancer_apercu()

    def action_apercu(self) -> None:
        if self.en_cours != "emission":
            self.lancer_apercu()

    def action_filtre(self) -> None:
        self.anomalies_seules = not self.anomalies_seules
        if self.apercu is not None:
            self._remplir()

    def action_imprimer(self) -> None:
        from ecrans.impression_compte import imprimer_factures_du_mois

        if self.regie is None:
            return
        debut, fin = self.bornes
        imprimer_factures_du_mois(self.app, self.regie.id, self.regie.code, debut, fin)

    def action_retour(self) -> None:
        if self.en_cours == "emission":
            self.notify("Émission en cours : attendez ou arrêtez-la (s).", severity="warning")
            return
        self.app.pop_screen()
