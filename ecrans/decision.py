"""One request, old and new values side by side; the service accepts or refuses it."""

from __future__ import annotations

from functools import partial
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Header

from ecrans.pied import PiedDePage
from ecrans.table import DataTable
from ecrans.texte import Static, brut
from ecrans.widgets import Modale, SaisieMotif, fiche
from modele.agents import peut
from modele.base import Canal
from modele.demandes import (
    CIBLES,
    StatutDemande,
    TypeDemande,
    accepter_demande,
    conflits_a_trancher,
    refuser_demande,
    vue_decision,
)
from modele.famille import BLOC_ADRESSE, MASQUE
from modele.formats import date_courte
from modele.formulaires import libelle_champ, valeur_lue


def _adresse(trouves: dict[str, tuple[Any, Any, Any]], bloc: list[str], rang: int) -> str:
    """One version of the address block (0: at the request, 1: now, 2: asked), on a line."""
    return " ".join(str(trouves[c][rang]) for c in bloc if trouves[c][rang]) or "∅"


class ChoixConflits(Modale[dict[str, Any] | None]):
    """The record changed since the request: the agent decides field by field."""

    BINDINGS = [
        Binding("escape", "abandonner", "Annuler"),
        Binding("ctrl+s", "valider", "Accepter avec ces choix", priority=True),
    ]

    def __init__(self, trouves: dict[str, tuple[Any, Any, Any]], type_demande: str) -> None:
        super().__init__()
        self.trouves, self.type_demande = trouves, type_demande

    def compose(self) -> ComposeResult:
        with Vertical(classes="formulaire"):
            yield Static("La fiche a changé depuis la demande", classes="titre-dialogue")
            yield Static(
                "Pour chaque champ, cochez pour appliquer la valeur demandée ; "
                "décoché, la valeur actuelle est gardée.",
                classes="aide",
            )
            with VerticalScroll(classes="champs"):
                bloc = [c for c in BLOC_ADRESSE if c in self.trouves]
                if bloc:  # the address is decided whole
                    ancien, actuel, nouveau = (_adresse(self.trouves, bloc, i) for i in range(3))
                    yield Static(f"Adresse : à la demande « {ancien} », actuellement « {actuel} »")
                    yield Checkbox(
                        brut(f"Appliquer l'adresse « {nouveau} »"), id="conflit-bloc-adresse"
                    )
                for champ, (ancien, actuel, nouveau) in self.trouves.items():
                    if champ in bloc:
                        continue
                    lue = partial(valeur_lue, self.type_demande, champ)
                    yield Static(
                        f"{libelle_champ(champ)} : à la demande « {lue(ancien)} », "
                        f"actuellement « {lue(actuel)} »"
                    )
                    yield Checkbox(brut(f"Appliquer « {lue(nouveau)} »"), id=f"conflit-{champ}")
            with Horizontal(classes="boutons"):
                yield Button("Accepter avec ces choix", id="valider", variant="success")
                yield Button("Annuler", id="annuler")

    @on(Button.Pressed, "#valider")
    def action_valider(self) -> None:
        choix = {}
        for champ, (_ancien, actuel, nouveau) in self.trouves.items():
            ident = "bloc-adresse" if champ in BLOC_ADRESSE else champ
            appliquer = self.query_one(f"#conflit-{ident}", Checkbox).value
            choix[champ] = nouveau if appliquer else actuel
        self.dismiss(choix)


