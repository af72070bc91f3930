"""Payments at the counter: the payment form, a payment's detail (receipt, cancellation) and
the reason asked before cancelling."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, RadioButton, RadioSet, SelectionList

from ecrans.table import DataTable
from ecrans.texte import ErreurChamp, Label, Select, Static
from ecrans.widgets import CORRIGEZ, Confirmation, Modale, SaisieMotif, fiche
from modele.agents import PERMISSIONS, peut
from modele.base import ErreurMetier
from modele.caisse import exiger_date_reglement
from modele.formats import centimes, date_courte, euros, montant
from modele.reglements import (
    MESSAGE_TRESORERIE,
    MODES_GUICHET,
    ModeReglement,
    VueEncaissement,
    annuler_reglement,
    description_reglement,
    detail_reglement,
    encaisser,
    factures_reglees,
    preparer_encaissement,
    question_deja_prelevee,
    question_trop_percu,
    verifier_reglement,
)
from modele.structure import regies as toutes_les_regies
from modele.validation import verifier_date

MODES = (*MODES_GUICHET, ModeReglement.TITRE_ORMC)
LIBELLE_REFERENCE = {
    ModeReglement.CHEQUE: "N° du chèque *",
    ModeReglement.CESU: "N° des CESU",
    ModeReglement.VIREMENT: "Référence du virement",
    ModeReglement.PRELEVEMENT: "Référence du mandat",
    ModeReglement.CARTE: "N° de transaction",
    ModeReglement.TITRE_ORMC: "N° du titre ORMC *",
}


@dataclass(frozen=True)
class EncaissementFait:
    reglement_id: int
    reference: str
    montant: int
    mode: ModeReglement
    rendu: int = 0


class FormulaireEncaissement(Modale[EncaissementFait | None]):
    """Amount, date, mode (with its number, bank, cash given), payer, and which invoices."""

    BINDINGS = [
        Binding("escape", "abandonner", "Annuler"),
        Binding("ctrl+s", "enregistrer", "Enregistrer le règlement", priority=True),
    ]

    # Kept once built (ecrans.widgets.Modale.GARDEE): its widgets depend on the régies only.
    GARDEE = True
    ARGUMENTS = ("famille_id", "preselection", "vue")

    def __init__(self, famille_id: int | None, factures: list[int] | None = None) -> None:
        super().__init__()
        self.famille_id = famille_id
        self.preselection = set(factures or [])
        self.montant_saisi = False  # the agent typed an amount: ticking no longer changes it
        self._verifiees: dict[str, str] = {}  # the fields' values the last save checked
        self.montant_defaut = ""
        self.vue: VueEncaissement | None = None

    @classmethod
    def d_avance(cls, app: App) -> FormulaireEncaissement:
        """Built ahead for no family (app.dialogues): the régies only."""
        formulaire = cls(None)
        regies = app.lire(toutes_les_regies)  # type: ignore[attr-defined]
        # (in preparer_encaissement's order: those the Trésorerie collects last)
        regies.sort(key=lambda r: (r.encaissement_tresorerie, r.code))
        formulaire.vue = VueEncaissement(regies, [], "", 0, {})
        return formulaire

    def _vue(self) -> VueEncaissement:
        if self.vue is None:
            app = self.app
            self.vue = app.lire(preparer_encaissement, self.famille_id, app.aujourdhui)
        return self.vue

    def forme(self) -> tuple:
        return tuple((r.id, r.libelle, r.encaissement_tresorerie) for r in self._vue().regies)

    def compose(self) -> ComposeResult:
        app = self.app
        vue = self._vue()
        with Vertical(classes="formulaire"):
            yield Static("Encaissement d'un règlement", classes="titre-dialogue")
            yield Static("", id="encaissement-solde", classes="aide")
            with VerticalScroll(classes="champs"):
                with Horizontal(classes="ligne-champ"):
                    yield Label("Régie", classes="libelle")
                    yield Select(
                        [(r.libelle, r.id) for r in vue.regies],
                        value=vue.regies[0].id if vue.regies else Select.BLANK,
                        allow_blank=False,
                        id="champ-regie",
                        compact=True,
                        disabled=len(vue.regies) < 2,
                    )
                yield ErreurChamp(id="erreur-regie")
                yield Static("", id="encaissement-tresorerie", classes="aide")
                # A Static, not a Label: it wraps at 80 columns instead of being cut.
                yield Static(
                    "Factures à régler (Espace : cocher ; aucune cochée : les plus "
                    "anciennes d'abord)",
                    id="aide-factures",
                    classes="aide",
                )
                yield SelectionList[int](id="champ-factures", compact=True)
                yield ErreurChamp(id="erreur-factures")
                yield from self._ligne("montant", "Montant (€) *", "")
                yield Static("", id="encaissement-jour", classes="aide")
                yield from self._ligne("date", "Date (JJ/MM/AAAA) *", date_courte(app.aujourdhui))
                with Horizontal(classes="ligne-champ"):
                    yield Label("Mode *", classes="libelle")
                    # "Titre émis" only where a régie is collected by the Trésorerie.
                    tresorerie = any(r.encaissement_tresorerie for r in vue.regies)
                    with RadioSet(id="champ-mode", compact=True):
                        for mode in MODES if tresorerie else MODES_GUICHET:
                            yield RadioButton(
                                mode.libelle,
                                value=mode == ModeReglement.CHEQUE,
                                id=f"mode-{mode.value}",
                            )
                yield ErreurChamp(id="erreur-mode")
                yield from self._ligne("reference_paiement", "N° du chèque *", "")
                yield from self._ligne("banque", "Banque", "")
                yield from self._ligne("remis", "Montant remis (€)", "")
                yield Static("", id="encaissement-rendu", classes="aide")
                yield from self._ligne("payeur", "Payeur", "")
            yield Static("", id="form-erreur", classes="erreur")
            with Horizontal(classes="boutons"):
                yield Button("Enregistrer le règlement", id="enregistrer", variant="primary")
                yield Button("Annuler", id="annuler")

    def _ligne(self, champ: str, libelle: str, valeur: str) -> ComposeResult:
        with Horizontal(classes="ligne-champ", id=f"ligne-{champ}"):
            yield Label(libelle, classes="libelle", id=f"libelle-{champ}")
            yield Input(valeur, id=f"champ-{champ}", compact=True, max_length=80)
        yield ErreurChamp(id=f"erreur-{champ}")

    def _regie_initiale(self) -> int | None:
        if not self.vue.regies:
            return None
        for i in self.vue.impayees:
            if i.facture.id in self.preselection:
                return i.facture.regie_id
        return self.vue.regies[0].id

    def on_mount(self) -> None:
        self.ouvrir()

    def remplir(self) -> None:
        vue = self._vue()
        self.montant_saisi = False
        self.montant_defaut = ""
        self._verifiees = {}
        self.query_one("#encaissement-solde", Static).update(
            f"Solde du compte : {euros(vue.solde)}"
        )
        regie = self._regie_initiale()
        choix = self.query_one("#champ-regie", Select)
        if regie is not None and choix.value != regie:
            with self.prevent(Select.Changed):  # (the invoices are listed just below)
                choix.value = regie
        self.query_one("#champ-payeur", Input).value = vue.payeur
        # Each opening starts from today (a kept form held the day it was last shown:
        # yesterday's, after a night logged in); `_dater` then takes the régie's cash day.
        date = self.query_one("#champ-date", Input)
        if date.value != date_courte(self.app.aujourdhui):
            date.value = date_courte(self.app.aujourdhui)
        self._remplir_factures()
        self._adapter_au_mode()
        self.query_one("#champ-montant", Input).focus()

    # --- what the form shows as the agent types ------------------------------------------

    @property
    def regie(self):
        regie_id = self.query_one("#champ-regie", Select).value
        return next((r for r in self.vue.regies if r.id == regie_id), None)

    def _remplir_factures(self) -> None:
        regie = self.regie
        liste = self.query_one("#champ-factures", SelectionList)
        liste.clear_options()
        self.impayees = [i for i in self.vue.impayees if regie and i.facture.regie_id == regie.id]
        for i in self.impayees:
            f = i.facture
            preleve = self.vue.preleves.get(f.id)
            liste.add_option(
                (
                    # (the total only when part is paid: the debit's date then still fits
                    # on the line at 80 columns)
                    f"{f.reference} du {date_courte(f.date_emission)} — "
                    + (f"{montant(f.total)}, " if f.total != i.reste_du else "")
                    + f"reste dû {montant(i.reste_du)}"
                    + (f" — prélevée le {preleve:%d/%m}" if preleve else ""),
                    f.id,
                    f.id in self.preselection,
                )
            )
        liste.display = bool(self.impayees)
        tresorerie = self.query_one("#encaissement-tresorerie", Static)
        tresorerie.update(
            f"{MESSAGE_TRESORERIE} : saisissez le titre émis (ORMC)."
            if regie and regie.encaissement_tresorerie
            else ""
        )
        tresorerie.display = bool(regie and regie.encaissement_tresorerie)
        self._dater(regie)
        if regie is not None:
            mode = (
                ModeReglement.TITRE_ORMC if regie.encaissement_tresorerie else ModeReglement.CHEQUE
            )
            self.query_one(f"#mode-{mode.value}", RadioButton).value = True
        self._montant_par_defaut()

    def _dater(self, regie) -> None:
        """The date the régie's cash takes now: today, or tomorrow once today's cash is
        closed (said above the date). A date the agent typed stays."""
        aujourdhui = self.app.aujourdhui
        jour = self.vue.jours_de_caisse.get(regie.id, aujourdhui) if regie else aujourdhui
        champ = self.query_one("#champ-date", Input)
        defauts = {date_courte(aujourdhui), *map(date_courte, self.vue.jours_de_caisse.values())}
        if champ.value != date_courte(jour) and champ.value in defauts | {""}:
            champ.value = date_courte(jour)
        note = self.query_one("#encaissement-jour", Static)
        note.update(
            f"La caisse du {date_courte(aujourdhui)} est close : le règlement est daté du "
            f"{date_courte(jour)}, prochain jour de caisse."
            if jour != aujourdhui
            else ""
        )
        note.display = jour != aujourdhui

    def _montant_par_defaut(self) -> None:
        if self.montant_saisi:
            return
        cochees = set(self.query_one("#champ-factures", SelectionList).selected)
        du = sum(i.reste_du for i in self.impayees if not cochees or i.facture.id in cochees)
        self.montant_defaut = montant(du) if du else ""
        self.query_one("#champ-montant", Input).value = self.montant_defaut
        self._rendu()

    def mode(self) -> ModeReglement:
        bouton = self.query_one("#champ-mode", RadioSet).pressed_button
        return ModeReglement(bouton.id.removeprefix("mode-")) if bouton else ModeReglement.CHEQUE

    def _adapter_au_mode(self) -> None:
        mode = self.mode()
        libelle = LIBELLE_REFERENCE.get(mode)
        self.query_one("#ligne-reference_paiement").display = libelle is not None
        if libelle:
            self.query_one("#libelle-reference_paiement", Label).update(libelle)
        self.query_one("#ligne-banque").display = mode == ModeReglement.CHEQUE
        especes = mode == ModeReglement.ESPECES
        self.query_one("#ligne-remis").display = especes
        self.query_one("#encaissement-rendu").display = especes
        self._rendu()

    def _lire(self, champ: str) -> int | None:
        try:
            return centimes(self.query_one(f"#champ-{champ}", Input).value)
        except ValueError:
            return None

    def _rendu(self) -> None:
        """The change to give back, live, for cash."""
        du, remis = self._lire("montant"), self._lire("remis")
        texte = "À rendre : —"
        if du is not None and remis is not None:
            texte = (
                f"À rendre : {euros(remis - du)}"
                if remis >= du
                else f"Il manque {euros(du - remis)}"
            )
        self.query_one("#encaissement-rendu", Static).update(Text(texte, style="bold"))

    @on(Select.Changed, "#champ-regie")
    def _regie_changee(self) -> None:
        self._remplir_factures()

    @on(SelectionList.SelectedChanged)
    def _cochees(self) -> None:
        self._montant_par_defaut()

    @on(RadioSet.Changed)
    def _mode_change(self) -> None:
        self._adapter_au_mode()
        # The mode's own fields come or go (or change meaning: a cheque's number, a card's
        # transaction): their messages were about the mode before.
        for champ in ("mode", "reference_paiement", "banque", "remis"):
            self.signaler(champ, "")
        self.champs_corriges()

    @on(Input.Changed)
    def _saisie(self, event: Input.Changed) -> None:
        if event.input.id == "champ-montant":
            self.montant_saisi = event.value != self.montant_defaut
        if event.input.id in ("champ-montant", "champ-remis"):
            self._rendu()
        # A value changed since the last save's checks: its message goes, and « Corrigez les
        # champs signalés » with the last one. (A change of before the save, handled after
        # it, clears nothing: its message is about that very value.)
        if event.value != event.input.value:
            return  # (a keystroke's change handled after later ones: the field moved on)
        if event.input.id and self._verifiees.get(event.input.id) != event.value:
            self.signaler(event.input.id.removeprefix("champ-"), "")
            self.champs_corriges()

    def signaler(self, champ: str, message: str) -> None:
        """Show (or clear) the French message under a field."""
        erreurs = self.query(f"#erreur-{champ}")
        if not erreurs:
            self.query_one("#form-erreur", Static).update(message)
            return
        erreur = erreurs.first()
        if str(erreur.content) != message:  # (an update lays the form out again)
            erreur.update(message)
        erreur.display = bool(message)

    # --- saving ------------------------------------------------------------------------------

    @on(Input.Submitted)
    def _suivant(self) -> None:
        self.focus_next()

    @on(Button.Pressed, "#enregistrer")
    def action_enregistrer(self) -> None:
        for champ in (
            "regie",
            "factures",
            "montant",
            "date",
            "mode",
            "reference_paiement",
            "banque",
            "remis",
            "payeur",
        ):
            self.signaler(champ, "")
        self.query_one("#form-erreur", Static).update("")
        self._verifiees = {i.id: i.value for i in self.query(Input) if i.id}
        valeur = lambda champ: self.query_one(f"#champ-{champ}", Input).value.strip()  # noqa: E731
        erreurs: dict[str, str] = {}
        somme = date = None
        try:
            somme = centimes(valeur("montant")) if valeur("montant") else None
            if somme is None:
                erreurs["montant"] = "Le montant est obligatoire."
        except ValueError as e:
            erreurs["montant"] = str(e)
        try:
            date = verifier_date(valeur("date"), "date")
            if date is None:
                erreurs["date"] = "La date est obligatoire."
        except ErreurMetier as e:
            erreurs["date"] = e.message
        mode = self.mode()
        rendu = 0
        if mode == ModeReglement.ESPECES and valeur("remis") and somme is not None:
            try:
                remis = centimes(valeur("remis"))
                if remis < somme:
                    erreurs["remis"] = "Le montant remis est inférieur au montant encaissé."
                rendu = max(remis - somme, 0)
            except ValueError as e:
                erreurs["remis"] = str(e)
        if erreurs:
            self._montrer(erreurs)
            return
        regie = self.regie
        reference = valeur("reference_paiement") if LIBELLE_REFERENCE.get(mode) else ""
        try:  # a payment the rules refuse is refused before any question
            regie = verifier_reglement(self.app.contexte(), regie, mode, date, reference, somme)
            if not regie.encaissement_tresorerie:  # (the day's cash closed: said first)
                self.app.lire(exiger_date_reglement, regie.id, date, self.app.aujourdhui)
        except ErreurMetier as e:
            self._montrer({e.champ or "": e.message})
            return
        # Invoices the bank is to debit: paid here too, they would be paid twice.
        cochees = set(self.query_one("#champ-factures", SelectionList).selected)
        preleves = {
            i.facture.reference: self.vue.preleves[i.facture.id]
            for i in factures_reglees(self.impayees, somme, cochees)
            if i.facture.id in self.vue.preleves
        }
        if preleves:

            def _malgre(oui: bool | None) -> None:
                if oui:
                    self._sans_prelevement(somme, date, mode, rendu, regie)
                else:
                    self.query_one("#champ-factures", SelectionList).focus()

            self.app.push_screen(Confirmation(question_deja_prelevee(preleves)), _malgre)
            return
        self._sans_prelevement(somme, date, mode, rendu, regie)

    def _sans_prelevement(self, somme: int, date, mode: ModeReglement, rendu: int, regie) -> None:
        # More than the régie's unpaid invoices: ask before keeping the rest as a credit.
        trop = somme - sum(i.reste_du for i in self.impayees)
        if regie is not None and not regie.encaissement_tresorerie and trop > 0:

            def _reponse(garder: bool | None) -> None:
                if garder:
                    self._enregistrer(somme, date, mode, rendu, garder_en_avoir=True)
                else:
                    self.query_one("#champ-montant", Input).focus()

            self.app.push_screen(Confirmation(question_trop_percu(trop)), _reponse)
            return
        self._enregistrer(somme, date, mode, rendu)

    def _enregistrer(
        self,
        somme: int,
        date,
        mode: ModeReglement,
        rendu: int,
        garder_en_avoir: bool = False,
    ) -> None:
        valeur = lambda champ: self.query_one(f"#champ-{champ}", Input).value.strip()  # noqa: E731
        cochees = list(self.query_one("#champ-factures", SelectionList).selected)
        regie = self.regie
        reference = valeur("reference_paiement") if LIBELLE_REFERENCE.get(mode) else ""
        app = self.app
        try:
            r = app.agir(
                encaisser,
                app.contexte(),
                self.famille_id,
                regie.id if regie else 0,
                somme,
                mode,
                date,
                reference_paiement=reference,
                banque=valeur("banque") if mode == ModeReglement.CHEQUE else "",
                payeur=valeur("payeur"),
                factures=cochees or None,
                garder_en_avoir=garder_en_avoir,
            )
        except ErreurMetier as e:
            self._montrer({e.champ or "": e.message})
            return
        self.dismiss(EncaissementFait(r.id, r.reference, somme, mode, rendu))

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
            self.viser_erreur(premier)


def ouvrir_encaissement(
    app: App,
    famille_id: int,
    factures: list[int] | None = None,
    apres: Callable[[], None] | None = None,
) -> None:
    """The payment form; once saved, say so and offer to print the receipt. The chain of
    dialogs belongs to the screen it was opened from (it ends if that screen goes)."""
    worker = app.screen.run_worker(
        _encaisser(app, famille_id, factures, apres), group="encaissement"
    )
    retenir = getattr(app, "retenir_touches", None)
    if retenir is not None:  # the keys typed while the form opens go to it
        retenir(worker)


async def _encaisser(
    app: App,
    famille_id: int,
    factures: list[int] | None,
    apres: Callable[[], None] | None,
) -> None:
    fait = await app.push_screen_wait(FormulaireEncaissement(famille_id, factures))
    if fait is None:
        return
    message = (
        f"Règlement {fait.reference} enregistré : {euros(fait.montant)} ({fait.mode.libelle})."
    )
    if fait.rendu:
        message += f" À rendre : {euros(fait.rendu)}."
    app.notify(message, timeout=8)
    if apres is not None:
        apres()
    if await app.push_screen_wait(Confirmation(f"Imprimer le reçu {fait.reference} ?")):
        from ecrans.impression_compte import imprimer_recu

        imprimer_recu(app, fait.reglement_id)


# --- cancelling --------------------------------------------------------------------------------


def annuler_depuis(app: App, reglement_id: int, apres: Callable[[], None] | None = None) -> None:
    """Ask the reason, then cancel by a reversing entry; only a régisseur may."""
    if not peut(app.agent, "annuler_reglement"):
        app.notify(PERMISSIONS["annuler_reglement"][1], severity="error", timeout=8)
        return
    d = app.lire(detail_reglement, reglement_id)
    if d.reglement.montant < 0:
        app.notify("Une annulation ne s'annule pas.", severity="warning")
        return
    if d.annulation is not None:
        app.notify(
            f"Le règlement {d.reglement.reference} est déjà annulé ({d.annulation.reference}).",
            severity="warning",
        )
        return

    def _fin(motif: str | None) -> None:
        if not motif:
            return
        fait, annulation = app.agir_ou_signaler(
            annuler_reglement, app.contexte(), reglement_id, motif
        )
        if not fait:
            return
        app.notify(
            f"Règlement {d.reglement.reference} annulé ({annulation.reference}) : les "
            "factures qu'il payait sont de nouveau dues.",
            timeout=8,
        )
        if apres is not None:
            apres()

    app.push_screen(
        SaisieMotif(
            f"Annuler le règlement {d.reglement.reference} ({euros(d.reglement.montant)})",
            "Motif de l'annulation *",
            "Annuler le règlement",
        ),
        _fin,
    )


def _mode_detaille(r) -> str:
    """ "Chèque n° 0004512 — La Banque Postale", "Titre émis (ORMC n°12)"."""
    if r.mode == ModeReglement.TITRE_ORMC:
        return description_reglement(r)
    texte = ModeReglement(r.mode).libelle
    if r.reference_paiement:
        texte += f" n° {r.reference_paiement}"
    return texte + (f" — {r.banque}" if r.banque else "")


class DetailReglement(Modale[None]):
    """One payment: what it paid, what it left as a credit; receipt and cancellation."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Fermer"),
        Binding("i", "imprimer", "Imprimer le reçu"),
        Binding("a", "annuler", "Annuler le règlement"),
    ]

    def __init__(self, reglement_id: int) -> None:
        super().__init__()
        self.reglement_id = reglement_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="formulaire"):
            yield Static(id="reglement-titre", classes="titre-dialogue")
            yield Static(id="reglement-infos")
            table = DataTable(id="reglement-affectations", cursor_type="row")
            table.add_columns("Facture", "Date", "Montant affecté")
            yield table
            yield Static(id="reglement-statut", classes="aide")

    def on_mount(self) -> None:
        self.charger()
        self.query_one(DataTable).focus()

    def charger(self) -> None:
        d = self.app.lire(detail_reglement, self.reglement_id)
        self.detail = d
        r = d.reglement
        genre = "Annulation" if r.montant < 0 else "Règlement"
        self.query_one("#reglement-titre", Static).update(f"{genre} {r.reference}")
        self.query_one("#reglement-infos", Static).update(
            fiche(
                [
                    ("Date", date_courte(r.date)),
                    ("Montant", euros(r.montant)),
                    ("Mode", _mode_detaille(r)),
                    ("Payeur", r.payeur),
                    ("Régie", d.regie.libelle),
                    ("Reste en crédit", euros(d.credit)),
                ]
            )
        )
        table = self.query_one(DataTable)
        table.clear()
        for a in d.affectations:
            f = d.factures[a.facture_id]
            table.add_row(
                f.reference, date_courte(f.date_emission), Text(montant(a.montant), justify="right")
            )
        statut = ""
        if d.annulation is not None:
            statut = (
                f"Annulé le {date_courte(d.annulation.date)} par l'écriture "
                f"{d.annulation.reference} : {d.annulation.motif}"
            )
        elif d.origine is not None:
            statut = f"Annule le règlement {d.origine.reference} : {r.motif}"
        self.query_one("#reglement-statut", Static).update(statut)

    def action_imprimer(self) -> None:
        from ecrans.impression_compte import imprimer_recu

        imprimer_recu(self.app, self.reglement_id)

    def action_annuler(self) -> None:
        annuler_depuis(self.app, self.reglement_id, apres=self.charger)
