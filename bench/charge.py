"""Several counters at once (issue #18): N app processes on one base, each driving the real
app headless through an agent's day, while one more process bills a month.

    python -m bench.charge --db postgresql+psycopg://… [--postes 1,5,10] [--tours 4]
    python -m bench.charge --base FICHIER.db --postes 3
    python -m bench.charge --db … --postes 10 --ajouter   # beside the runs already kept

A counter is a process (`--poste I --sur N` runs one alone): it logs in as the régisseur and,
for each family of its own share of a sample (no two counters on one family), types the
family's number in the search, opens the file (Enter), shows the Relevé (4), takes a payment
(p … ctrl+s, no receipt), enters a request changing the address (2 r … ctrl+s), then goes to
F2 and accepts its own request. Each step is timed from its key to the last frame it caused
(bench/ecrans.Images). An error is an unexpected exception in the app
(`app.erreurs_inattendues`), a step that did not reach its screen, or a file showing another
family than the one asked for. Meanwhile one more process bills the month (`facturer_mois`,
every family of régie 1, system context), as the régisseur would from F6.

Afterwards, on the base: invoice and payment numbers gapless and unique in each régie since
the run began (modele.controle), the ledger's invariants, and every sampled family's balance
(modele.reglements.soldes) equal to its invoices minus its payments summed in raw SQL.
Each run (1, 5, 10 counters) works on a fresh copy of the base (a copied SQLite file, a
PostgreSQL database made from the named one as its template): the base named is left as
it was, and each run bills the same month.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bench.mesure import Serie, _quantile, machine, publier

ICI = Path(__file__).resolve().parent
ETAPES = ("recherche", "ouverture", "releve", "paiement_ouvert", "paiement", "demande", "f2")
ETAPES += ("decision", "acceptation")


def _url(args: argparse.Namespace) -> str:
    from tui.config import url_sqlite

    return args.db or url_sqlite(args.base)


def copie(url: str) -> str:
    """A fresh copy of the base for one run, its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    origine = make_url(url)
    if origine.get_backend_name() == "sqlite":
        cible = f"{origine.database}.charge"
        for suffixe in ("", "-wal", "-shm"):
            Path(cible + suffixe).unlink(missing_ok=True)
        source = sqlite3.connect(origine.database)
        destination = sqlite3.connect(cible)
        source.backup(destination)
        source.close()
        destination.close()
        return str(origine.set(database=cible))
    nom = f"{origine.database}_charge"
    serveur = create_engine(origine.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with serveur.connect() as connexion:
        connexion.execute(text(f'DROP DATABASE IF EXISTS "{nom}"'))
        # PostgreSQL 15 copies a template through the WAL by default (6 GB of it at
        # 50,000 families); FILE_COPY copies the files after a checkpoint.
        recent = (connexion.dialect.server_version_info or (0,)) >= (15,)
        strategie = " STRATEGY FILE_COPY" if recent else ""
        connexion.execute(text(f'CREATE DATABASE "{nom}" TEMPLATE "{origine.database}"{strategie}'))
    serveur.dispose()
    return origine.set(database=nom).render_as_string(hide_password=False)


def echantillon(url: str, nombre: int, graine: int = 0) -> list[tuple[int, str]]:
    """Families with something left to pay (régie 1) and a responsable: (id, number)."""
    from sqlalchemy import text

    from modele.db import creer_engine, session
    from modele.reglements import soldes

    engine = creer_engine(url)
    with session(engine) as s:
        lignes = s.exec(  # type: ignore[call-overload]
            text(
                "SELECT f.id, f.numero FROM famille f WHERE EXISTS (SELECT 1 FROM facture "
                "a WHERE a.famille_id = f.id AND a.regie_id = 1) AND EXISTS (SELECT 1 FROM "
                "responsable r WHERE r.famille_id = f.id AND r.role = 'responsable') "
                "ORDER BY f.id LIMIT 5000"
            )
        ).all()
        dus = soldes(s, [fid for fid, _ in lignes])
    engine.dispose()
    candidates = [(fid, numero) for fid, numero in lignes if dus.get(fid, 0) > 500]
    random.Random(graine).shuffle(candidates)
    return candidates[:nombre]


# -- one counter ------------------------------------------------------------------------


class Guichet:
    """One counter's app under run_test, its steps timed, its errors counted."""

    def __init__(self, app, pilot, images) -> None:
        self.app, self.pilot, self.images = app, pilot, images
        self.series = {nom: Serie(nom) for nom in ETAPES}
        self.erreurs: list[str] = []
        # "La base est occupée…, réessayez": told to the agent, nothing written (SQLite while
        # another process writes for longer than a screen waits): counted apart.
        self.occupee: list[str] = []

    def base_occupee(self) -> bool:
        from ecrans.compat_textual import texte_ecran

        return "La base est occupée" in " ".join(texte_ecran(self.app).split())

    async def etape(self, nom: str, *touches: str, attendu=None) -> bool:
        """Press the keys, time the last one, then check the state the step should reach."""
        try:
            duree = await self.images.latence(self.pilot, *touches)
        except RuntimeError as erreur:
            self.erreurs.append(f"{nom} : {erreur}")
            return False
        if attendu is not None and not await self._attendre(attendu):
            ecran = type(self.app.screen).__name__
            if self.base_occupee():
                self.occupee.append(nom)
            else:
                self.erreurs.append(f"{nom} : état non atteint (écran {ecran})")
            return False
        self.series[nom].valeurs.append(duree)
        return True

    async def _attendre(self, condition, limite: float = 30.0) -> bool:
        fin = time.monotonic() + limite
        while not condition():
            if time.monotonic() > fin or not self.app.is_running:
                return False
            await self.pilot.pause()
        return True

    async def revenir(self) -> None:
        """Back to the search whatever the state (after an error): Escape, yes to leaving."""
        from ecrans.widgets import Confirmation
        from tui.recherche import EcranRecherche

        for _ in range(8):
            if isinstance(self.app.screen, EcranRecherche):
                return
            touche = "o" if isinstance(self.app.screen, Confirmation) else "escape"
            await self.pilot.press(touche)
            await self.pilot.pause()

    async def remplir(self, champ: str, valeur: str) -> None:
        from textual.widgets import Input

        widget = self.app.screen.query_one(f"#champ-{champ}", Input)
        widget.focus()
        widget.value = valeur
        await self.pilot.pause()

    async def journee(self, famille_id: int, numero: str, tour: int) -> None:
        """One family at the counter, from the search back to the search."""
        from ecrans.decision import EcranDecision
        from ecrans.encaissement import FormulaireEncaissement
        from ecrans.famille import EcranFamille
        from ecrans.file_demandes import EcranDemandesATraiter
        from ecrans.formulaire_demande import FormulaireDemande
        from ecrans.widgets import Confirmation

        app = self.app
        saisie = app.screen.query_one("#saisie-recherche")
        saisie.value = numero[:-1]
        saisie.cursor_position = len(saisie.value)
        await self.pilot.pause()
        if not await self.etape("recherche", numero[-1]):
            return
        bonne = lambda: (  # noqa: E731
            isinstance(app.screen, EcranFamille) and app.screen.famille_id == famille_id
        )
        if not await self.etape("ouverture", "enter", attendu=bonne):
            return
        if not await self.etape("releve", "4"):
            return
        ouvert = lambda: isinstance(app.screen, FormulaireEncaissement)  # noqa: E731
        if not await self.etape("paiement_ouvert", "p", attendu=ouvert):
            return
        await self.remplir("montant", "1,00")
        await self.remplir("reference_paiement", f"{4500000 + tour:07d}")
        app.screen.query_one("#champ-banque").value = "La Banque Postale"
        recu = lambda: isinstance(app.screen, Confirmation)  # noqa: E731
        if not await self.etape("paiement", "ctrl+s", attendu=recu):
            return
        await self.pilot.press("n")
        await self._attendre(bonne)
        await self.pilot.press("2")
        formulaire = lambda: isinstance(app.screen, FormulaireDemande)  # noqa: E731
        await self.pilot.press("r")
        if not await self._attendre(formulaire):
            self.erreurs.append("demande : le formulaire ne s'ouvre pas")
            return
        adresse = f"{tour + 1} rue de la Charge"
        await self.remplir("adresse", adresse)
        if not await self.etape("demande", "ctrl+s", attendu=bonne):
            return
        file = lambda: isinstance(app.screen, EcranDemandesATraiter)  # noqa: E731
        if not await self.etape("f2", "f2", attendu=file):
            return
        await self._attendre(lambda: app.screen.query_one("#file-demandes").row_count > 0)
        table = app.screen.query_one("#file-demandes")
        rangs = [
            i
            for i in range(table.row_count)
            if numero in str(table.get_row_at(i)) and adresse in str(table.get_row_at(i))
        ]
        if not rangs:
            self.erreurs.append("f2 : la demande saisie n'est pas dans la file")
            return
        table.move_cursor(row=rangs[0])
        await self.pilot.pause()
        decision = lambda: isinstance(app.screen, EcranDecision)  # noqa: E731
        if not await self.etape("decision", "enter", attendu=decision):
            return
        await self.etape("acceptation", "a")


async def guichet(url: str, jour: dt.date, familles: list[tuple[int, str]]) -> dict:
    from bench.ecrans import Images
    from tui.app import GuichetApp
    from tui.config import Reglages
    from tui.recherche import EcranRecherche

    app = GuichetApp(Reglages(db_url=url, date_fixe=jour), None)
    async with app.run_test(size=(120, 40)) as pilot:
        images = Images(app)
        await pilot.pause()
        poste = Guichet(app, pilot, images)
        for _essai in range(10):  # as an agent told "réessayez dans un instant" would
            app.screen.query_one("#identifiant").value = "regie"
            app.screen.query_one("#mot_de_passe").value = "Regie2026"
            app.screen.query_one("#mot_de_passe").focus()
            await pilot.press("enter")
            await poste._attendre(lambda: isinstance(app.screen, EcranRecherche), 10)
            if isinstance(app.screen, EcranRecherche) or not poste.base_occupee():
                break
            poste.occupee.append("connexion")
            await asyncio.sleep(1)
        if not isinstance(app.screen, EcranRecherche):
            from ecrans.compat_textual import texte_ecran

            vu = " ".join(texte_ecran(app).split())
            poste.erreurs.append(f"connexion : écran {type(app.screen).__name__} : {vu}")
        await images.calme(time.perf_counter())
        for tour, (famille_id, numero) in enumerate(familles):
            if not isinstance(app.screen, EcranRecherche):
                poste.erreurs.append(f"tour {tour} : pas sur la recherche au départ")
            else:
                await poste.journee(famille_id, numero, tour)
            await poste.revenir()
        poste.erreurs += [f"{type(e).__name__}: {e}" for e in app.erreurs_inattendues]
    return {
        "series": {nom: s.valeurs for nom, s in poste.series.items()},
        "erreurs": poste.erreurs,
        "occupee": poste.occupee,
    }


def facturer(url: str, jour: dt.date) -> dict:
    """The month's billing run (régie 1), as F6 does it, beside the counters."""
    from modele.base import Contexte
    from modele.db import creer_engine, session
    from modele.reglements import facturer_mois

    debut = jour.replace(day=1)
    fin = (debut + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    engine = creer_engine(url)
    contexte = Contexte.systeme("facturer", aujourdhui=jour)
    depart = time.perf_counter()
    with session(engine) as s:
        factures = facturer_mois(s, contexte, 1, debut, fin, jour, mois_en_cours=True)
        s.commit()
    engine.dispose()
    return {"facturation_s": time.perf_counter() - depart, "factures": len(factures)}


# -- the run: N counters, then the checks ----------------------------------------------


def controles(url: str, avant: dict, familles: list[int]) -> list[str]:
    """Gapless, unique numbers since `avant`; the ledger's invariants; balances = ledger."""
    from sqlalchemy import text

    from modele.controle import anomalies_grand_livre
    from modele.db import creer_engine, session
    from modele.reglements import soldes

    engine = creer_engine(url)
    with session(engine) as s:
        anomalies = anomalies_grand_livre(s, avant)
        for nature, table in (("facture", "facture"), ("reglement", "reglement")):
            doubles = s.exec(  # type: ignore[call-overload]
                text(
                    f"SELECT regie_id, numero FROM {table} GROUP BY regie_id, numero "
                    "HAVING count(*) > 1"
                )
            ).all()
            anomalies += [f"{nature} {numero} en double (régie {r})" for r, numero in doubles]
        calcules = soldes(s, familles)
        for fid in familles:
            du = s.exec(  # type: ignore[call-overload]
                text("SELECT coalesce(sum(total), 0) FROM facture WHERE famille_id = :f"),
                params={"f": fid},
            ).one()[0]
            paye = s.exec(  # type: ignore[call-overload]
                text("SELECT coalesce(sum(montant), 0) FROM reglement WHERE famille_id = :f"),
                params={"f": fid},
            ).one()[0]
            if calcules.get(fid, 0) != du - paye:
                anomalies.append(
                    f"famille {fid} : solde {calcules.get(fid, 0)} c, grand livre {du - paye} c"
                )
    engine.dispose()
    return anomalies


def lancer_postes(args: argparse.Namespace, url: str, n: int, familles: list) -> dict:
    """N counter processes and one billing process at once; their results merged."""
    commune = [sys.executable, "-m", "bench.charge", "--date", args.date, "--db", url]
    processus = []
    for i in range(n):
        part = familles[i::n]
        arguments = commune + ["--poste", json.dumps(part)]
        processus.append(subprocess.Popen(arguments, stdout=subprocess.PIPE, text=True))
    facturation = subprocess.Popen(commune + ["--facturer"], stdout=subprocess.PIPE, text=True)
    series: dict[str, list[float]] = {nom: [] for nom in ETAPES}
    erreurs: list[str] = []
    occupee: list[str] = []
    for i, p in enumerate(processus):
        sortie, _ = p.communicate()
        resultat = _resultat(sortie)
        if resultat is None:
            erreurs.append(f"poste {i} : arrêté (code {p.returncode})")
            continue
        for nom, valeurs in resultat["series"].items():
            series[nom] += valeurs
        erreurs += [f"poste {i} : {e}" for e in resultat["erreurs"]]
        occupee += resultat["occupee"]
    sortie, _ = facturation.communicate()
    bilan = _resultat(sortie) or {}
    if not bilan:
        erreurs.append(f"facturation : arrêtée (code {facturation.returncode})")
    return {"series": series, "erreurs": erreurs, "occupee": occupee, **bilan}


def _resultat(sortie: str) -> dict | None:
    for ligne in reversed(sortie.splitlines()):
        if ligne.startswith("RESULTAT "):
            return json.loads(ligne.removeprefix("RESULTAT "))
    return None


def resume(valeurs: list[float]) -> dict:
    if not valeurs:
        return {"n": 0}
    return {
        "n": len(valeurs),
        "p50": _quantile(valeurs, 0.5),
        "p90": _quantile(valeurs, 0.9),
        "p99": _quantile(valeurs, 0.99),
    }


def section(document: dict) -> list[str]:
    """RESULTS.md's part on counters at once (from bench/charge-ENGINE.json)."""
    moteur = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}[document["moteur"]]
    texte = [
        f"## Several counters at once on {moteur} (`python -m bench.charge`)",
        "",
        f"Each counter a process driving the real app ({document['tours']} families each: "
        "search by number, open, Relevé, payment, request, F2, accept) while one more process "
        f"bills the month; load average at the end {document['machine']['charge'][0]:.1f} on "
        f"{document['machine']['nproc']} cores. Times from key to last frame, ms.",
        *([f"Base: {document['base']}."] if document.get("base") else []),
        "",
        "| counters | step | n | p50 | p90 | p99 |",
        "|---|---|---|---|---|---|",
    ]
    for run in document["runs"]:
        for nom, r in run["etapes"].items():
            if r["n"]:
                texte.append(
                    f"| {run['postes']} | {nom} | {r['n']} | {r['p50'] * 1000:.0f} | "
                    f"{r['p90'] * 1000:.0f} | {r['p99'] * 1000:.0f} |"
                )
    texte += [
        "",
        "| counters | errors | « base occupée » told | ledger anomalies | billing (s) | invoices |",
        "|---|---|---|---|---|---|",
    ]
    for run in document["runs"]:
        occupee = ", ".join(sorted(set(run.get("occupee", [])))) or "–"
        texte.append(
            f"| {run['postes']} | {len(run['erreurs'])} | {len(run.get('occupee', []))} "
            f"({occupee}) | {len(run['anomalies'])} | {run['facturation_s'] or 0:.1f} | "
            f"{run['factures'] or 0} |"
        )
    for run in document["runs"]:
        texte += [f"- {run['postes']} : {e}" for e in run["erreurs"] + run["anomalies"]]
    return texte


def main() -> None:
    analyseur = argparse.ArgumentParser()
    analyseur.add_argument("--db", help="SQLAlchemy URL (PostgreSQL)")
    analyseur.add_argument("--base", default="/tmp/grand.db", help="SQLite file")
    analyseur.add_argument("--date", default="2026-11-27")
    analyseur.add_argument("--postes", default="1,5,10", help="counters at once, per run")
    analyseur.add_argument("--tours", type=int, default=4, help="families per counter")
    analyseur.add_argument("--poste", help=argparse.SUPPRESS)
    analyseur.add_argument("--facturer", action="store_true", help=argparse.SUPPRESS)
    analyseur.add_argument("--sortie", help="JSON file (default: bench/charge-ENGINE.json)")
    analyseur.add_argument("--decrire", default="", help="what the base is, for RESULTS.md")
    analyseur.add_argument(
        "--ajouter",
        action="store_true",
        help="keep the output file's runs of other counts (e.g. the 10 counters run apart)",
    )
    args = analyseur.parse_args()
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    jour = dt.date.fromisoformat(args.date)
    url = _url(args)
    if args.poste is not None:
        familles = [tuple(f) for f in json.loads(args.poste)]
        print("RESULTAT " + json.dumps(asyncio.run(guichet(url, jour, familles))))
        return
    if args.facturer:
        print("RESULTAT " + json.dumps(facturer(url, jour)))
        return
    from modele.controle import numeros_emis
    from modele.db import creer_engine, session

    runs = []
    for n in (int(x) for x in args.postes.split(",")):
        url_run = copie(url)
        familles = echantillon(url_run, n * args.tours, graine=n)
        engine = creer_engine(url_run)
        with session(engine) as s:
            avant = numeros_emis(s)
        engine.dispose()
        depart = time.perf_counter()
        resultat = lancer_postes(args, url_run, n, familles)
        duree = time.perf_counter() - depart
        anomalies = controles(url_run, avant, [fid for fid, _ in familles])
        run = {
            "postes": n,
            "duree_s": duree,
            "etapes": {nom: resume(v) for nom, v in resultat["series"].items()},
            "erreurs": resultat["erreurs"],
            "occupee": resultat["occupee"],
            "anomalies": anomalies,
            "facturation_s": resultat.get("facturation_s"),
            "factures": resultat.get("factures"),
        }
        runs.append(run)
        print(json.dumps(run, ensure_ascii=False, indent=1), file=sys.stderr)
    moteur = "postgresql" if url.startswith("postgresql") else "sqlite"
    document = {"moteur": moteur, "machine": machine(), "tours": args.tours, "runs": runs}
    document["base"] = args.decrire
    sortie = Path(args.sortie or ICI / f"charge-{moteur}.json")
    if args.ajouter and sortie.exists():
        ancien = json.loads(sortie.read_text())
        if ancien.get("moteur") == moteur and ancien.get("tours") == args.tours:
            faits = {r["postes"] for r in runs}
            runs = sorted(
                [r for r in ancien["runs"] if r["postes"] not in faits] + runs,
                key=lambda r: r["postes"],
            )
            document["runs"] = runs
    sortie.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n")
    publier([Serie(f"{r['postes']}_postes_erreurs", [float(len(r["erreurs"]))]) for r in runs])


if __name__ == "__main__":
    main()
