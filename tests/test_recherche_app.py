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
