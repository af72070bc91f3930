"""The `guichet` command line: open the app, build a demo database.

Global options (--demo, --base, --db, --date) work the same before or after a subcommand.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from tui.config import Reglages, base_demo, base_par_defaut, date_env, url_sqlite


def _date(texte: str) -> dt.date:
    try:
        return dt.date.fromisoformat(texte)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date invalide « {texte} » (attendu AAAA-MM-JJ)") from None


def _options_communes() -> argparse.ArgumentParser:
    communs = argparse.ArgumentParser(add_help=False)
    groupe = communs.add_argument_group("base de données")
    groupe.add_argument("--demo", action="store_true", default=argparse.SUPPRESS,
                        help="base de démonstration (créée au premier usage)")
    groupe.add_argument("--base", metavar="FICHIER.db", default=argparse.SUPPRESS,
                        help="fichier SQLite à ouvrir")
    groupe.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                        help="URL SQLAlchemy (ex. postgresql+psycopg://…)")
    groupe.add_argument("--date", type=_date, metavar="AAAA-MM-JJ", default=argparse.SUPPRESS,
                        help="fixe la date du jour pour toute l'application")
    return communs


def analyseur() -> argparse.ArgumentParser:
    communs = _options_communes()
    principal = argparse.ArgumentParser(prog="guichet", parents=[communs],
                                        description="Guichet Famille — service enfance")
    sous = principal.add_subparsers(dest="commande")
    demo = sous.add_parser("demo", parents=[communs], help="construit une base de démonstration")
    demo.add_argument("--familles", type=int, default=300, help="nombre de familles (300)")
    demo.add_argument("--graine", type=int, default=0, help="graine du générateur (0)")
    demo.add_argument("--zone", default="C", choices=["A", "B", "C"],
                      help="zone des vacances scolaires (C)")
    demo.add_argument("--remplacer", action="store_true", help="remplace un fichier existant")
    return principal


def _erreur(message: str, code: int = 2) -> int:
    print(f"guichet : {message}", file=sys.stderr)
    return code


def reglages(args: argparse.Namespace) -> Reglages:
    date_fixe = getattr(args, "date", None) or date_env()
    if getattr(args, "db", None):
        url = args.db
    elif getattr(args, "base", None):
        url = url_sqlite(args.base)
    elif getattr(args, "demo", False):
        url = url_sqlite(base_demo())
    elif os.environ.get("GUICHET_DB_URL"):
        url = os.environ["GUICHET_DB_URL"]
    else:
        url = url_sqlite(base_par_defaut())
    regl = Reglages(db_url=url, date_fixe=date_fixe)
    if getattr(args, "demo", False) and not regl.api_url:
        regl.api_url = "local"  # the demo declares QFs against the loopback stand-in
    return regl


def construire_demo(fichier: Path, familles: int, graine: int, reference: dt.date,
                    zone: str = "C") -> None:
    from data.demo import construire_demo as construire
    from modele.db import creer_engine, migrer

    fichier.parent.mkdir(parents=True, exist_ok=True)
    engine = creer_engine(url_sqlite(fichier))
    migrer(engine)
    stats = construire(engine, familles=familles, graine=graine, reference=reference, zone=zone)
    engine.dispose()
    print(f"Base de démonstration : {fichier}\n{stats}")


def _commande_demo(args: argparse.Namespace, regl: Reglages) -> int:
    fichier = Path(args.base) if getattr(args, "base", None) else base_demo()
    if fichier.exists():
        if not args.remplacer:
            return _erreur(f"{fichier} existe déjà (--remplacer pour le reconstruire).")
        for suffixe in ("", "-wal", "-shm"):
            Path(f"{fichier}{suffixe}").unlink(missing_ok=True)
    if args.familles < 0:
        return _erreur("--familles doit être positif.")
    construire_demo(fichier, args.familles, args.graine, regl.aujourdhui, args.zone)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = analyseur().parse_args(argv)
    regl = reglages(args)
    if args.commande == "demo":
        return _commande_demo(args, regl)
    fichier = regl.fichier_sqlite
    if getattr(args, "demo", False) and fichier is not None and not fichier.exists():
        print("Première ouverture : construction de la base de démonstration…", file=sys.stderr)
        construire_demo(fichier, 300, 0, regl.aujourdhui)
    elif fichier is not None and not fichier.exists():
        return _erreur(f"base introuvable : {fichier}\n"
                       "Pour essayer : guichet --demo, ou guichet demo --base FICHIER.db")
    from modele.db import BaseIncompatible, creer_engine, migrer

    engine = creer_engine(regl.db_url)
    try:
        migrer(engine)
    except BaseIncompatible as erreur:
        return _erreur(str(erreur), 3)
    from tui.app import GuichetApp

    GuichetApp(regl, engine).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
