"""The payment form's plausibility (issue 14, point 9) and credits that pay (point 8), from
the keyboard: an overpayment is asked about, an implausible amount or cheque number is
refused at its field, a kept credit leaves no unpaid invoice on Accueil."""

from __future__ import annotations

from textual.widgets import Input

from ecrans.encaissement import FormulaireEncaissement
from ecrans.famille import EcranFamille
from ecrans.widgets import Confirmation
from tests.conftest import JOUR_SEED
from tests.pilote import attendre, connecter, lignes, ouvrir_famille, saisir, texte

TAILLE = (150, 50)


async def remplir(pilot, champ: str, valeur: str) -> None:
    widget = pilot.app.screen.query_one(f"#champ-{champ}", Input)
    widget.focus()
    await pilot.pause()
    widget.value = ""
    await saisir(pilot, valeur)


async def paiement_de_dupont(pilot) -> FormulaireEncaissement:
    """The régisseur logged in, DUPONT's file open, `p`: the payment form."""
    await connecter(pilot, "regie", "Regie2026")
    await ouvrir_famille(pilot, "dupont")
    await pilot.press("p")
    await attendre(pilot, lambda: isinstance(pilot.app.screen, FormulaireEncaissement))
    return pilot.app.screen


async def test_trop_percu_demande_puis_garde_en_avoir(fabrique_app):
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont")
        assert [r[0] for r in lignes(app, "#accueil-impayees")] == ["AL-36"]  # 120,60
        await pilot.press("p")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireEncaissement))
        formulaire = app.screen
        # Implausible amount and cheque number: refused at their fields, nothing saved.
        await remplir(pilot, "montant", "99999999")
        await remplir(pilot, "reference_paiement", "X")
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: "Montant trop élevé" in texte(app, "#erreur-montant"))
        assert "5\u202f000,00" in texte(app, "#erreur-montant")
        await remplir(pilot, "montant", "200")
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: "7 chiffres" in texte(app, "#erreur-reference_paiement"))
        # No cheque number: refused at its field before the question about the credit.
        await remplir(pilot, "reference_paiement", "")
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: "obligatoire" in texte(app, "#erreur-reference_paiement"))
        assert app.screen is formulaire
        assert app.screen is formulaire
        # Above what is due: the question; "Non" goes back to the amount.
        await remplir(pilot, "reference_paiement", "0004513")
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        assert app.screen.question == "Trop-perçu de 79,40\u00a0€ : le garder en avoir ?"
        await pilot.press("n")
        await attendre(pilot, lambda: app.screen is formulaire)
        assert formulaire.query_one("#champ-montant", Input).has_focus
        # "Oui": saved, the rest kept as a credit.
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        await pilot.press("o")
        await attendre(
            pilot, lambda: isinstance(app.screen, Confirmation) and "reçu" in app.screen.question
        )  # print the receipt?
        await pilot.press("n")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))
        await attendre(
            pilot,
            lambda: texte(app, "#accueil-impayees-titre").startswith("Aucune facture impayée"),
        )
        assert "79,40" in texte(app, "#accueil-solde")


async def test_jour_clos_le_reglement_date_du_lendemain(fabrique_app, engine):
    """Today's cash closed: the payment form dates the payment tomorrow, the next cash day,
    and says why; today's date typed is refused at the date before the question about an
    overpayment (the answer was lost). « Corrigez les champs signalés » goes once the last
    field flagged is corrected."""
    import datetime as dt

    from sqlmodel import select

    from modele.base import Contexte
    from modele.cloture import cloturer_caisse
    from modele.db import session as ouvrir
    from modele.formats import date_courte
    from modele.reglements import Reglement
    from modele.structure import Regie

    demain = JOUR_SEED + dt.timedelta(days=1)
    with ouvrir(engine) as s:
        regie = s.exec(select(Regie).where(Regie.code == "AL")).one()
        cloturer_caisse(s, Contexte.systeme("tests", JOUR_SEED), regie.id, JOUR_SEED, {})
        s.commit()
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        formulaire = await paiement_de_dupont(pilot)
        assert formulaire.query_one("#champ-date", Input).value == date_courte(demain)
        assert f"est close : le règlement est daté du {date_courte(demain)}" in texte(
            app, "#encaissement-jour"
        )
        await remplir(pilot, "montant", "")
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: texte(app, "#erreur-montant") != "")
        assert texte(app, "#form-erreur").startswith("Corrigez les champs signalés")
        await remplir(pilot, "montant", "200")  # above the 120,60 € due
        await attendre(pilot, lambda: texte(app, "#form-erreur") == "")
        await remplir(pilot, "reference_paiement", "0004513")
        await remplir(pilot, "date", date_courte(JOUR_SEED))
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: "est close" in texte(app, "#erreur-date"))
        assert f"Datez-le du {date_courte(demain)}" in texte(app, "#erreur-date")
        assert app.screen is formulaire  # no question about the credit
        await remplir(pilot, "date", date_courte(demain))
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        await pilot.press("o")  # keep the rest as a credit
        await attendre(
            pilot, lambda: isinstance(app.screen, Confirmation) and "reçu" in app.screen.question
        )
        await pilot.press("n")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))
    with ouvrir(engine) as s:
        dernier = s.exec(select(Reglement).order_by(Reglement.id.desc())).first()
        assert (dernier.date, dernier.montant) == (demain, 20000)


async def test_formulaire_garde_rouvert_le_lendemain_date_du_jour(fabrique_app):
    """The payment form is kept for the session: opened again the next day (an agent logged
    in overnight) it is dated that day, not the day it was last shown."""
    import dataclasses
    import datetime as dt

    from modele.formats import date_courte

    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        formulaire = await paiement_de_dupont(pilot)
        assert formulaire.query_one("#champ-date", Input).value == date_courte(JOUR_SEED)
        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))
        demain = JOUR_SEED + dt.timedelta(days=1)
        app.reglages = dataclasses.replace(app.reglages, date_fixe=demain)
        await pilot.press("p")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireEncaissement))
        assert app.screen is formulaire  # the same form, kept
        assert formulaire.query_one("#champ-date", Input).value == date_courte(demain)
