"""The lists that draw their own lines (TableLignes), driven through the real app: the
search results and the relevé's operations; cursor keys, pages, Enter, the mouse, an empty
list, a list longer than the screen."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from ecrans.compat_textual import notifications
from ecrans.encaissement import DetailReglement
from ecrans.facture_detail import EcranFacture
from ecrans.famille import EcranFamille
from ecrans.table import TableLignes
from tests.conftest import JOUR_SEED
from tests.pilote import connecter, lignes, ouvrir_famille, saisir, texte
from tui.recherche import EcranRecherche

TAILLE = (140, 45)


def table(app, selecteur: str) -> TableLignes:
    return app.screen.query_one(selecteur, TableLignes)


def ecran(app, selecteur: str) -> list[str]:
    """The lines the list draws on the screen (header first), as text."""
    liste = table(app, selecteur)
    return [liste.render_line(y).text.rstrip() for y in range(liste.content_size.height)]


def famille_ouverte(app) -> int:
    assert isinstance(app.screen, EcranFamille), app.screen
    return app.screen.famille_id


async def chercher(pilot, texte_cherche: str) -> None:
    pilot.app.screen.query_one("#saisie-recherche", Input).value = ""
    await saisir(pilot, texte_cherche)
    await pilot.pause()


async def test_recherche_curseur_touches_et_entree(fabrique_app):
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await chercher(pilot, "b")
        resultats = table(app, "#resultats")
        n = resultats.row_count
        assert n >= 3
        cles = [resultats.cle_de(i) for i in range(n)]
        # The header and the rows as the DataTable showed them; the balance right-justified.
        lignes_ecran = ecran(app, "#resultats")
        assert lignes_ecran[0].split() == [
            "N°",
            "famille",
            "Responsable",
            "Conjoint",
            "Enfants",
            "Ville",
            "Solde",
        ]
        premiere = lignes(app, "#resultats")[0]
        assert lignes_ecran[1].startswith(f" {premiere[0]} ")
        assert lignes_ecran[1].endswith(premiere[5])
        # ↓ from the input goes to the list, its cursor still on the first row.
        assert app.screen.query_one("#saisie-recherche", Input).has_focus
        await pilot.press("down")
        assert resultats.has_focus and resultats.cursor_row == 0
        await pilot.press("down", "down")
        assert resultats.cursor_row == 2
        await pilot.press("up")
        assert resultats.cursor_row == 1
        await pilot.press("end")
        assert resultats.cursor_row == n - 1
        await pilot.press("down")  # stays on the last row
        assert resultats.cursor_row == n - 1
        await pilot.press("home")
        assert resultats.cursor_row == 0
        await pilot.press("pagedown")  # every row fits: the last one
        assert resultats.cursor_row == n - 1
        await pilot.press("pageup")
        assert resultats.cursor_row == 0
        await pilot.press("down")
        # ctrl+f back to the input; Enter there opens the cursor's row.
        await pilot.press("ctrl+f")
        assert app.screen.query_one("#saisie-recherche", Input).has_focus
        await pilot.press("enter")
        await pilot.pause()
        assert famille_ouverte(app) == int(cles[1])
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EcranRecherche)
        # Enter on a row of the list opens that family.
        await chercher(pilot, "b")
        await pilot.press("down", "end", "enter")
        await pilot.pause()
        assert famille_ouverte(app) == int(cles[n - 1])


async def test_recherche_clic_et_liste_vide(fabrique_app):
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await chercher(pilot, "b")
        resultats = table(app, "#resultats")
        cles = [resultats.cle_de(i) for i in range(resultats.row_count)]
        # A click on a row puts the cursor there; a click on the cursor's row opens it.
        await pilot.click("#resultats", offset=(4, 3))
        assert resultats.cursor_row == 2
        assert isinstance(app.screen, EcranRecherche)
        await pilot.click("#resultats", offset=(4, 3))
        await pilot.pause()
        assert famille_ouverte(app) == int(cles[2])
        await pilot.press("escape")
        await pilot.pause()
        # Nothing found: an empty list, Enter and ↓ do nothing.
        await chercher(pilot, "zzzzqx")
        resultats = table(app, "#resultats")
        assert resultats.row_count == 0 and resultats.cle is None
        assert texte(app, "#compte-resultats") == "Aucune famille ne correspond."
        assert ecran(app, "#resultats")[1:] == [""] * (resultats.content_size.height - 1)
        await pilot.press("enter", "down")
        await pilot.pause()
        assert isinstance(app.screen, EcranRecherche)
        assert app.screen.query_one("#saisie-recherche", Input).has_focus


async def test_recherche_plus_de_lignes_que_l_ecran(fabrique_app):
    """A small terminal: the list scrolls with its cursor, page by page."""
    app = fabrique_app()
    async with app.run_test(size=(140, 16)) as pilot:
        await connecter(pilot)
        await chercher(pilot, "a")
        resultats = table(app, "#resultats")
        n = resultats.row_count
        page = resultats.content_size.height - 1
        assert n > page + 1, (n, page)
        numeros = [r[0] for r in lignes(app, "#resultats")]

        def montres() -> list[str]:
            return [ligne.split()[0] for ligne in ecran(app, "#resultats")[1:] if ligne]

        assert montres() == numeros[:page]
        await pilot.press("down", "pagedown")
        assert resultats.cursor_row == page
        assert numeros[page] in montres()
        await pilot.press("end")
        assert montres()[-1] == numeros[-1]
        await pilot.press("home")
        assert montres() == numeros[:page]
        await pilot.press("pagedown", "pagedown")
        assert resultats.cursor_row == min(2 * page, n - 1)
        await pilot.press("pageup")
        assert resultats.cursor_row == min(2 * page, n - 1) - page
        assert numeros[resultats.cursor_row] in montres()
        # The wheel scrolls the rows without moving the cursor.
        await pilot.press("home")
        resultats.post_message(
            events.MouseScrollDown(resultats, 4, 2, 0, 1, 0, False, False, False)
        )
        await pilot.pause()
        assert montres()[0] == numeros[min(3, n - page)] and resultats.cursor_row == 0
        await pilot.press("enter")
        await pilot.pause()
        assert famille_ouverte(app) == int(resultats.cle_de(0))


async def test_releve_lignes_entree_et_touches(fabrique_app):
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont")
        await pilot.press("4")
        await pilot.pause()
        operations = table(app, "#releve-operations")
        assert operations.has_focus  # the tab's keys work at once
        assert [o[0] for o in lignes(app, "#releve-operations")] == ["AL-36", "AL-228", "AL-12"]
        # Amounts right-justified under their header.
        dessin = ecran(app, "#releve-operations")
        assert dessin[0].split()[-2:] == ["Débit", "Crédit"]
        assert dessin[1].index("120,60") + len("120,60") == dessin[0].index("Débit") + len("Débit")
        # Enter on the payment opens its detail, on an invoice the invoice.
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailReglement)
        reglement = app.screen.reglement_id
        assert operations.cle_de(1) == f"r{reglement}"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("end", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EcranFacture)
        assert operations.cle_de(2) == f"f{app.screen.facture_id}"
        await pilot.press("escape")
        await pilot.pause()
        # A key acting on the selected line: the payment form ticks the invoice chosen.
        operations.move_cursor(0)
        await pilot.press("p")
        await pilot.pause()
        assert app.screen.query_one("#champ-montant", Input).value == "120,60"
        await pilot.press("escape")
        await pilot.pause()
        # PgPréc changes the year even with the list focused; an empty year.
        await pilot.press("pageup")
        await pilot.pause()
        assert "2013-2014" in texte(app, "#releve-annee")
        assert operations.row_count == 0 and operations.has_focus
        await pilot.press("enter", "i")
        await pilot.pause()
        assert isinstance(app.screen, EcranFamille)
        assert "Aucune opération sur cette année scolaire." in notifications(app)
        await pilot.press("pagedown")
        await pilot.pause()
        assert operations.row_count == 3 and operations.cursor_row == 0
        assert "Solde du compte pour l'année scolaire : 120,60" in texte(app, "#releve-totaux")
