"""The month's billing run, all families, issued (facturer_mois + commit), beside the bare
GROUP BY of the month's billed cells by family on the same file.

Each run is undone afterwards with plain SQL (not timed): the invoices, their lines, their
journal rows and the cells' links removed, the sequence put back. The base is left as it was.

    python -m bench.facturation --base FICHIER.db [--mois 2026-11] [--repetitions 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import time

from bench.mesure import Serie, publier

ETATS = ("reserve", "present", "absent_facture", "hors_contrat", "regulier")


def agregation_nue(base: str, debut: dt.date, fin: dt.date) -> float:
    connexion = sqlite3.connect(f"file:{base}?mode=ro", uri=True)
    depart = time.perf_counter()
    connexion.execute(
        "SELECT e.famille_id, count(*) FROM consommation c JOIN enfant e ON e.id = c.enfant_id "
        "WHERE c.jour >= ? AND c.jour <= ? AND c.gratuit = 0 AND NOT EXISTS (SELECT 1 FROM "
        "jourfacture j WHERE j.consommation_id = c.id) AND "
        f"c.etat IN ({', '.join('?' * len(ETATS))}) GROUP BY e.famille_id",
        (debut.isoformat(), fin.isoformat(), *ETATS),
    ).fetchall()
    duree = time.perf_counter() - depart
    connexion.close()
    return duree


def facturer(base: str, debut: dt.date, fin: dt.date, emission: dt.date) -> tuple[float, int]:
    from modele.base import Contexte
    from modele.db import creer_engine, session
    from modele.reglements import facturer_mois
    from tui.config import url_sqlite

    engine = creer_engine(url_sqlite(base))
    contexte = Contexte.systeme("facturer", aujourdhui=emission)
    with session(engine) as s:
        depart = time.perf_counter()
        factures = facturer_mois(s, contexte, 1, debut, fin, emission)
        s.commit()
        duree = time.perf_counter() - depart
    engine.dispose()
    return duree, len(factures)


def etat(base: str) -> tuple[int, int, int, int, int]:
    connexion = sqlite3.connect(base)
    reponse = connexion.execute(
        "SELECT (SELECT coalesce(max(id), 0) FROM facture), (SELECT coalesce(max(id), 0) FROM "
        "journal), (SELECT dernier FROM compteur WHERE regie_id = 1 AND nature = 'facture'), "
        "(SELECT coalesce(max(id), 0) FROM maillon), "
        "(SELECT coalesce(max(dernier), 0) FROM compteur WHERE regie_id = 1 AND nature = 'chaine')"
    ).fetchone()
    connexion.close()
    return reponse


def defaire(base: str, avant: tuple[int, int, int, int, int]) -> None:
    facture, journal, dernier, maillon, chaine = avant
    connexion = sqlite3.connect(base)
    # the links of the régie's chain (modele/chaine.py) that sealed the run's invoices
    connexion.execute("DELETE FROM maillon WHERE id > ?", (maillon,))
    connexion.execute(
        "UPDATE compteur SET dernier = ? WHERE regie_id = 1 AND nature = 'chaine'", (chaine,)
    )
    connexion.execute("DELETE FROM jourfacture WHERE facture_id > ?", (facture,))
    connexion.execute("DELETE FROM lignefacture WHERE facture_id > ?", (facture,))
    connexion.execute("DELETE FROM facture WHERE id > ?", (facture,))
    connexion.execute("DELETE FROM journal WHERE id > ?", (journal,))
    connexion.execute(
        "UPDATE compteur SET dernier = ? WHERE regie_id = 1 AND nature = 'facture'", (dernier,)
    )
    connexion.commit()
    connexion.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connexion.close()


def main() -> None:
    from modele.facturation import bornes_mois

    analyseur = argparse.ArgumentParser()
    analyseur.add_argument("--base", required=True)
    analyseur.add_argument("--mois", default="2026-11")
    analyseur.add_argument("--emission", type=dt.date.fromisoformat, default=dt.date(2026, 12, 5))
    analyseur.add_argument("--repetitions", type=int, default=3)
    args = analyseur.parse_args()
    annee, mois = map(int, args.mois.split("-"))
    debut, fin = bornes_mois(annee, mois)
    run, nue = Serie("facturation"), Serie("facturation_nue")
    nombre = 0
    agregation_nue(args.base, debut, fin)  # the month's pages in the cache, for both
    for _ in range(args.repetitions):
        nue.valeurs.append(agregation_nue(args.base, debut, fin))
        avant = etat(args.base)
        try:
            duree, nombre = facturer(args.base, debut, fin, args.emission)
        finally:
            defaire(args.base, avant)
        run.valeurs.append(duree)
    publier([run, nue], factures=nombre)


if __name__ == "__main__":
    main()
