"""The journal screen: an administrator reads a family's rows, newest first, and a detail."""

from __future__ import annotations

import datetime as dt

from textual.containers import VerticalScroll
from textual.widgets import DataTable, Input

from ecrans.journal import DetailJournal, EcranJournal
from tests.pilote import connecter, lignes, saisir, texte

TAILLE = (150, 45)
DUPONT = "1001001818331"


def moment(cellule: str) -> dt.datetime:
    return dt.datetime.strptime(cellule, "%d/%m/%Y %H:%M:%S")


async def test_journal_d_une_famille(fabrique_app):
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "admin", "Admin2026")
        await pilot.press("f9")
        assert isinstance(app.screen, EcranJournal)
        moments = [moment(r[0]) for r in lignes(app, "#journal")]
        assert len(moments) == 50 and moments == sorted(moments, reverse=True)
        await pilot.press("pagedown")
        assert texte(app, "#journal-page").startswith("Page 2")
        assert moment(lignes(app, "#journal")[0][0]) <= moments[-1]
        await pilot.press("pageup")
        assert [moment(r[0]) for r in lignes(app, "#journal")] == moments
        await pilot.press("ctrl+f")
        await saisir(pilot, "999")
        await pilot.press("enter")
        assert texte(app, "#erreur-journal") == "Aucune famille n° 999."
        app.screen.query_one("#filtre-famille").value = DUPONT
        app.screen.query_one("#filtre-du").focus()
        await saisir(pilot, "31/02/2026")
        await pilot.press("enter")
        assert texte(app, "#erreur-journal") == "Le 31/02/2026 n'existe pas."
        app.screen.query_one("#filtre-du").value = ""
        await pilot.press("enter")
        rangees = lignes(app, "#journal")
        assert rangees and all(r[5] == DUPONT for r in rangees)
        # actions in French, with their accents; no code shows raw
        actions = {r[3] for r in rangees}
        assert not actions & {"demande creee", "reglement encaisse", "demande acceptee"}
        assert actions & {
            "demande créée",
            "règlement encaissé",
            "demande acceptée",
            "facture émise",
            "connexion",
        }
        assert texte(app, "#journal-page").startswith("Page 1")
        assert app.screen.query_one(DataTable).has_focus
        await pilot.press("enter")
        assert isinstance(app.screen, DetailJournal)
        assert f"N° famille : {DUPONT}" in texte(app, "#detail-entete")
        await pilot.press("escape")
        assert isinstance(app.screen, EcranJournal)


async def test_journal_a_80_colonnes_et_detail_lisible(fabrique_app):
    """At 80×24 the family's number stays in view (Canal and Objet are left to the detail),
    and a row's before and after read as words and euros, not JSON in cents."""
    from ecrans.compat_textual import texte_ecran
    from tests.pilote import attendre

    app = fabrique_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await connecter(pilot, "admin", "Admin2026")
        await pilot.press("f9")
        await attendre(pilot, lambda: isinstance(app.screen, EcranJournal))
        await pilot.press("b", "e", "r", "t", "enter")  # letters typed on the list: an agent
        await attendre(pilot, lambda: texte(app, "#erreur-journal") == "Aucun agent « bert ».")
        assert lignes(app, "#journal") == []  # nothing shown as if found
        app.screen.query_one("#filtre-agent", Input).value = ""
        app.screen.query_one(DataTable).focus()
        await saisir(pilot, DUPONT)  # digits typed on the list: the family's number
        await pilot.press("enter")
        await attendre(pilot, lambda: lignes(app, "#journal") != [])
        assert lignes(app, "#journal")[0][3] == DUPONT
        ecran = texte_ecran(app)
        assert "N° famille" in ecran and f"  {DUPONT}  " in ecran
        rangees = lignes(app, "#journal")
        encaisse = next(i for i, r in enumerate(rangees) if r[2] == "règlement encaissé")
        for _ in range(encaisse):
            await pilot.press("down")
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, DetailJournal))
        apres = texte(app, "#detail-apres")
        assert "Montant :" in apres and "\u00a0€" in apres and "{" not in apres
        assert "Canal :" in texte(app, "#detail-entete")
        defile = app.screen.query_one(VerticalScroll)  # taller than the screen: keys scroll it
        await pilot.resize_terminal(80, 16)
        await attendre(pilot, lambda: defile.max_scroll_y > 0)
        assert defile.has_focus
        await pilot.press("end")
        await attendre(pilot, lambda: defile.scroll_y == defile.max_scroll_y)
