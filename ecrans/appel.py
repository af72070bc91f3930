"""The end of a phone call: what was recorded, to read back to the parent."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button

from ecrans.texte import Static
from ecrans.widgets import Modale


class RecapitulatifAppel(Modale[None]):
    BINDINGS = [Binding("escape,enter", "dismiss", "Fermer")]

    def __init__(self, lignes: list[str]) -> None:
        super().__init__()
        self.lignes = lignes

    def compose(self) -> ComposeResult:
        with Vertical(classes="formulaire"):
            yield Static("Fin de l'appel — à relire au parent", classes="titre-dialogue")
            texte = (
                "\n".join(f"• {ligne}" for ligne in self.lignes)
                or "Rien n'a été enregistré pendant cet appel."
            )
            yield Static(texte, id="recap-appel")
            yield Button("Fermer", id="fermer", variant="primary")

    def on_button_pressed(self) -> None:
        self.dismiss()
