"""Launch to the login screen, whole process: from the process start to the first frame of
the login screen, read on a pseudo-terminal (the app is not changed for this): the time
until its text appears in what the app writes to the terminal. Beside it, the bare 6-tab
Textual app, measured the same way.

    python -m bench.lancement --base FICHIER.db | --db URL [--repetitions 15]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from bench.mesure import Serie, publier
from bench.moteur import options, transmises

RACINE = Path(__file__).resolve().parent.parent


def premiere_image(commande: list[str], attendu: bytes, delai: float = 30.0) -> float:
    """Seconds from starting `commande` to `attendu` written on its terminal."""
    maitre, esclave = pty.openpty()
    fcntl.ioctl(esclave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = dict(
        os.environ,
        TERM="xterm-256color",
        COLUMNS="120",
        LINES="40",
        TEXTUAL_CURSOR_BLINK="0",
        TEXTUAL_ANIMATIONS="none",
        TEXTUAL_FPS="120",
        GUICHET_VERROUILLAGE_MINUTES="0",
    )
    debut = time.perf_counter()
    processus = subprocess.Popen(
        commande,
        stdin=esclave,
        stdout=esclave,
        stderr=esclave,
        env=env,
        cwd=RACINE,
        start_new_session=True,
    )
    os.close(esclave)
    lu = b""
    try:
        while True:
            prets, _, _ = select.select([maitre], [], [], delai)
            if not prets:
                raise TimeoutError(f"{commande}: rien après {delai} s ; lu : {lu[-300:]!r}")
            try:
                morceau = os.read(maitre, 1 << 16)
            except OSError:
                raise RuntimeError(f"{commande} s'est arrêté ; lu : {lu[-600:]!r}") from None
            lu += morceau
            if attendu in lu:
                return time.perf_counter() - debut
    finally:
        os.killpg(processus.pid, signal.SIGKILL)
        processus.wait()
        os.close(maitre)


def main() -> None:
    analyseur = argparse.ArgumentParser()
    options(analyseur)
    analyseur.add_argument("--repetitions", type=int, default=15)
    analyseur.add_argument("--date", default="2026-11-27")
    args = analyseur.parse_args()
    python = sys.executable
    guichet = [
        python,
        "-c",
        "import sys; from tui.cli import main; sys.exit(main())",
        *transmises(args),
        "--date",
        args.date,
    ]
    nue = [python, str(RACINE / "bench" / "nue.py")]
    app, base = Serie("lancement"), Serie("lancement_nue")
    premiere_image(guichet, b"identifier")  # warm the page cache once, for both
    premiere_image(nue, b"Application nue")
    for _ in range(args.repetitions):  # interleaved: the machine's noise hits both alike
        app.valeurs.append(premiere_image(guichet, b"identifier"))
        base.valeurs.append(premiere_image(nue, b"Application nue"))
    publier([app, base])


if __name__ == "__main__":
    main()
