"""The monthly planning grid: one widget that draws its lines directly (no cell widgets),
so that a month change is a query and a few strips, not a table refill."""

from __future__ import annotations

import datetime as dt

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from modele.grille import Cellule, Fond, Grille
from modele.planning import EtatConsommation as E

JOURS = ["Lu", "Ma", "Me", "Je", "Ve", "Sa", "Di"]
LARGEUR_NOM = 34
LARGEUR_RESPONSABLE = 18
LARGEUR_JOUR = 3
ENTETE = 2  # weekday line, day-number line

# state → (glyph, component class); the portal's legend, in its order
ETATS = {
    E.RESERVE: ("✓", "reserve"), E.PRESENT: ("P", "present"), E.ERREUR: ("E", "erreur"),
    E.CONGE: ("C", "conge"), E.HORS_CONTRAT: ("H", "hors-contrat"), E.REGULIER: ("R", "regulier"),
    E.FERMETURE: ("F", "fermeture"), E.ABSENT_FACTURE: ("A€", "absent-facture"),
    E.DEMANDE_ATTENTE: ("?", "demande-attente"), E.ABSENT_EXCUSE: ("AE", "absent-excuse"),
    E.RESERVATION_EN_COURS: ("✓?", "en-cours"), E.RESERVATION_REFUSEE: ("✗", "refuse"),
    E.ABSENCE_EN_COURS: ("A?", "en-cours"),
}
FONDS = {
    Fond.LIBRE: ("", "libre"), Fond.FERME: ("", "ferme"), Fond.FERIE: ("JF", "ferie"),
    Fond.PETITES_VACANCES: ("", "petites-vacances"), Fond.GRANDES_VACANCES: ("", "grandes-vacances"),
    Fond.FERMETURE: ("F", "fermeture"), Fond.HORS_INSCRIPTION: ("", "ferme"),
}
LEGENDE = [(ETATS[e][0], ETATS[e][1], e.libelle) for e in ETATS] + [
    ("", "petites-vacances", "Petites vacances"), ("", "grandes-vacances", "Grandes vacances"),
    ("JF", "ferie", "Jour férié"), ("", "ferme", "Pas d'accueil ce jour"),
]


def nom_court(activite) -> str:  # noqa: ANN001
    """"ALSH Mercredi après-midi": the structure's acronym (or first word) and the label."""
    mots = activite.structure.split()
    court = next((m for m in mots if m.isupper() and len(m) > 1), mots[0] if mots else "")
    return f"{court} {activite.libelle}".strip()


