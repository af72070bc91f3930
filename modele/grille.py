"""The monthly planning grid of one child (rule 4): what each cell shows.

Reads only the month shown: the child's consommations of that month, the calendar periods
touching it and the enrolments of its school year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session, col, select

from modele.base import annee_scolaire, fin_de_mois, id_de
from modele.planning import cellules_facturees, jour_ouvert, periodes_du_mois
from modele.tables.famille import Enfant, Responsable
from modele.tables.planning import (
    Activite,
    Consommation,
    EtatConsommation,
    Inscription,
    PeriodeCalendrier,
    TypeCalendrier,
)


class Fond(StrEnum):
    """What a cell shows when no consommation is there."""

    LIBRE = "libre"  # open, nothing booked: can be booked
    FERME = "ferme"  # the activity does not run that day (weekday, period)
    FERIE = "ferie"
    PETITES_VACANCES = "petites_vacances"
    GRANDES_VACANCES = "grandes_vacances"
    FERMETURE = "fermeture"
    HORS_INSCRIPTION = "hors_inscription"  # before or after the enrolment's dates


@dataclass(frozen=True)
class Cellule:
    jour: dt.date
    fond: Fond
    etat: EtatConsommation | None = None
    facturee: bool = False
    certificat: bool = False
    motif: str = ""

    @property
    def reservable(self) -> bool:
        return self.fond == Fond.LIBRE and self.etat in (None, EtatConsommation.RESERVATION_REFUSEE)


@dataclass(frozen=True)
class LigneGrille:
    activite: Activite
    responsable: str
    cellules: list[Cellule]


@dataclass(frozen=True)
class Grille:
    enfant: Enfant
    annee: int
    mois: int
    jours: list[dt.date]
    lignes: list[LigneGrille]


def _fond_calendrier(
    periodes: list[PeriodeCalendrier], activite: Activite, jour: dt.date
) -> Fond | None:
    types = {
        p.type
        for p in periodes
        if p.debut <= jour <= p.fin and (p.activite_id is None or p.activite_id == activite.id)
    }
    if TypeCalendrier.FERIE in types:
        return Fond.FERIE
    if TypeCalendrier.FERMETURE in types:
        return Fond.FERMETURE
    if TypeCalendrier.GRANDES_VACANCES in types:
        return Fond.GRANDES_VACANCES
    if TypeCalendrier.PETITES_VACANCES in types:
        return Fond.PETITES_VACANCES
    return None


def grille(session: Session, enfant_id: int, annee: int, mois: int) -> Grille:
    """The child's grid for one month: one row per activity enrolled in that school year."""
    enfant = session.get_one(Enfant, enfant_id)
    debut, fin = dt.date(annee, mois, 1), fin_de_mois(annee, mois)
    jours = [debut + dt.timedelta(days=i) for i in range((fin - debut).days + 1)]
    inscrits = list(
        session.exec(
            select(Inscription, Activite)
            .join(Activite, col(Activite.id) == Inscription.activite_id)
            .where(
                Inscription.enfant_id == enfant_id,
                Inscription.annee_scolaire == annee_scolaire(debut),
            )
            .order_by(col(Activite.ordre), col(Activite.id))
        )
    )
    periodes = periodes_du_mois(session, annee, mois)
    cellules: dict[tuple[int, dt.date], Consommation] = {
        (c.activite_id, c.jour): c
        for c in session.exec(
            select(Consommation).where(
                Consommation.enfant_id == enfant_id,
                Consommation.jour >= debut,
                Consommation.jour <= fin,
            )
        )
    }
    facturees = cellules_facturees(session, (c.id for c in cellules.values()))
    noms = {
        r.id: f"{r.nom} {r.premier_prenom}".upper()
        for r in session.exec(
            select(Responsable).where(Responsable.famille_id == enfant.famille_id)
        )
    }
    responsable_defaut = next(iter(noms.values()), "")
    lignes = []
    for inscription, activite in inscrits:
        ligne = []
        for jour in jours:
            conso = cellules.get((id_de(activite), jour))
            fond = _fond_calendrier(periodes, activite, jour)
            if fond is None or fond in (Fond.PETITES_VACANCES, Fond.GRANDES_VACANCES):
                if not (inscription.date_debut <= jour <= inscription.date_fin):
                    fond = Fond.HORS_INSCRIPTION
                elif jour_ouvert(activite, jour, periodes):
                    fond = Fond.LIBRE
                elif fond is None:
                    fond = Fond.FERME
            ligne.append(
                Cellule(
                    jour,
                    fond,
                    EtatConsommation(conso.etat) if conso else None,
                    conso is not None and conso.id in facturees,
                    bool(conso and conso.certificat),
                    conso.motif_absence if conso else "",
                )
            )
        lignes.append(
            LigneGrille(activite, noms.get(inscription.responsable_id, responsable_defaut), ligne)
        )
    return Grille(enfant, annee, mois, jours, lignes)
