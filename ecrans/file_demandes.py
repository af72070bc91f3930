"""Demandes à traiter: the service's queue of pending requests of every family."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header

from ecrans.demandes import detail
from ecrans.garde import EcranGarde
from ecrans.pied import PiedDePage
from ecrans.table import TableLignes
from ecrans.table_pages import TablePages
from ecrans.texte import Static
from modele.agents import peut
from modele.base import Canal
from modele.demandes import LigneDemande, TypeDemande, nombre_a_traiter, page_a_traiter
from modele.formats import compte

CANAUX = [None, Canal.PORTAIL, Canal.GUICHET, Canal.TELEPHONE]


class EcranDemandesATraiter(EcranGarde, Screen[None]):
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
        # The date, the type and the child stay; the rest goes into the detail under the
        # rows when the terminal is narrow (the detail last, so it comes first there).
        # A town's queue is thousands of requests: the cells of a page are read at a time.
        yield TablePages(
            "Demandée le",
            "Âge",
            "N° famille",
            "Famille",
            "Type",
            "Enfant",
            "Canal",
            "Saisie par",
            "Détail",
            abandon=["Saisie par", "Canal", "Âge", "N° famille", "Détail"],
            lignes_detail=3,
            zebre=True,
            id="file-demandes",
        )
        yield PiedDePage()

    def on_mount(self) -> None:
        self.title = "Demandes à traiter"
        if not peut(self.app.agent, "decider_demande"):
            self.query_one("#file-lecture-seule", Static).update(
                "Lecture seule : seul un régisseur ou un administrateur peut accepter ou "
                "refuser une demande."
            )

    def rouvrir(self) -> None:
        """Each showing: every type and canal, the queue read afresh, the first row."""
        self.type = self.canal = None
        self.charger()
        self.query_one(TableLignes).focus()

    def charger(self) -> None:
        nombre = self.app.lire(nombre_a_traiter, self.type, self.canal)
        aujourdhui = self.app.aujourdhui
        table = self.query_one(TablePages)

        def _cellules(lg: LigneDemande) -> tuple[str, ...]:
            d = lg.demande
            jours = (aujourdhui - d.cree_le.date()).days
            age = f"{jours} j" if jours >= 0 else "à venir"
            return (
                d.cree_le.strftime("%d/%m/%Y %H:%M"),
                age,
                lg.famille_numero,
                lg.famille_nom,
                lg.type.libelle,
                lg.enfant,
                Canal(d.canal).libelle,
                lg.saisie_par,
                detail(d),
            )

        def _lire(debut: int, nombre: int) -> list[tuple[str, tuple[str, ...]]]:
            lues = self.app.lire(page_a_traiter, debut, nombre, type, canal)
            return [(str(lg.demande.id), _cellules(lg)) for lg in lues]

        type, canal = self.type, self.canal
        table.remplir_pages(nombre, _lire(0, TablePages.PAGE), _lire)
        self.query_one("#file-filtres", Static).update(
            f"{compte(nombre, 'demande')} en attente, les plus "
            f"anciennes d'abord — type : {self.type.libelle if self.type else 'tous'} — "
            f"canal : {self.canal.libelle if self.canal else 'tous'} — Entrée pour ouvrir"
        )
        self.app.rafraichir_compteurs()

    def action_filtre_type(self) -> None:
        types = [None, *TypeDemande]
        self.type = types[(types.index(self.type) + 1) % len(types)]
        self.charger()

    def action_filtre_canal(self) -> None:
        self.canal = CANAUX[(CANAUX.index(self.canal) + 1) % len(CANAUX)]
        self.charger()

    @on(TableLignes.LigneChoisie)
    def _ouvrir(self, event: TableLignes.LigneChoisie) -> None:
        from ecrans.decision import EcranDecision

        rang = event.rang

        def _fin(decidee: bool | None) -> None:
            if self.is_attached:
                self.charger()
                # Back where the agent was in the queue: the next request, once this one is
                # decided (the list went back to its top).
                table = self.query_one(TablePages)
                if table.row_count:
                    table.move_cursor(row=min(rang, table.row_count - 1))

        self.app.push_screen(EcranDecision(int(event.cle)), _fin)
