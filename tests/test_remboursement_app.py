"""Paying back a credit from the app (issue #14): the key on Accueil and Relevé, refused to an
agent d'accueil, the amount checked at its field against the credit, the refund numbered in
the relevé and journaled."""

from __future__ import annotations

import pytest
from sqlmodel import select
from textual.widgets import Input

from ecrans.famille import EcranFamille
from ecrans.remboursement import FormulaireRemboursement
from modele.base import Contexte
from modele.db import session as ouvrir
from modele.famille import Famille
from modele.formats import euros, montant
from modele.journal import Journal
from modele.reglements import ModeReglement, Reglement, credit_disponible, encaisser
from modele.structure import Regie
from tests.conftest import JOUR_SEED
from tests.pilote import attendre, connecter, lignes, ouvrir_famille, saisir, texte
from tests.test_facturation_app import messages

TAILLE = (150, 50)


def payer_dupont(engine, montant: int, mode: ModeReglement) -> tuple[int, int]:
    """DUPONT pays `montant` in the AL régie today, what is above AL-36 kept as a credit."""
    with ouvrir(engine) as s:
        famille = s.exec(select(Famille).where(Famille.numero == "1001001818331")).one()
        regie = s.exec(select(Regie).where(Regie.code == "AL")).one()
        encaisser(
            s,
            Contexte.systeme("tests", JOUR_SEED),
            famille.id,
            regie.id,
            montant,
            mode,
            JOUR_SEED,
            garder_en_avoir=True,
        )
        s.commit()
        return famille.id, regie.id


def avec_un_credit(engine) -> tuple[int, int]:
    """DUPONT pays 130,00 € for AL-36 (120,60 €): 9,40 € kept as a credit."""
    famille_id, regie_id = payer_dupont(engine, 13000, ModeReglement.ESPECES)
    with ouvrir(engine) as s:
        assert credit_disponible(s, famille_id, regie_id) == 940
    return famille_id, regie_id


async def remplir(pilot, champ: str, valeur: str) -> None:
    widget = pilot.app.screen.query_one(f"#champ-{champ}", Input)
    widget.focus()
    await pilot.pause()
    widget.value = ""
    await saisir(pilot, valeur)


@pytest.mark.parametrize(
    ("identifiant", "mot_de_passe", "regisseur"),
    [("accueil", "Accueil2026", False), ("regie", "Regie2026", True)],
)
async def test_un_agent_d_accueil_ne_rembourse_pas(
    fabrique_app, engine, identifiant, mot_de_passe, regisseur
):
    """The keys a counter agent may not use (refund, credit note, cancellation) are not
    offered to him (footer, F1), on the Accueil nor on the Relevé; a régisseur has them."""

    def offertes() -> set[str]:
        return {b.action for _n, b, actif, _a in app.screen.active_bindings.values() if actif}

    avec_un_credit(engine)
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, identifiant, mot_de_passe)
        await ouvrir_famille(pilot, "dupont")
        await attendre(pilot, lambda: "encaisser" in offertes())
        assert ("rembourser" in offertes()) is regisseur
        await pilot.press("4")
        await attendre(pilot, lambda: "imprimer_releve" in offertes())
        for action in ("rembourser", "avoir", "annuler"):
            assert (action in offertes()) is regisseur, action
        if not regisseur:
            await pilot.press("b")
            for _ in range(3):
                await pilot.pause()
            assert isinstance(app.screen, EcranFamille) and not messages(app)


