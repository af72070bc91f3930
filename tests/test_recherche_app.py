"""The family search against long pastes and fast typing: no crash, one search per burst."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from ecrans.boite_service import PAGE, EcranBoiteService
from modele.db import session as ouvrir
from modele.messages import nombre_boite_du_service
from modele.recherche import LONGUEUR_SAISIE, MOTS_MAX, rechercher, termes_requete
from tests import fabrique
from tests.pilote import attendre, attendre_recherche, connecter, lignes, saisir, texte

TAILLE = (120, 40)


async def coller(pilot, contenu: str) -> None:
    """A paste, as a terminal with bracketed paste sends it, into the focused field."""
    pilot.app.screen.focused.post_message(events.Paste(contenu))
    await pilot.pause()
    await attendre_recherche(pilot)


async def test_long_collage_dans_la_recherche(fabrique_app):
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        saisie = app.screen.query_one("#saisie-recherche", Input)
        # 2,500 words: one nested query each was deeper than SQLite allows.
        await coller(pilot, "zq " * 1700)
        assert len(saisie.value) == LONGUEUR_SAISIE
        assert texte(app, "#compte-resultats") == "Aucune famille ne correspond."
        # The start of a long paste is kept and searched.
        saisie.value = ""
        await attendre_recherche(pilot)
        await coller(pilot, "bertrand " * 600)
        assert saisie.value == ("bertrand " * 600)[:LONGUEUR_SAISIE]
        assert [r[1] for r in lignes(app, "#resultats")] == ["BERTRAND Antoine Louis"]
        # Pasted over a selection, within the room left.
        saisie.value = "dupont"
        await attendre_recherche(pilot)
        saisie.select_all()
        await coller(pilot, "clémé\nsecond line")
        assert saisie.value == "clémé"
        assert [r[2] for r in lignes(app, "#resultats")] == ["DUMONT Clémé Marie"]
        await pilot.press("x")  # still answering keys
        assert saisie.value == "clémé" + "x"


async def test_frappe_rapide_une_recherche_par_rafale(fabrique_app):
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        ecran = app.screen
        avant = ecran.rafale.recherches
        await saisir(pilot, ("bertrand " * 40)[:300])
        saisie = ecran.query_one("#saisie-recherche", Input)
        assert saisie.value == ("bertrand " * 40)[:LONGUEUR_SAISIE]
        # 300 keys, one burst: its first key and its end, not one search per key (a stall of
        # the machine may split the burst: still far fewer).
        assert 2 <= ecran.rafale.recherches - avant < 30
        assert [r[1] for r in lignes(app, "#resultats")] == ["BERTRAND Antoine Louis"]
        # Enter before the end of a burst opens the family of what was typed, not of its
        # first key.
        saisie.value = ""
        await attendre_recherche(pilot)
        for caractere in "dumont":
            app.post_message(events.Key(caractere, caractere))
        app.post_message(events.Key("enter", None))
        await pilot.pause()
        assert app.screen is not ecran
        assert app.screen.famille_id == int(lignes_de(ecran)[0])


async def test_frappe_rapide_dans_la_recherche_de_la_boite_du_service(fabrique_app, engine):
    """F3's search, typed as a paste sent key by key: one search per burst, not per key."""
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await pilot.press("f3")
        ecran = app.screen
        assert isinstance(ecran, EcranBoiteService)
        await pilot.press("ctrl+f")
        avant = ecran.rafale.recherches
        await saisir(pilot, "[b]<i>absence " * 25)
        assert ecran.query_one("#boite-recherche", Input).value == "[b]<i>absence " * 25
        assert 2 <= ecran.rafale.recherches - avant < 30
        assert texte(app, "#boite-service-compte").startswith("0 message trouvé —")
        # Enter before the end of a burst: the list is that of what was typed.
        ecran.query_one("#boite-recherche", Input).value = ""
        await attendre_recherche(pilot)
        for caractere in "dupont":
            app.post_message(events.Key(caractere, caractere))
        app.post_message(events.Key("enter", None))
        await pilot.pause()
        with ouvrir(engine) as s:
            attendus = nombre_boite_du_service(s, "dupont")
        assert attendus > 0
        assert not ecran.recherche_en_attente
        assert ecran.query_one("#boite-service").has_focus
        assert texte(app, "#boite-service-compte").startswith(f"{attendus} message")
        assert len(lignes(app, "#boite-service")) == min(attendus, PAGE)
        # A burst that comes back to the text searched at its first key: that text's list.
        await pilot.press("ctrl+f")
        ecran.query_one("#boite-recherche", Input).value = ""
        await attendre_recherche(pilot)
        with ouvrir(engine) as s:
            d, du = nombre_boite_du_service(s, "d"), nombre_boite_du_service(s, "du")
        assert d != du
        # The field emptied is searched, and its burst over: "d" starts one.
        await attendre(pilot, lambda: ecran._recherche == "" and not ecran.rafale.en_cours)
        for touche in ("d", "u", "backspace"):
            app.post_message(events.Key(touche, touche if len(touche) == 1 else None))
        await pilot.pause()
        await attendre_recherche(pilot)
        assert ecran.query_one("#boite-recherche", Input).value == "d"
        assert texte(app, "#boite-service-compte").startswith(f"{d} message")
        # Escape in the middle of a burst, then F3 again: the field empty, the unread list.
        for caractere in "zzz":
            app.post_message(events.Key(caractere, caractere))
        app.post_message(events.Key("escape", None))
        await attendre(pilot, lambda: app.screen is not ecran)
        await pilot.press("f3")
        await attendre(pilot, lambda: app.screen is ecran)
        await attendre_recherche(pilot)
        assert ecran.query_one("#boite-recherche", Input).value == ""
        assert " non lu" in texte(app, "#boite-service-compte")


