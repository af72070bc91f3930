"""Planning rules directly: deadlines, capacity, exclusive pair, states, certificates."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from modele.base import ErreurMetier
from modele.demandes import StatutDemande, accepter_demande, refuser_demande, retirer_demande
from modele.grille import Fond, grille
from modele.journal import Journal
from modele.planning import (
    Activite,
    Consommation,
    Inscription,
    PeriodeCalendrier,
    TypeCalendrier,
    est_facturee,
)
from modele.planning import (
    EtatConsommation as E,
)
from modele.reservations import (
    MotifAbsence,
    date_limite,
    declarer_absence,
    demander_reservation,
    enregistrer_certificat,
    etat_absence,
    jours_de_la_semaine,
    jours_reservables,
    limite_certificat,
    pointer,
)
from modele.tables.planning import CelluleFermee
from tests import fabrique

MERCREDIS_MARS = [dt.date(2026, 3, d) for d in (4, 11, 18, 25)]


@pytest.fixture
def monde(s):
    regie, cantine, tranches = fabrique.structure(s)
    mercredi = Activite(
        regie_id=regie.id,
        code="MER",
        structure="Accueil de Loisirs ALSH",
        libelle="Mercredi après-midi",
        jours="3",
        capacite=2,
    )
    tl = Activite(
        regie_id=regie.id,
        code="TL",
        structure="Garderie périscolaire",
        libelle="Temps libre",
        jours="1245",
        groupe_exclusif="soir",
    )
    ad = Activite(
        regie_id=regie.id,
        code="AD",
        structure="Garderie périscolaire",
        libelle="Aide aux devoirs",
        jours="1245",
        groupe_exclusif="soir",
    )
    s.add_all([mercredi, tl, ad])
    s.flush()
    famille, enfant = fabrique.famille(s)
    for activite in (mercredi, tl, ad, cantine):
        s.add(
            Inscription(
                enfant_id=enfant.id,
                activite_id=activite.id,
                annee_scolaire=2025,
                date_debut=dt.date(2025, 9, 1),
                date_fin=dt.date(2026, 8, 31),
            )
        )
    s.add(
        PeriodeCalendrier(
            type=TypeCalendrier.FERIE,
            libelle="Lundi de Pâques",
            debut=dt.date(2026, 4, 6),
            fin=dt.date(2026, 4, 6),
        )
    )
    s.add(
        PeriodeCalendrier(
            type=TypeCalendrier.PETITES_VACANCES,
            libelle="Printemps",
            debut=dt.date(2026, 4, 18),
            fin=dt.date(2026, 5, 3),
        )
    )
    s.commit()
    return famille, enfant, mercredi, tl, ad, cantine


# --- deadline arithmetic ---------------------------------------------------------------------


def test_delai_deux_jours_ouvres_enjambe_le_week_end():
    activite = Activite(
        regie_id=1,
        code="X",
        structure="",
        libelle="",
        delai_jours_ouvres=2,
        heure_limite=dt.time(12),
    )
    # Monday 9 March 2026: two working days before is Thursday 5 March.
    assert date_limite(activite, dt.date(2026, 3, 9), set()) == dt.datetime(2026, 3, 5, 12)
    # Wednesday: Monday.
    assert date_limite(activite, dt.date(2026, 3, 11), set()) == dt.datetime(2026, 3, 9, 12)


def test_delai_saute_les_jours_feries():
    activite = Activite(
        regie_id=1,
        code="X",
        structure="",
        libelle="",
        delai_jours_ouvres=2,
        heure_limite=dt.time(12),
    )
    paques = {dt.date(2026, 4, 6)}
    # Wednesday 8 April 2026: Tuesday 7, (Monday 6 is Easter Monday), Friday 3.
    assert date_limite(activite, dt.date(2026, 4, 8), paques) == dt.datetime(2026, 4, 3, 12)


def test_tous_les_mercredis_du_mois_fevrier_bissextile():
    assert jours_de_la_semaine(dt.date(2024, 2, 7)) == [
        dt.date(2024, 2, d) for d in (7, 14, 21, 28)
    ]
    assert jours_de_la_semaine(dt.date(2024, 2, 29)) == [
        dt.date(2024, 2, d) for d in (1, 8, 15, 22, 29)
    ]


# --- bookings --------------------------------------------------------------------------------


def test_reservation_en_cours_puis_acceptee(s, monde):
    famille, enfant, mercredi, *_ = monde
    ctx = fabrique.contexte(dt.date(2026, 2, 20))
    demande = demander_reservation(s, ctx, enfant.id, mercredi.id, MERCREDIS_MARS)
    s.commit()
    etats = {c.jour: c.etat for c in s.exec(select(Consommation))}
    assert set(etats.values()) == {E.RESERVATION_EN_COURS}
    accepter_demande(s, ctx, demande)
    s.commit()
    assert {c.etat for c in s.exec(select(Consommation))} == {E.RESERVE}
    assert demande.statut == StatutDemande.ACCEPTEE


def test_reservation_refusee_puis_redemandee(s, monde):
    _, enfant, mercredi, *_ = monde
    ctx = fabrique.contexte(dt.date(2026, 2, 20))
    demande = demander_reservation(s, ctx, enfant.id, mercredi.id, MERCREDIS_MARS[:1])
    refuser_demande(s, ctx, demande, "Complet")
    assert s.exec(select(Consommation)).one().etat == E.RESERVATION_REFUSEE
    demander_reservation(s, ctx, enfant.id, mercredi.id, MERCREDIS_MARS[:1])
    assert s.exec(select(Consommation)).one().etat == E.RESERVATION_EN_COURS


def test_reservation_retiree_libere_les_jours(s, monde):
    _, enfant, mercredi, *_ = monde
    ctx = fabrique.contexte(dt.date(2026, 2, 20))
    demande = demander_reservation(s, ctx, enfant.id, mercredi.id, MERCREDIS_MARS[:2])
    retirer_demande(s, ctx, demande)
    s.flush()
    assert s.exec(select(Consommation)).all() == []


def test_delai_depasse_refuse_sauf_derogation(s, monde):
    _, enfant, mercredi, *_ = monde
    ctx = fabrique.contexte(dt.date(2026, 3, 10))  # Tuesday 9:00, deadline Monday 12:00
    with pytest.raises(ErreurMetier, match="Délai dépassé pour le 11/03/2026"):
        demander_reservation(s, ctx, enfant.id, mercredi.id, [dt.date(2026, 3, 11)])
    demande = demander_reservation(
        s, ctx, enfant.id, mercredi.id, [dt.date(2026, 3, 11)], derogation=True
    )
    assert "délai dépassé" in demande.commentaire


def test_delai_depasse_nomme_chaque_jour(s, monde):
    """Several days past their deadline: each named with its own, so that a derogation is
    asked for all of them (the question named the first only)."""
    _, enfant, mercredi, *_ = monde
    ctx = fabrique.contexte(dt.date(2026, 3, 17))  # Tuesday: 11 and 18 March are late
    jours = [dt.date(2026, 3, 11), dt.date(2026, 3, 18), dt.date(2026, 3, 25)]
    with pytest.raises(ErreurMetier) as refus:
        demander_reservation(s, ctx, enfant.id, mercredi.id, jours)
    assert refus.value.message == (
        "Délai dépassé pour 2 jours : le 11/03/2026 (jusqu'au 09/03 à 12:00), "
        "le 18/03/2026 (jusqu'au 16/03 à 12:00)."
    )
    demande = demander_reservation(s, ctx, enfant.id, mercredi.id, jours, derogation=True)
    assert demande.commentaire == "délai dépassé le 11/03/2026; délai dépassé le 18/03/2026"


def test_capacite(s, monde):
    famille, enfant, mercredi, *_ = monde
    ctx = fabrique.contexte(dt.date(2026, 2, 20))
    for numero in ("2", "3"):
        _, autre = fabrique.famille(s, numero=f"100000000000{numero}", nom=f"AUTRE{numero}")
        s.add(
            Inscription(
                enfant_id=autre.id,
                activite_id=mercredi.id,
                annee_scolaire=2025,
                date_debut=dt.date(2025, 9, 1),
                date_fin=dt.date(2026, 8, 31),
            )
        )
        s.flush()
        demander_reservation(s, ctx, autre.id, mercredi.id, [dt.date(2026, 3, 4)])
    with pytest.raises(ErreurMetier, match="Complet le 04/03/2026"):
        demander_reservation(s, ctx, enfant.id, mercredi.id, [dt.date(2026, 3, 4)])


def test_temps_libre_ou_aide_aux_devoirs(s, monde):
    _, enfant, _, tl, ad, _ = monde
    ctx = fabrique.contexte(dt.date(2026, 2, 20))
    demander_reservation(s, ctx, enfant.id, tl.id, [dt.date(2026, 3, 2)])
    with pytest.raises(ErreurMetier, match="« Temps libre » est déjà réservé"):
        demander_reservation(s, ctx, enfant.id, ad.id, [dt.date(2026, 3, 2)])
    demander_reservation(s, ctx, enfant.id, ad.id, [dt.date(2026, 3, 3)])  # another day: fine


def test_jour_ferie_et_vacances_non_reservables(s, monde):
    _, enfant, mercredi, _, _, cantine = monde
    ctx = fabrique.contexte(dt.date(2026, 3, 1))
    with pytest.raises(ErreurMetier, match="n'est pas ouvert le 06/04/2026"):
        demander_reservation(s, ctx, enfant.id, cantine.id, [dt.date(2026, 4, 6)])
    with pytest.raises(ErreurMetier, match="n'est pas ouvert le 22/04/2026"):
        demander_reservation(s, ctx, enfant.id, mercredi.id, [dt.date(2026, 4, 22)])
    with pytest.raises(ErreurMetier, match="n'est pas ouvert le 07/04/2026"):
        demander_reservation(s, ctx, enfant.id, mercredi.id, [dt.date(2026, 4, 7)])  # a Tuesday


# --- absences --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "motif, certificat, hors_delai, attendu",
    [
        # declared before the deadline: excused whatever the reason, certificate or not
        *[(m, c, False, E.ABSENT_EXCUSE) for m in MotifAbsence for c in (False, True)],
        # after it: only "maladie" with a certificate in time (and a class closure)
        (MotifAbsence.MALADIE, True, True, E.ABSENT_EXCUSE),
        (MotifAbsence.MALADIE, False, True, E.ABSENT_FACTURE),
        (MotifAbsence.FERMETURE_CLASSE, False, True, E.ABSENT_EXCUSE),
        (MotifAbsence.CONVENANCE, False, True, E.ABSENT_FACTURE),
        (MotifAbsence.CONVENANCE, True, True, E.ABSENT_FACTURE),
        (MotifAbsence.AUTRE, False, True, E.ABSENT_FACTURE),
    ],
)
def test_etat_d_une_absence(motif, certificat, hors_delai, attendu):
    assert etat_absence(motif, certificat, hors_delai) == attendu


def test_limite_du_certificat_en_jours_ouvres():
    # Friday 6 March 2026 + 2 working days: Tuesday 10; over Easter Monday: Wednesday 8 April
    assert limite_certificat(dt.date(2026, 3, 6), 2, set()) == dt.date(2026, 3, 10)
    assert limite_certificat(dt.date(2026, 4, 3), 2, {dt.date(2026, 4, 6)}) == dt.date(2026, 4, 8)


def _absence_acceptee(s, enfant, activite, jour, declaree_le, motif, certificat=False):
    _reserver(s, enfant, activite, [jour])
    ctx = fabrique.contexte(declaree_le)
    demande = declarer_absence(
        s, ctx, enfant.id, activite.id, [jour], motif, certificat=certificat, confirme=True
    )
    accepter_demande(s, ctx, demande)
    s.commit()
    return s.exec(select(Consommation).where(Consommation.jour == jour)).one()


@pytest.mark.parametrize("motif", list(MotifAbsence))
def test_absence_declaree_a_temps_excusee_quel_que_soit_le_motif(s, monde, motif):
    _, enfant, mercredi, *_ = monde
    cellule = _absence_acceptee(
        s, enfant, mercredi, dt.date(2026, 3, 11), dt.date(2026, 3, 2), motif
    )
    assert cellule.etat == E.ABSENT_EXCUSE  # "maladie" without certificate too


@pytest.mark.parametrize(
    "motif, attendu",
    [
        (MotifAbsence.MALADIE, E.ABSENT_FACTURE),  # until the certificate comes in time
        (MotifAbsence.CONVENANCE, E.ABSENT_FACTURE),
        (MotifAbsence.AUTRE, E.ABSENT_FACTURE),
        (MotifAbsence.FERMETURE_CLASSE, E.ABSENT_EXCUSE),
    ],
)
def test_absence_declaree_hors_delai(s, monde, motif, attendu):
    _, enfant, mercredi, *_ = monde
    cellule = _absence_acceptee(
        s, enfant, mercredi, dt.date(2026, 3, 11), dt.date(2026, 3, 11), motif
    )
    assert cellule.etat == attendu


def test_certificat_donne_a_la_declaration_tardive(s, monde):
    _, enfant, mercredi, *_ = monde
    # declared on Friday 13 with the certificate: within 2 working days of Wednesday 11
    a_temps = _absence_acceptee(
        s,
        enfant,
        mercredi,
        dt.date(2026, 3, 11),
        dt.date(2026, 3, 13),
        MotifAbsence.MALADIE,
        certificat=True,
    )
    assert a_temps.etat == E.ABSENT_EXCUSE and a_temps.certificat
    # declared on Monday 23 for Wednesday 18 with the certificate: too late, billed
    tardif = _absence_acceptee(
        s,
        enfant,
        mercredi,
        dt.date(2026, 3, 18),
        dt.date(2026, 3, 23),
        MotifAbsence.MALADIE,
        certificat=True,
    )
    assert tardif.etat == E.ABSENT_FACTURE and not tardif.certificat


def test_certificat_hors_delai_refuse_et_delai_de_la_collectivite(s, monde):
    from modele.structure import Collectivite

    _, enfant, mercredi, *_ = monde
    jour = dt.date(2026, 3, 11)
    cellule = _absence_acceptee(s, enfant, mercredi, jour, jour, MotifAbsence.MALADIE)
    le_16 = fabrique.contexte(dt.date(2026, 3, 16))  # Wednesday + 2 working days: Friday 13
    with pytest.raises(
        ErreurMetier,
        match="Certificat hors délai : il devait être enregistré "
        "au plus tard le 13/03/2026 .2 jours ouvrés",
    ):
        enregistrer_certificat(s, le_16, enfant.id, mercredi.id, jour)
    s.rollback()
    assert s.get(Consommation, cellule.id).etat == E.ABSENT_FACTURE
    commune = s.exec(select(Collectivite)).one()
    commune.delai_certificat_jours_ouvres = 5  # the collectivité's own delay
    s.add(commune)
    s.commit()
    enregistrer_certificat(s, le_16, enfant.id, mercredi.id, jour)
    assert s.get(Consommation, cellule.id).etat == E.ABSENT_EXCUSE


def test_certificat_apres_facturation_fait_l_avoir_du_jour(s, monde):
    """Issue 14.5: a certificate in time for a day already invoiced is one confirmed action:
    the credit note for that day only, the certificate, the day excused."""
    from modele.controle import anomalies_grand_livre
    from modele.facturation import Facture, LigneFacture, NatureFacture

    _, enfant, _, _, _, cantine = monde
    lundi = dt.date(2026, 3, 30)
    _reserver(s, enfant, cantine, [dt.date(2026, 3, 23), dt.date(2026, 3, 24)])
    cellule = _absence_acceptee(s, enfant, cantine, lundi, lundi, MotifAbsence.MALADIE)
    assert cellule.etat == E.ABSENT_FACTURE
    [facture] = fabrique.facturer(
        s,
        fabrique.contexte(dt.date(2026, 3, 31)),
        cantine.regie_id,
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 31),
        dt.date(2026, 3, 31),
    )
    s.commit()
    assert facture.total == 3 * 405
    le_1er = fabrique.contexte(dt.date(2026, 4, 1))  # within 2 working days of the 30th
    with pytest.raises(
        ErreurMetier,
        match=r"facturé sur AL-1 : le certificat l'excuse par un "
        r"avoir de 4,05.€ pour ce jour",
    ) as refus:
        enregistrer_certificat(s, le_1er, enfant.id, cantine.id, lundi)
    assert refus.value.champ == "avoir"
    s.rollback()
    assert not s.exec(select(Facture).where(Facture.nature == NatureFacture.AVOIR)).all()
    enregistrer_certificat(s, le_1er, enfant.id, cantine.id, lundi, avec_avoir=True)
    s.commit()
    cellule = s.get(Consommation, cellule.id)
    assert cellule.etat == E.ABSENT_EXCUSE and cellule.certificat
    assert not est_facturee(s, cellule)
    [avoir] = s.exec(select(Facture).where(Facture.nature == NatureFacture.AVOIR)).all()
    assert (avoir.facture_origine_id, avoir.total, avoir.motif) == (
        facture.id,
        405,
        "Certificat médical du 30/03/2026",
    )
    [ligne] = s.exec(select(LigneFacture).where(LigneFacture.facture_id == avoir.id)).all()
    assert (ligne.quantite, ligne.libelle) == (
        1,
        "Léo — Garderie périscolaire Restauration scolaire (30/03)",
    )
    autres = s.exec(select(Consommation).where(Consommation.jour < lundi)).all()
    assert all(est_facturee(s, c) for c in autres)  # the other days stay on the invoice
    assert anomalies_grand_livre(s) == []
    # nothing left to bill for March: the excused day is not billed again
    assert (
        fabrique.facturer(
            s,
            le_1er,
            cantine.regie_id,
            dt.date(2026, 3, 1),
            dt.date(2026, 3, 31),
            dt.date(2026, 4, 1),
        )
        == []
    )


def _reserver(s, enfant, activite, jours):
    s.add_all(fabrique.jours(enfant, activite, jours, E.RESERVE))
    s.commit()


def test_absence_maladie_certificat_plus_tard(s, monde):
    _, enfant, mercredi, *_ = monde
    _reserver(s, enfant, mercredi, [dt.date(2026, 3, 11)])
    ctx = fabrique.contexte(dt.date(2026, 3, 11))
    with pytest.raises(ErreurMetier, match="confirmée"):
        declarer_absence(
            s, ctx, enfant.id, mercredi.id, [dt.date(2026, 3, 11)], MotifAbsence.MALADIE
        )
    demande = declarer_absence(
        s, ctx, enfant.id, mercredi.id, [dt.date(2026, 3, 11)], MotifAbsence.MALADIE, confirme=True
    )
    assert s.exec(select(Consommation)).one().etat == E.ABSENCE_EN_COURS
    accepter_demande(s, ctx, demande)
    cellule = s.exec(select(Consommation)).one()
    assert cellule.etat == E.ABSENT_FACTURE  # no certificate yet: billed
    enregistrer_certificat(s, ctx, enfant.id, mercredi.id, dt.date(2026, 3, 11))
    assert cellule.etat == E.ABSENT_EXCUSE and cellule.certificat


def test_absence_refusee_revient_a_l_etat_reserve(s, monde):
    _, enfant, mercredi, *_ = monde
    _reserver(s, enfant, mercredi, [dt.date(2026, 3, 11)])
    ctx = fabrique.contexte(dt.date(2026, 3, 2))
    demande = declarer_absence(
        s,
        ctx,
        enfant.id,
        mercredi.id,
        [dt.date(2026, 3, 11)],
        MotifAbsence.CONVENANCE,
        confirme=True,
    )
    refuser_demande(s, ctx, demande, "Pas de justificatif")
    assert s.exec(select(Consommation)).one().etat == E.RESERVE


def test_absence_sur_jour_non_reserve_refusee(s, monde):
    _, enfant, mercredi, *_ = monde
    with pytest.raises(ErreurMetier, match="n'est pas une journée réservée"):
        declarer_absence(
            s,
            fabrique.contexte(),
            enfant.id,
            mercredi.id,
            [dt.date(2026, 3, 11)],
            MotifAbsence.AUTRE,
            confirme=True,
        )


# --- presence recording and invoiced days ---------------------------------------------------


def test_pointage_d_un_jour_facture(s, monde):
    famille, enfant, _, _, _, cantine = monde
    regie_id = cantine.regie_id
    s.add_all(fabrique.jours(enfant, cantine, [dt.date(2026, 3, 2)], E.RESERVE))
    s.commit()
    fabrique.facturer(
        s,
        fabrique.contexte(),
        regie_id,
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 5),
    )
    ctx = fabrique.contexte(dt.date(2026, 4, 10))
    pointer(s, ctx, enfant.id, cantine.id, dt.date(2026, 3, 2), E.PRESENT)  # billed → billed
    with pytest.raises(ErreurMetier, match="avoir"):
        pointer(s, ctx, enfant.id, cantine.id, dt.date(2026, 3, 2), E.ABSENT_EXCUSE)
    with pytest.raises(ErreurMetier, match="jour à venir"):
        pointer(s, ctx, enfant.id, cantine.id, dt.date(2026, 4, 13), E.PRESENT)


def test_pointage_d_un_jour_sans_accueil(s, monde):
    """A day the activity does not run: nothing to record there, so nothing billed; a cell
    already there (booked before a closure) is only set to a state that does not bill."""
    _, enfant, _, _, _, cantine = monde
    dimanche = dt.date(2026, 3, 1)
    ctx = fabrique.contexte(dt.date(2026, 3, 10))
    for etat in (E.PRESENT, E.ABSENT_FACTURE, E.ABSENT_EXCUSE):
        with pytest.raises(ErreurMetier, match="n'est pas ouvert le 01/03/2026 .* rien à pointer"):
            pointer(s, ctx, enfant.id, cantine.id, dimanche, etat)
        s.rollback()
    assert not s.exec(select(Consommation).where(Consommation.jour == dimanche)).all()
    s.add_all(fabrique.jours(enfant, cantine, [dimanche], E.RESERVE))
    s.commit()
    with pytest.raises(ErreurMetier, match="« Présent » y serait facturé"):
        pointer(s, ctx, enfant.id, cantine.id, dimanche, E.PRESENT)
    s.rollback()
    pointer(s, ctx, enfant.id, cantine.id, dimanche, E.ABSENT_EXCUSE)
    s.commit()
    cellule = s.exec(select(Consommation).where(Consommation.jour == dimanche)).one()
    assert cellule.etat == E.ABSENT_EXCUSE


def test_pointage_exclusif_refuse_ou_force_avec_motif(s, monde):
    """Issue 14.7: "aide aux devoirs" pointed present on a day "temps libre" is booked is
    refused naming the other; forced with a reason (journaled), the day is billed once."""
    from modele.facturation import LigneFacture, Tarif
    from modele.journal import Journal

    _, enfant, _, tl, ad, cantine = monde
    tranches = s.exec(select(Tarif.tranche_id).where(Tarif.activite_id == cantine.id)).all()
    s.add_all(
        [
            Tarif(activite_id=a.id, tranche_id=t, prix_unitaire=p, valide_du=dt.date(2000, 1, 1))
            for a, p in ((tl, 100), (ad, 150))
            for t in tranches
        ]
    )
    lundi = dt.date(2026, 3, 2)
    _reserver(s, enfant, tl, [lundi])
    ctx = fabrique.contexte(dt.date(2026, 3, 3))
    pointer(s, ctx, enfant.id, ad.id, lundi, E.ABSENT_EXCUSE)  # not billed: no conflict
    with pytest.raises(
        ErreurMetier,
        match="Le 02/03/2026, « Temps libre » est « Réservé » : une "
        "seule des deux activités « Temps libre » ou « Aide "
        "aux devoirs » par jour",
    ) as refus:
        pointer(s, ctx, enfant.id, ad.id, lundi, E.PRESENT)
    assert refus.value.champ == "derogation"
    s.rollback()
    with pytest.raises(ErreurMetier, match="par jour"):
        pointer(s, ctx, enfant.id, ad.id, lundi, E.PRESENT, derogation="   ")
    s.rollback()
    pointer(s, ctx, enfant.id, ad.id, lundi, E.PRESENT, derogation="Envoyé par l'enseignant")
    s.commit()
    etats = {c.activite_id: c.etat for c in s.exec(select(Consommation))}
    assert etats == {tl.id: E.ABSENT_EXCUSE, ad.id: E.PRESENT}
    details = [j.detail for j in s.exec(select(Journal).where(Journal.action == "pointage"))]
    assert any(
        "Aide aux devoirs le 02/03/2026 : Présent (dérogation : Envoyé par l'enseignant)" in d
        for d in details
    )
    assert any("Temps libre le 02/03/2026 : Absent excusé" in d for d in details)
    # the other way round now conflicts too
    with pytest.raises(ErreurMetier, match="« Aide aux devoirs » est « Présent »"):
        pointer(s, ctx, enfant.id, tl.id, lundi, E.PRESENT)
    s.rollback()
    [facture] = fabrique.facturer(
        s, ctx, cantine.regie_id, dt.date(2026, 3, 1), dt.date(2026, 3, 31), dt.date(2026, 4, 1)
    )
    lignes = s.exec(select(LigneFacture).where(LigneFacture.facture_id == facture.id)).all()
    assert [(lg.activite_id, lg.quantite) for lg in lignes] == [(ad.id, 1)]


# --- closures recorded after bookings (issue 14.2) --------------------------------------------


def test_fermeture_apres_reservations_ni_facturee_ni_perdue(s, monde):
    """A strike at the canteen on Thursday 12 March recorded on the 11th: the day's canteen
    bookings become "Fermeture" (not billed), the other activities and days stay; a pending
    request on that day, refused later, keeps it closed; the families are listed."""
    from modele.calendrier import enregistrer_periode, familles_fermees, message_fermeture
    from modele.facturation import LigneFacture, Tarif

    famille, enfant, _, tl, _, cantine = monde
    s.add_all(
        [
            Tarif(activite_id=tl.id, tranche_id=t, prix_unitaire=100, valide_du=dt.date(2000, 1, 1))
            for t in s.exec(select(Tarif.tranche_id).where(Tarif.activite_id == cantine.id))
        ]
    )
    jeudi = dt.date(2026, 3, 12)
    _reserver(s, enfant, cantine, [dt.date(2026, 3, 10), jeudi])
    _reserver(s, enfant, tl, [jeudi])
    absence = declarer_absence(
        s,
        fabrique.contexte(dt.date(2026, 3, 2)),
        enfant.id,
        cantine.id,
        [dt.date(2026, 3, 10)],
        MotifAbsence.CONVENANCE,
        confirme=True,
    )
    s.commit()
    le_11 = fabrique.contexte(dt.date(2026, 3, 11))
    periode = enregistrer_periode(
        s, le_11, TypeCalendrier.FERMETURE, "Grève", jeudi, None, activite_id=cantine.id
    )
    periode_10 = enregistrer_periode(
        s,
        le_11,
        TypeCalendrier.FERMETURE,
        "Panne",
        dt.date(2026, 3, 10),
        None,
        activite_id=cantine.id,
    )
    s.commit()
    etats = {(c.activite_id, c.jour): c.etat for c in s.exec(select(Consommation))}
    assert etats == {
        (cantine.id, dt.date(2026, 3, 10)): E.FERMETURE,
        (cantine.id, jeudi): E.FERMETURE,
        (tl.id, jeudi): E.RESERVE,
    }
    refuser_demande(s, le_11, absence, "Hors délai")  # the closure wins over the request
    s.commit()
    assert (
        s.exec(select(Consommation.etat).where(Consommation.jour == dt.date(2026, 3, 10))).one()
        == E.FERMETURE
    )
    [fermee] = familles_fermees(s, periode.id)
    assert (fermee.famille_id, fermee.numero, fermee.responsable, fermee.jours) == (
        famille.id,
        famille.numero,
        "MARTIN Élodie",
        1,
    )
    assert len(familles_fermees(s, periode_10.id)) == 1
    sujet, corps = message_fermeture(s, periode.id)
    assert sujet == "Fermeture le 12/03/2026 : Grève"
    assert "« Garderie périscolaire Restauration scolaire » sera fermé le 12/03/2026" in corps
    [facture] = fabrique.facturer(
        s, le_11, cantine.regie_id, dt.date(2026, 3, 1), dt.date(2026, 3, 31), dt.date(2026, 3, 31)
    )
    lignes = s.exec(select(LigneFacture).where(LigneFacture.facture_id == facture.id)).all()
    assert [lg.activite_id for lg in lignes] == [tl.id]  # the canteen's closed days: nothing


def _facturer_mars(s, cantine):
    """March billed on the 31st (the canteen's régie), committed: its invoices."""
    factures = fabrique.facturer(
        s,
        fabrique.contexte(dt.date(2026, 3, 31)),
        cantine.regie_id,
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 31),
        dt.date(2026, 3, 31),
    )
    s.commit()
    return factures


