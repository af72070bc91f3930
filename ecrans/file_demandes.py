"""Demandes à traiter: the service's queue of pending requests of every family."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header

from ecrans.demandes import detail
from ecrans.table import DataTable
from ecrans.texte import Static
from modele.agents import peut
from modele.base import Canal
from modele.demandes import TypeDemande, demandes_a_traiter

CANAUX = [None, Canal.PORTAIL, Canal.GUICHET, Canal.TELEPHONE]


class EcranDemandesATraiter(Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Retour"),
        Binding("t", "filtre_type", "Filtrer par type"),
        Binding("c", "filtre_canal", "Filtrer par canal"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.type: TypeDemande | None = None
        self.canal: Canal | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Demandes à traiter", classes="titre-section")
        yield Static(id="file-filtres", classes="aide")
        yield Static(id="file-lecture-seule", classes="erreur")
        table = DataTable(id="file-demandes", cursor_type="row", zebra_stripes=True)
        table.add_columns("Demandée le", "Âge", "N° famille", "Famille", "Type", "Enfant",
                          "Canal", "Saisie par", "Détail")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Demandes à traiter"
        if not peut(self.app.agent, "decider_demande"):
            self.query_one("#file-lecture-seule", Static).update(
                "Lecture seule : seul un régisseur ou un administrateur peut accepter ou "
                "refuser une demande.")
        self.charger()
        self.query_one(DataTable).focus()

    def charger(self) -> None:
        lignes = self.app.lire(demandes_a_traiter, self.type, self.canal)
        aujourdhui = self.app.aujourdhui
        table = self.query_one(DataTable)
        table.clear()
        for lg in lignes:
            d = lg.demande
            jours = (aujourdhui - d.cree_le.date()).days
            age = f"{jours} j" if jours >= 0 else "à venir"
            table.add_row(d.cree_le.strftime("%d/%m/%Y %H:%M"), age, lg.famille_numero,
                          lg.famille_nom, lg.type.libelle, lg.enfant, Canal(d.canal).libelle,
                          lg.saisie_par, detail(d)[:70], key=str(d.id))
        self.query_one("#file-filtres", Static).update(
            f"{len(lignes)} demande{'s' if len(lignes) > 1 else ''} en attente, les plus "
            f"anciennes d'abord — type : {self.type.libelle if self.type else 'tous'} — "
            f"canal : {self.canal.libelle if self.canal else 'tous'} — Entrée pour ouvrir")
        self.app.rafraichir_compteurs()

    def action_filtre_type(self) -> None:
        types = [None, *TypeDemande]
        self.type = types[(types.index(self.type) + 1) % len(types)]
        self.charger()

    def action_filtre_canal(self) -> None:
        self.canal = CANAUX[(CANAUX.index(self.canal) + 1) % len(CANAUX)]
        self.charger()

    @on(DataTable.RowSelected)
    def _ouvrir(self, event: DataTable.RowSelected) -> None:
        from ecrans.decision import EcranDecision

        def _fin(decidee: bool | None) -> None:
            if self.is_attached:
                self.charger()

        self.app.push_screen(EcranDecision(int(event.row_key.value)), _fin)
