"""The dashboard's and the CAF's figures, each against a small base counted by hand
(SQLite, and PostgreSQL when CI gives one)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from modele.agents import Agent, Role
from modele.base import ErreurMetier
from modele.demandes import Demande, StatutDemande, TypeDemande
from modele.facturation import Facture, NatureFacture
from modele.formats import heures_minutes, minutes_saisies
from modele.journal import Journal
from modele.messages import envoyer_a_plusieurs
from modele.planning import Activite, EtatConsommation
from modele.quotient import SUJET_RELANCE, QuotientFamilial, StatutQF
from modele.reglements import Affectation, ModeReglement, Reglement
from modele.statistiques import (
    SANS_QF,
    Part,
    argent_par_mois,
    avancement_campagne,
    demandes_en_attente,
    encaissements_par_mode,
    enfants_du_jour,
    familles_par_tranche,
    frequentation_du_mois,
    heures,
    impayes_par_anciennete,
    statistiques_caf,
    tableau_de_bord,
)
from modele.structure import (
    Collectivite,
    PlafondsCaf,
    Regie,
    erreurs_plafonds_caf,
    parametrer_plafonds_caf,
    plafonds_caf,
)
from tests import fabrique

E = EtatConsommation
AUJOURDHUI = dt.date(2026, 11, 27)
ALSH = "Accueil de Loisirs ALSH"


def _activite(s, regie, code, structure, libelle, jours, **autres) -> Activite:
    a = Activite(
        regie_id=regie.id, code=code, structure=structure, libelle=libelle, jours=jours, **autres
    )
    s.add(a)
    s.flush()
    return a


def _familles(s, n: int):
    noms = ["ANDRE", "BLANC", "CARON", "DUVAL"]
    return [
        fabrique.famille(s, numero=f"100000000000{i}", nom=noms[i], enfant=f"Enfant{i}")
        for i in range(n)
    ]


# --- Fréquentation ------------------------------------------------------------------------


def test_frequentation_du_mois_et_enfants_du_jour(s):
    regie, cantine, _ = fabrique.structure(s)
    mercredi = _activite(s, regie, "MER", ALSH, "Mercredi journée", "3", capacite=2, ordre=1)
    (_, a), (_, b), (_, c) = _familles(s, 3)
    nov = lambda j: dt.date(2026, 11, j)  # noqa: E731
    s.add_all(
        fabrique.jours(a, mercredi, [nov(4)])
        + fabrique.jours(b, mercredi, [nov(4)])
        + fabrique.jours(c, mercredi, [nov(4), nov(25)], E.RESERVE)
        + fabrique.jours(a, mercredi, [nov(18)], E.HORS_CONTRAT)
        + fabrique.jours(b, mercredi, [nov(11)], E.ABSENT_EXCUSE)
        + fabrique.jours(a, mercredi, [dt.date(2026, 12, 2)], E.RESERVE)
        + fabrique.jours(a, cantine, [nov(30)], E.RESERVE)  # today or later: not "non pointé"
    )
    s.commit()

    vue = {f.nom: f for f in frequentation_du_mois(s, 2026, 11, AUJOURDHUI)}
    mer = vue[f"{ALSH} Mercredi journée"]
    assert [(j.jour.day, j.reserves, j.presents, j.non_pointes) for j in mer.jours] == [
        (4, 3, 2, 1),
        (11, 0, 0, 0),
        (18, 1, 1, 0),
        (25, 1, 0, 1),
    ]
    assert [j.complet for j in mer.jours] == [True, False, False, False]
    assert [j.a_pointer for j in mer.jours] == [True, False, False, True]
    assert (mer.reserves, mer.presents, mer.non_pointes, mer.capacite) == (5, 3, 2, 2)
    cant = vue["Garderie périscolaire Restauration scolaire"]
    # Mondays (5), Tuesdays, Thursdays, Fridays (4 each) of November 2026
    assert len(cant.jours) == 17
    assert [(j.jour.day, j.reserves, j.non_pointes) for j in cant.jours if j.reserves] == [
        (30, 1, 0)
    ]

    enfants = enfants_du_jour(s, mercredi.id, nov(4))
    assert [(e.nom, e.etat) for e in enfants] == [
        ("ANDRE", "Présent"),
        ("BLANC", "Présent"),
        ("CARON", "Réservé"),
    ]
    assert [e.etat for e in enfants_du_jour(s, mercredi.id, nov(11))] == ["Absent excusé"]


def test_jours_qui_se_remarquent_aux_bornes(s):
    """Over capacity: strictly more booked than places. Many unrecorded: on a past day,
    at least 20 % of the booked places (PART_NON_POINTES) without a presence."""
    regie, _, _ = fabrique.structure(s)
    mercredi = _activite(s, regie, "MER", ALSH, "Mercredi journée", "3", capacite=5, ordre=1)
    enfants = [
        fabrique.famille(s, numero=f"20000000000{i:02d}", nom=f"NOM{i}", enfant=f"E{i}")[1]
        for i in range(6)
    ]
    nov = lambda j: dt.date(2026, 11, j)  # noqa: E731
    cellules = []
    for i, enfant in enumerate(enfants):
        # 4/11: 5 booked (= capacity), 1 not recorded (20 %)
        if i < 5:
            cellules += fabrique.jours(
                enfant, mercredi, [nov(4)], E.RESERVE if i == 0 else E.PRESENT
            )
        # 18/11: 6 booked (over), 1 not recorded (1/6 < 20 %)
        cellules += fabrique.jours(enfant, mercredi, [nov(18)], E.RESERVE if i == 0 else E.PRESENT)
        # 25/11: 6 booked, 2 not recorded (a Réservé, a Régulier: both still booked)
        etat = {0: E.RESERVE, 1: E.REGULIER}.get(i, E.PRESENT)
        cellules += fabrique.jours(enfant, mercredi, [nov(25)], etat)
    s.add_all(cellules)
    s.commit()
    (mer,) = [
        f for f in frequentation_du_mois(s, 2026, 11, AUJOURDHUI) if f.nom.endswith("journée")
    ]
    assert [(j.jour.day, j.reserves, j.non_pointes, j.complet, j.a_pointer) for j in mer.jours] == [
        (4, 5, 1, False, True),
        (11, 0, 0, False, False),
        (18, 6, 1, True, False),
        (25, 6, 2, True, True),
    ]
    # Today and later nothing is "not recorded" yet.
    (mer,) = [f for f in frequentation_du_mois(s, 2026, 11, nov(4)) if f.nom.endswith("journée")]
    assert [(j.non_pointes, j.a_pointer) for j in mer.jours] == [(0, False)] * 4


# --- Argent -------------------------------------------------------------------------------


def _facture(s, regie, famille, numero, emise, total, nature=NatureFacture.FACTURE) -> Facture:
    f = Facture(
        regie_id=regie.id,
        nature=nature.value,
        numero=numero,
        reference=f"{regie.code}-{numero}",
        famille_id=famille.id,
        date_emission=emise,
        date_echeance=emise + dt.timedelta(days=22),
        periode_debut=emise.replace(day=1),
        periode_fin=emise,
        total=total,
        cree_le=dt.datetime.combine(emise, dt.time(9)),
    )
    s.add(f)
    s.flush()
    return f


def _reglement(s, regie, famille, numero, jour, montant, mode, facture=None, annule=None):
    r = Reglement(
        regie_id=regie.id,
        numero=numero,
        reference=f"{regie.code}-{numero}",
        famille_id=famille.id,
        date=jour,
        mode=mode.value,
        montant=montant,
        annule_reglement_id=annule,
        cree_le=dt.datetime.combine(jour, dt.time(10)),
    )
    s.add(r)
    s.flush()
    if facture is not None:
        s.add(Affectation(reglement_id=r.id, facture_id=facture.id, montant=montant))
    return r


def test_argent_impayes_et_modes(s):
    regie, _, _ = fabrique.structure(s)
    tresor = Regie(
        collectivite_id=regie.collectivite_id,
        code="TR",
        libelle="Régie Trésorerie",
        encaissement_tresorerie=True,
    )
    s.add(tresor)
    s.flush()
    (fa, _), (fb, _), (fc, _) = _familles(s, 3)
    d = dt.date
    f1 = _facture(s, regie, fa, 1, d(2026, 10, 5), 10000)  # due 27/10: 31 days late
    f2 = _facture(s, regie, fb, 2, d(2026, 11, 5), 5000)  # due 27/11: 0 days
    _facture(s, regie, fc, 3, d(2026, 7, 1), 3000)  # due 23/07: 127 days; year 2025
    _facture(s, regie, fa, 4, d(2026, 11, 20), 2000)  # due 12/12: not yet due
    f5 = _facture(s, regie, fc, 5, d(2026, 9, 10), 1500)  # paid in full
    avoir = _facture(s, regie, fb, 6, d(2026, 11, 10), 1000, NatureFacture.AVOIR)
    s.add(Affectation(avoir_id=avoir.id, facture_id=f2.id, montant=1000))
    _facture(s, tresor, fa, 1, d(2026, 10, 1), 8000)  # the Trésorerie follows it, not us
    _reglement(s, regie, fa, 1, d(2026, 10, 10), 4000, ModeReglement.CHEQUE, f1)
    _reglement(s, regie, fc, 2, d(2026, 9, 15), 1500, ModeReglement.ESPECES, f5)
    cheque = _reglement(s, regie, fb, 3, d(2026, 10, 15), 2500, ModeReglement.CHEQUE)
    _reglement(s, regie, fb, 4, d(2026, 10, 16), -2500, ModeReglement.CHEQUE, annule=cheque.id)
    _reglement(s, tresor, fa, 1, d(2026, 10, 20), 8000, ModeReglement.TITRE_ORMC)
    s.commit()

    argent = argent_par_mois(s, 2026)
    assert [m.mois for m in argent][:3] == [d(2026, 9, 1), d(2026, 10, 1), d(2026, 11, 1)]
    assert argent[-1].mois == d(2027, 8, 1)
    assert [(m.facture, m.avoirs, m.encaisse) for m in argent[:3]] == [
        (1500, 0, 1500),
        (18000, 0, 4000),  # the cancelled cheque nets out; the ORMC title is not cash
        (7000, 1000, 0),
    ]
    assert argent[2].facture_net == 6000
    assert all((m.facture, m.avoirs, m.encaisse) == (0, 0, 0) for m in argent[3:])

    assert impayes_par_anciennete(s, AUJOURDHUI) == [
        Part("Non échues", 1, 2000),
        Part("0 à 30 jours", 1, 4000),
        Part("31 à 60 jours", 1, 6000),
        Part("61 à 90 jours", 0, 0),
        Part("Plus de 90 jours", 1, 3000),
    ]
    assert encaissements_par_mode(s, 2026) == [
        Part("Chèque", 2, 4000),
        Part("Espèces", 1, 1500),
        Part("Titre émis", 1, 8000),
    ]
    assert encaissements_par_mode(s, 2025) == []


# --- Familles -----------------------------------------------------------------------------


def _qf(s, famille, valeur, du, au, declare, statut=StatutQF.VALIDE, tranche_id=None):
    s.add(
        QuotientFamilial(
            famille_id=famille.id,
            type="CAF",
            valeur=valeur,
            valide_du=du,
            valide_au=au,
            declare_le=declare,
            statut=statut.value,
            tranche_id=tranche_id,
        )
    )


def test_familles_par_tranche_et_campagne(s):
    _, _, tranches = fabrique.structure(s)
    (fa, _), (fb, _), (fc, _), (fd, _) = _familles(s, 4)
    d = dt.date
    _qf(s, fa, 30000, d(2026, 10, 1), d(2027, 10, 31), d(2026, 10, 1))  # bracket 1 by value
    _qf(s, fb, 60000, d(2026, 3, 1), d(2027, 3, 31), d(2026, 3, 5))  # older: bracket 2
    _qf(s, fb, 10000, d(2026, 11, 1), d(2027, 11, 30), d(2026, 11, 2))  # newer wins: 1
    _qf(s, fc, 10000, d(2026, 11, 1), d(2027, 11, 30), d(2026, 11, 2), StatutQF.EN_COURS)
    _qf(s, fc, 10000, d(2025, 1, 1), d(2026, 12, 31), d(2025, 1, 10))  # campaigns passed
    _qf(s, fd, 0, d(2026, 10, 1), d(2027, 10, 31), d(2026, 10, 15), tranche_id=tranches[1].id)
    s.commit()

    assert familles_par_tranche(s, AUJOURDHUI) == [
        Part("Tranche 1", 2),
        Part("Tranche 2", 1),
        Part(SANS_QF, 1),
    ]
    # Before B's second QF: B was in bracket 2.
    assert familles_par_tranche(s, d(2026, 10, 20)) == [
        Part("Tranche 1", 1),
        Part("Tranche 2", 2),
        Part(SANS_QF, 1),
    ]

    envoyer_a_plusieurs(s, fabrique.contexte(d(2026, 11, 3)), [fc.id], SUJET_RELANCE, "QF ?")
    s.commit()
    campagne = avancement_campagne(s, AUJOURDHUI)
    assert campagne.echeance == d(2027, 3, 1)
    assert (campagne.familles, campagne.a_jour, campagne.a_relancer) == (4, 3, 1)
    # C's declaration of 02/11 came before its reminder of 03/11: not an answer to it.
    assert (campagne.relancees, campagne.declarees) == (1, 0)


def test_demandes_en_attente_par_type_et_age(s):
    fabrique.structure(s)
    ((f, _),) = _familles(s, 1)
    h = dt.datetime
    for type_, quand, statut in [
        (TypeDemande.RESERVATION, h(2026, 11, 27, 8), StatutDemande.EN_ATTENTE),
        (TypeDemande.RESERVATION, h(2026, 11, 25, 17), StatutDemande.EN_ATTENTE),
        (TypeDemande.ABSENCE, h(2026, 11, 24, 23), StatutDemande.EN_ATTENTE),
        (TypeDemande.RESPONSABLE, h(2026, 10, 27, 12), StatutDemande.EN_ATTENTE),
        (TypeDemande.RESPONSABLE, h(2026, 10, 28, 0), StatutDemande.EN_ATTENTE),
        (TypeDemande.CAF, h(2026, 11, 1), StatutDemande.ACCEPTEE),
    ]:
        s.add(Demande(famille_id=f.id, type=type_.value, cree_le=quand, statut=statut.value))
    s.commit()
    vue = demandes_en_attente(s, h(2026, 11, 27, 9))
    assert [(d.libelle, d.par_age, d.total) for d in vue] == [
        ("Responsable", (0, 0, 1, 1), 2),
        ("Réservations", (2, 0, 0, 0), 2),
        ("Absences", (0, 1, 0, 0), 1),
    ]


def _agents(s) -> dict[Role, int]:
    """One active agent per role (no password: argon2 is not needed here)."""
    ids = {}
    for role in Role:
        agent = Agent(
            identifiant=f"t-{role.value}",
            nom="T",
            prenom=role.value,
            role=role.value,
            mot_de_passe_hash="-",
        )
        s.add(agent)
        s.flush()
        ids[role] = agent.id
    s.commit()
    return ids


def test_tableau_de_bord_reserve_au_regisseur(s):
    fabrique.structure(s)
    ids = _agents(s)
    for role in (Role.REGISSEUR, Role.ADMIN):
        vue = tableau_de_bord(s, fabrique.contexte().avec(agent_id=ids[role]), 2026, 11)
        assert (vue.annee, vue.mois, vue.annee_scolaire) == (2026, 11, 2026)
        assert len(vue.argent) == 12
    with pytest.raises(ErreurMetier, match="réservé aux régisseurs"):
        tableau_de_bord(s, fabrique.contexte().avec(agent_id=ids[Role.ACCUEIL]), 2026, 11)


# --- CAF ----------------------------------------------------------------------------------


def _base_caf(s):
    regie, cantine, _ = fabrique.structure(s)
    cantine.duree_caf_minutes, cantine.repas, cantine.ordre = 120, True, 3
    s.add(cantine)
    journee = _activite(
        s, regie, "MER-J", ALSH, "Mercredi journée", "3", ordre=1, duree_caf_minutes=540, repas=True
    )
    am = _activite(
        s, regie, "MER-AM", ALSH, "Mercredi après-midi", "3", ordre=2, duree_caf_minutes=240
    )
    matin = _activite(
        s, regie, "MATIN", "Garderie périscolaire", "Garderie matin", "1245", ordre=4,
        duree_caf_minutes=90,
    )  # fmt: skip
    sans_heures = _activite(s, regie, "SORTIE", ALSH, "Sortie", "3", ordre=5)
    (fa, a), (fb, b), (fc, c) = _familles(s, 3)
    d = dt.date
    s.add_all(
        fabrique.jours(a, journee, [d(2026, 3, 4), d(2025, 12, 31)])
        + fabrique.jours(a, am, [d(2026, 3, 4), d(2026, 3, 11)])  # 4/3: over the cap
        + fabrique.jours(a, am, [d(2026, 3, 18)], E.HORS_CONTRAT)
        + fabrique.jours(a, am, [d(2026, 3, 25)], E.RESERVE)  # booked, not present
        + fabrique.jours(a, sans_heures, [d(2026, 3, 11)])  # not declared to the CAF
        + fabrique.jours(a, cantine, [d(2026, 3, 2)])
        + fabrique.jours(a, matin, [d(2026, 3, 2)])
        + fabrique.jours(b, am, [d(2026, 4, 1)])
        + fabrique.jours(b, journee, [d(2026, 9, 2)])
        + fabrique.jours(c, matin, [d(2026, 3, 2)])
    )
    _qf(s, fa, 30000, d(2026, 3, 1), d(2027, 2, 28), d(2026, 3, 1))
    s.commit()
    return fa, fb, fc


def test_statistiques_caf_d_une_structure(s):
    _base_caf(s)
    stats = statistiques_caf(s, 2026, "accueil de loisirs alsh")  # case ignored
    assert stats.structure == ALSH
    assert (stats.plafond_journee, stats.plafond_demi_journee) == (540, 240)
    assert stats.activites == [f"{ALSH} Mercredi journée", f"{ALSH} Mercredi après-midi"]
    mars, avril, septembre = 2, 3, 8
    journee, am = stats.heures[stats.activites[0]], stats.heures[stats.activites[1]]
    # 4/3: journée 9 h + après-midi 4 h, capped at 9 h (a meal): the après-midi counts 0.
    assert journee[mars] == 540 and journee[septembre] == 540 and sum(journee) == 1080
    assert am[mars] == 480 and am[avril] == 240 and sum(am) == 720
    assert stats.enfants_par_activite == {stats.activites[0]: 2, stats.activites[1]: 2}
    assert stats.enfants == 2
    assert stats.total_minutes == 1800
    assert [(n.nom, n.jours, n.minutes, n.tranche) for n in stats.nominatif] == [
        ("ANDRE", 3, 1020, "Tranche 1"),
        ("BLANC", 2, 780, SANS_QF),
    ]
    assert stats.nominatif[0].date_naissance == dt.date(2017, 2, 28)
    assert stats.par_tranche == {"Tranche 1": (1, 1020), SANS_QF: (1, 780)}


def test_statistiques_caf_toutes_structures_et_plafonds_reglables(s):
    _base_caf(s)
    stats = statistiques_caf(s, 2026)
    garderie = stats.heures["Garderie périscolaire Garderie matin"]
    assert garderie[2] == 180  # A and C, 1 h 30 each
    assert stats.heures["Garderie périscolaire Restauration scolaire"][2] == 120
    assert stats.enfants == 3
    assert stats.total_minutes == 1800 + 300
    assert stats.par_tranche == {"Tranche 1": (1, 1230), SANS_QF: (2, 870)}

    reglages = s.exec(select(Collectivite)).one()
    reglages.caf_plafond_journee_minutes = 480
    reglages.caf_plafond_demi_journee_minutes = 180
    s.add(reglages)
    s.commit()
    stats = statistiques_caf(s, 2026, ALSH)
    assert stats.heures[f"{ALSH} Mercredi journée"][2] == 480
    assert stats.heures[f"{ALSH} Mercredi après-midi"][2] == 360  # 2 × 3 h, 4/3 capped away
    with pytest.raises(ErreurMetier, match="structure inconnue « Piscine »"):
        statistiques_caf(s, 2026, "Piscine")


def test_plafonds_caf_saisis_en_heures_et_minutes():
    saisies = ["9 h", "9", "9h30", "9 H 30", "9:30", "4 h 05 min", "45 min", " 12h "]
    assert [minutes_saisies(t) for t in saisies] == [540, 540, 570, 570, 570, 245, 45, 720]
    for illisible in ("", "neuf", "9,5", "9 h 75", "100", "-4 h"):
        with pytest.raises(ValueError, match="heures et minutes|minutes vont de 0 à 59"):
            minutes_saisies(illisible)
    assert [heures_minutes(m) for m in (540, 270, 245, 45)] == ["9 h", "4 h 30", "4 h 05", "0 h 45"]
    assert erreurs_plafonds_caf(540, 240) == {}
    assert erreurs_plafonds_caf(20, 240) == {
        "journee": "Le plafond de la journée va de 0 h 30 à 24 h."
    }
    assert erreurs_plafonds_caf(540, 1441) == {
        "demi_journee": "Le plafond de la demi-journée va de 0 h 30 à 24 h."
    }
    assert erreurs_plafonds_caf(240, 300) == {
        "demi_journee": "La demi-journée dépasse la journée (4 h)."
    }
    assert erreurs_plafonds_caf(True, "4 h") == {
        "journee": "Le plafond de la journée va de 0 h 30 à 24 h.",
        "demi_journee": "Le plafond de la demi-journée va de 0 h 30 à 24 h.",
    }


def test_plafonds_caf_regles_par_l_administrateur(s):
    _base_caf(s)
    ids = _agents(s)
    assert plafonds_caf(s) == PlafondsCaf(540, 240)
    for role in (Role.ACCUEIL, Role.REGISSEUR):
        with pytest.raises(ErreurMetier, match="Seul un administrateur .* plafonds"):
            parametrer_plafonds_caf(s, fabrique.contexte().avec(agent_id=ids[role]), 480, 180)
    admin = fabrique.contexte().avec(agent_id=ids[Role.ADMIN])
    with pytest.raises(ErreurMetier, match="dépasse la journée") as refus:
        parametrer_plafonds_caf(s, admin, 240, 300)
    assert refus.value.champ == "demi_journee"
    s.rollback()
    assert plafonds_caf(s) == PlafondsCaf(540, 240)

    assert parametrer_plafonds_caf(s, admin, 480, 180) == PlafondsCaf(480, 180)
    s.commit()
    journal = s.exec(select(Journal).where(Journal.action == "plafonds caf parametres")).one()
    assert journal.agent_id == ids[Role.ADMIN]
    assert journal.avant == {
        "caf_plafond_journee_minutes": 540,
        "caf_plafond_demi_journee_minutes": 240,
    }
    assert journal.apres == {
        "caf_plafond_journee_minutes": 480,
        "caf_plafond_demi_journee_minutes": 180,
    }
    # The statistics read the new caps (counted by hand in the test above).
    stats = statistiques_caf(s, 2026, ALSH)
    assert (stats.plafond_journee, stats.plafond_demi_journee) == (480, 180)
    assert stats.heures[f"{ALSH} Mercredi après-midi"][2] == 360
    # Only what changes is journaled; nothing changed, nothing written.
    parametrer_plafonds_caf(s, admin, 480, 210)
    parametrer_plafonds_caf(s, admin, 480, 210)
    s.commit()
    lignes = s.exec(select(Journal).where(Journal.action == "plafonds caf parametres")).all()
    assert [ligne.apres for ligne in lignes][1:] == [{"caf_plafond_demi_journee_minutes": 210}]


def test_heures_en_francais():
    assert [heures(m) for m in (0, 90, 540, 20, 1020)] == ["0", "1,5", "9", "0,33", "17"]


def test_csv_caf_pour_excel(s):
    from exports.tableur import csv_caf

    _base_caf(s)
    contenu = csv_caf(statistiques_caf(s, 2026, ALSH))
    assert contenu.startswith(b"\xef\xbb\xbf")
    lignes = contenu.decode("utf-8-sig").split("\r\n")
    assert lignes[0] == f"Statistiques CAF;2026;{ALSH}"
    assert lignes[3].startswith("Heures réalisées;Janvier;Février;Mars;")
    assert lignes[4] == f"{ALSH} Mercredi journée;0;0;9;0;0;0;0;0;9;0;0;0;18;2"
    assert "ANDRE;Enfant0;28/02/2017;Tranche 1;3;17" in contenu.decode("utf-8-sig")


def test_commande_statistiques_caf(fichier_demo, tmp_path, capsys):
    """`guichet statistiques caf`: the same figures as the screen, as a CSV for Excel."""
    import shutil

    from exports.tableur import csv_caf
    from modele.db import creer_engine, lire
    from tui.cli import main
    from tui.config import url_sqlite

    base = tmp_path / "guichet.db"
    shutil.copy(fichier_demo, base)
    sortie = tmp_path / "caf.csv"
    commande = ["--base", str(base), "--date", "2026-11-27", "statistiques", "caf"]
    assert main([*commande, "--annee", "2026", "--structure", ALSH, "--sortie", str(sortie)]) == 0
    engine = creer_engine(url_sqlite(base))
    stats = lire(engine, lambda session: statistiques_caf(session, 2026, ALSH))
    engine.dispose()
    assert stats.enfants > 0 and stats.total_minutes > 0  # the demo has ALSH presences
    assert sortie.read_bytes() == csv_caf(stats)
    assert f"{stats.enfants} enfants, {heures(stats.total_minutes)} heures" in (
        capsys.readouterr().out
    )
    assert main([*commande, "--annee", "2026", "--structure", "Piscine"]) == 1
    assert "structure inconnue « Piscine »" in capsys.readouterr().err
    assert main([*commande, "--annee", "2026"]) == 0  # every structure, in the exports folder
    assert capsys.readouterr().out.strip().endswith("statistiques-caf-2026.csv")