def test_fermeture_d_un_jour_deja_facture_propose_les_avoirs(s, monde):
    from modele.calendrier import enregistrer_periode
    from modele.controle import anomalies_grand_livre
    from modele.facturation import Facture, NatureFacture

    _, enfant, _, _, _, cantine = monde
    jeudi = dt.date(2026, 3, 19)
    _reserver(s, enfant, cantine, [dt.date(2026, 3, 16), jeudi])
    [facture] = _facturer_mars(s, cantine)
    le_2_avril = fabrique.contexte(dt.date(2026, 4, 2))
    with pytest.raises(
        ErreurMetier,
        match=r"1 jour de la fermeture est déjà facturé \(1 famille, "
        r"AL-1\) : avoirs de 4,05.€",
    ) as refus:
        enregistrer_periode(
            s, le_2_avril, TypeCalendrier.FERMETURE, "Grève", jeudi, None, activite_id=cantine.id
        )
    assert refus.value.champ == "avoirs"
    s.rollback()
    assert not s.exec(
        select(PeriodeCalendrier).where(PeriodeCalendrier.type == TypeCalendrier.FERMETURE)
    ).all()
    enregistrer_periode(
        s,
        le_2_avril,
        TypeCalendrier.FERMETURE,
        "Grève",
        jeudi,
        None,
        activite_id=cantine.id,
        avoirs=True,
    )
    s.commit()
    [avoir] = s.exec(select(Facture).where(Facture.nature == NatureFacture.AVOIR)).all()
    assert (avoir.facture_origine_id, avoir.total, avoir.motif) == (
        facture.id,
        405,
        "Fermeture du 19/03/2026 : Grève",
    )
    cellules = {c.jour: c for c in s.exec(select(Consommation))}
    assert cellules[jeudi].etat == E.FERMETURE and not est_facturee(s, cellules[jeudi])
    assert est_facturee(s, cellules[dt.date(2026, 3, 16)])
    assert anomalies_grand_livre(s) == []