class GrillePlanning(Widget, can_focus=True):
    """Arrows move, shift+arrows select days, PgPréc/PgSuiv change month, t today."""

    COMPONENT_CLASSES = {f"grille--{c}" for c in (
        "entete", "weekend", "aujourdhui", "curseur", "selection", "facture", "libre", "ferme",
        "ferie", "petites-vacances", "grandes-vacances", "fermeture", "reserve", "present",
        "erreur", "conge", "hors-contrat", "regulier", "absent-facture", "demande-attente",
        "absent-excuse", "en-cours", "refuse")}
    DEFAULT_CSS = """
    GrillePlanning { height: auto; width: 1fr; }
    GrillePlanning > .grille--entete { text-style: bold; color: $text-muted; }
    GrillePlanning > .grille--weekend { color: $text-disabled; }
    GrillePlanning > .grille--aujourdhui { text-style: bold reverse; }
    GrillePlanning > .grille--curseur { background: $accent; color: $text; text-style: bold; }
    GrillePlanning > .grille--selection { background: $accent-darken-2; color: $text; }
    GrillePlanning > .grille--facture { text-style: underline; }
    GrillePlanning > .grille--libre { background: $boost; }
    GrillePlanning > .grille--ferme { color: $text-disabled; }
    GrillePlanning > .grille--ferie { background: $error-darken-3; color: $text; }
    GrillePlanning > .grille--petites-vacances { background: $secondary-darken-3; }
    GrillePlanning > .grille--grandes-vacances { background: $secondary-darken-1; }
    GrillePlanning > .grille--fermeture { background: $error-darken-2; color: $text; }
    GrillePlanning > .grille--reserve { background: $success-darken-2; color: $text; }
    GrillePlanning > .grille--present { background: $success; color: $text; text-style: bold; }
    GrillePlanning > .grille--erreur { background: $error; color: $text; }
    GrillePlanning > .grille--conge { background: $primary-darken-2; color: $text; }
    GrillePlanning > .grille--hors-contrat { background: $warning-darken-2; color: $text; }
    GrillePlanning > .grille--regulier { background: $success-darken-3; color: $text; }
    GrillePlanning > .grille--absent-facture { background: $error-darken-1; color: $text; }
    GrillePlanning > .grille--demande-attente { background: $warning-darken-3; color: $text; }
    GrillePlanning > .grille--absent-excuse { background: $primary; color: $text; }
    GrillePlanning > .grille--en-cours { background: $warning; color: $text; }
    GrillePlanning > .grille--refuse { background: $error-darken-3; color: $text; }
    """
    BINDINGS = [
        Binding("left", "deplacer(0, -1)", "Jour préc.", show=False),
        Binding("right", "deplacer(0, 1)", "Jour suiv.", show=False),
        Binding("up", "deplacer(-1, 0)", "Activité préc.", show=False),
        Binding("down", "deplacer(1, 0)", "Activité suiv.", show=False),
        Binding("shift+left", "etendre(-1)", "Sélection", show=False),
        Binding("shift+right", "etendre(1)", "Sélection", show=False),
        Binding("home", "aller(0)", "Premier jour", show=False),
        Binding("end", "aller(-1)", "Dernier jour", show=False),
        Binding("pageup", "mois(-1)", "Mois préc."),
        Binding("pagedown", "mois(1)", "Mois suiv."),
        Binding("t", "aujourdhui", "Ce mois"),
        Binding("m", "meme_jour", "Même jour chaque semaine"),
        Binding("p", "periode", "Tous les jours ouverts"),
        Binding("escape", "vider", "Vider la sélection"),
    ]

    ligne = reactive(0, repaint=False)
    colonne = reactive(0, repaint=False)

    class MoisChange(Message):
        """The grid wants another month (the tab reloads it)."""

        def __init__(self, annee: int, mois: int) -> None:
            super().__init__()
            self.annee = annee
            self.mois = mois

    class Action(Message):
        """Right click or Enter on a cell: the tab offers its context menu."""

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.grille: Grille | None = None
        self.aujourdhui: dt.date | None = None  # the app's day, given by montrer()
        self.selection: set[int] = set()
        self._ancre: int | None = None
        self._lignes: dict[int, Strip] = {}

    # --- data ----------------------------------------------------------------------------

    def montrer(self, grille: Grille, aujourdhui: dt.date, jour_vise: int | None = None) -> None:
        """Show a month; the cursor keeps its activity and goes to the nearest day."""
        ancienne = self.grille
        self.grille = grille
        self.aujourdhui = aujourdhui
        self.selection.clear()
        self._ancre = None
        if ancienne is not None and self.lignes_actives:
            activite_id = ancienne.lignes[self.ligne].activite.id if self.ligne < len(ancienne.lignes) else None
            ids = [lg.activite.id for lg in grille.lignes]
            self.ligne = ids.index(activite_id) if activite_id in ids else min(self.ligne, max(len(ids) - 1, 0))
        else:
            self.ligne = 0
        jour = self.colonne + 1 if jour_vise is None else jour_vise
        self.colonne = max(0, min(jour - 1, len(grille.jours) - 1))
        self._lignes.clear()
        # Same number of activities: same size, so only the lines are drawn again.
        self.styles.height = ENTETE + max(len(grille.lignes), 1)
        self.refresh()

    @property
    def lignes_actives(self) -> bool:
        return bool(self.grille and self.grille.lignes)

    @property
    def largeur(self) -> int:
        # Always 31 days wide: a month change keeps the size, so it needs no layout pass.
        return LARGEUR_NOM + LARGEUR_RESPONSABLE + 31 * LARGEUR_JOUR

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return self.largeur

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return ENTETE + (max(len(self.grille.lignes), 1) if self.grille else 1)

    @property
    def cellule(self) -> Cellule | None:
        if not self.lignes_actives:
            return None
        return self.grille.lignes[self.ligne].cellules[self.colonne]

    def jours_choisis(self) -> list[dt.date]:
        """The selected days of the cursor's row, or the cursor's day."""
        if not self.lignes_actives:
            return []
        indices = sorted(self.selection) or [self.colonne]
        return [self.grille.jours[i] for i in indices]

    # --- drawing ---------------------------------------------------------------------------

    def _style(self, nom: str) -> Style:
        return self.get_component_rich_style(f"grille--{nom}", partial=True)

    def render_line(self, y: int) -> Strip:
        if y in self._lignes:
            return self._lignes[y]
        strip = self._dessiner(y).crop(0, self.size.width)
        self._lignes[y] = strip
        return strip

    def _dessiner(self, y: int) -> Strip:
        base = self.rich_style
        g = self.grille
        if g is None:
            return Strip([Segment("", base)])
        entete = base + self._style("entete")
        if y == 0:
            segments = [Segment("Structure".ljust(LARGEUR_NOM), entete),
                        Segment("Responsable".ljust(LARGEUR_RESPONSABLE), entete)]
            for jour in g.jours:
                style = entete + self._style("weekend") if jour.weekday() >= 5 else entete
                if jour == self.aujourdhui:
                    style += self._style("aujourdhui")
                segments.append(Segment(f"{JOURS[jour.weekday()]:^3}", style))
            return Strip(segments)
        if y == 1:
            segments = [Segment(" " * (LARGEUR_NOM + LARGEUR_RESPONSABLE), entete)]
            for jour in g.jours:
                style = entete + self._style("weekend") if jour.weekday() >= 5 else entete
                if jour == self.aujourdhui:
                    style += self._style("aujourdhui")
                segments.append(Segment(f"{jour.day:02d} ", style))
            return Strip(segments)
        rang = y - ENTETE
        if not g.lignes:
            return Strip([Segment("Aucune inscription pour cette année scolaire.", base)])
        if rang >= len(g.lignes):
            return Strip([Segment("", base)])
        ligne = g.lignes[rang]
        nom = nom_court(ligne.activite)
        nom = nom if len(nom) < LARGEUR_NOM else nom[:LARGEUR_NOM - 2] + "…"
        actif = rang == self.ligne and self.has_focus
        segments = [Segment(nom.ljust(LARGEUR_NOM), base + (self._style("entete") if actif else Style())),
                    Segment(ligne.responsable[:LARGEUR_RESPONSABLE - 1].ljust(LARGEUR_RESPONSABLE), base)]
        for i, cellule in enumerate(ligne.cellules):
            glyphe, classe = ETATS[cellule.etat] if cellule.etat else FONDS[cellule.fond]
            style = base + self._style(classe)
            if cellule.facturee:
                style += self._style("facture")
            if rang == self.ligne:
                if i in self.selection:
                    style += self._style("selection")
                if i == self.colonne and self.has_focus:
                    style += self._style("curseur")
            segments.append(Segment(f"{glyphe:^3}", style))
        return Strip(segments)

    def _redessiner(self, *rangs: int) -> None:
        for rang in rangs:
            self._lignes.pop(rang + ENTETE, None)
            self.refresh(Region(0, rang + ENTETE, self.size.width, 1))

    def on_focus(self) -> None:
        self._redessiner(self.ligne)

    def on_blur(self) -> None:
        self._redessiner(self.ligne)

    def legende(self) -> Text:
        texte = Text()
        for glyphe, classe, libelle in LEGENDE:
            texte.append(f"{glyphe:^3}", self._style(classe))
            texte.append(f" {libelle}   ")
        texte.append(" souligné ", self._style("facture"))
        texte.append(" jour facturé")
        return texte

    # --- keys and mouse ---------------------------------------------------------------------

    def action_deplacer(self, dligne: int, dcolonne: int) -> None:
        if not self.lignes_actives:
            return
        avant = self.ligne
        if dligne:
            self.selection.clear()
            self._ancre = None
        self.ligne = max(0, min(self.ligne + dligne, len(self.grille.lignes) - 1))
        self.colonne = max(0, min(self.colonne + dcolonne, len(self.grille.jours) - 1))
        if dcolonne and not dligne:
            self.selection.clear()
            self._ancre = None
        self._redessiner(avant, self.ligne)

    def action_aller(self, colonne: int) -> None:
        if self.lignes_actives:
            self.colonne = colonne % len(self.grille.jours)
            self.selection.clear()
            self._redessiner(self.ligne)

    def action_etendre(self, pas: int) -> None:
        if not self.lignes_actives:
            return
        if self._ancre is None:
            self._ancre = self.colonne
        self.colonne = max(0, min(self.colonne + pas, len(self.grille.jours) - 1))
        debut, fin = sorted((self._ancre, self.colonne))
        self.selection = set(range(debut, fin + 1))
        self._redessiner(self.ligne)

    def action_meme_jour(self) -> None:
        """Every day of the month with the cursor's weekday, where the activity is open."""
        if not self.lignes_actives:
            return
        jour = self.grille.jours[self.colonne]
        cellules = self.grille.lignes[self.ligne].cellules
        self.selection = {i for i, c in enumerate(cellules)
                          if c.jour.weekday() == jour.weekday() and c.fond == Fond.LIBRE}
        self._redessiner(self.ligne)

    def action_periode(self) -> None:
        """Every open day of the month for the cursor's activity."""
        if not self.lignes_actives:
            return
        cellules = self.grille.lignes[self.ligne].cellules
        self.selection = {i for i, c in enumerate(cellules) if c.fond == Fond.LIBRE}
        self._redessiner(self.ligne)

    def action_vider(self) -> None:
        self.selection.clear()
        self._ancre = None
        self._redessiner(self.ligne)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Escape only clears a selection; otherwise it goes back, as everywhere.
        if action == "vider":
            return bool(self.selection)
        return True

    def action_mois(self, pas: int) -> None:
        if self.grille is None:
            return
        annee, mois = self.grille.annee, self.grille.mois + pas
        if mois == 0:
            annee, mois = annee - 1, 12
        elif mois == 13:
            annee, mois = annee + 1, 1
        self.post_message(self.MoisChange(annee, mois))

    def action_aujourdhui(self) -> None:
        if self.aujourdhui is None:
            return
        self.post_message(self.MoisChange(self.aujourdhui.year, self.aujourdhui.month))

    def on_click(self, event) -> None:  # noqa: ANN001
        rang, x = event.y - ENTETE, event.x - LARGEUR_NOM - LARGEUR_RESPONSABLE
        if not self.lignes_actives or rang < 0 or rang >= len(self.grille.lignes) or x < 0:
            return
        avant = self.ligne
        self.ligne = rang
        self.colonne = min(x // LARGEUR_JOUR, len(self.grille.jours) - 1)
        self.selection.clear()
        self._redessiner(avant, self.ligne)
        if event.button == 3:
            self.post_message(self.Action())
