"""Activities, enrolments, the planning cells (consommations) and the calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import ColumnElement, exists
from sqlmodel import Session, col, select

from modele.base import fin_de_mois
from modele.tables.planning import (  # noqa: F401  (re-exported: the area's tables)
    ETATS_FACTURES_DEFAUT,
    LIBELLES_ETATS,
    Activite,
    Consommation,
    EtatConsommation,
    Inscription,
    JourFacture,
    Periode,
    PeriodeCalendrier,
    TypeCalendrier,
)


def activites(session: Session, actives_seulement: bool = False) -> list[Activite]:
    """The activities in their display order."""
    requete = select(Activite)
    if actives_seulement:
        requete = requete.where(Activite.actif == True)
    return list(session.exec(requete.order_by(col(Activite.ordre))))


def cellules_facturees(session: Session, ids: Iterable[int | None]) -> set[int]:
    """Of these cells, those on an issued invoice."""
    ids = sorted({i for i in ids if i is not None})
    facturees: set[int] = set()
    for debut in range(0, len(ids), 10_000):
        facturees.update(
            session.exec(
                select(JourFacture.consommation_id).where(
                    col(JourFacture.consommation_id).in_(ids[debut : debut + 10_000])
                )
            )
        )
    return facturees


def est_facturee(session: Session, cellule: Consommation | None) -> bool:
    return cellule is not None and bool(cellules_facturees(session, [cellule.id]))


def non_facturee() -> ColumnElement[bool]:
    """Condition on Consommation: the cell is on no invoice."""
    return ~exists().where(col(JourFacture.consommation_id) == col(Consommation.id))


def periodes_du_mois(session: Session, annee: int, mois: int) -> list[PeriodeCalendrier]:
    debut, fin = dt.date(annee, mois, 1), fin_de_mois(annee, mois)
    return list(
        session.exec(
            select(PeriodeCalendrier).where(
                PeriodeCalendrier.debut <= fin, PeriodeCalendrier.fin >= debut
            )
        ).all()
    )


def est_vacances(periodes: list[PeriodeCalendrier], jour: dt.date) -> bool:
    return any(
        p.debut <= jour <= p.fin
        and p.type in (TypeCalendrier.PETITES_VACANCES, TypeCalendrier.GRANDES_VACANCES)
        for p in periodes
    )


def jour_ouvert(activite: Activite, jour: dt.date, periodes: list[PeriodeCalendrier]) -> bool:
    """Whether the activity runs that day: its weekdays, its period, no holiday or closure."""
    if not activite.ouvre_le(jour):
        return False
    for p in periodes:
        if p.debut <= jour <= p.fin:
            if p.type == TypeCalendrier.FERIE:
                return False
            if p.type == TypeCalendrier.FERMETURE and p.activite_id in (None, activite.id):
                return False
    vacances = est_vacances(periodes, jour)
    if activite.periode == Periode.SCOLAIRE:
        return not vacances
    if activite.periode == Periode.VACANCES:
        return vacances
    return True
