"""Spreadsheets for French Excel: `;` between cells, UTF-8 with a BOM (Excel reads a
CSV without one as Windows-1252), decimal comma. Pure: rows in, bytes out."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from modele.quotient import MOIS
from modele.statistiques import StatistiquesCaf, heures


def csv_francais(lignes: Iterable[Sequence[str]]) -> bytes:
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, delimiter=";", lineterminator="\r\n")
    for ligne in lignes:
        # A cell starting with = + - @ would be a formula to Excel: typed names stay text.
        ecrivain.writerow(
            "'" + c if c[:1] in ("=", "+", "-", "@") and not _nombre(c) else c for c in ligne
        )
    return "\ufeff".encode() + tampon.getvalue().encode("utf-8")


def _nombre(cellule: str) -> bool:
    return cellule.lstrip("-").replace(",", "").isdigit()


def lignes_csv_caf(stats: StatistiquesCaf) -> list[list[str]]:
    """The CAF statistics as rows of a French spreadsheet (sections one under the other)."""
    lignes: list[list[str]] = [
        ["Statistiques CAF", str(stats.annee), stats.structure or "Toutes structures"],
        [
            "Plafonds journaliers (heures)",
            f"journée avec repas {heures(stats.plafond_journee)}",
            f"demi-journée {heures(stats.plafond_demi_journee)}",
        ],
        [],
        ["Heures réalisées", *MOIS, "Total", "Enfants"],
    ]
    for nom in stats.activites:
        valeurs = stats.heures[nom]
        lignes.append(
            [nom, *map(heures, valeurs), heures(sum(valeurs)), str(stats.enfants_par_activite[nom])]
        )
    totaux = [sum(stats.heures[n][i] for n in stats.activites) for i in range(12)]
    lignes.append(["Total", *map(heures, totaux), heures(sum(totaux)), str(stats.enfants)])
    lignes += [[], ["Tranche QF", "Enfants", "Heures réalisées"]]
    for libelle, (enfants, minutes) in stats.par_tranche.items():
        lignes.append([libelle, str(enfants), heures(minutes)])
    lignes += [
        [],
        ["État nominatif"],
        ["N° famille", "Nom", "Prénoms", "Date de naissance", "Tranche QF", "Jours", "Heures"],
    ]
    for ligne in stats.nominatif:
        lignes.append(
            [
                ligne.famille_numero,
                ligne.nom,
                ligne.prenoms,
                ligne.date_naissance.strftime("%d/%m/%Y"),
                ligne.tranche,
                str(ligne.jours),
                heures(ligne.minutes),
            ]
        )
    return lignes


def csv_caf(stats: StatistiquesCaf) -> bytes:
    return csv_francais(lignes_csv_caf(stats))
