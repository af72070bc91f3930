"""The `guichet` command line: open the app, build a demo database.

Global options (--demo, --base, --db, --date) work the same before or after a subcommand.
Exit codes: the SORTIE_* constants below, listed in the README ("Command line").
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tui.config import Reglages, base_demo, base_par_defaut, date_env, url_sqlite
from tui.tas import reprendre_apres_lancement, suspendre_au_lancement

if TYPE_CHECKING:
    from data.demo import StatsDemo
    from modele.base import ErreurMetier
    from modele.db import Engine


FAMILLES_PREMIERE_OUVERTURE = 300  # the demo `guichet --demo` builds on first use


def _date(texte: str) -> dt.date:
    try:
        return dt.date.fromisoformat(texte)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"date invalide « {texte} » (attendu AAAA-MM-JJ)"
        ) from None


def _annee(texte: str) -> int:
    """A year on four digits (a year of 5 digits or 0 failed deep in the date library)."""
    if not (texte.isascii() and texte.isdigit() and len(texte) == 4 and texte >= "1900"):
        raise argparse.ArgumentTypeError(f"année invalide « {texte} » (attendu AAAA)")
    return int(texte)


def _mois(texte: str) -> tuple[int, int]:
    try:
        jour = dt.date.fromisoformat(f"{texte}-01")
    except ValueError:
        raise argparse.ArgumentTypeError(f"mois invalide « {texte} » (attendu AAAA-MM)") from None
    return jour.year, jour.month


def _options_communes() -> argparse.ArgumentParser:
    communs = argparse.ArgumentParser(add_help=False)
    groupe = communs.add_argument_group("base de données")
    groupe.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="base de démonstration (créée au premier usage)",
    )
    groupe.add_argument(
        "--base", metavar="FICHIER.db", default=argparse.SUPPRESS, help="fichier SQLite à ouvrir"
    )
    groupe.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="URL SQLAlchemy (ex. postgresql+psycopg://…)",
    )
    groupe.add_argument(
        "--date",
        type=_date,
        metavar="AAAA-MM-JJ",
        default=argparse.SUPPRESS,
        help="fixe la date du jour pour toute l'application",
    )
    return communs


def analyseur() -> argparse.ArgumentParser:
    communs = _options_communes()
    principal = argparse.ArgumentParser(
        prog="guichet", parents=[communs], description="Guichet Famille — service enfance"
    )
    sous = principal.add_subparsers(dest="commande")
    demo = sous.add_parser("demo", parents=[communs], help="construit une base de démonstration")
    demo.add_argument("--familles", type=int, default=300, help="nombre de familles (300)")
    demo.add_argument("--graine", type=int, default=0, help="graine du générateur (0)")
    demo.add_argument(
        "--zone", default="C", choices=["A", "B", "C"], help="zone des vacances scolaires (C)"
    )
    demo.add_argument("--remplacer", action="store_true", help="remplace un fichier existant")
    facturer = sous.add_parser(
        "facturer", parents=[communs], help="aperçu des factures d'un mois, et leur émission"
    )
    facturer.add_argument("--regie", required=True, metavar="CODE", help="régie (ex. AL)")
    facturer.add_argument(
        "--mois", required=True, type=_mois, metavar="AAAA-MM", help="mois facturé"
    )
    facturer.add_argument(
        "--emettre",
        action="store_true",
        help="émet les factures (sans cette option : aperçu seulement)",
    )
    facturer.add_argument(
        "--date-emission",
        type=_date,
        metavar="AAAA-MM-JJ",
        help="date des factures (défaut : la date du jour)",
    )
    facturer.add_argument(
        "--mois-en-cours",
        action="store_true",
        help="émet un mois qui n'est pas terminé sans le demander",
    )
    imprimer = sous.add_parser(
        "imprimer",
        parents=[communs],
        help="le PDF d'une facture, d'un reçu, d'un relevé, ou des factures d'un mois",
    )
    imprimer.add_argument("document", choices=["facture", "recu", "releve", "factures"])
    imprimer.add_argument(
        "numero",
        metavar="NUMERO",
        help="facture ou avoir (AL-36, AL-AV3), règlement (AL-228), "
        "n° de famille pour un relevé, ou code de la régie pour les factures d'un mois",
    )
    imprimer.add_argument(
        "--mois",
        type=_mois,
        metavar="AAAA-MM",
        help="factures : le mois facturé (défaut : le mois précédent)",
    )
    imprimer.add_argument(
        "--annee",
        type=_annee,
        metavar="AAAA",
        help="relevé : année scolaire commençant en AAAA (défaut : en cours)",
    )
    imprimer.add_argument(
        "--sortie",
        metavar="FICHIER.pdf",
        help="fichier écrit (défaut : dans le dossier des exports)",
    )
    statistiques = sous.add_parser(
        "statistiques", parents=[communs], help="les statistiques de la CAF (CSV)"
    )
    statistiques.add_argument("quoi", choices=["caf"])
    statistiques.add_argument(
        "--annee", type=_annee, required=True, metavar="AAAA", help="année civile"
    )
    statistiques.add_argument(
        "--structure",
        metavar="NOM",
        help="une structure (« Accueil de Loisirs ALSH ») ; défaut : toutes",
    )
    statistiques.add_argument(
        "--sortie",
        metavar="FICHIER.csv",
        help="fichier écrit (défaut : dans le dossier des exports)",
    )
    relances = sous.add_parser(
        "relances", parents=[communs], help="factures impayées à relancer, et leur envoi"
    )
    relances.add_argument("--regie", required=True, metavar="CODE", help="régie (ex. AL)")
    relances.add_argument(
        "--envoyer",
        action="store_true",
        help="enregistre les relances et écrit les lettres (sans cette option : liste seulement)",
    )
    relances.add_argument(
        "--boite",
        action="store_true",
        help="avec --envoyer : un message dans la Boîte de la famille au lieu d'une lettre",
    )
    relances.add_argument(
        "--sortie", metavar="FICHIER.pdf", help="lettres (défaut : dans le dossier des exports)"
    )
    prelevements = sous.add_parser(
        "prelevements",
        parents=[communs],
        help="fichier de prélèvement SEPA (pain.008) des factures d'un mois",
    )
    prelevements.add_argument("--regie", required=True, metavar="CODE", help="régie (ex. AL)")
    prelevements.add_argument(
        "--mois", required=True, type=_mois, metavar="AAAA-MM", help="mois facturé"
    )
    prelevements.add_argument(
        "--echeance", required=True, type=_date, metavar="AAAA-MM-JJ", help="date du prélèvement"
    )
    prelevements.add_argument(
        "--sortie", metavar="FICHIER.xml", help="fichier écrit (défaut : dossier des exports)"
    )
    attestations = sous.add_parser(
        "attestations",
        parents=[communs],
        help="attestations fiscales (frais de garde des moins de 6 ans) d'une année",
    )
    attestations.add_argument("--annee", required=True, type=_annee, metavar="AAAA")
    attestations.add_argument(
        "--famille", metavar="N°", help="une famille (sans : toutes, en un PDF)"
    )
    attestations.add_argument(
        "--sortie", metavar="FICHIER.pdf", help="fichier écrit (défaut : dossier des exports)"
    )
    cloture = sous.add_parser(
        "cloture",
        parents=[communs],
        help="clôture la caisse du jour d'une régie (montants comptés), bordereaux de remise",
    )
    cloture.add_argument("--regie", required=True, metavar="CODE", help="régie (ex. AL)")
    cloture.add_argument(
        "--jour",
        type=_date,
        metavar="AAAA-MM-JJ",
        help="journée clôturée (défaut : la date du jour, --date compris)",
    )
    for mode, libelle in MODES_COMPTES:
        cloture.add_argument(
            f"--{mode.replace('_', '-')}",
            dest=f"compte_{mode}",
            metavar="MONTANT",
            help=f"montant compté en {libelle} (ex. 120,50)",
        )
    cloture.add_argument("--motif", default="", help="motif d'un écart entre compté et enregistré")
    cloture.add_argument(
        "--sans-bordereaux",
        action="store_true",
        help="ne fait pas les bordereaux de remise (chèques, espèces) de la journée",
    )
    verifier = sous.add_parser(
        "verifier",
        parents=[communs],
        help="recalcule la chaîne des écritures d'une régie (inaltérabilité)",
    )
    verifier.add_argument("--regie", metavar="CODE", help="régie (défaut : toutes)")
    web = sous.add_parser(
        "web",
        parents=[communs],
        help="l'application dans un navigateur web : une session par onglet",
    )
    web.add_argument(
        "--hote",
        default="127.0.0.1",
        metavar="ADRESSE",
        help="adresse d'écoute (127.0.0.1 : ce poste seulement, derrière le proxy)",
    )
    web.add_argument("--port", type=int, default=8080, help="port d'écoute (8080)")
    web.add_argument(
        "--url-publique",
        metavar="URL",
        help="adresse de la page derrière un proxy inverse (ex. https://guichet.mairie.fr)",
    )
    sauvegarde = sous.add_parser(
        "sauvegarde", parents=[communs], help="copie cohérente de la base, même application ouverte"
    )
    sauvegarde.add_argument("fichier", metavar="FICHIER")
    restaurer = sous.add_parser(
        "restaurer", parents=[communs], help="remet une sauvegarde en place, après confirmation"
    )
    restaurer.add_argument("fichier", metavar="FICHIER")
    restaurer.add_argument("--oui", action="store_true", help="sans demander de confirmation")
    restaurer.add_argument(
        "--attente",
        type=float,
        default=10.0,
        metavar="SECONDES",
        help="attente au plus que les autres programmes ferment la base (10)",
    )
    return principal


def _erreur(message: str, code: int = 2) -> int:
    print(f"guichet : {message}", file=sys.stderr)
    return code


def _ecrire_document(contenu: bytes, sortie: str | None, regl: Reglages, nom: str) -> Path | None:
    """Write a document to --sortie, or to the exports folder under `nom`; None when the
    file cannot be written (said on stderr)."""
    from exports.fichiers import ecrire

    if not sortie:
        return ecrire(contenu, regl.dossier_exports, nom)
    chemin = Path(sortie)
    try:
        chemin.write_bytes(contenu)
    except OSError as erreur:
        _erreur(f"impossible d'écrire {chemin} : {erreur.strerror or erreur}", 1)
        return None
    return chemin


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


def resume_demo(stats: StatsDemo) -> str:
    """What a demo holds, in French: "302 familles, 525 enfants, … 3 668 factures… en 9 s"."""
    from modele.formats import duree, nombre

    quantites = (
        (stats.familles, "famille", "familles"),
        (stats.enfants, "enfant", "enfants"),
        (stats.inscriptions, "inscription", "inscriptions"),
        (stats.consommations, "jour de planning", "jours de planning"),
        (stats.factures, "facture", "factures"),
        (stats.reglements, "règlement", "règlements"),
        (stats.quotients, "quotient familial", "quotients familiaux"),
        (stats.demandes, "demande", "demandes"),
        (stats.messages, "message", "messages"),
    )
    texte = ", ".join(f"{nombre(n)} {un if n < 2 else plus}" for n, un, plus in quantites)
    texte += f", en {duree(stats.duree)}."
    if stats.annees_incompletes:
        annees = ", ".join(f"{a}-{a + 1}" for a in stats.annees_incompletes)
        texte += f"\nVacances scolaires inconnues pour {annees} : à saisir dans le calendrier (F5)."
    return texte


def _annonce_demo(ou: str, familles: int, quoi: str = "Construction", fin: str = "") -> str:
    """What the demo build is about to do, and where (said once, before its progress)."""
    from modele.formats import nombre

    return (
        f"{quoi} de la base de démonstration ({nombre(familles)} familles générées, plus "
        f"celles des guides du portail) dans {ou}{fin} :"
    )


def construire_demo(
    fichier: Path,
    familles: int,
    graine: int,
    reference: dt.date,
    zone: str = "C",
    annonce: str | None = None,
) -> None:
    """Build the demo in a new SQLite file, saying what and where, with its progress on
    stderr, then a French summary on stdout."""
    from data.demo import construire_demo as construire
    from modele.db import creer_engine, migrer
    from tui.progression import SuiviConsole

    print(annonce or _annonce_demo(str(fichier), familles), file=sys.stderr, flush=True)
    fichier.parent.mkdir(parents=True, exist_ok=True)
    engine = creer_engine(url_sqlite(fichier))
    try:
        with SuiviConsole() as progression:
            migrer(engine, progression)
            stats = construire(
                engine,
                familles=familles,
                graine=graine,
                reference=reference,
                zone=zone,
                progression=progression,
            )
    finally:
        engine.dispose()
    print(f"Base de démonstration prête : {resume_demo(stats)}")


def _commande_demo(args: argparse.Namespace, regl: Reglages) -> int:
    """The demo on the base the options name: --db (or GUICHET_DB_URL) builds it on that
    server, --base or nothing in a SQLite file (the demo's by default)."""
    if args.familles < 0:
        return _erreur("--familles doit être positif.")
    url = getattr(args, "db", None) or (
        None if getattr(args, "base", None) else os.environ.get("GUICHET_DB_URL")
    )
    if url and not url.startswith("sqlite:///"):
        return _demo_serveur(args, regl, url)
    if url:
        fichier = Path(url.removeprefix("sqlite:///"))
    else:
        fichier = Path(args.base) if getattr(args, "base", None) else base_demo()
    if fichier.exists():
        if not args.remplacer:
            return _erreur(f"{fichier} existe déjà (--remplacer pour le reconstruire).")
        for suffixe in ("", "-wal", "-shm"):
            Path(f"{fichier}{suffixe}").unlink(missing_ok=True)
    construire_demo(fichier, args.familles, args.graine, regl.aujourdhui, args.zone)
    return 0


def _demo_serveur(args: argparse.Namespace, regl: Reglages, url: str) -> int:
    """The demo on a database server (PostgreSQL): an empty base, or --remplacer."""
    from data.demo import construire_demo as construire
    from modele.db import ErreurPilote, base_vide, creer_engine, migrer, vider_base
    from tui.progression import SuiviConsole

    engine = creer_engine(url)
    ou = engine.url.render_as_string(hide_password=True)
    try:
        migrer(engine)
        if not base_vide(engine):
            if not args.remplacer:
                return _erreur("la base n'est pas vide (--remplacer pour la reconstruire).")
            vider_base(engine)
            migrer(engine)
        print(_annonce_demo(ou, args.familles), file=sys.stderr, flush=True)
        with SuiviConsole() as progression:
            stats = construire(
                engine,
                familles=args.familles,
                graine=args.graine,
                reference=regl.aujourdhui,
                zone=args.zone,
                progression=progression,
            )
    except ErreurPilote as erreur:
        return _erreur(
            f"impossible de construire la démonstration : {erreur.orig}", SORTIE_ILLISIBLE
        )
    finally:
        engine.dispose()
    print(f"Base de démonstration prête : {resume_demo(stats)}")
    return 0


# The modes a régisseur may count (`guichet cloture --especes 120,50 …`), as in modele.cloture.
MODES_COMPTES = (
    ("especes", "espèces"),
    ("cheque", "chèques"),
    ("carte", "carte bancaire"),
    ("cesu", "CESU"),
    ("virement", "virement"),
    ("prelevement", "prélèvement"),
    ("paiement_en_ligne", "paiement en ligne"),
    ("remboursement", "remboursements (négatif)"),
)

# Exit codes (README, "Command line"); 1 is an action abandoned or refused by a rule.
SORTIE_INTROUVABLE = 2  # also argparse's code for a wrong option
SORTIE_PLUS_RECENTE = 3
SORTIE_LECTURE_SEULE = 4
SORTIE_ABIMEE = 5
SORTIE_ILLISIBLE = 6
SORTIE_PAS_GUICHET = 7
SORTIE_VERSION = 8
SORTIE_OCCUPEE = 9
SORTIE_CHAINE_ROMPUE = 10  # `guichet verifier`: a record changed, removed or added unseen

ETAPE_VERIFICATION = "Vérification de la base"
RESTAURER = "restaurez une sauvegarde avec « guichet restaurer SAUVEGARDE.db »"


class BaseInutilisable(Exception):
    """The database cannot be opened: the message says why and what to do; `code` is the
    exit code."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def _occupee(fichier: Path) -> BaseInutilisable:
    return BaseInutilisable(
        f"la base {fichier} est tenue par un autre programme (une "
        "restauration en cours ?) : réessayez dans un instant.",
        SORTIE_OCCUPEE,
    )


def _refus(erreur: ErreurMetier, regl: Reglages) -> int:
    """A command refused by a rule (exit 1), or stopped by a damaged base (its own code)."""
    from modele.db import BaseAbimee

    if isinstance(erreur, BaseAbimee) and regl.fichier_sqlite is not None:
        return _erreur(str(_abimee(regl.fichier_sqlite, "une page illisible")), SORTIE_ABIMEE)
    return _erreur(erreur.message, 1)


def _abimee(fichier: Path, raison: str) -> BaseInutilisable:
    return BaseInutilisable(
        f"la base {fichier} est abîmée ({raison}) : {RESTAURER}.", SORTIE_ABIMEE
    )


def _verifier_fichier(fichier: Path, complet: bool = False) -> None:
    """A missing, read-only or damaged SQLite file is said, never replaced by an empty one.

    At start the header is read (a file cut short is found there) and the schema
    (milliseconds); `complet` also runs SQLite's quick_check, which reads every page
    (seconds on a town's base, beyond the launch budget): backups and restores do it."""
    import sqlite3

    from tui.fichier_base import entete_abimee, verification_complete

    if not fichier.exists():
        raise BaseInutilisable(
            f"base introuvable : {fichier}\nPour essayer : guichet --demo, "
            "ou guichet demo --base FICHIER.db",
            SORTIE_INTROUVABLE,
        )
    if not os.access(fichier, os.R_OK | os.W_OK) or not os.access(fichier.parent, os.W_OK):
        raise BaseInutilisable(
            f"la base {fichier} est en lecture seule : l'application doit "
            "pouvoir écrire dans le fichier et dans son dossier.",
            SORTIE_LECTURE_SEULE,
        )
    if fichier.stat().st_size == 0:
        return  # an empty file: said by the schema's check, as not a Guichet base
    try:
        resultat = entete_abimee(fichier) or "ok"
        if resultat == "ok" and complet:
            resultat = verification_complete(fichier)
    except sqlite3.OperationalError as erreur:
        if "locked" in str(erreur) or "busy" in str(erreur):
            raise _occupee(fichier) from None
        resultat = "illisible"
    except sqlite3.DatabaseError:
        resultat = "illisible"
    if resultat != "ok":
        raise _abimee(fichier, resultat)


def _page_abimee(erreur: Exception) -> bool:
    """Whether SQLite found a damaged page while reading (SQLAlchemy wraps its error): a
    page damaged in the middle of the file is only met there, the start check reads the
    header and the schema alone."""
    import sqlite3

    origine = getattr(erreur, "orig", erreur)
    return isinstance(origine, sqlite3.DatabaseError) and (
        "malformed" in str(origine) or "not a database" in str(origine)
    )


def _verifier_schema(fichier: Path) -> tuple[str, str | None]:
    """The file's schema state (tui.fichier_base.Etat) when the app can open it; otherwise
    BaseInutilisable with a French message for each state. Read with sqlite3 alone."""
    import sqlite3

    from tui.fichier_base import Etat, etat_schema, revisions_connues

    try:
        etat, revision = etat_schema(fichier)
    except sqlite3.OperationalError as erreur:
        if "locked" in str(erreur) or "busy" in str(erreur):
            raise _occupee(fichier) from None
        raise _abimee(fichier, "illisible") from None
    except sqlite3.DatabaseError:
        raise _abimee(fichier, "illisible") from None
    derniere = revisions_connues()[-1]
    if etat in (Etat.VIDE, Etat.ETRANGERE):
        quoi = "est vide" if etat is Etat.VIDE else "appartient à un autre programme"
        raise BaseInutilisable(
            f"{fichier} {quoi} : ce n'est pas une base de Guichet Famille, elle n'est pas "
            "modifiée. Vérifiez le chemin donné à --base ; pour une base neuve : "
            "guichet demo --base NOUVEAU.db",
            SORTIE_PAS_GUICHET,
        )
    if etat is Etat.SANS_VERSION:
        raise BaseInutilisable(
            f"la base {fichier} a perdu son numéro de version de schéma (table "
            "alembic_version vide ou absente) : impossible de savoir quelle mise à jour lui "
            f"appliquer, elle n'est pas modifiée. {RESTAURER[0].upper()}{RESTAURER[1:]}.",
            SORTIE_VERSION,
        )
    if etat is Etat.RECENTE:
        raise BaseInutilisable(
            f"Cette base a été créée par une version plus récente de Guichet Famille (schéma "
            f"{revision}, cette version connaît jusqu'au {derniere}). Mettez l'application à "
            "jour.",
            SORTIE_PLUS_RECENTE,
        )
    if etat is Etat.INCONNUE:
        raise BaseInutilisable(
            f"la base {fichier} porte une version de schéma inconnue (« {revision} ») : "
            "aucune version de Guichet Famille ne l'a écrite, elle n'est pas modifiée. "
            f"{RESTAURER[0].upper()}{RESTAURER[1:]}.",
            SORTIE_VERSION,
        )
    return etat, revision


def _demo_a_refaire(fichier: Path) -> bool:
    """Whether a demo file is empty, or a Guichet base without staff accounts (a build
    stopped half-way); another program's file is never rebuilt (read with sqlite3 alone)."""
    import sqlite3

    from tui.fichier_base import Etat, etat_schema

    try:
        etat, _revision = etat_schema(fichier)
        if etat is Etat.VIDE:
            return True
        if etat not in (Etat.A_JOUR, Etat.ANCIENNE):
            return False
        connexion = sqlite3.connect(f"file:{fichier}?mode=ro", uri=True)
        try:
            return connexion.execute("SELECT count(*) FROM agent").fetchone()[0] == 0
        finally:
            connexion.close()
    except sqlite3.DatabaseError:
        return False  # damaged: said by the file's check, never rebuilt silently


def ouvrir_base(regl: Reglages, creer_demo: bool = False, differe: bool = False) -> Engine | None:
    """The engine on the configured database, checked and migrated; BaseInutilisable
    otherwise (a clear French message and an exit code, never a traceback).

    With `differe`, a SQLite file already at the newest schema, or a server, gives None:
    the app opens it itself after its first frame, so that the login screen does not wait
    for SQLAlchemy (a server is checked there: if it is not ready, the app stops and
    `guichet` opens it here without `differe`, to migrate it or to say what is wrong)."""
    from tui.fichier_base import Etat, revisions_connues

    fichier = regl.fichier_sqlite
    if creer_demo and fichier is not None and not fichier.exists():
        construire_demo(
            fichier,
            FAMILLES_PREMIERE_OUVERTURE,
            0,
            regl.aujourdhui,
            "C",
            _annonce_demo(
                str(fichier),
                FAMILLES_PREMIERE_OUVERTURE,
                "Première ouverture : construction",
                ", une fois pour toutes",
            ),
        )
    elif creer_demo and fichier is not None and _demo_a_refaire(fichier):
        for suffixe in ("", "-wal", "-shm"):
            Path(f"{fichier}{suffixe}").unlink(missing_ok=True)
        construire_demo(
            fichier,
            FAMILLES_PREMIERE_OUVERTURE,
            0,
            regl.aujourdhui,
            "C",
            _annonce_demo(
                str(fichier),
                FAMILLES_PREMIERE_OUVERTURE,
                "Base de démonstration inachevée : reconstruction",
            ),
        )
    if fichier is None and differe:
        return None
    if fichier is not None:
        _verifier_fichier(fichier)
        etat, revision = _verifier_schema(fichier)
        if differe and etat is Etat.A_JOUR:
            return None
        if etat is Etat.ANCIENNE:
            print(
                f"Mise à jour du schéma de la base ({revision} → {revisions_connues()[-1]} ; "
                "une fois, quelques minutes pour une grande base)…",
                file=sys.stderr,
            )
    from modele.db import BaseIncompatible, ErreurPilote, creer_engine, migrer
    from tui.progression import SuiviConsole

    engine = creer_engine(regl.db_url)
    try:
        with SuiviConsole() as progression:  # (silent when there is nothing to migrate)
            migrer(engine, progression)
    except BaseIncompatible as erreur:
        raise BaseInutilisable(str(erreur), SORTIE_PLUS_RECENTE) from None
    except ErreurPilote as erreur:
        if fichier is not None and "malformed" in str(erreur.orig):
            raise _abimee(fichier, str(erreur.orig)) from None
        raise BaseInutilisable(
            f"impossible d'ouvrir la base : {erreur.orig}", SORTIE_ILLISIBLE
        ) from None
    return engine


def _commande_sauvegarde(args: argparse.Namespace, regl: Reglages) -> int:
    """A consistent copy while the app is in use (SQLite online backup)."""
    import sqlite3

    from tui.fichier_base import copier
    from tui.progression import SuiviConsole

    fichier = regl.fichier_sqlite
    if fichier is None:
        print(
            "Base PostgreSQL : sauvegardez avec pg_dump, par exemple\n"
            f"  pg_dump --format=custom --file={args.fichier} 'URL de la base'\n"
            "et restaurez avec pg_restore --clean --dbname='URL de la base' FICHIER."
        )
        return 0
    cible = Path(args.fichier)
    if cible.exists():
        return _erreur(f"{cible} existe déjà : choisissez un autre nom.")
    if not cible.absolute().parent.is_dir():
        return _erreur(f"Le dossier {cible.absolute().parent} n'existe pas : rien n'est écrit.")
    with SuiviConsole() as progression:
        progression(ETAPE_VERIFICATION, 0, None)
        _verifier_fichier(fichier, complet=True)
        source = sqlite3.connect(fichier)
        try:
            copier(source, cible, progression, "Copie de la base (pages)")
        finally:
            source.close()
    print(f"Sauvegarde de {fichier} écrite dans {cible}")
    return 0


def _sauvegarde_restaurable(sauvegarde: Path) -> None:
    """The file to put back is a whole Guichet base this version can open (an older one is
    migrated at the next start)."""
    try:
        _verifier_fichier(sauvegarde, complet=True)
    except BaseInutilisable as erreur:
        if erreur.code != SORTIE_ABIMEE:
            raise
        # (« restaurez une sauvegarde » said of the backup itself helped nobody)
        raise BaseInutilisable(
            f"{sauvegarde} est abîmé ou n'est pas une base SQLite : ce n'est pas une "
            "sauvegarde utilisable, rien n'est restauré. Choisissez un autre fichier de "
            "sauvegarde.",
            SORTIE_ABIMEE,
        ) from None
    try:
        _verifier_schema(sauvegarde)
    except BaseInutilisable as erreur:
        if erreur.code != SORTIE_PAS_GUICHET:
            raise
        raise BaseInutilisable(
            f"{sauvegarde} n'est pas une sauvegarde de Guichet Famille : rien n'est restauré.",
            SORTIE_PAS_GUICHET,
        ) from None


def _commande_restaurer(args: argparse.Namespace, regl: Reglages) -> int:
    """Put a backup back, after a confirmation. Only while no other process has the base
    open (it waits `--attente` seconds for them, then refuses); the current base is first
    kept aside with SQLite's backup API (what its WAL holds included), under the same
    exclusive hold as the restore, so that nothing is written between the two."""
    import sqlite3

    from tui.fichier_base import (
        BaseOccupee,
        copier,
        entete_abimee,
        sauvegarder,
        seul_sur_la_base,
    )
    from tui.progression import SuiviConsole

    fichier = regl.fichier_sqlite
    if fichier is None:
        return _erreur("base PostgreSQL : restaurez avec pg_restore (voir guichet sauvegarde).")
    sauvegarde = Path(args.fichier)
    with SuiviConsole() as progression:
        progression("Vérification de la sauvegarde", 0, None)
        _sauvegarde_restaurable(sauvegarde)
    if not args.oui:
        reponse = input(
            f"Remplacer {fichier} par {sauvegarde} ? Les saisies faites depuis la "
            "sauvegarde seront perdues. Tapez OUI pour confirmer : "
        )
        if reponse.strip() != "OUI":
            print("Restauration abandonnée.")
            return 1
    existait = fichier.exists() and fichier.stat().st_size > 0
    date = regl.maintenant().strftime("%Y%m%d-%H%M%S")
    cote = fichier.with_name(f"{fichier.stem}.avant-restauration-{date}{fichier.suffix}")

    def annoncer() -> None:
        print(
            f"La base {fichier} est ouverte par un autre programme (Guichet Famille à un "
            f"guichet, une facturation…) : attente de sa fermeture, {args.attente:g} s au "
            "plus…",
            file=sys.stderr,
        )

    if existait and entete_abimee(fichier):
        # Unreadable as SQLite, so nobody can be using it: kept aside whole, byte for byte.
        for suffixe in ("", "-wal"):
            if Path(f"{fichier}{suffixe}").exists():
                os.replace(f"{fichier}{suffixe}", f"{cote}{suffixe}")
        Path(f"{fichier}-shm").unlink(missing_ok=True)
        print(f"Base actuelle, illisible, gardée telle quelle dans {cote}")
        existait = False
    try:
        with (
            seul_sur_la_base(fichier, args.attente, annoncer) as base,
            SuiviConsole() as progression,
        ):
            if existait:
                copier(base, cote, progression, "Copie de la base actuelle (pages)")
                print(f"Base actuelle gardée dans {cote}")
            source = sqlite3.connect(f"file:{sauvegarde}?mode=ro", uri=True)
            try:
                sauvegarder(source, base, progression, "Restauration (pages)")
            finally:
                source.close()
    except BaseOccupee:
        return _erreur(
            f"restauration refusée : la base {fichier} est encore ouverte par un "
            "autre programme. Fermez Guichet Famille sur tous les postes qui "
            "l'utilisent, puis relancez la restauration. Rien n'a été modifié.",
            SORTIE_OCCUPEE,
        )
    except sqlite3.DatabaseError as erreur:
        return _erreur(
            f"restauration impossible ({erreur}) : {fichier} n'a pas été modifiée.",
            SORTIE_ILLISIBLE,
        )
    print(f"{fichier} restaurée depuis {sauvegarde}.")
    return 0


def _commande_facturer(args: argparse.Namespace, regl: Reglages, engine) -> int:
    """Print the month's preview (families, lines, anomalies, totals); issue with --emettre,
    all in one transaction (Ctrl+C before the end writes nothing)."""
    from modele.base import Contexte, ErreurMetier
    from modele.db import ATTENTE_DEFAUT, agir, lire
    from modele.facturation import (
        apercu_facturation,
        bornes_mois,
        jours_a_venir,
        mois_non_termine,
        question_mois_en_cours,
    )
    from modele.formats import date_courte, euros, mois_annee, montant
    from modele.reglements import facturer_mois
    from modele.reservations import en_suspens, texte_suspens
    from modele.structure import regie_par_code
    from tui.progression import SuiviConsole

    debut, fin = bornes_mois(*args.mois)
    try:
        regie = lire(engine, lambda s: regie_par_code(s, args.regie), ATTENTE_DEFAUT)
    except ErreurMetier as e:
        return _erreur(e.message)
    try:
        # the preview is a read: the counters keep working while it is computed
        with SuiviConsole() as progression:
            apercu = lire(
                engine,
                lambda s: apercu_facturation(s, regie.id, debut, fin, progression),
                ATTENTE_DEFAUT,
            )
    except ErreurMetier as e:
        return _refus(e, regl)
    print(
        f"{regie.libelle} ({regie.code}) — {mois_annee(debut)}, du {date_courte(debut)} "
        f"au {date_courte(fin)}"
    )
    for f in apercu.familles:
        print(f"\n{f.numero}  {f.nom:<40} {euros(f.prevue.total):>14}")
        for ligne in f.prevue.lignes:
            activite = apercu.activites.get(ligne.activite_id)
            print(
                f"    {apercu.enfants.get(ligne.enfant_id, ''):<24} "
                f"{ligne.libelle if ligne.mois or not activite else activite.nom:<52} "
                f"{ligne.quantite:>3} j × "
                f"{montant(ligne.prix_unitaire):>7} = {montant(ligne.montant):>9}"
            )
        for anomalie in f.prevue.anomalies:
            print(f"    ! {anomalie}")
    n = len(apercu.familles)
    print(
        f"\nTotal : {n} facture{'s' if n > 1 else ''}, {euros(apercu.total)} ; "
        f"{apercu.avec_anomalies} famille{'s' if apercu.avec_anomalies > 1 else ''} "
        "avec anomalies."
    )
    suspens = lire(
        engine, lambda s: en_suspens(s, regie.id, debut, fin, regl.aujourdhui), ATTENTE_DEFAUT
    )
    print(texte_suspens(suspens))
    a_venir = jours_a_venir(debut, fin, regl.aujourdhui)
    if a_venir:
        print(mois_non_termine(a_venir))
    if not args.emettre:
        print("Aperçu seulement : rien n'est émis (ajoutez --emettre).")
        return 0
    if not n:
        print("Rien à émettre.")
        return 0
    if a_venir and not args.mois_en_cours:
        # Asked on a terminal; a script must say so with --mois-en-cours.
        if not sys.stdin.isatty():
            return _erreur(
                f"{mois_non_termine(a_venir)} Rien n'est émis : ajoutez "
                "--mois-en-cours pour émettre quand même.",
                1,
            )
        if input(f"{question_mois_en_cours(a_venir)} (oui/non) ").strip().lower() not in (
            "o",
            "oui",
        ):
            print("Émission abandonnée : rien n'est émis.")
            return 1
    emission = args.date_emission or regl.aujourdhui
    contexte = Contexte.systeme("facturer", aujourdhui=regl.aujourdhui)
    try:
        with SuiviConsole() as progression:
            factures = agir(
                engine,
                lambda s: facturer_mois(
                    s,
                    contexte,
                    regie.id,
                    debut,
                    fin,
                    emission,
                    mois_en_cours=True,  # (confirmed above)
                    progression=progression,
                ),
                ATTENTE_DEFAUT,
            )
    except ErreurMetier as e:
        return _refus(e, regl)
    if factures:
        print(
            f"{len(factures)} facture{'s' if len(factures) > 1 else ''} émise"
            f"{'s' if len(factures) > 1 else ''} le {date_courte(emission)} : "
            f"{factures[0].reference} à {factures[-1].reference}."
        )
    else:
        print("Rien à émettre.")
    return 0


def _commande_imprimer(args: argparse.Namespace, regl: Reglages, engine: Engine) -> int:
    """An invoice, a receipt or a relevé as a PDF, without the app (exports.documents)."""
    from exports.documents import (
        document_facture,
        document_recu,
        document_releve,
        facture_par_reference,
        reglement_par_reference,
    )
    from modele.base import ErreurMetier, annee_scolaire
    from modele.db import lire
    from modele.famille import famille_par_numero

    jour = regl.aujourdhui
    if args.document == "factures":
        return _imprimer_factures_du_mois(args, regl, engine)

    def lire_document(session):
        if args.document == "facture":
            return document_facture(session, facture_par_reference(session, args.numero), jour)
        if args.document == "recu":
            return document_recu(session, reglement_par_reference(session, args.numero), jour)
        famille = famille_par_numero(session, args.numero.strip())
        return document_releve(session, famille.id, args.annee or annee_scolaire(jour), jour)

    try:
        nom, contenu = lire(engine, lire_document)
    except ErreurMetier as e:
        return _refus(e, regl)
    chemin = _ecrire_document(contenu, args.sortie, regl, nom)
    if chemin is None:
        return 1
    print(chemin)
    return 0


def _commande_statistiques(args: argparse.Namespace, regl: Reglages, engine: Engine) -> int:
    """The CAF's statistics of a year as a French CSV (exports.tableur), without the app."""
    from exports.tableur import csv_caf
    from modele.base import ErreurMetier
    from modele.db import lire
    from modele.formats import compte
    from modele.statistiques import heures, statistiques_caf

    try:
        stats = lire(engine, lambda session: statistiques_caf(session, args.annee, args.structure))
    except ErreurMetier as e:
        return _refus(e, regl)
    contenu = csv_caf(stats)
    nom = f"statistiques-caf-{stats.annee}" + (f"-{stats.structure}" if stats.structure else "")
    chemin = _ecrire_document(contenu, args.sortie, regl, f"{nom}.csv")
    if chemin is None:
        return 1
    print(
        f"{compte(stats.enfants, 'enfant')}, {heures(stats.total_minutes)} heures réalisées : "
        f"{chemin}"
    )
    return 0


def _imprimer_factures_du_mois(args: argparse.Namespace, regl: Reglages, engine: Engine) -> int:
    """Every invoice of a régie's month in one PDF, for the post, with its progress."""
    from exports.documents import ETAPE_LECTURE, factures_du_mois_pdf
    from modele.base import ErreurMetier
    from modele.db import lire
    from modele.facturation import bornes_mois
    from modele.reglements import factures_du_mois_a_imprimer
    from modele.structure import collectivite, regie_par_code
    from tui.progression import SuiviConsole

    jour = regl.aujourdhui
    precedent = jour.replace(day=1) - dt.timedelta(days=1)
    debut, fin = bornes_mois(*(args.mois or (precedent.year, precedent.month)))

    def lire_factures(session):
        regie = regie_par_code(session, args.numero)
        return (
            regie,
            factures_du_mois_a_imprimer(session, regie.id, debut, fin),
            collectivite(session),
        )

    try:
        with SuiviConsole() as progression:
            progression(ETAPE_LECTURE, 0, None)
            regie, details, structure = lire(engine, lire_factures)
            contenu = factures_du_mois_pdf(
                details, structure, jour, f"Factures {regie.code} {debut:%m/%Y}", progression
            )
    except ErreurMetier as e:
        return _refus(e, regl)
    nom = f"Factures {regie.code} {debut:%Y-%m}.pdf"
    chemin = _ecrire_document(contenu, args.sortie, regl, nom)
    if chemin is None:
        return 1
    print(chemin)
    return 0


def _commande_relances(args: argparse.Namespace, regl: Reglages, engine: Engine) -> int:
    """The régie's invoices late enough to remind, with their level and the totals; with
    --envoyer, the reminders recorded (one transaction) and the letters in one PDF."""
    from exports.documents import document_relances
    from modele.base import Contexte, ErreurMetier
    from modele.db import ATTENTE_DEFAUT, agir, lire
    from modele.formats import accord, compte, date_courte, euros
    from modele.relances import TITRE, ModeRelance, envoyer_relances, libelle_niveau, relances
    from modele.structure import regie_par_code

    jour = regl.aujourdhui
    try:
        regie = lire(engine, lambda s: regie_par_code(s, args.regie), ATTENTE_DEFAUT)
        vue = lire(engine, lambda s: relances(s, regie.id, jour), ATTENTE_DEFAUT)
    except ErreurMetier as e:
        return _refus(e, regl)
    print(f"{regie.libelle} ({regie.code}) — factures impayées au {date_courte(jour)}")
    print(
        f"Délais après l'échéance : 1re relance {regie.relance1_jours} j, 2e relance "
        f"{regie.relance2_jours} j, titre à émettre {regie.titre_jours} j."
    )
    for a in vue.lignes:
        envoye = f"{libelle_niveau(a.envoye)} le {date_courte(a.envoye_le)}" if a.envoye else "—"
        print(
            f"{a.facture.reference:<10} {a.famille.numero}  {date_courte(a.facture.date_echeance)}"
            f" {a.retard:>4} j  {euros(a.reste_du):>12}  {libelle_niveau(a.niveau):<16} "
            f"envoyée : {envoye}"
        )
    for niveau in (1, 2, TITRE):
        print(
            f"{libelle_niveau(niveau)} : {compte(vue.nombre_niveau(niveau), 'facture')}, "
            f"{euros(vue.total_niveau(niveau))}"
        )
    print(
        f"Total : {compte(len(vue.lignes), 'facture')}, {euros(vue.total)} ; à envoyer : "
        f"{len(vue.a_envoyer)}."
    )
    if not args.envoyer:
        print("Liste seulement : rien n'est envoyé (ajoutez --envoyer).")
        return 0
    if not vue.a_envoyer:
        print("Aucune relance à envoyer.")
        return 0
    contexte = Contexte.systeme("relances", jour)
    mode = ModeRelance.BOITE if args.boite else ModeRelance.COURRIER
    try:
        ids = agir(engine, lambda s: envoyer_relances(s, contexte, regie.id, mode), ATTENTE_DEFAUT)
    except ErreurMetier as e:
        return _refus(e, regl)
    print(f"{compte(len(ids), 'relance')} {accord(len(ids), 'enregistrée')} ({mode.libelle}).")
    if mode == ModeRelance.COURRIER:
        try:
            nom, contenu = lire(engine, lambda s: document_relances(s, ids, jour))
        except ErreurMetier:
            return 0  # titles to issue only: nothing to write to the families
        chemin = _ecrire_document(contenu, args.sortie, regl, nom)
        if chemin is None:
            return 1
        print(chemin)
    return 0


def _commande_prelevements(args: argparse.Namespace, regl: Reglages, engine: Engine) -> int:
    """The debits whose date has come are passed; then the month's remise is recorded and
    its pain.008 file written (one transaction: a refused remise writes nothing)."""
    from exports.documents import document_prelevements
    from modele.base import Contexte, ErreurMetier, maintenant_le
    from modele.db import ATTENTE_DEFAUT, agir, lire
    from modele.formats import accord, compte, date_courte, euros, mois_annee
    from modele.sepa import (
        apercu_prelevements,
        creer_remise,
        passer_prelevements,
        preavis_court,
    )
    from modele.structure import regie_par_code

    jour = regl.aujourdhui
    mois = dt.date(args.mois[0], args.mois[1], 1)
    contexte = Contexte.systeme("prelevements", jour)
    try:
        regie = lire(engine, lambda s: regie_par_code(s, args.regie), ATTENTE_DEFAUT)
        passes = agir(engine, lambda s: passer_prelevements(s, contexte, regie.id), ATTENTE_DEFAUT)
        if passes:
            print(
                f"{compte(passes, 'prélèvement')} {accord(passes, 'arrivé')} à échéance : "
                f"{accord(passes, 'facture prélevée', 'factures prélevées')}."
            )
        apercu = lire(engine, lambda s: apercu_prelevements(s, regie.id, mois), ATTENTE_DEFAUT)
        for anomalie in apercu.anomalies:
            print(f"! {anomalie}")
        if avertissement := preavis_court(apercu, args.echeance, jour):
            print(f"! {avertissement}")
        remise = agir(
            engine,
            lambda s: creer_remise(s, contexte, regie.id, mois, args.echeance),
            ATTENTE_DEFAUT,
        )
        nom, contenu = lire(
            engine, lambda s: document_prelevements(s, remise.id, maintenant_le(jour))
        )
    except ErreurMetier as e:
        return _refus(e, regl)
    print(
        f"{regie.libelle} ({regie.code}) — {mois_annee(mois)} : "
        f"{compte(remise.nombre, 'prélèvement')}, "
        f"{euros(remise.total)}, le {date_courte(args.echeance)}."
    )
    chemin = _ecrire_document(contenu, args.sortie, regl, nom)
    if chemin is None:
        return 1
    print(chemin)
    return 0


def _commande_attestations(args: argparse.Namespace, regl: Reglages, engine: Engine) -> int:
    """One family's attestation fiscale, or every family's in one PDF."""
    from exports.documents import document_attestations
    from modele.base import ErreurMetier
    from modele.db import ATTENTE_DEFAUT, lire
    from modele.famille import famille_par_numero

    jour = regl.aujourdhui

    def lire_document(session):
        famille_id = famille_par_numero(session, args.famille).id if args.famille else None
        return document_attestations(session, args.annee, jour, famille_id)

    try:
        nom, contenu = lire(engine, lire_document, ATTENTE_DEFAUT)
    except ErreurMetier as e:
        return _refus(e, regl)
    chemin = _ecrire_document(contenu, args.sortie, regl, nom)
    if chemin is None:
        return 1
    print(chemin)
    return 0


def _commande_cloture(args: argparse.Namespace, regl: Reglages, engine: Engine) -> int:
    """Close a régie's day with the counted amounts (a refusal says what is missing), print
    its journal de caisse, then make and print its deposit slips; one action each."""
    from exports.documents import document_bordereau, document_journal_caisse
    from exports.fichiers import ecrire
    from modele.base import Contexte, ErreurMetier
    from modele.cloture import cloturer_caisse, etablir_bordereaux, etat_caisse
    from modele.db import ATTENTE_DEFAUT, agir, lire
    from modele.formats import accord, centimes, date_courte, euros
    from modele.structure import regie_par_code

    jour = args.jour or regl.aujourdhui
    comptes = {}
    for mode, _ in MODES_COMPTES:
        valeur = getattr(args, f"compte_{mode}")
        if valeur is None:
            continue
        try:
            comptes[mode] = centimes(valeur)
        except ValueError as e:
            return _erreur(f"--{mode.replace('_', '-')} : {e}")
    contexte = Contexte.systeme("cloture", regl.aujourdhui)
    try:
        regie = lire(engine, lambda s: regie_par_code(s, args.regie), ATTENTE_DEFAUT)
        etat = lire(engine, lambda s: etat_caisse(s, regie.id, jour), ATTENTE_DEFAUT)
    except ErreurMetier as e:
        return _refus(e, regl)
    print(f"{regie.libelle} ({regie.code}) — caisse du {date_courte(jour)}")
    for t in etat.totaux:
        print(
            f"  {t.libelle:<20} {t.nombre:>4} {accord(t.nombre, 'opération'):<10} "
            f"{euros(t.montant):>14}"
        )
    if not etat.totaux:
        print("  Aucune opération ce jour.")
    if etat.cloture is None:
        try:
            cloture = agir(
                engine,
                lambda s: cloturer_caisse(s, contexte, regie.id, jour, comptes, args.motif),
                ATTENTE_DEFAUT,
            )
        except ErreurMetier as e:
            if e.champ == "comptes":
                options = " ".join(
                    f"--{m.replace('_', '-')} MONTANT"
                    for m, _ in MODES_COMPTES
                    if m in {t.mode for t in etat.totaux}
                )
                return _erreur(f"{e.message} Rien n'est clôturé : ajoutez {options}.", 1)
            if e.champ == "motif":
                return _erreur(f"{e.message} Rien n'est clôturé : ajoutez --motif « … ».", 1)
            return _refus(e, regl)
        ecart = f", écart {euros(cloture.ecart)} ({cloture.motif})" if cloture.ecart else ""
        print(f"Caisse close : {cloture.reference}, compté {euros(cloture.compte)}{ecart}.")
    else:
        print(f"Caisse déjà close ({etat.cloture.reference}).")
    try:
        nom, contenu = lire(
            engine, lambda s: document_journal_caisse(s, regie.id, jour, regl.aujourdhui)
        )
    except ErreurMetier as e:
        return _refus(e, regl)
    print(ecrire(contenu, regl.dossier_exports, nom))
    if args.sans_bordereaux:
        return 0
    try:
        faits = agir(
            engine, lambda s: etablir_bordereaux(s, contexte, regie.id, jour), ATTENTE_DEFAUT
        )
    except ErreurMetier as e:
        print(e.message)
        return 0
    for bordereau in faits:
        try:
            nom, contenu = agir(
                engine,
                lambda s, b=bordereau.id: document_bordereau(s, contexte, b, regl.aujourdhui),
                ATTENTE_DEFAUT,
            )
        except ErreurMetier as e:
            return _refus(e, regl)
        print(
            f"Bordereau {bordereau.reference} ({bordereau.nombre}, {euros(bordereau.total)}) : "
            f"{ecrire(contenu, regl.dossier_exports, nom)}"
        )
    return 0


def _commande_verifier(args: argparse.Namespace, regl: Reglages, engine: Engine) -> int:
    """Recompute each régie's chain; the first record changed, removed or added unseen is
    named, and the exit code is SORTIE_CHAINE_ROMPUE."""
    from modele.base import ErreurMetier
    from modele.chaine import verifier_chaine
    from modele.db import ATTENTE_DEFAUT, lire
    from modele.structure import regie_par_code, regies

    def verifier(session):
        choisies = [regie_par_code(session, args.regie)] if args.regie else regies(session)
        return [verifier_chaine(session, r.id) for r in choisies]

    try:
        resultats = lire(engine, verifier, ATTENTE_DEFAUT)
    except ErreurMetier as e:
        return _refus(e, regl)
    rompue = False
    for v in resultats:
        if v.intacte:
            print(f"Régie {v.regie} : chaîne intacte ({v.maillons} écritures).")
        else:
            rompue = True
            print(f"guichet : {v.probleme}", file=sys.stderr)
    return SORTIE_CHAINE_ROMPUE if rompue else 0


def _fermer_session(app) -> None:
    """The logout of the agent the app still had (quit, a closed browser tab, a signal);
    a failure goes to the error log, never hides how the app ended."""
    try:
        app.apres_fermeture()
    except Exception as erreur:
        from tui.erreurs import journaliser

        journaliser(app.reglages.dossier, erreur, "déconnexion non journalisée")


def main(argv: list[str] | None = None) -> int:
    # The app's launch runs without garbage collection until it is warm (tui/tas.py); a
    # command, or an app that did not get there, has the collector back when it returns.
    suspendre_au_lancement()
    try:
        return _principal(argv)
    finally:
        reprendre_apres_lancement(figer=False)


def _principal(argv: list[str] | None) -> int:
    args = analyseur().parse_args(argv)
    if args.commande is not None:
        reprendre_apres_lancement(figer=False)
    regl = reglages(args)
    try:
        if args.commande == "demo":
            return _commande_demo(args, regl)
        if args.commande == "sauvegarde":
            return _commande_sauvegarde(args, regl)
        if args.commande == "restaurer":
            return _commande_restaurer(args, regl)
        engine = ouvrir_base(
            regl, creer_demo=getattr(args, "demo", False), differe=args.commande is None
        )
    except BaseInutilisable as erreur:
        return _erreur(str(erreur), erreur.code)
    if args.commande == "imprimer":
        return _commande_imprimer(args, regl, engine)
    if args.commande == "statistiques":
        return _commande_statistiques(args, regl, engine)
    if args.commande == "relances":
        return _commande_relances(args, regl, engine)
    if args.commande == "prelevements":
        return _commande_prelevements(args, regl, engine)
    if args.commande == "attestations":
        return _commande_attestations(args, regl, engine)
    if args.commande == "cloture":
        return _commande_cloture(args, regl, engine)
    if args.commande == "verifier":
        return _commande_verifier(args, regl, engine)
    if args.commande == "web":
        from tui.web import servir

        if engine is not None:
            engine.dispose()  # (each tab's process opens its own)
        servir(regl, args.hote, args.port, args.url_publique)
        return 0
    if args.commande == "facturer":
        try:
            return _commande_facturer(args, regl, engine)
        except Exception as erreur:
            if regl.fichier_sqlite is None or not _page_abimee(erreur):
                raise
            return _erreur(str(_abimee(regl.fichier_sqlite, "une page illisible")), SORTIE_ABIMEE)
    from tui.app import GuichetApp

    app = GuichetApp(regl, engine, a_verifier=engine is None and regl.fichier_sqlite is None)
    try:
        app.run()
    finally:
        _fermer_session(app)
    if app.a_rouvrir:
        # The server was not ready (down, another schema): opened as before the first
        # frame, which migrates it or says why not, and the app starts again.
        try:
            engine = ouvrir_base(regl)
        except BaseInutilisable as erreur:
            return _erreur(str(erreur), erreur.code)
        app = GuichetApp(regl, engine)
        try:
            app.run()
        finally:
            _fermer_session(app)
    return app.return_code or 0  # (not 0 when Textual ended the app on an error)


if __name__ == "__main__":
    sys.exit(main())
