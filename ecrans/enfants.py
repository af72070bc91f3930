"""Mes enfants: the children, the monthly planning grid of the selected child, its file.

On the grid: r requests a booking, a declares an absence, c records a medical certificate,
o records presence, Entrée or a right click opens the cell's menu; e goes to the next child;
d opens the child's requests and enrolments. The cell actions are in
ecrans/enfants_planning.py, the child's file actions in ecrans/enfants_demandes.py; this
module shows the list of children, the grid and the child's file.
"""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding

from ecrans.compat_textual import mesurer_table
from ecrans.enfants_demandes import DemandesEnfant
from ecrans.enfants_planning import ActionsPlanning
from ecrans.grille_planning import GrillePlanning, LegendeComplete, LegendePlanning
from ecrans.table import DataTable
from ecrans.texte import Static
from ecrans.widgets import Onglet, dessin_fiche
from modele.base import annee_scolaire, libelle_annee_scolaire
from modele.dossier import vue_enfants
from modele.famille import MASQUE, Enfant, NiveauScolaire, PersonneAutorisee, age
from modele.formats import date_courte, mois_annee, oui_non
from modele.grille import grille

# The grid's keys as its footer and F1 name them (GrillePlanning.BINDINGS), and the tab's.
AIDE_PLANNING = (
    "PgPréc / PgSuiv : mois, t : ce mois, e : enfant suivant, m : même jour chaque "
    "semaine, p : tous les jours ouverts, maj+flèches : plage"
)


