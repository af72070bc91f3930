"""The month's billing run, all families, issued (facturer_mois + commit), beside the bare
GROUP BY of the month's billed cells by family on the same base (sqlite3 or psycopg).

Each run is undone afterwards with plain SQL (not timed): the invoices, their lines, their
journal rows, the credits lettered to them and the cells' links removed, the sequence put
back (the same statements on both engines). The base is left as it was.

    python -m bench.facturation --base FICHIER.db | --db URL [--mois 2026-11] [--repetitions 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from bench.mesure import Serie, publier
from bench.moteur import Brute, options, url

ETATS = ("reserve", "present", "absent_facture", "hors_contrat", "regulier")


def agregation_nue(adresse: str, debut: dt.date, fin: dt.date) -> float:
    connexion = Brute(adresse)
    depart = time.perf_counter()
    connexion.execute(
        "SELECT e.famille_id, count(*) FROM consommation c JOIN enfant e ON e.id = c.enfant_id "
        "WHERE c.jour >= ? AND c.jour <= ? AND NOT c.gratuit AND NOT EXISTS (SELECT 1 FROM "
        "jourfacture j WHERE j.consommation_id = c.id) AND "
        f"c.etat IN ({', '.join('?' * len(ETATS))}) GROUP BY e.famille_id",
        (debut.isoformat(), fin.isoformat(), *ETATS),
    ).fetchall()
    duree = time.perf_counter() - depart
    connexion.close()
    return duree


def facturer(adresse: str, debut: dt.date, fin: dt.date, emission: dt.date) -> tuple[float, int]:
    from modele.base import Contexte
    from modele.db import creer_engine, session
    from modele.reglements import facturer_mois

    engine = creer_engine(adresse)
    contexte = Contexte.systeme("facturer", aujourdhui=emission)
    with session(engine) as s:
        depart = time.perf_counter()
        factures = facturer_mois(s, contexte, 1, debut, fin, emission)
        s.commit()
        duree = time.perf_counter() - depart
    engine.dispose()
    return duree, len(factures)


def etat(adresse: str) -> tuple[int, int, int, int, int, int]:
    connexion = Brute(adresse)
    reponse = connexion.execute(
        "SELECT (SELECT coalesce(max(id), 0) FROM facture), (SELECT coalesce(max(id), 0) FROM "
        "journal), (SELECT dernier FROM compteur WHERE regie_id = 1 AND nature = 'facture'), "
        "(SELECT coalesce(max(id), 0) FROM maillon), "
        "(SELECT coalesce(max(dernier), 0) FROM compteur WHERE regie_id = 1 "
        "AND nature = 'chaine'), "
        "(SELECT coalesce(max(id), 0) FROM affectation)"
    ).fetchone()
    connexion.close()
    return reponse


def defaire(adresse: str, avant: tuple[int, int, int, int, int, int]) -> None:
    facture, journal, dernier, maillon, chaine, affectation = avant
    connexion = Brute(adresse, lecture_seule=False)
    # the links of the régie's chain (modele/chaine.py) that sealed the run's invoices
    connexion.execute("DELETE FROM maillon WHERE id > ?", (maillon,))
    connexion.execute(
        "UPDATE compteur SET dernier = ? WHERE regie_id = 1 AND nature = 'chaine'", (chaine,)
    )
    # a family's credit lettered to its new invoices (_lettrer_nouvelles_factures)
    connexion.execute("DELETE FROM affectation WHERE id > ?", (affectation,))
    connexion.execute("DELETE FROM jourfacture WHERE facture_id > ?", (facture,))
    connexion.execute("DELETE FROM lignefacture WHERE facture_id > ?", (facture,))
    connexion.execute("DELETE FROM facture WHERE id > ?", (facture,))
    connexion.execute("DELETE FROM journal WHERE id > ?", (journal,))
    connexion.execute(
        "UPDATE compteur SET dernier = ? WHERE regie_id = 1 AND nature = 'facture'", (dernier,)
    )
    if connexion.moteur == "postgresql":  # the ids the next run takes, as on SQLite
        for table, dernier_id in (
            ("facture", facture),
            ("journal", journal),
            ("maillon", maillon),
            ("affectation", affectation),
        ):
            connexion.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), ?, ?)",
                (max(dernier_id, 1), dernier_id > 0),
            )
    connexion.commit()
    if connexion.moteur == "sqlite":
        connexion.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    else:  # the deleted rows' space for the next run, and the planner's statistics
        connexion.connexion.autocommit = True
        connexion.execute(
            "VACUUM ANALYZE facture, lignefacture, jourfacture, journal, maillon, affectation"
        )
    connexion.close()


def main() -> None:
    from modele.facturation import bornes_mois

    analyseur = argparse.ArgumentParser()
    options(analyseur)
    analyseur.add_argument("--mois", default="2026-11")
    analyseur.add_argument("--emission", type=dt.date.fromisoformat, default=dt.date(2026, 12, 5))
    analyseur.add_argument("--repetitions", type=int, default=3)
    args = analyseur.parse_args()
    annee, mois = map(int, args.mois.split("-"))
    debut, fin = bornes_mois(annee, mois)
    run, nue = Serie("facturation"), Serie("facturation_nue")
    nombre = 0
    adresse = url(args)
    agregation_nue(adresse, debut, fin)  # the month's pages in the cache, for both
    for _ in range(args.repetitions):
        nue.valeurs.append(agregation_nue(adresse, debut, fin))
        avant = etat(adresse)
        try:
            duree, nombre = facturer(adresse, debut, fin, args.emission)
        finally:
            defaire(adresse, avant)
        run.valeurs.append(duree)
    publier([run, nue], factures=nombre)


if __name__ == "__main__":
    main()
