"""Long commands show their progress: plain French lines when the output is a pipe (each
command is run as a process, its output to a pipe), a Rich bar on a terminal; the first
`guichet --demo` says once what it builds and where, then sums it up in French."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pypdf

from data.demo import StatsDemo
from modele.db import creer_engine, lire
from modele.dossier import entete
from modele.famille import famille_par_numero
from modele.formats import nouveaux_messages
from tests.conftest import JOUR_SEED
from tui.config import url_sqlite
from tui.fichier_base import revisions_connues
from tui.progression import SuiviConsole

RACINE = Path(__file__).resolve().parent.parent
SEED_004 = "Bienvenue JEAN DUPONT, vous avez 1 Nouveau(s) Message(s) Lundi 4 Mai 2015"


def guichet(*arguments: str, entree: str | None = None) -> subprocess.CompletedProcess[str]:
    """`guichet ARGUMENTS` in its own process, stdout and stderr to pipes."""
    env = dict(os.environ, PYTHONPATH=str(RACINE))
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *arguments],
        cwd=RACINE,
        env=env,
        input=entree,
        capture_output=True,
        text=True,
        timeout=600,
    )


def etape_finie(sortie: str, etape: str, total: int | None = None) -> re.Match[str]:
    """The closing line of a step: "Familles : 3 / 3, fait en 0,2 s"."""
    compte = rf"\d+ / {total}, " if total is not None else r"(?:[\d\u202f]+(?: / [\d\u202f]+)?, )?"
    trouve = re.search(rf"^{re.escape(etape)} : {compte}fait en [\d,]+ s$", sortie, re.M)
    assert trouve, f"no end line for « {etape} » in:\n{sortie}"
    return trouve


def test_suivi_en_lignes_simples_hors_terminal():
    flux = io.StringIO()
    with SuiviConsole(flux, terminal=False, intervalle=3600) as progression:
        progression("Familles", 0, 3)
        progression("Familles", 2, 3)  # within the interval: no line
        progression("Familles", 3, 3)
        progression("Messages", 0, None)
        progression("Messages", 12, None)
    assert flux.getvalue().splitlines()[0] == "Familles…"
    etape_finie(flux.getvalue(), "Familles", 3)
    assert re.fullmatch(
        r"Familles…\nFamilles : 3 / 3, fait en [\d,]+ s\nMessages…\n"
        r"Messages : 12, fait en [\d,]+ s\n",
        flux.getvalue(),
    )


def test_suivi_en_barre_sur_un_terminal():
    flux = io.StringIO()
    with SuiviConsole(flux, terminal=True) as progression:
        progression("Facturation (mois)", 5, 14)
    ecran = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", flux.getvalue())
    assert "Facturation (mois)" in ecran
    assert "14/14" in ecran  # the step is shown whole when it ends
    assert "écoulé" in ecran and "reste" in ecran
    assert re.search(r"\d+:\d\d:\d\d", ecran)  # elapsed, time left


def test_resume_demo_en_francais():
    from tui.cli import resume_demo

    texte = resume_demo(StatsDemo(familles=302, enfants=525, factures=3668, quotients=1, duree=9.2))
    assert texte.startswith("302 familles, 525 enfants, 0 inscription, ")
    assert "3\u202f668 factures" in texte  # babel's fr_FR group separator
    assert "1 quotient familial" in texte
    assert texte.endswith(", en 9,2 s.")
    assert "StatsDemo" not in texte


def test_demo_dans_un_tube_puis_accueil_de_dupont_comme_le_guide(tmp_path):
    """`guichet demo` to a pipe: what it builds and where, each step's end with its count,
    then the French summary; on this demo (graine 1, as the issue built it) DUPONT's
    Accueil on 4 May 2015 says what the portal guide's header says."""
    fichier = tmp_path / "demo.db"
    fait = guichet("demo", "--familles", "3", "--graine", "1", "--base", str(fichier))
    assert fait.returncode == 0, fait.stderr
    err = fait.stderr
    assert err.splitlines()[0] == (
        "Construction de la base de démonstration (3 familles générées, plus celles des "
        f"guides du portail) dans {fichier} :"
    )
    etape_finie(err, "Schéma de la base (migrations)", len(revisions_connues()))
    for etape in ("Données de référence", "Statistiques de la base"):
        etape_finie(err, etape)
    etape_finie(err, "Familles des guides", 2)
    etape_finie(err, "Familles", 3)
    etape_finie(err, "Planning", 4)  # the three, and BERTRAND's family
    etape_finie(err, "Quotients familiaux", 4)
    mois = int(etape_finie(err, "Facturation (mois)").group(0).split(" / ")[1].split(",")[0])
    assert mois > 12  # every month billed since the previous school year
    assert "\x1b" not in err  # no terminal codes in a pipe
    assert re.fullmatch(
        r"Base de démonstration prête : 5 familles, \d+ enfants, .* factures, .*, en .+ s\.\n",
        fait.stdout,
    )

    # The guide's header, taken apart: who, how many new messages, which day.
    qui, nombre, jour = re.fullmatch(
        r"Bienvenue (.+), vous avez (\d+) Nouveau\(s\) Message\(s\) (\w+ \d+ \w+ \d{4})",
        SEED_004,
    ).groups()
    assert jour.lower() == "lundi 4 mai 2015" and JOUR_SEED == dt.date(2015, 5, 4)
    engine = creer_engine(url_sqlite(fichier))
    try:
        tete = lire(
            engine,
            lambda s: entete(s, famille_par_numero(s, "1001001818331").id, JOUR_SEED),
        )
    finally:
        engine.dispose()
    assert tete.non_lus == int(nombre)
    assert tete.bienvenue == f"Bienvenue {qui}, {nouveaux_messages(int(nombre))} — {jour.lower()}"


