"""The counter locked after idle time: the agent's password resumes where they were."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input

from ecrans.texte import Label, Static
from ecrans.widgets import Confirmation, Modale
from modele.agents import MESSAGE_IDENTIFIANTS, authentifier
from modele.base import ErreurMetier


class EcranVerrou(Modale[bool]):
    """Covers the screen (nothing of the family shows) and keeps everything beneath it.

    Dismisses True when the agent typed their password; another agent logs out instead.
    """

    BINDINGS = [Binding("f10", "changer_agent", "Changer d'agent (déconnexion)")]

    def compose(self) -> ComposeResult:
        agent = self.app.agent
        with Vertical(classes="dialogue large"):
            yield Static("Guichet verrouillé", classes="titre-dialogue")
            yield Static(
                f"Session de {agent.nom_complet} ({agent.identifiant}). Tapez votre "
                "mot de passe pour reprendre là où vous en étiez.",
                classes="aide",
            )
            yield Label("Mot de passe")
            yield Input(id="verrou-mdp", password=True)
            yield Static("", id="erreur-verrou", classes="erreur")
            with Horizontal(classes="boutons"):
                yield Button("Reprendre", id="reprendre", variant="primary")
                yield Button("Changer d'agent", id="changer")

    def on_mount(self) -> None:
        self.query_one("#verrou-mdp", Input).focus()

    @on(Input.Submitted, "#verrou-mdp")
    @on(Button.Pressed, "#reprendre")
    def _reprendre(self) -> None:
        champ = self.query_one("#verrou-mdp", Input)
        erreur = self.query_one("#erreur-verrou", Static)
        if not champ.value:
            erreur.update("Saisissez votre mot de passe.")
            return
        # Through authentifier: wrong passwords count towards the account's lock here too.
        try:
            self.app.agir(
                authentifier, self.app.agent.identifiant, champ.value, self.app.maintenant()
            )
        except ErreurMetier as e:
            erreur.update(
                "Mot de passe incorrect." if e.message == MESSAGE_IDENTIFIANTS else e.message
            )
            champ.value = ""
            champ.focus()
            return
        self.dismiss(True)

    @on(Button.Pressed, "#changer")
    def action_changer_agent(self) -> None:
        def _fin(oui: bool | None) -> None:
            if oui:
                self.app.deconnecte()

        self.app.push_screen(
            Confirmation(
                f"Déconnecter {self.app.agent.nom_complet} ? Ce qui n'a pas été enregistré sera "
                "perdu."
            ),
            _fin,
        )
