"""Prélèvements (F6, p): the month's invoices of the families paying by SEPA direct debit,
the remise and its pain.008 file, the debits passed on their date, a reject entered with its
reason code; the régie's creditor identity (ICS) and the families' mandates."""

from __future__ import annotations

import datetime as dt

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header

from ecrans.formulaire_champs import Champ, FormulaireChamps
from ecrans.pied import PiedDePage
from ecrans.table import TableLignes, TableSansPages
from ecrans.texte import Static, indication
from ecrans.widgets import Confirmation
from modele.base import ErreurMetier
from modele.formats import accord, compte, date_courte, euros, mois_annee, montant
from modele.sepa import (
    MOTIFS_REJET,
    ApercuPrelevements,
    LignePrelevement,
    apercu_prelevements,
    creer_remise,
    date_prelevement_proposee,
    enregistrer_mandat_famille,
    lignes_prelevements,
    passer_prelevements,
    preavis_court,
    regler_creancier,
    rejeter_prelevement,
    verifier_date_prelevement,
)
from modele.structure import Regie, regies
from modele.validation import verifier_date


def ecrire_fichier(app, fabriquer) -> None:
    """Write a remise's XML into the exports folder (in a browser: download it), in a
    worker (not to the printer)."""

    def _travail() -> None:
        from ecrans.livraison import livrer_depuis_travail

        try:
            nom, contenu = fabriquer()
            livraison = livrer_depuis_travail(app, contenu, nom)
        except Exception as erreur:
            app.call_from_thread(
                app.notify, f"Fichier impossible : {erreur}", severity="error", timeout=10
            )
            return
        app.call_from_thread(
            app.notify, f"Fichier de prélèvement enregistré : {livraison.lieu}", timeout=10
        )

    app.run_worker(_travail, thread=True, group="impression", name="pain.008")


COLONNES_APERCU = ("Facture", "N° famille", "Titulaire", "Mandat", "Séq.", "Montant")
COLONNES_LIGNES = ("Facture", "N° famille", "Échéance", "Montant", "État", "Remise")


