"""The CAF's daily caps (administrateur), from the dashboard's CAF section: the most
"heures réalisées" a child's day counts, with a meal (journée) and without (demi-journée),
typed in hours and minutes and checked at the field."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input

from ecrans.texte import ErreurChamp, Label, Static
from ecrans.widgets import CORRIGEZ, Modale
from modele.agents import PERMISSIONS, peut
from modele.base import ErreurMetier
from modele.formats import heures_minutes, minutes_saisies
from modele.structure import (
    PlafondsCaf,
    erreurs_plafonds_caf,
    parametrer_plafonds_caf,
    plafonds_caf,
)

# field id → its label (short: the form fits 80 columns)
CHAMPS = {
    "journee": "Journée avec repas *",
    "demi_journee": "Demi-journée *",
}


class ParametresPlafondsCaf(Modale[PlafondsCaf | None]):
    BINDINGS = [
        Binding("escape", "abandonner", "Annuler"),
        Binding("ctrl+s", "enregistrer", "Enregistrer", priority=True),
    ]

    def __init__(self, plafonds: PlafondsCaf) -> None:
        super().__init__()
        self.plafonds = plafonds

    def compose(self) -> ComposeResult:
        valeurs = {
            "journee": heures_minutes(self.plafonds.journee),
            "demi_journee": heures_minutes(self.plafonds.demi_journee),
        }
        with Vertical(classes="formulaire", id="plafonds-caf"):
            yield Static("Plafonds journaliers CAF", classes="titre-dialogue")
            yield Static(
                "Les heures réalisées d'un enfant sur une journée ne dépassent pas ces "
                "plafonds (par exemple 9 h ou 4 h 30). Toutes les statistiques CAF, même "
                "des années passées, les appliquent.",
                classes="aide",
            )
            for champ, libelle in CHAMPS.items():
                with Horizontal(classes="ligne-champ"):
                    yield Label(libelle, classes="libelle")
                    yield Input(valeurs[champ], id=f"champ-{champ}")
                yield ErreurChamp(id=f"erreur-{champ}")
            yield Static("", id="form-erreur", classes="erreur")
            with Horizontal(classes="boutons"):
                yield Button("Enregistrer", id="enregistrer", variant="primary")
                yield Button("Annuler", id="annuler")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#champ-journee", Input).focus()

    def _erreurs(self) -> tuple[dict[str, int], dict[str, str]]:
        """The caps typed, in minutes, and the French message of each wrong field."""
        valeurs: dict[str, int] = {}
        illisibles: dict[str, str] = {}
        for champ in CHAMPS:
            try:
                valeurs[champ] = minutes_saisies(self.query_one(f"#champ-{champ}", Input).value)
            except ValueError as erreur:
                illisibles[champ] = str(erreur)
        erreurs = erreurs_plafonds_caf(valeurs.get("journee"), valeurs.get("demi_journee"))
        # a field that cannot be read says why; the other is judged on its own
        erreurs = {c: m for c, m in erreurs.items() if c in valeurs}
        return valeurs, {**erreurs, **illisibles}

    @on(Input.Changed)
    def _saisie(self) -> None:
        """Each field says at once what is wrong with it (the half-day is judged against
        the day: changing one may right or wrong the other)."""
        erreurs = self._erreurs()[1]
        for champ in CHAMPS:
            self.signaler(champ, erreurs.get(champ, ""))
        self.champs_corriges()

    def signaler(self, champ: str, message: str) -> None:
        erreur = self.query_one(f"#erreur-{champ}", Static)
        erreur.update(message)
        erreur.display = bool(message)

    @on(Input.Submitted)
    def _suivant(self) -> None:
        self.focus_next()

    @on(Button.Pressed, "#annuler")
    def _annuler(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#enregistrer")
    def action_enregistrer(self) -> None:
        valeurs, erreurs = self._erreurs()
        if not erreurs:
            app = self.app
            try:
                fait = app.agir(
                    parametrer_plafonds_caf,
                    app.contexte(),
                    valeurs["journee"],
                    valeurs["demi_journee"],
                )
            except ErreurMetier as e:
                erreurs = {e.champ or "journee": e.message}
            else:
                self.dismiss(fait)
                return
        for champ in CHAMPS:
            self.signaler(champ, erreurs.get(champ, ""))
        self.query_one("#form-erreur", Static).update(CORRIGEZ)
        premier = next(c for c in CHAMPS if c in erreurs)
        self.query_one(f"#champ-{premier}", Input).focus()


def ouvrir_plafonds_caf(app: App, apres: Callable[[PlafondsCaf], None]) -> None:
    """The caps' form, for an administrateur only (others are told why)."""
    if not peut(app.agent, "parametrer_caf"):
        app.notify(PERMISSIONS["parametrer_caf"][1], severity="error", timeout=8)
        return

    def _fin(plafonds: PlafondsCaf | None) -> None:
        if plafonds is not None:
            app.notify(
                f"Plafonds CAF enregistrés : journée {heures_minutes(plafonds.journee)}, "
                f"demi-journée {heures_minutes(plafonds.demi_journee)}.",
                timeout=6,
            )
            apres(plafonds)

    try:
        actuels = app.lire(plafonds_caf)
    except ErreurMetier as erreur:  # no collectivité in this base
        app.notify(erreur.message, severity="error", timeout=8)
        return
    app.push_screen(ParametresPlafondsCaf(actuels), _fin)
