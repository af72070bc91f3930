"""A page damaged in the middle of the base: found in the background after the first login
and told to the agent; an action that meets it gets the French message, not a crash."""

from __future__ import annotations

import shutil

import pytest

from ecrans.compat_textual import notifications
from modele.base import ErreurMetier
from modele.db import MESSAGE_ABIMEE, creer_engine, lire, verifier_integrite
from tests.pilote import attendre, connecter
from tui.app import GuichetApp
from tui.config import Reglages, url_sqlite


def abimer(fichier_demo, tmp_path):
    base = tmp_path / "abimee.db"
    shutil.copy(fichier_demo, base)
    pages = base.stat().st_size // 4096
    with base.open("r+b") as flux:
        for page in range(pages // 3, 2 * pages // 3):
            flux.seek(page * 4096 + 8)
            flux.write(b"\xde\xad\xbe\xef" * 64)
    return base


def test_lecture_d_une_page_abimee_en_francais(fichier_demo, tmp_path):
    engine = creer_engine(url_sqlite(abimer(fichier_demo, tmp_path)))
    assert verifier_integrite(engine) is not None

    def tout_lire(session) -> None:
        connexion = session.connection()
        tables = (
            connexion.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")
            .scalars()
            .all()
        )
        for table in tables:
            connexion.exec_driver_sql(f'SELECT * FROM "{table}"').all()

    with pytest.raises(ErreurMetier) as erreur:
        lire(engine, tout_lire)
    assert erreur.value.message == MESSAGE_ABIMEE
    engine.dispose()


def test_base_saine_rien_a_dire(engine):
    assert verifier_integrite(engine) is None


async def test_page_abimee_dite_apres_la_connexion(fichier_demo, tmp_path):
    engine = creer_engine(url_sqlite(abimer(fichier_demo, tmp_path)))
    app = GuichetApp(Reglages(db_url=str(engine.url), dossier=tmp_path / "donnees"), engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await connecter(pilot)
        await attendre(
            pilot, lambda: any("La base est endommagée" in n for n in notifications(app))
        )
        assert app.is_running
    assert (tmp_path / "donnees" / "erreurs.log").exists()
    engine.dispose()
