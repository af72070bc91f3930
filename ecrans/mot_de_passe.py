"""Portal access of a family: reset to a temporary password, or set one typed by the agent."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input

from ecrans.texte import ErreurChamp, Label, Static
from ecrans.widgets import Modale
from modele.agents import manques_mot_de_passe
from modele.base import ErreurMetier
from modele.famille import definir_mot_de_passe_portail, reinitialiser_mot_de_passe_portail


class AccesPortail(Modale[bool]):
    """Dismisses True when the password changed."""

    BINDINGS = [
        Binding("escape", "fermer", "Fermer"),
        Binding("ctrl+s", "enregistrer", "Enregistrer ce mot de passe", priority=True),
    ]

    def __init__(self, famille_id: int, identifiant: str) -> None:
        super().__init__()
        self.famille_id = famille_id
        self.identifiant = identifiant
        self.change = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="formulaire"):
            yield Static("Accès au Portail Famille", classes="titre-dialogue")
            yield Static(f"Identifiant : {self.identifiant}")
            yield Static("", id="mdp-temporaire", classes="mot-de-passe")
            yield Label("Nouveau mot de passe (8 caractères, 1 majuscule, 1 minuscule, 1 chiffre)")
            yield Input(id="mdp-saisi", password=True)
            yield ErreurChamp(id="mdp-erreur")
            with Horizontal(classes="boutons"):
                yield Button("Générer un mot de passe temporaire", id="generer", variant="warning")
                yield Button("Enregistrer ce mot de passe", id="enregistrer", variant="primary")
                yield Button("Fermer", id="fermer")

    def on_mount(self) -> None:
        self.query_one("#generer", Button).focus()

    @on(Input.Changed, "#mdp-saisi")
    def _politique(self, event: Input.Changed) -> None:
        manques = manques_mot_de_passe(event.value) if event.value else []
        self.query_one("#mdp-erreur", Static).update(
            "Il manque : " + ", ".join(manques) + "." if manques else ""
        )

    @on(Button.Pressed, "#generer")
    def _generer(self) -> None:
        app = self.app
        fait, temporaire = app.agir_ou_signaler(
            reinitialiser_mot_de_passe_portail, app.contexte(), self.famille_id
        )
        if not fait:
            return
        self.change = True
        self.query_one("#mdp-temporaire", Static).update(
            f"Mot de passe temporaire, à lire au parent (affiché une seule fois) : {temporaire}\n"
            "La famille devra le changer à sa prochaine connexion."
        )

    @on(Input.Submitted, "#mdp-saisi")
    @on(Button.Pressed, "#enregistrer")
    def action_enregistrer(self) -> None:
        champ = self.query_one("#mdp-saisi", Input)
        app = self.app
        try:
            app.agir(definir_mot_de_passe_portail, app.contexte(), self.famille_id, champ.value)
        except ErreurMetier as e:
            self.query_one("#mdp-erreur", Static).update(e.message)
            champ.focus()
            return
        self.change = True
        champ.value = ""
        self.query_one("#mdp-temporaire", Static).update(
            "Mot de passe enregistré. La famille devra le changer à sa prochaine connexion."
        )

    @on(Button.Pressed, "#fermer")
    def action_fermer(self) -> None:
        self.action_abandonner(self.change)
