"""The base file guarded: the copy kept aside before a restore holds what the WAL holds, a
restore waits for or refuses another process that has the base open, an empty or foreign
file is refused, damage is said, and every schema state has its French message and exit
code. Real second processes, no fixed waits."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from pathlib import Path

import pytest

from tui import cli
from tui.cli import main
from tui.config import Reglages, url_sqlite
from tui.fichier_base import copier, seul_sur_la_base

RACINE = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _jamais_l_application(monkeypatch):
    """A file that should be refused must never reach the app (it would wait for keys)."""
    from tui.app import GuichetApp

    def demarrer(_app):
        raise AssertionError("l'application a démarré sur une base qui devait être refusée")

    monkeypatch.setattr(GuichetApp, "run", demarrer)


# Payments committed one by one through the app's own engine (WAL, BEGIN IMMEDIATE); the
# id of each is printed once committed. "attendre": then holds the base open until a line.
ENCAISSEUR = textwrap.dedent("""
    import datetime as dt, sys
    from sqlmodel import select
    from modele.base import Contexte
    from modele.db import creer_engine, session
    from modele.famille import Famille
    from modele.reglements import ModeReglement, encaisser
    from modele.structure import Regie

    url, combien = sys.argv[1], int(sys.argv[2])
    ctx = Contexte.systeme("tests", aujourdhui=dt.date(2026, 11, 27))
    engine = creer_engine(url)
    with session(engine) as s:
        regie_id = s.exec(select(Regie)).first().id
        famille_id = s.exec(select(Famille).where(Famille.numero == "1001001818331")).one().id
    n = 0
    while combien < 0 or n < combien:
        with session(engine) as s:
            reglement = encaisser(s, ctx, famille_id, regie_id, 100 + n, ModeReglement.ESPECES,
                                  dt.date(2026, 11, 27), garder_en_avoir=True)
            s.commit()
            print(reglement.id, flush=True)
        n += 1
    print("FIN", flush=True)
    sys.stdin.readline()
""")


def _processus(tmp_path: Path, script: str, *arguments: str) -> subprocess.Popen:
    fichier = tmp_path / "processus.py"
    fichier.write_text(script)
    return subprocess.Popen(
        [sys.executable, str(fichier), *arguments],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=RACINE,
        env=os.environ | {"PYTHONPATH": str(RACINE)},
    )


def _ligne(processus: subprocess.Popen) -> str:
    ligne = processus.stdout.readline()
    assert ligne, processus.stderr.read()
    return ligne.strip()


def _reglements(fichier: Path) -> set[int]:
    with closing(sqlite3.connect(fichier)) as connexion:
        return {r[0] for r in connexion.execute("SELECT id FROM reglement")}


def _copie(fichier_demo: Path, tmp_path: Path, nom: str = "guichet.db") -> Path:
    copie = tmp_path / nom
    shutil.copy(fichier_demo, copie)
    return copie


def test_copie_pendant_qu_un_autre_processus_encaisse(fichier_demo, tmp_path):
    """Every payment committed before the copy began is in it, while another process goes on
    committing in WAL mode (the copy kept aside by `restaurer`, and `sauvegarde`)."""
    base = _copie(fichier_demo, tmp_path)
    encaisseur = _processus(tmp_path, ENCAISSEUR, url_sqlite(base), "-1")
    try:
        commis = {int(_ligne(encaisseur)) for _ in range(25)}
        with closing(sqlite3.connect(base)) as source:
            copier(source, tmp_path / "copie.db")
        assert encaisseur.poll() is None  # still committing while the copy was made
    finally:
        encaisseur.kill()
        encaisseur.wait(10)
    assert commis <= _reglements(tmp_path / "copie.db")
    with closing(sqlite3.connect(tmp_path / "copie.db")) as copie:
        assert copie.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_la_base_gardee_de_cote_a_ce_que_le_wal_contient(fichier_demo, tmp_path):
    """Payments committed by a counter killed before any checkpoint live in the -wal only:
    the copy kept aside by a restore has them (a plain copy of the file lost them)."""
    base = _copie(fichier_demo, tmp_path)
    sauvegarde = _copie(fichier_demo, tmp_path, "sauvegarde.db")
    encaisseur = _processus(tmp_path, ENCAISSEUR, url_sqlite(base), "30")
    commis = {int(_ligne(encaisseur)) for _ in range(30)}
    assert _ligne(encaisseur) == "FIN"
    encaisseur.send_signal(signal.SIGKILL)
    encaisseur.wait(10)
    assert Path(f"{base}-wal").stat().st_size > 0
    assert main(["--base", str(base), "restaurer", str(sauvegarde), "--oui"]) == 0
    (cote,) = tmp_path.glob("guichet.avant-restauration-*.db")
    assert commis <= _reglements(cote)
    assert not commis & _reglements(base)  # the backup, put back


# Holds the base open as the app does (its engine, one query), until a line on stdin.
TENEUR = textwrap.dedent("""
    import sys
    from sqlalchemy import text
    from modele.db import creer_engine
    engine = creer_engine(sys.argv[1])
    with engine.connect() as connexion:
        connexion.execute(text("SELECT count(*) FROM famille")).scalar()
    print("PRET", flush=True)
    sys.stdin.readline()
    engine.dispose()
