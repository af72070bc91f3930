"""The end of a phone call: what was recorded during it, read back to the parent."""

from __future__ import annotations

from modele.base import Canal
from modele.demandes import TypeDemande, creer_demande, debuter_appel, terminer_appel
from tests import fabrique


def test_le_recapitulatif_lit_chaque_demande_de_l_appel(s):
    """A new child with no activity chosen (an empty list) and a changed e-mail: the recap
    reads both (the empty list made the end of the call fail, « list index out of range »);
    a change reads its new value, ids and empty lists are not read out."""
    fabrique.structure(s)
    famille, _ = fabrique.famille(s)
    telephone = fabrique.contexte(canal=Canal.TELEPHONE)
    appel = debuter_appel(s, telephone, famille.id)
    creer_demande(
        s,
        telephone,
        famille.id,
        TypeDemande.AJOUT_ENFANT,
        {"nom": "DUPONT", "prenoms": "Léa", "date_naissance": "2025-05-12", "activites": []},
    )
    creer_demande(
        s, telephone, famille.id, TypeDemande.RESPONSABLE, {"email": "nouvelle@exemple.fr"}
    )
    recap = terminer_appel(s, telephone, appel.id)
    assert len(recap) == 2, recap
    assert "Prénom : Léa" in recap[0] and "12/05/2025" in recap[0], recap
    assert "ctivit" not in recap[0], recap
    assert "Email : nouvelle@exemple.fr" in recap[1], recap
