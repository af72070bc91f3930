"""The monthly planning grid: one widget that draws its lines directly (no cell widgets),
so that a month change is a query and a few strips, not a table refill."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from ecrans.widgets import Modale
from modele.grille import Cellule, Fond, Grille
from modele.planning import EtatConsommation as E

JOURS = ["Lu", "Ma", "Me", "Je", "Ve", "Sa", "Di"]
JOURS_MOTS = ["Lun", "Mar", "Mer", "Jeu", "Ven", "Sam", "Dim"]
LARGEUR_NOM = 34  # the widest activity column, when there is room
LARGEUR_RESPONSABLE = 18
NOM_MIN = 6  # below this the days scroll rather than the names vanish
NOM_CELLULES_LARGES = 24  # three-character cells only if the names keep this much
NOM_AVEC_RESPONSABLE = 16  # the responsable column only if the names keep this much
ENTETE = 2  # weekday line, day-number line
DETAIL = 2  # the cursor's day and state, then the child, activity and responsable
SEPARATEUR = "│"  # before each Monday

# state → (glyph, component class, label, short label); the portal's legend, in its order.
# One character per glyph so that a month fits 80 columns in two-character cells.
ETATS = {
    E.RESERVE: ("✓", "reserve", "Réservé"),
    E.PRESENT: ("P", "present", "Présent"),
    E.ERREUR: ("E", "erreur", "Erreur"),
    E.CONGE: ("C", "conge", "Congé"),
    E.HORS_CONTRAT: ("H", "hors-contrat", "Hors contrat"),
    E.REGULIER: ("R", "regulier", "Régulier"),
    E.FERMETURE: ("F", "fermeture", "Fermeture"),
    E.ABSENT_FACTURE: ("€", "absent-facture", "Absent facturé"),
    E.DEMANDE_ATTENTE: ("?", "demande-attente", "En attente"),
    E.ABSENT_EXCUSE: ("A", "absent-excuse", "Absent excusé"),
    E.RESERVATION_EN_COURS: ("r", "en-cours", "Résa. en cours"),
    E.RESERVATION_REFUSEE: ("✗", "refuse", "Résa. refusée"),
    E.ABSENCE_EN_COURS: ("a", "en-cours", "Abs. en cours"),
}
FONDS = {
    Fond.LIBRE: ("", "libre"),
    Fond.FERME: ("", "ferme"),
    Fond.FERIE: ("J", "ferie"),
    Fond.PETITES_VACANCES: ("", "petites-vacances"),
    Fond.GRANDES_VACANCES: ("", "grandes-vacances"),
    Fond.FERMETURE: ("F", "fermeture"),
    Fond.HORS_INSCRIPTION: ("", "ferme"),
}
LIBELLES_FONDS = {
    Fond.LIBRE: "Libre",
    Fond.FERME: "Pas d'accueil ce jour",
    Fond.FERIE: "Jour férié",
    Fond.PETITES_VACANCES: "Petites vacances",
    Fond.GRANDES_VACANCES: "Grandes vacances",
    Fond.FERMETURE: "Fermeture",
    Fond.HORS_INSCRIPTION: "Hors inscription",
}


@dataclass(frozen=True)
class ElementLegende:
    glyphe: str
    classe: str
    libelle: str  # the portal's words, in the full legend
    court: str  # in the compact legend under the grid


# The portal's sixteen states, then what else a cell can show.
LEGENDE = [ElementLegende(g, c, e.libelle, court) for e, (g, c, court) in ETATS.items()] + [
    ElementLegende("", "petites-vacances", "Petites vacances", "Petites vac."),
    ElementLegende("", "grandes-vacances", "Grandes vacances", "Grandes vac."),
    ElementLegende("J", "ferie", "Jour férié", "Férié"),
    ElementLegende("", "libre", "Jour ouvert, rien de réservé", "Libre"),
    ElementLegende("", "ferme", "Pas d'accueil ce jour", "Pas d'accueil"),
]

# component class → its rule, shared by the grid and its legends
COULEURS = {
    "entete": "text-style: bold; color: $text-muted;",
    "weekend": "color: $text-disabled;",
    "aujourdhui": "text-style: bold reverse;",
    "curseur": "background: $accent; color: $text; text-style: bold;",
    "selection": "background: $accent-darken-2; color: $text;",
    "facture": "text-style: underline;",
    "separateur": "color: $text-disabled;",
    "detail": "color: $text;",
    "libre": "background: $boost;",
    "ferme": "color: $text-disabled;",
    "ferie": "background: $error-darken-3; color: $text;",
    "petites-vacances": "background: $secondary-darken-3;",
    "grandes-vacances": "background: $secondary-darken-1;",
    "fermeture": "background: $error-darken-2; color: $text;",
    "reserve": "background: $success-darken-2; color: $text;",
    "present": "background: $success; color: $text; text-style: bold;",
    "erreur": "background: $error; color: $text;",
    "conge": "background: $primary-darken-2; color: $text;",
    "hors-contrat": "background: $warning-darken-2; color: $text;",
    "regulier": "background: $success-darken-3; color: $text;",
    "absent-facture": "background: $error-darken-1; color: $text;",
    "demande-attente": "background: $warning-darken-3; color: $text;",
    "absent-excuse": "background: $primary; color: $text;",
    "en-cours": "background: $warning; color: $text;",
    "refuse": "background: $error-darken-3; color: $text;",
}


def _css(widget: str) -> str:
    return "\n".join(
        f"{widget} > .grille--{classe} {{ {regle} }}" for classe, regle in COULEURS.items()
    )


def nom_court(activite) -> str:
    """ "ALSH Mercredi après-midi": the structure's acronym (or first word) and the label."""
    mots = activite.structure.split()
    court = next((m for m in mots if m.isupper() and len(m) > 1), mots[0] if mots else "")
    return f"{court} {activite.libelle}".strip()


