"""The monthly planning grid of one child (rule 4): what each cell shows.

Reads only the month shown: the child's consommations of that month, the calendar periods
touching it and the enrolments of its school year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Date, Integer, bindparam
from sqlalchemy import Select as SelectSQL
from sqlmodel import Session, col

from modele.base import annee_scolaire, fin_de_mois, id_de
from modele.requetes import figee
from modele.tables.famille import Enfant, Responsable
from modele.tables.planning import (
    Activite,
    Consommation,
    EtatConsommation,
    Inscription,
    JourFacture,
    Periode,
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


@figee
def _inscriptions() -> Any:
    """The child's (:enfant) enrolments of the school year :annee, with their activity."""
    return (
        SelectSQL(
            Activite,
            col(Inscription.date_debut),
            col(Inscription.date_fin),
            col(Inscription.responsable_id),
        )
        .join(Activite, col(Activite.id) == Inscription.activite_id)
        .where(
            col(Inscription.enfant_id) == bindparam("enfant", type_=Integer),
            col(Inscription.annee_scolaire) == bindparam("annee", type_=Integer),
        )
        .order_by(col(Activite.ordre), col(Activite.id))
    )


@figee
def _periodes() -> Any:
    """The calendar periods touching :debut…:fin, as plain columns."""
    return SelectSQL(
        col(PeriodeCalendrier.type),
        col(PeriodeCalendrier.debut),
        col(PeriodeCalendrier.fin),
        col(PeriodeCalendrier.activite_id),
    ).where(
        col(PeriodeCalendrier.debut) <= bindparam("fin", type_=Date),
        col(PeriodeCalendrier.fin) >= bindparam("debut", type_=Date),
    )


@figee
def _cellules() -> Any:
    """The child's (:enfant) cells of :debut…:fin, each with whether an invoice bills it
    (a cell is on one invoice at most: JourFacture's key)."""
    return (
        SelectSQL(
            col(Consommation.activite_id),
            col(Consommation.jour),
            col(Consommation.etat),
            col(Consommation.certificat),
            col(Consommation.motif_absence),
            col(JourFacture.consommation_id),
        )
        .outerjoin(JourFacture, col(JourFacture.consommation_id) == col(Consommation.id))
        .where(
            col(Consommation.enfant_id) == bindparam("enfant", type_=Integer),
            col(Consommation.jour) >= bindparam("debut", type_=Date),
            col(Consommation.jour) <= bindparam("fin", type_=Date),
        )
    )


@figee
def _responsables() -> Any:
    """The people of the family :famille, as plain columns."""
    return SelectSQL(col(Responsable.id), col(Responsable.nom), col(Responsable.prenoms)).where(
        col(Responsable.famille_id) == bindparam("famille", type_=Integer)
    )


_VACANCES = (TypeCalendrier.PETITES_VACANCES, TypeCalendrier.GRANDES_VACANCES)
# A day's calendar background, the strongest type first (as the planning shows it).
_FONDS_CALENDRIER = (
    (TypeCalendrier.FERIE, Fond.FERIE),
    (TypeCalendrier.FERMETURE, Fond.FERMETURE),
    (TypeCalendrier.GRANDES_VACANCES, Fond.GRANDES_VACANCES),
    (TypeCalendrier.PETITES_VACANCES, Fond.PETITES_VACANCES),
)


def _fonds(
    activite: Activite, jours: list[dt.date], couverts: list[list[tuple[str, int | None]]]
) -> list[tuple[Fond | None, bool]]:
    """For each day: the calendar's background for this activity (None: none) and whether
    the activity runs (its weekdays and period, no holiday or closure), as
    modele.planning.jour_ouvert says, from the periods covering each day (type, activity)."""
    ident, ouvre, periode = activite.id, activite.jours, activite.periode
    fonds: list[tuple[Fond | None, bool]] = []
    for jour, periodes in zip(jours, couverts, strict=True):
        ouvert = str(jour.isoweekday()) in ouvre
        if not periodes:
            fonds.append((None, ouvert and periode != Periode.VACANCES))
            continue
        types = {t for t, a in periodes if a is None or a == ident}
        fond = next((f for t, f in _FONDS_CALENDRIER if t in types), None)
        vacances = any(t in _VACANCES for t, _a in periodes)
        if ouvert:
            ferie = any(t == TypeCalendrier.FERIE for t, _a in periodes)
            if ferie or TypeCalendrier.FERMETURE in types:
                ouvert = False
            elif periode == Periode.SCOLAIRE:
                ouvert = not vacances
            elif periode == Periode.VACANCES:
                ouvert = vacances
        fonds.append((fond, ouvert))
    return fonds


def grille(session: Session, enfant_id: int, annee: int, mois: int) -> Grille:
    """The child's grid for one month: one row per activity enrolled in that school year."""
    enfant = session.get_one(Enfant, enfant_id)
    debut, fin = dt.date(annee, mois, 1), fin_de_mois(annee, mois)
    jours = [debut + dt.timedelta(days=i) for i in range((fin - debut).days + 1)]
    mois_lu = {"enfant": enfant_id, "debut": debut, "fin": fin}
    inscrits = list(
        session.execute(_inscriptions(), {"enfant": enfant_id, "annee": annee_scolaire(debut)})
    )
    periodes = list(session.execute(_periodes(), mois_lu))
    couverts = [[(t, a) for t, d, f, a in periodes if d <= jour <= f] for jour in jours]
    cellules = {
        (activite_id, jour): (etat, certificat, motif, facture is not None)
        for activite_id, jour, etat, certificat, motif, facture in session.execute(
            _cellules(), mois_lu
        )
    }
    noms = {
        ident: f"{nom} {prenoms.split()[0] if prenoms else ''}".upper()
        for ident, nom, prenoms in session.execute(_responsables(), {"famille": enfant.famille_id})
    }
    responsable_defaut = next(iter(noms.values()), "")
    hors, libre, ferme = Fond.HORS_INSCRIPTION, Fond.LIBRE, Fond.FERME
    lignes = []
    for activite, date_debut, date_fin, responsable_id in inscrits:
        ident = id_de(activite)
        ligne = []
        for jour, (fond, ouvert) in zip(jours, _fonds(activite, jours, couverts), strict=True):
            if fond is None or fond in _VACANCES_FONDS:
                if not (date_debut <= jour <= date_fin):
                    fond = hors
                elif ouvert:
                    fond = libre
                elif fond is None:
                    fond = ferme
            conso = cellules.get((ident, jour))
            if conso is None:
                ligne.append(Cellule(jour, fond))
            else:
                etat, certificat, motif, facturee = conso
                ligne.append(
                    Cellule(jour, fond, EtatConsommation(etat), facturee, bool(certificat), motif)
                )
        lignes.append(LigneGrille(activite, noms.get(responsable_id, responsable_defaut), ligne))
    return Grille(enfant, annee, mois, jours, lignes)


_VACANCES_FONDS = (Fond.PETITES_VACANCES, Fond.GRANDES_VACANCES)
