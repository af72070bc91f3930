"""F4 "Caisse" at 80×24 (issue 21): the régisseur closes a demo day with a counted
difference, makes and prints the slips; a payment of that day can then no longer be
cancelled from the Relevé, and the agent is told why. An agent d'accueil is refused F4."""

from __future__ import annotations

from sqlmodel import select
from textual.widgets import Input

from ecrans.caisse import EcranCaisse
from ecrans.compat_textual import notifications
from ecrans.formulaire_champs import FormulaireChamps
from ecrans.widgets import Confirmation, SaisieMotif
from modele.caisse import Bordereau, Cloture
from modele.chaine import verifier_chaine
from modele.db import session as ouvrir
from tests.conftest import JOUR_SEED
from tests.pilote import attendre, connecter, lignes, ouvrir_famille, saisir, texte
from tests.test_facturation_app import payer, pdf
from tests.test_remboursement_app import avec_un_credit, remplir

ETROIT = (80, 24)


def messages(app) -> list[str]:
    return list(notifications(app))


async def test_cloture_ecart_bordereau_puis_annulation_refusee(fabrique_app, engine):
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=ETROIT) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await ouvrir_famille(pilot, "dupont")
        await payer(pilot, "100")  # a cheque of 100,00 today
        await pilot.press("escape")
        await pilot.press("f4")
        await attendre(pilot, lambda: isinstance(app.screen, EcranCaisse))
        assert lignes(app, "#caisse-totaux") == [["Chèque", "1", "100,00\u00a0€", "", ""]]
        # the day's total with the state (the table has a line per mode, no total line)
        assert texte(app, "#caisse-etat").startswith(
            "Caisse ouverte : 1 opération, 100,00\u00a0€ — Entrée sur un mode"
        )
        await pilot.press("enter")  # the counted amount of the cheques
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireChamps))
        await saisir(pilot, "90")
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, EcranCaisse))
        assert lignes(app, "#caisse-totaux") == [
            ["Chèque", "1", "100,00\u00a0€", "90,00\u00a0€", "-10,00\u00a0€"]
        ]
        await pilot.press("c")  # a difference: the reason is asked, the difference said
        await attendre(pilot, lambda: isinstance(app.screen, SaisieMotif))
        assert "(Chèque -10,00\u00a0€)" in app.screen.libelle, app.screen.libelle
        await pilot.press("enter")  # none typed: said; then typed: no longer said
        await attendre(pilot, lambda: texte(app, "#erreur-motif") == "Le motif est obligatoire.")
        await saisir(pilot, "chèque [rendu] à la famille")
        await attendre(pilot, lambda: texte(app, "#erreur-motif") == "")
        await pilot.press("enter")
        await attendre(pilot, lambda: texte(app, "#caisse-etat").startswith("Caisse close"))
        assert "écart -10,00\u00a0€, motif : chèque [rendu] à la famille" in texte(
            app, "#caisse-etat"
        )
        await pilot.press("enter")  # closed: said, not silent
        await attendre(
            pilot, lambda: any("son compté ne se saisit plus" in m for m in messages(app))
        )
        await pilot.press("b")
        # the demo's closed days have slips AL-BR1 to AL-BR3: the next number is 4
        await attendre(pilot, lambda: "AL-BR4" in texte(app, "#caisse-bordereaux"))
        assert texte(app, "#caisse-bordereaux").startswith("Bordereaux : AL-BR4 (1, 100,00")
        await pilot.press("p", "i")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("escape")
        await ouvrir_famille(pilot, "dupont")
        await pilot.press("4")
        await pilot.pause()
        assert lignes(app, "#releve-operations")[0][2] == "Règlement : Chèque"
        await pilot.press("a")  # cancel the payment of the closed day
        await attendre(pilot, lambda: isinstance(app.screen, SaisieMotif))
        await saisir(pilot, "chèque sans provision")
        await pilot.press("enter")
        await attendre(pilot, lambda: any("ne peut plus être annulé" in m for m in messages(app)))
        assert lignes(app, "#releve-operations")[0][2] == "Règlement : Chèque"
    bordereau = pdf("Bordereau_AL-BR4.pdf")
    assert "BORDEREAU DE REMISE" in bordereau and "0004513" in bordereau
    assert "La Banque Postale" in bordereau and "100,00" in bordereau
    journal = pdf(f"Journal_de_caisse_AL_{JOUR_SEED.isoformat()}.pdf")
    assert "chèque [rendu] à la famille" in journal and "-10,00" in journal
    with ouvrir(engine) as s:
        cloture = s.exec(select(Cloture).where(Cloture.jour == JOUR_SEED)).one()
        assert (cloture.ecart, cloture.jour) == (-1000, JOUR_SEED)
        bordereau = s.exec(select(Bordereau).where(Bordereau.reference == "AL-BR4")).one()
        assert bordereau.jour == JOUR_SEED and bordereau.imprime_le is not None
        assert verifier_chaine(s, cloture.regie_id).intacte