MOTS_VIDES = {"a", "à", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les"}


def nom_activite(activite, largeur: int) -> str:
    """The activity's name in `largeur` characters: whole if it fits, else its label, else
    the label's words cut to the same length ("Merc jour"), so rows stay distinct."""
    for nom in (nom_court(activite), activite.libelle):
        if cell_len(nom) <= largeur:
            return nom
    mots = [m for m in activite.libelle.split() if m.lower() not in MOTS_VIDES]
    mots = mots or [activite.libelle]
    for longueur in range(max(len(m) for m in mots), 0, -1):
        nom = " ".join(m[:longueur] for m in mots)
        if cell_len(nom) <= largeur:
            return nom
    return activite.libelle[:largeur]


def couper(texte: str, largeur: int) -> str:
    """The text in `largeur` cells, cut with an ellipsis."""
    if cell_len(texte) <= largeur:
        return texte
    return set_cell_size(texte, max(largeur - 1, 0)) + "…" if largeur > 0 else ""


@dataclass(frozen=True)
class Disposition:
    """Where things go in a given width: cell and column widths, and the days shown."""

    cellule: int  # 2 or 3
    nom: int
    responsable: int
    debut: int  # first day shown (index)
    fin: int  # one past the last day shown
    x: tuple[int, ...]  # each shown day's first column

    def jour_en(self, x: int) -> int | None:
        """The day (index) under column x, if any."""
        for rang, debut in enumerate(self.x):
            if debut <= x < debut + self.cellule:
                return self.debut + rang
        return None


def disposer(largeur: int, jours: list[dt.date], colonne: int, debut: int = 0) -> Disposition:
    """Fit the month in `largeur`: three-character cells if names keep room, else two;
    if even that does not fit, the days scroll so that day `colonne` stays shown."""
    n = len(jours)
    separateurs = sum(1 for j in jours[1:] if j.weekday() == 0)
    cellule, nom = 3, largeur - 3 * n - separateurs
    if nom < NOM_CELLULES_LARGES:
        cellule, nom = 2, largeur - 2 * n - separateurs
    if nom >= NOM_MIN:
        assez = nom >= NOM_AVEC_RESPONSABLE + LARGEUR_RESPONSABLE
        responsable = LARGEUR_RESPONSABLE if assez else 0
        nom = min(nom - responsable, LARGEUR_NOM)
        debut, fin = 0, n
    else:
        nom, responsable = NOM_MIN, 0
        place = largeur - nom

        def fin_depuis(d: int) -> int:
            x, f = 0, d
            while f < n:
                x += cellule + (1 if f > d and jours[f].weekday() == 0 else 0)
                if x > place and f > d:
                    break
                f += 1
            return f

        debut = max(0, min(debut, n - 1, colonne))
        while colonne >= fin_depuis(debut):
            debut += 1
        fin = fin_depuis(debut)
    x, positions = nom + responsable, []
    for i in range(debut, fin):
        if i > debut and jours[i].weekday() == 0:
            x += 1
        positions.append(x)
        x += cellule
    return Disposition(cellule, nom, responsable, debut, fin, tuple(positions))


class GrillePlanning(Widget, can_focus=True):
    """Arrows move, shift+arrows select days, PgPréc/PgSuiv change month, t today.

    The widths come from the widget's own width (`disposer`): every day of the month is
    on screen from 80 columns; narrower, the days scroll with the cursor."""

    COMPONENT_CLASSES = {f"grille--{c}" for c in COULEURS}
    DEFAULT_CSS = "GrillePlanning { height: auto; width: 1fr; }\n" + _css("GrillePlanning")
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
        """The grid wants another month (the tab reloads it): `pas` months from the month
        the tab last loaded, so that each key of a burst counts (the grid's own month is
        the one shown, behind the keys), or the month `vise`."""

        def __init__(self, pas: int = 0, vise: dt.date | None = None) -> None:
            super().__init__()
            self.pas = pas
            self.vise = vise

    class Action(Message):
        """Right click or Enter on a cell: the tab offers its context menu."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.grille: Grille | None = None
        self.aujourdhui: dt.date | None = None  # the app's day, given by montrer()
        self.selection: set[int] = set()
        self._ancre: int | None = None
        self._lignes: dict[int, Strip] = {}
        self._disposition: Disposition | None = None
        self._largeur_disposee = -1

    # --- data ----------------------------------------------------------------------------

    def montrer(self, grille: Grille, aujourdhui: dt.date, jour_vise: int | None = None) -> None:
        """Show a month; the cursor keeps its activity and goes to the nearest day."""
        ancienne = self.grille
        self.grille = grille
        self.aujourdhui = aujourdhui
        self.selection.clear()
        self._ancre = None
        if ancienne is not None and self.lignes_actives:
            activite_id = (
                ancienne.lignes[self.ligne].activite.id
                if self.ligne < len(ancienne.lignes)
                else None
            )
            ids = [lg.activite.id for lg in grille.lignes]
            self.ligne = (
                ids.index(activite_id)
                if activite_id in ids
                else min(self.ligne, max(len(ids) - 1, 0))
            )
        else:
            self.ligne = 0
        jour = self.colonne + 1 if jour_vise is None else jour_vise
        self.colonne = max(0, min(jour - 1, len(grille.jours) - 1))
        self._disposition = None
        self._lignes.clear()
        # Same number of activities: same size, so only the lines are drawn again.
        self.styles.height = self._hauteur()
        self.refresh()

    def oublier(self) -> None:
        """Nothing shown (the family file put away): the next `montrer` starts afresh."""
        self.grille = None
        self.selection.clear()
        self._ancre = None
        self.ligne = self.colonne = 0
        self._disposition = None
        self._lignes.clear()
        self.refresh()

    def _hauteur(self) -> int:
        return ENTETE + (max(len(self.grille.lignes), 1) if self.grille else 1) + DETAIL

    @property
    def lignes_actives(self) -> bool:
        return bool(self.grille and self.grille.lignes)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._hauteur()

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

    @property
    def disposition(self) -> Disposition | None:
        """The layout for the current width and cursor (the days shown, the widths)."""
        if self.grille is None:
            return None
        d = self._disposition
        debut = d.debut if d else 0
        if (
            d is None
            or self._largeur_disposee != self.size.width
            or not d.debut <= self.colonne < d.fin
        ):
            d = disposer(self.size.width, self.grille.jours, self.colonne, debut)
            self._disposition, self._largeur_disposee = d, self.size.width
        return d

    def jours_visibles(self) -> list[dt.date]:
        """The days on screen, first to last."""
        d = self.disposition
        return self.grille.jours[d.debut : d.fin] if d else []

    # --- drawing ---------------------------------------------------------------------------

    def _style(self, nom: str) -> Style:
        return self.get_component_rich_style(f"grille--{nom}", partial=True)

    def render_line(self, y: int) -> Strip:
        if y in self._lignes:
            return self._lignes[y]
        strip = self._dessiner(y).crop(0, self.size.width)
        self._lignes[y] = strip
        return strip

    def on_resize(self) -> None:
        self._lignes.clear()
        self.refresh()

    def _cases(self, d: Disposition, fond: Style, case) -> list[Segment]:
        """The day cells of one line, with a separator before each Monday; `case(i)` gives
        a cell's text and style."""
        segments = []
        for i in range(d.debut, d.fin):
            if i > d.debut and self.grille.jours[i].weekday() == 0:
                segments.append(Segment(SEPARATEUR, fond + self._style("separateur")))
            texte, style = case(i)
            segments.append(Segment(texte, style))
        return segments

    def _numero_montre(self, i: int) -> bool:
        """At two characters a cell, numbers touch: odd days are numbered, and always the
        cursor's day and the month's last, their neighbours in the week then not."""
        jours, dernier = self.grille.jours, len(self.grille.jours) - 1
        forces = {self.colonne}
        if abs(dernier - self.colonne) != 1:
            forces.add(dernier)
        if i in forces:
            return True
        if any(abs(i - f) == 1 and jours[max(i, f)].weekday() != 0 for f in forces):
            return False
        return jours[i].day % 2 == 1

    def _dessiner(self, y: int) -> Strip:
        base = self.rich_style
        g = self.grille
        if g is None:
            return Strip([Segment("", base)])
        d = self.disposition
        hauteur_grille = ENTETE + max(len(g.lignes), 1)
        if y >= hauteur_grille:
            return self._detail(y - hauteur_grille, base)
        entete = base + self._style("entete")
        if y < ENTETE:

            def case_entete(i: int) -> tuple[str, Style]:
                jour = g.jours[i]
                style = entete + self._style("weekend") if jour.weekday() >= 5 else entete
                if jour == self.aujourdhui:
                    style += self._style("aujourdhui")
                if i == self.colonne and self.lignes_actives and self.has_focus:
                    style += self._style("curseur")
                if y == 0:
                    texte = JOURS[jour.weekday()] if d.cellule == 3 else JOURS[jour.weekday()][0]
                else:
                    texte = f"{jour.day:02d}" if d.cellule == 3 or self._numero_montre(i) else ""
                return texte.center(d.cellule) if d.cellule == 3 else texte.ljust(2), style

            if y == 0:
                gauche = couper("Activité", d.nom - 1).ljust(d.nom)
            else:  # days hidden on either side, in a terminal too narrow for the month
                gauche = f"{'◂' if d.debut else ' '}{'▸' if d.fin < len(g.jours) else ' '}"
                gauche = gauche.rstrip().ljust(d.nom)
            if d.responsable:
                gauche += ("Responsable" if y == 0 else "").ljust(d.responsable)
            return Strip([Segment(gauche, entete), *self._cases(d, base, case_entete)])
        rang = y - ENTETE
        if not g.lignes:
            return Strip([Segment("Aucune inscription pour cette année scolaire.", base)])
        ligne = g.lignes[rang]
        actif = rang == self.ligne and self.has_focus
        segments = [
            Segment(
                nom_activite(ligne.activite, d.nom - 1).ljust(d.nom),
                base + (self._style("entete") if actif else Style()),
            )
        ]
        if d.responsable:
            responsable = couper(ligne.responsable, d.responsable - 1)
            segments.append(Segment(responsable.ljust(d.responsable), base))

        def case(i: int) -> tuple[str, Style]:
            cellule = ligne.cellules[i]
            glyphe, classe = ETATS[cellule.etat][:2] if cellule.etat else FONDS[cellule.fond]
            style = base + self._style(classe)
            if cellule.facturee:
                style += self._style("facture")
            if rang == self.ligne:
                if i in self.selection:
                    style += self._style("selection")
                if i == self.colonne and self.has_focus:
                    style += self._style("curseur")
            return (glyphe.center(3) if d.cellule == 3 else glyphe.ljust(2)), style

        return Strip(segments + self._cases(d, base, case))

    def _detail(self, rang: int, base: Style) -> Strip:
        """Under the grid, in words: the cursor's day and state, then whose row it is."""
        cellule = self.cellule
        if cellule is None:
            return Strip([Segment("", base)])
        ligne = self.grille.lignes[self.ligne]
        if rang == 0:
            jour = cellule.jour
            etat = cellule.etat.libelle if cellule.etat else LIBELLES_FONDS[cellule.fond]
            texte = f"{JOURS_MOTS[jour.weekday()]} {jour:%d/%m/%Y} — {etat}"
            if cellule.facturee:
                texte += ", facturé"
            if cellule.certificat:
                texte += ", certificat médical"
            if len(self.selection) > 1:
                texte += f" — {len(self.selection)} jours sélectionnés"
        else:
            enfant = self.grille.enfant
            texte = f"{enfant.premier_prenom} {enfant.nom} · {ligne.activite.nom}"
            if ligne.responsable:
                texte += f" · resp. {ligne.responsable}"
        return Strip([Segment(couper(texte, self.size.width), base + self._style("detail"))])

    def _redessiner(self, *rangs: int) -> None:
        """Draw again the rows given, the header (the cursor's day) and the detail lines;
        everything if the days shown changed (a narrow terminal scrolls them)."""
        avant = self._disposition
        if avant is not None and self.disposition != avant:
            self._lignes.clear()
            self.refresh()
            return
        hauteur_grille = ENTETE + max(len(self.grille.lignes), 1) if self.grille else ENTETE
        for y in (
            *range(ENTETE),
            *(r + ENTETE for r in rangs),
            *range(hauteur_grille, hauteur_grille + DETAIL),
        ):
            self._lignes.pop(y, None)
            self.refresh(Region(0, y, self.size.width, 1))

    def on_focus(self) -> None:
        self._redessiner(self.ligne)

    def on_blur(self) -> None:
        self._redessiner(self.ligne)

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
        # The days the activity runs (or with a cell to correct): a Wednesday without
        # service in a week selected is left out, as the highlight shows.
        cellules = self.grille.lignes[self.ligne].cellules
        self.selection = {
            i
            for i in range(debut, fin + 1)
            if cellules[i].fond == Fond.LIBRE or cellules[i].etat is not None
        }
        self._redessiner(self.ligne)

    def action_meme_jour(self) -> None:
        """Every day of the month with the cursor's weekday, where the activity is open."""
        if not self.lignes_actives:
            return
        jour = self.grille.jours[self.colonne]
        cellules = self.grille.lignes[self.ligne].cellules
        self.selection = {
            i
            for i, c in enumerate(cellules)
            if c.jour.weekday() == jour.weekday() and c.fond == Fond.LIBRE
        }
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
        if self.grille is not None:
            self.post_message(self.MoisChange(pas=pas))

    def action_aujourdhui(self) -> None:
        if self.aujourdhui is not None:
            self.post_message(self.MoisChange(vise=self.aujourdhui))  # (its day: the cursor's)

    def on_click(self, event) -> None:
        rang = event.y - ENTETE
        if not self.lignes_actives or rang < 0 or rang >= len(self.grille.lignes):
            return
        jour = self.disposition.jour_en(event.x)
        if jour is None:
            return
        avant = self.ligne
        self.ligne = rang
        self.colonne = jour
        self.selection.clear()
        self._redessiner(avant, self.ligne)
        if event.button == 3:
            self.post_message(self.Action())


class LegendePlanning(Widget):
    """The grid's legend, item by item: as many items a line as the width holds, never one
    cut in two. Compact (short labels, several a line) or complete (one a line)."""

    COMPONENT_CLASSES = {f"grille--{c}" for c in COULEURS}
    DEFAULT_CSS = "LegendePlanning { height: auto; width: 1fr; }\n" + _css("LegendePlanning")
    ECART = 3  # between two items on a line

    def __init__(self, complete: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.complete = complete

    def elements(self) -> list[Text]:
        """Each item as one Text: its colour swatch with the glyph, then its label."""

        def style(classe: str) -> Style:
            return self.get_component_rich_style(f"grille--{classe}", partial=True)

        elements = []
        for e in LEGENDE:
            texte = Text(f" {e.glyphe or ' '} ", style(e.classe), end="")
            texte.append(f" {e.libelle if self.complete else e.court}")
            elements.append(texte)
        facture = Text(" ✓ ", style("reserve") + style("facture"), end="")
        facture.append(" souligné : jour facturé" if self.complete else " facturé")
        elements.append(facture)
        if not self.complete:
            elements.append(Text("? : légende complète", style("entete"), end=""))
        return elements

    def lignes(self, largeur: int) -> list[Text]:
        """The items laid out in `largeur` cells; an item wider than a line has it alone."""
        lignes: list[Text] = []
        for element in self.elements():
            if (
                lignes
                and not self.complete
                and lignes[-1].cell_len + self.ECART + element.cell_len <= largeur
            ):
                lignes[-1].append(" " * self.ECART)
                lignes[-1].append_text(element)
            else:
                lignes.append(element.copy())
        return lignes

    def get_content_width(self, container: Size, viewport: Size) -> int:
        if self.complete:
            return max(ligne.cell_len for ligne in self.lignes(container.width))
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lignes(width))

    def render(self) -> Text:
        return Text("\n", no_wrap=True, overflow="crop", end="").join(self.lignes(self.size.width))

    def on_resize(self) -> None:
        self.refresh(layout=True)


class LegendeComplete(Modale[None]):
    """`?` on the planning: every state a cell can show, its glyph and colour."""

    BINDINGS = [Binding("escape,question_mark", "dismiss", "Fermer")]
    DEFAULT_CSS = """
    LegendeComplete { align: center middle; }
    LegendeComplete #legende-complete-cadre {
        width: auto; height: auto; max-width: 100%; max-height: 100%;
        padding: 0 1; border: thick $primary; background: $surface;
        border-title-align: center; border-title-style: bold;
    }
    LegendeComplete VerticalScroll { height: auto; width: auto; }
    LegendeComplete LegendePlanning { width: auto; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="legende-complete-cadre") as cadre:
            cadre.border_title = "Légende du planning"
            with VerticalScroll():
                yield LegendePlanning(complete=True, id="legende-complete")
