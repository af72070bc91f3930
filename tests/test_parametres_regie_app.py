"""The régie's payment settings from F6 (issue #14): an administrateur's form, checked at each
field in French as it is typed, journaled; a régisseur is told it is not theirs."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select
from textual.widgets import Input

from ecrans.facturation import EcranFacturation
from ecrans.parametres_regie import ParametresRegie
from modele.db import session as ouvrir
from modele.journal import Journal
from modele.structure import Regie
from tests.conftest import REFERENCE
from tests.pilote import attendre, connecter, saisir, texte
from tests.test_facturation_app import messages

TAILLE = (120, 40)


async def remplir(pilot, champ: str, valeur: str) -> None:
    widget = pilot.app.screen.query_one(f"#champ-{champ}", Input)
    widget.focus()
    await pilot.pause()
    widget.value = ""
    await saisir(pilot, valeur)


async def test_le_regisseur_n_y_touche_pas(fabrique_app):
    app = fabrique_app(REFERENCE)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await pilot.press("f6")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFacturation))
        await pilot.press("o")
        await attendre(
            pilot,
            lambda: (
                "Seul un administrateur peut modifier les paramètres d'une régie." in messages(app)
            ),
        )
        assert isinstance(app.screen, EcranFacturation)


async def test_l_administrateur_regle_plafond_et_cheques(fabrique_app, engine):
    with ouvrir(engine) as s:
        regie = s.exec(select(Regie).order_by(Regie.code)).first()
        avant = (regie.montant_max_reglement, regie.chiffres_cheque)
    app = fabrique_app(REFERENCE)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "admin", "Admin2026")
        await pilot.press("f6")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFacturation))
        await pilot.press("o")
        await attendre(pilot, lambda: isinstance(app.screen, ParametresRegie))
        assert app.screen.query_one("#champ-chiffres_cheque", Input).value == str(avant[1])
        await remplir(pilot, "chiffres_cheque", "3")
        await attendre(
            pilot,
            lambda: (
                texte(app, "#erreur-chiffres_cheque") == "Un n° de chèque a de 4 à 12 chiffres."
            ),
        )
        # Past every amount: the field's own range (« moins de 100 millions » was said).
        await remplir(pilot, "montant_max_reglement", "9" * 20)
        await attendre(
            pilot,
            lambda: texte(app, "#erreur-montant_max_reglement").startswith(
                "Le plafond d'un règlement est de 1,00"
            ),
        )
        await remplir(pilot, "montant_max_reglement", "abc")
        await attendre(pilot, lambda: "invalide" in texte(app, "#erreur-montant_max_reglement"))
        await pilot.press("ctrl+s")  # refused: nothing written, the form keeps what was typed
        await attendre(pilot, lambda: "rien n'a été enregistré" in texte(app, "#form-erreur"))
        assert app.screen.query_one("#champ-chiffres_cheque", Input).value == "3"
        await remplir(pilot, "chiffres_cheque", "6")
        assert texte(app, "#erreur-chiffres_cheque") == ""
        await remplir(pilot, "montant_max_reglement", "1 500,00")
        assert texte(app, "#erreur-montant_max_reglement") == ""
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFacturation))
        await attendre(pilot, lambda: any("enregistrés" in m for m in messages(app)))
    with ouvrir(engine) as s:
        regie = s.get(Regie, regie.id)
        assert (regie.montant_max_reglement, regie.chiffres_cheque) == (150000, 6)
        journal = s.exec(select(Journal).where(Journal.action == "regie parametree")).one()
        assert journal.avant == {"montant_max_reglement": avant[0], "chiffres_cheque": avant[1]}
        assert journal.apres == {"montant_max_reglement": 150000, "chiffres_cheque": 6}


async def question_de_cloture(pilot) -> str:
    """F4, then c: the closing's question."""
    from ecrans.caisse import EcranCaisse
    from ecrans.widgets import Confirmation

    app = pilot.app
    await pilot.press("f4")
    await attendre(pilot, lambda: isinstance(app.screen, EcranCaisse))
    await attendre(pilot, lambda: app.screen.etat is not None)
    await pilot.press("c")
    await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
    return app.screen.question


async def test_caisse_fermee_le_samedi_le_vendredi_clos_mene_au_lundi(fabrique_app, engine):
    """Unticked « Caisse ouverte le samedi »: Friday's closing dates what follows on Monday
    (it said Saturday, a day that counter does not open)."""
    from textual.widgets import Checkbox

    from ecrans.caisse import EcranCaisse

    vendredi = dt.date(2027, 1, 8)
    app = fabrique_app(vendredi)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "admin", "Admin2026")
        question = await question_de_cloture(pilot)
        assert "seront datés du 09/01/2027" in question
        await pilot.press("n")
        await attendre(pilot, lambda: isinstance(app.screen, EcranCaisse))
        await pilot.press("escape")
        await pilot.press("f6")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFacturation))
        await pilot.press("o")
        await attendre(pilot, lambda: isinstance(app.screen, ParametresRegie))
        samedi = app.screen.query_one("#champ-caisse_samedi", Checkbox)
        assert samedi.value
        samedi.focus()
        await pilot.press("space")
        await attendre(pilot, lambda: not samedi.value)
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFacturation))
        await pilot.press("escape")
        question = await question_de_cloture(pilot)
        assert "seront datés du 11/01/2027, le prochain jour de caisse" in question
    with ouvrir(engine) as s:
        journal = s.exec(select(Journal).where(Journal.action == "regie parametree")).one()
        assert (journal.avant, journal.apres) == ({"caisse_samedi": True}, {"caisse_samedi": False})
