"""Billing and payments driven from the keyboard: pay at the counter, partial payment,
cancellation by the régisseur (refused to the agent d'accueil), credit note, the month's run."""

from __future__ import annotations

import datetime as dt

import pypdf
from sqlmodel import func, select
from textual.widgets import Input

from ecrans.compat_textual import notifications
from ecrans.encaissement import DetailReglement, FormulaireEncaissement, SaisieMotif
from ecrans.facture_detail import EcranFacture, FormulaireAvoir
from ecrans.famille import EcranFamille
from ecrans.widgets import Confirmation
from modele.db import session as ouvrir
from modele.facturation import Facture, NatureFacture
from modele.journal import Journal
from modele.reglements import Reglement
from tests.conftest import JOUR_SEED, REFERENCE
from tests.pilote import attendre, connecter, lignes, ouvrir_famille, saisir, texte
from tui.config import dossier_donnees

TAILLE = (150, 50)
REGIE = ("regie", "Regie2026")


async def remplir(pilot, champ: str, valeur: str) -> None:
    """Focus a field of the open form, clear it and type as an agent would."""
    widget = pilot.app.screen.query_one(f"#champ-{champ}", Input)
    widget.focus()
    await pilot.pause()
    widget.value = ""
    await saisir(pilot, valeur)


async def payer(
    pilot, montant: str | None = None, cheque: str = "0004513", recu: bool = False
) -> None:
    """From a tab of the family file: p, the amount, a cheque number, save, the receipt?"""
    await pilot.press("p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, FormulaireEncaissement)
    if montant is not None:
        await remplir(pilot, "montant", montant)
    await remplir(pilot, "reference_paiement", cheque)
    pilot.app.screen.query_one("#champ-banque", Input).value = "La Banque Postale"
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, Confirmation)  # print the receipt?
    await pilot.press("o" if recu else "n")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def pdf(nom: str) -> str:
    """The text of a PDF written to the exports folder (no printer in tests)."""
    chemin = dossier_donnees() / "exports" / nom
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(chemin).pages)


def messages(app) -> list[str]:
    return notifications(app)


async def test_payer_al36_par_cheque_au_guichet(fabrique_app, engine):
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont")
        assert [r[0] for r in lignes(app, "#accueil-impayees")] == ["AL-36"]
        await pilot.press("p")
        await pilot.pause()
        formulaire = app.screen
        assert formulaire.query_one("#champ-montant", Input).value == "120,60"
        assert formulaire.query_one("#champ-payeur", Input).value == "DUPONT JEAN"
        await pilot.press("ctrl+s")  # no cheque number: refused at the field
        await pilot.pause()
        assert "numéro du chèque est obligatoire" in texte(app, "#erreur-reference_paiement")
        formulaire.query_one("#champ-mode").focus()  # cash: the change to give back, live
        await pilot.press("right", "space")
        assert not formulaire.query_one("#ligne-banque").display
        # The cheque's message went with its field (it stayed, the field hidden), and
        # « Corrigez les champs signalés » with it.
        await attendre(pilot, lambda: texte(app, "#erreur-reference_paiement") == "")
        assert texte(app, "#form-erreur") == ""
        await remplir(pilot, "remis", "150")
        assert texte(app, "#encaissement-rendu") == "À rendre : 29,40\u00a0€"
        await pilot.press("escape")  # typed in: « Abandonner la saisie ? »
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        await pilot.press("o")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))
        await payer(pilot, "120,60", recu=True)
        assert isinstance(app.screen, EcranFamille)
        assert any("enregistré : 120,60" in m for m in messages(app))
        assert texte(app, "#accueil-impayees-titre").startswith("Aucune facture impayée")
        assert "solde de 0,00" in texte(app, "#accueil-solde")
        await pilot.press("4")
        await pilot.pause()
        operations = lignes(app, "#releve-operations")
        assert operations[0][2:] == ["Règlement : Chèque", "Régie garderie ALSH", "", "120,60"]
        assert [o[0] for o in operations[1:]] == ["AL-36", "AL-228", "AL-12"]
        await pilot.press("r")  # the whole relevé of the year, printed
        await app.workers.wait_for_complete()
        # An agent d'accueil cannot cancel a payment nor make a credit note: the keys are
        # not offered to him (footer, F1), and do nothing.
        offertes = {b.action for _n, b, actif, _a in app.screen.active_bindings.values() if actif}
        assert "imprimer_releve" in offertes and not {"annuler", "avoir"} & offertes
        avant = len(messages(app))
        await pilot.press("down", "down", "a")
        await pilot.press("up", "v")
        assert isinstance(app.screen, EcranFamille) and len(messages(app)) == avant
        await pilot.press("pageup")
        assert "2013-2014" in texte(app, "#releve-annee")
    with ouvrir(engine) as s:
        r = s.exec(select(Reglement).order_by(Reglement.id.desc())).first()
        assert (r.reference_paiement, r.banque, r.montant, r.date) == (
            "0004513",
            "La Banque Postale",
            12060,
            JOUR_SEED,
        )
        journal = s.exec(
            select(Journal).where(Journal.objet_id == r.id, Journal.objet == "reglement")
        ).one()
        assert journal.action == "reglement encaisse" and journal.canal == "guichet"
    recu = pdf(f"Recu_{r.reference}_1001001818331.pdf")
    assert "REÇU DE PAIEMENT" in recu and "0004513" in recu
    releve = pdf("Releve_2014-2015_1001001818331.pdf")
    assert "AL-36" in releve and r.reference in releve


