"""A short form of text fields whose saving is done from the form itself: a refusal shows
at its field and nothing typed is lost (reminder delays, a mandate, a reject code…)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input

from ecrans.texte import Label, Static
from ecrans.widgets import Modale
from modele.base import ErreurMetier


@dataclass(frozen=True)
class Champ:
    cle: str
    libelle: str
    valeur: str = ""
    indication: str = ""  # placeholder
    longueur: int = 60


class FormulaireChamps(Modale[Any]):
    """Dismisses what `enregistrer(valeurs)` returned, or None on Échap."""

    BINDINGS = [
        Binding("escape", "abandonner", "Annuler"),
        Binding("ctrl+s", "valider", "Enregistrer", priority=True),
    ]

    def __init__(
        self,
        titre: str,
        champs: list[Champ],
        enregistrer: Callable[[dict[str, str]], Any],
        aide: str = "",
        bouton: str = "Enregistrer",
    ) -> None:
        super().__init__()
        self.titre, self.champs, self.enregistrer = titre, champs, enregistrer
        self.aide, self.bouton = aide, bouton

    def compose(self) -> ComposeResult:
        with Vertical(classes="formulaire"):
            yield Static(self.titre, classes="titre-dialogue")
            if self.aide:
                yield Static(self.aide, classes="aide")
            with VerticalScroll(classes="champs"):
                for champ in self.champs:
                    with Horizontal(classes="ligne-champ"):
                        yield Label(champ.libelle, classes="libelle")
                        yield Input(
                            champ.valeur,
                            id=f"champ-{champ.cle}",
                            placeholder=champ.indication,
                            max_length=champ.longueur,
                        )
            yield Static("", id="formulaire-erreur", classes="erreur")
            with Horizontal(classes="boutons"):
                yield Button(self.bouton, id="enregistrer", variant="primary")
                yield Button("Annuler", id="annuler")

    def on_mount(self) -> None:
        # (Textual calls Modale's on_mount as well: calling it here mounted two footers)
        self.query_one(f"#champ-{self.champs[0].cle}", Input).focus()

    @on(Input.Submitted)
    def _suivant(self, event: Input.Submitted) -> None:
        if event.input.id == f"champ-{self.champs[-1].cle}":
            self.action_valider()
        else:
            self.focus_next()

    @on(Button.Pressed, "#enregistrer")
    def action_valider(self) -> None:
        valeurs = {c.cle: self.query_one(f"#champ-{c.cle}", Input).value for c in self.champs}
        try:
            resultat = self.enregistrer(valeurs)
        except ErreurMetier as e:
            self.query_one("#formulaire-erreur", Static).update(e.message)
            if e.champ and self.query(f"#champ-{e.champ}"):
                self.query_one(f"#champ-{e.champ}", Input).focus()
            return
        self.dismiss(resultat)


def entier(texte: str, champ: str, libelle: str) -> int:
    """A whole number typed in a field, or the French message at that field."""
    texte = texte.strip()
    if not (texte.isascii() and texte.isdigit()):
        raise ErreurMetier(f"{libelle} : un nombre entier de jours.", champ)
    return int(texte)
