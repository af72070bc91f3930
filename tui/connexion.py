"""The staff login screen."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Header, Input

from ecrans.pied import PiedDePage
from ecrans.texte import Label, Static

if TYPE_CHECKING:
    from modele.agents import FicheAgent


class EcranConnexion(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        with Center(), Vertical(id="boite-connexion"):
            yield Static("Guichet Famille", id="titre-connexion")
            yield Static("Veuillez vous identifier.", classes="aide")
            yield Label("Identifiant")
            yield Input(id="identifiant", placeholder="identifiant")
            yield Label("Mot de passe")
            yield Input(id="mot_de_passe", password=True, placeholder="mot de passe")
            yield Static("", id="erreur-connexion", classes="erreur")
            yield Button("Se connecter", id="se-connecter", variant="primary")
        yield PiedDePage()

    def on_mount(self) -> None:
        self.query_one("#identifiant", Input).focus()

    @on(Input.Submitted, "#identifiant")
    def _vers_mot_de_passe(self) -> None:
        self.query_one("#mot_de_passe", Input).focus()

    @on(Input.Submitted, "#mot_de_passe")
    @on(Button.Pressed, "#se-connecter")
    def _connecter(self) -> None:
        from modele.agents import connecter
        from modele.base import ErreurMetier

        identifiant = self.query_one("#identifiant", Input).value
        champ_mdp = self.query_one("#mot_de_passe", Input)
        erreur = self.query_one("#erreur-connexion", Static)
        if not identifiant.strip() or not champ_mdp.value:
            erreur.update("Saisissez l'identifiant et le mot de passe.")
            return
        try:
            agent = self.app.agir(connecter, self.app.contexte(), identifiant, champ_mdp.value)
        except ErreurMetier as e:
            erreur.update(e.message)
            champ_mdp.value = ""
            champ_mdp.focus()
            return
        champ_mdp.value = ""
        if agent.mot_de_passe_a_changer:
            self._nouveau_mot_de_passe(agent)
            return
        self._entrer(agent)

    def _nouveau_mot_de_passe(self, agent: FicheAgent) -> None:
        """After a reset by an administrator: a new password before going on."""
        from ecrans.agents import ChangementMotDePasse

        def _fin(change: bool | None) -> None:
            if change:
                self._entrer(replace(agent, mot_de_passe_a_changer=False))
            else:
                self.query_one("#erreur-connexion", Static).update(
                    "Connexion abandonnée : le mot de passe doit être changé."
                )
                self.query_one("#mot_de_passe", Input).focus()

        self.app.push_screen(ChangementMotDePasse(agent), _fin)

    def _entrer(self, agent: FicheAgent) -> None:
        self.query_one("#erreur-connexion", Static).update("")
        self.query_one("#identifiant", Input).value = ""
        self.app.connecte(agent)