def test_fermeture_supprimee_ou_raccourcie_rend_les_jours(s, monde):
    """A closure deleted gave no booking back: its days stayed « Fermeture », unbilled. Now
    each cell gets its state before back, unless another closure covers it; a closure
    shortened opens the days it left; a day credited and opened again is billed by the next
    run (a regularisation)."""
    from modele.calendrier import enregistrer_periode, jours_fermes, supprimer_periode
    from modele.facturation import LigneFacture, Tarif

    famille, enfant, _, tl, _, cantine = monde
    s.add_all(
        [
            Tarif(activite_id=tl.id, tranche_id=t, prix_unitaire=100, valide_du=dt.date(2000, 1, 1))
            for t in s.exec(select(Tarif.tranche_id).where(Tarif.activite_id == cantine.id))
        ]
    )
    lundi, mardi, jeudi = dt.date(2026, 3, 9), dt.date(2026, 3, 10), dt.date(2026, 3, 12)
    _reserver(s, enfant, cantine, [lundi, mardi, jeudi])
    _reserver(s, enfant, tl, [jeudi])
    s.commit()
    le_2 = fabrique.contexte(dt.date(2026, 3, 2))
    greve = enregistrer_periode(s, le_2, TypeCalendrier.FERMETURE, "Grève", lundi, jeudi)
    panne = enregistrer_periode(
        s, le_2, TypeCalendrier.FERMETURE, "Panne", jeudi, None, activite_id=cantine.id
    )
    s.commit()

    def etats():
        return {(c.activite_id, c.jour): c.etat for c in s.exec(select(Consommation))}

    assert set(etats().values()) == {E.FERMETURE}
    # What each deletion would open: not Thursday's canteen, « Panne » closes it too.
    assert (jours_fermes(s, greve.id), jours_fermes(s, panne.id)) == (3, 0)
    # Shortened to Monday–Tuesday: Thursday's canteen stays closed by the other closure,
    # its « Temps libre » is booked again.
    enregistrer_periode(
        s, le_2, TypeCalendrier.FERMETURE, "Grève", lundi, mardi, periode_id=greve.id
    )
    s.commit()
    assert etats()[(tl.id, jeudi)] == E.RESERVE
    assert etats()[(cantine.id, jeudi)] == E.FERMETURE
    assert (jours_fermes(s, greve.id), jours_fermes(s, panne.id)) == (2, 1)
    # Deleted: Monday and Tuesday booked again; then the other one: Thursday too.
    supprimer_periode(s, le_2, greve.id)
    supprimer_periode(s, le_2, panne.id)
    s.commit()
    assert set(etats().values()) == {E.RESERVE}
    assert not s.exec(select(CelluleFermee)).all()
    journal = s.exec(select(Journal).where(Journal.action == "reouverture")).all()
    assert {j.famille_id for j in journal} == {famille.id}
    assert [j.detail for j in journal] == [
        "Grève : 1 jour rendu à son état d'avant la fermeture",  # (shortened)
        "Grève : 2 jours rendus à leur état d'avant la fermeture",
        "Panne : 1 jour rendu à son état d'avant la fermeture",
    ]
    # All billed now, as if never closed.
    [facture] = fabrique.facturer(
        s, le_2, cantine.regie_id, dt.date(2026, 3, 1), dt.date(2026, 3, 31), dt.date(2026, 3, 31)
    )
    lignes = s.exec(select(LigneFacture).where(LigneFacture.facture_id == facture.id)).all()
    assert sum(lg.quantite for lg in lignes) == 4


