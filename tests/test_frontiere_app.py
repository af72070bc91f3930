"""Issue 13, point 4: another counter holds SQLite's write lock. A search, a family file, the
billing preview and the month's PDF batch still read; an action says "base occupée" after a
short wait, the app keeps running, and the same action works once the lock is released."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager

from sqlmodel import func, select
from textual.widgets import Input

from ecrans.encaissement import FormulaireEncaissement
from ecrans.famille import EcranFamille
from ecrans.widgets import Confirmation
from modele.db import MESSAGE_OCCUPEE
from modele.db import session as ouvrir
from modele.reglements import Reglement
from tests.conftest import JOUR_SEED, REFERENCE
from tests.pilote import attendre, connecter, lignes, saisir, texte
from tui.config import dossier_donnees

TAILLE = (150, 50)


@contextmanager
def autre_poste_ecrit(engine):
    """Another counter in the middle of a long action: a raw connection holds the lock."""
    bloqueur = sqlite3.connect(engine.url.database, isolation_level=None)
    bloqueur.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        bloqueur.execute("ROLLBACK")
        bloqueur.close()


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


def nombre_reglements(engine) -> int:
    with ouvrir(engine) as s:
        return s.exec(select(func.count()).select_from(Reglement)).one()


async def test_recherche_et_paiement_pendant_qu_un_autre_poste_ecrit(fabrique_app, engine):
    avant = nombre_reglements(engine)
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        with autre_poste_ecrit(engine):
            await saisir(pilot, "dupont")  # a keystroke: results, no wait on the lock
            await attendre(pilot, lambda: lignes(app, "#resultats"))
            assert "DUPONT" in lignes(app, "#resultats")[0][1]
            await pilot.press("enter")  # the family file only reads
            await attendre(
                pilot,
                lambda: (
                    isinstance(app.screen, EcranFamille) and "DUPONT" in texte(app, "#bienvenue")
                ),
            )
            await pilot.press("p")
            await attendre(pilot, lambda: isinstance(app.screen, FormulaireEncaissement))
            formulaire = app.screen
            formulaire.query_one("#champ-reference_paiement", Input).value = "0004513"
            formulaire.query_one("#champ-banque", Input).value = "La Banque Postale"
            await pilot.press("ctrl+s")  # the payment waits briefly, then says why not
            await attendre(pilot, lambda: MESSAGE_OCCUPEE in texte(app, "#form-erreur"))
            assert app.is_running and app.screen is formulaire
            assert formulaire.query_one("#champ-reference_paiement", Input).value == "0004513"
        await pilot.press("ctrl+s")  # the other counter is done: the same form goes through
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        await pilot.press("n")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))
    assert nombre_reglements(engine) == avant + 1


async def test_apercu_de_facturation_et_pdf_du_mois_sans_le_verrou(fabrique_app, engine):
    app = fabrique_app(REFERENCE)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        with autre_poste_ecrit(engine):
            await pilot.press("f6")  # October, already billed: its invoices can be printed
            await attendre(
                pilot, lambda: texte(app, "#facturation-etat").startswith("Rien à facturer")
            )
            await pilot.press("i")  # the month's PDF batch reads only
            fichier = dossier_donnees() / "exports" / "Factures_AL_2026-10.pdf"
            await attendre(pilot, fichier.exists)
            await pilot.press("pagedown")  # November's preview: computed under the lock
            await attendre(pilot, lambda: "factures à émettre" in texte(app, "#facturation-etat"))
            assert lignes(app, "#facturation-familles")
            await pilot.press("e")
            await attendre(
                pilot,
                lambda: (
                    isinstance(app.screen, Confirmation) and "pas terminé" in app.screen.question
                ),
            )
            await pilot.press("o")  # the month is not over: issue anyway
            await attendre(
                pilot,
                lambda: (
                    isinstance(app.screen, Confirmation)
                    and app.screen.question.startswith("Émettre")
                ),
            )
            await pilot.press("o")  # issuing writes: it waits briefly, then says why not
            await attendre(pilot, lambda: MESSAGE_OCCUPEE in notifications(app))
            assert app.is_running
        assert not any("Impression impossible" in m for m in notifications(app))
