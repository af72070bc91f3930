"""Relances (F6, r): the régie's invoices still unpaid N days after their due date, with the
level each has reached and the last one sent, totals by level; the reminders sent by post
(one PDF of letters) or into the families' Boîte; the régie's delays."""

from __future__ import annotations

import datetime as dt

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header

from ecrans.formulaire_champs import Champ, FormulaireChamps, entier
from ecrans.pied import PiedDePage
from ecrans.table import TableLignes
from ecrans.texte import Static
from ecrans.widgets import Confirmation
from modele.agents import PERMISSIONS, peut
from modele.base import ErreurMetier
from modele.formats import compte, date_courte, euros, montant, nombre
from modele.relances import (
    TITRE,
    ModeRelance,
    VueRelances,
    envoyer_relances,
    libelle_niveau,
    regler_delais,
    relances,
)
from modele.structure import Regie, regies

COLONNES = (
    "Facture",
    "Échéance",
    "Retard",
    "Reste dû",
    "Niveau",
    "Envoyée",
    "N° famille",
    "Payeur",
)


class EcranRelances(Screen[None]):
    BINDINGS = [
        Binding("escape", "retour", "Retour"),
        Binding("c", "envoyer('courrier')", "Envoyer par courrier"),
        Binding("b", "envoyer('boite')", "Envoyer dans la Boîte"),
        Binding("d", "delais", "Délais"),
        Binding("g", "regie", "Régie suivante"),
        Binding("a", "actualiser", "Actualiser"),
    ]

    def __init__(self, jour: dt.date) -> None:
        super().__init__()
        self.jour = jour
        self.vue: VueRelances | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="relances-titre", classes="titre-section")
        yield Static(id="relances-totaux", classes="aide")
        # Columns left out by priority at 80 columns, never the amount; the cursor's row
        # shows them under the list. A level to send is marked « → ».
        yield TableLignes(
            *COLONNES,
            droite=("Retard", "Reste dû"),
            abandon=("Payeur", "N° famille", "Échéance", "Envoyée"),
            zebre=True,
            id="relances-liste",
        )
        yield PiedDePage()

    def on_mount(self) -> None:
        self.title = "Relances des factures impayées"
        self.regies: list[Regie] = [
            r for r in self.app.lire(regies) if not r.encaissement_tresorerie
        ]
        self.regie_index = 0
        self.query_one("#relances-liste", TableLignes).focus()
        self.charger()

    @property
    def regie(self) -> Regie | None:
        return self.regies[self.regie_index] if self.regies else None

    def charger(self) -> None:
        table = self.query_one("#relances-liste", TableLignes)
        table.remplir([])
        regie = self.regie
        if regie is None:
            self.query_one("#relances-titre", Static).update(
                "Aucune régie suivie ici (toutes sont encaissées par la Trésorerie)."
            )
            return
        try:
            self.vue = vue = self.app.lire(relances, regie.id, self.jour)
        except ErreurMetier as e:
            self.notify(e.message, severity="error", timeout=8)
            return
        self.regies[self.regie_index] = vue.regie
        self.query_one("#relances-titre", Static).update(
            f"{vue.regie.libelle} ({vue.regie.code}) — au {date_courte(self.jour)} ; relances à "
            f"{vue.regie.relance1_jours} j, {vue.regie.relance2_jours} j, titre à "
            f"{vue.regie.titre_jours} j après l'échéance"
        )
        table.remplir(
            (
                str(a.facture.id),
                (
                    a.facture.reference,
                    date_courte(a.facture.date_echeance),
                    f"{a.retard} j",
                    montant(a.reste_du),
                    ("→ " if a.a_envoyer else "") + libelle_niveau(a.niveau),
                    f"{libelle_niveau(a.envoye)} {date_courte(a.envoye_le)}" if a.envoye else "",
                    a.famille.numero,
                    f"{a.payeur.nom} {a.payeur.prenoms}" if a.payeur else "",
                ),
            )
            for a in vue.lignes
        )
        par_niveau = " ; ".join(
            f"{libelle_niveau(n)} : {nombre(vue.nombre_niveau(n))} ({euros(vue.total_niveau(n))})"
            for n in (1, 2, TITRE)
        )
        self.query_one("#relances-totaux", Static).update(
            f"{compte(len(vue.lignes), 'facture')}, total {euros(vue.total)} — {par_niveau}. "
            f"À envoyer : {nombre(len(vue.a_envoyer))}."
            if vue.lignes
            else "Aucune facture impayée au-delà du délai de la 1re relance."
        )

    def _autorise(self) -> bool:
        if not peut(self.app.agent, "relancer"):
            self.notify(PERMISSIONS["relancer"][1], severity="error", timeout=8)
            return False
        return True

    def action_envoyer(self, mode: str) -> None:
        if not self._autorise() or self.vue is None:
            return
        if not self.vue.a_envoyer:
            self.notify("Aucune relance à envoyer : toutes sont déjà faites.", severity="warning")
            return
        self._envoyer(ModeRelance(mode))

    @work(exclusive=True, group="relances")
    async def _envoyer(self, mode: ModeRelance) -> None:
        vue = self.vue
        # The titles to issue are recorded, not sent: the family gets no letter for them.
        titres = sum(a.niveau == TITRE for a in vue.a_envoyer)
        lettres = len(vue.a_envoyer) - titres
        support = "par courrier (un PDF)" if mode == ModeRelance.COURRIER else "dans la Boîte"
        quoi = " et ".join(
            morceau
            for morceau in (
                f"envoyer {compte(lettres, 'relance')} {support}" if lettres else "",
                f"enregistrer {compte(titres, 'titre')} à émettre (pour la Trésorerie)"
                if titres
                else "",
            )
            if morceau
        )
        if not await self.app.push_screen_wait(
            Confirmation(
                f"{quoi[0].upper()}{quoi[1:]}, régie {vue.regie.code}, "
                f"à la date du {date_courte(self.jour)} ?"
            )
        ):
            return
        fait, ids = self.app.agir_ou_signaler(
            envoyer_relances, self.app.contexte(), vue.regie.id, mode
        )
        if not fait:
            return
        enregistres = " et ".join(
            morceau
            for morceau in (
                f"{compte(lettres, 'relance')} ({mode.libelle})" if lettres else "",
                f"{compte(titres, 'titre')} à émettre" if titres else "",
            )
            if morceau
        )
        self.notify(f"Enregistré : {enregistres}.", timeout=8)
        if mode == ModeRelance.COURRIER and lettres:  # (a PDF of the letters, none for titles)
            from ecrans.impression import imprimer_nomme
            from exports.documents import document_relances

            jour = self.jour
            imprimer_nomme(self.app, lambda: self.app.lire(document_relances, ids, jour))
        self.charger()

    def action_delais(self) -> None:
        if not self._autorise() or self.regie is None:
            return
        self._delais(self.regie)

    @work(exclusive=True, group="relances")
    async def _delais(self, regie: Regie) -> None:
        app = self.app

        def enregistrer(v: dict[str, str]) -> Regie:
            return app.agir(
                regler_delais,
                app.contexte(),
                regie.id,
                entier(v["relance1"], "relance1", "1re relance"),
                entier(v["relance2"], "relance2", "2e relance"),
                entier(v["titre"], "titre", "Titre à émettre"),
            )

        fait = await app.push_screen_wait(
            FormulaireChamps(
                f"Délais de relance — {regie.libelle}",
                [
                    Champ("relance1", "1re relance (jours)", str(regie.relance1_jours)),
                    Champ("relance2", "2e relance (jours)", str(regie.relance2_jours)),
                    Champ("titre", "Titre à émettre (jours)", str(regie.titre_jours)),
                ],
                enregistrer,
                aide="En jours après la date d'échéance de la facture.",
            )
        )
        if fait is not None:
            self.notify("Délais de relance enregistrés.")
            self.charger()

    def action_regie(self) -> None:
        if len(self.regies) < 2:  # (it did nothing, with no word)
            self.notify("Une seule régie relance ici : pas d'autre à montrer.")
            return
        self.regie_index = (self.regie_index + 1) % len(self.regies)
        self.charger()

    def action_actualiser(self) -> None:
        self.charger()

    def action_retour(self) -> None:
        self.app.pop_screen()