@pytest.mark.parametrize("acceptee", [True, False])
def test_demande_decidee_pendant_la_fermeture_puis_reouverte(s, monde, acceptee):
    """A booking requested, its day closed, the request decided, the closure deleted: the
    day comes back as decided (it came back « réservation en cours », which nothing bills,
    with no request left to decide)."""
    from modele.calendrier import enregistrer_periode, supprimer_periode

    _, enfant, mercredi, *_ = monde
    ctx = fabrique.contexte(dt.date(2026, 2, 20))
    demande = demander_reservation(s, ctx, enfant.id, mercredi.id, MERCREDIS_MARS[:1])
    greve = enregistrer_periode(s, ctx, TypeCalendrier.FERMETURE, "Grève", MERCREDIS_MARS[0], None)
    s.commit()
    (accepter_demande if acceptee else lambda s, c, d: refuser_demande(s, c, d, "Complet"))(
        s, ctx, demande
    )
    s.commit()
    assert s.exec(select(Consommation.etat)).one() == E.FERMETURE
    supprimer_periode(s, ctx, greve.id)
    s.commit()
    attendu = E.RESERVE if acceptee else E.RESERVATION_REFUSEE
    assert s.exec(select(Consommation.etat)).one() == attendu


def test_absence_retiree_pendant_la_fermeture_rend_la_reservation(s, monde):
    """An absence declared, its day closed, the absence withdrawn, the closure deleted:
    the day is booked again (it came back « absence en cours »)."""
    from modele.calendrier import enregistrer_periode, supprimer_periode

    _, enfant, mercredi, *_ = monde
    _reserver(s, enfant, mercredi, MERCREDIS_MARS[:1])
    ctx = fabrique.contexte(dt.date(2026, 2, 20))
    absence = declarer_absence(
        s, ctx, enfant.id, mercredi.id, MERCREDIS_MARS[:1], MotifAbsence.CONVENANCE, confirme=True
    )
    greve = enregistrer_periode(s, ctx, TypeCalendrier.FERMETURE, "Grève", MERCREDIS_MARS[0], None)
    s.commit()
    retirer_demande(s, ctx, absence)
    supprimer_periode(s, ctx, greve.id)
    s.commit()
    assert s.exec(select(Consommation.etat)).one() == E.RESERVE