async def test_g_avec_une_seule_regie_le_dit(fabrique_app):
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=ETROIT) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await pilot.press("f4")
        await attendre(pilot, lambda: isinstance(app.screen, EcranCaisse))
        await pilot.press("g")
        await attendre(pilot, lambda: any("Une seule régie" in m for m in messages(app)))


async def test_f4_refuse_a_l_agent_d_accueil(fabrique_app):
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=ETROIT) as pilot:
        await connecter(pilot)
        await pilot.press("f4")
        await pilot.pause()
        assert not isinstance(app.screen, EcranCaisse)
        assert any(
            "Seul un régisseur ou un administrateur peut clôturer" in m for m in messages(app)
        )


async def test_compte_errone_refuse_au_champ_sans_rien_perdre(fabrique_app, engine):
    """A negative or unreadable counted amount is refused in the count dialog, at its field,
    with the closing's words; what was typed stays, nothing is counted. It used to be taken
    (a negative count refused only at the closing) or to close the dialog with a toast."""
    avec_un_credit(engine)  # 130,00 € in cash today
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=ETROIT) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await pilot.press("f4")
        await attendre(pilot, lambda: isinstance(app.screen, EcranCaisse))
        caisse = app.screen
        espece = ["Espèces", "1", "130,00\u00a0€", "", ""]
        assert lignes(app, "#caisse-totaux") == [espece]
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireChamps))
        dialogue = app.screen
        champ = dialogue.query_one("#champ-compte", Input)
        for tape, erreur in [
            ("-3", "Le montant compté en Espèces ne peut être négatif."),
            ("abc", "Montant invalide : saisissez par exemple 120,60."),
        ]:
            champ.value = ""
            await saisir(pilot, tape)
            await pilot.press("ctrl+s")
            await attendre(pilot, lambda e=erreur: texte(app, "#formulaire-erreur") == e)
            assert app.screen is dialogue and champ.value == tape
            assert not caisse.comptes
            total = caisse.query_one("#caisse-totaux")
            assert [c.plain for c in total.get_row_at(0)] == espece
        champ.value = ""
        await saisir(pilot, "125,50")
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: app.screen is caisse)
        assert caisse.comptes == {"especes": 12550}
        assert lignes(app, "#caisse-totaux") == [
            ["Espèces", "1", "130,00\u00a0€", "125,50\u00a0€", "-4,50\u00a0€"]
        ]


async def test_cloture_demande_chaque_mode_avant_le_motif(fabrique_app, engine):
    """A cheque and cash taken, the cheques counted with a difference, the cash not: `c`
    says which mode is left to count before asking the difference's reason (the reason
    was typed, then lost to that refusal)."""
    from modele.famille import Famille
    from modele.reglements import Facture, ModeReglement, encaisser

    with ouvrir(engine) as s:
        facture = s.exec(
            select(Facture).join(Famille).where(Famille.numero == "1001001818331")
        ).first()
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=ETROIT) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        for mode, montant, reference in ((ModeReglement.CHEQUE, 5000, "0004513"),) + (
            (ModeReglement.ESPECES, 1000, ""),
        ):
            app.agir(
                encaisser,
                app.contexte(),
                facture.famille_id,
                facture.regie_id,
                montant,
                mode,
                JOUR_SEED,
                reference_paiement=reference,
                banque="La Banque Postale" if reference else "",
            )
        await pilot.press("f4")
        await attendre(pilot, lambda: isinstance(app.screen, EcranCaisse))
        assert [ligne[0] for ligne in lignes(app, "#caisse-totaux")] == ["Espèces", "Chèque"]
        app.screen.query_one("#caisse-totaux").move_cursor(row=1)
        await pilot.press("enter")  # the cheques counted: 40,00 instead of 50,00
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireChamps))
        await saisir(pilot, "40")
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, EcranCaisse))
        await pilot.press("c")
        await attendre(
            pilot, lambda: any("Indiquez le montant compté pour" in m for m in messages(app))
        )
        assert isinstance(app.screen, EcranCaisse)  # no reason asked
        assert any("Espèces (enregistré : 10,00" in m for m in messages(app))


