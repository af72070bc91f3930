"""F-screens kept for the agent's session (issue #18): built once, their data read afresh at
each showing; long lists read a page at a time, every row still reachable."""

from __future__ import annotations

import dataclasses
import time

from textual.app import App, ComposeResult
from textual.widgets import Header

from ecrans.boite_service import EcranBoiteService
from ecrans.file_demandes import EcranDemandesATraiter
from ecrans.journal import EcranJournal
from ecrans.table_pages import TablePages
from modele.base import ErreurMetier
from modele.demandes import accepter_demande, nombre_a_traiter
from tests.pilote import attendre, connecter, lignes, texte
from tui.app import PAUSE_PREPARATION

TAILLE = (120, 40)


async def test_f2_garde_montre_les_demandes_du_moment(fabrique_app):
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await pilot.press("f2")
        ecran = app.screen
        assert isinstance(ecran, EcranDemandesATraiter)
        avant = [ligne for ligne in lignes(app, "#file-demandes")]
        cles = [ecran.query_one(TablePages).cle_de(r) for r in range(len(avant))]
        assert cles and texte(app, "#file-filtres").startswith(f"{len(cles)} demande")
        await pilot.press("t")  # a filter, forgotten at the next showing
        await pilot.press("escape")
        # Another counter decides a request meanwhile.
        for cle in cles:
            try:
                app.agir(accepter_demande, app.contexte(), int(cle))
            except ErreurMetier:
                continue  # (a conflict to settle: another one)
            acceptee = cle
            break
        await pilot.press("f2")
        assert app.screen is ecran  # the same screen, shown again
        table = ecran.query_one(TablePages)
        apres = [table.cle_de(r) for r in range(table.row_count)]
        assert acceptee not in apres and set(apres) == set(cles) - {acceptee}
        assert texte(app, "#file-filtres").startswith(f"{len(apres)} demande")
        assert "type : tous" in texte(app, "#file-filtres")


async def test_f5_et_f8_gardes_reprennent_l_annee_et_les_comptes_du_moment(fabrique_app):
    """F5 shown again is the current school year, whatever year was left; F8 lists an
    account created meanwhile by another counter, cursor back on the first."""
    from ecrans.agents import EcranAgents
    from ecrans.calendrier import EcranCalendrier
    from modele.agents import Role, ajouter_agent

    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "admin", "Admin2026")
        await pilot.press("f5")
        await attendre(pilot, lambda: isinstance(app.screen, EcranCalendrier))
        calendrier = app.screen
        titre = texte(app, "#calendrier-titre")
        await pilot.press("pagedown")
        await attendre(pilot, lambda: texte(app, "#calendrier-titre") != titre)
        await pilot.press("escape", "f5")
        await attendre(pilot, lambda: app.screen is calendrier)
        assert texte(app, "#calendrier-titre") == titre
        await pilot.press("escape", "f8")
        await attendre(pilot, lambda: isinstance(app.screen, EcranAgents))
        agents = app.screen
        table = agents.query_one("#agents")
        await pilot.press("down")
        assert table.cursor_row == 1
        await pilot.press("escape")
        app.agir(
            ajouter_agent, app.contexte(), "lnouvel", "NOUVEL", "Léa", Role.ACCUEIL, "Nouvel2026"
        )
        await pilot.press("f8")
        await attendre(pilot, lambda: app.screen is agents)
        assert "lnouvel" in [ligne[0] for ligne in lignes(app, "#agents")]
        assert table.cursor_row == 0 and table.has_focus


async def test_ecrans_gardes_partent_avec_l_agent(fabrique_app):
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "admin", "Admin2026")
        await pilot.press("f9")
        journal = app.screen
        assert isinstance(journal, EcranJournal)
        await pilot.press("escape", "f9")
        assert app.screen is journal
        await pilot.press("escape")
        app.deconnecte()
        await pilot.pause()
        await connecter(pilot, "admin", "Admin2026")  # (the next agent)
        await pilot.press("f9")
        assert isinstance(app.screen, EcranJournal) and app.screen is not journal
        assert not journal.is_attached


