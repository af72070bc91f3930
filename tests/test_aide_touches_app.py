"""F1 lists every key of the screen shown, in French; the footer starts with it, so what
does not fit in a narrow terminal is one key away."""

from __future__ import annotations

from ecrans.aide_touches import AideTouches
from ecrans.famille import EcranFamille
from ecrans.pied import PiedDePage
from tests.pilote import attendre, connecter, lignes, ouvrir_famille


async def test_f1_liste_toutes_les_touches_en_80x24(fabrique_app):
    app = fabrique_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont jean")
        assert isinstance(app.screen, EcranFamille)
        pied = app.screen.query_one(PiedDePage)
        ligne = pied.render_line(0).text
        assert ligne.startswith(" f1 Touches ")
        # The keys that fit, each whole: the line ends on a key's whole description.
        vus = ligne.rstrip()
        descriptions = [description for _, _, description, _ in pied._touches]
        assert any(vus.endswith(f" {d}") for d in descriptions), ligne
        assert "Imprimer la facture" in vus or "Imprimer" not in vus, ligne
        await pilot.press("f1")
        await attendre(pilot, lambda: isinstance(app.screen, AideTouches))
        touches = {touche: action for touche, action in lignes(app, "#aide-liste")}
        # the tab's own keys, the file's, and the global ones that the footer cannot show
        assert touches["p"] == "Encaisser"
        assert touches["4"] == "Relevé de compte"
        assert touches["f6"] == "Facturation"
        assert touches["f12"] == "Verrouiller"
        assert all(action and action[0].isupper() for action in touches.values())
        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))


async def test_f1_garde_suit_les_touches_de_l_ecran_dessous(fabrique_app):
    """F1 kept: opened over the family file, the search screen, then the family file again
    (cursor moved meanwhile), it lists each time that screen's keys, cursor on the first."""
    from ecrans.aide_touches import touches_de
    from tui.recherche import EcranRecherche

    app = fabrique_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont jean")
        fiche = app.screen

        async def f1(dessous) -> list[list[str]]:
            attendu = [[t, d] for t, d in touches_de(app, dessous)]
            await pilot.press("f1")
            await attendre(pilot, lambda: isinstance(app.screen, AideTouches))
            await attendre(pilot, lambda: lignes(app, "#aide-liste") == attendu)
            return attendu

        famille = await f1(fiche)
        table = app.screen.query_one("#aide-liste")
        await pilot.press("down", "down")
        await attendre(pilot, lambda: table.cursor_row == 2)
        await pilot.press("escape")
        await attendre(pilot, lambda: app.screen is fiche)
        await pilot.press("escape")  # (the search screen)
        await attendre(pilot, lambda: isinstance(app.screen, EcranRecherche))
        recherche = await f1(app.screen)
        assert recherche != famille
        await pilot.press("escape")
        await attendre(pilot, lambda: not isinstance(app.screen, AideTouches))
        await ouvrir_famille(pilot, "dupont jean")
        assert await f1(app.screen) == famille
        assert app.screen.query_one("#aide-liste").cursor_row == 0


async def test_f1_defile_jusqu_a_la_derniere_touche_en_80x24(fabrique_app):
    """At 80×24 the family file's keys do not all fit: the list scrolls (Fin, PgSuiv) and
    its last key, F12, comes into view; Début brings the first back."""
    from ecrans.compat_textual import texte_ecran

    app = fabrique_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont jean")
        await pilot.press("f1")
        await attendre(pilot, lambda: isinstance(app.screen, AideTouches))
        table = app.screen.query_one("#aide-liste")
        await attendre(pilot, lambda: table.row_count > 0)
        premiere, derniere = lignes(app, "#aide-liste")[0], lignes(app, "#aide-liste")[-1]
        assert derniere[0] == "f12"
        # (its height bounded once laid out: the list ends above the footer)
        await attendre(pilot, lambda: table.region.bottom <= 24 - 1)
        assert "Verrouiller" not in texte_ecran(app)  # (too many keys for 24 lines)

        await pilot.press("end")
        await attendre(pilot, lambda: "f12" in texte_ecran(app))
        assert "Verrouiller" in texte_ecran(app)
        await pilot.press("home")
        await attendre(pilot, lambda: "Verrouiller" not in texte_ecran(app))
        assert premiere[1] in texte_ecran(app)
        for _ in range(3):
            await pilot.press("pagedown")
        await attendre(pilot, lambda: "Verrouiller" in texte_ecran(app))
        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))