async def test_un_remboursement_en_especes_se_compte_dans_les_especes(fabrique_app, engine):
    """A credit paid back in cash left the drawer: F4's Espèces line takes it off, so the
    drawer counted as it is closes with no difference (it showed -9,40 € before)."""
    avec_un_credit(engine)  # 130,00 € in cash today, 9,40 € of credit
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=ETROIT) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await ouvrir_famille(pilot, "dupont")
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("b")
        await attendre(pilot, lambda: app.screen.query("#moyen-especes"))
        assert texte(app, "#libelle-reference_paiement") == "Référence du virement"
        await pilot.click("#moyen-especes")
        await attendre(pilot, lambda: texte(app, "#libelle-reference_paiement") == "N° du reçu")
        await remplir(pilot, "motif", "Demande de la famille")
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: any("Crédit remboursé : AL-" in m for m in messages(app)))
        await pilot.press("escape")
        await pilot.press("f4")
        await attendre(pilot, lambda: isinstance(app.screen, EcranCaisse))
        assert lignes(app, "#caisse-totaux") == [["Espèces", "2", "120,60\u00a0€", "", ""]]
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireChamps))
        await saisir(pilot, "120,60")
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, EcranCaisse))
        await pilot.press("c")  # no difference: no reason asked, only a confirmation
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        assert "seront datés du 05/05/2015, le prochain jour de caisse" in app.screen.question
        await pilot.press("o")
        await attendre(pilot, lambda: texte(app, "#caisse-etat").startswith("Caisse close"))
        await pilot.press("b")
        await attendre(pilot, lambda: "AL-BR4" in texte(app, "#caisse-bordereaux"))
        assert "120,60" in texte(app, "#caisse-bordereaux")
        await pilot.press("p", "i")  # the slip and the day's journal printed
        await app.workers.wait_for_complete()
        await pilot.pause()
    bordereau = pdf("Bordereau_AL-BR4.pdf")
    assert "1 règlement et 1 remboursement en espèces, total 120,60" in bordereau
    assert "Remboursé à DUPONT" in bordereau
    journal = pdf(f"Journal_de_caisse_AL_{JOUR_SEED.isoformat()}.pdf")
    assert "Remboursé à DUPONT" in journal and "(Espèces)" in journal
    with ouvrir(engine) as s:
        bordereau = s.exec(select(Bordereau).where(Bordereau.reference == "AL-BR4")).one()
        assert (bordereau.nature, bordereau.nombre, bordereau.total) == ("especes", 2, 12060)


async def test_un_jour_a_venir_ne_se_cloture_pas_sans_le_demander(fabrique_app):
    """PgSuiv to tomorrow then c: refused at once (it asked « Clôturer la caisse du … ? »
    and refused after « Oui »)."""
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=ETROIT, notifications=True) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await ouvrir_famille(pilot, "dupont")
        await payer(pilot, "100")
        await pilot.press("escape", "f4")
        await attendre(pilot, lambda: isinstance(app.screen, EcranCaisse))
        await pilot.press("pagedown", "c")
        await attendre(pilot, lambda: any("jour à venir" in m for m in messages(app)))
        assert isinstance(app.screen, EcranCaisse)


async def test_journal_imprime_avant_la_cloture_montre_le_compte(fabrique_app):
    """The journal printed before the closing shows the amounts counted so far (its
    « Compté » column was empty, the screen showing them)."""
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=ETROIT) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await ouvrir_famille(pilot, "dupont")
        await payer(pilot, "100")  # a cheque of 100,00 today
        await pilot.press("escape", "f4")
        await attendre(pilot, lambda: isinstance(app.screen, EcranCaisse))
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireChamps))
        await saisir(pilot, "90")
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, EcranCaisse))
        await pilot.press("i")
        await app.workers.wait_for_complete()
        await pilot.pause()
    journal = pdf(f"Journal_de_caisse_AL_{JOUR_SEED.isoformat()}.pdf")
    assert "Non close, comptage en cours" in journal
    assert "90,00" in journal and "-10,00" in journal
