"""A digest of every table of a demo built for one seed, size and date.

A refactoring of the demo generator must leave its output identical: build the demo before
and after, compare the digests table by table.

    python -m tests.empreinte_demo                    # print the digests (JSON)
    python -m tests.empreinte_demo --verifier F.json  # compare with a stored run (exit 1)

Password hashes (argon2, salted at random) are the only values that differ between two
builds; they are replaced by a placeholder. Not part of the suite: every intended change of
the demo or of the schema changes the digest (test_demo.test_deterministe checks that two
builds are alike).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
import tempfile
from pathlib import Path

from sqlalchemy import MetaData, select
from sqlalchemy.engine import Engine

from modele.db import creer_engine, migrer

REFERENCE = dt.date(2026, 11, 27)  # the tests' "today"
FAMILLES = 40
GRAINE = 0


def _valeur(valeur: object) -> str:
    if isinstance(valeur, str) and valeur.startswith("$argon2"):
        return "<argon2>"
    return repr(valeur)


def empreintes(engine: Engine) -> dict[str, str]:
    """Per table, the SHA-256 of its rows in primary-key order (and their count)."""
    meta = MetaData()
    meta.reflect(engine)
    resultat = {}
    with engine.connect() as connexion:
        for nom, table in sorted(meta.tables.items()):
            ordre = list(table.primary_key.columns) or list(table.columns)
            condense = hashlib.sha256()
            nombre = 0
            for ligne in connexion.execute(select(table).order_by(*ordre)):
                condense.update("\x1f".join(_valeur(v) for v in ligne).encode())
                condense.update(b"\x1e")
                nombre += 1
            resultat[nom] = f"{nombre} {condense.hexdigest()[:16]}"
    return resultat


def construire(fichier: Path, familles: int = FAMILLES, graine: int = GRAINE) -> Engine:
    from data.demo import construire_demo

    engine = creer_engine(f"sqlite:///{fichier}")
    migrer(engine)
    construire_demo(engine, familles=familles, graine=graine, reference=REFERENCE)
    return engine


def main(arguments: list[str] | None = None) -> int:
    parseur = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parseur.add_argument("--verifier", type=Path, help="stored digests to compare with")
    parseur.add_argument("--familles", type=int, default=FAMILLES)
    parseur.add_argument("--graine", type=int, default=GRAINE)
    args = parseur.parse_args(arguments)
    with tempfile.TemporaryDirectory() as dossier:
        engine = construire(Path(dossier) / "demo.db", args.familles, args.graine)
        obtenues = empreintes(engine)
        engine.dispose()
    if args.verifier is None:
        print(json.dumps(obtenues, indent=1, sort_keys=True))
        return 0
    attendues = json.loads(args.verifier.read_text())
    ecarts = sorted(
        nom for nom in attendues.keys() | obtenues.keys() if attendues.get(nom) != obtenues.get(nom)
    )
    for nom in ecarts:
        print(f"{nom}: attendu {attendues.get(nom)}, obtenu {obtenues.get(nom)}")
    print("identique" if not ecarts else f"{len(ecarts)} table(s) différente(s)")
    return 1 if ecarts else 0


if __name__ == "__main__":
    sys.exit(main())