def test_fermeture_supprimee_apres_avoir_refacture_le_jour(s, monde):
    """A closure over a billed day (its credit note issued), then deleted: the day is a
    booking again, on no invoice, and the next run bills it as a regularisation."""
    from modele.calendrier import enregistrer_periode, supprimer_periode

    _, enfant, _, _, _, cantine = monde
    jeudi = dt.date(2026, 3, 19)
    _reserver(s, enfant, cantine, [jeudi])
    _facturer_mars(s, cantine)
    le_2_avril = fabrique.contexte(dt.date(2026, 4, 2))
    greve = enregistrer_periode(
        s, le_2_avril, TypeCalendrier.FERMETURE, "Grève", jeudi, None, avoirs=True
    )
    s.commit()
    supprimer_periode(s, le_2_avril, greve.id)
    s.commit()
    cellule = s.exec(select(Consommation)).one()
    assert cellule.etat == E.RESERVE and cellule.a_regulariser
    assert not est_facturee(s, cellule)


# --- the grid ------------------------------------------------------------------------------


def test_grille_du_mois(s, monde):
    _, enfant, mercredi, tl, ad, cantine = monde
    _reserver(s, enfant, mercredi, [dt.date(2026, 4, 1)])
    g = grille(s, enfant.id, 2026, 4)
    assert len(g.jours) == 30
    assert [ligne.activite.libelle for ligne in g.lignes] == [
        "Restauration scolaire",
        "Mercredi après-midi",
        "Temps libre",
        "Aide aux devoirs",
    ]
    mer = next(ligne for ligne in g.lignes if ligne.activite.id == mercredi.id).cellules
    assert mer[0].etat == E.RESERVE
    assert mer[3].fond == Fond.FERME  # Saturday
    cantine_avril = g.lignes[0].cellules
    assert cantine_avril[5].fond == Fond.FERIE  # Easter Monday
    assert cantine_avril[20].fond == Fond.PETITES_VACANCES
    assert cantine_avril[6].fond == Fond.LIBRE and cantine_avril[6].reservable
    # School-year boundary: nothing enrolled for 2026-2027 yet.
    assert grille(s, enfant.id, 2026, 9).lignes == []


