"""Paying back a family's credit at its request (régisseur, administrateur): the régie, the
amount (at most the credit), how it is paid back and why; a numbered negative payment."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, RadioButton, RadioSet

from ecrans.texte import ErreurChamp, Label, Select, Static
from ecrans.widgets import CORRIGEZ, Modale
from modele.agents import PERMISSIONS, peut
from modele.base import ErreurMetier
from modele.caisse import jour_de_caisse
from modele.cloture import especes_du_jour
from modele.formats import centimes, date_courte, euros, montant
from modele.reglements import (
    MOYENS_REMBOURSEMENT,
    CreditRemboursable,
    ModeReglement,
    credits_remboursables,
    rembourser_credit,
)


@dataclass(frozen=True)
class RemboursementFait:
    reference: str
    montant: int
    moyen: str


# The reference asked for each way of paying back (optional: kept with the refund).
REFERENCES = {
    ModeReglement.VIREMENT: "Référence du virement",
    ModeReglement.CHEQUE: "N° du chèque",
    ModeReglement.ESPECES: "N° du reçu",
}


class FormulaireRemboursement(Modale[RemboursementFait | None]):
    BINDINGS = [
        Binding("escape", "abandonner", "Annuler"),
        Binding("ctrl+s", "enregistrer", "Rembourser", priority=True),
    ]

    def __init__(self, famille_id: int, credits: list[CreditRemboursable]) -> None:
        super().__init__()
        self.famille_id = famille_id
        self.credits = credits
        self._verifiees: dict[str, str] = {}  # the fields' values the last save checked

    def compose(self) -> ComposeResult:
        premier = self.credits[0]
        with Vertical(classes="formulaire"):
            yield Static("Remboursement du crédit de la famille", classes="titre-dialogue")
            yield Static("", id="remboursement-credit", classes="aide")
            with VerticalScroll(classes="champs"):
                with Horizontal(classes="ligne-champ"):
                    yield Label("Régie", classes="libelle")
                    yield Select(
                        [(c.regie.libelle, c.regie.id) for c in self.credits],
                        value=premier.regie.id,
                        allow_blank=False,
                        id="champ-regie",
                        compact=True,
                        disabled=len(self.credits) < 2,
                    )
                yield from self._ligne("montant", "Montant (€) *", montant(premier.montant))
                with Horizontal(classes="ligne-champ"):
                    yield Label("Mode *", classes="libelle")
                    with RadioSet(id="champ-moyen", compact=True):
                        for moyen in MOYENS_REMBOURSEMENT:
                            yield RadioButton(
                                moyen.libelle,
                                value=moyen == ModeReglement.VIREMENT,
                                id=f"moyen-{moyen.value}",
                            )
                yield ErreurChamp(id="erreur-moyen")
                yield Static("", id="remboursement-especes", classes="aide")
                yield from self._ligne("reference_paiement", REFERENCES[ModeReglement.VIREMENT], "")
                yield from self._ligne("motif", "Motif *", "")
            yield Static("", id="form-erreur", classes="erreur")
            with Horizontal(classes="boutons"):
                yield Button("Rembourser", id="enregistrer", variant="error")
                yield Button("Annuler", id="annuler")

    def _ligne(self, champ: str, libelle: str, valeur: str) -> ComposeResult:
        with Horizontal(classes="ligne-champ", id=f"ligne-{champ}"):
            yield Label(libelle, classes="libelle", id=f"libelle-{champ}")
            yield Input(valeur, id=f"champ-{champ}", compact=True, max_length=200)
        yield ErreurChamp(id=f"erreur-{champ}")

    def on_mount(self) -> None:
        self._credit()
        self.query_one("#champ-montant", Input).focus()

    @property
    def credit(self) -> CreditRemboursable:
        regie_id = self.query_one("#champ-regie", Select).value
        return next((c for c in self.credits if c.regie.id == regie_id), self.credits[0])

    def _credit(self) -> None:
        app = self.app
        jour = app.lire(jour_de_caisse, self.credit.regie.id, app.aujourdhui)  # type: ignore[attr-defined]
        self.query_one("#remboursement-credit", Static).update(
            f"Crédit de la famille dans cette régie : {euros(self.credit.montant)}"
            + (
                f". La caisse du jour est close : le remboursement est daté du "
                f"{date_courte(jour)}, prochain jour de caisse."
                if jour != app.aujourdhui  # type: ignore[attr-defined]
                else ""
            )
        )

    @on(Select.Changed, "#champ-regie")
    def _regie_changee(self) -> None:
        self._credit()
        self.query_one("#champ-montant", Input).value = montant(self.credit.montant)

    @on(RadioSet.Changed, "#champ-moyen")
    def _moyen_change(self) -> None:
        self.query_one("#libelle-reference_paiement", Label).update(REFERENCES[self.moyen()])
        self._avertir_especes()

    def _avertir_especes(self) -> None:
        """Paid back in cash beyond what the day's drawer took: said before it is done (it
        is allowed: the float pays it, and the closing's count will show it)."""
        somme, message = self._verifier_montant()
        texte = ""
        if self.moyen() == ModeReglement.ESPECES and somme is not None and not message:
            app = self.app
            regie_id = self.credit.regie.id
            jour = app.lire(jour_de_caisse, regie_id, app.aujourdhui)  # type: ignore[attr-defined]
            en_caisse = app.lire(especes_du_jour, regie_id, jour)  # type: ignore[attr-defined]
            if somme > en_caisse:
                recu = (
                    f"n'a reçu que {euros(en_caisse)} en espèces"
                    if en_caisse > 0
                    else "n'a reçu aucune espèce"
                )
                texte = (
                    f"La caisse {recu} ce jour : le remboursement sera pris sur le fonds de caisse."
                )
        self.query_one("#remboursement-especes", Static).update(texte)

    def moyen(self) -> ModeReglement:
        bouton = self.query_one("#champ-moyen", RadioSet).pressed_button
        return (
            ModeReglement(bouton.id.removeprefix("moyen-")) if bouton else MOYENS_REMBOURSEMENT[0]
        )

    def _verifier_montant(self) -> tuple[int | None, str]:
        texte = self.query_one("#champ-montant", Input).value.strip()
        if not texte:
            return None, "Le montant est obligatoire."
        try:
            somme = centimes(texte)
        except ValueError as e:
            return None, str(e)
        if somme <= 0:
            return None, "Le montant doit être positif."
        if somme > self.credit.montant:
            return None, (
                f"Le crédit de la famille dans cette régie est de {euros(self.credit.montant)} : "
                "on ne rembourse pas au-delà."
            )
        return somme, ""

    @on(Input.Changed)
    def _saisie(self, event: Input.Changed) -> None:
        """The amount is checked as it is typed; other fields' messages clear."""
        if event.value != event.input.value or self._verifiees.get(event.input.id or "") == (
            event.value
        ):
            return  # (a change of before the save, handled after it: its message stays)
        if event.input.id == "champ-montant":
            self.signaler("montant", self._verifier_montant()[1] if event.value.strip() else "")
            self._avertir_especes()
        elif event.input.id:
            self.signaler(event.input.id.removeprefix("champ-"), "")
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
        for champ in ("montant", "moyen", "reference_paiement", "motif"):
            self.signaler(champ, "")
        self.query_one("#form-erreur", Static).update("")
        self._verifiees = {i.id: i.value for i in self.query(Input) if i.id}
        erreurs: dict[str, str] = {}
        somme, message = self._verifier_montant()
        if message:
            erreurs["montant"] = message
        motif = self.query_one("#champ-motif", Input).value.strip()
        if not motif:
            erreurs["motif"] = "Le motif du remboursement est obligatoire."
        if erreurs:
            self._montrer(erreurs)
            return
        moyen = self.moyen()
        app = self.app
        try:
            r = app.agir(
                rembourser_credit,
                app.contexte(),
                self.famille_id,
                self.credit.regie.id,
                somme,
                motif,
                self.query_one("#champ-reference_paiement", Input).value,
                moyen,
            )
        except ErreurMetier as e:
            self._montrer({e.champ or "": e.message})
            return
        self.dismiss(RemboursementFait(r.reference, somme, r.reference_paiement))

    def _montrer(self, erreurs: dict[str, str]) -> None:
        for champ, message in erreurs.items():
            self.signaler(champ, message)
        self.query_one("#form-erreur", Static).update(
            CORRIGEZ
            if any(self.query(f"#erreur-{c}") for c in erreurs if c)
            else next(iter(erreurs.values()))
        )
        premier = next((c for c in erreurs if c and self.query(f"#champ-{c}")), None)
        if premier:
            self.query_one(f"#champ-{premier}").focus()


def ouvrir_remboursement(
    app: App, famille_id: int, apres: Callable[[], None] | None = None
) -> None:
    """The refund form, for a régisseur or an administrateur, when the family has a credit."""
    if not peut(app.agent, "rembourser"):
        app.notify(PERMISSIONS["rembourser"][1], severity="error", timeout=8)
        return
    credits = app.lire(credits_remboursables, famille_id)
    if not credits:
        app.notify("La famille n'a pas de crédit à rembourser.", severity="warning")
        return

    def _fin(fait: RemboursementFait | None) -> None:
        if fait is None:
            return
        app.notify(
            f"Crédit remboursé : {fait.reference}, {euros(fait.montant)} ({fait.moyen}).",
            timeout=8,
        )
        if apres is not None:
            apres()

    app.push_screen(FormulaireRemboursement(famille_id, credits), _fin)