def lignes_de(ecran) -> list[str]:
    table = ecran.query_one("#resultats")
    return [table.cle_de(i) for i in range(table.row_count)]


def test_requete_bornee_quoi_qu_on_tape(s):
    fabrique.structure(s)
    fabrique.famille(s)
    s.commit()
    assert len(termes_requete("a b c d e f g h i j k l")) == MOTS_MAX
    assert termes_requete("0" * 5000) == ["0" * 30]
    assert [len(t) for t in termes_requete("x" * 5000)] == [30]
    assert rechercher(s, "a " * 2500) == []
    assert [r.responsable for r in rechercher(s, "martin " * 700)] == ["MARTIN Élodie"]
    assert [r.responsable for r in rechercher(s, "élodie" + "x" * 50)] == []


async def test_liste_relue_au_retour_et_lettres_tapees_dans_la_liste(
    fabrique_app, engine, monkeypatch
):
    """Back from a family file the balances listed are read again (a payment was made);
    letters typed with the cursor in the list go to the search field, and Enter opens the
    family typed (it opened the one under the cursor); a list cut at its limit says so."""
    from sqlmodel import select

    from ecrans.famille import EcranFamille
    from modele.famille import Famille
    from modele.reglements import Facture, ModeReglement, encaisser
    from tui.recherche import EcranRecherche

    with ouvrir(engine) as s:
        facture = s.exec(
            select(Facture).join(Famille).where(Famille.numero == "1001001818331")
        ).first()
        bertrand = s.exec(select(Famille.id).where(Famille.numero == "1001002460917")).one()
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await saisir(pilot, "1001001818331")
        assert lignes(app, "#resultats")[0][5] == "120,60"
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))
        app.agir(
            encaisser,
            app.contexte(),
            facture.famille_id,
            facture.regie_id,
            1000,
            ModeReglement.ESPECES,
            app.aujourdhui,
        )
        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, EcranRecherche))
        assert lignes(app, "#resultats")[0][5] == "110,60"
        # The cursor in the list, a name typed at once: the field takes it.
        saisie = app.screen.query_one("#saisie-recherche", Input)
        await pilot.press("down")
        await attendre(pilot, lambda: app.screen.query_one("#resultats").has_focus)
        saisie.value = ""
        await saisir(pilot, "bert")
        await pilot.press("down")
        await saisir(pilot, "rand")
        assert saisie.has_focus and saisie.value == "bertrand"  # typed on, not replaced
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))
        assert app.screen.famille_id == bertrand
        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, EcranRecherche))
        # ↓ ↓ Entrée typed at once: the second family (the second ↓ was lost).
        await saisir(pilot, "1001")
        seconde = int(app.screen.query_one("#resultats").cle_de(1))
        for touche in ("down", "down", "enter"):
            app.post_message(events.Key(touche, None))
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))
        assert app.screen.famille_id == seconde
        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, EcranRecherche))
        monkeypatch.setattr("tui.recherche.LIMITE_RESULTATS", 2)
        saisie.value = "100"  # every family's number
        await pilot.pause()
        await attendre_recherche(pilot)
        assert texte(app, "#compte-resultats").startswith("Les 2 familles qui correspondent")


async def test_compte_des_resultats_entier_a_80_colonnes(fabrique_app, monkeypatch):
    """As many families as the list shows: the count line says how to choose and open them
    whole, at 80 columns in its short form, wider in its long one."""
    monkeypatch.setattr("tui.recherche.LIMITE_RESULTATS", 5)  # (the test base is small)
    for taille, attendu in (
        ((80, 24), "Les 5 plus proches : précisez la recherche — ↓ choisir, Entrée ouvrir"),
        ((130, 40), "précisez la recherche pour les autres — ↓ pour choisir, Entrée pour ouvrir"),
    ):
        app = fabrique_app()
        async with app.run_test(size=taille) as pilot:
            await connecter(pilot)
            await saisir(pilot, "a")
            await attendre_recherche(pilot)
            assert attendu in texte(app, "#compte-resultats"), texte(app, "#compte-resultats")
