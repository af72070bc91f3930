"""Keys typed while a dialog is opening go to it (issue #15): the agent presses the key
that opens a form and types at once, as a terminal sends a burst; nothing is lost."""

from __future__ import annotations

import datetime as dt

from textual import events
from textual.widgets import Input, Select

from ecrans.compat_textual import touche
from ecrans.encaissement import FormulaireEncaissement
from ecrans.formulaire_demande import FormulaireDemande
from tests.conftest import JOUR_SEED
from tests.pilote import attendre, connecter, ouvrir_famille


def rafale(app, texte: str) -> None:
    """The keys sent in one burst, none waiting for the app (as a fast typist's)."""
    for caractere in texte:
        app.post_message(events.Key(touche(caractere), caractere))


async def test_montant_tape_en_ouvrant_l_encaissement(fabrique_app):
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "1001001818331")
        rafale(app, "p50")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireEncaissement))
        montant = app.screen.query_one("#champ-montant", Input)
        await attendre(pilot, lambda: montant.value == "50")


async def test_titulaire_tape_en_ouvrant_une_demande(fabrique_app):
    """Mon compte, `b` (Coordonnées bancaires) and the holder's name typed at once: it is
    in the form's first field, and Escape asks before losing it (typed after the values
    the form opened with were kept)."""
    from ecrans.widgets import Confirmation

    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "1001001818331")
        await pilot.press("2")
        rafale(app, "bDURAND Marie")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireDemande))
        formulaire = app.screen
        titulaire = formulaire.query_one("#champ-titulaire_compte", Input)
        await attendre(pilot, lambda: titulaire.value == "DURAND Marie")
        assert titulaire.has_focus
        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        await pilot.press("n")
        await attendre(pilot, lambda: app.screen is formulaire)
        assert titulaire.value == "DURAND Marie"


async def test_absence_tapee_en_ouvrant_le_dialogue_du_planning(fabrique_app):
    """A worker opens the dialog (Mes enfants, `a`): the reason typed at once lands in it,
    nothing reaches the grid beneath."""
    from ecrans.planning_actions import DeclarationAbsence

    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "1001001818331")
        await pilot.press("3")
        await pilot.pause()
        rafale(app, "a")
        app.post_message(events.Key("enter", None))  # (beneath: the cell's menu)
        await attendre(pilot, lambda: isinstance(app.screen, DeclarationAbsence))
        motif = app.screen.query_one("#motif", Select)
        await attendre(pilot, lambda: motif.expanded)  # Entrée opened the list of reasons
        assert isinstance(app.screen, DeclarationAbsence)


CAS_PGSUIV = [
    ("f4", "EcranCaisse", lambda e: e.jour),
    ("f5", "EcranCalendrier", lambda e: e.annee),
    ("f6", "EcranFacturation", lambda e: (e.annee, e.mois)),
    ("f11", "EcranTableauDeBord", lambda e: (e.annee, e.mois)),
]


async def test_pgsuiv_tape_avec_la_touche_f_va_au_nouvel_ecran(fabrique_app):
    """An F-key and PgSuiv typed together, from the planning (whose PgSuiv changes the
    month): the new screen's day, year or month moves on, the planning stays. The F-screens'
    PgSuiv were priority bindings, matched when the key arrived, while the family file was
    still shown: the key was lost. F4, F5, F6 and F11 in turn, in one app run."""
    from ecrans.grille_planning import GrillePlanning

    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=(120, 40)) as pilot:
        await connecter(pilot, "admin", "Admin2026")
        premieres = {}
        for touche_f, ecran, valeur in CAS_PGSUIV:
            await pilot.press(touche_f)
            await attendre(pilot, lambda ecran=ecran: type(app.screen).__name__ == ecran)
            premieres[touche_f] = valeur(app.screen)
            await pilot.press("escape")
            await attendre(pilot, lambda: type(app.screen).__name__ == "EcranRecherche")
        await ouvrir_famille(pilot, "mathis bertrand")
        await pilot.press("3")
        await attendre(pilot, lambda: isinstance(app.focused, GrillePlanning))
        grille = app.focused.grille
        mois = (grille.annee, grille.mois)
        for touche_f, ecran, valeur in CAS_PGSUIV:
            premiere = premieres[touche_f]
            app.post_message(events.Key(touche_f, None))
            app.post_message(events.Key("pagedown", None))
            await attendre(pilot, lambda ecran=ecran: type(app.screen).__name__ == ecran)
            await attendre(pilot, lambda v=valeur, p=premiere: v(app.screen) != p)
            suivante = valeur(app.screen)
            if isinstance(premiere, tuple):
                annee, mois_f = premiere
                assert suivante == (annee + mois_f // 12, mois_f % 12 + 1), touche_f
            elif isinstance(premiere, int):
                assert suivante == premiere + 1, touche_f
            else:
                assert suivante == premiere + dt.timedelta(days=1), touche_f
            await pilot.press("escape")
            await attendre(pilot, lambda: isinstance(app.focused, GrillePlanning))
            assert (grille.annee, grille.mois) == mois, touche_f