class OngletEnfants(ActionsPlanning, DemandesEnfant, Onglet):
    """The list of children, the selected child's month and file; the actions come from
    ActionsPlanning (the cells) and DemandesEnfant (the child's file)."""

    BINDINGS = [
        Binding("e", "enfant_suivant", "Enfant suivant"),
        Binding("r", "reservation", "Réserver"),
        Binding("a", "absence", "Absence"),
        Binding("c", "certificat", "Certificat"),
        Binding("o", "pointage", "Pointer"),
        Binding("enter", "menu", "Menu de la case", show=False),
        Binding("d", "demandes_enfant", "Demandes et inscriptions"),
        Binding("question_mark", "legende", "Légende"),
    ]

    def __init__(self, famille_id: int, **kwargs) -> None:
        super().__init__(famille_id, **kwargs)
        self.enfant_id: int | None = None
        self.mois: dt.date | None = None
        self._enfants: dict[int, Enfant] = {}
        self._largeur = 0  # the width the child's sheet was drawn for

    def compose(self) -> ComposeResult:
        yield Static(id="enfants-titre", classes="titre-section")
        yield DataTable(id="enfants-liste", cursor_type="row")
        yield Static(id="planning-titre", classes="titre-section")
        yield Static(
            AIDE_PLANNING,
            id="planning-aide",
            classes="aide",
        )
        yield GrillePlanning(id="planning")
        yield LegendePlanning(id="planning-legende", classes="legende")
        yield Static("Fiche de l'enfant", classes="titre-section")
        yield Static(id="enfant-fiche")

    def focus_premier(self) -> None:
        # At once (Onglet's), without Textual's scroll to the focus: it centred the grid
        # when the grid was already laid out, and did nothing when it was not, so the view
        # at 80×24 depended on timing. Once laid out, the planning comes into view, its
        # title (the child, the month) at the top.
        self.screen.set_focus(self.query_one(GrillePlanning), scroll_visible=False)
        self.call_after_refresh(self._grille_en_vue)

    def _grille_en_vue(self) -> None:
        grille = self.query_one(GrillePlanning)
        if grille.has_focus and grille.display:
            titre = self.query_one("#planning-titre", Static)
            self.scroll_to_widget(titre, animate=False, top=True, immediate=True)

    def oublier(self) -> None:
        super().oublier()
        self.enfant_id, self.mois = None, None
        self._enfants, self._inscriptions, self._personnes = {}, {}, {}
        self.query_one("#enfants-liste", DataTable).clear()
        for ident in ("#enfants-titre", "#planning-titre", "#enfant-fiche"):
            self.query_one(ident, Static).update("")
        self.query_one(GrillePlanning).oublier()

    def charger(self) -> None:
        aujourdhui = self.app.aujourdhui
        annee = annee_scolaire(aujourdhui)
        agent_id = self.app.agent.id if self.app.agent else None
        vue = self.app.lire(vue_enfants, self.famille_id, agent_id, annee)
        self._enfants = vue.enfants
        self._inscriptions = vue.inscriptions
        self._personnes: dict[int, list[PersonneAutorisee]] = vue.personnes
        self.query_one("#enfants-titre", Static).update(
            f"Enfants — inscriptions {libelle_annee_scolaire(annee)}"
        )
        table = self.query_one("#enfants-liste", DataTable)
        # Within the width, the enrolments wrapped: no sideways scrollbar, whose coming a
        # moment later moved the planning below by a line.
        table.colonnes_partagees(
            self.app.size.width,
            [
                ("Nom", 14),
                ("Prénoms", 14),
                ("Né(e) le", 10),
                ("Âge", 6),
                ("Niveau", 11),
                ("Inscriptions", None),
            ],
        )
        for e in self._enfants.values():
            activites = ", ".join(a.libelle for a in self._inscriptions[e.id]) or "—"
            table.add_row(
                e.nom,
                e.prenoms,
                date_courte(e.date_naissance),
                f"{age(e.date_naissance, aujourdhui)} ans",
                NiveauScolaire(e.niveau).libelle,
                activites,
                key=str(e.id),
                height=None,
            )
        # Its height now, not at its next idle: the planning scrolled to the top of the view
        # below it must not move down a line after (ecrans.compat_textual.mesurer_table).
        mesurer_table(table)
        grille_widget = self.query_one(GrillePlanning)
        if not self._enfants:
            self.query_one("#enfant-fiche", Static).update("Aucun enfant enregistré.")
            self.query_one("#planning-titre", Static).update("Planning")
            grille_widget.display = False
            return
        grille_widget.display = True
        if self.enfant_id not in self._enfants:
            self.enfant_id = next(iter(self._enfants))
        table.move_cursor(row=list(self._enfants).index(self.enfant_id))
        self.montrer_enfant(self.enfant_id)

    @on(DataTable.RowHighlighted, "#enfants-liste")
    def _ligne(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value:
            enfant_id = int(event.row_key.value)
            if enfant_id != self.enfant_id:
                self.montrer_enfant(enfant_id)

    def montrer_enfant(self, enfant_id: int) -> None:
        self.enfant_id = enfant_id
        self._fiche(enfant_id)
        if self.mois is None:  # (first shown: the cursor on today, as `t` puts it)
            aujourdhui = self.app.aujourdhui
            self.charger_mois(aujourdhui.replace(day=1), jour_vise=aujourdhui.day)
        else:
            self.charger_mois(self.mois)

    def charger_mois(self, mois: dt.date, jour_vise: int | None = None) -> None:
        """Read and show one month of the selected child's planning (the month only)."""
        self.mois = mois
        g = self.app.lire(grille, self.enfant_id, mois.year, mois.month)
        self.query_one(GrillePlanning).montrer(g, self.app.aujourdhui, jour_vise)
        enfant = self._enfants[self.enfant_id]
        # One line of fixed height: a month change repaints it without a layout pass.
        self.query_one("#planning-titre", Static).update(
            f"Planning de {enfant.premier_prenom} {enfant.nom} — {mois_annee(mois)}", layout=False
        )

    @on(GrillePlanning.MoisChange)
    def _mois(self, event: GrillePlanning.MoisChange) -> None:
        event.stop()
        if self.enfant_id is None:
            return
        if event.vise is not None:
            self.charger_mois(event.vise.replace(day=1), jour_vise=event.vise.day)
        elif self.mois is not None:
            rang = self.mois.year * 12 + self.mois.month - 1 + event.pas
            self.charger_mois(dt.date(rang // 12, rang % 12 + 1, 1))

    @on(GrillePlanning.Action)
    def _menu_de_la_case(self) -> None:
        self.action_menu()

    def action_legende(self) -> None:
        self.app.push_screen(LegendeComplete())

    def action_enfant_suivant(self) -> None:
        if not self._enfants:
            return
        ids = list(self._enfants)
        suivant = ids[(ids.index(self.enfant_id) + 1) % len(ids)]
        self.query_one("#enfants-liste", DataTable).move_cursor(row=ids.index(suivant))
        self.montrer_enfant(suivant)
        self.query_one(GrillePlanning).focus()

    def on_resize(self) -> None:
        # (a sheet drawn as a Text is cut, not wrapped; a Resize also comes each time the
        # tab is shown again, its width unchanged)
        if self.enfant_id in self._enfants and self.size.width != self._largeur:
            self._fiche(self.enfant_id)

    def _fiche(self, enfant_id: int) -> None:
        self._largeur = self.size.width or self.app.size.width  # (drawn hidden: the app's)
        e: Enfant = self._enfants[enfant_id]
        personnes = (
            "; ".join(
                f"{p.prenom} {p.nom} ({p.lien}) {p.telephone}".strip()
                for p in self._personnes[enfant_id]
            )
            or "Aucune"
        )
        activites = ", ".join(a.nom for a in self._inscriptions[enfant_id]) or "Aucune"
        self.query_one("#enfant-fiche", Static).update(
            dessin_fiche(
                self,
                [
                    ("Nom", e.nom),
                    ("Prénoms", e.prenoms),
                    ("Né(e) le", date_courte(e.date_naissance)),
                    ("Sexe", e.sexe),
                    ("Niveau", NiveauScolaire(e.niveau).libelle),
                    ("École", e.ecole),
                    ("Classe", e.classe),
                    ("Lunettes", oui_non(e.lunettes) if e.allergies != MASQUE else MASQUE),
                    ("Allergies", e.allergies),
                    ("PAI", oui_non(e.pai) if e.allergies != MASQUE else MASQUE),
                    ("Régime alimentaire", e.regime_alimentaire),
                    ("Médecin", e.medecin),
                    ("Tél. médecin", e.telephone_medecin),
                    ("Autorisation photos", oui_non(e.autorisation_photo)),
                    ("Sortie seul", oui_non(e.autorisation_sortie_seul)),
                    ("Autorisation de soins", oui_non(e.autorisation_soins)),
                    ("Personnes autorisées", personnes),
                    ("Inscriptions", activites),
                ],
            )
        )

    def _apres(self, message: str) -> None:
        self.notify(message)
        self.charger_mois(self.mois, self.query_one(GrillePlanning).colonne + 1)
        self.screen.rafraichir_entete()
        self.app.rafraichir_compteurs()
