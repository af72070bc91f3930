"""The birthplace of a responsable (prerequisite of the QF declaration, seed 000 step 2):
a French commune picked by name or postcode, or a country and a place abroad."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, RadioButton, RadioSet
from textual.widgets.option_list import Option

from ecrans.texte import Label, OptionList, Static
from ecrans.widgets import Modale
from modele.base import ErreurMetier
from modele.famille import valeurs_lieu_naissance


class LieuNaissance(Modale[dict[str, str] | None]):
    """Returns the birthplace fields, checked (modele.famille.valeurs_lieu_naissance)."""

    BINDINGS = [
        Binding("escape", "abandonner", "Annuler"),
        Binding("ctrl+s", "enregistrer", "Enregistrer", priority=True),
    ]

    def __init__(self, qui: str) -> None:
        super().__init__()
        self.qui = qui
        self.code_commune = ""
        self.code_pays = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialogue large"):
            yield Static(f"Lieu de naissance — {self.qui}", classes="titre-dialogue")
            with RadioSet(id="ou"):
                yield RadioButton("Né(e) en France", value=True, id="france")
                yield RadioButton("Né(e) à l'étranger", id="etranger")
            yield Label("Commune (nom ou code postal)", id="libelle-commune")
            yield Input(id="commune", placeholder="ex. Lille, 59000")
            yield Label("Pays", id="libelle-pays")
            yield Input(id="pays", placeholder="ex. Belgique")
            yield OptionList(id="propositions")
            yield Label("Lieu de naissance (ville à l'étranger)", id="libelle-lieu")
            yield Input(id="lieu", max_length=100)
            yield Static("", id="choisi", classes="sous-titre")
            yield Static("", id="erreur-lieu", classes="erreur")
            with Horizontal(classes="boutons"):
                yield Button("Enregistrer", id="enregistrer", variant="primary")
                yield Button("Annuler", id="annuler")

    def on_mount(self) -> None:
        self._basculer(True)
        self.query_one("#commune", Input).focus()

    def _basculer(self, france: bool) -> None:
        for ident in ("#libelle-commune", "#commune"):
            self.query_one(ident).display = france
        for ident in ("#libelle-pays", "#pays", "#libelle-lieu", "#lieu"):
            self.query_one(ident).display = not france
        self.query_one("#propositions", OptionList).clear_options()

    @on(RadioSet.Changed, "#ou")
    def _ou(self, event: RadioSet.Changed) -> None:
        self._basculer(event.pressed.id == "france")

    @on(Input.Changed, "#commune")
    def _communes(self, event: Input.Changed) -> None:
        from modele.communes import chercher_communes

        liste = self.query_one("#propositions", OptionList)
        liste.clear_options()
        if len(event.value.strip()) >= 2:
            liste.add_options(
                [
                    Option(
                        f"{c.nom} ({c.departement}) — {', '.join(c.codes_postaux[:3])}",
                        id=f"c:{c.code_insee}",
                    )
                    for c in chercher_communes(event.value, 8)
                ]
            )

    @on(Input.Changed, "#pays")
    def _pays(self, event: Input.Changed) -> None:
        from modele.communes import chercher_pays

        liste = self.query_one("#propositions", OptionList)
        liste.clear_options()
        if len(event.value.strip()) >= 2:
            liste.add_options(
                [
                    Option(p.nom, id=f"p:{p.code_insee}")
                    for p in chercher_pays(event.value)[:8]
                    if p.code_insee != "99100"
                ]
            )

    @on(Input.Submitted, "#commune, #pays")
    def _vers_liste(self) -> None:
        liste = self.query_one("#propositions", OptionList)
        if liste.option_count:
            liste.highlighted = 0
            liste.focus()

    @on(OptionList.OptionSelected, "#propositions")
    def _choisi(self, event: OptionList.OptionSelected) -> None:
        genre, code = event.option.id.split(":")
        if genre == "c":
            self.code_commune = code
        else:
            self.code_pays = code
            self.query_one("#lieu", Input).focus()
        self.query_one("#choisi", Static).update(f"Choisi : {event.option.prompt}")

    @on(Button.Pressed, "#enregistrer")
    def action_enregistrer(self) -> None:
        france = self.query_one("#france", RadioButton).value
        try:
            # (born in France, no commune chosen: said before modele, which would ask for
            # the country of a birth abroad)
            if france and not self.code_commune:
                raise ErreurMetier("Choisissez la commune dans la liste (Entrée).", "commune")
            valeurs = (
                valeurs_lieu_naissance(self.code_commune)
                if france
                else valeurs_lieu_naissance(
                    code_pays=self.code_pays, lieu_etranger=self.query_one("#lieu", Input).value
                )
            )
        except ErreurMetier as e:
            self.query_one("#erreur-lieu", Static).update(e.message)
            return
        self.dismiss(valeurs)


async def saisir_lieu_naissance(app, famille_id: int, personnes: list) -> bool:
    """Pick a responsable, fill the birthplace, save it: directly for a régisseur or an
    administrateur, as a request for an agent d'accueil. Run from a worker (it awaits its
    dialogs); True once something was saved."""
    from ecrans.widgets import Choix
    from modele.agents import peut
    from modele.demandes import TypeDemande, creer_demande
    from modele.famille import renseigner_lieu_naissance

    ident = await app.push_screen_wait(
        Choix(
            "Lieu de naissance de…", [(str(p.id), f"{p.nom_prenom} ({p.role})") for p in personnes]
        )
    )
    if ident is None:
        return False
    personne = next(p for p in personnes if p.id == int(ident))
    valeurs = await app.push_screen_wait(LieuNaissance(personne.nom_prenom))
    if valeurs is None:
        return False
    if peut(app.agent, "modifier_fiche"):
        fait, _ = app.agir_ou_signaler(
            renseigner_lieu_naissance, app.contexte(), personne.id, valeurs
        )
        message = "Lieu de naissance enregistré."
    else:
        type_ = TypeDemande.RESPONSABLE if personne.role == "responsable" else TypeDemande.CONJOINT
        fait, _ = app.agir_ou_signaler(creer_demande, app.contexte(), famille_id, type_, valeurs)
        message = (
            "Lieu de naissance enregistré comme demande : un régisseur doit "
            "l'accepter avant la déclaration."
        )
    if fait:
        app.notify(message)
    return bool(fait)
