"""The month's billing run, all families, issued (facturer_mois + commit), beside the bare
GROUP BY of the month's billed cells by family on the same base (sqlite3 or psycopg), and two
floors of writing: the same number of invoice and line rows by a bare executemany (SQLite) or
COPY (PostgreSQL) (`ecriture_nue`), and the month's cells linked to an invoice by a bare
INSERT … SELECT into `jourfacture` (`liens_nus`, foreign keys checked), each committed, then
removed.

Each run is undone afterwards with plain SQL (not timed): the invoices, their lines, their
journal rows, the credits lettered to them and the cells' links removed, the sequence put
back (the same statements on both engines). The base is left as it was.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import time

from bench.mesure import Serie, publier
from bench.moteur import Brute, est_pg, fichier, options, url

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


def ecriture_nue(adresse: str, factures: int, lignes: int) -> float:
    """Insert and commit `factures` invoice rows and `lignes` line rows as a bare executemany
    on SQLite, a bare COPY on PostgreSQL (the columns the run writes), then remove them (not
    timed)."""
    if est_pg(adresse):
        return _ecriture_nue_pg(adresse, factures, lignes)
    connexion = sqlite3.connect(fichier(adresse))
    premier = connexion.execute("SELECT coalesce(max(id), 0) + 1 FROM facture").fetchone()[0]
    famille = connexion.execute("SELECT min(id) FROM famille").fetchone()[0]
    numero = connexion.execute("SELECT coalesce(max(numero), 0) + 1 FROM facture").fetchone()[0]
    rangs = range(premier, premier + factures)
    rangees_factures = [
        (
            i,
            1,
            "facture",
            numero + k,
            f"AL-N{numero + k}",
            famille,
            "2026-12-05",
            "2026-12-20",
            "2026-11-01",
            "2026-11-30",
            1234,
            None,
            "",
            None,
            "2026-12-05 09:30:00.000000",
        )
        for k, i in enumerate(rangs)
    ]
    rangees_lignes = [
        (premier + k % factures, None, None, "Prénom — Restauration scolaire", 12, 350, 4200, None)
        for k in range(lignes)
    ]
    depart = time.perf_counter()
    connexion.executemany(
        "INSERT INTO facture (id, regie_id, nature, numero, reference, famille_id, date_emission, "
        "date_echeance, periode_debut, periode_fin, total, facture_origine_id, motif, emise_par, "
        "cree_le) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rangees_factures,
    )
    connexion.executemany(
        "INSERT INTO lignefacture (facture_id, enfant_id, activite_id, libelle, quantite, "
        "prix_unitaire, montant, mois_regularise) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rangees_lignes,
    )
    connexion.commit()
    duree = time.perf_counter() - depart
    connexion.execute("DELETE FROM lignefacture WHERE facture_id >= ?", (premier,))
    connexion.execute("DELETE FROM facture WHERE id >= ?", (premier,))
    connexion.commit()
    connexion.close()
    return duree


def _ecriture_nue_pg(adresse: str, factures: int, lignes: int) -> float:
    connexion = Brute(adresse, lecture_seule=False)
    premier, famille, numero = connexion.execute(
        "SELECT coalesce(max(id), 0) + 1, (SELECT min(id) FROM famille), "
        "coalesce(max(numero), 0) + 1 FROM facture"
    ).fetchone()
    rangs = range(premier, premier + factures)
    emission, echeance = dt.date(2026, 12, 5), dt.date(2026, 12, 20)
    debut, fin = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    cree = dt.datetime(2026, 12, 5, 9, 30)
    colonnes_factures = (
        "id, regie_id, nature, numero, reference, famille_id, date_emission, date_echeance, "
        "periode_debut, periode_fin, total, facture_origine_id, motif, emise_par, cree_le"
    )
    colonnes_lignes = (
        "facture_id, enfant_id, activite_id, libelle, quantite, prix_unitaire, montant, "
        "mois_regularise"
    )
    depart = time.perf_counter()
    with connexion.connexion.cursor() as curseur:
        with curseur.copy(f"COPY facture ({colonnes_factures}) FROM STDIN") as copie:
            for k, i in enumerate(rangs):
                copie.write_row(
                    (i, 1, "facture", numero + k, f"AL-N{numero + k}", famille, emission,
                     echeance, debut, fin, 1234, None, "", None, cree)
                )  # fmt: skip
        with curseur.copy(f"COPY lignefacture ({colonnes_lignes}) FROM STDIN") as copie:
            for k in range(lignes):
                copie.write_row(
                    (premier + k % factures, None, None, "Prénom — Restauration scolaire", 12,
                     350, 4200, None)
                )  # fmt: skip
    connexion.commit()
    duree = time.perf_counter() - depart
    connexion.execute("DELETE FROM lignefacture WHERE facture_id >= ?", (premier,))
    connexion.execute("DELETE FROM facture WHERE id >= ?", (premier,))
    connexion.execute(
        "SELECT setval(pg_get_serial_sequence('facture', 'id'), ?, ?)",
        (max(premier - 1, 1), premier > 1),
    )
    connexion.commit()
    _nettoyer(connexion)
    return duree


def liens_nus(adresse: str, debut: dt.date, fin: dt.date) -> float:
    """The month's billable cells linked to one invoice each family would get, as a bare
    INSERT … SELECT into jourfacture, committed (foreign keys checked, as in the app); then
    removed (not timed)."""
    connexion = Brute(adresse, lecture_seule=False)
    if connexion.moteur == "sqlite":
        connexion.execute("PRAGMA foreign_keys = ON")
        connexion.execute("PRAGMA cache_size = -262144")
    else:  # the run's own setting (modele.facturation.cache_large)
        connexion.execute("SET work_mem = '131072kB'")
    premier = connexion.execute("SELECT coalesce(max(id), 0) + 1 FROM facture").fetchone()[0]
    dernier = connexion.execute("SELECT coalesce(max(id), 0) FROM facture").fetchone()[0]
    mois = (debut.isoformat(), fin.isoformat())
    deja = "SELECT count(*) FROM jourfacture j JOIN consommation c ON c.id = j.consommation_id "
    if connexion.execute(f"{deja} WHERE c.jour >= ? AND c.jour <= ?", mois).fetchone()[0]:
        raise SystemExit("Le mois est déjà en partie facturé : choisissez-en un autre.")
    depart = time.perf_counter()
    # any existing invoice as the target: the link's writing, not the invoices', is measured
    connexion.execute(
        "INSERT INTO jourfacture (consommation_id, facture_id) SELECT c.id, "
        "? - e.famille_id % 1000 FROM consommation c JOIN enfant e ON e.id = c.enfant_id "
        "WHERE c.jour >= ? AND c.jour <= ? AND NOT c.gratuit AND NOT EXISTS (SELECT 1 FROM "
        "jourfacture j WHERE j.consommation_id = c.id) AND "
        f"c.etat IN ({', '.join('?' * len(ETATS))}) ORDER BY c.id",
        (dernier, debut.isoformat(), fin.isoformat(), *ETATS),
    )
    connexion.commit()
    duree = time.perf_counter() - depart
    connexion.execute(
        "DELETE FROM jourfacture WHERE consommation_id IN (SELECT c.id FROM consommation c "
        "WHERE c.jour >= ? AND c.jour <= ?) AND facture_id < ?",
        (debut.isoformat(), fin.isoformat(), premier),
    )
    connexion.commit()
    _nettoyer(connexion)
    return duree


def _nettoyer(connexion: Brute) -> None:
    """On PostgreSQL, the deleted rows' space and the statistics back for the next run."""
    if connexion.moteur == "postgresql":
        connexion.connexion.autocommit = True
        connexion.execute("VACUUM ANALYZE facture, lignefacture, jourfacture")
    connexion.close()


