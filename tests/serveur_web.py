"""`guichet web` started for a test: a free port, the test's base, stopped at the end."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlmodel import select

from modele.db import creer_engine
from modele.db import session as nouvelle_session
from modele.journal import Journal

RACINE = Path(__file__).resolve().parent.parent
DEMARRAGE = 20.0  # seconds at most for the server to answer (a loaded CI machine)


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def attendre(condition: Callable[[], object], delai: float, quoi: str) -> object:
    """Wait for a state (a server answering, a journal row), checking it every 50 ms."""
    fin = time.monotonic() + delai
    while True:
        resultat = condition()
        if resultat:
            return resultat
        if time.monotonic() > fin:
            raise AssertionError(f"attendu en {delai} s : {quoi}")
        time.sleep(0.05)


def _repond(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as reponse:
            return reponse.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def serveur_guichet(fichier: Path, date: str, journal_serveur: Path) -> Iterator[str]:
    """`guichet web` on `fichier` at `date`; yields the page's URL, stops the server (and
    the tabs' processes) at the end."""
    port = port_libre()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(RACINE), env.get("PYTHONPATH")]))
    env["GUICHET_VERROUILLAGE_MINUTES"] = "0"
    commande = [sys.executable, "-m", "tui", "web", "--base", str(fichier), "--date", date]
    commande += ["--port", str(port)]
    with open(journal_serveur, "wb") as sortie:
        serveur = subprocess.Popen(
            commande, cwd=RACINE, env=env, stdout=sortie, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        attendre(
            lambda: serveur.poll() is not None or _repond(url),
            DEMARRAGE,
            f"le serveur sur {url}",
        )
        assert serveur.poll() is None, journal_serveur.read_text(errors="replace")
        yield url
    finally:
        serveur.send_signal(signal.SIGTERM)
        try:
            serveur.wait(timeout=15)
        except subprocess.TimeoutExpired:
            serveur.kill()
            serveur.wait()


def lignes_journal(fichier: Path, action: str) -> list[Journal]:
    """The journal's rows of an action, read as another counter would."""
    engine = creer_engine(f"sqlite:///{fichier}")
    try:
        with nouvelle_session(engine) as session:
            return list(session.exec(select(Journal).where(Journal.action == action)).all())
    finally:
        engine.dispose()
