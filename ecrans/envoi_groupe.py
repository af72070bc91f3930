"""A message to several families at once, with the recipients' count before sending."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, TextArea

from ecrans.texte import ErreurChamp, Label, Select, Static
from ecrans.widgets import Confirmation, Modale
from modele.base import ErreurMetier
from modele.messages import (
    Destinataires,
    envoyer_a_plusieurs,
    familles_destinataires,
    verifier_message,
)
from modele.planning import activites as liste_activites


class EnvoiGroupe(Modale[int | None]):
    BINDINGS = [
        Binding("escape", "abandonner", "Annuler"),
        Binding("ctrl+s", "envoyer", "Envoyer", priority=True),
    ]

    def compose(self) -> ComposeResult:
        activites = self.app.lire(liste_activites)
        with Vertical(classes="formulaire"):
            yield Static("Message à plusieurs familles", classes="titre-dialogue")
            yield Label("Destinataires")
            yield Select(
                [(d.libelle, d.value) for d in Destinataires],
                id="critere",
                value=Destinataires.TOUTES.value,
                allow_blank=False,
            )
            yield Select(
                [(a.nom, a.id) for a in activites], id="activite", prompt="Choisir l'activité"
            )
            yield Static("", id="envoi-apercu", classes="sous-titre")
            yield Label("Objet *")
            yield Input(id="sujet", max_length=400)
            yield ErreurChamp(id="erreur-sujet")
            yield Label("Message *")
            yield TextArea(id="corps", soft_wrap=True)
            yield ErreurChamp(id="erreur-corps")
            with Horizontal(classes="boutons"):
                yield Button("Envoyer", id="envoyer", variant="primary")
                yield Button("Annuler", id="annuler")

    def on_mount(self) -> None:
        self.query_one("#activite", Select).display = False
        self.apercu()
        self.query_one("#critere", Select).focus()

    def destinataires(self) -> list[int]:
        critere = Destinataires(self.query_one("#critere", Select).value)
        activite = self.query_one("#activite", Select).value
        return self.app.lire(
            familles_destinataires,
            critere,
            self.app.aujourdhui,
            activite if isinstance(activite, int) else None,
        )

    @on(Select.Changed)
    def apercu(self) -> None:
        critere = Destinataires(self.query_one("#critere", Select).value)
        self.query_one("#activite", Select).display = critere == Destinataires.ACTIVITE
        nombre = len(self.destinataires())
        self.query_one("#envoi-apercu", Static).update(
            f"{nombre} famille{'s' if nombre > 1 else ''} destinataire{'s' if nombre > 1 else ''}"
        )
        self.query_one(
            "#envoyer", Button
        ).label = f"Envoyer à {nombre} famille{'s' if nombre > 1 else ''}"

    @on(Button.Pressed, "#envoyer")
    def action_envoyer(self) -> None:
        sujet = self.query_one("#sujet", Input).value
        corps = self.query_one("#corps", TextArea).text
        for champ in ("sujet", "corps"):
            self.query_one(f"#erreur-{champ}", Static).update("")
        try:
            verifier_message(sujet, corps)
        except ErreurMetier as e:
            self.query_one(f"#erreur-{e.champ}", Static).update(e.message)
            return
        familles = self.destinataires()
        if not familles:
            self.query_one("#envoi-apercu", Static).update("Aucune famille destinataire.")
            return

        def _fin(oui: bool | None) -> None:
            if not oui:
                return
            fait, nombre = self.app.agir_ou_signaler(
                envoyer_a_plusieurs, self.app.contexte(), familles, sujet, corps
            )
            if not fait:
                return
            self.app.notify(f"Message envoyé à {nombre} familles.")
            self.dismiss(nombre)

        self.app.push_screen(Confirmation(f"Envoyer ce message à {len(familles)} familles ?"), _fin)