def test_facturer_dans_un_tube(base):
    fichier = base.removeprefix("sqlite:///")
    fait = guichet(
        "facturer", "--regie", "AL", "--mois", "2026-11", "--emettre", "--mois-en-cours",
        "--base", fichier, "--date", "2026-11-27",
    )  # fmt: skip
    assert fait.returncode == 0, fait.stderr
    etape_finie(fait.stderr, "Jours à facturer")
    familles = int(etape_finie(fait.stderr, "Familles").group(0).split(" / ")[1].split(",")[0])
    assert familles > 0
    etape_finie(fait.stderr, "Émission des factures", familles)
    assert fait.stderr.count("Jours à facturer…") == 2  # the preview, then the issue
    assert f"{familles} factures émises le 27/11/2026" in fait.stdout
    assert "\x1b" not in fait.stderr


def test_impression_des_factures_du_mois_dans_un_tube(base, tmp_path):
    sortie = tmp_path / "octobre.pdf"
    fait = guichet(
        "imprimer", "factures", "AL", "--mois", "2026-10", "--sortie", str(sortie),
        "--base", base.removeprefix("sqlite:///"), "--date", "2026-11-27",
    )  # fmt: skip
    assert fait.returncode == 0, fait.stderr
    etape_finie(fait.stderr, "Lecture des factures")
    fin = etape_finie(fait.stderr, "Factures mises en page").group(0)
    nombre = int(re.search(r" / (\d+),", fin).group(1))
    assert nombre > 1
    assert fait.stdout == f"{sortie}\n"
    assert len(pypdf.PdfReader(sortie).pages) >= nombre  # one page or more per invoice


def test_sauvegarde_et_restauration_dans_un_tube(fichier_demo, tmp_path):
    fichier = tmp_path / "guichet.db"
    shutil.copy(fichier_demo, fichier)
    sauvegarde = tmp_path / "sauvegarde.db"
    fait = guichet("sauvegarde", str(sauvegarde), "--base", str(fichier))
    assert fait.returncode == 0, fait.stderr
    with closing(sqlite3.connect(fichier)) as connexion:
        pages = connexion.execute("PRAGMA page_count").fetchone()[0]
    assert fait.stderr.splitlines()[0] == "Vérification de la base…"
    etape_finie(fait.stderr, "Vérification de la base")
    etape_finie(fait.stderr, "Copie de la base (pages)", pages)
    assert f"écrite dans {sauvegarde}" in fait.stdout

    fait = guichet("--base", str(fichier), "restaurer", str(sauvegarde), "--oui")
    assert fait.returncode == 0, fait.stderr
    etape_finie(fait.stderr, "Vérification de la sauvegarde")
    etape_finie(fait.stderr, "Copie de la base actuelle (pages)", pages)
    etape_finie(fait.stderr, "Restauration (pages)", pages)
    assert f"restaurée depuis {sauvegarde}" in fait.stdout


def test_premiere_ouverture_en_francais_une_fois(tmp_path, monkeypatch, capsys):
    """The first --demo says once what it builds and where, shows its steps, then a short
    French summary (never StatsDemo's repr)."""
    from tui import cli

    monkeypatch.setattr(cli, "FAMILLES_PREMIERE_OUVERTURE", 2)
    regl = cli.reglages(cli.analyseur().parse_args(["--demo", "--date", "2026-11-27"]))
    assert cli.ouvrir_base(regl, creer_demo=True, differe=True) is None  # then the app
    sortie = capsys.readouterr()
    assert sortie.err.count("Première ouverture") == 1
    assert sortie.err.startswith(
        "Première ouverture : construction de la base de démonstration (2 familles générées, "
        f"plus celles des guides du portail) dans {regl.fichier_sqlite}, une fois pour "
        "toutes :\n"
    )
    etape_finie(sortie.err, "Familles", 2)
    etape_finie(sortie.err, "Facturation (mois)")
    assert re.fullmatch(
        r"Base de démonstration prête : 4 familles, \d+ enfants, .*, en .+ s\.\n", sortie.out
    )
    assert "StatsDemo" not in sortie.out + sortie.err


def test_migrations_disent_leur_avancement(tmp_path):
    from modele.db import ETAPE_SCHEMA, migrer

    engine = creer_engine(url_sqlite(tmp_path / "neuve.db"))
    vus: list[tuple[str, int, int | None]] = []
    try:
        migrer(engine, lambda *avance: vus.append(avance))
        total = len(revisions_connues())
        assert vus == [(ETAPE_SCHEMA, n, total) for n in range(total + 1)]
        vus.clear()
        migrer(engine, lambda *avance: vus.append(avance))  # up to date: nothing to say
        assert vus == []
    finally:
        engine.dispose()
