"""F1 on the billing screen lists the régie's cycle keys (issue 17)."""

from __future__ import annotations

from ecrans.aide_touches import AideTouches
from ecrans.facturation import EcranFacturation
from tests.conftest import REFERENCE
from tests.pilote import attendre, connecter, lignes


async def test_f1_de_la_facturation_liste_relances_prelevements_attestations(fabrique_app):
    app = fabrique_app(REFERENCE)
    async with app.run_test(size=(80, 24)) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await pilot.press("f6")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFacturation))
        await pilot.press("f1")
        await attendre(pilot, lambda: isinstance(app.screen, AideTouches))
        touches = {touche: action for touche, action in lignes(app, "#aide-liste")}
        assert touches["r"] == "Relances"
        assert touches["p"] == "Prélèvements"
        assert touches["t"] == "Attestations fiscales"