async def test_le_regisseur_rembourse_le_credit_depuis_le_releve(fabrique_app, engine):
    famille_id, regie_id = avec_un_credit(engine)
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await ouvrir_famille(pilot, "dupont")
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("b")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireRemboursement))
        form = app.screen
        assert "9,40" in texte(app, "#remboursement-credit")
        assert form.query_one("#champ-montant", Input).value == "9,40"
        await remplir(pilot, "montant", "10")  # above the credit: said at the field
        await attendre(
            pilot, lambda: "on ne rembourse pas au-delà" in texte(app, "#erreur-montant")
        )
        await remplir(pilot, "montant", "4")
        assert texte(app, "#erreur-montant") == ""
        await pilot.press("ctrl+s")  # no reason: refused at the field, nothing written
        await attendre(pilot, lambda: "obligatoire" in texte(app, "#erreur-motif"))
        assert isinstance(app.screen, FormulaireRemboursement)
        assert texte(app, "#form-erreur").startswith("Corrigez les champs signalés")
        await remplir(pilot, "reference_paiement", "VIR-2015-7")
        await remplir(pilot, "motif", "Demande de la famille [courrier]")
        # the last field flagged corrected: its message and « Corrigez… » gone
        await attendre(pilot, lambda: texte(app, "#form-erreur") == "")
        assert texte(app, "#erreur-motif") == ""
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))
        await attendre(pilot, lambda: any("Crédit remboursé : AL-" in m for m in messages(app)))
        await attendre(
            pilot,
            lambda: any(
                "Remboursement du crédit (Virement n° VIR-2015-7)" in o[2]
                for o in lignes(app, "#releve-operations")
            ),
        )
        [ligne] = [o for o in lignes(app, "#releve-operations") if o[2].startswith("Remboursement")]
    with ouvrir(engine) as s:
        r = s.exec(
            select(Reglement).where(
                Reglement.mode == ModeReglement.REMBOURSEMENT, Reglement.famille_id == famille_id
            )
        ).one()
        assert (r.montant, r.motif, r.regie_id) == (
            -400,
            "Demande de la famille [courrier]",
            regie_id,
        )
        assert ligne[0] == r.reference and ligne[4] == "4,00"
        assert credit_disponible(s, famille_id, regie_id) == 540
        journal = s.exec(
            select(Journal).where(Journal.action == "credit rembourse", Journal.objet_id == r.id)
        ).one()
        assert journal.agent_id is not None and journal.canal == "guichet"


async def test_apres_la_cloture_le_remboursement_va_au_lendemain(fabrique_app, engine):
    """Today's cash closed: the refund form says the refund is dated the next cash day, and
    it is (it was refused, with no date to change). The dialog is centred."""
    import datetime as dt

    from modele.cloture import cloturer_caisse, etat_caisse

    famille_id, regie_id = avec_un_credit(engine)
    with ouvrir(engine) as s:
        totaux = etat_caisse(s, regie_id, JOUR_SEED).totaux
        cloturer_caisse(
            s,
            Contexte.systeme("tests", JOUR_SEED),
            regie_id,
            JOUR_SEED,
            {t.mode: t.montant for t in totaux},
        )
        s.commit()
    lendemain = JOUR_SEED + dt.timedelta(days=1)
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await ouvrir_famille(pilot, "dupont")
        await pilot.press("b")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireRemboursement))
        await attendre(pilot, lambda: "daté du" in texte(app, "#remboursement-credit"))
        assert f"daté du {lendemain:%d/%m/%Y}, prochain jour de caisse" in texte(
            app, "#remboursement-credit"
        )
        boite = app.screen.query_one(".formulaire").region
        assert boite.y > 0 and abs(boite.x - (TAILLE[0] - boite.right)) <= 1
        await remplir(pilot, "montant", "4")
        await remplir(pilot, "motif", "Demande de la famille")
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))
    with ouvrir(engine) as s:
        r = s.exec(
            select(Reglement).where(
                Reglement.mode == ModeReglement.REMBOURSEMENT, Reglement.famille_id == famille_id
            )
        ).one()
        assert (r.montant, r.date) == (-400, lendemain)


async def test_rembourser_en_especes_au_dela_de_la_caisse_du_jour_est_signale(fabrique_app, engine):
    """A cash refund beyond the cash the day took is allowed (the float pays it) but said
    before it is done; by transfer, or within the day's cash, nothing is said."""
    from textual.widgets import RadioButton

    from modele.cloture import especes_du_jour

    _famille_id, regie_id = payer_dupont(engine, 50000, ModeReglement.VIREMENT)
    with ouvrir(engine) as s:
        en_caisse = especes_du_jour(s, regie_id, JOUR_SEED)
    assert 0 <= en_caisse < 30000
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await ouvrir_famille(pilot, "dupont")
        await pilot.press("b")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireRemboursement))
        await remplir(pilot, "montant", "300")
        assert texte(app, "#remboursement-especes") == ""  # (by transfer)
        app.screen.query_one("#moyen-especes", RadioButton).value = True
        attendu = (
            f"La caisse n'a reçu que {euros(en_caisse)} en espèces ce jour"
            if en_caisse > 0
            else "La caisse n'a reçu aucune espèce ce jour"
        )
        await attendre(pilot, lambda: texte(app, "#remboursement-especes").startswith(attendu))
        assert "fonds de caisse" in texte(app, "#remboursement-especes")
        if en_caisse >= 100:
            await remplir(pilot, "montant", montant(en_caisse))
            await attendre(pilot, lambda: texte(app, "#remboursement-especes") == "")
