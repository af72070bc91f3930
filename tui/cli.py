"""The `guichet` command line: open the app, build a demo database.

Global options (--demo, --base, --db, --date) work the same before or after a subcommand.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from typing import TYPE_CHECKING

from tui.config import Reglages, base_demo, base_par_defaut, date_env, url_sqlite

if TYPE_CHECKING:
    from modele.db import Engine


def _date(texte: str) -> dt.date:
    try:
        return dt.date.fromisoformat(texte)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date invalide « {texte} » (attendu AAAA-MM-JJ)") from None


def _mois(texte: str) -> tuple[int, int]:
    try:
        jour = dt.date.fromisoformat(f"{texte}-01")
    except ValueError:
        raise argparse.ArgumentTypeError(f"mois invalide « {texte} » (attendu AAAA-MM)") from None
    return jour.year, jour.month


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
    facturer = sous.add_parser("facturer", parents=[communs],
                               help="aperçu des factures d'un mois, et leur émission")
    facturer.add_argument("--regie", required=True, metavar="CODE", help="régie (ex. AL)")
    facturer.add_argument("--mois", required=True, type=_mois, metavar="AAAA-MM",
                          help="mois facturé")
    facturer.add_argument("--emettre", action="store_true",
                          help="émet les factures (sans cette option : aperçu seulement)")
    facturer.add_argument("--date-emission", type=_date, metavar="AAAA-MM-JJ",
                          help="date des factures (défaut : la date du jour)")
    sauvegarde = sous.add_parser("sauvegarde", parents=[communs],
                                 help="copie cohérente de la base, même application ouverte")
    sauvegarde.add_argument("fichier", metavar="FICHIER")
    restaurer = sous.add_parser("restaurer", parents=[communs],
                                help="remet une sauvegarde en place, après confirmation")
    restaurer.add_argument("fichier", metavar="FICHIER")
    restaurer.add_argument("--oui", action="store_true", help="sans demander de confirmation")
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


class BaseInutilisable(Exception):
    """The database cannot be opened: the message says why and what to do; `code` is the
    exit code."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def _verifier_fichier(fichier: Path, complet: bool = False) -> None:
    """A missing, read-only or damaged SQLite file is said, never replaced by an empty one.

    At start the header and the schema are read (milliseconds); `complet` also runs
    SQLite's quick_check, which reads the whole file (seconds on a town's base): backups
    and restores do it."""
    import sqlite3

    if not fichier.exists():
        raise BaseInutilisable(f"base introuvable : {fichier}\nPour essayer : guichet --demo, "
                               "ou guichet demo --base FICHIER.db", 2)
    if not os.access(fichier, os.R_OK | os.W_OK) or not os.access(fichier.parent, os.W_OK):
        raise BaseInutilisable(f"la base {fichier} est en lecture seule : l'application doit "
                               "pouvoir écrire dans le fichier et dans son dossier.", 4)
    try:
        connexion = sqlite3.connect(f"file:{fichier}?mode=ro", uri=True)
        try:
            connexion.execute("SELECT count(*) FROM sqlite_master").fetchone()
            resultat = connexion.execute("PRAGMA quick_check").fetchone()[0] if complet else "ok"
        finally:
            connexion.close()
    except sqlite3.DatabaseError:
        resultat = "illisible"
    if resultat != "ok":
        raise BaseInutilisable(f"la base {fichier} est abîmée ({resultat}) : restaurez une "
                               "sauvegarde avec « guichet restaurer SAUVEGARDE.db ».", 5)


def _revision_courante() -> str:
    """The newest migration's revision, from the file names ("0004_….py"), without
    importing the domain (which loads SQLAlchemy)."""
    from importlib.util import find_spec

    dossier = Path(next(iter(find_spec("modele").submodule_search_locations)))
    return max(p.name.split("_")[0] for p in (dossier / "migrations" / "versions").glob("*.py")
               if p.name[:1].isdigit())


def _base_a_jour(fichier: Path) -> bool:
    """Whether the SQLite file is at the newest schema, read with sqlite3 alone."""
    import sqlite3

    try:
        connexion = sqlite3.connect(f"file:{fichier}?mode=ro", uri=True)
        try:
            ligne = connexion.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connexion.close()
    except sqlite3.DatabaseError:
        return False
    return ligne is not None and ligne[0] == _revision_courante()


