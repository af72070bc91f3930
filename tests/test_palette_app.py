"""The command palette (issue #15): its entries in French, Textual's own ones gone, and no
command offered to a role that may not use it."""

from __future__ import annotations

import pytest
from textual.command import CommandList, CommandPalette

from ecrans.compat_textual import AUCUN_RESULTAT, texte_ecran
from ecrans.famille import EcranFamille
from tests.conftest import JOUR_SEED
from tests.pilote import attendre, connecter, ouvrir_famille, saisir

ANGLAIS = ("Keys", "Quit", "Theme", "Screenshot", "Maximize", "Minimize", "Bell")
ADMINISTRATEUR = (
    "RGPD : exporter les données de la famille",
    "RGPD : anonymiser la famille",
    "Calendrier",
    "Agents",
    "Journal",
)
REGISSEUR = ("Caisse", "Tableau de bord")  # régisseur and administrateur
POUR_TOUS = (
    "Rechercher une famille",
    "Demandes à traiter",
    "Messages non lus du service",
    "Facturation du mois",
    "Campagne quotient familial",
    "Verrouiller le guichet",
    "Se déconnecter",
    "Touches de l'écran",
    "Quitter",
)


def proposees(app) -> list[str]:
    return [
        str(getattr(o.prompt, "plain", o.prompt)).split("\n")[0]
        for liste in app.screen.query(CommandList)
        for o in liste.options
        if o.id is not None or o.prompt
    ]


async def commandes(pilot, recherche: str = "", attendue: str = "Quitter") -> list[str]:
    """The entries offered once the search is done (`attendue` shown: the providers run
    in the background, the app's own last)."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await attendre(pilot, lambda: CommandPalette.is_open(app))
    if recherche:
        await saisir(pilot, recherche)
    await attendre(pilot, lambda: attendue in proposees(app))
    palette = app.screen
    await attendre(
        pilot, lambda: not any(w.node is palette and not w.is_finished for w in app.workers)
    )
    vues = proposees(app)
    await pilot.press("escape")
    await attendre(pilot, lambda: not CommandPalette.is_open(app))
    return vues


@pytest.mark.parametrize(
    "identifiant,mot_de_passe,admin",
    [
        ("accueil", "Accueil2026", False),
        ("regie", "Regie2026", False),
        ("admin", "Admin2026", True),
    ],
)
async def test_palette_par_role(fabrique_app, identifiant, mot_de_passe, admin):
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=(120, 40)) as pilot:
        await connecter(pilot, identifiant, mot_de_passe)
        await ouvrir_famille(pilot, "1001001818331")
        assert isinstance(app.screen, EcranFamille)
        vues = await commandes(pilot)
        assert not [v for v in vues if v.split()[0] in ANGLAIS], vues
        for nom in POUR_TOUS:
            assert nom in vues, (nom, vues)
        for nom in ADMINISTRATEUR:
            assert (nom in vues) == admin, (nom, vues)
        for nom in REGISSEUR:
            assert (nom in vues) == (identifiant != "accueil"), (nom, vues)
        # Searched by name: the same rule (the palette's search, not only its list).
        trouvees = await commandes(pilot, "ent", attendue="Se déconnecter")
        assert ("Agents" in trouvees) == admin, trouvees


async def test_palette_sans_commandes_de_textual(fabrique_app):
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=(120, 40)) as pilot:
        await connecter(pilot, "admin", "Admin2026")
        assert app.screen.query_one("#saisie-recherche")
        await pilot.press("ctrl+p")
        await attendre(pilot, lambda: CommandPalette.is_open(app))
        palette = app.screen
        assert palette.query_one("CommandInput").placeholder.startswith("Rechercher")
        await pilot.press("escape")
        await attendre(pilot, lambda: not CommandPalette.is_open(app))
        # "qui" found Textual's "Quit" too; the French "Quitter" only now.
        vues = await commandes(pilot, "qui")
        assert not [v for v in vues if v.split()[0] in ANGLAIS], vues
        vues = await commandes(pilot)
        assert not [v for v in vues if v.split()[0] in ANGLAIS], vues


async def test_palette_sans_resultat_en_francais(fabrique_app):
    """A search that finds nothing says so in French (Textual: "No matches found")."""
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await connecter(pilot, "accueil", "Accueil2026")
        await pilot.press("ctrl+p")
        await attendre(pilot, lambda: CommandPalette.is_open(app))
        await saisir(pilot, "zzqxw")
        await attendre(pilot, lambda: AUCUN_RESULTAT in texte_ecran(app))
        ecran = texte_ecran(app)
        assert AUCUN_RESULTAT in ecran and "No matches" not in ecran
        # A new search takes the line away again (Textual's step still finds it).
        await pilot.press(*["backspace"] * 5)
        await saisir(pilot, "quit")
        await attendre(pilot, lambda: "Quitter" in proposees(app))
        assert AUCUN_RESULTAT not in texte_ecran(app)
