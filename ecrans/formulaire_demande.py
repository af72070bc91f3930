"""A request form of Mon compte: prefilled, checked at each field, saved as a Demande."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Checkbox, Input, RadioButton, RadioSet

from ecrans.texte import ErreurChamp, Label, Select, Static
from ecrans.widgets import CORRIGEZ, Modale
from modele.base import Canal, ErreurMetier
from modele.demandes import CIBLES, TypeDemande, enregistrer_demande
from modele.formulaires import (
    FORMULAIRES,
    Champ,
    ErreursSaisie,
    Genre,
    avec_bloc_adresse,
    lire_champ,
    lire_saisie,
    regrouper_activites,
)


class ValidateurChamp(Validator):
    """The domain's own check of a field, as a Textual validator (French message)."""

    def __init__(self, champ: Champ) -> None:
        super().__init__()
        self.champ = champ

    def validate(self, value: str) -> ValidationResult:
        try:
            lire_champ(self.champ, value)
        except ErreurMetier as e:
            return self.failure(e.message)
        return self.success()


@dataclass(frozen=True)
class DemandeEnregistree:
    demande_id: int
    type: TypeDemande
    canal: Canal
    nombre_champs: int


class FormulaireDemande(Modale[DemandeEnregistree | None]):
    BINDINGS = [
        Binding("escape", "abandonner", "Annuler"),
        Binding("ctrl+s", "enregistrer", "Enregistrer la demande", priority=True),
    ]

    # Kept once built (ecrans.widgets.Modale.GARDEE): one per type of request (its fields).
    GARDEE = True
    ARGUMENTS = (
        "famille_id",
        "type_demande",
        "actuelles",
        "canal",
        "appel_en_cours",
        "enfant_id",
        "champs",
        "titre",
        "modification",
    )

    def __init__(
        self,
        famille_id: int,
        type_demande: TypeDemande,
        actuelles: dict[str, str | bool],
        canal: Canal,
        appel_en_cours: bool,
        enfant_id: int | None = None,
        champs_en_plus: tuple[Champ, ...] = (),
        titre: str | None = None,
    ) -> None:
        super().__init__()
        self.famille_id = famille_id
        self.type_demande = type_demande
        self.actuelles = actuelles
        self.canal = canal
        self.appel_en_cours = appel_en_cours
        self.enfant_id = enfant_id
        titre_type, champs = FORMULAIRES[type_demande]
        self.titre = titre or titre_type
        self.champs = champs + champs_en_plus
        # A change of an existing record keeps only what changed; a new record keeps all.
        self.modification = type_demande in CIBLES
        self._hors_liste: set[str] = set()  # Selects given a value outside their list

    @classmethod
    def d_avance(cls, type_demande: TypeDemande):
        """A form of this type built ahead (app.dialogues), for no family."""
        return lambda app: cls(0, type_demande, {}, Canal.GUICHET, False)

    def forme(self) -> Hashable:
        return (self.type_demande, self.champs)

    def compose(self) -> ComposeResult:
        with Vertical(classes="formulaire"):
            yield Static("", id="demande-titre", classes="titre-dialogue")
            if self.modification:
                yield Static(
                    "Valeurs actuelles préremplies : modifiez ce que le parent demande.",
                    classes="aide",
                )
            with VerticalScroll(classes="champs"):
                for champ in self.champs:
                    yield from self._champ(champ)
                with Horizontal(classes="ligne-champ"):
                    yield Label("Canal", classes="libelle")
                    with RadioSet(id="canal", compact=True):
                        yield RadioButton("Guichet", value=True, id="canal-guichet")
                        yield RadioButton("Téléphone", id="canal-telephone")
                with Horizontal(classes="ligne-champ"):
                    yield Label("Commentaire", classes="libelle")
                    yield Input(
                        id="commentaire", max_length=500, compact=True, placeholder="facultatif"
                    )
            yield Static("", id="form-erreur", classes="erreur")
            with Horizontal(classes="boutons"):
                yield Button("Enregistrer la demande", id="enregistrer", variant="primary")
                yield Button("Annuler", id="annuler")

    def _champ(self, champ: Champ) -> ComposeResult:
        """One line per field: its label, its widget; the message under it when invalid
        (its value: `remplir`)."""
        ident = f"champ-{champ.nom}"
        with Horizontal(classes="ligne-champ"):
            yield Label(champ.libelle + (" *" if champ.obligatoire else ""), classes="libelle")
            if champ.genre == Genre.BOOLEEN:
                yield Checkbox("oui", id=ident, compact=True)
            elif champ.genre == Genre.CHOIX:
                yield Select(
                    champ.options(), value=champ.choix[0], allow_blank=False, id=ident, compact=True
                )
            else:
                yield Input(
                    "",
                    id=ident,
                    validators=[ValidateurChamp(champ)],
                    validate_on=["changed", "blur"],
                    compact=True,
                    max_length=champ.longueur_max + 40,
                )
        yield ErreurChamp(id=f"erreur-{champ.nom}")

    def on_mount(self) -> None:
        self.ouvrir()

    def remplir(self) -> None:
        self.query_one("#demande-titre", Static).update(f"Demande — {self.titre}")
        for champ in self.champs:
            valeur = self.actuelles.get(champ.nom, "")
            widget = self.query_one(f"#champ-{champ.nom}")
            if isinstance(widget, Checkbox):
                widget.value = bool(valeur)
            elif isinstance(widget, Select):
                choix = champ.options()
                if valeur not in champ.choix:  # a value outside the list is kept, not lost
                    choix.append((str(valeur) or "—", str(valeur)))
                    widget.set_options(choix)
                    self._hors_liste.add(champ.nom)
                elif champ.nom in self._hors_liste:  # (kept dialog: last family's value)
                    widget.set_options(choix)
                    self._hors_liste.discard(champ.nom)
                widget.value = valeur
            elif isinstance(widget, Input):
                widget.value = str(valeur)
        guichet = self.query_one("#canal-guichet", RadioButton)
        guichet.disabled = self.appel_en_cours
        telephone = self.canal == Canal.TELEPHONE
        self.query_one(
            "#canal-telephone" if telephone else "#canal-guichet", RadioButton
        ).value = True
        premier = self.query(".champs Input, .champs Select").first()
        premier.focus()

    @on(Input.Changed)
    @on(Input.Blurred)
    def _verifier(self, event: Input.Changed | Input.Blurred) -> None:
        ident = event.input.id or ""
        if not ident.startswith("champ-"):
            return
        if isinstance(event, Input.Blurred) and not event.input.value:
            return  # (left empty, maybe never typed in: « obligatoire » is said at the save)
        resultat = event.input.validate(event.input.value)
        message = "" if resultat is None or resultat.is_valid else resultat.failure_descriptions[0]
        self.signaler(ident[6:], message)
        if isinstance(event, Input.Changed):  # (a field left unchanged corrects nothing)
            self.champs_corriges()

    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _choisi(self, event: Select.Changed | Checkbox.Changed) -> None:
        """A choice made: the field's message goes (« Choisissez une valeur de la liste »
        stayed under « Sexe » once « Féminin » was chosen), checked again at the save."""
        ident = event.control.id or ""
        if ident.startswith("champ-") and self.query(f"#erreur-{ident[6:]}"):
            self.signaler(ident[6:], "")
            self.champs_corriges()

    def signaler(self, champ: str, message: str) -> None:
        """Show (or clear) the French message under a field."""
        erreur = self.query_one(f"#erreur-{champ}", Static)
        if str(erreur.content) != message:  # (an update lays the form out again)
            erreur.update(message)
        erreur.display = bool(message)

    def saisie(self) -> dict[str, str | bool]:
        valeurs: dict[str, str | bool] = {}
        for champ in self.champs:
            widget = self.query_one(f"#champ-{champ.nom}")
            valeurs[champ.nom] = (
                widget.value if not isinstance(widget, Select) else str(widget.value)
            )
        return valeurs

    @on(Button.Pressed, "#enregistrer")
    def action_enregistrer(self) -> None:
        erreur = self.query_one("#form-erreur", Static)
        for champ in self.champs:
            self.signaler(champ.nom, "")
        saisie = self.saisie()
        # Fields left as the record has them: a value stored before its check existed does
        # not block the change asked (an old mandate reference, to change the IBAN).
        inchangees = (
            {k for k, v in saisie.items() if v == self.actuelles.get(k)}
            if self.modification
            else set()
        )
        try:
            valeurs = lire_saisie(
                self.type_demande, saisie, self.champs, self.app.aujourdhui, inchangees
            )
        except ErreursSaisie as e:
            for nom, message in e.erreurs.items():
                self.signaler(nom, message)
            erreur.update(CORRIGEZ)
            self.viser_erreur(next(iter(e.erreurs)))
            return
        if self.modification:
            # Only what the agent changed: an untouched "01 02 03 04 05" is not a new value.
            valeurs = {k: v for k, v in valeurs.items() if saisie[k] != self.actuelles.get(k)}
        elif self.type_demande == TypeDemande.AJOUT_ENFANT:
            valeurs = regrouper_activites(valeurs)
        elif self.type_demande == TypeDemande.PERSONNES_AUTORISEES:
            valeurs = {"action": "ajout"} | valeurs
        canal = (
            Canal.TELEPHONE
            if self.query_one("#canal-telephone", RadioButton).value
            else Canal.GUICHET
        )
        commentaire = self.query_one("#commentaire", Input).value.strip()
        app = self.app
        vues = (
            {k: self.actuelles[k] for k in avec_bloc_adresse(valeurs) if k in self.actuelles}
            if self.modification
            else None
        )
        try:
            demande = app.agir(
                enregistrer_demande,
                app.contexte().avec(canal=canal),
                self.famille_id,
                self.type_demande,
                valeurs,
                enfant_id=self.enfant_id,
                commentaire=commentaire,
                vues=vues,
            )
        except ErreursSaisie as e:
            # Another counter saved these fields meanwhile: told at the field; what the
            # agent typed stays, and saving again confirms it over the new values.
            for nom, message in e.erreurs.items():
                self.signaler(nom, message)
            self.actuelles.update(e.actuelles)
            erreur.update("La fiche a changé pendant la saisie : rien n'a été enregistré.")
            return
        except ErreurMetier as e:
            erreur.update(e.message)
            return
        self.dismiss(DemandeEnregistree(demande.id, self.type_demande, canal, len(demande.valeurs)))
