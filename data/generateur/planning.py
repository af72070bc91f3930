"""Step « planning »: enrolments and planning cells of the previous and current school
years, up to the end of next month (a town's 20 million cells, inserted in batches), then
the booking and absence requests of the last days (data.generateur.reservations)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from data.generateur.atelier import Atelier, FamilleGen, pondere
from data.generateur.reservations import Candidats, candidats, capacites, demandes_planning
from modele.base import annee_scolaire, bornes_annee_scolaire
from modele.planning import (
    Activite,
    Consommation,
    EtatConsommation,
    Inscription,
    PeriodeCalendrier,
    TypeCalendrier,
    jour_ouvert,
)

E = EtatConsommation
LOT_FAMILLES = 500  # families whose planning is drawn and inserted at once
ETAPE_PLANNING = "Planning"

JoursOuverts = dict[tuple[str, int], list[dt.date]]  # (activity code, school year) -> days


def generer_planning(
    a: Atelier, familles: list[FamilleGen], periodes: list[PeriodeCalendrier]
) -> None:
    """Enrolments and planning cells of the previous and current school years, up to the
    end of next month; then booking and absence requests in every status, made through
    the planning rules (modele.reservations) on the capacities sized to the demo."""
    ouverts = _jours_ouverts(a, periodes)
    greve = _jour_de_greve(a, ouverts)
    # By batches of families, so that a large town's demo stays within memory; the
    # cells' secondary indexes are built once, after the load.
    lots: list[Candidats] = []
    with a.index_apres("ix_consommation_enfant_jour", "ix_consommation_jour_activite"):
        for premier in range(0, len(familles), LOT_FAMILLES):
            a.avancer(ETAPE_PLANNING, premier, len(familles))
            lot = familles[premier : premier + LOT_FAMILLES]
            lots.append(_planning_du_lot(a, lot, ouverts, greve))
        a.avancer(ETAPE_PLANNING, len(familles), len(familles))
    capacites(a)
    demandes_planning(a, lots)
    if greve is not None:
        a.session.add(
            PeriodeCalendrier(
                type=TypeCalendrier.FERMETURE.value,
                debut=greve,
                fin=greve,
                libelle="Fermeture exceptionnelle : grève du personnel de restauration",
                activite_id=a.activites["GP-REST"].id,
            )
        )


def _jours_ouverts(a: Atelier, periodes: list[PeriodeCalendrier]) -> JoursOuverts:
    ouverts: JoursOuverts = defaultdict(list)
    jour = a.debut
    while jour <= a.fin:
        proches = [p for p in periodes if p.debut <= jour <= p.fin]
        for code, activite in a.activites.items():
            if jour_ouvert(activite, jour, proches):
                ouverts[(code, annee_scolaire(jour))].append(jour)
        jour += dt.timedelta(days=1)
    return ouverts


def _jour_de_greve(a: Atelier, ouverts: JoursOuverts) -> dt.date | None:
    """A strike closes the school restaurant for a day (a Tuesday of last spring): its
    cells show "Fermeture"."""
    cantine = ouverts.get(("GP-REST", a.annee - 1), [])
    return next(
        (
            d
            for d in cantine
            if d >= dt.date(a.annee, 3, 10) and d.isoweekday() == 2 and d < a.reference
        ),
        cantine[0] if cantine else None,
    )


def _planning_du_lot(
    a: Atelier, lot: list[FamilleGen], ouverts: JoursOuverts, greve: dt.date | None
) -> Candidats:
    """Enrol the batch's children of school age each year and draw their cells; returns
    what they could still book or declare absent."""
    annees = range(a.annee - 1, annee_scolaire(a.fin) + 1)
    semaines = {k: sorted({d.isocalendar()[:2] for d in v}) for k, v in ouverts.items()}
    inscriptions: list[dict] = []
    cellules: list[dict] = []
    for famille in lot:
        for enfant in famille.enfants:
            for annee in annees:
                age = annee - enfant.naissance.year
                if not 3 <= age <= 10:
                    continue
                debut, fin = bornes_annee_scolaire(annee)
                for code, mode, parametre in _choix_activites(a, famille.intensite, age >= 6):
                    activite = a.activites[code]
                    inscriptions.append(
                        dict(
                            enfant_id=enfant.id,
                            activite_id=activite.id,
                            annee_scolaire=annee,
                            date_debut=debut,
                            date_fin=fin,
                            responsable_id=famille.responsable_id,
                        )
                    )
                    jours = ouverts.get((code, annee), [])
                    semaines_ouvertes = semaines.get((code, annee), [])
                    cellules.extend(
                        _cellules(
                            a, enfant.id, activite, mode, parametre, jours, semaines_ouvertes, greve
                        )
                    )
    a.inserer(Inscription, inscriptions)
    _inserer_cellules(a, cellules)
    return candidats(a, lot, inscriptions, cellules, ouverts)


def _choix_activites(a: Atelier, intensite: float, elementaire: bool) -> list[tuple[str, str, Any]]:
    """(code, mode, parameter) of the activities a child uses one school year."""
    r = a.rng
    choix: list[tuple[str, str, Any]] = []

    def jours(minimum: int) -> frozenset[int]:
        k = 4 if r.random() < 0.6 else r.randint(minimum, 3)
        return frozenset(r.sample((1, 2, 4, 5), k))

    if r.random() < 0.6 + 0.35 * intensite:
        choix.append(("GP-REST", "regulier", jours(2)))
    if r.random() < 0.1 + 0.5 * intensite:
        choix.append(("GP-MATIN", "regulier", jours(1)))
    if elementaire and r.random() < 0.15 + 0.55 * intensite:
        choix.append(("GP-TL" if r.random() < 0.7 else "GP-AD", "regulier", jours(1)))
    if r.random() < 0.15 + 0.45 * intensite:
        code = "ALSH-MER-J" if r.random() < 0.6 else "ALSH-MER-AM"
        if r.random() < 0.65:
            choix.append((code, "regulier", frozenset({3})))
        else:
            choix.append((code, "occasionnel", 0.45))
    if r.random() < 0.15 + 0.5 * intensite:
        code = pondere(r, (("ALSH-VAC-J", 70), ("ALSH-VAC-M", 15), ("ALSH-VAC-AM", 15)))
        choix.append((code, "vacances", 0.2 + 0.4 * intensite))
    return choix


def _cellules(
    a: Atelier,
    enfant_id: int,
    activite: Activite,
    mode: str,
    parametre: Any,
    jours: list[dt.date],
    semaines: list[tuple[int, int]],
    greve: dt.date | None,
) -> list[dict]:
    """One child's cells of one activity over a school year: regular weekdays, occasional
    Wednesdays or holiday weeks; past days drawn as they went, future ones as booked."""
    r, ref = a.rng, a.reference
    hors_contrat = activite.code in ("GP-MATIN", "GP-TL", "GP-AD")
    retenues = {s for s in semaines if r.random() < parametre} if mode == "vacances" else set()
    cellules = []
    for jour in jours:
        if mode == "regulier":
            if jour.isoweekday() not in parametre:
                if hors_contrat and jour < ref and r.random() < 0.02:
                    cellules.append(_cellule(enfant_id, activite, jour, E.HORS_CONTRAT))
                continue
            futur = E.REGULIER
        elif mode == "occasionnel":
            if r.random() >= parametre:
                continue
            futur = E.RESERVE
        else:
            if jour.isocalendar()[:2] not in retenues or r.random() < 0.1:
                continue
            futur = E.RESERVE
        motif, certificat = "", False
        if activite.code == "GP-REST" and jour == greve:
            etat = E.FERMETURE
        elif jour < ref:
            etat, motif, certificat = _etat_passe(a)
        else:
            etat = futur
        cellules.append(_cellule(enfant_id, activite, jour, etat, motif, certificat))
    return cellules


def _cellule(
    enfant_id: int,
    activite: Activite,
    jour: dt.date,
    etat: EtatConsommation,
    motif: str = "",
    certificat: bool = False,
) -> dict:
    return dict(
        enfant_id=enfant_id,
        activite_id=activite.id,
        jour=jour,
        etat=etat.value,
        motif_absence=motif,
        certificat=certificat,
        demande_id=None,
    )


def _etat_passe(a: Atelier) -> tuple[EtatConsommation, str, bool]:
    """How a past day went: mostly present, sometimes absent (excused, billed), on leave."""
    x = a.rng.random()
    if x < 0.035:
        return E.ABSENT_EXCUSE, "maladie", True
    if x < 0.05:
        return E.ABSENT_FACTURE, "convenance personnelle", False
    if x < 0.065:
        return E.CONGE, "congés", False
    if x < 0.068:
        return E.ERREUR, "", False
    return E.PRESENT, "", False


def _inserer_cellules(a: Atelier, cellules: list[dict]) -> None:
    """Planning cells, the bulk of a town (20 million): on SQLite as plain tuples through
    the driver, since SQLAlchemy's per-row processing would be most of the build."""
    connexion = a.session.connection()
    if connexion.dialect.name != "sqlite":
        a.inserer(Consommation, cellules)
        return
    connexion.exec_driver_sql(
        "INSERT INTO consommation (enfant_id, activite_id, jour, etat, motif_absence, "
        "certificat, demande_id, gratuit) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
        [
            (
                c["enfant_id"],
                c["activite_id"],
                c["jour"].isoformat(),
                c["etat"],
                c["motif_absence"],
                int(c["certificat"]),
                c["demande_id"],
            )
            for c in cellules
        ],
    )
