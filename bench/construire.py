"""Build the big base with the demo generator and note how long it took and its size
(bench/construction.json, read by `python -m bench` for RESULTS.md).

    python -m bench.construire [--familles 50000] [--base /tmp/grand.db]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

from bench.mesure import machine

ICI = Path(__file__).resolve().parent


def main() -> None:
    analyseur = argparse.ArgumentParser()
    analyseur.add_argument("--familles", type=int, default=50_000)
    analyseur.add_argument("--base", default="/tmp/grand.db")
    analyseur.add_argument("--date", default="2026-11-27")
    args = analyseur.parse_args()
    depart = time.perf_counter()
    sortie = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from tui.cli import main; sys.exit(main())",
            "demo",
            "--familles",
            str(args.familles),
            "--base",
            args.base,
            "--date",
            args.date,
            "--remplacer",
        ],
        capture_output=True,
        text=True,
        cwd=ICI.parent,
    )
    duree = time.perf_counter() - depart
    print(sortie.stdout, sortie.stderr, file=sys.stderr)
    sortie.check_returncode()
    fichier = Path(args.base)
    resultat = {
        "familles": args.familles,
        "base": str(fichier),
        "date": args.date,
        "duree_s": round(duree, 1),
        "taille_octets": fichier.stat().st_size,
        # the steps' lines (stderr, plain in a pipe: each with its count and time), then
        # the summary
        "sortie": f"{sortie.stderr.strip()}\n{sortie.stdout.strip()}".strip(),
        "construite_le": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": machine(),
    }
    (ICI / "construction.json").write_text(json.dumps(resultat, ensure_ascii=False, indent=2))
    print(json.dumps({k: v for k, v in resultat.items() if k != "sortie"}, ensure_ascii=False))


if __name__ == "__main__":
    main()
