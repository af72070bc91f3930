"""F11, the dashboard of the head of the service and the régisseur: the month's
fréquentation, the school year's money, the families' QF and the pending requests, each
plot with its figures in a table under it; the CAF's statistics for the year.

Month by month with PgPréc / PgSuiv, as the planning; 1 … 4 choose the section."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, TabbedContent, TabPane
from textual.worker import get_current_worker

from ecrans.graphique import Graphique, graduer
from ecrans.pied import PiedDePage
from ecrans.table import TableLignes
from ecrans.texte import Static
from ecrans.widgets import Modale, PremiereReprise
from modele.base import ErreurMetier, annee_scolaire, libelle_annee_scolaire
from modele.formats import date_courte, mois_annee, montant
from modele.statistiques import (
    AGES_DEMANDES,
    SANS_QF,
    FrequentationActivite,
    StatistiquesCaf,
    TableauDeBord,
    argent_par_mois,
    enfants_du_jour,
    frequentation_du_mois,
    heures,
    statistiques_caf,
    structures,
    tableau_de_bord,
)

MOIS_COURTS = "jan fév mar avr mai juin juil aoû sep oct nov déc".split()
JOURS = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]
SECTIONS = ("frequentation", "argent", "familles", "caf")


def _euros(centimes: int) -> str:
    return montant(centimes)


class EnfantsDuJour(Modale[None]):
    """The children of one activity's day (Entrée on a day of the fréquentation)."""

    BINDINGS = [Binding("escape", "dismiss", "Fermer")]

    def __init__(self, titre: str, lignes: list[tuple[str, list[str]]]) -> None:
        super().__init__()
        self.titre, self.lignes = titre, lignes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialogue large", id="tableau-enfants"):
            yield Static(Text(self.titre), classes="titre-dialogue")
            yield TableLignes("N° famille", "Nom", "Prénoms", "État", id="tableau-enfants-liste")

    def on_mount(self) -> None:
        # (Textual calls Modale's on_mount as well: calling it here mounted two footers)
        table = self.query_one(TableLignes)
        table.remplir(self.lignes or [("", ["", "Aucun enfant ce jour", "", ""])])
        table.focus()