def _sans_agent(fichier: Path) -> bool:
    """Whether a readable SQLite file holds no staff account (read with sqlite3 alone)."""
    import sqlite3

    try:
        connexion = sqlite3.connect(f"file:{fichier}?mode=ro", uri=True)
        try:
            return connexion.execute("SELECT count(*) FROM agent").fetchone()[0] == 0
        finally:
            connexion.close()
    except sqlite3.OperationalError as erreur:
        return "no such table" in str(erreur)
    except sqlite3.DatabaseError:
        return False  # damaged: said by the file's check, never rebuilt silently


def ouvrir_base(regl: Reglages, creer_demo: bool = False,
                differe: bool = False) -> Engine | None:
    """The engine on the configured database, checked and migrated; BaseInutilisable
    otherwise (a clear French message and an exit code, never a traceback).

    With `differe`, a SQLite file already at the newest schema gives None: the app opens
    it itself after its first frame, so that the login screen does not wait for SQLAlchemy."""
    fichier = regl.fichier_sqlite
    if creer_demo and fichier is not None and not fichier.exists():
        print("Première ouverture : construction de la base de démonstration…", file=sys.stderr)
        construire_demo(fichier, 300, 0, regl.aujourdhui)
    elif creer_demo and fichier is not None and _sans_agent(fichier):
        # A demo build stopped half-way leaves the schema and nobody to log in.
        print("Base de démonstration inachevée : reconstruction…", file=sys.stderr)
        for suffixe in ("", "-wal", "-shm"):
            Path(f"{fichier}{suffixe}").unlink(missing_ok=True)
        construire_demo(fichier, 300, 0, regl.aujourdhui)
    if fichier is not None:
        _verifier_fichier(fichier)
        a_jour = _base_a_jour(fichier)
        if differe and a_jour:
            return None
        if not a_jour:
            print("Mise à jour du schéma de la base (une fois ; quelques minutes pour une "
                  "grande base)…", file=sys.stderr)
    from modele.db import BaseIncompatible, ErreurPilote, creer_engine, migrer

    engine = creer_engine(regl.db_url)
    try:
        migrer(engine)
    except BaseIncompatible as erreur:
        raise BaseInutilisable(str(erreur), 3) from None
    except ErreurPilote as erreur:
        raise BaseInutilisable(f"impossible d'ouvrir la base : {erreur.orig}", 6) from None
    return engine


def _commande_sauvegarde(args: argparse.Namespace, regl: Reglages) -> int:
    """A consistent copy while the app is in use (SQLite online backup)."""
    import sqlite3

    fichier = regl.fichier_sqlite
    if fichier is None:
        print("Base PostgreSQL : sauvegardez avec pg_dump, par exemple\n"
              f"  pg_dump --format=custom --file={args.fichier} 'URL de la base'\n"
              "et restaurez avec pg_restore --clean --dbname='URL de la base' FICHIER.")
        return 0
    _verifier_fichier(fichier, complet=True)
    cible = Path(args.fichier)
    if cible.exists():
        return _erreur(f"{cible} existe déjà : choisissez un autre nom.")
    source = sqlite3.connect(fichier)
    copie = sqlite3.connect(cible)
    try:
        source.backup(copie)
    finally:
        copie.close()
        source.close()
    print(f"Sauvegarde de {fichier} écrite dans {cible}")
    return 0


