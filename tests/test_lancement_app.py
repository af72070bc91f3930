"""The launch on a database server (issue #18): the login screen shows before SQLAlchemy is
imported; the base is checked after the first frame, before a login is accepted; a server
that is down or at another schema stops the app, and `guichet` opens it as before the
first frame (migrated, or refused with the same French message and exit code). Then the
warm-up after login: one search and one family file read in the background."""

from __future__ import annotations

import gc
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from modele.base import ErreurMetier
from tests.conftest import REFERENCE
from tests.pilote import attendre, connecter
from tui.app import GuichetApp
from tui.cli import SORTIE_ILLISIBLE, main
from tui.config import Reglages
from tui.recherche import EcranRecherche

RACINE = Path(__file__).resolve().parent.parent
INJOIGNABLE = "postgresql+psycopg://guichet@/guichet?host=/chemin/absent&port=1"


def test_serveur_ouvert_apres_la_premiere_image():
    """`guichet --db URL` leaves a server to the app: nothing of SQLAlchemy before it runs."""
    code = (
        "import sys; from tui.cli import analyseur, ouvrir_base, reglages; "
        f"r = reglages(analyseur().parse_args(['--db', {INJOIGNABLE!r}])); "
        "assert ouvrir_base(r, differe=True) is None; "
        "assert 'sqlalchemy' not in sys.modules, 'sqlalchemy importé'"
    )
    env = dict(os.environ, PYTHONPATH=str(RACINE))
    fait = subprocess.run([sys.executable, "-c", code], cwd=RACINE, env=env, capture_output=True)
    assert fait.returncode == 0, fait.stderr.decode()


def test_serveur_injoignable_dit_comme_avant(monkeypatch, capsys):
    """The app finds the server down (as its warm-up or a login would): it stops, and the
    message and exit code are those said before the first frame."""
    lancees: list[GuichetApp] = []

    def run_sans_terminal(app: GuichetApp) -> None:
        lancees.append(app)
        with pytest.raises(ErreurMetier):
            _ = app.engine

    monkeypatch.setattr(GuichetApp, "run", run_sans_terminal)
    assert main(["--db", INJOIGNABLE]) == SORTIE_ILLISIBLE
    assert "impossible d'ouvrir la base" in capsys.readouterr().err
    assert len(lancees) == 1 and lancees[0].a_rouvrir


def test_base_d_un_autre_schema_arrete_l_app(base, monkeypatch):
    """A base at another revision: nothing is read from it, the app asks to be opened again
    (where `guichet` migrates it or refuses it)."""
    fichier = base.removeprefix("sqlite:///")
    with sqlite3.connect(fichier) as connexion:
        connexion.execute("UPDATE alembic_version SET version_num = '9999'")
    app = GuichetApp(Reglages(db_url=base, date_fixe=REFERENCE), None, a_verifier=True)
    with pytest.raises(ErreurMetier):
        _ = app.engine
    assert app.a_rouvrir
    with pytest.raises(ErreurMetier):  # asked again (a login): still refused, not retried
        _ = app.engine


async def test_base_verifiee_puis_connexion(base):
    app = GuichetApp(Reglages(db_url=base, date_fixe=REFERENCE), None, a_verifier=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await connecter(pilot)
        await attendre(pilot, lambda: isinstance(app.screen, EcranRecherche))
        assert not app.a_rouvrir
    assert not app.erreurs_inattendues


async def test_base_injoignable_l_app_s_arrete_seule():
    app = GuichetApp(Reglages(db_url=INJOIGNABLE, date_fixe=REFERENCE), None, a_verifier=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await attendre(pilot, lambda: app.a_rouvrir and not app.is_running)
    assert app.return_code == 1


async def test_prechauffage_apres_connexion_puis_session_figee(fabrique_app):
    app = fabrique_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await connecter(pilot)
        await attendre(pilot, lambda: gc.get_freeze_count() > 0)
        faits = [w for w in app.workers if w.group == "prechauffage-famille"]
        assert all(w.is_finished and w.error is None for w in faits)
        assert isinstance(app.screen, EcranRecherche)
