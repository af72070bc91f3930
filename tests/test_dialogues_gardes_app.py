"""Dialogs kept once built (issue #18, ecrans.widgets.Modale.GARDEE): a dialog opened again
starts exactly as a new one (no value, error, selection, scroll or focus left from the last
use, the figures of the family now open), and acts on that family only."""

from __future__ import annotations

import dataclasses

from sqlmodel import select
from textual.widgets import Input, TextArea

from ecrans.compat_textual import notifications, texte_ecran
from ecrans.encaissement import FormulaireEncaissement
from ecrans.widgets import CHAMPS_SAISIS, Confirmation
from modele.db import session as ouvrir
from modele.famille import Famille
from modele.reglements import Reglement
from tests.conftest import JOUR_SEED
from tests.pilote import attendre, connecter, ouvrir_famille

DUPONT = "1001001818331"


def etat(app) -> dict:
    """What a dialog shows and holds: the screen as text, each field's value, the focus,
    the scroll of each box."""
    dialogue = app.screen
    valeurs = {}
    for champ in dialogue.query(CHAMPS_SAISIS):
        valeur = champ.text if isinstance(champ, TextArea) else champ.value
        valeurs[champ.id] = (valeur, champ.display, champ.has_class("-invalid"))
        if isinstance(champ, Input):
            valeurs[champ.id] += (champ.selection,)
    return {
        "ecran": texte_ecran(app),
        "valeurs": valeurs,
        "focus": getattr(dialogue.focused, "id", None),
        "defilement": [(w.id, w.scroll_offset) for w in dialogue.query("*") if w.is_scrollable],
        "selection": [list(w.selected) for w in dialogue.query("SelectionList")],
    }


def comparer(obtenu: dict, attendu: dict) -> None:
    """Key by key, the screen as a diff of its lines."""
    import difflib

    for cle in attendu:
        if cle == "ecran":
            ecart = "\n".join(
                difflib.unified_diff(
                    attendu[cle].splitlines(), obtenu[cle].splitlines(), lineterm="", n=0
                )
            )
            assert not ecart, ecart
        else:
            assert obtenu[cle] == attendu[cle], cle


async def calme(pilot) -> None:
    for _ in range(6):
        await pilot.pause()


async def ouvrir_paiement(pilot, numero: str) -> FormulaireEncaissement:
    app = pilot.app
    await ouvrir_famille(pilot, numero)
    await pilot.press("1")
    await pilot.press("p")
    await attendre(pilot, lambda: isinstance(app.screen, FormulaireEncaissement))
    await calme(pilot)
    return app.screen


async def rechercher(pilot) -> None:
    app = pilot.app
    if not app.screen.query("#saisie-recherche"):
        await pilot.press("escape")
    await attendre(pilot, lambda: app.screen.query("#saisie-recherche"))
    app.screen.query_one("#saisie-recherche", Input).value = ""
    await calme(pilot)


def famille_id(engine, numero: str) -> int:
    with ouvrir(engine) as s:
        return s.exec(select(Famille.id).where(Famille.numero == numero)).one()