def facturer(
    adresse: str, debut: dt.date, fin: dt.date, emission: dt.date
) -> tuple[float, int, int]:
    from sqlmodel import col, func, select

    from modele.base import Contexte
    from modele.db import creer_engine, session
    from modele.reglements import facturer_mois
    from modele.tables.facturation import LigneFacture

    engine = creer_engine(adresse)
    contexte = Contexte.systeme("facturer", aujourdhui=emission)
    with session(engine) as s:
        depart = time.perf_counter()
        factures = facturer_mois(s, contexte, 1, debut, fin, emission)
        s.commit()
        duree = time.perf_counter() - depart
        lignes = s.exec(
            select(func.count())
            .select_from(LigneFacture)
            .where(col(LigneFacture.facture_id) >= min((f.id for f in factures), default=0))
        ).one()
    engine.dispose()
    return duree, len(factures), lignes


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
    ecriture, liens = Serie("facturation_ecriture_nue"), Serie("facturation_liens_nus")
    nombre = lignes = 0
    adresse = url(args)
    agregation_nue(adresse, debut, fin)  # the month's pages in the cache, for both
    for _ in range(args.repetitions):
        nue.valeurs.append(agregation_nue(adresse, debut, fin))
        avant = etat(adresse)
        try:
            duree, nombre, lignes = facturer(adresse, debut, fin, args.emission)
        finally:
            defaire(adresse, avant)
        run.valeurs.append(duree)
        ecriture.valeurs.append(ecriture_nue(adresse, nombre, lignes))
        liens.valeurs.append(liens_nus(adresse, debut, fin))
    series = [run, nue, ecriture, liens]
    publier(series, factures=nombre, lignes=lignes)


if __name__ == "__main__":
    main()
