"""The Relevé tab kept from one family to the next (issue #8): shown at once, refilled for
the family opened, with nothing of the previous one (year, list, cursor); the tab underline
under the active tab, by key or click."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input, TabbedContent

from ecrans.compat_textual import soulignement
from ecrans.famille import EcranFamille
from ecrans.releve import OngletReleve
from ecrans.table import TableLignes
from modele.base import annee_scolaire, libelle_annee_scolaire
from modele.db import session as ouvrir
from modele.formats import montant
from modele.reglements import releve
from tests.pilote import connecter, ouvrir_famille, texte
from tui.recherche import EcranRecherche

TAILLE = (140, 45)
AUJOURDHUI = dt.date(2026, 11, 27)
ANNEE = annee_scolaire(AUJOURDHUI)


async def retour_recherche(pilot) -> None:
    await pilot.press("escape")
    await pilot.pause()
    assert isinstance(pilot.app.screen, EcranRecherche)
    pilot.app.screen.query_one("#saisie-recherche", Input).value = ""
    await pilot.pause()


def cles_attendues(engine, famille_id: int, annee: int) -> list[str]:
    with ouvrir(engine) as s:
        r = releve(s, famille_id, annee)
    return [f"f{o.facture_id}" if o.facture_id else f"r{o.reglement_id}" for o in r.operations]


def cles(operations: TableLignes) -> list[str]:
    return [operations.cle_de(i) for i in range(operations.row_count)]


def souligne(ecran: EcranFamille) -> tuple[int, int]:
    return soulignement(ecran.query_one(TabbedContent))


def sous_l_onglet_actif(ecran: EcranFamille) -> tuple[int, int]:
    onglets = ecran.query_one(TabbedContent)
    tab = onglets.get_tab(onglets.active)
    return tab.virtual_region.shrink(tab.styles.gutter).column_span


async def test_releve_de_la_famille_suivante_sur_son_annee_courante(fabrique_app, engine):
    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont jean")
        ecran = app.screen
        assert isinstance(ecran, EcranFamille)
        dupont = ecran.famille_id
        # Family A: its relevé a year back, the cursor moved down.
        await pilot.press("4")
        releve_a = ecran.query_one(OngletReleve)
        operations = ecran.query_one("#releve-operations", TableLignes)
        assert operations.has_focus
        assert cles(operations) == cles_attendues(engine, dupont, ANNEE)
        await pilot.press("pageup")
        await pilot.pause()
        assert releve_a.annee == ANNEE - 1
        assert cles(operations) == cles_attendues(engine, dupont, ANNEE - 1)
        await pilot.press("down", "down")
        await retour_recherche(pilot)
        # Put away: A's list is gone from the kept tab.
        assert operations.row_count == 0 and releve_a.annee is None

        # Family B, its relevé by a click on the tab: the same widgets, B's current year.
        await ouvrir_famille(pilot, "bertrand antoine")
        assert app.screen is ecran
        bertrand = ecran.famille_id
        assert bertrand != dupont
        await pilot.click("#--content-tab-releve")
        await pilot.pause()
        assert ecran.query_one(TabbedContent).active == "releve"
        assert ecran.query_one(OngletReleve) is releve_a  # kept, not built again
        assert releve_a.famille_id == bertrand and releve_a.annee == ANNEE
        assert libelle_annee_scolaire(ANNEE) in texte(app, "#releve-annee")
        attendues = cles_attendues(engine, bertrand, ANNEE)
        assert attendues and cles(operations) == attendues
        assert not set(cles(operations)) & set(cles_attendues(engine, dupont, ANNEE - 1))
        assert operations.cursor_row == 0
        with ouvrir(engine) as s:
            solde = releve(s, bertrand, ANNEE).solde
        assert f"Solde du compte pour l'année scolaire : {montant(solde)}" in texte(
            app, "#releve-totaux"
        )
        await retour_recherche(pilot)

        # Family A again, by the key: its current year, afresh.
        await ouvrir_famille(pilot, "dupont jean")
        await pilot.press("4")
        await pilot.pause()
        assert releve_a.famille_id == dupont and releve_a.annee == ANNEE
        assert cles(operations) == cles_attendues(engine, dupont, ANNEE)
        assert operations.cursor_row == 0 and operations.has_focus


async def test_releve_apres_une_action_garde_son_annee(fabrique_app, engine):
    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont jean")
        ecran = app.screen
        await pilot.press("4", "pageup")
        await pilot.pause()
        ecran.rafraichir()  # as after a payment or a credit note: the same family read again
        await pilot.pause()
        assert ecran.query_one(OngletReleve).annee == ANNEE - 1
        assert cles(ecran.query_one("#releve-operations", TableLignes)) == cles_attendues(
            engine, ecran.famille_id, ANNEE - 1
        )


async def test_trait_sous_l_onglet_actif_par_touche_et_clic(fabrique_app):
    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont jean")
        ecran = app.screen
        assert souligne(ecran) == sous_l_onglet_actif(ecran)
        # Under the new tab as soon as the key is handled: in the frame showing the tab.
        await ecran.action_onglet("releve")
        assert souligne(ecran) == sous_l_onglet_actif(ecran) != (0, 0)
        await pilot.pause()
        for touche, ident in [
            ("4", "releve"),
            ("2", "compte"),
            ("7", "quotient"),
            ("4", "releve"),
            ("1", "accueil"),
        ]:
            await pilot.press(touche)
            await pilot.pause()
            assert ecran.query_one(TabbedContent).active == ident
            assert souligne(ecran) == sous_l_onglet_actif(ecran), ident
        for ident in ["releve", "enfants", "accueil"]:
            await pilot.click(f"#--content-tab-{ident}")
            await pilot.pause()
            assert ecran.query_one(TabbedContent).active == ident
            assert souligne(ecran) == sous_l_onglet_actif(ecran), ident
        debut, fin = souligne(ecran)
        assert fin > debut
