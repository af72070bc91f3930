"""F11, the dashboard, driven at 80×24: opened by the régisseur, month by month, the figures
of the modele functions (tests/test_statistiques.py counts them by hand), refused to an
agent d'accueil; the days that stand out marked without colour; the CAF's daily caps set by
the administrateur."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from sqlmodel import select
from textual.widgets import Input

from ecrans.compat_textual import notifications, texte_ecran
from ecrans.graphique import Graphique
from ecrans.plafonds_caf import ParametresPlafondsCaf
from ecrans.table import TableLignes
from ecrans.tableau_de_bord import (
    A_POINTER,
    COMPLET,
    LEGENDE_FREQUENTATION,
    EcranTableauDeBord,
    EnfantsDuJour,
)
from modele.db import lire
from modele.db import session as ouvrir
from modele.famille import Famille
from modele.formats import montant
from modele.journal import Journal
from modele.planning import Activite, Consommation, EtatConsommation
from modele.statistiques import (
    argent_par_mois,
    enfants_du_jour,
    familles_par_tranche,
    frequentation_du_mois,
)
from modele.structure import Collectivite
from tests.conftest import REFERENCE
from tests.pilote import attendre, connecter, lignes, saisir, texte

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
        assert "█" in str(ecran.query_one("#freq-graphique", Graphique).render())  # drawn

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
        await pilot.press("A")  # shift+a as a terminal sends it: the previous activity
        await attendre(pilot, lambda: "(1/" in texte(app, "#freq-titre"))

        await pilot.press("3")
        familles = lire(engine, lambda s: familles_par_tranche(s, REFERENCE))
        await attendre(pilot, lambda: lignes(app, "#familles-tranches") != [])
        assert lignes(app, "#familles-tranches") == [[t.libelle, str(t.nombre)] for t in familles]
        # every family of the demo, once
        assert sum(t.nombre for t in familles) == lire(
            engine, lambda s: len(s.exec(select(Famille)).all())
        )
        # PgSuiv from a section that scrolls: still the month, not the scroll's page.
        await pilot.press("pagedown")
        await attendre(pilot, lambda: "Décembre 2026" in texte(app, "#tableau-mois"))
        await pilot.press("pageup")
        await attendre(pilot, lambda: "Novembre 2026" in texte(app, "#tableau-mois"))

        await pilot.press("4")
        await attendre(pilot, lambda: "CAF 2026, toutes structures :" in texte(app, "#caf-titre"))
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


async def test_jours_remarquables_marques_sans_couleur(fabrique_app, engine):
    """A day over capacity (▲) and a past day with many presences unrecorded (!) stand out
    in the plot, over the day's bars, and in the table, with words; the legend says what
    "many" is."""
    with ouvrir(engine) as s:
        activite = lire(engine, lambda s: frequentation_du_mois(s, 2026, 11, REFERENCE))[0]
        # the demo's busiest Wednesday goes over a capacity of one place less; another
        # Wednesday, booked too, loses a presence
        plein = max(activite.jours, key=lambda j: j.reserves)
        oublie = next(j for j in activite.jours if 0 < j.reserves < plein.reserves)
        assert oublie.reserves <= 5 and oublie.jour < REFERENCE
        ligne = s.get(Activite, activite.activite_id)
        ligne.capacite = plein.reserves - 1
        s.add(ligne)
        present = s.exec(
            select(Consommation).where(
                Consommation.activite_id == activite.activite_id,
                Consommation.jour == oublie.jour,
                Consommation.etat == EtatConsommation.PRESENT,
            )
        ).first()
        present.etat = EtatConsommation.RESERVE  # 1 of 5 booked or fewer: 20 % or more
        s.add(present)
        s.commit()
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        ecran = await ouvrir_tableau(pilot)
        graphique = ecran.query_one("#freq-graphique", Graphique)
        await attendre(pilot, lambda: graphique._taille != (0, 0))
        rangs = {r[0]: r for r in lignes(app, "#freq-jours")}
        marque = lambda jour: f"mer. {jour:%d/%m}"  # noqa: E731
        assert rangs[f"{marque(plein.jour)} {COMPLET}"][5] == f"{COMPLET} capacité dépassée"
        assert rangs[f"{marque(oublie.jour)} {A_POINTER}"][5] == f"{A_POINTER} 1 à pointer"
        assert rangs[f"{marque(oublie.jour)} {A_POINTER}"][4] == "1"
        autres = [r for r in rangs.values() if r[5]]
        assert len(autres) == 2  # no other day stands out
        dessin = graphique.render()
        dessin = getattr(dessin, "plain", str(dessin))
        assert dessin.count(COMPLET) == 1 and dessin.count(A_POINTER) == 1
        # The bars differ by their texture too, named under the chart (plotext's legend,
        # inside it, covered the top of the first bar).
        assert "Présents" not in dessin and "▒" in dessin and "█" in dessin
        assert texte(app, "#freq-legende") == " ".join(LEGENDE_FREQUENTATION.plain.split())
        assert "██ Réservés  ▒▒ Présents" in LEGENDE_FREQUENTATION.plain
        assert "20 % ou plus des réservés non pointés" in LEGENDE_FREQUENTATION.plain


async def remplir(pilot, champ: str, valeur: str) -> None:
    widget = pilot.app.screen.query_one(f"#champ-{champ}", Input)
    widget.focus()
    await pilot.pause()
    widget.value = ""
    await saisir(pilot, valeur)


async def test_plafonds_caf_par_l_administrateur(fabrique_app, engine):
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "admin", "Admin2026")
        await pilot.press("f11")
        await attendre(pilot, lambda: isinstance(app.screen, EcranTableauDeBord))
        ecran = app.screen
        await attendre(pilot, lambda: ecran.vue is not None)
        await pilot.press("4")
        await attendre(
            pilot, lambda: "journée 9 h, demi-journée 4 h" in texte(app, "#caf-plafonds")
        )
        await pilot.press("p")
        await attendre(pilot, lambda: isinstance(app.screen, ParametresPlafondsCaf))
        assert app.screen.query_one("#champ-journee", Input).value == "9 h"
        assert app.screen.query_one("#champ-demi_journee", Input).value == "4 h"
        await remplir(pilot, "journee", "8 h 75")
        await attendre(pilot, lambda: "de 0 à 59" in texte(app, "#erreur-journee"))
        await remplir(pilot, "journee", "3 h")  # now below the half-day: said at the half-day
        await attendre(pilot, lambda: texte(app, "#erreur-journee") == "")
        assert texte(app, "#erreur-demi_journee") == "La demi-journée dépasse la journée (3 h)."
        await pilot.press("ctrl+s")  # refused: nothing written, what was typed stays
        await attendre(pilot, lambda: "rien n'a été enregistré" in texte(app, "#form-erreur"))
        assert app.screen.query_one("#champ-journee", Input).value == "3 h"
        await remplir(pilot, "journee", "8h30")
        await remplir(pilot, "demi_journee", "3:45")
        await attendre(pilot, lambda: texte(app, "#erreur-demi_journee") == "")
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: app.screen is ecran)
        await attendre(
            pilot,
            lambda: any("journée 8 h 30, demi-journée 3 h 45" in n for n in notifications(app)),
        )
        # The CAF's figures are counted again with the new caps.
        await attendre(
            pilot, lambda: "journée 8 h 30, demi-journée 3 h 45" in texte(app, "#caf-plafonds")
        )
        assert (ecran.caf.plafond_journee, ecran.caf.plafond_demi_journee) == (510, 225)
    with ouvrir(engine) as s:
        reglages = s.exec(select(Collectivite)).one()
        assert (
            reglages.caf_plafond_journee_minutes,
            reglages.caf_plafond_demi_journee_minutes,
        ) == (
            510,
            225,
        )
        journal = s.exec(select(Journal).where(Journal.action == "plafonds caf parametres")).one()
        assert journal.apres == {
            "caf_plafond_journee_minutes": 510,
            "caf_plafond_demi_journee_minutes": 225,
        }


async def test_plafonds_caf_refuses_au_regisseur(fabrique_app):
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        ecran = await ouvrir_tableau(pilot)
        await pilot.press("p")
        await attendre(
            pilot,
            lambda: any("Seul un administrateur" in n for n in notifications(app)),
        )
        assert app.screen is ecran


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
        await pilot.press("4")  # the CAF's figures, counted in a thread
        await attendre(pilot, lambda: ecran.caf is not None and texte(app, "#caf-plafonds"))
        await pilot.pause()
        _instantane(f"tableau_caf_{taille[0]}x{taille[1]}.txt", texte_ecran(app))


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


async def test_tableau_de_bord_pret_avant_d_etre_ouvert(fabrique_app, engine, monkeypatch):
    """Built ahead after the login, the dashboard reads its figures and draws every
    section's plot while hidden: F11 shows them at once, on the fréquentation, and no
    section draws its plot again when first shown; a figure changed meanwhile is shown once
    read again at the opening. Closed, it is made ready again for the next opening."""
    import ecrans.graphique

    dessins: list[tuple[int, int]] = []
    dessiner = ecrans.graphique.dessiner

    def compter(trace, largeur, hauteur):
        dessins.append((largeur, hauteur))
        return dessiner(trace, largeur, hauteur)

    monkeypatch.setattr(ecrans.graphique, "dessiner", compter)
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await attendre(
            pilot,
            lambda: app._ecran_tableau is not None and app._ecran_tableau.pret_pour(REFERENCE),
        )
        ecran = app._ecran_tableau
        graphiques = [
            ecran.query_one(ident, Graphique)
            for ident in ("#freq-graphique", "#argent-graphique", "#familles-graphique")
        ]
        await attendre(pilot, lambda: all(g._taille != (0, 0) for g in graphiques))
        assert app.screen is not ecran
        assert all(g._taille[0] > 60 for g in graphiques)  # drawn at their width at 80×24

        # A presence unrecorded while the screen waits: shown once read again.
        activite = lire(engine, lambda s: frequentation_du_mois(s, 2026, 11, REFERENCE))[0]
        jour = next(j for j in activite.jours if j.presents)
        with ouvrir(engine) as s:
            present = s.exec(
                select(Consommation).where(
                    Consommation.activite_id == activite.activite_id,
                    Consommation.jour == jour.jour,
                    Consommation.etat == EtatConsommation.PRESENT,
                )
            ).first()
            present.etat = EtatConsommation.RESERVE
            s.add(present)
            s.commit()
        table = ecran.query_one("#freq-jours", TableLignes)
        vues = lambda: [  # noqa: E731
            [table.get_row_at(i)[n] for n in (1, 2, 4)] for i in range(table.row_count)
        ]
        assert vues() != _jours(engine, 2026, 11)  # (what was read before)
        dessins.clear()
        await pilot.press("f11")
        assert app.screen is ecran and ecran.vue is not None  # shown with its figures
        assert ecran.query_one("#tableau-sections ContentSwitcher").current == "frequentation"
        await attendre(pilot, lambda: vues() == _jours(engine, 2026, 11))
        assert len(dessins) == 1  # the fréquentation's plot, for the figure that changed
        for touche, graphique in (("2", graphiques[1]), ("3", graphiques[2])):
            await pilot.press(touche)
            await attendre(pilot, lambda g=graphique: g.region.width > 0)
            await pilot.pause()
        assert len(dessins) == 1  # the other sections' plots were drawn while hidden

        await pilot.press("escape")
        await attendre(pilot, lambda: app.screen is not ecran)
        await attendre(pilot, lambda: ecran.pret_pour(REFERENCE))
        assert ecran.query_one("#tableau-sections").active == "frequentation"
        await pilot.press("f11")
        assert app.screen is ecran
        assert ecran.query_one("#tableau-sections ContentSwitcher").current == "frequentation"
        assert vues() == _jours(engine, 2026, 11)
