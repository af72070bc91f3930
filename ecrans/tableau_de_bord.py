"""F11, the dashboard of the head of the service and the régisseur: the month's
fréquentation, the school year's money, the families' QF and the pending requests, each
plot with its figures in a table under it; the CAF's statistics for the year.

Month by month with PgPréc / PgSuiv, as the planning; 1 … 4 choose the section."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.events import ScreenResume
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Header, TabbedContent, TabPane
from textual.worker import get_current_worker

from ecrans.compat_textual import disposer_ecran, disposition_faite, souligner
from ecrans.graphique import Graphique, graduer
from ecrans.pied import PiedDePage
from ecrans.plafonds_caf import ouvrir_plafonds_caf
from ecrans.table import TableLignes, TableSansPages, sans_touches
from ecrans.texte import Static
from ecrans.widgets import Modale, PremiereReprise
from modele.base import ErreurMetier, libelle_annee_scolaire
from modele.formats import (
    compte,
    date_courte,
    heures_minutes,
    mois_annee,
    montant,
    nombre,
)
from modele.statistiques import (
    AGES_DEMANDES,
    PART_NON_POINTES,
    SANS_QF,
    ArgentAnnee,
    ChiffresDuJour,
    FrequentationActivite,
    JourFrequentation,
    MoisFrequentation,
    StatistiquesCaf,
    argent_annee,
    chiffres_du_jour,
    enfants_du_jour,
    frequentation_activite,
    heures,
    mois_frequentation,
    statistiques_caf,
    structures,
)

MOIS_COURTS = "jan fév mar avr mai juin juil aoû sep oct nov déc".split()
JOURS = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]
SECTIONS = ("frequentation", "argent", "familles", "caf")


# The marks of the days that stand out, in the plot (over the day's bars) and in the table.
COMPLET = "▲"
A_POINTER = "!"
# The bars' legends under the charts: plotext's own, drawn inside the chart, covered the
# top of the first bar (77 reserved looked fewer than 77 present). Textures as the bars'.
LEGENDE_FREQUENTATION = Text.assemble(
    ("██", "blue"),
    " Réservés  ",
    ("▒▒", "green"),
    " Présents  ",
    f"{COMPLET} au-delà de la capacité  {A_POINTER} jour passé, "
    f"{round(PART_NON_POINTES * 100)} % ou plus des réservés non pointés",
)
LEGENDE_ARGENT = Text.assemble(("██", "blue"), " Facturé (net)  ", ("▒▒", "green"), " Encaissé")


def _marques(jour: JourFrequentation) -> str:
    return (COMPLET if jour.complet else "") + (A_POINTER if jour.a_pointer else "")


def _heures(minutes: int) -> str:
    """Hours as the CAF counts them, grouped by thousands on screen: "28 813,5"."""
    entier, _, decimales = heures(minutes).partition(",")
    return nombre(int(entier)) + (f",{decimales}" if decimales else "")


def _euros(centimes: int) -> str:
    return montant(centimes)


class DefilementSansPages(VerticalScroll, inherit_bindings=False):
    """A section's scroll whose PgPréc and PgSuiv are the screen's (the month)."""

    BINDINGS = sans_touches(VerticalScroll.BINDINGS, "pageup", "pagedown")


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
        Binding("pageup", "mois(-1)", "Mois préc."),
        Binding("pagedown", "mois(1)", "Mois suiv."),
        Binding("escape", "app.pop_screen", "Retour"),
        Binding("1", "section('frequentation')", "Fréquentation"),
        Binding("2", "section('argent')", "Argent"),
        Binding("3", "section('familles')", "Familles"),
        Binding("4", "section('caf')", "CAF"),
        Binding("a", "activite(1)", "Activité suivante"),
        Binding("A,shift+a", "activite(-1)", "Activité précédente", show=False),
        Binding("s", "structure", "Structure (CAF)"),
        Binding("x", "exporter", "Exporter (CSV)"),
        Binding("p", "plafonds", "Plafonds CAF"),
    ]

    def __init__(self, jour: dt.date, charger: bool = True) -> None:
        """`charger`: read the figures once mounted; False for a screen built ahead, which
        rouvrir() fills at each opening (tui/app.py keeps one for the agent's session)."""
        super().__init__()
        self._charger_monte = charger
        self.annee, self.mois = jour.year, jour.month
        self.vue: MoisFrequentation | None = None
        self.argent: ArgentAnnee | None = None  # the money of the month's school year
        self.du_jour: ChiffresDuJour | None = None
        self.activite_rang = 0
        self._activite_id: int | None = None  # the activity shown, kept across months
        # The month's other activities, read when shown ('a'): a town's month is a million
        # cells, one activity's a tenth of it.
        self._frequentations: dict[int, FrequentationActivite] = {}
        self._a_montrer: set[str] = set()  # sections whose figures came while hidden
        self.structure_rang = 0  # 0: every structure, then structures()[rang - 1]
        self.structures: list[str] = []
        self.caf: StatistiquesCaf | None = None
        self._exporter_apres = False
        # Made ready for an opening on this day while hidden (`preparer`): its figures
        # read and laid in, each plot drawn at its size.
        self._pret_pour: dt.date | None = None
        self._theme_ferme: str | None = None  # the app's theme when it was last closed
        self._section_faite: str | None = None  # shown by its key, before TabActivated

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="tableau-mois", classes="tableau-titre")
        with TabbedContent(id="tableau-sections"):
            with TabPane("Fréquentation", id="frequentation"), Vertical():
                yield Static(id="freq-titre", classes="tableau-ligne")
                yield Graphique(id="freq-graphique")
                yield Static(LEGENDE_FREQUENTATION, id="freq-legende", classes="tableau-legende")
                yield TableSansPages(
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
            with TabPane("Argent", id="argent"), DefilementSansPages(id="argent-defilement"):
                yield Static(id="argent-titre", classes="tableau-ligne")
                yield Graphique(id="argent-graphique")
                yield Static(LEGENDE_ARGENT, id="argent-legende", classes="tableau-legende")
                yield TableSansPages(
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
                yield TableSansPages(
                    "Ancienneté",
                    "Factures",
                    "Reste dû",
                    droite=("Factures", "Reste dû"),
                    id="argent-impayes",
                    classes="tableau-liste",
                )
                yield Static("Encaissements par mode de règlement", classes="tableau-ligne")
                yield TableSansPages(
                    "Mode",
                    "Règlements",
                    "Montant",
                    droite=("Règlements", "Montant"),
                    id="argent-modes",
                    classes="tableau-liste",
                )
            with TabPane("Familles", id="familles"), DefilementSansPages(id="familles-defilement"):
                yield Static(id="familles-titre", classes="tableau-ligne")
                yield Graphique(id="familles-graphique")
                yield TableSansPages(
                    "Tranche QF",
                    "Familles",
                    droite=("Familles",),
                    id="familles-tranches",
                    classes="tableau-liste",
                )
                yield Static(id="familles-campagne", classes="tableau-ligne")
                yield Static("Demandes en attente, par type et ancienneté", classes="tableau-ligne")
                yield TableSansPages(
                    "Type",
                    *(libelle for libelle, _, _ in AGES_DEMANDES),
                    "Total",
                    droite=(*(libelle for libelle, _, _ in AGES_DEMANDES), "Total"),
                    id="familles-demandes",
                    classes="tableau-liste",
                )
            with TabPane("CAF", id="caf"), DefilementSansPages(id="caf-defilement"):
                yield Static(id="caf-titre", classes="tableau-ligne")
                yield Static(id="caf-plafonds", classes="tableau-legende")
                yield TableSansPages(
                    "Activité",
                    "Heures",
                    "Enfants",
                    droite=("Heures", "Enfants"),
                    id="caf-activites",
                    classes="tableau-liste",
                )
                yield TableSansPages(
                    "Tranche QF",
                    "Enfants",
                    "Heures",
                    droite=("Enfants", "Heures"),
                    id="caf-tranches",
                    classes="tableau-liste",
                )
                yield Static("État nominatif", classes="tableau-ligne")
                yield TableSansPages(
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
        if self._charger_monte:
            self.charger()
        else:  # built ahead: made ready for an opening once the screen shown is drawn
            self.call_after_refresh(self._preparer_cache)
        # (the tabs' panes mount after the screen, later still under load: a lookup now
        # could find no table)
        self.call_after_refresh(self._focaliser_jours)

    def _focaliser_jours(self) -> None:
        for table in self.query("#freq-jours").results(TableLignes):
            table.focus()

    def rouvrir(self, jour: dt.date) -> None:
        """A kept screen opened again: as a new one would be (today's month, the first
        activity, the fréquentation shown, nothing of the last opening left), its figures
        read afresh. Composing the screen is most of an opening: it is kept instead.
        (When it was made ready for today while hidden: `reprendre`.)"""
        self._reinitialiser(jour)
        for graphique in self.query(Graphique).results(Graphique):
            graphique.tracer(None)
        for table in self.query(TableLignes).results(TableLignes):
            table.remplir([])
        for titre in ("#freq-titre", "#familles-campagne"):
            self.query_one(titre, Static).update("")
        self.charger()
        self.query_one("#freq-jours", TableLignes).focus()

    def _reinitialiser(self, jour: dt.date) -> None:
        """Today's month, the first activity, the fréquentation shown, no CAF figures."""
        self.workers.cancel_group(self, "tableau")
        self.workers.cancel_group(self, "caf")
        self._pret_pour = None
        self.annee, self.mois = jour.year, jour.month
        self.vue = self.argent = self.du_jour = self.caf = None
        self.activite_rang, self._activite_id, self._frequentations = 0, None, {}
        self.structure_rang, self._exporter_apres = 0, False
        self._a_montrer = set()
        for table in self.query("#caf-defilement TableLignes").results(TableLignes):
            table.remplir([])
        self.query_one("#caf-titre", Static).update("")
        self.query_one(TabbedContent).active = "frequentation"

    # --- made ready while hidden ---------------------------------------------------------

    def preparer(self, jour: dt.date) -> None:
        """Made ready for the next opening while nobody sees it (built ahead after the
        login, or just closed): as `rouvrir` would show it, its figures read in a thread
        and laid into every section, each section laid out in turn and its plot drawn at
        its size, nothing drawn on the terminal. The opening then shows it at once and reads
        the figures again (`reprendre`), redrawing only what changed."""
        if not self.is_mounted or self in self.app.screen_stack:
            return
        self._reinitialiser(jour)
        self._charger(self.app.contexte(), self.annee, self.mois, None, jour)

    def pret_pour(self, jour: dt.date) -> bool:
        return self._pret_pour == jour and self.vue is not None

    def reprendre(self) -> None:
        """An opening of a screen made ready for today (`preparer`): shown as it is, its
        figures read again once it is drawn (the reading's Python would slow the drawing
        down); those that changed meanwhile are shown when read. A preparation still
        reading (closed a moment ago) goes on instead: its figures are as fresh."""
        self._pret_pour = None
        self.query_one("#freq-jours", TableLignes).focus()
        if not any(w.is_running for w in self.workers if w.group == "tableau"):
            self.call_after_refresh(self._relire)

    def _relire(self) -> None:
        if self.is_attached and self.vue is not None and self.is_current:
            self._charger(self.app.contexte(), self.annee, self.mois, self._activite_id)

    def on_screen_suspend(self) -> None:
        self._theme_ferme = self.app.theme
        # Closed (not covered by a dialog): made ready for the next opening, after the
        # screen beneath is drawn.
        self.call_after_refresh(self._preparer_cache)

    def on_screen_resume(self, event: ScreenResume) -> None:
        # (PremiereReprise's runs too.) Textual restyles every widget of a screen that comes
        # back, for a theme changed meanwhile: for this kept screen of ~60 widgets, 20–50
        # ms of each opening; only done when the theme did change while it was hidden.
        if self._theme_ferme is not None and self._theme_ferme == self.app.theme:
            event.refresh_styles = False

    def _preparer_cache(self) -> None:
        """`preparer` for today, if the screen is still the agent's (kept, installed) and
        not shown."""
        app = self.app
        if (
            self.is_attached
            and self not in app.screen_stack
            and app.is_screen_installed(self)
            and getattr(app, "agent", None) is not None
        ):
            self.preparer(app.aujourdhui)

    def _disposer_cache(self, sections: list[str]) -> None:
        """While hidden, one section after the other laid out at the app's size and its
        plot drawn at the size it gets, one section per turn of the loop (a key typed
        meanwhile is not kept waiting)."""
        if not self.is_attached or self.is_current or self._pret_pour is None:
            return
        section = sections[0]
        largeur, hauteur = self.app.size
        if not section:
            # Last, the screen as it will be shown: laid out once more, so that it is not
            # again when pushed.
            if disposer_ecran(self, largeur, hauteur):
                disposition_faite(self)
            return
        switcher = self.query_one("#tableau-sections ContentSwitcher", ContentSwitcher)
        switcher.current = section
        try:
            # twice: a section that scrolls gets its scrollbar from the first pass, which
            # narrows its plot in the second
            if not (
                disposer_ecran(self, largeur, hauteur) and disposer_ecran(self, largeur, hauteur)
            ):
                return
            graphique = {
                "frequentation": "#freq-graphique",
                "argent": "#argent-graphique",
                "familles": "#familles-graphique",
            }[section]
            self.query_one(graphique, Graphique).dessiner_si_besoin()
        finally:
            # the section its tab shows, whatever comes next (an opening may)
            switcher.current = self.query_one(TabbedContent).active
        if sections[1:]:
            self.call_later(self._disposer_cache, sections[1:])

    # --- data --------------------------------------------------------------------------

    def charger(self) -> None:
        """At the opening, read in a thread: the shown activity's month first (the screen
        shows it at once), then the money of its school year and the figures of the day,
        which a town's 50,000 families make slower, shown in their sections when read."""
        self.query_one("#tableau-mois", Static).update("Lecture des chiffres du service…")
        for titre in ("#argent-titre", "#familles-titre"):
            self.query_one(titre, Static).update("Lecture des chiffres du service…")
        self._charger(self.app.contexte(), self.annee, self.mois, self._activite_id)

    @work(thread=True, exclusive=True, group="tableau", exit_on_error=False)
    def _charger(
        self,
        contexte,
        annee: int,
        mois: int,
        activite_id: int | None,
        preparation: dt.date | None = None,
    ) -> None:
        """`preparation`: made ready while hidden for an opening on that day (`preparer`);
        nothing is said of a failure then (the opening reads everything again)."""
        try:
            vue = self.app.lire(mois_frequentation, contexte, annee, mois, activite_id)
        except ErreurMetier as erreur:
            if preparation is None:
                self.app.call_from_thread(self._refuse, erreur.message)
            return
        if get_current_worker().is_cancelled:
            return
        self.app.call_from_thread(self._charge, vue, preparation)
        try:
            argent = self.app.lire(argent_annee, contexte, vue.annee_scolaire)
            if get_current_worker().is_cancelled:
                return
            self.app.call_from_thread(self._argent_lu, argent)
            du_jour = self.app.lire(chiffres_du_jour, contexte)
        except ErreurMetier as erreur:
            if preparation is None:
                self.app.call_from_thread(self.notify, erreur.message, severity="error")
            return
        if get_current_worker().is_cancelled:
            return
        self.app.call_from_thread(self._du_jour_lu, du_jour)
        if preparation is not None:
            self.app.call_from_thread(self._prepare, preparation)

    def _refuse(self, message: str) -> None:
        """A role that may not see it (or a busy base): said, and the screen leaves."""
        self.notify(message, severity="error", timeout=8)
        if self.is_current:
            self.app.pop_screen()

    def _charge(self, vue: MoisFrequentation, preparation: dt.date | None = None) -> None:
        if not self.is_attached or (vue.annee, vue.mois) != (self.annee, self.mois):
            return  # (another month was asked meanwhile)
        if vue != self.vue:  # (read again at an opening, unchanged: nothing drawn again)
            self.vue = vue
            self._frequentations = {}
            self.afficher()
        if preparation is not None and not self.is_current:
            # Ready to open: the fréquentation laid out and drawn now, the other sections
            # once their figures are read.
            self._pret_pour = preparation
            self.call_later(self._disposer_cache, ["frequentation", ""])

    def _argent_lu(self, argent: ArgentAnnee) -> None:
        if not self.is_attached or self.vue is None or argent == self.argent:
            return
        if argent.annee_scolaire == self.vue.annee_scolaire:
            self.argent = argent
            self._montrer_plus_tard("argent")
            if self._pret_pour is not None and not self.is_current:  # (made ready)
                self.call_later(self._disposer_cache, ["argent", ""])

    def _du_jour_lu(self, du_jour: ChiffresDuJour) -> None:
        if self.is_attached and du_jour != self.du_jour:
            self.du_jour = du_jour
            self._montrer_plus_tard("argent", "familles")

    def _prepare(self, jour: dt.date) -> None:
        """Every figure of a preparation laid in: the last section laid out and drawn."""
        if self.is_attached and not self.is_current and self._pret_pour == jour:
            self.call_later(self._disposer_cache, ["familles", ""])

    def _montrer_plus_tard(self, *sections: str) -> None:
        """Figures read for these sections: shown now in the one on screen, in a hidden one
        when it is shown (no frame for a section nobody sees, while the agent works in
        another). A screen not shown (made ready ahead) lays them in at once."""
        active = self.query_one(TabbedContent).active
        for section in sections:
            if section == active or not self.is_current:
                self._montrer_section(section)
            else:
                self._a_montrer.add(section)

    def _montrer_section(self, section: str) -> None:
        self._a_montrer.discard(section)
        if section == "argent":
            self.afficher_argent()
        elif section == "familles":
            self.afficher_familles()

    def action_mois(self, sens: int) -> None:
        if self.vue is None:
            return
        mois = self.annee * 12 + self.mois - 1 + sens
        self.annee, self.mois = divmod(mois, 12)
        self.mois += 1
        avant = self.vue.annee_scolaire
        self.vue = self.app.lire(
            mois_frequentation, self.app.contexte(), self.annee, self.mois, self._activite_id
        )
        self._frequentations = {}
        # Another school year: its money now (the opening's may still be on its way: it is
        # then left aside when it comes).
        lue = self.argent.annee_scolaire if self.argent is not None else avant
        if lue != self.vue.annee_scolaire:
            self.argent = self.app.lire(argent_annee, self.app.contexte(), self.vue.annee_scolaire)
            self._montrer_section("argent")
        if self.caf is not None and self.caf.annee != self.annee:
            self.caf = None
        self.afficher()

    def afficher(self) -> None:
        """The month: its title and the fréquentation (the money and the figures of the day
        are shown when read, and the money again when the school year changes)."""
        vue = self.vue
        assert vue is not None
        debut = dt.date(vue.annee, vue.mois, 1)
        self.query_one("#tableau-mois", Static).update(
            f"{mois_annee(debut)} — année scolaire {libelle_annee_scolaire(vue.annee_scolaire)}"
            " (PgPréc/PgSuiv)"
        )
        # The same activity from month to month (the holidays' ones come and go).
        ids = [i for i, _nom in vue.activites]
        if vue.frequentation is not None:
            self._frequentations[vue.frequentation.activite_id] = vue.frequentation
            self.activite_rang = ids.index(vue.frequentation.activite_id)
        else:
            self.activite_rang = 0
        self.afficher_frequentation()
        if self.query_one(TabbedContent).active == "caf":
            self.afficher_caf()

    @property
    def activite(self) -> FrequentationActivite | None:
        """The activity shown, its month read when first shown."""
        assert self.vue is not None
        if not self.vue.activites:
            return None
        activite_id = self.vue.activites[self.activite_rang][0]
        if activite_id not in self._frequentations:
            self._frequentations[activite_id] = self.app.lire(
                frequentation_activite,
                activite_id,
                self.vue.annee,
                self.vue.mois,
                self.app.aujourdhui,
            )
        return self._frequentations[activite_id]

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
        nombre = len(self.vue.activites) if self.vue else 0
        capacite = (
            compte(activite.capacite, "place") if activite.capacite is not None else "sans limite"
        )
        titre.update(
            Text(f"{activite.nom} ({self.activite_rang + 1}/{nombre}, a : suivante) — {capacite}")
        )
        jours = activite.jours
        etiquettes = [str(j.jour.day) for j in jours]
        marques = [_marques(j) for j in jours]

        def trace(plt) -> None:
            # Two textures, not only two colours: a screen without colour tells them apart.
            plt.multiple_bar(
                etiquettes,
                [[j.reserves for j in jours], [j.presents for j in jours]],
                color=["blue", "green"],
                marker=["█", "▒"],
            )
            if activite.capacite is not None:
                plt.hline(activite.capacite, "red")
            haut = max([activite.capacite or 0, *(j.reserves for j in jours)])
            # Room above the highest bar for the marks of the days that stand out.
            sommet = graduer(plt, haut * (1.25 if any(marques) else 1))
            for rang, (j, marque) in enumerate(zip(jours, marques, strict=True), start=1):
                if marque:
                    plt.text(marque, rang, j.reserves + sommet / 8, alignment="center")

        graphique.tracer(trace, cle=activite)
        lignes = []
        for j, marque in zip(jours, marques, strict=True):
            remarques = []
            if j.complet:
                remarques.append(f"{COMPLET} capacité dépassée")
            if j.a_pointer:
                remarques.append(f"{A_POINTER} {j.non_pointes} à pointer")
            lignes.append(
                (
                    j.jour.isoformat(),
                    [
                        # the month and year are in the screen's title
                        f"{JOURS[j.jour.weekday()]} {j.jour:%d/%m}"
                        + (f" {marque}" if marque else ""),
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
        if self.du_jour is not None:  # (read with the figures of the day)
            self.query_one("#argent-impayes", TableLignes).remplir(
                (str(i), [t.libelle, nombre(t.nombre), _euros(t.montant)])
                for i, t in enumerate(self.du_jour.impayes)
            )
        vue = self.argent
        if vue is None:
            return
        self.query_one("#argent-titre", Static).update(
            f"Facturé et encaissé, année scolaire {libelle_annee_scolaire(vue.annee_scolaire)} "
            "(euros ; une facture compte au mois de son émission, celle de novembre en "
            "décembre)"
        )
        etiquettes = [MOIS_COURTS[m.mois.month - 1] for m in vue.argent]

        def trace(plt) -> None:
            plt.multiple_bar(
                etiquettes,
                [[m.facture_net / 100 for m in vue.argent], [m.encaisse / 100 for m in vue.argent]],
                color=["blue", "green"],
                marker=["█", "▒"],
            )
            graduer(plt, max(max(m.facture_net, m.encaisse) for m in vue.argent) / 100)

        self.query_one("#argent-graphique", Graphique).tracer(trace, cle=vue.argent)
        self.query_one("#argent-mois", TableLignes).remplir(
            (
                m.mois.isoformat(),
                [mois_annee(m.mois), _euros(m.facture), _euros(m.avoirs), _euros(m.encaisse)],
            )
            for m in vue.argent
        )
        self.query_one("#argent-modes", TableLignes).remplir(
            [(t.libelle, [t.libelle, nombre(t.nombre), _euros(t.montant)]) for t in vue.modes]
            or [("", ["Aucun règlement cette année", "", ""])]
        )

    def afficher_familles(self) -> None:
        vue = self.du_jour
        if vue is None:
            return
        total = sum(t.nombre for t in vue.familles)
        self.query_one("#familles-titre", Static).update(
            f"Familles par tranche de quotient familial au {date_courte(self.app.aujourdhui)} "
            f"({compte(total, 'famille')})"
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

        self.query_one("#familles-graphique", Graphique).tracer(trace, cle=familles)
        self.query_one("#familles-tranches", TableLignes).remplir(
            (str(i), [t.libelle, nombre(t.nombre)]) for i, t in enumerate(familles)
        )
        c = vue.campagne
        self.query_one("#familles-campagne", Static).update(
            f"Campagne QF (échéance : {date_courte(c.echeance)}) : "
            f"{compte(c.a_jour, 'famille')} à jour sur {nombre(c.familles)}, "
            f"{nombre(c.a_relancer)} à relancer ; {compte(c.relancees, 'relancée')}, dont "
            f"{nombre(c.declarees)} ont déclaré depuis."
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
            self.query_one("#caf-plafonds", Static).update("")
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
                f"CAF {caf.annee}, {caf.structure or 'toutes structures'} : "
                f"{compte(caf.enfants, 'enfant')}, {_heures(caf.total_minutes)} h réalisées (un "
                "enfant dont le quotient a changé dans l'année compte dans chaque tranche)"
            )
        )
        self.query_one("#caf-plafonds", Static).update(
            f"Plafonds : journée {heures_minutes(caf.plafond_journee)}, demi-journée "
            f"{heures_minutes(caf.plafond_demi_journee)} (p) — s : structure, x : CSV"
        )
        self.query_one("#caf-activites", TableLignes).remplir(
            (
                nom,
                [nom, _heures(sum(caf.heures[nom])), str(caf.enfants_par_activite[nom])],
            )
            for nom in caf.activites
        )
        self.query_one("#caf-tranches", TableLignes).remplir(
            (libelle, [libelle, str(enfants), _heures(minutes)])
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
                    _heures(n.minutes),
                ],
            )
            for rang, n in enumerate(caf.nominatif)
        )

    # --- keys --------------------------------------------------------------------------

    def action_section(self, section: str) -> None:
        onglets = self.query_one(TabbedContent)
        if onglets.active == section:
            return
        onglets.active = section  # (the section is shown at once, the rest comes after)
        # In the frame that shows the section: its figures, its focus and the tab's
        # underline (TabActivated, then Tabs, would each add a frame after it).
        self._section_faite = section
        self._montrer(section)
        souligner(onglets, section)

    @on(TabbedContent.TabActivated)
    def _section_montree(self, event: TabbedContent.TabActivated) -> None:
        section = event.pane.id
        if section is not None and section == self._section_faite:
            self._section_faite = None  # (shown by its key already)
            return
        self._montrer(section)

    def _montrer(self, section: str | None) -> None:
        if section == "caf" and self.vue is not None:
            self.afficher_caf()
        if section in self._a_montrer:
            self._montrer_section(section)
        cible = {
            "frequentation": "#freq-jours",
            "argent": "#argent-defilement",
            "familles": "#familles-defilement",
            "caf": "#caf-defilement",
        }.get(section or "")
        if cible:
            self.query_one(cible).focus()

    def action_activite(self, sens: int) -> None:
        if self.vue is None or not self.vue.activites:
            return
        self.action_section("frequentation")
        self.activite_rang = (self.activite_rang + sens) % len(self.vue.activites)
        self._activite_id = self.vue.activites[self.activite_rang][0]
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

    def action_plafonds(self) -> None:
        """The CAF's daily caps (administrateur); the figures are counted again with them."""
        if self.vue is not None:
            ouvrir_plafonds_caf(self.app, self._plafonds_changes)

    def _plafonds_changes(self, _plafonds) -> None:
        self.caf = None
        if self.query_one(TabbedContent).active == "caf":
            self.afficher_caf()
        else:
            self.action_section("caf")  # shown, hence counted with the new caps

    def action_exporter(self) -> None:
        from ecrans.livraison import livrer
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
            livraison = livrer(self.app, csv_caf(caf), f"{nom}.csv")
        except OSError as erreur:
            self.notify(f"Export impossible : {erreur.strerror or erreur}", severity="error")
            return
        self.notify(f"Statistiques CAF enregistrées : {livraison.lieu}")

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
                f"{compte(len(enfants), 'enfant')}",
                [(str(e.enfant_id), [e.famille_numero, e.nom, e.prenoms, e.etat]) for e in enfants],
            )
        )
