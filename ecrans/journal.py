"""The journal for an administrator: by family, agent and dates, newest first, by pages."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Input

from ecrans.garde import EcranGarde
from ecrans.pied import PiedDePage
from ecrans.table import DataTable, DataTableSansPages
from ecrans.texte import Static
from ecrans.widgets import Modale, fiche
from modele.agents import PERMISSIONS, peut
from modele.base import Canal, ErreurMetier
from modele.formats import date_courte
from modele.journal import (
    FiltreJournal,
    LigneJournal,
    detail_lisible,
    libelle_action,
    ligne_journal,
    lire_journal,
)
from modele.validation import verifier_date

PAR_PAGE = 50
COLONNES = [
    ("Date et heure", 19),
    ("Agent", 8),
    ("Canal", 9),
    ("Action", 18),
    ("Objet", 20),
    ("N° famille", 13),
    ("Détail", None),
]
# Below this width the table leaves out these columns (the detail shows them).
LARGEUR_COMPLETE = 110
ETROIT_SANS = ("Canal", "Objet")
CHAMPS = {
    "famille": "#filtre-famille",
    "agent": "#filtre-agent",
    "du": "#filtre-du",
    "au": "#filtre-au",
}


def _moment(ligne: LigneJournal) -> str:
    return f"{date_courte(ligne.horodatage.date())} {ligne.horodatage:%H:%M:%S}"


def _canal(valeur: str) -> str:
    try:
        return Canal(valeur).libelle
    except ValueError:
        return valeur


def _detail(valeurs: dict | None) -> Table | Text:
    paires = detail_lisible(valeurs)
    return fiche(paires, colonnes=1) if paires else Text("—")


class DetailJournal(Modale[None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Fermer")]
    # Nothing to type: the detail scrolls with ↓ ↑ PgSuiv PgPréc (at 80×24 it is taller
    # than the screen).
    AUTO_FOCUS = "VerticalScroll"

    def __init__(self, ligne: LigneJournal) -> None:
        super().__init__()
        self.ligne = ligne

    def compose(self) -> ComposeResult:
        ligne = self.ligne
        with Vertical(classes="formulaire"):
            yield Static(f"Journal n° {ligne.id}", classes="titre-dialogue")
            with VerticalScroll(classes="champs"):
                yield Static(
                    fiche(
                        [
                            ("Date et heure", _moment(ligne)),
                            ("Agent", ligne.agent),
                            ("Canal", _canal(ligne.canal)),
                            ("Action", libelle_action(ligne.action)),
                            ("Objet", ligne.designation),
                            ("N° famille", ligne.numero_famille),
                        ]
                    ),
                    id="detail-entete",
                )
                yield Static("Détail", classes="titre-section")
                yield Static(Text(ligne.detail or "—"), id="detail-texte")
                yield Static("Avant", classes="titre-section")
                yield Static(_detail(ligne.avant), id="detail-avant")
                yield Static("Après", classes="titre-section")
                yield Static(_detail(ligne.apres), id="detail-apres")


class EcranJournal(EcranGarde, Screen[None]):
    _large: bool | None = None  # the Canal and Objet columns shown (None: no column yet)
    BINDINGS = [
        Binding("pageup", "page(-1)", "Page préc."),
        Binding("pagedown", "page(1)", "Page suiv."),
        Binding("escape", "app.pop_screen", "Retour"),
        Binding("ctrl+f", "filtres", "Filtres"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Journal : qui a fait quoi, quand — Entrée dans un filtre pour chercher, "
            "Entrée sur une ligne pour le détail",
            classes="aide",
        )
        with Horizontal(id="journal-filtres"):
            yield Input(id="filtre-famille", placeholder="n° famille", max_length=20)
            yield Input(id="filtre-agent", placeholder="identifiant agent", max_length=30)
            yield Input(id="filtre-du", placeholder="du JJ/MM/AAAA", max_length=10)
            yield Input(id="filtre-au", placeholder="au JJ/MM/AAAA", max_length=10)
        yield Static("", id="erreur-journal", classes="erreur")
        yield DataTableSansPages(id="journal", cursor_type="row", zebra_stripes=True)
        yield Static("", id="journal-page", classes="aide")
        yield PiedDePage()

    def on_mount(self) -> None:
        self.title = "Journal"
        self._montrees: list[tuple[str, ...]] = []  # the rows in the table, key first

    def on_resize(self) -> None:
        if self._colonnes():
            montrees, self._montrees = self._montrees, []
            self._remplir(self.query_one(DataTable), montrees)

    def _colonnes(self) -> bool:
        """Every column within the width: below LARGEUR_COMPLETE, Canal and Objet are left
        to the detail (Entrée), and N° famille stays in view at 80 columns. True if they
        changed (the table is then empty)."""
        large = self.app.size.width >= LARGEUR_COMPLETE
        if large == self._large:
            return False
        self._large = large
        self.query_one(DataTable).colonnes_partagees(
            self.app.size.width, [c for c in COLONNES if large or c[0] not in ETROIT_SANS]
        )
        return True

    def rouvrir(self) -> None:
        """Each showing: no filter, the newest page read afresh."""
        self.filtre = FiltreJournal()
        self._debuts: list[tuple | None] = [None]  # where each page shown so far starts
        self._lignes: dict[int, LigneJournal] = {}
        self._encore = False
        for selecteur in CHAMPS.values():
            self.query_one(selecteur, Input).value = ""
        if not peut(self.app.agent, "lire_journal"):
            self.query_one("#erreur-journal", Static).update(PERMISSIONS["lire_journal"][1])
            return
        self.charger()
        self.query_one(DataTable).focus()

    def preremplir(self) -> None:
        if peut(self.app.agent, "lire_journal"):
            self.filtre, self._debuts = FiltreJournal(), [None]
            self.charger()

    def charger(self) -> None:
        """Read the current page only (keyset: after the last row of the previous page)."""
        try:
            lignes, self._encore = self.app.lire(
                lire_journal,
                self.app.contexte(),
                self.filtre,
                apres=self._debuts[-1],
                limite=PAR_PAGE,
            )
        except ErreurMetier as e:
            self._erreur(e)
            return
        self.query_one("#erreur-journal", Static).update("")
        self._lignes = {ligne.id: ligne for ligne in lignes}
        table = self.query_one(DataTable)
        rangees = [
            (
                str(ligne.id),
                _moment(ligne),
                ligne.agent,
                _canal(ligne.canal),
                libelle_action(ligne.action),
                ligne.designation,
                ligne.numero_famille,
                ligne.detail[:60],
            )
            for ligne in lignes
        ]
        if rangees == self._montrees:
            # The same rows as shown (the journal only grows at its top): only the cursor
            # goes back to the first one; refilling a DataTable is most of an opening.
            table.move_cursor(row=0, animate=False)
        else:
            self._remplir(table, rangees)
        numero = len(self._debuts)
        suite = " — PgSuiv : page suivante" if self._encore else ""
        retour = " — PgPréc : page précédente" if numero > 1 else ""
        self.query_one("#journal-page", Static).update(
            f"Page {numero} — {len(lignes)} ligne{'s' if len(lignes) > 1 else ''}{suite}{retour}"
            if lignes
            else "Aucune ligne ne correspond."
        )

    def _remplir(self, table: DataTable, rangees: list[tuple[str, ...]]) -> None:
        self._colonnes()  # (the first filling, before any Resize: the screen built ahead)
        table.clear()
        for cle, moment, agent, canal, action, objet, famille, detail in rangees:
            cellules = (
                [moment, agent, canal, action, objet] if self._large else [moment, agent, action]
            )
            table.add_row(*cellules, famille, Text(detail), key=cle)
        self._montrees = rangees

    def on_key(self, event: events.Key) -> None:
        """A key typed on the list goes to a filter, as after Ctrl+F: digits to the family's
        number, letters to the agent's identifier (they were lost, and Entrée then opened
        the first row's detail)."""
        # (a filter takes the keys typed in it: a printable key here came from the list,
        # or was sent to it before the first key of a burst moved the focus)
        if not event.is_printable:
            return
        event.stop()
        event.prevent_default()
        champ = self.focused
        if not isinstance(champ, Input):
            champ = self.query_one(
                CHAMPS["famille"] if (event.character or "").isdigit() else CHAMPS["agent"],
                Input,
            )
        self.set_focus(champ)  # at once: the next keys of a burst go to the field
        # (after its Focus, which selects its text: the cursor at the end, then the key)
        champ.call_later(champ.action_end)
        champ.post_message(events.Key(event.key, event.character))

    def _erreur(self, e: ErreurMetier) -> None:
        self.query_one("#erreur-journal", Static).update(e.message)
        if e.champ in CHAMPS:  # a filter refused: no row shown as if found
            self._lignes = {}
            self._remplir(self.query_one(DataTable), [])
            self.query_one("#journal-page", Static).update("")
            self.query_one(CHAMPS[e.champ], Input).focus()

    @on(Input.Submitted)
    def _filtrer(self) -> None:
        if not peut(self.app.agent, "lire_journal"):
            return
        valeur = {c: self.query_one(s, Input).value for c, s in CHAMPS.items()}
        try:
            filtre = FiltreJournal(
                valeur["famille"],
                valeur["agent"],
                verifier_date(valeur["du"], "du"),
                verifier_date(valeur["au"], "au"),
            )
        except ErreurMetier as e:
            self._erreur(e)
            return
        self.filtre = filtre
        self._debuts = [None]
        self.charger()
        if self._lignes:
            self.query_one(DataTable).focus()

    def action_page(self, pas: int) -> None:
        if pas > 0 and self._encore and self._lignes:
            dernier = list(self._lignes.values())[-1]
            self._debuts.append(dernier.curseur)
        elif pas < 0 and len(self._debuts) > 1:
            self._debuts.pop()
        else:
            return
        self.charger()

    def action_filtres(self) -> None:
        self.query_one("#filtre-famille", Input).focus()

    @on(DataTable.RowSelected, "#journal")
    def _detail(self, event: DataTable.RowSelected) -> None:
        try:
            ligne = self.app.lire(ligne_journal, self.app.contexte(), int(event.row_key.value))
        except ErreurMetier as e:
            self._erreur(e)
            return
        self.app.push_screen(DetailJournal(ligne))