async def test_paiement_partiel_annulation_puis_avoir_par_le_regisseur(fabrique_app, engine):
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, *REGIE)
        await ouvrir_famille(pilot, "dupont")
        await payer(pilot, "100")
        [al36] = lignes(app, "#accueil-impayees")
        assert al36[0] == "AL-36" and al36[4] == "20,60"  # the rest stays due
        await pilot.press("4")
        await pilot.pause()
        paiement = lignes(app, "#releve-operations")[0]
        assert paiement[2:] == ["Règlement : Chèque", "Régie garderie ALSH", "", "100,00"]
        await pilot.press("a")  # cancel the payment just taken: a reason is required
        await pilot.pause()
        assert isinstance(app.screen, SaisieMotif)
        await pilot.press("enter")
        assert texte(app, "#erreur-motif") == "Le motif est obligatoire."
        await saisir(pilot, "Erreur")
        await pilot.press("enter")
        await pilot.pause()
        annulation = lignes(app, "#releve-operations")[0]
        assert annulation[2:] == [
            "Annulation règlement : Chèque",
            "Régie garderie ALSH",
            "100,00",
            "",
        ]
        await pilot.press("down")  # the cancelled payment: its detail says so
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailReglement)
        assert "Erreur" in texte(app, "#reglement-statut")
        await pilot.press("a")  # cannot be cancelled twice
        assert any("déjà annulé" in m for m in messages(app))
        await pilot.press("escape")
        await pilot.press("1")
        await pilot.pause()
        [al36] = lignes(app, "#accueil-impayees")
        assert al36[4] == "120,60"  # due again
        await pilot.press("enter")  # the invoice in detail, then a credit note
        await pilot.pause()
        assert isinstance(app.screen, EcranFacture)
        assert "Reste dû : 120,60" in texte(app, "#facture-totaux")
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, FormulaireAvoir)
        await pilot.press("ctrl+s")
        assert texte(app, "#erreur-motif") == "Le motif de l'avoir est obligatoire."
        await saisir(pilot, "Fermeture")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EcranFacture)
        [avoir] = lignes(app, "#facture-avoirs")
        assert avoir[0] == "AL-AV1" and avoir[2] == "Fermeture"
        assert "Reste dû : 0,00" in texte(app, "#facture-totaux")
        await pilot.press("escape")
        await pilot.pause()
        assert texte(app, "#accueil-impayees-titre").startswith("Aucune facture impayée")
    with ouvrir(engine) as s:
        avoir = s.exec(select(Facture).where(Facture.nature == NatureFacture.AVOIR)).one()
        origine = s.get(Facture, avoir.facture_origine_id)
        assert (origine.reference, avoir.total, origine.total) == ("AL-36", 12060, 12060)
        actions = [
            j.action
            for j in s.exec(
                select(Journal)
                .where(
                    Journal.action.in_(["reglement encaisse", "reglement annule", "avoir emis"]),
                    Journal.famille_id == origine.famille_id,
                    Journal.horodatage >= dt.datetime(2015, 5, 4),
                )
                .order_by(Journal.id)
            )
        ]
        assert actions == ["reglement encaisse", "reglement annule", "avoir emis"]


