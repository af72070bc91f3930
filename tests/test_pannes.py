"""Killing the app (SIGKILL) in the middle of an action leaves the database as before it:
a billing run, a payment, an accepted request. Real subprocesses, real kills."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SCRIPT = textwrap.dedent("""
    import datetime as dt, sys, time
    from sqlmodel import select
    from modele.base import Contexte
    from modele.db import creer_engine, session
    from modele.demandes import Demande, StatutDemande, TypeDemande, accepter_demande
    from modele.famille import Famille
    from modele.reglements import ModeReglement, encaisser, facturer_mois
    from modele.structure import Regie

    url, action = sys.argv[1], sys.argv[2]
    ctx = Contexte.systeme("tests", aujourdhui=dt.date(2026, 11, 27))
    with session(creer_engine(url)) as s:
        regie = s.exec(select(Regie)).first()
        if action == "facturation":
            assert facturer_mois(s, ctx, regie.id, dt.date(2026, 11, 1),
                                 dt.date(2026, 11, 30), dt.date(2026, 11, 27),
                                 mois_en_cours=True)
        elif action == "reglement":
            famille = s.exec(select(Famille).where(Famille.numero == "1001001818331")).one()
            encaisser(s, ctx, famille.id, regie.id, 12060, ModeReglement.ESPECES,
                      dt.date(2026, 11, 27), garder_en_avoir=True)
        else:
            demande = s.exec(select(Demande).where(
                Demande.statut == StatutDemande.EN_ATTENTE,
                Demande.type == TypeDemande.RESERVATION)).first()
            accepter_demande(s, ctx, demande)
        s.flush()
        print("PRET", flush=True)
        time.sleep(60)
        s.commit()
""")

COMPTES = (
    "SELECT (SELECT count(*) FROM facture), (SELECT count(*) FROM reglement), "
    "(SELECT count(*) FROM demande WHERE statut = 'en_attente'), "
    "(SELECT count(*) FROM journal), (SELECT count(*) FROM jourfacture)"
)


@pytest.mark.parametrize("action", ["facturation", "reglement", "demande"])
def test_sigkill_au_milieu_d_une_action(action, base, tmp_path):
    fichier = base.removeprefix("sqlite:///")
    with sqlite3.connect(fichier) as connexion:
        avant = connexion.execute(COMPTES).fetchone()
    script = tmp_path / "action.py"
    script.write_text(SCRIPT)
    racine = Path(__file__).resolve().parent.parent
    processus = subprocess.Popen(
        [sys.executable, str(script), base, action],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=racine,
        env=os.environ | {"PYTHONPATH": str(racine)},
    )
    ligne = processus.stdout.readline()
    assert ligne.strip() == "PRET", processus.stderr.read()
    os.kill(processus.pid, signal.SIGKILL)
    processus.wait(10)
    assert processus.returncode == -signal.SIGKILL
    with sqlite3.connect(fichier) as connexion:
        assert connexion.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connexion.execute(COMPTES).fetchone() == avant
