"""Regularisation (issue #14, point 3): what is decided or recorded after its month was
billed is billed by the next run on a dated line, never lost and never billed twice; the
preview lists what is still to decide before issuing. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from modele.base import ErreurMetier
from modele.demandes import accepter_demande, refuser_demande
from modele.facturation import (
    Facture,
    LigneFacture,
    NatureFacture,
    Tarif,
    avoirs_de,
    bornes_mois,
    emettre_avoir_jours,
    jours_a_crediter,
    lignes_facture,
    mention_regularisation,
)
from modele.planning import Consommation, Inscription, JourFacture
from modele.planning import EtatConsommation as E
from modele.reglements import facturer_mois
from modele.reservations import (
    MotifAbsence,
    declarer_absence,
    demander_reservation,
    en_suspens,
    pointer,
)
from tests import fabrique

AVANT = fabrique.contexte(dt.date(2026, 2, 20))  # requests made in time


@pytest.fixture
def monde(s):
    regie, cantine, tranches = fabrique.structure(s)
    famille, enfant = fabrique.famille(s)
    for annee in (2025, 2026):
        s.add(
            Inscription(
                enfant_id=enfant.id,
                activite_id=cantine.id,
                annee_scolaire=annee,
                date_debut=dt.date(annee, 9, 1),
                date_fin=dt.date(annee + 1, 8, 31),
            )
        )
    s.commit()
    return regie, cantine, famille, enfant, tranches


def facturer(s, regie, annee: int, mois: int, emission: dt.date) -> list:
    debut, fin = bornes_mois(annee, mois)
    factures = facturer_mois(s, fabrique.contexte(emission), regie.id, debut, fin, emission)
    s.commit()
    return factures


def lignes(s, facture_id: int) -> list[tuple[str, int, int, dt.date | None]]:
    return [
        (lg.libelle, lg.quantite, lg.prix_unitaire, lg.mois_regularise)
        for lg in lignes_facture(s, facture_id)
    ]


def cellule(s, enfant, activite, jour: dt.date) -> Consommation:
    return s.exec(
        select(Consommation).where(
            Consommation.enfant_id == enfant.id,
            Consommation.activite_id == activite.id,
            Consommation.jour == jour,
        )
    ).one()


LIBELLE = "Léo — Garderie périscolaire Restauration scolaire"


def test_reservation_acceptee_apres_l_emission_facturee_le_mois_suivant(s, monde):
    regie, cantine, _, enfant, _ = monde
    s.add_all(fabrique.jours(enfant, cantine, [dt.date(2026, 3, 2)]))
    # month end: the 31st (a Tuesday) is still pending when March is issued
    demande = demander_reservation(
        s, AVANT, enfant.id, cantine.id, [dt.date(2026, 3, 19), dt.date(2026, 3, 31)]
    )
    s.commit()
    [mars] = facturer(s, regie, 2026, 3, dt.date(2026, 4, 3))
    assert mars.total == 405  # the pending days are not billed…
    accepter_demande(s, fabrique.contexte(dt.date(2026, 4, 10)), demande.id)
    s.commit()
    assert cellule(s, enfant, cantine, dt.date(2026, 3, 31)).a_regulariser
    s.add_all(fabrique.jours(enfant, cantine, [dt.date(2026, 4, 1)]))
    s.commit()
    [avril] = facturer(s, regie, 2026, 4, dt.date(2026, 5, 5))
    # …nor lost: April's run bills them on a line of their own, dated
    assert lignes(s, avril.id) == [
        (LIBELLE, 1, 405, None),
        (
            f"{LIBELLE} — Régularisation mars 2026 (19/03, 31/03)",
            2,
            405,
            dt.date(2026, 3, 1),
        ),
    ]
    assert avril.total == 3 * 405
    assert s.get(Facture, avril.id).periode_debut == dt.date(2026, 4, 1)
    trente_et_un = cellule(s, enfant, cantine, dt.date(2026, 3, 31))
    assert s.get(JourFacture, trente_et_un.id).facture_id == avril.id
    assert not trente_et_un.a_regulariser  # the mark is cleared once billed
    # never twice: May's run and a second April run find nothing of March
    assert facturer(s, regie, 2026, 4, dt.date(2026, 5, 6)) == []
    assert facturer(s, regie, 2026, 5, dt.date(2026, 6, 5)) == []


def test_changement_avant_l_emission_du_mois_n_est_pas_une_regularisation(s, monde):
    regie, cantine, _, enfant, _ = monde
    demande = demander_reservation(s, AVANT, enfant.id, cantine.id, [dt.date(2026, 3, 19)])
    s.commit()
    accepter_demande(s, fabrique.contexte(dt.date(2026, 3, 1)), demande.id)
    s.commit()
    assert not cellule(s, enfant, cantine, dt.date(2026, 3, 19)).a_regulariser
    [mars] = facturer(s, regie, 2026, 3, dt.date(2026, 4, 3))
    assert lignes(s, mars.id) == [(LIBELLE, 1, 405, None)]


def test_passage_d_annee_scolaire_au_tarif_du_jour(s, monde):
    regie, cantine, _, enfant, tranches = monde
    # the tariff changes with the school year
    ancien = s.exec(select(Tarif).where(Tarif.tranche_id == tranches[1].id)).one()
    ancien.valide_au = dt.date(2026, 8, 31)
    s.add(ancien)
    s.add(
        Tarif(
            activite_id=cantine.id,
            tranche_id=tranches[1].id,
            prix_unitaire=450,
            valide_du=dt.date(2026, 9, 1),
        )
    )
    s.add_all(fabrique.jours(enfant, cantine, [dt.date(2026, 8, 27)]))
    demande = demander_reservation(
        s, fabrique.contexte(dt.date(2026, 8, 1)), enfant.id, cantine.id, [dt.date(2026, 8, 31)]
    )
    s.commit()
    facturer(s, regie, 2026, 8, dt.date(2026, 9, 2))
    accepter_demande(s, fabrique.contexte(dt.date(2026, 9, 8)), demande.id)
    s.add_all(fabrique.jours(enfant, cantine, [dt.date(2026, 9, 3)]))
    s.commit()
    [septembre] = facturer(s, regie, 2026, 9, dt.date(2026, 10, 5))
    assert lignes(s, septembre.id) == [
        (LIBELLE, 1, 450, None),
        (f"{LIBELLE} — Régularisation août 2026 (31/08)", 1, 405, dt.date(2026, 8, 1)),
    ]


def test_le_meme_jour_decide_puis_pointe_n_est_facture_qu_une_fois(s, monde):
    regie, cantine, _, enfant, _ = monde
    demande = demander_reservation(s, AVANT, enfant.id, cantine.id, [dt.date(2026, 3, 19)])
    s.add_all(fabrique.jours(enfant, cantine, [dt.date(2026, 3, 2)]))
    s.commit()
    facturer(s, regie, 2026, 3, dt.date(2026, 4, 3))
    apres = fabrique.contexte(dt.date(2026, 4, 10))
    accepter_demande(s, apres, demande.id)
    s.commit()
    with pytest.raises(ErreurMetier, match="déjà acceptée"):
        accepter_demande(s, apres, demande.id)
    s.rollback()
    pointer(s, apres, enfant.id, cantine.id, dt.date(2026, 3, 19), E.PRESENT)  # decided again
    s.commit()
    [avril] = facturer(s, regie, 2026, 4, dt.date(2026, 5, 5))
    assert [q for _, q, _, _ in lignes(s, avril.id)] == [1]
    # recorded once more after it was regularised: on an invoice, never billed again
    pointer(s, fabrique.contexte(dt.date(2026, 5, 6)), enfant.id, cantine.id,
            dt.date(2026, 3, 19), E.HORS_CONTRAT)  # fmt: skip
    s.commit()
    assert facturer(s, regie, 2026, 5, dt.date(2026, 6, 5)) == []


def test_presence_pointee_apres_l_emission(s, monde):
    regie, cantine, _, enfant, _ = monde
    s.add_all(fabrique.jours(enfant, cantine, [dt.date(2026, 3, 2)]))
    s.commit()
    facturer(s, regie, 2026, 3, dt.date(2026, 4, 3))
    pointer(
        s, fabrique.contexte(dt.date(2026, 4, 8)), enfant.id, cantine.id, dt.date(2026, 3, 5),
        E.HORS_CONTRAT,
    )  # fmt: skip
    s.commit()
    [avril] = facturer(s, regie, 2026, 4, dt.date(2026, 5, 5))
    assert lignes(s, avril.id) == [
        (f"{LIBELLE} — Régularisation mars 2026 (05/03)", 1, 405, dt.date(2026, 3, 1))
    ]


def test_absence_en_attente_a_l_emission_puis_decidee(s, monde):
    regie, cantine, _, enfant, _ = monde
    jours = [dt.date(2026, 3, 5), dt.date(2026, 3, 6)]
    s.add_all(fabrique.jours(enfant, cantine, jours, E.RESERVE))
    s.commit()
    refusee = declarer_absence(
        s, AVANT, enfant.id, cantine.id, jours[:1], MotifAbsence.CONVENANCE, confirme=True
    )
    excusee = declarer_absence(
        s, AVANT, enfant.id, cantine.id, jours[1:], MotifAbsence.CONVENANCE, confirme=True
    )
    _, cadet = fabrique.famille(s, numero="1000000000002", nom="DURAND", enfant="Zoé")
    s.add_all(fabrique.jours(cadet, cantine, [dt.date(2026, 3, 2)]))
    s.commit()
    [autre] = facturer(s, regie, 2026, 3, dt.date(2026, 4, 3))  # March: another family only
    apres = fabrique.contexte(dt.date(2026, 4, 8))
    refuser_demande(s, apres, refusee.id, "Pas de justificatif")
    accepter_demande(s, apres, excusee.id)  # declared in time: excused, never billed
    s.commit()
    [avril] = facturer(s, regie, 2026, 4, dt.date(2026, 5, 5))
    assert lignes(s, avril.id) == [
        (f"{LIBELLE} — Régularisation mars 2026 (05/03)", 1, 405, dt.date(2026, 3, 1))
    ]


def test_regularisation_puis_avoir_du_jour(s, monde):
    regie, cantine, _, enfant, tranches = monde
    ancien = s.exec(select(Tarif).where(Tarif.tranche_id == tranches[1].id)).one()
    ancien.valide_au = dt.date(2026, 3, 31)
    s.add(ancien)
    s.add(
        Tarif(
            activite_id=cantine.id,
            tranche_id=tranches[1].id,
            prix_unitaire=420,
            valide_du=dt.date(2026, 4, 1),
        )
    )
    demande = demander_reservation(
        s, AVANT, enfant.id, cantine.id, [dt.date(2026, 3, 19), dt.date(2026, 3, 26)]
    )
    s.add_all(fabrique.jours(enfant, cantine, [dt.date(2026, 3, 2)]))
    s.commit()
    facturer(s, regie, 2026, 3, dt.date(2026, 4, 3))
    accepter_demande(s, fabrique.contexte(dt.date(2026, 4, 8)), demande.id)
    s.add_all(fabrique.jours(enfant, cantine, [dt.date(2026, 4, 2)]))
    s.commit()
    [avril] = facturer(s, regie, 2026, 4, dt.date(2026, 5, 5))
    dix_neuf = cellule(s, enfant, cantine, dt.date(2026, 3, 19))
    # the regularised day is credited at its own line's price, not April's
    [jour] = jours_a_crediter(s, [dix_neuf.id])
    assert (jour.reference, jour.montant) == (avril.reference, 405)
    [avoir] = emettre_avoir_jours(
        s, fabrique.contexte(dt.date(2026, 5, 10)), [dix_neuf.id], "Grève du 19/03"
    )
    s.commit()
    assert avoir.total == 405
    assert lignes(s, avoir.id) == [
        (f"{LIBELLE} — Régularisation mars 2026 (19/03)", 1, 405, dt.date(2026, 3, 1))
    ]
    assert avoirs_de(s, avril.id) == [avoir]
    assert s.get(JourFacture, dix_neuf.id) is None
    # the credited day is not billed again by itself (it was credited, not changed since)
    assert facturer(s, regie, 2026, 5, dt.date(2026, 6, 5)) == []


def test_mention_de_regularisation():
    ligne = LigneFacture(
        facture_id=1,
        libelle=f"{LIBELLE} — Régularisation mars 2026 (19/03)",
        quantite=1,
        prix_unitaire=405,
        montant=405,
        mois_regularise=dt.date(2026, 3, 1),
    )
    assert mention_regularisation(ligne) == "Régularisation mars 2026 (19/03)"
    ligne.mois_regularise = None
    assert mention_regularisation(ligne) == ""


def test_famille_hors_d_une_emission_partielle_garde_sa_regularisation(s, monde):

    regie, cantine, famille, enfant, _ = monde
    autre, cadet = fabrique.famille(s, numero="1000000000002", nom="DURAND", enfant="Zoé")
    demande = demander_reservation(s, AVANT, enfant.id, cantine.id, [dt.date(2026, 3, 19)])
    s.add_all(fabrique.jours(cadet, cantine, [dt.date(2026, 3, 2), dt.date(2026, 4, 2)]))
    s.commit()
    facturer(s, regie, 2026, 3, dt.date(2026, 4, 3))
    accepter_demande(s, fabrique.contexte(dt.date(2026, 4, 8)), demande.id)
    s.commit()
    debut, fin = bornes_mois(2026, 4)
    contexte = fabrique.contexte(dt.date(2026, 5, 5))
    facturer_mois(s, contexte, regie.id, debut, fin, fin, familles={autre.id})
    s.commit()
    assert cellule(s, enfant, cantine, dt.date(2026, 3, 19)).a_regulariser
    [facture] = facturer(s, regie, 2026, 4, dt.date(2026, 5, 6))
    assert facture.famille_id == famille.id


def test_apercu_liste_les_demandes_en_attente_et_les_presences_non_pointees(s, monde):
    regie, cantine, famille, enfant, _ = monde
    s.add_all(fabrique.jours(enfant, cantine, [dt.date(2026, 3, 2), dt.date(2026, 3, 3)]))
    s.add_all(fabrique.jours(enfant, cantine, [dt.date(2026, 3, 5)], E.RESERVE))
    s.add_all(fabrique.jours(enfant, cantine, [dt.date(2026, 3, 30)], E.RESERVE))
    demande = demander_reservation(
        s, AVANT, enfant.id, cantine.id, [dt.date(2026, 3, 19), dt.date(2026, 4, 2)]
    )
    absence = declarer_absence(
        s, AVANT, enfant.id, cantine.id, [dt.date(2026, 3, 30)], MotifAbsence.MALADIE,
        confirme=True,
    )  # fmt: skip
    s.commit()
    debut, fin = bornes_mois(2026, 3)
    suspens = en_suspens(s, regie.id, debut, fin, dt.date(2026, 4, 3))
    assert [(d.demande_id, d.type, d.jours) for d in suspens.demandes] == [
        (demande.id, "Réservations", [dt.date(2026, 3, 19)]),
        (absence.id, "Absences", [dt.date(2026, 3, 30)]),
    ]
    assert suspens.demandes[0].famille == f"{famille.numero} MARTIN Élodie"
    assert suspens.demandes[0].enfant == "Léo"
    assert suspens.non_pointes == 1  # the 5th: booked, past, neither present nor absent
    assert [(n.enfant, n.jours) for n in suspens.non_pointes_detail] == [
        ("Léo", [dt.date(2026, 3, 5)])
    ]
    # on the 4th of March, only the days already past count
    assert en_suspens(s, regie.id, debut, fin, dt.date(2026, 3, 4)).non_pointes == 0
    assert not any(f.nature == NatureFacture.AVOIR for f in s.exec(select(Facture)))


def test_texte_de_ce_qui_reste_a_decider():
    from modele.reservations import DemandeEnSuspens, EnSuspens, NonPointe, texte_suspens

    assert texte_suspens(EnSuspens([], 0, [])).startswith("Rien en suspens")
    demandes = [
        DemandeEnSuspens(i, 1, "1000 MARTIN Élodie", "Léo", "Réservations", "Cantine",
                         [dt.date(2026, 3, 19)])
        for i in range(1, 6)
    ]  # fmt: skip
    texte = texte_suspens(
        EnSuspens(demandes, 1, [NonPointe(1, "1000 MARTIN Élodie", "Léo", "Cantine",
                                          [dt.date(2026, 3, 5)])])
    )  # fmt: skip
    lignes = texte.splitlines()
    assert lignes[0].startswith(
        "À décider avant d'émettre : 5 demandes en attente (F2), 1 jour réservé passé non pointé."
    )
    assert lignes[1] == (
        "  • Demande n° 1 — 1000 MARTIN Élodie — Léo — Réservations — Cantine : 19/03"
    )
    assert "… et 2 autres demandes : F2." in texte
    assert lignes[-1] == "  • Non pointé — 1000 MARTIN Élodie — Léo — Cantine : 05/03"
    # a town's month: the counts grouped as amounts are (« 208139 jours » at 50,000 families)
    ville = texte_suspens(EnSuspens(demandes, 208_139, [])).splitlines()[0]
    assert "5 demandes en attente (F2), 208\u202f139 jours réservés passés non pointés." in ville


def test_les_jours_non_pointes_se_lisent_dans_leur_index(engine):
    """F6's pending days (en_suspens) read the partial index of the booked days, not the
    month's every cell (migration 0025): the states written in the query are those of the
    index's condition, so SQLite sees that the query implies it."""
    from sqlalchemy import event, text

    from modele.db import session as ouvrir
    from modele.reservations import NON_POINTES
    from modele.structure import regies
    from modele.tables.planning import CONDITION_NON_POINTEE

    assert CONDITION_NON_POINTEE == "etat IN ({})".format(
        ", ".join(f"'{e.value}'" for e in NON_POINTES)
    )
    with engine.connect() as connexion:
        connexion.execute(text("ANALYZE"))
        connexion.commit()
    lectures: list[tuple[str, tuple]] = []

    def noter(_connexion, _curseur, requete, parametres, _contexte, _plusieurs):
        if "consommation.etat IN ('reserve', 'regulier')" in requete:
            lectures.append((requete, tuple(parametres)))

    event.listen(engine, "before_cursor_execute", noter)
    try:
        with ouvrir(engine) as s:
            debut, fin = bornes_mois(2026, 3)
            en_suspens(s, regies(s)[0].id, debut, fin, dt.date(2026, 4, 3))
    finally:
        event.remove(engine, "before_cursor_execute", noter)
    assert len(lectures) == 2  # the count and the first families' days
    with engine.connect() as connexion:
        for requete, parametres in lectures:
            plan = " ".join(
                r[3] for r in connexion.exec_driver_sql("EXPLAIN QUERY PLAN " + requete, parametres)
            )
            assert "COVERING INDEX ix_consommation_non_pointee" in plan, plan