class EcranDecision(Screen[bool]):
    """Dismisses True when the request was decided."""

    BINDINGS = [
        Binding("escape", "retour", "Retour"),
        Binding("a", "accepter", "Accepter"),
        Binding("r", "refuser", "Refuser"),
        Binding("f", "famille", "Ouvrir la famille"),
    ]

    def __init__(self, demande_id: int) -> None:
        super().__init__()
        self.demande_id = demande_id
        self.decidee = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="decision-titre", classes="titre-section")
        yield Static(id="decision-lecture-seule", classes="erreur")
        yield Static(id="decision-infos")
        yield DataTable(id="decision-champs", cursor_type="row")
        yield Static(id="decision-statut")
        yield PiedDePage()

    def on_mount(self) -> None:
        self.charger()
        self.query_one(DataTable).focus()

    def charger(self) -> None:
        from ecrans.demandes import detail

        vue = self.app.lire(vue_decision, self.demande_id)
        ligne, trouves, actuelles = vue.ligne, vue.conflits, vue.actuelles
        d = ligne.demande
        modifie_fiche = TypeDemande(d.type) in CIBLES
        self.ligne = ligne
        self.query_one("#decision-titre", Static).update(
            f"Demande « {ligne.type.libelle} » — famille {ligne.famille_nom} "
            f"n° {ligne.famille_numero}"
        )
        if not peut(self.app.agent, "decider_demande"):
            self.query_one("#decision-lecture-seule", Static).update(
                "Lecture seule : seul un régisseur ou un administrateur peut accepter ou "
                "refuser une demande."
            )
        self.query_one("#decision-infos", Static).update(
            fiche(
                [
                    ("Demandée le", d.cree_le.strftime("%d/%m/%Y %H:%M")),
                    ("Canal", Canal(d.canal).libelle),
                    ("Saisie par", ligne.saisie_par),
                    ("Enfant", ligne.enfant),
                    ("Commentaire", d.commentaire),
                    ("Statut", StatutDemande(d.statut).libelle),
                ]
            )
        )
        table = self.query_one(DataTable)
        self._colonnes(table, modifie_fiche)
        masquer = ligne.type == TypeDemande.SANITAIRES and not peut(
            self.app.agent, "voir_donnees_sante"
        )
        if masquer:
            self.query_one("#decision-lecture-seule", Static).update(
                "Données de santé : réservées aux agents d'accueil et aux administrateurs."
            )
        if modifie_fiche:
            for champ, (ancien, nouveau) in d.valeurs.items():
                if masquer:
                    ancien = nouveau = actuelles[champ] = MASQUE
                conflit = champ in trouves
                lue = partial(valeur_lue, d.type, champ)
                table.add_row(
                    libelle_champ(champ),
                    lue(actuelles[champ]),
                    lue(ancien),
                    lue(nouveau),
                    Text("modifié depuis", style="bold red") if conflit else "",
                    key=champ,
                    height=None,
                )
        else:
            table.add_row(ligne.type.libelle, detail(d), height=None)
        statut = ""
        if d.statut == StatutDemande.ACCEPTEE:
            statut = f"Acceptée le {date_courte(d.decide_le.date())} par {ligne.decide_par}"
        elif d.statut == StatutDemande.REFUSEE:
            statut = (
                f"Refusée le {date_courte(d.decide_le.date())} par {ligne.decide_par} : "
                f"{d.motif_refus}"
            )
        elif d.statut == StatutDemande.RETIREE:
            statut = f"Retirée le {date_courte(d.decide_le.date())}"
        self.query_one("#decision-statut", Static).update(statut)

    def _colonnes(self, table: DataTable, modifie_fiche: bool) -> None:
        """Columns that share the screen's width, a long value wrapped on its row's lines:
        at 80 columns the new value was cut off the right edge. A request that changes no
        field of the record (a booking, a QF) has one column for what it asks."""
        largeur = self._largeur = self.app.size.width
        champ = min(22, largeur // 5)
        if not modifie_fiche:
            table.colonnes_partagees(largeur, [("Demande", champ), ("Détail", None)])
            return
        valeurs = ("Valeur actuelle", "Valeur lors de la demande", "Nouvelle valeur")
        marque = ("", 8)  # « modifié depuis » on two lines
        table.colonnes_partagees(largeur, [("Champ", champ), *((v, None) for v in valeurs), marque])

    def on_resize(self) -> None:
        # A new width: the columns shared again (not at the first layout, just filled).
        if getattr(self, "_largeur", self.app.size.width) != self.app.size.width:
            self.charger()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Accept and refuse only on a pending request, for those who may decide."""
        if action in ("accepter", "refuser"):
            ligne = getattr(self, "ligne", None)
            return (
                ligne is not None
                and ligne.demande.statut == StatutDemande.EN_ATTENTE
                and peut(self.app.agent, "decider_demande")
            )
        return True

    def _decider(self, fonction, *args, **kwargs) -> bool:
        fait, _ = self.app.agir_ou_signaler(
            fonction, self.app.contexte(), self.demande_id, *args, **kwargs
        )
        if not fait:
            return False
        self.decidee = True
        self.app.rafraichir_compteurs()
        self.charger()
        self.refresh_bindings()
        return True

    def action_accepter(self) -> None:
        if not peut(self.app.agent, "decider_demande"):
            self.notify(
                "Seul un régisseur ou un administrateur peut accepter ou refuser une demande.",
                severity="error",
            )
            return
        trouves = self.app.lire(conflits_a_trancher, self.demande_id)
        if not trouves:
            if self._decider(accepter_demande):
                self.notify("Demande acceptée : la fiche est modifiée.")
            return

        def _fin(choix: dict[str, Any] | None) -> None:
            if choix is not None and self._decider(accepter_demande, champs_retenus=choix):
                self.notify("Demande acceptée avec vos choix sur les champs en conflit.")

        self.app.push_screen(ChoixConflits(trouves, self.ligne.demande.type), _fin)

    def action_refuser(self) -> None:
        if not peut(self.app.agent, "decider_demande"):
            self.notify(
                "Seul un régisseur ou un administrateur peut accepter ou refuser une demande.",
                severity="error",
            )
            return

        def _fin(motif: str | None) -> None:
            if motif and self._decider(refuser_demande, motif):
                self.notify("Demande refusée ; le motif est visible par la famille.")

        self.app.push_screen(
            SaisieMotif(
                "Refuser la demande",
                "Motif du refus (communiqué à la famille) *",
                "Refuser",
                "Le motif du refus est obligatoire.",
            ),
            _fin,
        )

    def action_famille(self) -> None:
        famille_id = self.ligne.demande.famille_id
        self.dismiss(self.decidee)
        self.app.ouvrir_famille(famille_id)

    def action_retour(self) -> None:
        self.dismiss(self.decidee)
