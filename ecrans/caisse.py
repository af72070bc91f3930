"""F4 "Caisse", for the régisseur: a régie's day, its totals by mode, the amounts counted,
the closing (a reason for any difference), the journal de caisse and the deposit slips."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header

from ecrans.formulaire_champs import Champ, FormulaireChamps
from ecrans.garde import EcranGarde
from ecrans.impression import imprimer_nomme
from ecrans.pied import PiedDePage
from ecrans.table import DataTable, DataTableSansPages, sans_touches
from ecrans.texte import Static, indication
from ecrans.widgets import Confirmation, SaisieMotif
from modele.base import ErreurMetier
from modele.caisse import prochain_jour_de_caisse
from modele.cloture import (
    EtatCaisse,
    cloturer_caisse,
    compte_saisi,
    etablir_bordereaux,
    etat_caisse,
    exiger_jour_venu,
    exiger_tout_compte,
    regies_caisse,
    texte_ecarts,
)
from modele.formats import compte, date_courte, euros, nombre


class TotauxCaisse(DataTableSansPages, inherit_bindings=False):
    """The day's totals by mode: Enter counts the highlighted one (the screen's binding)."""

    BINDINGS = sans_touches(DataTableSansPages.BINDINGS, "enter")


class EcranCaisse(EcranGarde, Screen[None]):
    # The day's actions first: at 80 columns the footer shows those that fit, and the
    # screen's own lines already say Entrée, PgPréc / PgSuiv and g.
    BINDINGS = [
        Binding("c", "cloturer", "Clôturer"),
        Binding("b", "bordereaux", "Bordereaux"),
        Binding("p", "imprimer_bordereaux", "Imprimer bordereaux"),
        Binding("i", "imprimer_journal", "Journal caisse"),
        Binding("enter", "compter", "Saisir le compté"),
        Binding("pageup", "jour(-1)", "Jour préc."),
        Binding("pagedown", "jour(1)", "Jour suiv."),
        Binding("g", "regie", "Régie suivante"),
        Binding("escape", "app.pop_screen", "Retour"),
    ]

    def __init__(self, jour: dt.date) -> None:
        super().__init__()
        self.jour = jour
        self.etat: EtatCaisse | None = None
        self.comptes: dict[str, int] = {}
        self.regie_index = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="caisse-titre", classes="titre-section")
        yield Static(id="caisse-etat", classes="aide")
        table = TotauxCaisse(id="caisse-totaux", cursor_type="row", zebra_stripes=True)
        table.add_columns("Mode", "Nombre", "Enregistré", "Compté", "Écart")
        yield table
        yield Static(id="caisse-bordereaux")
        yield PiedDePage()

    def on_mount(self) -> None:
        self.title = "Caisse"

    def rouvrir(self) -> None:
        """Each showing: today, the first régie, nothing counted, read afresh."""
        self.jour, self.regie_index, self.comptes = self.app.aujourdhui, 0, {}
        self.regies = self.app.lire(regies_caisse)
        self.query_one("#caisse-totaux", DataTable).focus()
        self.charger()

    def charger(self) -> None:
        table = self.query_one("#caisse-totaux", DataTable)
        table.clear()
        if not self.regies:
            self.query_one("#caisse-titre", Static).update("Aucune régie encaissée ici.")
            return
        regie = self.regies[self.regie_index]
        self.etat = etat = self.app.lire(etat_caisse, regie.id, self.jour)
        self.query_one("#caisse-titre", Static).update(
            Text(
                f"{regie.libelle} ({regie.code}) — journée du {date_courte(self.jour)}  "
                + indication("PgPréc / PgSuiv : jour ; g : régie")
            )
        )
        cloture = etat.cloture
        if cloture is not None:
            ecart = (
                f" — écart {euros(cloture.ecart)}, motif : {cloture.motif}" if cloture.ecart else ""
            )
            statut = f"Caisse close ({cloture.reference}) : compté {euros(cloture.compte)}{ecart}"
        else:
            operations = sum(t.nombre for t in etat.totaux)
            statut = (
                f"Caisse ouverte : {compte(operations, 'opération')}, "
                f"{euros(sum(t.montant for t in etat.totaux))} — Entrée sur un mode pour "
                "saisir le compté, c pour clôturer."
                if etat.totaux
                else "Aucune opération ce jour : c clôture une journée vide."
            )
        self.query_one("#caisse-etat", Static).update(Text(statut))
        for t in etat.totaux:
            compte_mode = t.compte if cloture else self.comptes.get(t.mode)
            ecart = "" if compte_mode is None else euros(compte_mode - t.montant)
            table.add_row(
                Text(t.libelle),
                Text(nombre(t.nombre), justify="right"),
                Text(euros(t.montant), justify="right"),
                Text("" if compte_mode is None else euros(compte_mode), justify="right"),
                Text(ecart, justify="right"),
                key=t.mode,
            )
        bordereaux = ", ".join(
            f"{b.reference} ({nombre(b.nombre)}, {euros(b.total)}"
            f"{', imprimé' if b.imprime_le else ''})"
            for b in etat.bordereaux
        )
        # (cash refunds of the day go on the cash slip too: not all are payments)
        reste = f" ; {compte(etat.a_remettre, 'opération')} à remettre" if etat.a_remettre else ""
        self.query_one("#caisse-bordereaux", Static).update(
            Text(f"Bordereaux : {bordereaux or 'aucun'}{reste}")
        )

    def action_jour(self, decalage: int) -> None:
        self.jour += dt.timedelta(days=decalage)
        self.comptes = {}
        self.charger()

    def action_regie(self) -> None:
        if len(self.regies) < 2:  # (it did nothing, with no word)
            self.notify("Une seule régie tient sa caisse ici : pas d'autre à montrer.")
            return
        self.regie_index = (self.regie_index + 1) % len(self.regies)
        self.comptes = {}
        self.charger()

    def action_compter(self) -> None:
        if self.etat is None:
            return
        if self.etat.close:  # (Enter did nothing, with no word)
            self.notify(
                "Cette caisse est close : son compté ne se saisit plus.", severity="warning"
            )
            return
        if not self.etat.totaux:
            self.notify("Aucune opération ce jour : rien à compter.", severity="warning")
            return
        table = self.query_one("#caisse-totaux", DataTable)
        mode = self.etat.totaux[table.cursor_row]

        def _compte(compte: int | None) -> None:
            if compte is None:
                return
            self.comptes[mode.mode] = compte
            ligne = table.cursor_row
            self.charger()
            table.move_cursor(row=min(ligne + 1, table.row_count - 1))

        # a bad or negative amount is refused in the dialog, at its field, as the closing would
        self.app.push_screen(
            FormulaireChamps(
                f"Montant compté — {mode.libelle}",
                [Champ("compte", "Compté", indication="ex. 120,60", longueur=20)],
                lambda valeurs: compte_saisi(mode.mode, valeurs["compte"], enregistre=mode.montant),
                aide=f"Enregistré : {euros(mode.montant)} ({compte(mode.nombre, 'opération')}).",
                bouton="Valider",
            ),
            _compte,
        )

    def action_cloturer(self) -> None:
        if self.etat is None or self.etat.close:
            self.notify("Cette caisse est déjà close.", severity="warning")
            return
        regie_id, jour, comptes = self.etat.regie.id, self.jour, dict(self.comptes)
        try:
            exiger_jour_venu(jour, self.app.aujourdhui)  # (before the question, not after)
            exiger_tout_compte({t.mode: t.montant for t in self.etat.totaux}, comptes)
        except ErreurMetier as e:
            self.notify(e.message, severity="error", timeout=10)
            return
        ecarts = {
            t.mode: comptes[t.mode] - t.montant for t in self.etat.totaux if t.mode in comptes
        }

        def _fermer(motif: str) -> None:
            fait, cloture = self.app.agir_ou_signaler(
                cloturer_caisse, self.app.contexte(), regie_id, jour, comptes, motif
            )
            if fait:
                self.notify(f"Caisse du {date_courte(jour)} close ({cloture.reference}).")
                self.charger()

        if any(ecarts.values()):
            self.app.push_screen(
                SaisieMotif(
                    "Écart de caisse",
                    f"Le compté diffère de l'enregistré ({texte_ecarts(ecarts)}) : motif de "
                    "l'écart",
                    "Clôturer",
                ),
                lambda motif: motif is not None and _fermer(motif),
            )
        else:
            suite = (
                " Les règlements pris ensuite seront datés du "
                f"{date_courte(self.app.lire(prochain_jour_de_caisse, jour, regie_id))}, le "
                "prochain jour de caisse."
                if jour == self.app.aujourdhui
                else ""
            )
            self.app.push_screen(
                Confirmation(f"Clôturer la caisse du {date_courte(jour)} ?{suite}"),
                lambda oui: bool(oui) and _fermer(""),
            )

    def action_bordereaux(self) -> None:
        if self.etat is None:
            return
        fait, faits = self.app.agir_ou_signaler(
            etablir_bordereaux, self.app.contexte(), self.etat.regie.id, self.jour
        )
        if fait:
            self.notify("Bordereaux établis : " + ", ".join(b.reference for b in faits) + ".")
            self.charger()

    def action_imprimer_journal(self) -> None:
        from exports.documents import document_journal_caisse

        if self.etat is None:
            return
        regie_id, jour, edite = self.etat.regie.id, self.jour, self.app.aujourdhui
        comptes = dict(self.comptes)  # (counted so far: printed before the closing too)
        imprimer_nomme(
            self.app,
            lambda: self.app.lire(document_journal_caisse, regie_id, jour, edite, comptes),
            "journal de caisse",
        )

    def action_imprimer_bordereaux(self) -> None:
        from exports.documents import document_bordereau

        if self.etat is None or not self.etat.bordereaux:
            self.notify("Aucun bordereau pour ce jour : b les établit.", severity="warning")
            return
        contexte, edite = self.app.contexte(), self.app.aujourdhui
        for b in self.etat.bordereaux:
            imprimer_nomme(
                self.app,
                lambda b=b.id: self.app.agir(document_bordereau, contexte, b, edite),
                f"bordereau {b.reference}",
            )
