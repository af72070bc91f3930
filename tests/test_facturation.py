"""Billing rules tested directly: anomalies, free days, batches and stop, credit notes,
payment checks, cancellations, permissions."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from modele.agents import Role, creer_agent
from modele.base import Arret, Contexte, ErreurMetier
from modele.facturation import (
    ETAPE_EMISSION,
    Facture,
    NatureFacture,
    apercu_facturation,
    avoirs_de,
    bornes_mois,
    jours_a_venir,
    lignes_facture,
    preparer_facturation,
    question_mois_en_cours,
)
from modele.famille import Responsable
from modele.journal import Journal
from modele.planning import Consommation, EtatConsommation, JourFacture, est_facturee, non_facturee
from modele.reglements import (
    Affectation,
    ModeReglement,
    Reglement,
    annuler_reglement,
    detail_facture,
    detail_reglement,
    encaisser,
    facturer_mois,
    factures_impayees,
    releve,
    solde,
)

# The actions as the app runs them: credits are allocated as they appear (lettrage).
from modele.reglements import emettre_avoir_et_lettrer as emettre_avoir
from tests import fabrique

MARS = [dt.date(2026, 3, d) for d in (2, 3, 5, 6)]
DEBUT, FIN = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
EMISSION = dt.date(2026, 4, 5)


@pytest.fixture
def monde(s):
    regie, cantine, _ = fabrique.structure(s)
    famille, enfant = fabrique.famille(s)
    s.add_all(fabrique.jours(enfant, cantine, MARS))
    s.commit()
    return regie, cantine, famille, enfant


def facturer(s, regie, ctx=None):
    factures = facturer_mois(s, ctx or fabrique.contexte(EMISSION), regie.id, DEBUT, FIN, EMISSION)
    s.commit()
    return factures


def agent(s, role: Role) -> int:
    return creer_agent(
        s, Contexte.systeme("tests"), role.value, "TEST", "Agent", role, "Motdepasse1"
    ).id


# --- the month's run -------------------------------------------------------------------------


def test_jours_gratuits_jamais_factures(s, monde):
    regie, cantine, _, enfant = monde
    gratuit = fabrique.jours(enfant, cantine, [dt.date(2026, 3, 9)])[0]
    gratuit.gratuit = True
    s.add(gratuit)
    s.commit()
    [facture] = facturer(s, regie)
    assert facture.total == 4 * 405
    s.refresh(gratuit)
    assert not est_facturee(s, gratuit)


def test_anomalies_hors_contrat_et_responsable_payeur(s, monde):
    regie, cantine, famille, enfant = monde
    s.add_all(
        fabrique.jours(
            enfant,
            cantine,
            [dt.date(2026, 3, 9), dt.date(2026, 3, 10)],
            EtatConsommation.HORS_CONTRAT,
        )
    )
    for r in s.exec(select(Responsable).where(Responsable.famille_id == famille.id)):
        r.payeur = False
        s.add(r)
    s.commit()
    [prevue] = preparer_facturation(s, regie.id, DEBUT, FIN)
    assert prevue.anomalies == [
        "Pas de quotient familial valide : tranche maximale.",
        "Présence sans réservation (hors contrat) : Léo — Garderie périscolaire Restauration "
        "scolaire, 2 jours.",
        "Aucun responsable payeur dans la famille.",
    ]
    apercu = apercu_facturation(s, regie.id, DEBUT, FIN)
    [ligne] = apercu.familles
    assert (ligne.numero, ligne.nom, apercu.total, apercu.avec_anomalies) == (
        "1000000000001",
        "MARTIN Élodie",
        6 * 405,
        1,
    )


def test_par_lots_numeros_sans_trou_et_arret_sans_rien_ecrire(s, monde):
    regie, cantine, _, _ = monde
    for i in range(2, 6):
        _, autre = fabrique.famille(s, numero=f"100000000000{i}", nom=f"NOM{i}")
        s.add_all(fabrique.jours(autre, cantine, MARS))
    s.commit()
    vus = []
    with pytest.raises(Arret):
        facturer_mois(
            s,
            fabrique.contexte(EMISSION),
            regie.id,
            DEBUT,
            FIN,
            EMISSION,
            lot=2,
            progression=lambda etape, n, t: (
                vus.append((n, t)) if etape == ETAPE_EMISSION and n else None
            ),
            arret=lambda: len(vus) == 2,
        )
    assert vus == [(2, 5), (4, 5)]
    s.rollback()
    assert s.exec(select(Facture)).all() == []
    assert s.exec(select(JourFacture)).all() == []
    factures = facturer(s, regie)
    assert [f.reference for f in factures] == ["AL-1", "AL-2", "AL-3", "AL-4", "AL-5"]
    assert facturer(s, regie) == []  # a second run bills nothing


def test_seul_un_regisseur_facture(s, monde):
    regie, *_ = monde
    accueil = agent(s, Role.ACCUEIL)
    with pytest.raises(ErreurMetier, match="régisseur"):
        facturer(s, regie, fabrique.contexte(EMISSION).avec(agent_id=accueil))


@pytest.mark.parametrize(
    ("mois", "aujourdhui", "a_venir"),
    [
        ((2015, 5), dt.date(2015, 5, 4), 27),  # the seed's "today", its own month
        ((2015, 5), dt.date(2015, 5, 30), 1),
        ((2015, 5), dt.date(2015, 5, 31), 0),  # the last day: the month is over tonight
        ((2015, 4), dt.date(2015, 5, 4), 0),
        ((2015, 6), dt.date(2015, 5, 4), 30),  # a month not begun: all its days
    ],
)
def test_jours_a_venir(mois, aujourdhui, a_venir):
    assert jours_a_venir(*bornes_mois(*mois), aujourdhui) == a_venir


def test_question_mois_en_cours():
    assert question_mois_en_cours(27) == (
        "Le mois n'est pas terminé : 27 jours à venir. Émettre quand même ?"
    )
    assert question_mois_en_cours(1).startswith("Le mois n'est pas terminé : 1 jour à venir.")


def test_mois_en_cours_refuse_sans_confirmation(s, monde):
    regie, *_ = monde
    le_20 = fabrique.contexte(dt.date(2026, 3, 20))
    with pytest.raises(ErreurMetier, match="Le mois n'est pas terminé : 11 jours à venir"):
        facturer_mois(s, le_20, regie.id, DEBUT, FIN, dt.date(2026, 3, 20))
    s.rollback()
    assert s.exec(select(Facture)).all() == []
    [facture] = facturer_mois(
        s, le_20, regie.id, DEBUT, FIN, dt.date(2026, 3, 20), mois_en_cours=True
    )
    s.commit()
    detail = s.exec(
        select(Journal.detail).where(
            Journal.action == "facture emise", Journal.objet_id == facture.id
        )
    ).one()
    assert detail == "Émise sur confirmation avant la fin du mois (11 jours à venir)."


# --- credit notes ----------------------------------------------------------------------------


def test_avoir_libere_les_jours_et_a_son_numero(s, monde):
    regie, cantine, famille, enfant = monde
    [facture] = facturer(s, regie)
    ctx = fabrique.contexte(dt.date(2026, 4, 10))
    with pytest.raises(ErreurMetier) as e:
        emettre_avoir(s, ctx, facture.id, "  ")
    assert e.value.champ == "motif"
    avoir = emettre_avoir(s, ctx, facture.id, "Cantine fermée (grève)")
    s.commit()
    assert (avoir.reference, avoir.nature, avoir.total, avoir.facture_origine_id) == (
        "AL-AV1",
        NatureFacture.AVOIR,
        4 * 405,
        facture.id,
    )
    assert [lg.quantite for lg in lignes_facture(s, avoir.id)] == [4]
    assert avoirs_de(s, facture.id) == [avoir]
    assert solde(s, famille.id) == 0
    assert factures_impayees(s, famille.id, dt.date(2026, 4, 10)) == []
    # The days are billable again, on a new invoice; the first never changes.
    [nouvelle] = facturer(s, regie)
    assert (nouvelle.reference, nouvelle.total) == ("AL-2", 4 * 405)
    assert s.get(Facture, facture.id).total == 4 * 405
    with pytest.raises(ErreurMetier, match="déjà un avoir"):
        emettre_avoir(s, ctx, facture.id, "encore")
    d = detail_facture(s, facture.id)
    assert (d.deja_paye, d.total_avoirs, d.reste_du) == (0, 4 * 405, 0)
    [operation] = [o for o in releve(s, famille.id, 2025).operations if o.numero == "AL-AV1"]
    assert (operation.description, operation.credit) == ("Avoir : Cantine fermée (grève)", 1620)


def test_avoir_de_la_ligne_apres_un_avoir_de_jours_credite_le_reste(s, monde):
    from modele.facturation import emettre_avoir_jours, restes_a_crediter

    regie, cantine, famille, enfant = monde
    [facture] = facturer(s, regie)  # 4 days × 4,05
    [ligne] = lignes_facture(s, facture.id)
    jours = s.exec(select(Consommation).order_by(Consommation.jour)).all()
    ctx = fabrique.contexte(dt.date(2026, 4, 10))
    [certificat] = emettre_avoir_jours(s, ctx, [jours[0].id], "Certificat du 02/03")
    s.commit()
    assert restes_a_crediter(s, facture.id) == {ligne.id: 3}
    # the whole line: what is left of it, not the 4 days again
    reste = emettre_avoir(s, ctx, facture.id, "Grève", lignes=[ligne.id])
    s.commit()
    assert reste.total == 3 * 405
    [credit] = lignes_facture(s, reste.id)
    assert (credit.quantite, credit.montant) == (3, 3 * 405)
    assert credit.libelle.endswith("(jours non encore crédités)")
    assert certificat.total + reste.total == facture.total  # never more than the invoice
    assert restes_a_crediter(s, facture.id) == {ligne.id: 0}
    assert s.exec(select(JourFacture).where(JourFacture.facture_id == facture.id)).all() == []
    with pytest.raises(ErreurMetier, match="déjà un avoir"):
        emettre_avoir(s, ctx, facture.id, "encore")
    with pytest.raises(ErreurMetier, match="déjà un avoir"):
        emettre_avoir(s, ctx, facture.id, "encore", lignes=[ligne.id])
    assert solde(s, famille.id) == 0


def test_avoir_de_jours_puis_toute_la_facture(s, monde):
    """Without chosen lines too: the remaining days of each line, the credited ones left."""
    from modele.facturation import emettre_avoir_jours

    regie, cantine, famille, enfant = monde
    [facture] = facturer(s, regie)
    jours = s.exec(select(Consommation).order_by(Consommation.jour)).all()
    ctx = fabrique.contexte(dt.date(2026, 4, 10))
    emettre_avoir_jours(s, ctx, [jours[0].id, jours[3].id], "Certificat")
    avoir = emettre_avoir(s, ctx, facture.id, "Annulation")
    s.commit()
    assert avoir.total == 2 * 405


def test_avoir_sur_les_lignes_choisies(s, monde):
    regie, cantine, famille, enfant = monde
    from modele.planning import Activite

    garderie = Activite(
        regie_id=regie.id,
        code="GARDERIE",
        structure="Garderie périscolaire",
        libelle="Garderie matin",
    )
    s.add(garderie)
    s.flush()
    from modele.facturation import Tarif
    from modele.quotient import TrancheQF

    for tranche in s.exec(select(TrancheQF)):
        s.add(
            Tarif(
                activite_id=garderie.id,
                tranche_id=tranche.id,
                prix_unitaire=100,
                valide_du=dt.date(2000, 1, 1),
            )
        )
    s.add_all(fabrique.jours(enfant, garderie, MARS[:2]))
    s.commit()
    [facture] = facturer(s, regie)
    lignes = lignes_facture(s, facture.id)
    ligne_garderie = next(lg for lg in lignes if lg.activite_id == garderie.id)
    avoir = emettre_avoir(
        s, fabrique.contexte(), facture.id, "Erreur de pointage", lignes=[ligne_garderie.id]
    )
    s.commit()
    assert avoir.total == 200
    libres = s.exec(select(Consommation).where(non_facturee())).all()
    assert sorted(c.activite_id for c in libres) == [garderie.id, garderie.id]
    assert solde(s, famille.id) == 4 * 405
    # An avoir cannot be the target of another avoir.
    with pytest.raises(ErreurMetier, match="facture émise"):
        emettre_avoir(s, fabrique.contexte(), avoir.id, "non")


def test_seul_un_regisseur_fait_un_avoir(s, monde):
    regie, *_ = monde
    [facture] = facturer(s, regie)
    accueil = agent(s, Role.ACCUEIL)
    with pytest.raises(ErreurMetier, match="avoir"):
        emettre_avoir(s, fabrique.contexte().avec(agent_id=accueil), facture.id, "motif")


# --- payments --------------------------------------------------------------------------------


def test_controles_du_reglement(s, monde):
    regie, _, famille, _ = monde
    facturer(s, regie)
    ctx = fabrique.contexte(dt.date(2026, 4, 10))
    with pytest.raises(ErreurMetier) as e:
        encaisser(s, ctx, famille.id, regie.id, 100, ModeReglement.CHEQUE, dt.date(2026, 4, 10))
    assert e.value.champ == "reference_paiement"
    with pytest.raises(ErreurMetier) as e:
        encaisser(s, ctx, famille.id, regie.id, 100, ModeReglement.ESPECES, dt.date(2026, 4, 11))
    assert e.value.champ == "date"
    with pytest.raises(ErreurMetier) as e:
        encaisser(
            s,
            ctx,
            famille.id,
            regie.id,
            100,
            ModeReglement.TITRE_ORMC,
            dt.date(2026, 4, 10),
            reference_paiement="12",
        )
    assert e.value.champ == "mode"


def test_annulation_par_ecriture_inverse(s, monde):
    regie, _, famille, _ = monde
    [facture] = facturer(s, regie)
    ctx = fabrique.contexte(dt.date(2026, 4, 10))
    r = encaisser(
        s,
        ctx,
        famille.id,
        regie.id,
        2000,
        ModeReglement.CHEQUE,
        dt.date(2026, 4, 10),
        reference_paiement="1234567",
        banque="La Banque Postale",
        payeur="MARTIN Élodie",
        garder_en_avoir=True,
    )
    s.commit()
    assert solde(s, famille.id) == 1620 - 2000  # a credit of 3,80
    assert detail_reglement(s, r.id).credit == 380
    with pytest.raises(ErreurMetier) as e:
        annuler_reglement(s, ctx, r.id, "")
    assert e.value.champ == "motif"
    annulation = annuler_reglement(s, ctx, r.id, "Chèque sans provision")
    s.commit()
    assert (annulation.montant, annulation.annule_reglement_id, annulation.reference) == (
        -2000,
        r.id,
        "AL-2",
    )
    assert s.get(Reglement, r.id) is not None  # never deleted
    assert [
        a.montant
        for a in s.exec(select(Affectation).where(Affectation.reglement_id == annulation.id))
    ] == [-1620]
    assert [i.reste_du for i in factures_impayees(s, famille.id, dt.date(2026, 4, 10))] == [1620]
    assert solde(s, famille.id) == 1620
    assert detail_reglement(s, r.id).annulation.id == annulation.id
    with pytest.raises(ErreurMetier, match="déjà annulé"):
        annuler_reglement(s, ctx, r.id, "encore")
    with pytest.raises(ErreurMetier, match="ne s'annule pas"):
        annuler_reglement(s, ctx, annulation.id, "encore")
    [op] = [o for o in releve(s, famille.id, 2025).operations if o.numero == "AL-2"]
    assert (op.description, op.debit) == ("Annulation règlement : Chèque", 2000)
    actions = [j.action for j in s.exec(select(Journal).order_by(Journal.id))]
    assert actions == ["facture emise", "reglement encaisse", "reglement annule"]


def test_seul_un_regisseur_annule(s, monde):
    regie, _, famille, _ = monde
    facturer(s, regie)
    accueil = agent(s, Role.ACCUEIL)
    ctx = fabrique.contexte().avec(agent_id=accueil)
    r = encaisser(s, ctx, famille.id, regie.id, 100, ModeReglement.ESPECES, dt.date(2026, 4, 10))
    s.commit()
    with pytest.raises(ErreurMetier, match="Seul un régisseur"):
        annuler_reglement(s, ctx, r.id, "erreur")
    regisseur = agent(s, Role.REGISSEUR)
    annuler_reglement(s, fabrique.contexte().avec(agent_id=regisseur), r.id, "erreur de saisie")


def test_regie_tresorerie_titre_ormc(s, monde):
    regie, _, famille, _ = monde
    regie.encaissement_tresorerie = True
    s.add(regie)
    facturer(s, regie)
    ctx = fabrique.contexte(dt.date(2026, 4, 10))
    with pytest.raises(ErreurMetier, match="Trésorerie"):
        encaisser(s, ctx, famille.id, regie.id, 100, ModeReglement.ESPECES, dt.date(2026, 4, 10))
    r = encaisser(
        s,
        ctx,
        famille.id,
        regie.id,
        1620,
        ModeReglement.TITRE_ORMC,
        dt.date(2026, 4, 10),
        reference_paiement="42",
    )
    s.commit()
    [op] = [o for o in releve(s, famille.id, 2025).operations if o.reglement_id == r.id]
    assert op.description == "Titre émis (ORMC n°42)"
