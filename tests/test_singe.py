"""The monkey test, short: seeded random walks of keys through the app (bench/singe.py runs a
long one on demand). The app never meets an unexpected error, still answers a key, and the
base stays whole with a sound ledger."""

from __future__ import annotations

import pytest

from bench.singe import singer


@pytest.mark.parametrize(("graine", "taille"), [(1, (120, 40)), (2, (80, 24)), (3, (120, 40))])
async def test_promenade_au_hasard(graine, taille, engine, tmp_path):
    bilan = await singer(engine, tmp_path / "donnees", graine, 250, taille)
    assert bilan.touches >= 250
    assert bilan.erreurs == []
    assert bilan.anomalies == []
    assert "EcranFamille" in bilan.ecrans
