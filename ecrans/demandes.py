"""Demandes: the family's "Liste des demandes" (rule 7): Mon compte / Mes enfants, pending,
refused and accepted, the last month by default; a pending request can be withdrawn."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding

from ecrans.table import TableLignes
from ecrans.texte import Static
from ecrans.widgets import Confirmation, Onglet
from modele.base import Canal
from modele.demandes import (
    Demande,
    LigneDemande,
    StatutDemande,
    TypeDemande,
    liste_demandes,
    retirer_demande,
    un_mois_avant,
)
from modele.formats import date_courte
from modele.formulaires import detail_demande, lisible

PERIODES = [
    ("le dernier mois", 1),
    ("les 3 derniers mois", 3),
    ("les 12 derniers mois", 12),
    ("toutes", None),
]
COLONNES_PERSONNE = [
    ("Responsable", ("nom", "prenoms")),
    ("Qualité", ("qualite",)),
    ("Adresse", ("adresse", "code_postal", "ville")),
    ("Tél. domicile", ("telephone_domicile",)),
    ("Tél. prof.", ("telephone_professionnel",)),
    ("Mobile", ("mobile",)),
    ("Email", ("email",)),
    ("Profession", ("profession",)),
    ("Employeur", ("employeur",)),
    ("Adresse employeur", ("adresse_employeur",)),
]


def detail(d: Demande) -> str:
    """The changed fields, "Champ : ancien → nouveau", or the booking's detail."""
    return detail_demande(d.type, d.valeurs)


def nouvelle(d: Demande, champs: tuple[str, ...]) -> str:
    """The requested values of these fields (blank when the request does not change them)."""
    valeurs = [d.valeurs[c][1] for c in champs if c in d.valeurs]
    return " ".join(lisible(v) for v in valeurs)