class EcranTableauDeBord(PremiereReprise, Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Retour"),
        Binding("pageup", "mois(-1)", "Mois préc.", priority=True),
        Binding("pagedown", "mois(1)", "Mois suiv.", priority=True),
        Binding("1", "section('frequentation')", "Fréquentation"),
        Binding("2", "section('argent')", "Argent"),
        Binding("3", "section('familles')", "Familles"),
        Binding("4", "section('caf')", "CAF"),
        Binding("a", "activite(1)", "Activité suivante"),
        Binding("shift+a", "activite(-1)", "Activité précédente", show=False),
        Binding("s", "structure", "Structure (CAF)"),
        Binding("x", "exporter", "Exporter (CSV)"),
    ]

    def __init__(self, jour: dt.date) -> None:
        super().__init__()
        self.annee, self.mois = jour.year, jour.month
        self.vue: TableauDeBord | None = None
        self.activite_rang = 0
        self._activite_id: int | None = None  # the activity shown, kept across months
        self.structure_rang = 0  # 0: every structure, then structures()[rang - 1]
        self.structures: list[str] = []
        self.caf: StatistiquesCaf | None = None
        self._exporter_apres = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="tableau-mois", classes="tableau-titre")
        with TabbedContent(id="tableau-sections"):
            with TabPane("Fréquentation", id="frequentation"), Vertical():
                yield Static(id="freq-titre", classes="tableau-ligne")
                yield Graphique(id="freq-graphique")
                yield TableLignes(
                    "Jour",
                    "Réservés",
                    "Présents",
                    "Capacité",
                    "Non pointés",
                    "Remarque",
                    droite=("Réservés", "Présents", "Capacité", "Non pointés"),
                    abandon=("Remarque",),
                    id="freq-jours",
                    classes="tableau-table",
                )
            with TabPane("Argent", id="argent"), VerticalScroll(id="argent-defilement"):
                yield Static(id="argent-titre", classes="tableau-ligne")
                yield Graphique(id="argent-graphique")
                yield TableLignes(
                    "Mois",
                    "Facturé",
                    "Avoirs",
                    "Encaissé",
                    droite=("Facturé", "Avoirs", "Encaissé"),
                    id="argent-mois",
                    classes="tableau-liste",
                )
                yield Static(
                    "Impayés par ancienneté (jours après l'échéance)", classes="tableau-ligne"
                )
                yield TableLignes(
                    "Ancienneté",
                    "Factures",
                    "Reste dû",
                    droite=("Factures", "Reste dû"),
                    id="argent-impayes",
                    classes="tableau-liste",
                )
                yield Static("Encaissements par mode de règlement", classes="tableau-ligne")
                yield TableLignes(
                    "Mode",
                    "Règlements",
                    "Montant",
                    droite=("Règlements", "Montant"),
                    id="argent-modes",
                    classes="tableau-liste",
                )
            with TabPane("Familles", id="familles"), VerticalScroll(id="familles-defilement"):
                yield Static(id="familles-titre", classes="tableau-ligne")
                yield Graphique(id="familles-graphique")
                yield TableLignes(
                    "Tranche QF",
                    "Familles",
                    droite=("Familles",),
                    id="familles-tranches",
                    classes="tableau-liste",
                )
                yield Static(id="familles-campagne", classes="tableau-ligne")
                yield Static("Demandes en attente, par type et ancienneté", classes="tableau-ligne")
                yield TableLignes(
                    "Type",
                    *(libelle for libelle, _, _ in AGES_DEMANDES),
                    "Total",
                    droite=(*(libelle for libelle, _, _ in AGES_DEMANDES), "Total"),
                    id="familles-demandes",
                    classes="tableau-liste",
                )
            with TabPane("CAF", id="caf"), VerticalScroll(id="caf-defilement"):
                yield Static(id="caf-titre", classes="tableau-ligne")
                yield TableLignes(
                    "Activité",
                    "Heures",
                    "Enfants",
                    droite=("Heures", "Enfants"),
                    id="caf-activites",
                    classes="tableau-liste",
                )
                yield TableLignes(
                    "Tranche QF",
                    "Enfants",
                    "Heures",
                    droite=("Enfants", "Heures"),
                    id="caf-tranches",
                    classes="tableau-liste",
                )
                yield Static("État nominatif", classes="tableau-ligne")
                yield TableLignes(
                    "N° famille",
                    "Nom",
                    "Prénoms",
                    "Naissance",
                    "Tranche QF",
                    "Jours",
                    "Heures",
                    droite=("Jours", "Heures"),
                    abandon=("Tranche QF", "N° famille"),
                    id="caf-nominatif",
                    classes="tableau-liste",
                )
        yield PiedDePage()

    def on_mount(self) -> None:
        self.title = "Tableau de bord"
        for table in self.query(".tableau-liste").results(TableLignes):
            table.can_focus = False  # the section scrolls; the tables follow
        self.charger()
        self.query_one("#freq-jours", TableLignes).focus()

    # --- data --------------------------------------------------------------------------

    def charger(self) -> None:
        """Everything, at the opening, read in a thread: the screen shows at once and a
        town's figures come when read (PgPréc / PgSuiv wait for them)."""
        self.query_one("#tableau-mois", Static).update("Lecture des chiffres du service…")
        self._charger(self.app.contexte(), self.annee, self.mois)

    @work(thread=True, exclusive=True, group="tableau", exit_on_error=False)
    def _charger(self, contexte, annee: int, mois: int) -> None:
        try:
            vue = self.app.lire(tableau_de_bord, contexte, annee, mois)
        except ErreurMetier as erreur:
            self.app.call_from_thread(self._refuse, erreur.message)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._charge, vue)

    def _refuse(self, message: str) -> None:
        """A role that may not see it (or a busy base): said, and the screen leaves."""
        self.notify(message, severity="error", timeout=8)
        if self.is_current:
            self.app.pop_screen()

    def _charge(self, vue: TableauDeBord) -> None:
        if not self.is_attached:
            return
        self.vue = vue
        self.afficher()

    def action_mois(self, sens: int) -> None:
        if self.vue is None:
            return
        mois = self.annee * 12 + self.mois - 1 + sens
        self.annee, self.mois = divmod(mois, 12)
        self.mois += 1
        frequentation = self.app.lire(
            frequentation_du_mois, self.annee, self.mois, self.app.aujourdhui
        )
        scolaire = annee_scolaire(dt.date(self.annee, self.mois, 1))
        argent = self.vue.argent
        if scolaire != self.vue.annee_scolaire:
            argent = self.app.lire(argent_par_mois, scolaire)
        self.vue = replace(
            self.vue,
            annee=self.annee,
            mois=self.mois,
            annee_scolaire=scolaire,
            frequentation=frequentation,
            argent=argent,
        )
        if self.caf is not None and self.caf.annee != self.annee:
            self.caf = None
        self.afficher()

    def afficher(self) -> None:
        vue = self.vue
        assert vue is not None
        debut = dt.date(vue.annee, vue.mois, 1)
        self.query_one("#tableau-mois", Static).update(
            f"{mois_annee(debut)} — année scolaire {libelle_annee_scolaire(vue.annee_scolaire)}"
            " (PgPréc/PgSuiv)"
        )
        # The same activity from month to month (the holidays' ones come and go).
        ids = [f.activite_id for f in vue.frequentation]
        if self._activite_id in ids:
            self.activite_rang = ids.index(self._activite_id)
        else:
            self.activite_rang = 0
        self.afficher_frequentation()
        self.afficher_argent()
        self.afficher_familles()
        if self.query_one(TabbedContent).active == "caf":
            self.afficher_caf()

    @property
    def activite(self) -> FrequentationActivite | None:
        assert self.vue is not None
        if not self.vue.frequentation:
            return None
        return self.vue.frequentation[self.activite_rang]

    def afficher_frequentation(self) -> None:
        activite = self.activite
        table = self.query_one("#freq-jours", TableLignes)
        graphique = self.query_one("#freq-graphique", Graphique)
        titre = self.query_one("#freq-titre", Static)
        if activite is None:
            titre.update("Aucune activité ouverte ce mois-ci.")
            graphique.tracer(None)
            table.remplir([])
            return
        nombre = len(self.vue.frequentation) if self.vue else 0
        capacite = f"{activite.capacite} places" if activite.capacite is not None else "sans limite"
        titre.update(
            Text(f"{activite.nom} ({self.activite_rang + 1}/{nombre}, a : suivante) — {capacite}")
        )
        jours = activite.jours
        etiquettes = [str(j.jour.day) for j in jours]

        def trace(plt) -> None:
            plt.multiple_bar(
                etiquettes,
                [[j.reserves for j in jours], [j.presents for j in jours]],
                labels=["Réservés", "Présents"],
                color=["blue", "green"],
            )
            if activite.capacite is not None:
                plt.hline(activite.capacite, "red")
            graduer(plt, max([activite.capacite or 0, *(j.reserves for j in jours)]))

        graphique.tracer(trace)
        lignes = []
        for j in jours:
            remarques = []
            if j.complet:
                remarques.append("au-delà de la capacité")
            if j.a_pointer:
                remarques.append("présences à pointer")
            lignes.append(
                (
                    j.jour.isoformat(),
                    [
                        f"{JOURS[j.jour.weekday()]} {date_courte(j.jour)}"
                        + (" !" if remarques else ""),
                        str(j.reserves),
                        str(j.presents),
                        "" if j.capacite is None else str(j.capacite),
                        str(j.non_pointes),
                        ", ".join(remarques),
                    ],
                )
            )
        table.remplir(lignes)

    def afficher_argent(self) -> None:
        vue = self.vue
        assert vue is not None
        self.query_one("#argent-titre", Static).update(
            f"Facturé et encaissé, année scolaire {libelle_annee_scolaire(vue.annee_scolaire)} "
            "(euros)"
        )
        etiquettes = [MOIS_COURTS[m.mois.month - 1] for m in vue.argent]

        def trace(plt) -> None:
            plt.multiple_bar(
                etiquettes,
                [[m.facture_net / 100 for m in vue.argent], [m.encaisse / 100 for m in vue.argent]],
                labels=["Facturé (net)", "Encaissé"],
                color=["blue", "green"],
            )
            graduer(plt, max(max(m.facture_net, m.encaisse) for m in vue.argent) / 100)

        self.query_one("#argent-graphique", Graphique).tracer(trace)
        self.query_one("#argent-mois", TableLignes).remplir(
            (
                m.mois.isoformat(),
                [mois_annee(m.mois), _euros(m.facture), _euros(m.avoirs), _euros(m.encaisse)],
            )
            for m in vue.argent
        )
        self.query_one("#argent-impayes", TableLignes).remplir(
            (str(i), [t.libelle, str(t.nombre), _euros(t.montant)])
            for i, t in enumerate(vue.impayes)
        )
        self.query_one("#argent-modes", TableLignes).remplir(
            [(t.libelle, [t.libelle, str(t.nombre), _euros(t.montant)]) for t in vue.modes]
            or [("", ["Aucun règlement cette année", "", ""])]
        )

    def afficher_familles(self) -> None:
        vue = self.vue
        assert vue is not None
        total = sum(t.nombre for t in vue.familles)
        self.query_one("#familles-titre", Static).update(
            f"Familles par tranche de quotient familial au {date_courte(self.app.aujourdhui)} "
            f"({total} familles)"
        )
        familles = vue.familles
        # Short labels under the bars (the table beside gives the brackets' bounds).
        etiquettes = [
            "Sans QF" if t.libelle == SANS_QF else t.libelle.split(" :")[0].replace("Tranche ", "T")
            for t in familles
        ]

        def trace(plt) -> None:
            plt.bar(etiquettes, [t.nombre for t in familles], color="blue")
            graduer(plt, max(t.nombre for t in familles))

        self.query_one("#familles-graphique", Graphique).tracer(trace)
        self.query_one("#familles-tranches", TableLignes).remplir(
            (str(i), [t.libelle, str(t.nombre)]) for i, t in enumerate(familles)
        )
        c = vue.campagne
        self.query_one("#familles-campagne", Static).update(
            f"Campagne QF (échéance : {date_courte(c.echeance)}) : {c.a_jour} famille(s) à jour "
            f"sur {c.familles}, {c.a_relancer} à relancer ; {c.relancees} relancée(s), dont "
            f"{c.declarees} ont déclaré depuis."
        )
        self.query_one("#familles-demandes", TableLignes).remplir(
            [(d.libelle, [d.libelle, *map(str, d.par_age), str(d.total)]) for d in vue.demandes]
            or [("", ["Aucune demande en attente", *([""] * (len(AGES_DEMANDES) + 1))])]
        )

    def afficher_caf(self) -> None:
        if self.caf is None:
            self.query_one("#caf-titre", Static).update(
                f"Calcul des statistiques CAF {self.annee}…"
            )
            for table in self.query("#caf-defilement TableLignes").results(TableLignes):
                table.remplir([])
            if not self.structures:
                self.structures = self.app.lire(structures)
            structure = self.structures[self.structure_rang - 1] if self.structure_rang else None
            self._calculer_caf(self.annee, structure)
            return
        self._montrer_caf()

    @work(thread=True, exclusive=True, group="caf", exit_on_error=False)
    def _calculer_caf(self, annee: int, structure: str | None) -> None:
        """A year of presences is read whole: in a thread, the screen stays usable."""
        try:
            stats = self.app.lire(statistiques_caf, annee, structure)
        except ErreurMetier as erreur:
            self.app.call_from_thread(self.notify, erreur.message, severity="error")
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._caf_pret, stats)

    def _caf_pret(self, stats: StatistiquesCaf) -> None:
        voulue = self.structures[self.structure_rang - 1] if self.structure_rang else None
        if (stats.annee, stats.structure) != (self.annee, voulue):
            return  # another year or structure was asked meanwhile
        self.caf = stats
        self._montrer_caf()
        if self._exporter_apres:
            self._exporter_apres = False
            self.action_exporter()

    def _montrer_caf(self) -> None:
        caf = self.caf
        self.query_one("#caf-titre", Static).update(
            Text(
                f"Statistiques CAF {caf.annee} — {caf.structure or 'toutes structures'} "
                f"(s : structure, x : CSV) — {caf.enfants} enfant(s), "
                f"{heures(caf.total_minutes)} h réalisées ; plafonds : "
                f"{heures(caf.plafond_journee)} h avec repas, "
                f"{heures(caf.plafond_demi_journee)} h la demi-journée"
            )
        )
        self.query_one("#caf-activites", TableLignes).remplir(
            (
                nom,
                [nom, heures(sum(caf.heures[nom])), str(caf.enfants_par_activite[nom])],
            )
            for nom in caf.activites
        )
        self.query_one("#caf-tranches", TableLignes).remplir(
            (libelle, [libelle, str(enfants), heures(minutes)])
            for libelle, (enfants, minutes) in caf.par_tranche.items()
        )
        self.query_one("#caf-nominatif", TableLignes).remplir(
            (
                str(rang),
                [
                    n.famille_numero,
                    n.nom,
                    n.prenoms,
                    date_courte(n.date_naissance),
                    n.tranche,
                    str(n.jours),
                    heures(n.minutes),
                ],
            )
            for rang, n in enumerate(caf.nominatif)
        )

    # --- keys --------------------------------------------------------------------------

    def action_section(self, section: str) -> None:
        self.query_one(TabbedContent).active = section

    @on(TabbedContent.TabActivated)
    def _section_montree(self, event: TabbedContent.TabActivated) -> None:
        section = event.pane.id
        if section == "caf" and self.vue is not None:
            self.afficher_caf()
        cible = {
            "frequentation": "#freq-jours",
            "argent": "#argent-defilement",
            "familles": "#familles-defilement",
            "caf": "#caf-defilement",
        }.get(section or "")
        if cible:
            self.query_one(cible).focus()

    def action_activite(self, sens: int) -> None:
        if self.vue is None or not self.vue.frequentation:
            return
        self.action_section("frequentation")
        self.activite_rang = (self.activite_rang + sens) % len(self.vue.frequentation)
        self._activite_id = self.vue.frequentation[self.activite_rang].activite_id
        self.afficher_frequentation()

    def action_structure(self) -> None:
        if self.vue is None:
            return
        if not self.structures:
            self.structures = self.app.lire(structures)
        self.structure_rang = (self.structure_rang + 1) % (len(self.structures) + 1)
        self.caf = None
        self.action_section("caf")
        self.afficher_caf()

    def action_exporter(self) -> None:
        from exports.fichiers import ecrire
        from exports.tableur import csv_caf

        if self.vue is None:
            return
        if self.caf is None:
            self.action_section("caf")
            self.afficher_caf()
        caf = self.caf
        if caf is None:
            self._exporter_apres = True  # once computed
            return
        nom = f"statistiques-caf-{caf.annee}" + (f"-{caf.structure}" if caf.structure else "")
        try:
            chemin = ecrire(csv_caf(caf), self.app.reglages.dossier_exports, f"{nom}.csv")
        except OSError as erreur:
            self.notify(f"Export impossible : {erreur.strerror or erreur}", severity="error")
            return
        self.notify(f"Statistiques CAF enregistrées : {chemin}")

    @on(TableLignes.LigneChoisie, "#freq-jours")
    def _enfants_du_jour(self, event: TableLignes.LigneChoisie) -> None:
        activite = self.activite
        if activite is None or not event.cle:
            return
        jour = dt.date.fromisoformat(event.cle)
        enfants = self.app.lire(enfants_du_jour, activite.activite_id, jour)
        self.app.push_screen(
            EnfantsDuJour(
                f"{activite.nom} — {JOURS[jour.weekday()]} {date_courte(jour)} — "
                f"{len(enfants)} enfant(s)",
                [(str(e.enfant_id), [e.famille_numero, e.nom, e.prenoms, e.etat]) for e in enfants],
            )
        )
