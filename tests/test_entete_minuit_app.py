"""The header's day at a counter left open past midnight (the tester's app, started at
23:58, still said the 4th at 00:01 while F4 and the direct debits worked on the 5th)."""

from __future__ import annotations

import datetime as dt

from tests.conftest import JOUR_SEED
from tests.pilote import attendre, connecter


async def test_l_entete_passe_au_nouveau_jour(fabrique_app):
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre(pilot, lambda: app.sub_title == "lundi 4 mai 2015")  # the login's
        app.reglages.date_fixe = JOUR_SEED + dt.timedelta(days=1)
        app.veiller_minuit()
        assert app.sub_title == "mardi 5 mai 2015"
        app.reglages.date_fixe = JOUR_SEED
        app.veiller_minuit()
        await connecter(pilot)
        await attendre(pilot, lambda: "lundi 4 mai 2015" in app.sub_title)
        app.veiller_minuit()  # the same day: nothing to do
        assert "lundi 4 mai 2015" in app.sub_title
        app.reglages.date_fixe = JOUR_SEED + dt.timedelta(days=1)  # midnight passes
        app.veiller_minuit()
        await attendre(pilot, lambda: "mardi 5 mai 2015" in app.sub_title)
        assert "à traiter" in app.sub_title  # the whole header, its counts too
