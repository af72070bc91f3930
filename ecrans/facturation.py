"""The month's billing run, for the régisseur: choose the régie and the month, preview each
family's lines and anomalies, issue every invoice in one transaction, print the month's
invoices in one PDF for the post. Each of the three shows its progress under the title and
stops with s (nothing is written: a preview is a read, the issue is rolled back, the PDF is
not saved)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, ProgressBar
from textual.worker import WorkerState, get_current_worker

from ecrans.garde import EcranGarde
from ecrans.pied import PiedDePage
from ecrans.table import DataTable, DataTableSansPages
from ecrans.texte import Static, indication
from ecrans.widgets import Confirmation
from modele.agents import PERMISSIONS, peut
from modele.base import ETAPES_SANS_ARRET, Arret, ErreurMetier, Progression
from modele.facturation import (
    Apercu,
    apercu_facturation,
    bornes_mois,
    jours_a_venir,
    question_mois_en_cours,
)
from modele.formats import accord, compte, date_courte, euros, mois_annee, montant, nombre
from modele.reglements import facturer_mois
from modele.reservations import EnSuspens, en_suspens, texte_suspens
from modele.structure import Regie, regies


class Avancement(Message):
    """A long action's progress (modele.base.Progression), from its worker thread: its
    last report is read from `source` when the message is handled."""

    def __init__(self, travail: str, source: DernierAvancement) -> None:
        super().__init__()
        self.travail, self.source = travail, source


class DernierAvancement:
    """A worker's `Progression` seen by the screen: the last report kept, and one message
    posted only when none is waiting. 48,889 invoices posted one by one filled the
    screen's queue faster than it was drawn, and s waited behind them (25 s at 50,000
    families) while the bar showed where the work had been."""

    def __init__(self, poster: Callable[[DernierAvancement], None]) -> None:
        self._poster = poster
        self._dernier: tuple[str, int, int | None] = ("", 0, None)
        self._poste = False

    def __call__(self, etape: str, fait: int, total: int | None) -> None:
        self._dernier = (etape, fait, total)
        if not self._poste:
            self._poste = True
            self._poster(self)

    def lire(self) -> tuple[str, int, int | None]:
        """The last report (on the UI thread, as its message is handled)."""
        self._poste = False  # (first: a report from now on posts again)
        return self._dernier


# What s stops, as the state line says it while the work runs.
ARRETS = {
    "apercu": "s pour arrêter",
    "emission": "s pour arrêter : rien ne sera émis",
    "impression": "s pour arrêter : aucun PDF ne sera écrit",
}


class ApercuPret(Message):
    def __init__(self, apercu: Apercu, suspens: EnSuspens) -> None:
        super().__init__()
        self.apercu, self.suspens = apercu, suspens


class EmissionFinie(Message):
    """`references` None: stopped, nothing written; `erreur`: refused, nothing written."""

    def __init__(self, references: list[str] | None, erreur: str = "") -> None:
        super().__init__()
        self.references, self.erreur = references, erreur


class EcranFacturation(EcranGarde, Screen[None]):
    BINDINGS = [
        Binding("pageup", "mois(-1)", "Mois préc."),
        Binding("pagedown", "mois(1)", "Mois suiv."),
        Binding("escape", "retour", "Retour"),
        Binding("g", "regie", "Régie suivante"),
        Binding("a", "apercu", "Actualiser"),
        Binding("e", "emettre", "Émettre"),
        Binding("s", "arreter", "Arrêter"),
        Binding("f", "filtre", "Anomalies seules"),
        Binding("i", "imprimer", "Imprimer le mois"),
        Binding("r", "relances", "Relances"),
        Binding("p", "prelevements", "Prélèvements"),
        Binding("t", "attestations", "Attestations fiscales"),
        Binding("o", "parametres", "Paramètres de la régie"),
    ]

    def __init__(self, jour: dt.date) -> None:
        super().__init__()
        self._mois_par_defaut(jour)
        self.apercu: Apercu | None = None
        self.suspens: EnSuspens | None = None
        self.anomalies_seules = False
        self.en_cours = ""  # "apercu" | "emission" | "impression" | ""
        self._tour = 0  # previews asked for (a deferred one runs if still the last)
        self.impression_arretee = False
        self.sans_arret = False  # the work's last step: nothing can stop it any more
        # (régie, month, what was issued) of this showing's last emission
        self.emission_faite: tuple[int | None, dt.date, str] | None = None
        self._poster_impression: Progression = DernierAvancement(lambda _source: None)

    # Keys offered only to the roles that may use them (modele refuses too).
    DROITS_DES_TOUCHES = {"emettre": "facturer", "relances": "relancer", "prelevements": "prelever"}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """An agent d'accueil is not shown the keys that only say « Seul un régisseur … »."""
        droit = self.DROITS_DES_TOUCHES.get(action)
        return droit is None or peut(self.app.agent, droit)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="facturation-titre", classes="titre-section")
        yield Static(id="facturation-etat", classes="aide")
        yield Static(id="facturation-suspens", classes="aide")
        yield ProgressBar(id="facturation-progression", show_eta=True)
        table = DataTableSansPages(id="facturation-familles", cursor_type="row", zebra_stripes=True)
        table.add_columns("N° famille", "Famille", "Lignes", "Total", "Anomalies")
        yield table
        yield Static("Lignes de la famille", classes="titre-section")
        yield DataTableSansPages(id="facturation-lignes", cursor_type="row")
        yield Static(id="facturation-anomalies", classes="erreur")
        yield PiedDePage()

    def _mois_par_defaut(self, jour: dt.date) -> None:
        precedent = jour.replace(day=1) - dt.timedelta(days=1)  # default: the previous month
        self.annee, self.mois = precedent.year, precedent.month

    def on_mount(self) -> None:
        self.title = "Facturation du mois"
        self._colonnes_lignes()

    def on_resize(self) -> None:
        # A new width: the columns shared again (not at the first layout, just made).
        if self._largeur != self.app.size.width:
            self._colonnes_lignes()
            self._detail(self.query_one("#facturation-familles", DataTable).cursor_row)

    def _colonnes_lignes(self) -> None:
        """The family's lines within the screen's width, a long activity on two lines (the
        amounts ran off the right edge at 80 columns)."""
        self._largeur = self.app.size.width
        self.query_one("#facturation-lignes", DataTable).colonnes_partagees(
            self.app.size.width,
            [
                ("Enfant", 18),
                ("Activité", None),
                ("Jours", 5),
                ("Prix unitaire", 8),
                ("Montant", 9),
            ],
        )

    def rouvrir(self) -> None:
        """Each showing: the previous month, the first régie, every family, its preview
        computed afresh in a worker once the screen is drawn (the worker's thread would
        share the interpreter with the drawing)."""
        self._mois_par_defaut(self.app.aujourdhui)
        self.emission_faite = None
        self.regies = self.app.lire(regies)
        self.regie_index = 0
        self.anomalies_seules = False
        self.query_one("#facturation-familles", DataTable).focus()
        self.lancer_apercu(apres_affichage=True)

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
            + indication("PgPréc / PgSuiv : mois ; g : régie")
        )

    def _etat(self, texte: str) -> None:
        self.query_one("#facturation-etat", Static).update(texte)

    # --- preview ------------------------------------------------------------------------------

    def lancer_apercu(self, apres_affichage: bool = False) -> None:
        self._titre()
        self.apercu = None
        self.suspens = None
        self.query_one("#facturation-suspens", Static).update("")
        self.query_one("#facturation-familles", DataTable).clear()
        self.query_one("#facturation-lignes", DataTable).clear()
        self.query_one("#facturation-anomalies", Static).update("")
        if self.regie is None:
            self._etat("Aucune régie n'est configurée.")
            return
        self._commencer("apercu", "Calcul de l'aperçu", None)
        debut, fin = self.bornes
        arguments = (self.regie.id, debut, fin, self.app.aujourdhui)
        self._tour += 1
        if apres_affichage:
            self.workers.cancel_group(self, "facturation")  # (the last showing's preview)
            self.call_after_refresh(self._apercu_differe, self._tour, arguments)
        else:
            self._apercu(*arguments)

    def _apercu_differe(self, tour: int, arguments: tuple) -> None:
        if tour == self._tour:  # (not replaced meanwhile by another month or régie)
            self._apercu(*arguments)

    def _commencer(self, travail: str, quoi: str, total: int | None) -> None:
        self.en_cours = travail
        self.sans_arret = False
        self._etat(f"{quoi}… ({ARRETS[travail]})")
        barre = self.query_one("#facturation-progression", ProgressBar)
        barre.update(total=total, progress=0)
        barre.display = True

    def _suivi(self, travail: str):
        """This screen's worker's `Progression`: posts each advance; raises `Arret` once the
        worker is cancelled (s, or another preview replacing it)."""
        worker = get_current_worker()
        poster = DernierAvancement(lambda source: self.post_message(Avancement(travail, source)))

        def progression(etape: str, fait: int, total: int | None) -> None:
            if worker.is_cancelled and etape not in ETAPES_SANS_ARRET:
                raise Arret
            poster(etape, fait, total)

        return progression

    @work(thread=True, exclusive=True, group="facturation")
    def _apercu(self, regie_id: int, debut: dt.date, fin: dt.date, jour: dt.date) -> None:
        worker = get_current_worker()
        try:
            # a read: another counter's payment is never kept waiting by the preview
            suivi = self._suivi("apercu")
            apercu = self.app.lire(apercu_facturation, regie_id, debut, fin, suivi)
            suivi("Jours et demandes en suspens", 0, None)  # (seconds at a town's size)
            suspens = self.app.lire(en_suspens, regie_id, debut, fin, jour)
        except Arret:
            return  # stopped, or replaced by another preview: a read, nothing to undo
        except ErreurMetier as e:
            self.post_message(EmissionFinie(None, e.message))
            return
        if not worker.is_cancelled:
            self.post_message(ApercuPret(apercu, suspens))

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
        self.suspens = message.suspens
        self.query_one("#facturation-suspens", Static).update(texte_suspens(message.suspens))
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
            faite = self.emission_faite
            if faite is not None and faite[:2] == (a.regie.id, a.debut):
                self._etat(f"{mois_annee(a.debut)} : {faite[2]}. Plus rien à facturer.")
            else:
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
                f"{compte(len(a.familles), 'facture')} à émettre, total {euros(a.total)} ; "
                f"{compte(a.avec_anomalies, 'famille')} avec anomalies{filtre}. e : émettre."
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
            nom = activite.nom if activite else ligne.libelle
            if ligne.mois is not None:  # « Régularisation mars 2026 (19/03) »
                nom += " — " + ligne.libelle[ligne.libelle.find("Régularisation") :]
            lignes.add_row(
                self.apercu.enfants.get(ligne.enfant_id, ""),
                nom,
                str(ligne.quantite),
                Text(montant(ligne.prix_unitaire), justify="right"),
                Text(montant(ligne.montant), justify="right"),
                height=None,
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
        self._confirmer_emission(a, self.suspens, self.app.aujourdhui)

    @work(exclusive=True, group="confirmation")
    async def _confirmer_emission(
        self, a: Apercu, suspens: EnSuspens | None, jour: dt.date
    ) -> None:
        a_venir = jours_a_venir(a.debut, a.fin, jour)
        if a_venir and not await self.app.push_screen_wait(
            Confirmation(question_mois_en_cours(a_venir))
        ):
            return
        attente = ""
        if suspens is not None and suspens.demandes:
            n = len(suspens.demandes)
            attente = (
                f" {compte(n, 'demande')} encore en attente : ce qu'elle"
                f"{'s' if n > 1 else ''} ajoutera{'nt' if n > 1 else ''} sera facturé "
                "en régularisation le mois suivant."
            )
        if not await self.app.push_screen_wait(
            Confirmation(
                f"Émettre {compte(len(a.familles), 'facture')} "
                f"({euros(a.total)}) de {mois_annee(a.debut)}, régie {a.regie.code}, datées du "
                f"{date_courte(jour)} ?{attente}"
            )
        ):
            return
        self._commencer("emission", "Émission en cours", len(a.familles))
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
                progression=self._suivi("emission"),
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

    @on(Avancement)
    def _avancement(self, message: Avancement) -> None:
        etape, fait, total = message.source.lire()
        if message.travail != self.en_cours:
            return  # a stopped or replaced work's last report
        self.query_one("#facturation-progression", ProgressBar).update(total=total, progress=fait)
        compte = f" : {nombre(fait)} / {nombre(total)}" if total is not None else ""
        self.sans_arret = etape in ETAPES_SANS_ARRET
        arret = "ne peut plus être arrêtée" if self.sans_arret else ARRETS[message.travail]
        self._etat(f"{etape}{compte}… ({arret})")

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
            emises = f"{compte(len(refs), 'facture')} {accord(len(refs), 'émise')}"
            self.notify(f"{emises} : {refs[0]} à {refs[-1]}.", timeout=10)
            if self.regie is not None:  # said again under the next preview (rien à facturer)
                debut, _fin = self.bornes
                self.emission_faite = (self.regie.id, debut, f"{emises}, {refs[0]} à {refs[-1]}")
        else:
            self.notify("Aucune facture à émettre : tout est déjà facturé.", severity="warning")
        self.lancer_apercu()

    def action_arreter(self) -> None:
        if self.en_cours and self.sans_arret:  # (the invoices or the PDF being written)
            quoi = "L'émission" if self.en_cours == "emission" else "L'impression"
            self.notify(
                f"{quoi} s'enregistre : elle ne peut plus être arrêtée.", severity="warning"
            )
            return
        if self.en_cours == "impression":
            self.impression_arretee = True
        travaux = [
            w
            for w in self.workers
            if w.group == "facturation" and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
        ]
        if not travaux and self.en_cours != "impression":
            self.notify("Aucun calcul en cours.")
            return
        for w in travaux:
            w.cancel()
        if self.en_cours == "apercu":
            self.en_cours = ""
            self.query_one("#facturation-progression", ProgressBar).display = False
            self._etat("Aperçu arrêté. a : relancer.")
        elif self.en_cours == "impression":
            self._etat("Arrêt demandé : l'impression s'interrompt, aucun PDF ne sera écrit…")
        else:
            self._etat("Arrêt demandé : l'émission s'annule, rien ne sera écrit…")

    # --- navigation ---------------------------------------------------------------------------

    def _occupe(self) -> bool:
        """An issue or a print is running: the month and the régie stay as they are."""
        if self.en_cours in ("emission", "impression"):
            quoi = "Émission" if self.en_cours == "emission" else "Impression"
            self.notify(f"{quoi} en cours : attendez ou arrêtez-la (s).", severity="warning")
            return True
        return False

    def action_mois(self, decalage: int) -> None:
        if self._occupe():
            return
        rang = self.annee * 12 + self.mois - 1 + decalage
        self.annee, self.mois = divmod(rang, 12)
        self.mois += 1
        self.lancer_apercu()

    def action_regie(self) -> None:
        if len(self.regies) < 2:  # (it did nothing, with no word)
            self.notify("Une seule régie facture ici : pas d'autre à montrer.")
            return
        if self._occupe():
            return
        self.regie_index = (self.regie_index + 1) % len(self.regies)
        self.lancer_apercu()

    def action_apercu(self) -> None:
        if not self._occupe():
            self.lancer_apercu()

    def action_filtre(self) -> None:
        self.anomalies_seules = not self.anomalies_seules
        if self.apercu is not None:
            self._remplir()

    def action_imprimer(self) -> None:
        from ecrans.impression_compte import imprimer_factures_du_mois

        if self.regie is None:
            return
        if self.en_cours:
            self.notify(
                "Attendez la fin du calcul en cours (ou s pour l'arrêter).", severity="warning"
            )
            return
        debut, fin = self.bornes
        self.impression_arretee = False
        self._poster_impression = DernierAvancement(
            lambda source: self.post_message(Avancement("impression", source))
        )
        self._commencer("impression", f"Impression des factures de {mois_annee(debut)}", None)
        imprimer_factures_du_mois(
            self.app,
            self.regie.id,
            self.regie.code,
            debut,
            fin,
            progression=self._suivi_impression,
            fini=self._impression_finie,
        )

    def _suivi_impression(self, etape: str, fait: int, total: int | None) -> None:
        """The print's `Progression` (it runs in the app's print worker, not this screen's)."""
        if self.impression_arretee and etape not in ETAPES_SANS_ARRET:
            raise Arret
        self._poster_impression(etape, fait, total)

    def _impression_finie(self, ecrit: bool) -> None:
        if self.en_cours != "impression":
            return
        self.en_cours = ""
        self.query_one("#facturation-progression", ProgressBar).display = False
        if not ecrit and self.impression_arretee:
            self._etat("Impression arrêtée : aucun PDF n'a été écrit. i : relancer.")
        elif self.apercu is not None:
            self._remplir()

    def action_relances(self) -> None:
        from ecrans.relances import EcranRelances

        if not peut(self.app.agent, "relancer"):
            self.notify(PERMISSIONS["relancer"][1], severity="error", timeout=8)
            return
        self.app.push_screen(EcranRelances(self.app.aujourdhui))

    def action_prelevements(self) -> None:
        from ecrans.prelevements import EcranPrelevements

        if not peut(self.app.agent, "prelever"):
            self.notify(PERMISSIONS["prelever"][1], severity="error", timeout=8)
            return
        self.app.push_screen(EcranPrelevements(self.app.aujourdhui, self.annee, self.mois))

    def action_attestations(self) -> None:
        self._attestations()

    @work(exclusive=True, group="attestations")
    async def _attestations(self) -> None:
        from ecrans.attestations import demander_attestations

        await demander_attestations(self.app, None)

    def action_parametres(self) -> None:
        from ecrans.parametres_regie import ouvrir_parametres_regie

        if self.regie is None:
            return

        def _apres() -> None:
            self.regies = self.app.lire(regies)  # the label may have changed
            self._titre()

        ouvrir_parametres_regie(self.app, self.regie, _apres)

    def action_retour(self) -> None:
        if self._occupe():
            return
        self.app.pop_screen()