""")


def test_restauration_refusee_tant_qu_un_autre_processus_a_la_base(fichier_demo, tmp_path, capsys):
    base = _copie(fichier_demo, tmp_path)
    sauvegarde = _copie(fichier_demo, tmp_path, "sauvegarde.db")
    with closing(sqlite3.connect(base)) as connexion, connexion:
        connexion.execute("DELETE FROM message")
    teneur = _processus(tmp_path, TENEUR, url_sqlite(base))
    try:
        assert _ligne(teneur) == "PRET"
        code = main(
            ["--base", str(base), "restaurer", str(sauvegarde), "--oui", "--attente", "0.2"]
        )
        err = capsys.readouterr().err
        assert code == 9 == cli.SORTIE_OCCUPEE
        assert "ouverte par un autre programme" in err and "Rien n'a été modifié" in err
        assert not list(tmp_path.glob("guichet.avant-restauration-*"))
        with closing(sqlite3.connect(base)) as connexion:
            assert connexion.execute("SELECT count(*) FROM message").fetchone()[0] == 0
    finally:
        teneur.communicate("\n", timeout=30)
    assert main(["--base", str(base), "restaurer", str(sauvegarde), "--oui"]) == 0


def test_restauration_attend_que_l_autre_processus_ferme(fichier_demo, tmp_path):
    """The restore says it waits, and goes on as soon as the other process closes the base."""
    base = _copie(fichier_demo, tmp_path)
    sauvegarde = _copie(fichier_demo, tmp_path, "sauvegarde.db")
    teneur = _processus(tmp_path, TENEUR, url_sqlite(base))
    assert _ligne(teneur) == "PRET"
    restauration = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tui.cli",
            "--base",
            str(base),
            "restaurer",
            str(sauvegarde),
            "--oui",
            "--attente",
            "120",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=RACINE,
        env=os.environ | {"PYTHONPATH": str(RACINE)},
    )
    try:
        annonce = restauration.stderr.readline()
        while annonce.startswith("Vérification de la sauvegarde"):  # its progress first
            annonce = restauration.stderr.readline()
        assert "attente de sa fermeture, 120 s au plus" in annonce
        assert restauration.poll() is None
        teneur.communicate("\n", timeout=30)
        sortie, erreurs = restauration.communicate(timeout=60)
    finally:
        teneur.kill()
        restauration.kill()
    assert restauration.returncode == 0, erreurs
    assert "restaurée depuis" in sortie


def test_le_lancement_pendant_une_restauration_le_dit(fichier_demo, tmp_path, capsys):
    base = _copie(fichier_demo, tmp_path)
    with seul_sur_la_base(base, 0):
        assert main(["--base", str(base)]) == 9
    assert "tenue par un autre programme" in capsys.readouterr().err


def test_fichier_vide_refuse(tmp_path, capsys):
    vide = tmp_path / "vide.db"
    vide.touch()
    assert main(["--base", str(vide)]) == 7 == cli.SORTIE_PAS_GUICHET
    assert "n'est pas une base de Guichet Famille" in capsys.readouterr().err
    assert vide.stat().st_size == 0  # never turned into a new base


def _etrangere(fichier: Path) -> None:
    with closing(sqlite3.connect(fichier)) as connexion, connexion:
        connexion.execute("CREATE TABLE photo (id INTEGER PRIMARY KEY, nom TEXT)")
        connexion.execute("CREATE TABLE alembic_version (version_num TEXT)")
        connexion.execute("INSERT INTO alembic_version VALUES ('ab12cd34')")


def _tables(fichier: Path) -> set[str]:
    with closing(sqlite3.connect(fichier)) as connexion:
        return {r[0] for r in connexion.execute("SELECT name FROM sqlite_master")}


def test_fichier_d_un_autre_programme_refuse(tmp_path, capsys):
    autre = tmp_path / "photos.db"
    _etrangere(autre)
    assert main(["--base", str(autre)]) == 7
    assert "appartient à un autre programme" in capsys.readouterr().err
    assert _tables(autre) == {"photo", "alembic_version"}
    # Nor rebuilt as a demo base, nor restored from.
    assert main(["--demo", "--base", str(autre)]) == 7
    assert _tables(autre) == {"photo", "alembic_version"}
    base = tmp_path / "guichet.db"
    assert main(["--base", str(base), "restaurer", str(autre), "--oui"]) == 7
    assert "n'est pas une sauvegarde de Guichet Famille" in capsys.readouterr().err


def test_une_base_neuve_se_construit_toujours(tmp_path, monkeypatch):
    """`guichet demo` and `--demo` on a new path (or an empty file) still build a base."""
    vraie = cli.construire_demo
    monkeypatch.setattr(
        cli, "construire_demo", lambda f, _n, graine, jour, *a: vraie(f, 1, graine, jour, *a)
    )
    assert main(["demo", "--base", str(tmp_path / "neuve.db"), "--familles", "1"]) == 0
    assert "agent" in _tables(tmp_path / "neuve.db")
    for fichier in (tmp_path / "premiere.db", tmp_path / "vide.db"):
        if fichier.name == "vide.db":
            fichier.touch()
        engine = cli.ouvrir_base(Reglages(db_url=url_sqlite(fichier)), creer_demo=True)
        assert engine is not None
        engine.dispose()
        assert "agent" in _tables(fichier)


def _mettre(fichier: Path, *requetes: str) -> None:
    with closing(sqlite3.connect(fichier)) as connexion, connexion:
        for requete in requetes:
            connexion.execute(requete)


@pytest.mark.parametrize(
    ("requete", "code", "message"),
    [
        ("DELETE FROM alembic_version", 8, "perdu son numéro de version de schéma"),
        ("DROP TABLE alembic_version", 8, "perdu son numéro de version de schéma"),
        ("UPDATE alembic_version SET version_num = 'abcd'", 8, "version de schéma inconnue"),
        ("UPDATE alembic_version SET version_num = '9999'", 3, "version plus récente"),
    ],
)
def test_chaque_etat_du_schema_a_son_message(
    fichier_demo, tmp_path, capsys, requete, code, message
):
    base = _copie(fichier_demo, tmp_path)
    _mettre(base, requete)
    assert main(["--base", str(base)]) == code
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and "already exists" not in err


def test_base_ancienne_migration_annoncee(tmp_path, capsys):
    from alembic import command
    from alembic.config import Config

    from modele.db import MIGRATIONS, REVISION_COURANTE, creer_engine, revision

    fichier = tmp_path / "ancienne.db"
    engine = creer_engine(url_sqlite(fichier))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connexion:
        config.attributes["connection"] = connexion
        command.upgrade(config, "0001")
    engine.dispose()
    engine = cli.ouvrir_base(Reglages(db_url=url_sqlite(fichier)), differe=True)
    assert engine is not None
    assert revision(engine) == REVISION_COURANTE
    engine.dispose()
    assert f"Mise à jour du schéma de la base (0001 → {REVISION_COURANTE}" in (
        capsys.readouterr().err
    )


def test_base_tronquee_dite_au_lancement(fichier_demo, tmp_path, capsys):
    base = _copie(fichier_demo, tmp_path)
    with base.open("r+b") as flux:
        flux.truncate(base.stat().st_size // 2)
    assert main(["--base", str(base)]) == 5
    assert "abîmée (fichier tronqué" in capsys.readouterr().err


def test_page_abimee_au_milieu_dite_a_la_premiere_lecture(fichier_demo, tmp_path, capsys):
    """Pages damaged in the middle of the file pass the start check (header and schema, within
    the launch budget); the first read that meets them says "abîmée" with exit code 5, no
    traceback; `sauvegarde` (full quick_check) finds them too."""
    base = _copie(fichier_demo, tmp_path)
    pages = base.stat().st_size // 4096
    with base.open("r+b") as flux:
        for page in range(pages // 3, 2 * pages // 3):
            flux.seek(page * 4096 + 8)
            flux.write(b"\xde\xad\xbe\xef" * 64)
    assert main(["--base", str(base), "facturer", "--regie", "AL", "--mois", "2026-11"]) == 5
    err = capsys.readouterr().err
    assert "abîmée (une page illisible)" in err and "guichet restaurer" in err
    assert main(["--base", str(base), "sauvegarde", str(tmp_path / "s.db")]) == 5
    assert not (tmp_path / "s.db").exists()
