"""The modal forms of the planning: the cell's context menu, an absence, presence recording."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox
from textual.widgets.option_list import Option

from ecrans.texte import Label, OptionList, Select, Static
from ecrans.widgets import Choix, Modale
from modele.planning import EtatConsommation
from modele.reservations import POINTAGES, MotifAbsence

ACTIONS_CELLULE = [
    ("reservation", "Demande de réservation (r)"),
    ("absence", "Déclarer une absence (a)"),
    ("certificat", "Enregistrer le certificat médical (c)"),
    ("pointage", "Pointer la présence (o)"),
]


# Each action's letter, as its label says (« (r) »): the grid's own key, and the menu's.
RACCOURCIS_CELLULE = {libelle[-2]: cle for cle, libelle in ACTIONS_CELLULE}


class MenuCellule(Choix):
    """Right click or Enter on a cell, as the portal's context menu: an action chosen with
    the arrows and Entrée, or with its letter."""

    # Kept once built (ecrans.widgets.Modale.GARDEE): only its title changes.
    GARDEE = True

    def __init__(self, titre: str) -> None:
        super().__init__(titre, ACTIONS_CELLULE)

    def on_key(self, event: events.Key) -> None:
        cle = RACCOURCIS_CELLULE.get(event.character or "")
        if cle is not None:
            event.stop()
            event.prevent_default()
            self.dismiss(cle)

    @classmethod
    def d_avance(cls, _app) -> MenuCellule:
        return cls("")


@dataclass(frozen=True)
class Absence:
    motif: MotifAbsence
    certificat: bool


class DeclarationAbsence(Modale[Absence | None]):
    """The reason, the certificate, then the confirmation (seed 004)."""

    BINDINGS = [
        Binding("escape", "abandonner", "Annuler"),
        Binding("ctrl+s", "confirmer", "Confirmer l'absence", priority=True),
    ]

    def __init__(self, resume: str) -> None:
        super().__init__()
        self.resume = resume

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialogue large"):
            yield Static("Déclarer une absence", classes="titre-dialogue")
            yield Static(self.resume)
            yield Label("Motif de l'absence *")
            yield Select(
                [(m.libelle, m.value) for m in MotifAbsence], id="motif", prompt="Choisir le motif"
            )
            yield Checkbox("Certificat médical fourni", id="certificat")
            yield Static(
                "Une absence pour raison médicale n'est excusée qu'avec son certificat ; "
                "sans lui, elle est facturée.",
                classes="aide",
            )
            yield Static("", id="erreur-absence", classes="erreur")
            with Horizontal(classes="boutons"):
                yield Button("Confirmer l'absence", id="confirmer", variant="warning")
                yield Button("Annuler", id="annuler")

    def on_mount(self) -> None:
        self.query_one("#motif", Select).focus()

    @on(Select.Changed, "#motif")
    def _motif_choisi(self) -> None:
        # « Le motif est obligatoire » goes once one is chosen (it stayed under « Autre »).
        if not self.query_one("#motif", Select).is_blank():
            self.query_one("#erreur-absence", Static).update("")

    @on(Button.Pressed, "#confirmer")
    def action_confirmer(self) -> None:
        motif = self.query_one("#motif", Select).value
        if self.query_one("#motif", Select).is_blank():
            self.query_one("#erreur-absence", Static).update("Le motif est obligatoire.")
            self.query_one("#motif", Select).focus()
            return
        self.dismiss(Absence(MotifAbsence(motif), self.query_one("#certificat", Checkbox).value))


class Pointage(Modale[EtatConsommation | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Annuler")]

    def __init__(self, resume: str) -> None:
        super().__init__()
        self.resume = resume

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialogue"):
            yield Static("Pointer la présence", classes="titre-dialogue")
            yield Static(self.resume)
            yield OptionList(*[Option(e.libelle, id=e.value) for e in POINTAGES], id="pointage")

    @on(OptionList.OptionSelected)
    def _choisi(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(EtatConsommation(event.option.id))
