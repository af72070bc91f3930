"""The command line: a missing, read-only, damaged or newer database is said clearly, with an
exit code; backups and restores."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from contextlib import closing

import pytest

from tests.conftest import PG_URL
from tui.cli import main


def test_base_introuvable(tmp_path, capsys):
    assert main(["--base", str(tmp_path / "absente.db")]) == 2
    assert "base introuvable" in capsys.readouterr().err
    assert not (tmp_path / "absente.db").exists()  # never a silent new empty database


@pytest.mark.skipif(os.geteuid() == 0, reason="root écrit partout")
def test_base_en_lecture_seule(fichier_demo, tmp_path, capsys):
    copie = tmp_path / "ro.db"
    shutil.copy(fichier_demo, copie)
    copie.chmod(stat.S_IRUSR)
    assert main(["--base", str(copie)]) == 4
    assert "lecture seule" in capsys.readouterr().err


def test_base_en_lecture_seule_dossier(fichier_demo, tmp_path, capsys, monkeypatch):
    copie = tmp_path / "ro.db"
    shutil.copy(fichier_demo, copie)
    monkeypatch.setattr(os, "access", lambda chemin, mode: False)
    assert main(["--base", str(copie)]) == 4
    assert "lecture seule" in capsys.readouterr().err


def test_base_abimee(tmp_path, capsys):
    abimee = tmp_path / "abimee.db"
    abimee.write_bytes(b"ceci n'est pas une base" * 100)
    assert main(["--base", str(abimee)]) == 5
    assert "abîmée" in capsys.readouterr().err


def test_base_plus_recente(fichier_demo, tmp_path, capsys):
    copie = tmp_path / "future.db"
    shutil.copy(fichier_demo, copie)
    with sqlite3.connect(copie) as connexion:
        connexion.execute("UPDATE alembic_version SET version_num = '9999'")
    assert main(["--base", str(copie)]) == 3
    assert "version plus récente" in capsys.readouterr().err


def test_sauvegarde_puis_restauration(fichier_demo, tmp_path, capsys):
    base = tmp_path / "guichet.db"
    shutil.copy(fichier_demo, base)
    sauvegarde = tmp_path / "sauvegarde.db"
    assert main(["sauvegarde", str(sauvegarde), "--base", str(base)]) == 0
    # Closed: an open connection holds the base, and the restore would wait for it.
    with closing(sqlite3.connect(base)) as connexion, connexion:
        connexion.execute("DELETE FROM message")
    assert main(["--base", str(base), "restaurer", str(sauvegarde), "--oui"]) == 0
    with closing(sqlite3.connect(base)) as connexion:
        assert connexion.execute("SELECT count(*) FROM message").fetchone()[0] > 0
    assert list(tmp_path.glob("guichet.avant-restauration-*.db"))
    assert main(["--base", str(base), "restaurer", str(tmp_path / "abimee.db"), "--oui"]) == 2
    # A file that is no base at all: said of the backup, not « restaurez une sauvegarde ».
    csv = tmp_path / "statistiques.csv"
    csv.write_text("enfant;heures\n" * 200)
    capsys.readouterr()
    assert main(["--base", str(base), "restaurer", str(csv), "--oui"]) == 5
    erreur = capsys.readouterr().err
    assert "n'est pas une sauvegarde utilisable, rien n'est restauré" in erreur
    assert "restaurez une sauvegarde" not in erreur


def test_restauration_demande_confirmation(fichier_demo, tmp_path, monkeypatch):
    base = tmp_path / "guichet.db"
    shutil.copy(fichier_demo, base)
    monkeypatch.setattr("builtins.input", lambda _: "non")
    assert main(["--base", str(base), "restaurer", str(fichier_demo)]) == 1


def test_sauvegarde_postgresql_donne_la_commande(capsys):
    assert main(["sauvegarde", "x.dump", "--db", "postgresql+psycopg://u@/guichet"]) == 0
    assert "pg_dump" in capsys.readouterr().out


def test_demo_inachevee_reconstruite(tmp_path, monkeypatch, capsys):
    """A demo base left without staff accounts (a build stopped half-way) is rebuilt by
    --demo, not opened into a login that can only fail."""
    from modele.db import creer_engine, migrer
    from tui import cli
    from tui.config import Reglages, url_sqlite

    fichier = tmp_path / "demo.db"
    engine = creer_engine(url_sqlite(fichier))
    migrer(engine)
    engine.dispose()
    vraie = cli.construire_demo
    monkeypatch.setattr(
        cli, "construire_demo", lambda f, _n, graine, jour, *a: vraie(f, 1, graine, jour, *a)
    )
    engine = cli.ouvrir_base(Reglages(db_url=url_sqlite(fichier)), creer_demo=True)
    engine.dispose()
    assert "inachevée" in capsys.readouterr().err
    connexion = sqlite3.connect(fichier)
    assert connexion.execute("SELECT count(*) FROM agent").fetchone()[0] > 0
    connexion.close()
    # A complete demo base is opened as it is.
    assert cli.ouvrir_base(Reglages(db_url=url_sqlite(fichier)), creer_demo=True) is not None
    assert "inachevée" not in capsys.readouterr().err


def test_demo_sur_la_base_nommee_par_db(tmp_path, capsys):
    """`guichet --db URL demo` builds where --db says, not in the data folder."""
    from tui import cli

    fichier = tmp_path / "ailleurs.db"
    assert (
        cli.main(
            ["--db", f"sqlite:///{fichier}", "--date", "2026-11-27", "demo", "--familles", "2"]
        )
        == 0
    )
    connexion = sqlite3.connect(fichier)
    assert connexion.execute("SELECT count(*) FROM famille").fetchone()[0] >= 2
    connexion.close()
    assert not (tmp_path / "donnees" / "demo.db").exists()
    assert cli.main(["--db", f"sqlite:///{fichier}", "demo", "--familles", "2"]) == 2
    assert "existe déjà" in capsys.readouterr().err


@pytest.mark.skipif(not PG_URL, reason="GUICHET_TEST_PG_URL absent : pas de PostgreSQL")
def test_demo_sur_postgresql(capsys):
    """The demo builds on PostgreSQL, refuses a base not empty, rebuilds with --remplacer,
    and leaves the planner its statistics."""
    import os

    from sqlalchemy import create_engine, text

    from tests.conftest import _url_pg
    from tui import cli

    nom = f"guichet_demo_{os.environ.get('PYTEST_XDIST_WORKER', 'seul')}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connexion:
        connexion.execute(text(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)'))
        connexion.execute(text(f'CREATE DATABASE "{nom}"'))
    url = _url_pg(nom)
    try:
        assert cli.main(["--db", url, "--date", "2026-11-27", "demo", "--familles", "3"]) == 0
        assert cli.main(["--db", url, "demo", "--familles", "3"]) == 2
        assert "n'est pas vide" in capsys.readouterr().err
        assert (
            cli.main(
                ["--db", url, "--date", "2026-11-27", "demo", "--familles", "4", "--remplacer"]
            )
            == 0
        )
        moteur = create_engine(url)
        with moteur.connect() as connexion:
            assert connexion.execute(text("SELECT count(*) FROM famille")).scalar() >= 4
            analysee = connexion.execute(
                text(
                    "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables "
                    "WHERE relname = 'famille'"
                )
            ).scalar()
        moteur.dispose()
        assert analysee
    finally:
        with admin.connect() as connexion:
            connexion.execute(text(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)'))
        admin.dispose()


def test_imprimer_facture_recu_releve_sans_l_application(fichier_demo, tmp_path, capsys):
    """`guichet imprimer`: the PDF of invoice N (and receipt, relevé) from its number."""
    from pypdf import PdfReader

    base = tmp_path / "guichet.db"
    shutil.copy(fichier_demo, base)
    sortie = tmp_path / "AL-36.pdf"
    assert (
        main(
            [
                "--base",
                str(base),
                "--date",
                "2015-05-04",
                "imprimer",
                "facture",
                "AL-36",
                "--sortie",
                str(sortie),
            ]
        )
        == 0
    )
    texte = "".join(p.extract_text() for p in PdfReader(sortie).pages)
    assert "AL-36" in texte and "120,60" in texte
    assert main(["--base", str(base), "--date", "2015-05-04", "imprimer", "recu", "AL-228"]) == 0
    chemin = capsys.readouterr().out.strip()
    assert chemin.endswith(".pdf") and "AL-228" in chemin
    assert (
        main(
            [
                "--base",
                str(base),
                "--date",
                "2015-05-04",
                "imprimer",
                "releve",
                "1001001818331",
                "--annee",
                "2014",
            ]
        )
        == 0
    )
    assert "2014-2015" in capsys.readouterr().out
    assert main(["--base", str(base), "imprimer", "facture", "AL-999999"]) == 1
    assert "Aucune facture AL-999999." in capsys.readouterr().err
    assert main(["--base", str(base), "imprimer", "facture", "n'importe quoi"]) == 1
    assert "invalide" in capsys.readouterr().err
    # A --sortie that cannot be written: said in French, exit 1, nothing half written.
    sortie = tmp_path / "absent" / "AL-36.pdf"
    assert main(["--base", str(base), "imprimer", "facture", "AL-36", "--sortie", str(sortie)]) == 1
    assert "impossible d'écrire" in capsys.readouterr().err
    assert not sortie.exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["statistiques", "caf", "--annee", "99999"], "année invalide « 99999 »"),
        (["attestations", "--annee", "0"], "année invalide « 0 »"),
        (["imprimer", "releve", "1001001818331", "--annee", "99999"], "année invalide"),
    ],
)
def test_annee_absurde_dite_en_francais(fichier_demo, arguments, message, capsys):
    """A year of five digits or 0 failed with a traceback (« year 99999 is out of range »)."""
    with pytest.raises(SystemExit) as sortie:
        main(["--base", str(fichier_demo), *arguments])
    assert sortie.value.code == 2
    assert message in capsys.readouterr().err


def test_facture_au_numero_demesure_et_sauvegarde_sans_dossier(fichier_demo, tmp_path, capsys):
    """« AL-99999999999999999999 » overflowed SQLite's integers; a backup into a folder that
    does not exist failed in sqlite3 (« unable to open database file »)."""
    base = tmp_path / "guichet.db"
    shutil.copy(fichier_demo, base)
    assert main(["--base", str(base), "imprimer", "facture", "AL-" + "9" * 20]) != 0
    assert "Numéro de facture invalide" in capsys.readouterr().err
    absent = tmp_path / "absent" / "copie.db"
    assert main(["--base", str(base), "sauvegarde", str(absent)]) != 0
    assert "n'existe pas : rien n'est écrit" in capsys.readouterr().err
    assert not absent.parent.exists()