def _commande_restaurer(args: argparse.Namespace, regl: Reglages) -> int:
    """Put a backup back, after a confirmation; the current base is kept aside first."""
    import shutil
    import sqlite3

    fichier = regl.fichier_sqlite
    if fichier is None:
        return _erreur("base PostgreSQL : restaurez avec pg_restore (voir guichet sauvegarde).")
    sauvegarde = Path(args.fichier)
    _verifier_fichier(sauvegarde, complet=True)
    connexion = sqlite3.connect(f"file:{sauvegarde}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in connexion.execute("SELECT name FROM sqlite_master")}
    finally:
        connexion.close()
    if "alembic_version" not in tables or "famille" not in tables:
        return _erreur(f"{sauvegarde} n'est pas une sauvegarde de Guichet Famille.", 5)
    if not args.oui:
        reponse = input(f"Remplacer {fichier} par {sauvegarde} ? Les saisies faites depuis la "
                        "sauvegarde seront perdues. Tapez OUI pour confirmer : ")
        if reponse.strip() != "OUI":
            print("Restauration abandonnée.")
            return 1
    if fichier.exists():
        date = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        cote = fichier.with_name(f"{fichier.stem}.avant-restauration-{date}{fichier.suffix}")
        shutil.copy2(fichier, cote)
        print(f"Base actuelle gardée dans {cote}")
    source = sqlite3.connect(sauvegarde)
    cible = sqlite3.connect(fichier)
    try:
        source.backup(cible)
    finally:
        cible.close()
        source.close()
    print(f"{fichier} restaurée depuis {sauvegarde}.")
    return 0


def _commande_facturer(args: argparse.Namespace, regl: Reglages, engine) -> int:  # noqa: ANN001
    """Print the month's preview (families, lines, anomalies, totals); issue with --emettre,
    all in one transaction (Ctrl+C before the end writes nothing)."""
    from modele.base import Canal, Contexte, ErreurMetier
    from modele.db import ATTENTE_DEFAUT, agir, lire
    from modele.facturation import apercu_facturation, bornes_mois, facturer_mois
    from modele.formats import date_courte, euros, mois_annee, montant
    from modele.structure import regie_par_code

    debut, fin = bornes_mois(*args.mois)
    try:
        regie = lire(engine, lambda s: regie_par_code(s, args.regie), ATTENTE_DEFAUT)
    except ErreurMetier as e:
        return _erreur(e.message)
    try:
        # the preview is a read: the counters keep working while it is computed
        apercu = lire(engine, lambda s: apercu_facturation(s, regie.id, debut, fin),
                      ATTENTE_DEFAUT)
    except ErreurMetier as e:
        return _erreur(e.message, 1)
    print(f"{regie.libelle} ({regie.code}) — {mois_annee(debut)}, du {date_courte(debut)} "
          f"au {date_courte(fin)}")
    for f in apercu.familles:
        print(f"\n{f.numero}  {f.nom:<40} {euros(f.prevue.total):>14}")
        for ligne in f.prevue.lignes:
            activite = apercu.activites.get(ligne.activite_id)
            print(f"    {apercu.enfants.get(ligne.enfant_id, ''):<24} "
                  f"{activite.nom if activite else ligne.libelle:<52} {ligne.quantite:>3} j × "
                  f"{montant(ligne.prix_unitaire):>7} = {montant(ligne.montant):>9}")
        for anomalie in f.prevue.anomalies:
            print(f"    ! {anomalie}")
    n = len(apercu.familles)
    print(f"\nTotal : {n} facture{'s' if n > 1 else ''}, {euros(apercu.total)} ; "
          f"{apercu.avec_anomalies} famille{'s' if apercu.avec_anomalies > 1 else ''} "
          "avec anomalies.")
    if not args.emettre:
        print("Aperçu seulement : rien n'est émis (ajoutez --emettre).")
        return 0
    if not n:
        print("Rien à émettre.")
        return 0
    emission = args.date_emission or regl.aujourdhui
    contexte = Contexte(agent_id=None, canal=Canal.SYSTEME, aujourdhui=regl.aujourdhui)
    try:
        factures = agir(engine, lambda s: facturer_mois(s, contexte, regie.id, debut, fin,
                                                        emission), ATTENTE_DEFAUT)
    except ErreurMetier as e:
        return _erreur(e.message, 1)
    if factures:
        print(f"{len(factures)} facture{'s' if len(factures) > 1 else ''} émise"
              f"{'s' if len(factures) > 1 else ''} le {date_courte(emission)} : "
              f"{factures[0].reference} à {factures[-1].reference}.")
    else:
        print("Rien à émettre.")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = analyseur().parse_args(argv)
    regl = reglages(args)
    try:
        if args.commande == "demo":
            return _commande_demo(args, regl)
        if args.commande == "sauvegarde":
            return _commande_sauvegarde(args, regl)
        if args.commande == "restaurer":
            return _commande_restaurer(args, regl)
        engine = ouvrir_base(regl, creer_demo=getattr(args, "demo", False),
                             differe=args.commande is None)
    except BaseInutilisable as erreur:
        return _erreur(str(erreur), erreur.code)
    if args.commande == "facturer":
        return _commande_facturer(args, regl, engine)
    from tui.app import GuichetApp

    GuichetApp(regl, engine).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
