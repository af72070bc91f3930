"""The header's line at every width: the title, then as much of the agent, the day and the
counts waiting for the service as fits, never cut in the middle (80×24 included)."""

from __future__ import annotations

import pytest

from ecrans.compat_textual import texte_ecran
from tests.pilote import attendre, connecter, ouvrir_famille


def entete(app) -> str:
    return texte_ecran(app).splitlines()[0].strip()


@pytest.mark.parametrize(
    ("largeur", "attendu"),
    [
        (80, "Guichet Famille — {nom} — 27/11 — "),
        (120, "Guichet Famille — {initiale}. {nom} — 27/11/2026 — "),
        (170, "Guichet Famille — {prenom} {nom} (Administrateur) — vendredi 27 novembre 2026 — "),
    ],
)
async def test_entete_a_chaque_largeur(fabrique_app, largeur, attendu):
    app = fabrique_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await connecter(pilot, "admin", "Admin2026")
        await pilot.resize_terminal(largeur, 30)
        agent = app.agent
        ligne = attendu.format(initiale=agent.prenom[0], prenom=agent.prenom, nom=agent.nom)
        await attendre(pilot, lambda: ligne in entete(app))
        assert "…" not in entete(app)
        assert "demande" in entete(app) and "lu" in entete(app)


async def test_entete_d_un_titre_long_et_apres_un_changement_de_taille(fabrique_app):
    """A long title (F7, a family's file) keeps what fits whole; a screen shown again after
    the terminal changed size has its line formed for the new width."""
    app = fabrique_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await pilot.press("f7")
        await attendre(pilot, lambda: "Campagne quotient familial — " in entete(app))
        assert "…" not in entete(app) and "demande" in entete(app)
        await pilot.resize_terminal(120, 30)
        await attendre(pilot, lambda: f"— {app.agent.prenom[0]}. {app.agent.nom} —" in entete(app))
        await pilot.press("escape")
        await attendre(pilot, lambda: "Guichet Famille — " in entete(app))
        assert f"{app.agent.prenom[0]}. {app.agent.nom}" in entete(app)
        await pilot.resize_terminal(80, 24)
        await ouvrir_famille(pilot, "dupont jean")
        await attendre(pilot, lambda: "Famille DUPONT JEAN" in entete(app))
        assert "…" not in entete(app)