async def test_ecrans_prepares_apres_connexion(fabrique_app, engine):
    app = fabrique_app()
    app.reglages = dataclasses.replace(app.reglages, preparer_ecrans=True)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await attendre(pilot, lambda: len(app._ecrans_gardes) == len(app._fabriques_gardes()))
        await attendre(pilot, lambda: all(e.is_mounted for e in app._ecrans_gardes.values()))
        # Each laid out hidden at the app's size: its first showing is not its first layout
        # (that made the first and second F9 of a session two to three times the next ones).
        await attendre(
            pilot,
            lambda: all(
                e.query_one(Header).size.width == app.size.width
                for e in app._ecrans_gardes.values()
            ),
        )
        boite = app._ecrans_gardes["boite"]
        await pilot.press("f3")
        assert app.screen is boite and isinstance(boite, EcranBoiteService)
        assert "non lu" in texte(app, "#boite-service-compte")
        await pilot.press("escape", "f2")
        assert app.screen is app._ecrans_gardes["demandes"]
        attendues = app.lire(nombre_a_traiter)
        assert texte(app, "#file-filtres").startswith(f"{attendues} demande")


async def test_ce_qui_est_prepare_d_avance_cede_aux_frappes(fabrique_app, engine):
    """A screen is not composed while the agent types: each step waits PAUSE_PREPARATION
    after the last key, then goes on."""
    app = fabrique_app()
    app.reglages = dataclasses.replace(app.reglages, preparer_ecrans=True)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        app._activite = time.monotonic()  # a key just now
        etapes: list[int] = []
        assert app._remis_apres_frappe(etapes.append, 1)
        assert etapes == []  # put off…
        await attendre(pilot, lambda: etapes == [1])  # …then done once the keys stop
        app._activite = time.monotonic() - PAUSE_PREPARATION
        assert not app._remis_apres_frappe(etapes.append, 2)  # the agent idle: at once
        await attendre(pilot, lambda: len(app._ecrans_gardes) == len(app._fabriques_gardes()))


class AppPages(App[None]):
    def __init__(self, total: int) -> None:
        super().__init__()
        self.total = total
        self.lectures: list[tuple[int, int]] = []

    def lire(self, debut: int, nombre: int) -> list[tuple[str, tuple[str, ...]]]:
        self.lectures.append((debut, nombre))
        fin = min(debut + nombre, self.total)
        return [(str(i), (f"ligne {i}", "x" * (i // 100))) for i in range(debut, fin)]

    def compose(self) -> ComposeResult:
        yield TablePages("Ligne", "Texte", id="pages")

    def on_mount(self) -> None:
        table = self.query_one(TablePages)
        table.remplir_pages(self.total, self.lire(0, TablePages.PAGE), self.lire)
        table.focus()


async def test_une_liste_par_pages_atteint_chaque_ligne():
    app = AppPages(450)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        table = app.query_one(TablePages)
        assert table.row_count == 450 and app.lectures == [
            (0, TablePages.PAGE)
        ]  # the first page only
        await pilot.press("end")
        assert table.cursor_row == 449 and table.cle == "449"
        assert table.get_row_at(449) == ["ligne 449", "xxxx"]  # a longer text: wider column
        assert app.lectures[-1][0] + app.lectures[-1][1] >= 450 and len(app.lectures) == 2
        await pilot.press("pageup")
        await pilot.pause()
        assert table.get_row_at(table.cursor_row)[0] == f"ligne {table.cursor_row}"
        assert [table.cle_de(r) for r in range(450)] == [str(i) for i in range(450)]
        assert [table.get_row_at(r)[0] for r in range(450)] == [f"ligne {i}" for i in range(450)]