# --- enrolments --------------------------------------------------------------------------------


def test_desinscription_garder_sans_frais(s, monde):
    from modele.inscriptions import Futures, desinscrire

    _, enfant, mercredi, *_ = monde
    _reserver(s, enfant, mercredi, [dt.date(2026, 3, 4), dt.date(2026, 3, 18)])
    inscription = s.exec(select(Inscription).where(Inscription.activite_id == mercredi.id)).one()
    nombre = desinscrire(
        s, fabrique.contexte(dt.date(2026, 3, 10)), inscription.id, Futures.GARDER_SANS_FRAIS
    )
    assert nombre == 1
    cellules = {c.jour: c.gratuit for c in s.exec(select(Consommation))}
    assert cellules == {dt.date(2026, 3, 4): False, dt.date(2026, 3, 18): True}
    assert inscription.date_fin == dt.date(2026, 3, 10)


def test_inscription_refusee_hors_niveau(s, monde):
    from modele.inscriptions import inscrire

    _, enfant, _, tl, *_ = monde
    enfant.niveau = "maternelle"
    tl.niveaux = "elementaire"
    with pytest.raises(ErreurMetier, match="n'est pas ouvert au niveau maternelle"):
        inscrire(s, fabrique.contexte(), enfant.id, tl.id, 2026)