async def test_facturation_du_mois_apercu_puis_emission(fabrique_app, engine):
    debut = dt.date(2026, 11, 1)
    with ouvrir(engine) as s:
        dernier = s.exec(
            select(func.max(Facture.numero)).where(Facture.nature == NatureFacture.FACTURE)
        ).one()
        assert s.exec(select(Facture).where(Facture.periode_debut == debut)).first() is None
    app = fabrique_app(REFERENCE)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, *REGIE)
        await pilot.press("f6")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Octobre 2026" in texte(app, "#facturation-titre")  # the previous month
        assert texte(app, "#facturation-etat").startswith("Rien à facturer")
        await pilot.press("pagedown")
        await app.workers.wait_for_complete()
        await pilot.pause()
        familles = lignes(app, "#facturation-familles")
        assert familles and "factures à émettre" in texte(app, "#facturation-etat")
        assert lignes(app, "#facturation-lignes")  # the first family's lines
        # 27 November: the month is not over, it is asked first; "non" issues nothing
        await pilot.press("e")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        assert app.screen.question == (
            "Le mois n'est pas terminé : 3 jours à venir. Émettre quand même ?"
        )
        await pilot.press("n")
        await attendre(pilot, lambda: not isinstance(app.screen, Confirmation))
        await pilot.press("e")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        await pilot.press("o")
        await attendre(
            pilot,
            lambda: (
                isinstance(app.screen, Confirmation) and app.screen.question.startswith("Émettre ")
            ),
        )
        await pilot.press("o")
        await attendre(pilot, lambda: any("factures émises" in m for m in messages(app)))
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()  # the preview after the run
        await pilot.pause()
        assert any("factures émises" in m for m in messages(app))
        # what was issued stays said under the next preview, not only in a toast
        etat = texte(app, "#facturation-etat")
        assert etat.startswith(f"Novembre 2026 : {len(familles)} factures émises, AL-")
        assert etat.endswith(". Plus rien à facturer.")
        await pilot.press("e")  # a second run issues nothing
        assert "Aucune facture à émettre pour Novembre 2026." in messages(app)
        await pilot.press("i")  # the month's invoices in one PDF, for the post
        await app.workers.wait_for_complete()
    with ouvrir(engine) as s:
        numeros = list(
            s.exec(
                select(Facture.numero)
                .where(Facture.periode_debut == debut)
                .order_by(Facture.numero)
            )
        )
        assert numeros == list(range(dernier + 1, dernier + 1 + len(familles)))
    courrier = pdf("Factures_AL_2026-11.pdf")
    assert f"AL-{numeros[0]}" in courrier and f"AL-{numeros[-1]}" in courrier