class EcranPrelevements(Screen[None]):
    BINDINGS = [
        Binding("pageup", "mois(-1)", "Mois préc."),
        Binding("pagedown", "mois(1)", "Mois suiv."),
        Binding("escape", "retour", "Retour"),
        Binding("c", "remise", "Créer la remise"),
        Binding("f", "fichier", "Fichier XML"),
        Binding("v", "passer", "Passer les échus"),
        Binding("j", "rejet", "Rejet"),
        Binding("m", "mandat", "Mandat"),
        Binding("k", "creancier", "Créancier (ICS)"),
        Binding("g", "regie", "Régie suivante"),
    ]

    def __init__(self, jour: dt.date, annee: int, mois: int) -> None:
        super().__init__()
        self.jour = jour
        self.mois = dt.date(annee, mois, 1)
        self.apercu: ApercuPrelevements | None = None
        self.lignes: list[LignePrelevement] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="prelevements-titre", classes="titre-section")
        yield Static(id="prelevements-etat", classes="aide")
        # Lists that leave out columns by priority at 80 columns, never the amount (the
        # cursor's row shows what is left out under the rows).
        yield TableSansPages(
            *COLONNES_APERCU,
            droite=("Montant",),
            abandon=("Mandat", "Titulaire"),
            zebre=True,
            id="prelevements-apercu",
        )
        yield Static(id="prelevements-anomalies", classes="erreur")
        yield Static("Prélèvements des remises (j : rejet)", classes="titre-section")
        yield TableSansPages(
            *COLONNES_LIGNES,
            droite=("Montant",),
            abandon=("Remise", "Échéance"),
            zebre=True,
            id="prelevements-lignes",
        )
        yield PiedDePage()

    def on_mount(self) -> None:
        self.title = "Prélèvements SEPA"
        self.regies: list[Regie] = [
            r for r in self.app.lire(regies) if not r.encaissement_tresorerie
        ]
        self.regie_index = 0
        self.query_one("#prelevements-lignes", TableLignes).focus()
        self.charger()

    @property
    def regie(self) -> Regie | None:
        return self.regies[self.regie_index] if self.regies else None

    def charger(self) -> None:
        regie = self.regie
        apercu_table = self.query_one("#prelevements-apercu", TableLignes)
        table = self.query_one("#prelevements-lignes", TableLignes)
        apercu_table.remplir([])
        table.remplir([])
        if regie is None:
            self.query_one("#prelevements-titre", Static).update("Aucune régie suivie ici.")
            return
        try:
            self.apercu = apercu = self.app.lire(apercu_prelevements, regie.id, self.mois)
            self.lignes = self.app.lire(lignes_prelevements, regie.id)
        except ErreurMetier as e:
            self.notify(e.message, severity="error", timeout=8)
            return
        regie = self.regies[self.regie_index] = apercu.regie
        self.query_one("#prelevements-titre", Static).update(
            f"{regie.libelle} ({regie.code}) — factures de {mois_annee(self.mois)} "
            + indication("PgPréc / PgSuiv : mois")
        )
        ics = f"ICS {regie.ics}" if regie.ics else "ICS non renseigné (k)"
        self.query_one("#prelevements-etat", Static).update(
            f"{ics} — à prélever : {compte(len(apercu.lignes), 'facture')}, {euros(apercu.total)}. "
            "c : créer la remise."
        )
        apercu_table.remplir(
            (
                str(a.facture.id),
                (
                    a.facture.reference,
                    a.famille.numero,
                    a.titulaire,
                    a.mandat.rum,
                    a.mandat.sequence,
                    montant(a.montant),
                ),
            )
            for a in apercu.lignes
        )
        self.query_one("#prelevements-anomalies", Static).update(
            "\n".join(f"⚠ {a}" for a in apercu.anomalies)
        )
        table.remplir(
            (
                str(ligne.prelevement.id),
                (
                    ligne.facture.reference,
                    ligne.famille.numero,
                    date_courte(ligne.remise.date_echeance),
                    montant(ligne.prelevement.montant),
                    ligne.etat,
                    ligne.remise.reference,
                ),
            )
            for ligne in self.lignes
        )

    # --- actions ------------------------------------------------------------------------------

    def action_remise(self) -> None:
        if self.apercu is None or not self.apercu.lignes:
            self.notify(
                f"Aucune facture à prélever pour {mois_annee(self.mois)}.", severity="warning"
            )
            return
        self._remise(self.apercu)

    @work(exclusive=True, group="prelevements")
    async def _remise(self, apercu: ApercuPrelevements) -> None:
        app, mois = self.app, self.mois

        def lire_date(v: dict[str, str]) -> dt.date:
            echeance = verifier_date(v["echeance"], "echeance") or _obligatoire()
            verifier_date_prelevement(echeance, app.aujourdhui)
            return echeance

        proposee = date_prelevement_proposee(apercu, app.aujourdhui)
        titre = (
            f"Remise de {mois_annee(mois)} : {compte(len(apercu.lignes), 'prélèvement')}, "
            f"{euros(apercu.total)}"
        )
        while True:
            echeance = await app.push_screen_wait(
                FormulaireChamps(
                    titre,
                    [
                        Champ(
                            "echeance",
                            "Date de prélèvement",
                            date_courte(proposee),
                            indication="JJ/MM/AAAA",
                        )
                    ],
                    lire_date,
                    aide="Un jour ouvré des banques. Le fichier pain.008 est écrit dans le "
                    "dossier des exports, à déposer à la banque.",
                    bouton="Créer",
                )
            )
            if echeance is None:
                return
            avertissement = preavis_court(apercu, echeance, app.aujourdhui)
            if avertissement is None or await app.push_screen_wait(
                Confirmation(f"{avertissement} Créer la remise à cette date ?")
            ):
                break
            proposee = echeance  # (back to the form, the date typed kept)
        fait, remise = app.agir_ou_signaler(
            creer_remise, app.contexte(), apercu.regie.id, mois, echeance
        )
        if not fait:
            return
        self.notify(
            f"Remise {remise.reference} : {compte(remise.nombre, 'prélèvement')}, "
            f"{euros(remise.total)}, "
            f"le {date_courte(remise.date_echeance)}.",
            timeout=10,
        )
        self._fichier(remise.id)
        self.charger()

    def _fichier(self, remise_id: int) -> None:
        from exports.documents import document_prelevements

        moment = self.app.maintenant()
        ecrire_fichier(self.app, lambda: self.app.lire(document_prelevements, remise_id, moment))

    def _ligne_choisie(self) -> LignePrelevement | None:
        table = self.query_one("#prelevements-lignes", TableLignes)
        if not self.lignes or not 0 <= table.cursor_row < len(self.lignes):
            return None
        return self.lignes[table.cursor_row]

    def action_fichier(self) -> None:
        ligne = self._ligne_choisie()
        if ligne is None:
            self.notify("Choisissez un prélèvement de la remise voulue.", severity="warning")
            return
        self._fichier(ligne.remise.id)

    def action_passer(self) -> None:
        if self.regie is None:
            return
        fait, nombre = self.app.agir_ou_signaler(
            passer_prelevements, self.app.contexte(), self.regie.id
        )
        if fait:
            self.notify(
                f"{compte(nombre, 'prélèvement')} {accord(nombre, 'passé')} : "
                f"{accord(nombre, 'facture prélevée', 'factures prélevées')}."
                if nombre
                else "Aucun prélèvement arrivé à échéance."
            )
            self.charger()

    def action_rejet(self) -> None:
        ligne = self._ligne_choisie()
        if ligne is None:
            self.notify("Choisissez le prélèvement rejeté dans la liste.", severity="warning")
            return
        self._rejet(ligne)

    @work(exclusive=True, group="prelevements")
    async def _rejet(self, ligne: LignePrelevement) -> None:
        app = self.app

        def enregistrer(v: dict[str, str]):
            return app.agir(rejeter_prelevement, app.contexte(), ligne.prelevement.id, v["code"])

        rejet = await app.push_screen_wait(
            FormulaireChamps(
                f"Rejet du prélèvement de la facture {ligne.facture.reference} "
                f"({euros(ligne.prelevement.montant)})",
                [Champ("code", "Code motif", indication="ex. AM04", longueur=4)],
                enregistrer,
                aide="Codes : "
                + ", ".join(f"{code} {libelle.lower()}" for code, libelle in MOTIFS_REJET.items()),
                bouton="Enregistrer le rejet",
            )
        )
        if rejet is not None:
            self.notify(f"Rejet enregistré ({rejet.reference}) : la facture est à nouveau due.")
            self.charger()

    def action_mandat(self) -> None:
        if self.regie is not None:
            self._mandat(self.regie)

    @work(exclusive=True, group="prelevements")
    async def _mandat(self, regie: Regie) -> None:
        app = self.app

        def enregistrer(v: dict[str, str]):
            return app.agir(
                enregistrer_mandat_famille,
                app.contexte(),
                v["famille"],
                regie.id,
                v["rum"],
                verifier_date(v["date"], "date"),
            )

        mandat = await app.push_screen_wait(
            FormulaireChamps(
                f"Mandat de prélèvement SEPA — {regie.libelle}",
                [
                    Champ("famille", "N° famille", longueur=20),
                    Champ(
                        "rum", "Référence (RUM)", indication=f"{regie.code}-n° famille", longueur=35
                    ),
                    Champ("date", "Date de signature", indication="JJ/MM/AAAA"),
                ],
                enregistrer,
                aide="Le compte débité est celui des coordonnées bancaires de la famille.",
            )
        )
        if mandat is not None:
            self.notify(f"Mandat {mandat.rum} enregistré.")
            self.charger()

    def action_creancier(self) -> None:
        if self.regie is not None:
            self._creancier(self.regie)

    @work(exclusive=True, group="prelevements")
    async def _creancier(self, regie: Regie) -> None:
        app = self.app

        def enregistrer(v: dict[str, str]):
            return app.agir(
                regler_creancier, app.contexte(), regie.id, v["ics"], v["iban"], v["bic"]
            )

        fait = await app.push_screen_wait(
            FormulaireChamps(
                f"Créancier SEPA — {regie.libelle}",
                [
                    Champ("ics", "ICS", regie.ics, "FR72ZZZ123456", 35),
                    Champ("iban", "IBAN de la régie", regie.iban_creancier, longueur=42),
                    Champ("bic", "BIC", regie.bic_creancier, longueur=11),
                ],
                enregistrer,
            )
        )
        if fait is not None:
            self.notify("Identité du créancier enregistrée.")
            self.charger()

    def action_mois(self, decalage: int) -> None:
        rang = self.mois.year * 12 + self.mois.month - 1 + decalage
        self.mois = dt.date(rang // 12, rang % 12 + 1, 1)
        self.charger()

    def action_regie(self) -> None:
        if len(self.regies) < 2:  # (it did nothing, with no word)
            self.notify("Une seule régie prélève ici : pas d'autre à montrer.")
            return
        self.regie_index = (self.regie_index + 1) % len(self.regies)
        self.charger()

    def action_retour(self) -> None:
        self.app.pop_screen()


def _obligatoire() -> dt.date:
    raise ErreurMetier("La date de prélèvement est obligatoire.", "echeance")