async def test_paiement_annule_pour_a_puis_ouvert_pour_b(fabrique_app, engine):
    """Family A's payment dialog, filled in then abandoned; then family B's: B's figures,
    nothing of A's, the same as a dialog never used; the payment goes to B."""
    with ouvrir(engine) as s:
        autre = s.exec(
            select(Famille.numero).where(Famille.numero != DUPONT).order_by(Famille.id)
        ).first()
    # The reference: B's dialog in an app where it is new (built when first opened).
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=(120, 40)) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        neuf = await ouvrir_paiement(pilot, autre)
        assert not app.dialogues_gardes or neuf in app.dialogues_gardes.values()
        attendu = etat(app)

    app = fabrique_app(JOUR_SEED)
    app.reglages = dataclasses.replace(app.reglages, preparer_ecrans=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await attendre(pilot, lambda: app.dialogues_gardes)  # built ahead
        dialogue = await ouvrir_paiement(pilot, DUPONT)
        assert dialogue in app.dialogues_gardes.values()
        # Everything the agent can change, changed.
        dialogue.query_one("#champ-montant", Input).value = "999999"
        dialogue.query_one("#champ-payeur", Input).value = "QUELQU'UN D'AUTRE"
        dialogue.query_one("#champ-banque", Input).value = "Banque A"
        await pilot.press("ctrl+s")  # refused: the errors show
        await calme(pilot)
        dialogue.query_one("#champ-mode").focus()
        await pilot.press("down", "enter")  # another mode
        await calme(pilot)
        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        await pilot.press("o")
        await attendre(pilot, lambda: not isinstance(app.screen, FormulaireEncaissement))
        await rechercher(pilot)
        repris = await ouvrir_paiement(pilot, autre)
        assert repris is dialogue  # the same dialog, started again
        comparer(etat(app), attendu)
        # Saved: the payment is B's.
        montant = repris.query_one("#champ-montant", Input)
        montant.value = "1,00"
        repris.query_one("#champ-reference_paiement", Input).value = "1234567"
        await pilot.press("ctrl+s")
        # (B owes nothing that day: the payment is kept as a credit)
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        assert "Trop-perçu de 1,00" in app.screen.question
        await pilot.press("o")
        await attendre(pilot, lambda: "reçu" in getattr(app.screen, "question", ""))
        assert "Règlement" in " ".join(notifications(app))
        await pilot.press("n")
    b, a = famille_id(engine, autre), famille_id(engine, DUPONT)
    with ouvrir(engine) as s:
        recus = s.exec(select(Reglement.famille_id).where(Reglement.date == JOUR_SEED)).all()
    assert recus.count(b) == 1 and a not in recus


# (how to open it from the family file, the dialog, keys that leave traces in it)
SALISSURES = {
    "demande": (("2", "r"), "FormulaireDemande", ("tab", "x", "y", "tab", "tab", "z", "ctrl+s")),
    "message": (("5", "n"), "Redaction", ("a", "b", "tab", "c", "d", "ctrl+s")),
    "touches": (("1", "f1"), "AideTouches", ("down", "down", "down", "end")),
}


async def ouvrir_dialogue(pilot, numero: str, touches: tuple[str, ...], classe: str):
    app = pilot.app
    await ouvrir_famille(pilot, numero)
    for touche in touches:
        await pilot.press(touche)
    await attendre(pilot, lambda: type(app.screen).__name__ == classe)
    await calme(pilot)
    return app.screen


async def fermer(pilot, classe: str) -> None:
    app = pilot.app
    if type(app.screen).__name__ != classe:
        return  # (saved)
    await pilot.press("escape")
    await calme(pilot)
    if isinstance(app.screen, Confirmation):
        await pilot.press("o")
    await attendre(pilot, lambda: type(app.screen).__name__ != classe)


async def test_un_dialogue_repris_est_comme_neuf(fabrique_app, engine):
    """Each dialog of SALISSURES, dirtied for one family, closed, then opened for another:
    the same as the dialog new in an app that never opened it (one app run for the new ones,
    one for the reused ones: each kind is kept apart, so one run serves them all)."""
    with ouvrir(engine) as s:
        autre = s.exec(
            select(Famille.numero).where(Famille.numero != DUPONT).order_by(Famille.id)
        ).first()
    attendus = {}
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await connecter(pilot)
        for nom, (touches, classe, _) in SALISSURES.items():
            await ouvrir_dialogue(pilot, autre, touches, classe)
            attendus[nom] = etat(app)
            await fermer(pilot, classe)
            await rechercher(pilot)

    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await connecter(pilot)
        for nom, (touches, classe, salissures) in SALISSURES.items():
            dialogue = await ouvrir_dialogue(pilot, DUPONT, touches, classe)
            for touche in salissures:
                await pilot.press(touche)
            await calme(pilot)
            await fermer(pilot, classe)
            await rechercher(pilot)
            assert await ouvrir_dialogue(pilot, autre, touches, classe) is dialogue, nom
            comparer(etat(app), attendus[nom])
            await fermer(pilot, classe)
            await rechercher(pilot)


async def test_montant_tape_pendant_que_l_encaissement_construit_d_avance_s_ouvre(fabrique_app):
    """The dialogs built ahead after login: keys typed with the one that opens the payment
    dialog reach its amount (as tests/test_frappe_dialogue_app.py, for a new dialog)."""
    from tests.test_frappe_dialogue_app import rafale

    app = fabrique_app(JOUR_SEED)
    app.reglages = dataclasses.replace(app.reglages, preparer_ecrans=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await ouvrir_famille(pilot, DUPONT)
        await attendre(pilot, lambda: len(app.dialogues_gardes) >= 6)  # all built ahead
        gardes = list(app.dialogues_gardes.values())
        await pilot.press("1")
        await rafale(pilot, "p42")
        assert isinstance(app.screen, FormulaireEncaissement)
        assert app.screen in gardes
        montant = app.screen.query_one("#champ-montant", Input)
        await attendre(pilot, lambda: montant.value == "42")
        assert app.screen.focused is montant


async def test_choix_d_une_demande_construite_d_avance_montre_la_valeur(fabrique_app):
    """The Infos Responsable form built ahead (for no family: « — » in its choices), opened
    twice for DUPONT: Civilité and Qualité show his values each time (from the second
    opening, the label put back was the one built ahead, « — », the value his)."""
    from textual.widgets import Select

    app = fabrique_app(JOUR_SEED)
    app.reglages = dataclasses.replace(app.reglages, preparer_ecrans=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await connecter(pilot)
        await attendre(pilot, lambda: len(app.dialogues_gardes) >= 6)  # built ahead
        for _ in range(2):
            dialogue = await ouvrir_dialogue(pilot, DUPONT, ("2", "r"), "FormulaireDemande")
            for champ in ("civilite", "qualite"):
                choix = dialogue.query_one(f"#champ-{champ}", Select)
                libelle = str(choix.query_one("SelectCurrent #label").content)
                assert choix.value not in ("", Select.BLANK), champ
                assert libelle == str(dict((v, p) for p, v in choix._options)[choix.value]), champ
            await fermer(pilot, "FormulaireDemande")
            await rechercher(pilot)
