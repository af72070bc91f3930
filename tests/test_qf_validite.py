"""Quotient familial validity (issue 14, point 11): the collectivité's setting, whose default
reproduces seed 000, and the September and February campaigns."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from modele.api_particulier import QuotientCaf
from modele.demandes import Demande, accepter_demande
from modele.quotient import (
    a_relancer,
    declarer_qf,
    echeance_avant,
    echeance_suivante,
    prochaine_campagne,
    qf_compte,
    tranche_du_mois,
    validite,
)
from modele.structure import Collectivite
from tests import fabrique

J = dt.date


def test_validite_par_defaut_celle_du_seed():
    # seed 000: valid from December 2024, "Du 01/12/2024 au 31/12/2025"
    assert validite(J(2024, 12, 3), 2024, 12) == (J(2024, 12, 1), J(2025, 12, 31))
    assert validite(J(2025, 1, 31), 2025, 1) == (J(2025, 1, 1), J(2026, 1, 31))
    # leap years: February runs to the 29th when there is one
    assert validite(J(2023, 2, 10), 2023, 2) == (J(2023, 2, 1), J(2024, 2, 29))
    assert validite(J(2024, 2, 29), 2024, 2) == (J(2024, 2, 1), J(2025, 2, 28))
    # spontaneous: from the month it is made, never back to the QF's own (older) month
    assert validite(J(2026, 11, 27), 2024, 12) == (J(2026, 11, 1), J(2027, 11, 30))
    # another setting of the collectivité
    assert validite(J(2024, 12, 3), 2024, 12, 6) == (J(2024, 12, 1), J(2025, 6, 30))
    assert validite(J(2024, 8, 3), 2024, 8, 6) == (J(2024, 8, 1), J(2025, 2, 28))


def test_echeances_des_campagnes():
    assert echeance_avant(J(2024, 3, 1)) == J(2024, 2, 29)
    assert echeance_avant(J(2024, 2, 29)) == J(2023, 9, 30)
    assert echeance_avant(J(2025, 3, 1)) == J(2025, 2, 28)
    assert echeance_avant(J(2025, 10, 1)) == J(2025, 9, 30)
    assert echeance_avant(J(2025, 1, 1)) == J(2024, 9, 30)
    assert echeance_suivante(J(2024, 2, 29)) == J(2024, 2, 29)
    assert echeance_suivante(J(2025, 10, 1)) == J(2026, 2, 28)
    assert echeance_suivante(J(2025, 9, 30)) == J(2025, 9, 30)
    assert prochaine_campagne(J(2026, 11, 27)) == J(2027, 3, 1)
    assert prochaine_campagne(J(2027, 9, 5)) == J(2027, 10, 1)
    assert prochaine_campagne(J(2028, 2, 15)) == J(2028, 3, 1)


def test_une_declaration_repond_a_la_campagne_suivante():
    seed = J(2024, 12, 3)
    assert qf_compte(seed, J(2025, 3, 1))  # it answers February 2025
    assert qf_compte(seed, J(2025, 9, 30))
    assert not qf_compte(seed, J(2025, 10, 1))  # not updated in September: from the deadline
    fevrier = J(2024, 2, 29)  # on the deadline day of a leap year: February's answer
    assert qf_compte(fevrier, J(2024, 10, 1)) is False
    assert qf_compte(fevrier, J(2024, 9, 30))
    assert qf_compte(J(2024, 3, 1), J(2024, 10, 1))
    assert not qf_compte(J(2024, 3, 1), J(2025, 3, 1))


def _declarer(s, famille, jour: dt.date, annee: int, mois: int):
    """A CAF QF of 300 € declared on `jour`, validated by the service."""
    ctx = fabrique.contexte(jour)
    qf = declarer_qf(
        s, ctx, famille.id, QuotientCaf([], [], "", "CNAF", 30000, annee, mois), "", certifie=True
    )
    accepter_demande(s, ctx, s.get(Demande, qf.demande_id))
    return qf


def test_campagnes_et_reglage_sur_la_base(s):
    _, _, tranches = fabrique.structure(s)
    famille, _ = fabrique.famille(s)
    qf = _declarer(s, famille, J(2024, 12, 3), 2024, 12)
    assert (qf.valide_du, qf.valide_au) == (J(2024, 12, 1), J(2025, 12, 31))
    bas, haut = tranches[0].numero, tranches[-1].numero
    assert tranche_du_mois(s, famille.id, J(2024, 11, 1))[0].numero == haut  # not retroactive
    assert tranche_du_mois(s, famille.id, J(2025, 3, 1))[0].numero == bas
    assert tranche_du_mois(s, famille.id, J(2025, 9, 1))[0].numero == bas
    # September's campaign passed without an update: the maximum bracket from its deadline
    assert tranche_du_mois(s, famille.id, J(2025, 10, 1)) == (tranches[-1], None)
    assert famille.id in a_relancer(s, J(2025, 9, 10))
    assert famille.id not in a_relancer(s, J(2025, 2, 10))
    # a late update counts from the month it is made
    _declarer(s, famille, J(2025, 11, 12), 2025, 10)
    assert tranche_du_mois(s, famille.id, J(2025, 10, 1))[0].numero == haut
    assert tranche_du_mois(s, famille.id, J(2025, 11, 1))[0].numero == bas
    assert famille.id not in a_relancer(s, J(2026, 1, 10))
    # the collectivité's setting
    reglage = s.exec(select(Collectivite)).one()
    reglage.qf_validite_mois = 6
    s.add(reglage)
    qf = _declarer(s, famille, J(2026, 3, 2), 2026, 3)
    assert (qf.valide_du, qf.valide_au) == (J(2026, 3, 1), J(2026, 9, 30))


def test_retirer_la_demande_retire_le_qf_declare(s):
    """A QF request withdrawn at the parent's wish takes its QF with it: « Retiré », not
    left « En cours de traitement » with no request behind it."""
    from modele.demandes import StatutDemande, retirer_demande
    from modele.quotient import QuotientFamilial, StatutQF

    fabrique.structure(s)
    famille, _ = fabrique.famille(s)
    jour = J(2026, 12, 2)
    ctx = fabrique.contexte(jour)
    qf = declarer_qf(
        s, ctx, famille.id, QuotientCaf([], [], "", "CNAF", 30000, 2026, 11), "", certifie=True
    )
    s.commit()
    retirer_demande(s, ctx, qf.demande_id)
    s.commit()
    assert s.get(Demande, qf.demande_id).statut == StatutDemande.RETIREE
    retire = s.get(QuotientFamilial, qf.id)
    assert retire.statut == StatutQF.RETIRE and StatutQF(retire.statut).libelle == "Retiré"
    assert retire.decide_le is not None