def test_cli_facturer_apercu_puis_emission(base, capsys):
    from tui.cli import main

    options = ["--base", base.removeprefix("sqlite:///"), "--date", "2026-11-27"]
    assert main(["facturer", "--regie", "AL", "--mois", "2026-11", *options]) == 0
    apercu = capsys.readouterr().out
    assert apercu.startswith("Régie garderie ALSH (AL) — Novembre 2026")
    assert "Aperçu seulement" in apercu and "Total : " in apercu
    assert "Le mois n'est pas terminé : 3 jours à venir." in apercu
    assert "Rien en suspens" in apercu or "À décider avant d'émettre" in apercu  # F6's list
    # not over on 27 November: a script (no terminal) is refused without --mois-en-cours
    assert main(["facturer", "--regie", "AL", "--mois", "2026-11", "--emettre", *options]) == 1
    assert (
        "Le mois n'est pas terminé : 3 jours à venir. Rien n'est émis : ajoutez --mois-en-cours"
    ) in capsys.readouterr().err
    assert (
        main(
            [
                "facturer",
                "--regie",
                "AL",
                "--mois",
                "2026-11",
                "--emettre",
                "--date-emission",
                "2026-12-05",
                "--mois-en-cours",
                *options,
            ]
        )
        == 0
    )
    assert "émises le 05/12/2026" in capsys.readouterr().out
    assert main(["facturer", "--regie", "AL", "--mois", "2026-11", "--emettre", *options]) == 0
    assert "Rien à émettre." in capsys.readouterr().out
    assert main(["facturer", "--regie", "XX", "--mois", "2026-11", *options]) == 2


def test_cli_facturer_mois_en_cours_demande_au_terminal(base, capsys, monkeypatch):
    from tui.cli import main

    options = ["--base", base.removeprefix("sqlite:///"), "--date", "2026-11-27"]
    questions = []
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda q: questions.append(q) or "non")
    assert main(["facturer", "--regie", "AL", "--mois", "2026-11", "--emettre", *options]) == 1
    assert questions == [
        "Le mois n'est pas terminé : 3 jours à venir. Émettre quand même ? (oui/non) "
    ]
    assert "rien n'est émis" in capsys.readouterr().out
    monkeypatch.setattr("builtins.input", lambda q: "oui")
    assert main(["facturer", "--regie", "AL", "--mois", "2026-11", "--emettre", *options]) == 0
    assert "émises le 27/11/2026" in capsys.readouterr().out


async def test_f6_n_offre_pas_a_l_accueil_les_touches_du_regisseur(fabrique_app):
    """An agent d'accueil sees the month's preview and may print it; issuing, reminders and
    direct debits are not in the footer nor F1 (each only said « Seul un régisseur … »),
    and their keys do nothing. The régisseur has them."""
    for agent, offertes in ((("accueil", "Accueil2026"), False), (REGIE, True)):
        app = fabrique_app(REFERENCE)
        async with app.run_test(size=TAILLE, notifications=True) as pilot:
            await connecter(pilot, *agent)
            await pilot.press("f6")
            await attendre(
                pilot,
                lambda app=app: texte(app, "#facturation-etat").startswith("Rien à"),
            )
            actives = {b.binding.action for b in app.screen.active_bindings.values() if b.enabled}
            for action in ("emettre", "relances", "prelevements"):
                assert (action in actives) is offertes, (agent, action)
            assert "imprimer" in actives
            if not offertes:
                await pilot.press("e", "r", "p")
                await pilot.pause()
                assert not any("Seul un régisseur" in m for m in messages(app))
                assert type(app.screen).__name__ == "EcranFacturation"  # no other screen


async def test_f6_fin_et_debut_de_la_liste_des_familles(fabrique_app):
    """F6's families: Fin and Début reach the last and first family (they scrolled sideways:
    48,889 families were reached only by the arrows); ctrl+PgSuiv a page, PgSuiv the month."""
    app = fabrique_app(REFERENCE)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, *REGIE)
        await pilot.press("f6")
        await attendre(pilot, lambda: texte(app, "#facturation-etat").startswith("Rien à"))
        await pilot.press("pagedown")  # November 2026: families to bill
        await attendre(pilot, lambda: "factures à émettre" in texte(app, "#facturation-etat"))
        table = app.screen.query_one("#facturation-familles")
        assert app.focused is table and table.row_count > 3
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("home")
        assert table.cursor_row == 0
        await pilot.press("ctrl+pagedown")
        assert table.cursor_row > 1
        assert "Novembre 2026" in texte(app, "#facturation-titre")  # the month stays
