"""An invoice in detail (lines by child and activity, paid, credit notes, rest due) with its
actions: print, pay, credit note; and the credit note form."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Header, Input, SelectionList

from ecrans.pied import PiedDePage
from ecrans.table import DataTable, TableLignes
from ecrans.texte import ErreurChamp, Label, Static, brut
from ecrans.widgets import Confirmation, Modale, PremiereReprise, fiche
from modele.agents import PERMISSIONS, peut
from modele.base import ErreurMetier
from modele.facturation import NatureFacture, mention_regularisation, restes_a_crediter
from modele.facturation import facture as facture_par_id
from modele.formats import date_courte, euros, montant
from modele.reglements import (
    MESSAGE_TRESORERIE,
    description_reglement,
    detail_facture,
    emettre_avoir_et_lettrer,
    prelevements_a_venir,
    question_avoir_preleve,
)


def _designation(nom: str, ligne) -> str:
    """The activity, and for a regularisation line the month and days it bills."""
    mention = mention_regularisation(ligne)
    return f"{nom} — {mention}" if mention else nom


def _cle_groupe(d, ligne) -> tuple:
    """Lines by child (eldest first), then activity in the régie's order."""
    enfant = d.enfants.get(ligne.enfant_id)
    activite = d.activites.get(ligne.activite_id)
    return (
        enfant is None,
        enfant.date_naissance if enfant else dt.date.max,
        ligne.enfant_id or 0,
        activite.ordre if activite else 0,
        ligne.activite_id or 0,
        ligne.prix_unitaire,
    )


class FormulaireAvoir(Modale[str | None]):
    """Reason and lines of a credit note; dismisses the new reference."""

    BINDINGS = [
        Binding("escape", "abandonner", "Annuler"),
        Binding("ctrl+s", "enregistrer", "Émettre l'avoir", priority=True),
    ]

    def __init__(self, facture_id: int) -> None:
        super().__init__()
        self.facture_id = facture_id

    def compose(self) -> ComposeResult:
        d = self.app.lire(detail_facture, self.facture_id)
        # what each line still bills once earlier credit notes (whole lines, days) are taken
        self.restes = self.app.lire(restes_a_crediter, self.facture_id)
        self.lignes = {lg.id: lg for lg in d.lignes}
        libres = [lg for lg in d.lignes if self.restes.get(lg.id)]
        with Vertical(classes="formulaire"):
            yield Static(
                f"Avoir sur la facture {d.facture.reference} ({euros(d.facture.total)})",
                classes="titre-dialogue",
            )
            yield Static(
                "La facture ne change pas : l'avoir la corrige, et les jours des "
                "lignes créditées pourront être facturés à nouveau.",
                classes="aide",
            )
            yield Label("Lignes à créditer (Espace pour cocher)")
            yield SelectionList[int](
                *[
                    (
                        # The amount first: at 80 columns the end of a long activity's
                        # line is cut, and it was the amount credited.
                        brut(
                            f"{montant(self.restes[lg.id] * lg.prix_unitaire)} € "
                            f"({self.restes[lg.id]} j × {montant(lg.prix_unitaire)}"
                            + (
                                f" sur {lg.quantite} j facturés"
                                if self.restes[lg.id] != lg.quantite
                                else ""
                            )
                            + f") — {lg.libelle}"
                        ),
                        lg.id,
                        True,
                    )
                    for lg in libres
                ],
                id="champ-lignes",
                compact=True,
            )
            yield ErreurChamp(id="erreur-lignes")
            yield Static(id="avoir-total", classes="aide")
            yield Label("Motif *")
            yield Input(id="champ-motif", max_length=300)
            yield ErreurChamp(id="erreur-motif")
            with Horizontal(classes="boutons"):
                yield Button("Émettre l'avoir", id="enregistrer", variant="primary")
                yield Button("Annuler", id="annuler")

    def on_mount(self) -> None:
        self._total()
        self.query_one("#champ-motif", Input).focus()

    @on(SelectionList.SelectedChanged)
    def _total(self) -> None:
        choisies = self.query_one("#champ-lignes", SelectionList).selected
        total = sum(self.restes[i] * self.lignes[i].prix_unitaire for i in choisies)
        self.query_one("#avoir-total", Static).update(f"Montant de l'avoir : {euros(total)}")

    @on(Input.Submitted)
    @on(Button.Pressed, "#enregistrer")
    def action_enregistrer(self) -> None:
        for champ in ("lignes", "motif"):
            self.query_one(f"#erreur-{champ}", Static).update("")
        choisies = list(self.query_one("#champ-lignes", SelectionList).selected)
        app = self.app
        try:
            avoir = app.agir(
                emettre_avoir_et_lettrer,
                app.contexte(),
                self.facture_id,
                self.query_one("#champ-motif", Input).value,
                choisies,
            )
        except ErreurMetier as e:
            champ = e.champ if e.champ in ("lignes", "motif") else "motif"
            self.query_one(f"#erreur-{champ}", Static).update(e.message)
            self.query_one(f"#champ-{champ}").focus()
            return
        app.notify(f"Avoir {avoir.reference} émis : {euros(avoir.total)}.", timeout=8)
        self.dismiss(avoir.reference)


