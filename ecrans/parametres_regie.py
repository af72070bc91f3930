"""A régie's payment settings (administrateur), from F6: label, due date, payment terms, the
maximum per payment, the digits of a cheque number, collection by the Trésorerie, whether
its counter opens on Saturdays."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Input

from ecrans.texte import ErreurChamp, Label, Static
from ecrans.widgets import CORRIGEZ, Modale
from modele.agents import PERMISSIONS, peut
from modele.base import ErreurMetier
from modele.formats import MONTANT_MAX, MontantTropGrand, centimes, montant
from modele.reglements import erreurs_parametres_regie, parametrer_regie
from modele.structure import Regie

# field id → its label (short: the form fits 80 columns)
CHAMPS = {
    "libelle": "Libellé *",
    "jours_echeance": "Échéance (jours) *",
    "modalites_paiement": "Modalités de paiement",
    "montant_max_reglement": "Plafond règlement € *",
    "chiffres_cheque": "Chiffres du chèque *",
}

# the boxes to tick, under the fields
CASES = {
    "encaissement_tresorerie": "Encaissement par la Trésorerie (titres ORMC)",
    "caisse_samedi": "Caisse ouverte le samedi",
}


class ParametresRegie(Modale[bool]):
    BINDINGS = [
        Binding("escape", "abandonner(False)", "Annuler"),
        Binding("ctrl+s", "enregistrer", "Enregistrer", priority=True),
    ]

    def __init__(self, regie: Regie) -> None:
        super().__init__()
        self.regie = regie

    def compose(self) -> ComposeResult:
        r = self.regie
        valeurs = {
            "libelle": r.libelle,
            "jours_echeance": str(r.jours_echeance),
            "modalites_paiement": r.modalites_paiement,
            "montant_max_reglement": montant(r.montant_max_reglement),
            "chiffres_cheque": str(r.chiffres_cheque),
        }
        with Vertical(classes="formulaire"):
            yield Static(f"Paramètres de la régie {r.code}", classes="titre-dialogue")
            yield Static(
                "Le préfixe des numéros (code) ne change pas : les pièces déjà émises le portent.",
                classes="aide",
            )
            with VerticalScroll(classes="champs"):
                for champ, libelle in CHAMPS.items():
                    with Horizontal(classes="ligne-champ"):
                        yield Label(libelle, classes="libelle")
                        yield Input(valeurs[champ], id=f"champ-{champ}", compact=True)
                    yield ErreurChamp(id=f"erreur-{champ}")
                for champ, libelle in CASES.items():
                    yield Checkbox(libelle, getattr(r, champ), id=f"champ-{champ}", compact=True)
                    yield ErreurChamp(id=f"erreur-{champ}")
            yield Static("", id="form-erreur", classes="erreur")
            with Horizontal(classes="boutons"):
                yield Button("Enregistrer", id="enregistrer", variant="primary")
                yield Button("Annuler", id="annuler")

    def on_mount(self) -> None:
        self.query_one("#champ-libelle", Input).focus()

    def _lire(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The typed values as the rule takes them, and the fields that could not be read."""
        texte = {c: self.query_one(f"#champ-{c}", Input).value.strip() for c in CHAMPS}
        valeurs: dict[str, Any] = {
            "libelle": texte["libelle"],
            "modalites_paiement": texte["modalites_paiement"],
            **{c: self.query_one(f"#champ-{c}", Checkbox).value for c in CASES},
        }
        illisibles: dict[str, str] = {}
        for champ in ("jours_echeance", "chiffres_cheque"):
            if texte[champ].isascii() and texte[champ].isdigit():
                valeurs[champ] = int(texte[champ])
            else:
                illisibles[champ] = "Un nombre entier, en chiffres."
        try:
            valeurs["montant_max_reglement"] = centimes(texte["montant_max_reglement"])
        except MontantTropGrand:  # (past the field's own bound: its range is said)
            valeurs["montant_max_reglement"] = MONTANT_MAX
        except ValueError as e:
            illisibles["montant_max_reglement"] = str(e)
        return valeurs, illisibles

    def _erreurs(self) -> tuple[dict[str, Any], dict[str, str]]:
        valeurs, illisibles = self._lire()
        return valeurs, {**erreurs_parametres_regie(valeurs), **illisibles}

    @on(Input.Changed)
    def _saisie(self, event: Input.Changed) -> None:
        """Each field says at once what is wrong with it."""
        champ = (event.input.id or "").removeprefix("champ-")
        if champ in CHAMPS:
            self.signaler(champ, self._erreurs()[1].get(champ, ""))
            self.champs_corriges()

    def signaler(self, champ: str, message: str) -> None:
        erreurs = self.query(f"#erreur-{champ}")
        if not erreurs:
            self.query_one("#form-erreur", Static).update(message)
            return
        erreurs.first().update(message)
        erreurs.first().display = bool(message)

    @on(Input.Submitted)
    def _suivant(self) -> None:
        self.focus_next()

    @on(Button.Pressed, "#enregistrer")
    def action_enregistrer(self) -> None:
        valeurs, erreurs = self._erreurs()
        for champ in (*CHAMPS, *CASES):
            self.signaler(champ, erreurs.get(champ, ""))
        if erreurs:
            self._echec(erreurs)
            return
        app = self.app
        try:
            app.agir(parametrer_regie, app.contexte(), self.regie.id, valeurs)
        except ErreurMetier as e:
            self._echec({e.champ or "": e.message})
            return
        self.dismiss(True)

    def _echec(self, erreurs: dict[str, str]) -> None:
        for champ, message in erreurs.items():
            self.signaler(champ, message)
        if any(c and self.query(f"#erreur-{c}") for c in erreurs):
            self.query_one("#form-erreur", Static).update(CORRIGEZ)
        premier = next((c for c in erreurs if c and self.query(f"#champ-{c}")), None)
        if premier:
            self.query_one(f"#champ-{premier}").focus()


def ouvrir_parametres_regie(app: App, regie: Regie, apres) -> None:
    """The settings form, for an administrateur only (others are told why)."""
    if not peut(app.agent, "parametrer_regie"):
        app.notify(PERMISSIONS["parametrer_regie"][1], severity="error", timeout=8)
        return

    def _fin(fait: bool | None) -> None:
        if fait:
            app.notify(f"Paramètres de la régie {regie.code} enregistrés.", timeout=6)
            apres()

    app.push_screen(ParametresRegie(regie), _fin)
