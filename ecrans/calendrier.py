"""The calendar of a school year: public holidays, school holidays, closures (admin)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Header, Input, TextArea

from ecrans.garde import EcranGarde
from ecrans.pied import PiedDePage
from ecrans.table import DataTable, TableLignes, TableSansPages
from ecrans.texte import Label, Select, Static
from ecrans.widgets import Confirmation, Modale
from modele.agents import peut
from modele.base import ErreurMetier, annee_scolaire, libelle_annee_scolaire
from modele.calendrier import (
    CHAMP_AVOIRS,
    CHAMP_CHEVAUCHEMENT,
    FamilleFermee,
    enregistrer_periode,
    familles_fermees,
    jours_fermes,
    message_fermeture,
    periodes_de_l_annee,
    remplacer_vacances,
    supprimer_periode,
)
from modele.formats import date_courte
from modele.messages import envoyer_a_plusieurs, verifier_message
from modele.planning import PeriodeCalendrier, TypeCalendrier, activites
from modele.structure import collectivite
from modele.validation import verifier_date


@dataclass(frozen=True)
class SaisiePeriode:
    type: TypeCalendrier
    libelle: str
    debut: str
    fin: str
    activite_id: int | None = None  # None: every activity


class FormulairePeriode(Modale[SaisiePeriode | None]):
    BINDINGS = [
        Binding("escape", "abandonner", "Annuler"),
        Binding("ctrl+s", "valider", "Enregistrer", priority=True),
    ]

    def __init__(
        self,
        periode: PeriodeCalendrier | None,
        enregistrer: Callable[[SaisiePeriode, frozenset[str]], None],
    ) -> None:
        super().__init__()
        self.periode = periode
        self.enregistrer = enregistrer

    def compose(self) -> ComposeResult:
        p = self.periode
        # One line a field, as the other forms: the whole form and its message in 80×24 (its
        # error and buttons were below the screen).
        with Vertical(classes="dialogue large"):
            yield Static(
                "Modifier la période" if p else "Nouvelle période", classes="titre-dialogue"
            )
            with Horizontal(classes="ligne-champ"):
                yield Label("Type", classes="libelle")
                yield Select(
                    [(t.libelle, t.value) for t in TypeCalendrier],
                    id="type",
                    value=p.type if p else TypeCalendrier.FERMETURE.value,
                    allow_blank=False,
                    compact=True,
                )
            with Horizontal(classes="ligne-champ"):
                yield Label("Activité (fermeture)", classes="libelle")
                choix = [(a.nom, a.id) for a in self.app.lire(activites)]
                yield Select(
                    choix,
                    id="activite",
                    prompt="Toutes les activités",
                    compact=True,
                    value=p.activite_id if p and p.activite_id else Select.NULL,
                )
            with Horizontal(classes="ligne-champ"):
                yield Label("Libellé", classes="libelle")
                yield Input(p.libelle if p else "", id="libelle", max_length=140, compact=True)
            with Horizontal(classes="ligne-champ"):
                yield Label("Du (JJ/MM/AAAA) *", classes="libelle")
                yield Input(date_courte(p.debut) if p else "", id="debut", compact=True)
            with Horizontal(classes="ligne-champ"):
                yield Label("Au (JJ/MM/AAAA)", classes="libelle")
                yield Input(
                    date_courte(p.fin) if p else "",
                    id="fin",
                    placeholder="vide : un seul jour",
                    compact=True,
                )
            yield Static("", id="erreur-periode", classes="erreur")
            with Horizontal(classes="boutons"):
                yield Button("Enregistrer", id="enregistrer", variant="primary")
                yield Button("Annuler", id="annuler")

    @on(Button.Pressed, "#enregistrer")
    def _enregistrer(self) -> None:
        self.action_valider()

    @work
    async def action_valider(self) -> None:
        activite = self.query_one("#activite", Select).value
        saisie = SaisiePeriode(
            TypeCalendrier(self.query_one("#type", Select).value),
            self.query_one("#libelle", Input).value,
            self.query_one("#debut", Input).value,
            self.query_one("#fin", Input).value,
            activite if isinstance(activite, int) else None,
        )
        confirmes: set[str] = set()
        while True:
            try:
                # one transaction; a refusal keeps the form
                self.enregistrer(saisie, frozenset(confirmes))
                break
            except ErreurMetier as e:
                self.query_one("#erreur-periode", Static).update(e.message)
                if e.champ in (CHAMP_AVOIRS, CHAMP_CHEVAUCHEMENT) and e.champ not in confirmes:
                    # days already invoiced (their credit notes), holidays over holidays
                    if not await self.app.push_screen_wait(Confirmation(e.message)):
                        return
                    confirmes.add(e.champ)
                    continue
                if e.champ in ("debut", "fin", "libelle"):
                    self.query_one(f"#{e.champ}", Input).focus()
                return
        self.dismiss(saisie)


class EcranCalendrier(EcranGarde, Screen[None]):
    """F5, kept for the agent's session: each showing is the current school year."""

    BINDINGS = [
        Binding("pageup", "annee(-1)", "Année préc."),
        Binding("pagedown", "annee(1)", "Année suiv."),
        Binding("escape", "app.pop_screen", "Retour"),
        Binding("n", "nouvelle", "Nouvelle période"),
        Binding("enter", "modifier", "Modifier", show=False),
        Binding("s", "supprimer", "Supprimer"),
        Binding("p", "preremplir", "Préremplir (zone)"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="calendrier-titre", classes="titre-section")
        yield Static(id="calendrier-droits", classes="erreur")
        # Its own lines (ecrans.table): at 80 columns a long label is shortened, not the
        # dates pushed off the right edge; the cursor's label shows whole under the rows.
        yield TableSansPages(
            "Type", "Libellé", "Du", "Au", "Jours", droite=["Jours"], id="calendrier"
        )
        yield PiedDePage()

    def on_mount(self) -> None:
        self.title = "Calendrier"

    def rouvrir(self) -> None:
        """Each showing: the current school year read afresh, the first period."""
        self.annee = annee_scolaire(self.app.aujourdhui)
        self.query_one("#calendrier-droits", Static).update(
            ""
            if peut(self.app.agent, "modifier_calendrier")
            else "Lecture seule : seul un administrateur peut modifier le calendrier."
        )
        self.charger()
        table = self.query_one("#calendrier", TableLignes)
        table.move_cursor(row=0)
        table.focus()

    def charger(self) -> None:
        self._periodes = {p.id: p for p in self.app.lire(periodes_de_l_annee, self.annee)}
        self.zone = self.app.lire(collectivite).zone_scolaire
        self.query_one("#calendrier-titre", Static).update(
            f"Calendrier {libelle_annee_scolaire(self.annee)} — zone {self.zone}   "
            "(ajoutez ici un pont ou une fermeture que le calendrier officiel n'a pas)"
        )
        self.query_one("#calendrier", TableLignes).remplir(
            (
                str(p.id),
                (
                    TypeCalendrier(p.type).libelle,
                    p.libelle,
                    date_courte(p.debut),
                    date_courte(p.fin),
                    str((p.fin - p.debut).days + 1),
                ),
            )
            for p in self._periodes.values()
        )

    def action_annee(self, pas: int) -> None:
        self.annee += pas
        self.charger()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Read-only for other roles: the editing keys are not offered (modele refuses too)."""
        if action in ("nouvelle", "modifier", "supprimer", "preremplir"):
            return peut(self.app.agent, "modifier_calendrier")
        return True

    def _agir(self, message: str, fonction, *args) -> None:
        fait, _ = self.app.agir_ou_signaler(fonction, *args)
        if not fait:
            return
        self.notify(message)
        self.charger()

    def _saisir(self, periode: PeriodeCalendrier | None) -> None:
        contexte = self.app.contexte()

        enregistree: list[PeriodeCalendrier] = []

        def enregistrer(saisie: SaisiePeriode, confirmes: frozenset[str]) -> None:
            enregistree[:] = [
                self.app.agir(
                    enregistrer_periode,
                    contexte,
                    saisie.type,
                    saisie.libelle,
                    verifier_date(saisie.debut, "debut"),
                    verifier_date(saisie.fin, "fin"),
                    activite_id=saisie.activite_id,
                    periode_id=periode.id if periode else None,
                    avoirs=CHAMP_AVOIRS in confirmes,
                    chevauchement=CHAMP_CHEVAUCHEMENT in confirmes,
                )
            ]

        self._saisir_puis_prevenir(FormulairePeriode(periode, enregistrer), enregistree)

    @work
    async def _saisir_puis_prevenir(
        self, formulaire: FormulairePeriode, enregistree: list[PeriodeCalendrier]
    ) -> None:
        """The period's form; after a closure, the families it concerns and their message."""
        saisie = await self.app.push_screen_wait(formulaire)
        if saisie is None:
            return
        self.notify("Période enregistrée.")
        self.charger()
        if saisie.type == TypeCalendrier.FERMETURE:
            self.prevenir_familles(enregistree[0].id)

    def action_nouvelle(self) -> None:
        self._saisir(None)

    def prevenir_familles(self, periode_id: int) -> None:
        """After a closure: the families whose bookings it closed, and the message to them."""
        familles = self.app.lire(familles_fermees, periode_id)
        if familles:
            sujet, corps = self.app.lire(message_fermeture, periode_id)
            self.app.push_screen(MessageFermeture(familles, sujet, corps))

    def _selection(self) -> PeriodeCalendrier | None:
        cle = self.query_one("#calendrier", TableLignes).cle
        return None if cle is None else self._periodes[int(cle)]

    @on(TableLignes.LigneChoisie, "#calendrier")
    def _choisie(self) -> None:
        """Entrée (or a click) on a period: its form, as the screen's Entrée did over the
        DataTable the list was before (the list's own Entrée now takes the key)."""
        self.action_modifier()

    def action_modifier(self) -> None:
        periode = self._selection()
        if periode:
            self._saisir(periode)

    def action_supprimer(self) -> None:
        periode = self._selection()
        if periode is None:
            return
        contexte = self.app.contexte()
        fermes = self.app.lire(jours_fermes, periode.id)
        rendus = (
            f" Les {fermes} jours qu'elle a fermés reviennent à leur état d'avant (réservés, "
            "facturés au prochain passage)."
            if fermes > 1
            else " Le jour qu'elle a fermé revient à son état d'avant."
            if fermes
            else ""
        )
        self.app.push_screen(
            Confirmation(
                f"Supprimer « {periode.libelle} » du {date_courte(periode.debut)} ?{rendus}"
            ),
            lambda oui: (
                oui and self._agir("Période supprimée.", supprimer_periode, contexte, periode.id)
            ),
        )

    def action_preremplir(self) -> None:
        from data.reference import periodes_annee_scolaire

        contexte = self.app.contexte()
        periodes, complete = periodes_annee_scolaire(self.annee, self.zone)
        suite = "" if complete else " (données de vacances incomplètes pour cette année)"

        def _fin(oui: bool | None) -> None:
            if oui:
                self._agir(
                    f"{len(periodes)} jours fériés et vacances repris{suite}.",
                    remplacer_vacances,
                    contexte,
                    self.annee,
                    periodes,
                )

        self.app.push_screen(
            Confirmation(
                f"Remplacer les jours fériés et vacances de "
                f"{libelle_annee_scolaire(self.annee)} par "
                f"ceux de la zone {self.zone} ? Les fermetures sont gardées."
            ),
            _fin,
        )


class MessageFermeture(Modale[int | None]):
    """The families a closure concerns, and one message to all of them (editable)."""

    BINDINGS = [
        Binding("escape", "abandonner", "Ne pas envoyer"),
        Binding("ctrl+s", "envoyer", "Envoyer", priority=True),
    ]

    def __init__(self, familles: list[FamilleFermee], sujet: str, corps: str) -> None:
        super().__init__()
        self.familles, self.sujet, self.corps = familles, sujet, corps

    def compose(self) -> ComposeResult:
        n = len(self.familles)
        pluriel = "s" if n > 1 else ""
        with Vertical(classes="formulaire"):
            yield Static(
                f"Fermeture : {n} famille{pluriel} concernée{pluriel}, réservations "
                "passées en « Fermeture », non facturées",
                classes="titre-dialogue",
            )
            table = DataTable(id="fermeture-familles", cursor_type="row")
            table.add_columns("N° famille", "Responsable", "Jours fermés")
            for f in self.familles:
                table.add_row(f.numero, f.responsable, str(f.jours), key=str(f.famille_id))
            yield table
            yield Label("Objet *")
            yield Input(self.sujet, id="sujet", max_length=400)
            yield Label("Message *")
            yield TextArea(self.corps, id="corps", soft_wrap=True)
            yield Static("", id="erreur-message", classes="erreur")
            with Horizontal(classes="boutons"):
                yield Button(f"Envoyer à {n} famille{pluriel}", id="envoyer", variant="primary")
                yield Button("Ne pas envoyer", id="annuler")

    @on(Button.Pressed, "#envoyer")
    def action_envoyer(self) -> None:
        sujet = self.query_one("#sujet", Input).value
        corps = self.query_one("#corps", TextArea).text
        try:
            verifier_message(sujet, corps)
            nombre = self.app.agir(
                envoyer_a_plusieurs,
                self.app.contexte(),
                [f.famille_id for f in self.familles],
                sujet,
                corps,
            )
        except ErreurMetier as e:
            self.query_one("#erreur-message", Static).update(e.message)
            return
        self.app.notify(f"Message envoyé à {nombre} famille{'s' if nombre > 1 else ''}.")
        self.dismiss(nombre)