class EcranFacture(PremiereReprise, Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Retour"),
        Binding("i", "imprimer", "Imprimer"),
        Binding("p", "payer", "Encaisser"),
        Binding("v", "avoir", "Avoir"),
    ]

    # Kept once built (as the dialogs: ecrans.widgets.dialogue_garde): each opening reads
    # its invoice into it.
    GARDEE = True

    def __init__(self, facture_id: int | None) -> None:
        super().__init__()
        self.facture_id = facture_id

    @classmethod
    def d_avance(cls, _app) -> EcranFacture:
        return cls(None)

    def forme(self) -> tuple:
        return ()

    def reprendre(self, neuve: EcranFacture) -> None:
        """Show `neuve`'s invoice, as a new screen would: read, at its top, the lines
        focused, nothing left of the last invoice (each table is filled afresh)."""
        self.facture_id = neuve.facture_id
        self._repris = False  # (PremiereReprise: no restyle when shown, the theme the same)
        self.set_focus(None)
        self.on_mount()
        for table in self.query("DataTable"):
            table.scroll_home(animate=False, immediate=True)

    def _disposer(self) -> None:
        from ecrans.compat_textual import disposer_ecran

        if not self.is_current:
            disposer_ecran(self, *self.app.size)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="facture-titre", classes="titre-section")
        yield Static(id="facture-infos")
        yield Static("Détail", classes="titre-section")
        # Narrow: the child, then the unit price, go into the line under the rows; the
        # days and the amount always show.
        yield TableLignes(
            "Enfant",
            "Activité",
            "Jours",
            "Prix unitaire",
            "Montant",
            droite=["Jours", "Prix unitaire", "Montant"],
            abandon=["Enfant", "Prix unitaire"],
            id="facture-lignes",
        )
        yield Static(id="facture-totaux")
        yield Static(id="facture-tresorerie", classes="aide")
        yield Static("Règlements affectés", classes="titre-section")
        reglements = DataTable(id="facture-reglements", cursor_type="row")
        reglements.add_columns("N° opération", "Date", "Description", "Montant affecté")
        yield reglements
        yield Static("Avoirs", classes="titre-section", id="facture-avoirs-titre")
        avoirs = DataTable(id="facture-avoirs", cursor_type="row")
        avoirs.add_columns("N° avoir", "Date", "Motif", "Montant")
        yield avoirs
        yield PiedDePage()

    def on_mount(self) -> None:
        if self.facture_id is None:  # (built ahead: an invoice is read when it is shown)
            self.call_after_refresh(self._disposer)
            return
        self.charger()
        # Opens at its top (the invoice's number and payer): the lines come right under
        # them, the screen scrolls only when the agent moves on.
        self.query_one("#facture-lignes", TableLignes).focus(scroll_visible=False)
        self.call_after_refresh(self.scroll_home, animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("payer", "avoir") and getattr(self, "detail", None) is not None:
            return not self.detail.avoir
        return True

    def charger(self) -> None:
        d = self.app.lire(detail_facture, self.facture_id)
        self.detail = d
        f = d.facture
        r = d.responsable
        genre = "Avoir" if d.avoir else "Facture"
        self.title = f"{genre} {f.reference}"
        titre = f"{genre} {f.reference} — {d.regie.libelle}"
        if d.origine is not None:
            titre += f" — sur la facture {d.origine.reference}"
        self.query_one("#facture-titre", Static).update(titre)
        paires = [
            ("Payeur", r.nom_prenom if r else ""),
            ("N° famille", d.famille.numero),
            ("Date", date_courte(f.date_emission)),
            ("Période", f"{date_courte(f.periode_debut)} - {date_courte(f.periode_fin)}"),
        ]
        paires += [("Motif", f.motif)] if d.avoir else [("Échéance", date_courte(f.date_echeance))]
        self.query_one("#facture-infos", Static).update(fiche(paires))
        rangees = []
        for ligne in sorted(d.lignes, key=lambda lg: _cle_groupe(d, lg)):
            enfant = d.enfants.get(ligne.enfant_id)
            activite = d.activites.get(ligne.activite_id)
            rangees.append(
                (
                    str(ligne.id),
                    (
                        f"{enfant.prenoms} {enfant.nom}" if enfant else "",
                        _designation(activite.nom, ligne) if activite else ligne.libelle,
                        str(ligne.quantite),
                        montant(ligne.prix_unitaire),
                        montant(ligne.montant),
                    ),
                )
            )
        self.query_one("#facture-lignes", TableLignes).remplir(rangees)
        if d.avoir:
            totaux = [("Montant de l'avoir", euros(f.total))]
        else:
            reste = (
                ("Reste dû", euros(d.reste_du))
                if d.reste_du >= 0
                else ("Crédit en faveur de la famille", euros(-d.reste_du))
            )
            totaux = [
                ("Total", euros(f.total)),
                ("Déjà payé", euros(d.deja_paye)),
                ("Réglée par avoir", euros(d.regle_par_avoir)),
                reste,
            ]
        self.query_one("#facture-totaux", Static).update(fiche(totaux, colonnes=1))
        tresorerie = self.query_one("#facture-tresorerie", Static)
        tresorerie.update(f"{MESSAGE_TRESORERIE}." if d.regie.encaissement_tresorerie else "")
        tresorerie.display = d.regie.encaissement_tresorerie
        reglements = self.query_one("#facture-reglements", DataTable)
        reglements.clear()
        for reglement, part in d.paiements:
            reglements.add_row(
                reglement.reference,
                date_courte(reglement.date),
                description_reglement(reglement),
                Text(montant(part), justify="right"),
                key=str(reglement.id),
            )
        avoirs = self.query_one("#facture-avoirs", DataTable)
        avoirs.clear()
        for avoir in d.avoirs:
            avoirs.add_row(
                avoir.reference,
                date_courte(avoir.date_emission),
                avoir.motif,
                Text(montant(avoir.total), justify="right"),
                key=str(avoir.id),
            )
        avoirs.display = self.query_one("#facture-avoirs-titre").display = not d.avoir
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#facture-reglements")
    def _reglement(self, event: DataTable.RowSelected) -> None:
        from ecrans.encaissement import DetailReglement

        self.app.push_screen(DetailReglement(int(event.row_key.value)), lambda _: self.charger())

    @on(DataTable.RowSelected, "#facture-avoirs")
    def _avoir(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(EcranFacture(int(event.row_key.value)))

    def action_imprimer(self) -> None:
        from ecrans.impression_compte import imprimer_facture

        imprimer_facture(self.app, self.facture_id)

    def action_payer(self) -> None:
        from ecrans.encaissement import ouvrir_encaissement

        ouvrir_encaissement(
            self.app, self.detail.facture.famille_id, [self.facture_id], apres=self.charger
        )

    def action_avoir(self) -> None:
        ouvrir_avoir(self.app, self.facture_id, apres=self.charger)


def ouvrir_avoir(app, facture_id: int, apres=None) -> None:
    """The credit note form, for a régisseur; others are told why not."""
    if not peut(app.agent, "avoir"):
        app.notify(PERMISSIONS["avoir"][1], severity="error", timeout=8)
        return
    facture = app.lire(facture_par_id, facture_id)
    if facture.nature != NatureFacture.FACTURE:
        app.notify("Un avoir se fait sur une facture, pas sur un autre avoir.", severity="warning")
        return

    def _fin(reference: str | None) -> None:
        if reference and apres is not None:
            apres()

    def _malgre(oui: bool | None) -> None:
        if oui:
            app.push_screen(FormulaireAvoir(facture_id), _fin)

    jour = app.lire(prelevements_a_venir, facture.famille_id).get(facture_id)
    if jour is not None:  # (the debit will take the whole invoice: the credit comes back)
        app.push_screen(Confirmation(question_avoir_preleve(facture.reference, jour)), _malgre)
        return
    app.push_screen(FormulaireAvoir(facture_id), _fin)
