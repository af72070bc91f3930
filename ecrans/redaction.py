"""Writing a message: to the family, an answer, or a message a parent leaves by phone."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, replace

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, TextArea

from ecrans.texte import ErreurChamp, Label, Select, Static
from ecrans.widgets import Modale
from modele.base import ErreurMetier
from modele.messages import ModeleMessage, appliquer_modele, modeles_messages, verifier_message
from modele.validation import LONGUEUR_CORPS


@dataclass(frozen=True)
class Brouillon:
    sujet: str
    corps: str


class Redaction(Modale[Brouillon | None]):
    """Returns the subject and body once both are valid; the caller saves them."""

    BINDINGS = [
        Binding("escape", "abandonner", "Annuler"),
        Binding("ctrl+s", "envoyer", "Envoyer", priority=True),
    ]

    # Kept once built (ecrans.widgets.Modale.GARDEE): one per list of reply templates.
    GARDEE = True
    ARGUMENTS = ("titre", "sujet", "modeles", "famille", "enfant", "bouton")

    def __init__(
        self,
        titre: str,
        sujet: str = "",
        modeles: list[ModeleMessage] | None = None,
        famille: str = "",
        enfant: str = "",
        bouton: str = "Envoyer",
    ) -> None:
        super().__init__()
        self.titre = titre
        self.sujet = sujet
        self.modeles = modeles or []
        self.famille = famille
        self.enfant = enfant
        self.bouton = bouton

    @classmethod
    def d_avance(cls, app) -> Redaction:
        """A message to the family, built ahead (app.dialogues): its reply templates."""
        return cls("", modeles=app.lire(modeles_messages))

    def forme(self) -> Hashable:
        return tuple((m.id, m.titre) for m in self.modeles)

    def compose(self) -> ComposeResult:
        with Vertical(classes="formulaire"):
            yield Static("", id="redaction-titre", classes="titre-dialogue")
            if self.modeles:
                yield Label("Modèle de réponse")
                yield Select([(m.titre, m.id) for m in self.modeles], id="modele", prompt="(aucun)")
            yield Label("Objet *")
            yield Input("", id="sujet", max_length=400)
            yield ErreurChamp(id="erreur-sujet")
            yield Label("Message *")
            yield TextArea(id="corps", soft_wrap=True)
            yield ErreurChamp(id="erreur-corps")
            with Horizontal(classes="boutons"):
                yield Button(self.bouton, id="envoyer", variant="primary")
                yield Button("Annuler", id="annuler")

    def on_mount(self) -> None:
        # A paste takes what fits (compat_textual.collage_tronque), the rest said.
        self.query_one("#corps", TextArea).longueur_max = LONGUEUR_CORPS  # type: ignore[attr-defined]
        self.ouvrir()

    def remplir(self) -> None:
        self.query_one("#redaction-titre", Static).update(self.titre)
        self.query_one("#sujet", Input).value = self.sujet
        # (on mount the buttons' row may not be mounted yet: they take self.bouton then)
        for envoyer in self.query("#envoyer").results(Button):
            envoyer.label = self.bouton
        # The footer says what the button says (« Enregistrer » for a message by phone).
        touches = self._bindings.key_to_bindings
        touches["ctrl+s"] = [replace(b, description=self.bouton) for b in touches["ctrl+s"]]
        self.refresh_bindings()
        self.query_one("#sujet" if not self.sujet else "#corps").focus()

    @on(Select.Changed, "#modele")
    def _modele(self, event: Select.Changed) -> None:
        modele = next((m for m in self.modeles if m.id == event.value), None)
        if modele is None:
            return
        sujet, corps = appliquer_modele(modele, self.famille, self.enfant)
        if not self.query_one("#sujet", Input).value.strip():
            self.query_one("#sujet", Input).value = sujet
        self.query_one("#corps", TextArea).text = corps

    @on(Button.Pressed, "#envoyer")
    def action_envoyer(self) -> None:
        sujet = self.query_one("#sujet", Input).value
        corps = self.query_one("#corps", TextArea).text
        for champ in ("sujet", "corps"):
            self.query_one(f"#erreur-{champ}", Static).update("")
        try:
            sujet, corps = verifier_message(sujet, corps)
        except ErreurMetier as e:
            self.query_one(f"#erreur-{e.champ}", Static).update(e.message)
            self.query_one(f"#{e.champ}").focus()
            return
        self.dismiss(Brouillon(sujet, corps))
