"""Statements built once (modele/requetes.py)."""

from __future__ import annotations

from modele.requetes import figee


def test_construite_une_fois_par_variante():
    appels = []

    @figee
    def requete(moteur: str, exclure: bool) -> object:
        appels.append((moteur, exclure))
        return object()

    premiere = requete("sqlite", False)
    assert requete("sqlite", False) is premiere
    assert requete("sqlite", True) is not premiere
    assert requete("postgresql", False) is not premiere
    requete("sqlite", True)
    assert appels == [("sqlite", False), ("sqlite", True), ("postgresql", False)]
