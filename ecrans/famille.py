"""The family file: the header of the portal and its seven tabs."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane

from ecrans.accueil import OngletAccueil
from ecrans.boite import OngletBoite
from ecrans.demandes import OngletDemandes
from ecrans.enfants import OngletEnfants
from ecrans.mon_compte import OngletMonCompte
from ecrans.quotient import OngletQuotient
from ecrans.releve import OngletReleve
from ecrans.widgets import Onglet
from modele.dossier import entete

ONGLETS = [
    ("accueil", "Accueil", OngletAccueil),
    ("compte", "Mon compte", OngletMonCompte),
    ("enfants", "Mes enfants", OngletEnfants),
    ("releve", "Relevé de compte", OngletReleve),
    ("boite", "Boîte de réception", OngletBoite),
    ("demandes", "Demandes", OngletDemandes),
    ("quotient", "Quotient familial", OngletQuotient),
]


class EcranFamille(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Retour")] + [
        Binding(str(rang), f"onglet('{ident}')", titre)
        for rang, (ident, titre, _) in enumerate(ONGLETS, start=1)
    ]

    def __init__(self, famille_id: int) -> None:
        super().__init__()
        self.famille_id = famille_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="bienvenue")
        with TabbedContent(id="onglets", initial="accueil"):
            for ident, titre, classe in ONGLETS:
                with TabPane(titre, id=ident):
                    yield classe(self.famille_id, id=f"onglet-{ident}")
        yield Footer()

    def on_mount(self) -> None:
        self.rafraichir_entete()
        self.query_one(OngletAccueil).afficher()

    def rafraichir_entete(self) -> None:
        with self.app.session() as session:
            e = entete(session, self.famille_id, self.app.aujourdhui)
        self.query_one("#bienvenue", Static).update(e.bienvenue)
        r = e.responsable
        self.title = f"Famille {r.nom_prenom if r else ''} — n° {e.famille.numero}"

    def action_onglet(self, ident: str) -> None:
        self.query_one(TabbedContent).active = ident

    @on(TabbedContent.TabActivated)
    def _onglet_active(self, event: TabbedContent.TabActivated) -> None:
        event.pane.query_one(Onglet).afficher()
