"""Lettrage (issue 14, point 8) and implausible payments (point 9): credits pay the oldest
unpaid invoices of their régie, a refund is a numbered service action, and a payment beyond
what is due, beyond the régie's maximum or with a cheque number the bank never prints is
refused with a French message at its field."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from modele.agents import Role, creer_agent
from modele.base import Contexte, ErreurMetier
from modele.controle import anomalies_grand_livre
from modele.facturation import emettre_avoir as avoir_sans_lettrage
from modele.journal import Journal
from modele.reglements import (
    Affectation,
    ModeReglement,
    annuler_reglement,
    credit_disponible,
    credits_remboursables,
    description_reglement,
    detail_facture,
    emettre_avoir_et_lettrer,
    encaisser,
    erreurs_parametres_regie,
    facturer_mois,
    factures_impayees,
    parametrer_regie,
    rembourser_credit,
    solde,
)
from tests import fabrique

MARS = [dt.date(2026, 3, d) for d in (2, 3, 5, 6)]  # 4 × 4,05 = 16,20
AVRIL = [dt.date(2026, 4, 7)]  # 4,05
LE_10_AVRIL = dt.date(2026, 4, 10)
LE_5_MAI = dt.date(2026, 5, 5)


@pytest.fixture
def monde(s):
    regie, cantine, _ = fabrique.structure(s)
    famille, enfant = fabrique.famille(s)
    s.add_all(fabrique.jours(enfant, cantine, MARS + AVRIL))
    s.commit()
    return regie, famille


def facturer(s, regie, mois: int) -> list:
    debut = dt.date(2026, mois, 1)
    fin = dt.date(2026, mois + 1, 1) - dt.timedelta(days=1)
    emises = facturer_mois(
        s,
        fabrique.contexte(fin + dt.timedelta(days=5)),
        regie.id,
        debut,
        fin,
        fin + dt.timedelta(days=5),
    )
    s.commit()
    return emises


def payer(s, regie, famille, montant, **options):
    r = encaisser(
        s,
        fabrique.contexte(LE_10_AVRIL),
        famille.id,
        regie.id,
        montant,
        ModeReglement.ESPECES,
        LE_10_AVRIL,
        **options,
    )
    s.commit()
    return r


def test_le_trop_percu_paie_la_facture_suivante(s, monde):
    regie, famille = monde
    [mars] = facturer(s, regie, 3)
    payer(s, regie, famille, 2200, garder_en_avoir=True)
    assert credit_disponible(s, famille.id, regie.id) == 580
    [avril] = facturer(s, regie, 4)
    # Not a credit of 5,80 beside an unpaid 4,05: the credit paid it.
    assert factures_impayees(s, famille.id, LE_5_MAI) == []
    assert credit_disponible(s, famille.id, regie.id) == 580 - 405
    assert solde(s, famille.id) == 1620 + 405 - 2200
    assert detail_facture(s, avril.id).reste_du == 0
    assert s.exec(select(Journal).where(Journal.action == "credit affecte")).first() is not None
    assert anomalies_grand_livre(s) == []


def test_un_avoir_sur_facture_payee_regle_la_plus_ancienne_impayee(s, monde):
    regie, famille = monde
    [mars] = facturer(s, regie, 3)
    payer(s, regie, famille, 1620)
    [avril] = facturer(s, regie, 4)
    assert [i.facture.id for i in factures_impayees(s, famille.id, LE_5_MAI)] == [avril.id]
    avoir = emettre_avoir_et_lettrer(s, fabrique.contexte(LE_5_MAI), mars.id, "Grève")
    s.commit()
    assert factures_impayees(s, famille.id, LE_5_MAI) == []
    d = detail_facture(s, avril.id)
    assert (d.regle_par_avoir, d.reste_du, [a.reference for a, _ in d.lettrages]) == (
        405,
        0,
        [avoir.reference],
    )
    assert credit_disponible(s, famille.id, regie.id) == 1620 - 405
    assert anomalies_grand_livre(s) == []


def test_un_avoir_regle_d_abord_sa_facture(s, monde):
    regie, famille = monde
    [mars] = facturer(s, regie, 3)
    [avril] = facturer(s, regie, 4)
    avoir = emettre_avoir_et_lettrer(s, fabrique.contexte(LE_5_MAI), avril.id, "Erreur")
    s.commit()
    assert [
        (a.facture_id, a.montant)
        for a in s.exec(select(Affectation).where(Affectation.avoir_id == avoir.id))
    ] == [(avril.id, 405)]
    assert [i.facture.id for i in factures_impayees(s, famille.id, LE_5_MAI)] == [mars.id]


def test_le_reste_d_un_paiement_cible_paie_les_autres(s, monde):
    regie, famille = monde
    [mars] = facturer(s, regie, 3)
    [avril] = facturer(s, regie, 4)
    r = encaisser(
        s,
        fabrique.contexte(LE_5_MAI),
        famille.id,
        regie.id,
        1000,
        ModeReglement.ESPECES,
        LE_5_MAI,
        factures=[avril.id],
    )
    s.commit()
    assert [
        (a.facture_id, a.montant)
        for a in s.exec(
            select(Affectation).where(Affectation.reglement_id == r.id).order_by(Affectation.id)
        )
    ] == [(avril.id, 405), (mars.id, 595)]
    assert anomalies_grand_livre(s) == []


def test_une_annulation_rend_due_une_facture_que_le_credit_paie(s, monde):
    regie, famille = monde
    [mars] = facturer(s, regie, 3)
    cheque = payer(s, regie, famille, 1620)
    payer(s, regie, famille, 500, garder_en_avoir=True)  # all a credit
    annuler_reglement(s, fabrique.contexte(LE_10_AVRIL), cheque.id, "Chèque sans provision")
    s.commit()
    assert [i.reste_du for i in factures_impayees(s, famille.id, LE_10_AVRIL)] == [1120]
    assert credit_disponible(s, famille.id, regie.id) == 0
    assert anomalies_grand_livre(s) == []


def test_rembourser_un_credit(s, monde):
    regie, famille = monde
    facturer(s, regie, 3)
    payer(s, regie, famille, 2200, garder_en_avoir=True)  # AL-1, credit 5,80
    ctx = fabrique.contexte(LE_10_AVRIL)
    with pytest.raises(ErreurMetier) as e:
        rembourser_credit(s, ctx, famille.id, regie.id, 581, "Demande de la famille")
    assert e.value.champ == "montant" and "5,80" in e.value.message
    with pytest.raises(ErreurMetier) as e:
        rembourser_credit(s, ctx, famille.id, regie.id, 100, "  ")
    assert e.value.champ == "motif"
    accueil = creer_agent(
        s, Contexte.systeme("tests"), "accueil", "TEST", "Agent", Role.ACCUEIL, "Motdepasse1"
    ).id
    with pytest.raises(ErreurMetier, match="régisseur"):
        rembourser_credit(s, ctx.avec(agent_id=accueil), famille.id, regie.id, 100, "x")
    s.rollback()
    r = rembourser_credit(s, ctx, famille.id, regie.id, 500, "Demande de la famille", "VIR-2026-04")
    s.commit()
    assert (r.reference, r.montant, r.mode) == ("AL-2", -500, ModeReglement.REMBOURSEMENT)
    assert credit_disponible(s, famille.id, regie.id) == 80
    assert solde(s, famille.id) == 1620 - 2200 + 500
    assert (
        s.exec(
            select(Journal).where(Journal.action == "credit rembourse", Journal.objet_id == r.id)
        ).first()
        is not None
    )
    # What was paid back no longer pays April.
    facturer(s, regie, 4)
    assert [i.reste_du for i in factures_impayees(s, famille.id, LE_5_MAI)] == [405 - 80]
    with pytest.raises(ErreurMetier, match="ne s'annule pas"):
        annuler_reglement(s, ctx, r.id, "erreur")
    assert anomalies_grand_livre(s) == []


def test_remboursement_par_moyen_et_jusqu_au_dernier_centime(s, monde):
    regie, famille = monde
    facturer(s, regie, 3)
    assert credits_remboursables(s, famille.id) == []  # nothing to pay back yet
    payer(s, regie, famille, 2200, garder_en_avoir=True)  # credit 5,80
    [credit] = credits_remboursables(s, famille.id)
    assert (credit.regie.id, credit.montant) == (regie.id, 580)
    ctx = fabrique.contexte(LE_10_AVRIL)
    with pytest.raises(ErreurMetier) as e:  # a card is not a way to pay back
        rembourser_credit(s, ctx, famille.id, regie.id, 100, "x", moyen=ModeReglement.CARTE)
    assert e.value.champ == "moyen"
    with pytest.raises(ErreurMetier) as e:
        rembourser_credit(s, ctx, famille.id, regie.id, 0, "Demande", moyen=ModeReglement.CHEQUE)
    assert e.value.champ == "montant"
    s.rollback()
    virement = rembourser_credit(
        s, ctx, famille.id, regie.id, 80, "Demande", " VIR-12 ", ModeReglement.VIREMENT
    )
    especes = rembourser_credit(
        s, ctx, famille.id, regie.id, 500, "Le reste", moyen=ModeReglement.ESPECES
    )  # the whole credit, to the cent
    s.commit()
    assert virement.reference_paiement == "Virement n° VIR-12"
    assert description_reglement(virement) == "Remboursement du crédit (Virement n° VIR-12)"
    assert description_reglement(especes) == "Remboursement du crédit (Espèces)"
    assert credit_disponible(s, famille.id, regie.id) == 0
    assert credits_remboursables(s, famille.id) == []
    with pytest.raises(ErreurMetier, match="0,00"):
        rembourser_credit(s, ctx, famille.id, regie.id, 1, "Encore", moyen=ModeReglement.CHEQUE)
    journal = s.exec(
        select(Journal).where(Journal.action == "credit rembourse", Journal.objet_id == virement.id)
    ).one()
    assert journal.apres["moyen"] == "Virement n° VIR-12"
    assert anomalies_grand_livre(s) == []


def test_le_controle_voit_un_credit_a_cote_d_un_impaye(s, monde):
    regie, famille = monde
    [mars] = facturer(s, regie, 3)
    payer(s, regie, famille, 1620)
    facturer(s, regie, 4)
    avoir_sans_lettrage(s, fabrique.contexte(LE_5_MAI), mars.id, "Grève")
    s.commit()
    assert any("impayés à la fois" in a for a in anomalies_grand_livre(s))


# --- point 9: implausible payments --------------------------------------------------------


def test_un_montant_au_dela_du_du_demande_confirmation(s, monde):
    regie, famille = monde
    facturer(s, regie, 3)
    with pytest.raises(ErreurMetier) as e:
        payer(s, regie, famille, 2200)
    assert e.value.champ == "montant" and "Trop-perçu de 5,80" in e.value.message
    s.rollback()
    assert credit_disponible(s, famille.id, regie.id) == 0
    payer(s, regie, famille, 1620)  # exactly what is due: no question


def test_montant_maximum_de_la_regie(s, monde):
    regie, famille = monde
    facturer(s, regie, 3)
    with pytest.raises(ErreurMetier) as e:
        payer(s, regie, famille, 9_999_999_900, garder_en_avoir=True)
    assert e.value.champ == "montant" and "5\u202f000,00" in e.value.message
    s.rollback()
    regie.montant_max_reglement = 1000
    s.add(regie)
    s.commit()
    with pytest.raises(ErreurMetier, match="10,00"):
        payer(s, regie, famille, 1001)
    s.rollback()
    payer(s, regie, famille, 1000)


@pytest.mark.parametrize("numero", ["X", "123456", "12345678", "12 3456", "１２３４５６７", ""])
def test_numero_de_cheque_tel_que_la_banque_l_imprime(s, monde, numero):
    regie, famille = monde
    facturer(s, regie, 3)
    with pytest.raises(ErreurMetier) as e:
        encaisser(
            s,
            fabrique.contexte(LE_10_AVRIL),
            famille.id,
            regie.id,
            1620,
            ModeReglement.CHEQUE,
            LE_10_AVRIL,
            reference_paiement=numero,
        )
    assert e.value.champ == "reference_paiement"


def test_numero_de_cheque_selon_la_regie(s, monde):
    regie, famille = monde
    facturer(s, regie, 3)
    regie.chiffres_cheque = 6
    s.add(regie)
    s.commit()
    r = encaisser(
        s,
        fabrique.contexte(LE_10_AVRIL),
        famille.id,
        regie.id,
        1620,
        ModeReglement.CHEQUE,
        LE_10_AVRIL,
        reference_paiement="004512",
    )
    assert r.reference_paiement == "004512"


def test_parametres_de_la_regie_par_l_administrateur(s, monde):
    regie, famille = monde
    facturer(s, regie, 3)
    admin = creer_agent(
        s, Contexte.systeme("tests"), "admin", "TEST", "Admin", Role.ADMIN, "Motdepasse1"
    ).id
    regisseur = creer_agent(
        s, Contexte.systeme("tests"), "regie", "TEST", "Regie", Role.REGISSEUR, "Motdepasse1"
    ).id
    ctx = fabrique.contexte(LE_10_AVRIL).avec(agent_id=admin)
    with pytest.raises(ErreurMetier, match="Seul un administrateur"):
        parametrer_regie(s, ctx.avec(agent_id=regisseur), regie.id, {"chiffres_cheque": 6})
    for valeurs, champ in (
        ({"chiffres_cheque": 3}, "chiffres_cheque"),
        ({"chiffres_cheque": 13}, "chiffres_cheque"),
        ({"montant_max_reglement": 99}, "montant_max_reglement"),
        ({"montant_max_reglement": 9_999_999_900}, "montant_max_reglement"),
        ({"jours_echeance": -1}, "jours_echeance"),
        ({"jours_echeance": True}, "jours_echeance"),
        ({"libelle": "  "}, "libelle"),
        ({"code": "XX"}, "code"),  # the invoice prefix of printed references
    ):
        with pytest.raises(ErreurMetier) as e:
            parametrer_regie(s, ctx, regie.id, valeurs)
        assert e.value.champ == champ, valeurs
    assert erreurs_parametres_regie({"chiffres_cheque": 12, "montant_max_reglement": 100}) == {}
    parametrer_regie(
        s,
        ctx,
        regie.id,
        {"chiffres_cheque": 6, "montant_max_reglement": 1000, "libelle": " Régie ALSH "},
    )
    s.commit()
    s.refresh(regie)
    assert (regie.chiffres_cheque, regie.montant_max_reglement, regie.libelle) == (
        6,
        1000,
        "Régie ALSH",
    )
    [journal] = s.exec(select(Journal).where(Journal.action == "regie parametree")).all()
    assert journal.agent_id == admin
    assert journal.avant["chiffres_cheque"] == 7 and journal.apres["chiffres_cheque"] == 6
    parametrer_regie(s, ctx, regie.id, {"chiffres_cheque": 6})  # no change, no journal row
    s.commit()
    assert len(s.exec(select(Journal).where(Journal.action == "regie parametree")).all()) == 1
    # the counter now follows them
    with pytest.raises(ErreurMetier, match="10,00"):
        payer(s, regie, famille, 1001)
    s.rollback()
    with pytest.raises(ErreurMetier) as e:
        encaisser(
            s,
            fabrique.contexte(LE_10_AVRIL),
            famille.id,
            regie.id,
            500,
            ModeReglement.CHEQUE,
            LE_10_AVRIL,
            reference_paiement="1234567",
        )
    assert e.value.champ == "reference_paiement"
    s.rollback()
    encaisser(
        s,
        fabrique.contexte(LE_10_AVRIL),
        famille.id,
        regie.id,
        500,
        ModeReglement.CHEQUE,
        LE_10_AVRIL,
        reference_paiement="123456",
    )


def test_factures_reglees_dans_l_ordre_de_l_encaissement():
    """What a payment goes to, as `encaisser` allocates it: the chosen invoices first, then
    (the rest lettered) the others, oldest first, until the amount is used up (an amount of
    exactly the first stops there)."""
    from types import SimpleNamespace

    from modele.reglements import Impayee, factures_reglees

    impayees = [
        Impayee(SimpleNamespace(id=n), reste) for n, reste in ((1, 500), (2, 300), (3, 100))
    ]

    def ids(somme, cochees=()):
        return [i.facture.id for i in factures_reglees(impayees, somme, set(cochees))]

    assert ids(500) == [1]
    assert ids(501) == [1, 2]
    assert ids(10_000) == [1, 2, 3]
    assert ids(0) == []
    assert ids(50, cochees=[3]) == [3]
    assert ids(400, cochees=[2, 3]) == [2, 3]
    assert ids(401, cochees=[2, 3]) == [2, 3, 1]  # the rest lettered to the oldest
    assert ids(900, cochees=[1]) == [1, 2, 3]
    assert factures_reglees([], 100, set()) == []
