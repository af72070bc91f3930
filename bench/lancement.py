"""Launch to the login screen, whole process: from the process start to the first frame of
the login screen, read on a pseudo-terminal (the app is not changed for this): the time
until its text appears in what the app writes to the terminal. Beside it, the bare 6-tab
Textual app, measured the same way. The app's own modules are byte-compiled first, as an
installed package's are (and as Textual's already are): a run does not compile them.

    python -m bench.lancement --base FICHIER.db | --db URL [--repetitions 15]
"""

from __future__ import annotations

import argparse
import compileall
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
PAQUETS = ("tui", "ecrans", "modele", "exports", "data", "bench")


def compiler() -> None:
    """Write the .pyc of the app's modules (and the floor's): with PYTHONDONTWRITEBYTECODE
    set, or a fresh checkout, each launch would compile them from source (30-40 ms of CPU
    that an installed package never spends), and the floor, all in site-packages, would not."""
    for paquet in PAQUETS:
        if not compileall.compile_dir(RACINE / paquet, quiet=1):
            raise RuntimeError(f"{paquet} : compilation impossible")


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
    compiler()
    premiere_image(guichet, b"identifier")  # warm the page cache once, for both
    premiere_image(nue, b"Application nue")
    for _ in range(args.repetitions):  # interleaved: the machine's noise hits both alike
        app.valeurs.append(premiere_image(guichet, b"identifier"))
        base.valeurs.append(premiere_image(nue, b"Application nue"))
    publier([app, base])


if __name__ == "__main__":
    main()
