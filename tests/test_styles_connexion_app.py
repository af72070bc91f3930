"""The login screen's styles split from the others' (issue #18): the launch parses
connexion.tcss only, guichet.tcss comes once the login screen is shown. What the login
screen's widgets compute is the same either way, and the same as with the one file of
before (values read from the app running that file, at 120×40)."""

from __future__ import annotations

from textual.widgets import Input

from tests.conftest import REFERENCE
from tests.pilote import attendre
from tui.app import GuichetApp
from tui.config import Reglages

# widget: region, colour, background, top border, text style, padding, margin
AVANT_LA_SEPARATION = {
    "EcranConnexion": (
        (0, 0, 120, 40),
        "Color(255, 255, 255)",
        "Color(18, 18, 18)",
        "",
        "none",
        (0, 0, 0, 0),
        (0, 0, 0, 0),
    ),
    "#boite-connexion": (
        (30, 11, 60, 18),
        "Color(255, 255, 255)",
        "Color(30, 30, 30)",
        "round Color(1, 120, 212)",
        "none",
        (0, 2, 0, 2),
        (0, 0, 0, 0),
    ),
    "#titre-connexion": (
        (33, 12, 54, 1),
        "Color(1, 120, 212)",
        "Color(0, 0, 0, a=0)",
        "",
        "bold",
        (0, 0, 0, 0),
        (0, 0, 1, 0),
    ),
    ".aide": (
        (33, 14, 54, 1),
        "Color(255, 255, 255, a=0.6)",
        "Color(0, 0, 0, a=0)",
        "",
        "none",
        (0, 1, 0, 1),
        (0, 0, 0, 0),
    ),
    "Label": (
        (33, 15, 11, 1),
        "Color(255, 255, 255)",
        "Color(0, 0, 0, a=0)",
        "",
        "none",
        (0, 0, 0, 0),
        (0, 0, 0, 0),
    ),
    "#identifiant": (
        (33, 16, 54, 3),
        "Color(224, 224, 224)",
        "Color(30, 30, 30)",
        "heavy Color(1, 120, 212)",
        "none",
        (0, 2, 0, 2),
        (0, 0, 0, 0),
    ),
    "#mot_de_passe": (
        (33, 20, 54, 3),
        "Color(224, 224, 224)",
        "Color(30, 30, 30)",
        "tall Color(25, 25, 25)",
        "none",
        (0, 2, 0, 2),
        (0, 0, 0, 0),
    ),
    "#erreur-connexion": (
        (33, 23, 54, 1),
        "Color(185, 60, 91)",
        "Color(0, 0, 0, a=0)",
        "",
        "bold",
        (0, 1, 0, 1),
        (0, 0, 0, 0),
    ),
    "#se-connecter": (
        (33, 25, 54, 3),
        "Color(255, 255, 255, a=0.87)",
        "Color(1, 120, 212)",
        "tall Color(109, 178, 255)",
        "bold",
        (0, 0, 0, 0),
        (1, 0, 0, 0),
    ),
    "Header": (
        (0, 0, 120, 1),
        "Color(224, 224, 224)",
        "Color(36, 47, 56)",
        "",
        "none",
        (0, 0, 0, 0),
        (0, 0, 0, 0),
    ),
    "PiedDePage": (
        (0, 39, 120, 1),
        "Color(224, 224, 224)",
        "Color(36, 47, 56)",
        "",
        "none",
        (0, 0, 0, 0),
        (0, 0, 0, 0),
    ),
}


def styles_calcules(app: GuichetApp) -> dict[str, tuple]:
    calcules = {}
    for selecteur in AVANT_LA_SEPARATION:
        w = app.screen if selecteur == "EcranConnexion" else app.screen.query_one(selecteur)
        genre, couleur = w.styles.border_top
        calcules[selecteur] = (
            tuple(w.region),
            str(w.styles.color),
            str(w.styles.background),
            f"{genre} {couleur}" if genre else "",
            str(w.styles.text_style),
            tuple(w.styles.padding),
            tuple(w.styles.margin),
        )
    return calcules


class SansLesAutresStyles(GuichetApp):
    """The app as at its first frame: guichet.tcss not read."""

    def charger_styles(self) -> None:
        pass


async def test_ecran_de_connexion_sans_les_styles_des_autres_ecrans(engine):
    app = SansLesAutresStyles(Reglages(db_url=str(engine.url), date_fixe=REFERENCE), engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre(pilot, lambda: isinstance(app.focused, Input))
        await pilot.pause()
        assert not app.stylesheet.has_source(str(app.STYLES_DES_ECRANS))
        assert styles_calcules(app) == AVANT_LA_SEPARATION


async def test_ecran_de_connexion_puis_les_styles_des_autres_ecrans(fabrique_app):
    app = fabrique_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre(pilot, lambda: app.stylesheet.has_source(str(app.STYLES_DES_ECRANS)))
        await pilot.pause()
        assert styles_calcules(app) == AVANT_LA_SEPARATION