class OngletDemandes(Onglet):
    BINDINGS = [
        Binding("v", "vue", "Mon compte / Mes enfants"),
        Binding("p", "periode", "Élargir la période"),
        Binding("t", "filtre", "Filtrer par type"),
        Binding("x", "retirer", "Retirer la demande"),
    ]

    def __init__(self, famille_id: int, **kwargs) -> None:
        super().__init__(famille_id, **kwargs)
        self.enfants = False
        self.periode = 0
        self.type: TypeDemande | None = None

    def compose(self) -> ComposeResult:
        yield Static("Liste des demandes", classes="titre-section")
        yield Static(id="demandes-vue", classes="aide")
        for statut, titre in (
            ("attente", "Demandes en attente"),
            ("refusees", "Demandes refusées"),
            ("acceptees", "Demandes acceptées"),
            ("retirees", "Demandes retirées"),
        ):
            yield Static(titre, classes="sous-titre")
            # Its own lines, its height from its rows: drawn whole the first time the tab
            # shows, whatever the width (a DataTable there kept a height of 0 at 80 columns).
            yield TableLignes("Date demande", lignes_detail=2, id=f"demandes-{statut}")

    def oublier(self) -> None:
        super().oublier()
        self.enfants, self.periode, self.type = False, 0, None
        self.query_one("#demandes-vue", Static).update("")
        for table in self.query(TableLignes):
            table.remplir(())

    def types_de_la_vue(self) -> list[TypeDemande]:
        return [t for t in TypeDemande if t.concerne_enfant == self.enfants]

    def charger(self) -> None:
        libelle, mois = PERIODES[self.periode]
        depuis = None
        if mois is not None:
            depuis = self.app.aujourdhui
            for _ in range(mois):
                depuis = un_mois_avant(depuis)
        lignes = self.app.lire(liste_demandes, self.famille_id, depuis, self.enfants, self.type)
        vue = "Mes enfants" if self.enfants else "Mon compte"
        filtre = self.type.libelle if self.type else "tous les types"
        depuis_txt = f" (depuis le {date_courte(depuis)})" if depuis else ""
        self.query_one("#demandes-vue", Static).update(
            f"Vue : {vue} — période : {libelle}{depuis_txt} — type : {filtre}"
        )
        par_statut = {s: [lg for lg in lignes if lg.demande.statut == s] for s in StatutDemande}
        self._remplir("attente", par_statut[StatutDemande.EN_ATTENTE], "")
        self._remplir("refusees", par_statut[StatutDemande.REFUSEE], "Date refus")
        self._remplir("acceptees", par_statut[StatutDemande.ACCEPTEE], "Date acceptation")
        self._remplir("retirees", par_statut[StatutDemande.RETIREE], "Date retrait")

    def _remplir(self, statut: str, lignes: list[LigneDemande], date_decision: str) -> None:
        table = self.query_one(f"#demandes-{statut}", TableLignes)
        personne = self.type in (TypeDemande.RESPONSABLE, TypeDemande.CONJOINT)
        colonnes = ["Date demande"]
        if date_decision:
            colonnes.append(date_decision)
        if statut == "refusees":
            colonnes.append("Motif refus")
        if personne:
            colonnes += [titre for titre, _ in COLONNES_PERSONNE]
        else:
            colonnes += ["Type"] + (["Enfant"] if self.enfants else []) + ["Détail"]
        colonnes += ["Canal", "Saisie par"]
        # The dates and what was asked stay; who and how go first into the detail line.
        table.definir_colonnes(*colonnes, abandon=["Saisie par", "Canal"])
        rangees = []
        for lg in lignes:
            d = lg.demande
            cellules = [date_courte(d.cree_le.date())]
            if date_decision:
                cellules.append(date_courte(d.decide_le.date() if d.decide_le else None))
            if statut == "refusees":
                cellules.append(d.motif_refus)
            if personne:
                cellules += [nouvelle(d, champs) for _, champs in COLONNES_PERSONNE]
            else:
                cellules += [lg.type.libelle] + ([lg.enfant] if self.enfants else []) + [detail(d)]
            cellules += [Canal(d.canal).libelle, lg.saisie_par]
            rangees.append((str(d.id), tuple(c or "" for c in cellules)))
        table.remplir(rangees)

    def action_vue(self) -> None:
        self.enfants = not self.enfants
        self.type = None
        self.charger()

    def action_periode(self) -> None:
        self.periode = (self.periode + 1) % len(PERIODES)
        self.charger()

    def action_filtre(self) -> None:
        types = [None, *self.types_de_la_vue()]
        self.type = types[(types.index(self.type) + 1) % len(types)]
        self.charger()

    def action_retirer(self) -> None:
        table = self.query_one("#demandes-attente", TableLignes)
        if not table.row_count or not table.has_focus:
            self.notify(
                "Choisissez une demande en attente (dans le premier tableau).", severity="warning"
            )
            return
        demande_id = int(table.cle)

        def _fin(oui: bool | None) -> None:
            if not oui:
                return
            fait, _ = self.app.agir_ou_signaler(retirer_demande, self.app.contexte(), demande_id)
            if not fait:
                return
            self.notify("Demande retirée à la demande du parent.")
            self.screen.rafraichir()

        # Which request, in the question (it said « cette demande » only).
        ligne = dict(zip(table.colonnes, table.get_row_at(table.cursor_row), strict=False))
        quoi = ligne.get("Type") or (self.type.libelle if self.type else "")
        pour = f" pour {ligne['Enfant']}" if ligne.get("Enfant") else ""
        self.app.push_screen(
            Confirmation(
                f"Retirer la demande « {quoi} » du {ligne['Date demande']}{pour} à la demande "
                "du parent ?"
            ),
            _fin,
        )

    @on(TableLignes.LigneChoisie)
    def _ouvrir(self, event: TableLignes.LigneChoisie) -> None:
        from ecrans.decision import EcranDecision

        self.app.push_screen(EcranDecision(int(event.cle)), lambda _: self.screen.rafraichir())
