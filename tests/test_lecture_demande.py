"""A request's values as the Demandes tab, F2 and the decision screen read them."""

from __future__ import annotations

import pytest

from modele.formats import montant
from modele.formulaires import detail_demande, valeur_lue


@pytest.mark.parametrize(
    ("type_demande", "valeurs", "lu"),
    [
        # An amount is stored in cents: read in euros (it read « ∅ → 3060000 »).
        (
            "fiscales",
            {"revenu_fiscal_reference": [None, 3060000], "annee_revenus": [None, 2025]},
            f"Revenu fiscal de référence : ∅ → {montant(3060000)} €; Année des revenus : ∅ → 2025",
        ),
        # The place of birth's fields, named (it read « Departement naissance »).
        (
            "responsable",
            {"pays_naissance": ["", "FRANCE"], "departement_naissance": ["", "Haute-Garonne"]},
            "Pays de naissance : ∅ → FRANCE; Département de naissance : ∅ → Haute-Garonne",
        ),
        # A new child: no pair, ids and an empty list of activities left out.
        (
            "ajout_enfant",
            {"nom": "DUPONT", "date_naissance": "2025-05-12", "activites": []},
            "Nom : DUPONT; Date de naissance : 12/05/2025",
        ),
    ],
)
def test_valeurs_lues(type_demande, valeurs, lu):
    assert detail_demande(type_demande, valeurs) == lu


def test_valeur_lue_d_un_montant_et_d_un_choix():
    assert valeur_lue("fiscales", "revenu_fiscal_reference", 0) == "0,00 €"
    assert valeur_lue("fiscales", "revenu_fiscal_reference", None) == "∅"
    assert valeur_lue("bancaires", "prelevement", True) == "Oui"  # (a bool is no amount)
