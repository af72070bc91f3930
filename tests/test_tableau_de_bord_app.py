"""F11, the dashboard, driven at 80×24: opened by the régisseur, month by month, the figures
of the modele functions (tests/test_statistiques.py counts them by hand), refused to an
agent d'accueil."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from sqlmodel import select

from ecrans.compat_textual import notifications, texte_ecran
from ecrans.graphique import Graphique
from ecrans.tableau_de_bord import EcranTableauDeBord, EnfantsDuJour
from modele.db import lire
from modele.famille import Famille
from modele.formats import montant
from modele.statistiques import (
    argent_par_mois,
    enfants_du_jour,
    familles_par_tranche,
    frequentation_du_mois,
)
from tests.conftest import REFERENCE
from tests.pilote import attendre, connecter, lignes, texte

TAILLE = (80, 24)


async def ouvrir_tableau(pilot) -> EcranTableauDeBord:
    await connecter(pilot, "regie", "Regie2026")
    await pilot.press("f11")
    await attendre(pilot, lambda: isinstance(pilot.app.screen, EcranTableauDeBord))
    ecran = pilot.app.screen
    await attendre(pilot, lambda: ecran.vue is not None)  # the figures are read in a thread
    return ecran


def _jours(engine, annee: int, mois: int) -> list[list[str]]:
    activite = lire(engine, lambda s: frequentation_du_mois(s, annee, mois, REFERENCE))[0]
    return [[str(j.reserves), str(j.presents), str(j.non_pointes)] for j in activite.jours]


async def test_tableau_de_bord_du_regisseur_mois_par_mois(fabrique_app, engine):
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        ecran = await ouvrir_tableau(pilot)
        assert "Novembre 2026" in texte(app, "#tableau-mois")
        vues = lambda: [[r[1], r[2], r[4]] for r in lignes(app, "#freq-jours")]  # noqa: E731
        assert vues() == _jours(engine, 2026, 11)
        assert any(int(r[0]) for r in vues())  # the demo books places in November
        assert "Réservés" in str(ecran.query_one("#freq-graphique", Graphique).render())

        await pilot.press("pagedown")
        await attendre(pilot, lambda: "Décembre 2026" in texte(app, "#tableau-mois"))
        assert vues() == _jours(engine, 2026, 12)
        await pilot.press("pageup", "pageup", "pageup")
        await attendre(pilot, lambda: "Septembre 2026" in texte(app, "#tableau-mois"))
        assert vues() == _jours(engine, 2026, 9)
        await pilot.press("pageup")  # August: the previous school year's money
        await attendre(pilot, lambda: "année scolaire 2025-2026" in texte(app, "#tableau-mois"))
        argent = lire(engine, lambda s: argent_par_mois(s, 2025))
        assert [r[1] for r in lignes(app, "#argent-mois")] == [montant(m.facture) for m in argent]

        # Entrée on a day: its children.
        await pilot.press("pagedown", "pagedown", "pagedown")
        await attendre(pilot, lambda: "Novembre 2026" in texte(app, "#tableau-mois"))
        activite = lire(engine, lambda s: frequentation_du_mois(s, 2026, 11, REFERENCE))[0]
        rang, jour = next((i, j) for i, j in enumerate(activite.jours) if j.reserves)
        table = ecran.query_one("#freq-jours")
        table.focus()
        table.move_cursor(rang)
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, EnfantsDuJour))
        enfants = lire(engine, lambda s: enfants_du_jour(s, activite.activite_id, jour.jour))
        assert [r[1] for r in lignes(app, "#tableau-enfants-liste")] == [e.nom for e in enfants]
        await pilot.press("escape")
        await attendre(pilot, lambda: app.screen is ecran)

        # The activity chosen stays from month to month.
        await pilot.press("a")
        await attendre(pilot, lambda: "(2/" in texte(app, "#freq-titre"))
        deuxieme = lire(engine, lambda s: frequentation_du_mois(s, 2026, 11, REFERENCE))[1]
        assert texte(app, "#freq-titre").startswith(deuxieme.nom)
        await pilot.press("pagedown")
        await attendre(pilot, lambda: "Décembre 2026" in texte(app, "#tableau-mois"))
        assert texte(app, "#freq-titre").startswith(deuxieme.nom)
        await pilot.press("pageup")
        await attendre(pilot, lambda: "Novembre 2026" in texte(app, "#tableau-mois"))

        await pilot.press("3")
        familles = lire(engine, lambda s: familles_par_tranche(s, REFERENCE))
        await attendre(pilot, lambda: lignes(app, "#familles-tranches") != [])
        assert lignes(app, "#familles-tranches") == [[t.libelle, str(t.nombre)] for t in familles]
        # every family of the demo, once
        assert sum(t.nombre for t in familles) == lire(
            engine, lambda s: len(s.exec(select(Famille)).all())
        )

        await pilot.press("4")
        await attendre(pilot, lambda: "Statistiques CAF 2026" in texte(app, "#caf-titre"))
        await pilot.press("escape")
        await attendre(pilot, lambda: not isinstance(app.screen, EcranTableauDeBord))


async def test_tableau_de_bord_refuse_a_l_accueil(fabrique_app):
    app = fabrique_app(dt.date(2026, 11, 27))
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        avant = app.screen
        await pilot.press("f11")
        await attendre(
            pilot,
            lambda: any("réservé aux régisseurs" in n for n in notifications(app)),
        )
        assert app.screen is avant


def _instantane(nom: str, texte_vu: str) -> None:
    """Compare with the stored snapshot; GUICHET_INSTANTANES=regenerer stores it (a person
    looks at it once before it is committed)."""
    chemin = Path(__file__).parent / "instantanes" / nom
    if os.environ.get("GUICHET_INSTANTANES") == "regenerer":
        chemin.write_text(texte_vu + "\n")
    assert texte_vu + "\n" == chemin.read_text(), f"l'écran a changé : {nom}"


@pytest.mark.parametrize("taille", [(80, 24), (120, 40)])
async def test_instantanes_du_tableau_de_bord(fabrique_app, taille):
    app = fabrique_app()
    async with app.run_test(size=taille) as pilot:
        ecran = await ouvrir_tableau(pilot)
        for touche, section, graphique_id in (
            ("1", "frequentation", "#freq-graphique"),
            ("2", "argent", "#argent-graphique"),
            ("3", "familles", "#familles-graphique"),
        ):
            await pilot.press(touche)
            graphique = ecran.query_one(graphique_id, Graphique)
            await attendre(pilot, lambda g=graphique: g._taille != (0, 0))
            await pilot.pause()
            _instantane(f"tableau_{section}_{taille[0]}x{taille[1]}.txt", texte_ecran(app))


async def test_tableau_de_bord_garde_rouvert_comme_neuf(fabrique_app, engine):
    """The screen is kept for the agent's session (composing it is most of an opening):
    opened again, it shows today's month, the first activity and the fréquentation, its
    figures read afresh; a new agent gets a screen of their own."""
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        ecran = await ouvrir_tableau(pilot)
        premiere = texte(app, "#freq-titre")
        await pilot.press("a", "pagedown", "3")
        await attendre(pilot, lambda: "Décembre 2026" in texte(app, "#tableau-mois"))
        await attendre(pilot, lambda: lignes(app, "#familles-tranches") != [])
        await pilot.press("escape")
        await attendre(pilot, lambda: app.screen is not ecran)

        await pilot.press("f11")
        await attendre(pilot, lambda: app.screen is ecran and ecran.vue is not None)
        assert "Novembre 2026" in texte(app, "#tableau-mois")
        assert texte(app, "#freq-titre") == premiere
        assert ecran.query_one("#tableau-sections").active == "frequentation"
        assert [[r[1], r[2], r[4]] for r in lignes(app, "#freq-jours")] == _jours(engine, 2026, 11)
        await pilot.press("3")  # a section's figures are shown when it is
        await attendre(pilot, lambda: lignes(app, "#familles-tranches") != [])

        await pilot.press("escape")
        await attendre(pilot, lambda: app.screen is not ecran)
        app.deconnecte()
        await connecter(pilot, "regie", "Regie2026")
        await pilot.press("f11")
        await attendre(pilot, lambda: isinstance(app.screen, EcranTableauDeBord))
        assert app.screen is not ecran