def test_jours_factures_marques_et_proteges(s, monde):
    """A billed day (its JourFacture) shows in the grid, refuses an absence, survives an
    unenrolment; the credit note frees it."""
    from modele.facturation import emettre_avoir
    from modele.inscriptions import Futures, desinscrire

    _, enfant, _, _, _, cantine = monde
    le_20 = fabrique.contexte(dt.date(2026, 3, 20))
    mars = [dt.date(2026, 3, 23), dt.date(2026, 3, 24)]
    s.add_all(fabrique.jours(enfant, cantine, [*mars, dt.date(2026, 4, 2)], E.RESERVE))
    s.commit()
    [facture] = fabrique.facturer(
        s, le_20, cantine.regie_id, dt.date(2026, 3, 1), dt.date(2026, 3, 31), dt.date(2026, 3, 20)
    )
    s.commit()

    def factures(mois: int) -> list[int]:
        ligne = next(
            ligne
            for ligne in grille(s, enfant.id, 2026, mois).lignes
            if ligne.activite.id == cantine.id
        )
        return [c.jour.day for c in ligne.cellules if c.facturee]

    assert (factures(3), factures(4)) == ([23, 24], [])
    with pytest.raises(ErreurMetier, match="déjà facturé"):
        declarer_absence(
            s, le_20, enfant.id, cantine.id, [mars[0]], MotifAbsence.MALADIE, confirme=True
        )
    s.rollback()
    inscription = s.exec(
        select(Inscription).where(
            Inscription.enfant_id == enfant.id, Inscription.activite_id == cantine.id
        )
    ).one()
    desinscrire(s, le_20, inscription.id, Futures.ANNULER)
    s.commit()
    restants = s.exec(
        select(Consommation.jour).where(
            Consommation.enfant_id == enfant.id, Consommation.activite_id == cantine.id
        )
    )
    assert sorted(restants) == mars  # the billed days kept, April's cancelled
    emettre_avoir(s, fabrique.contexte(dt.date(2026, 3, 25)), facture.id, "Départ")
    s.commit()
    assert factures(3) == []


