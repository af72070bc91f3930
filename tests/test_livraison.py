"""Where a document written is said to be: its name first, then its folder."""

from __future__ import annotations

from pathlib import Path

from ecrans.livraison import Livraison


def test_lieu_le_nom_puis_le_dossier():
    maison = Path.home()
    chemin = maison / ".local/share/guichet-famille/exports/facture-AL-36-1001001818331.pdf"
    assert Livraison(chemin.name, chemin).lieu == (
        "facture-AL-36-1001001818331.pdf\ndans ~/.local/share/guichet-famille/exports"
    )
    ailleurs = Path("/srv/guichet/exports/releve.pdf")
    assert Livraison(ailleurs.name, ailleurs).lieu == "releve.pdf\ndans /srv/guichet/exports"
    assert Livraison("releve.pdf").lieu == "releve.pdf (téléchargé par le navigateur)"