def test_demande_dont_un_jour_est_deja_facture(s, monde):
    """A presence recorded on a day of a pending booking request, then the month billed:
    withdrawing or refusing the request would unbill the day (an avoir first); accepting it
    keeps the day as billed."""
    _, enfant, _, _, _, cantine = monde
    jour = dt.date(2026, 3, 2)
    demande = demander_reservation(
        s, fabrique.contexte(dt.date(2026, 2, 20)), enfant.id, cantine.id, [jour]
    )
    s.commit()
    pointer(s, fabrique.contexte(dt.date(2026, 3, 10)), enfant.id, cantine.id, jour, E.PRESENT)
    fabrique.facturer(
        s,
        fabrique.contexte(),
        cantine.regie_id,
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 2),
    )
    s.commit()
    le_3_avril = fabrique.contexte(dt.date(2026, 4, 3))
    with pytest.raises(ErreurMetier, match="02/03/2026 est déjà facturé : faites d'abord un avoir"):
        retirer_demande(s, le_3_avril, demande)
    s.rollback()
    with pytest.raises(ErreurMetier, match="déjà facturé"):
        refuser_demande(s, le_3_avril, demande, "Complet")
    s.rollback()
    accepter_demande(s, le_3_avril, demande)
    s.commit()
    cellule = s.exec(select(Consommation).where(Consommation.enfant_id == enfant.id)).one()
    assert cellule.etat == E.PRESENT and est_facturee(s, cellule)


def test_jours_reservables_laisse_de_cote_ce_qui_ne_peut_l_etre(s, monde):
    """Of March's Wednesdays on 17 March: 11 and 18 are past their deadline, 25 is free.
    An agent d'accueil may book 25 only (the others are left aside with why, not the whole
    booking refused); a régisseur may book all three (the deadline is his to override,
    asked), or those in time only when he declines to."""
    from modele.agents import Role

    _, enfant, mercredi, *_ = monde
    jour = dt.date(2026, 3, 17)
    accueil = fabrique.contexte(jour).avec(agent_id=fabrique.agent(s, Role.ACCUEIL.value))
    regie = fabrique.contexte(jour).avec(agent_id=fabrique.agent(s, Role.REGISSEUR.value))
    jours = MERCREDIS_MARS[1:]
    en_retard = {"délai dépassé (dérogation : régisseur)": jours[:2]}
    assert jours_reservables(s, accueil, enfant.id, mercredi.id, jours) == ([jours[2]], en_retard)
    assert jours_reservables(s, regie, enfant.id, mercredi.id, jours) == (jours, {})
    assert jours_reservables(s, regie, enfant.id, mercredi.id, jours, sans_derogation=True) == (
        [jours[2]],
        en_retard,
    )
    demander_reservation(s, regie, enfant.id, mercredi.id, [jours[2]], True)
    # Booked now: left aside for anyone, with its state; a Thursday (no activity): closed.
    jeudi = dt.date(2026, 3, 26)
    possibles, exclus = jours_reservables(s, regie, enfant.id, mercredi.id, [*jours, jeudi])
    assert possibles == jours[:2]
    assert exclus == {"déjà « Réservation en cours de traitement »": [jours[2]], "fermé": [jeudi]}
    assert jours_reservables(s, regie, enfant.id, mercredi.id, []) == ([], {})
