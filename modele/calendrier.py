"""The calendar an administrator keeps: public holidays, school holidays, closures."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, delete, select

from modele.agents import exiger
from modele.base import Contexte, ErreurMetier, bornes_annee_scolaire
from modele.journal import journaliser
from modele.planning import PeriodeCalendrier, TypeCalendrier
from modele.validation import verifier_texte

VACANCES_ET_FERIES = (TypeCalendrier.FERIE, TypeCalendrier.PETITES_VACANCES,
                      TypeCalendrier.GRANDES_VACANCES)


def periodes_de_l_annee(session: Session, annee: int) -> list[PeriodeCalendrier]:
    debut, fin = bornes_annee_scolaire(annee)
    return list(session.exec(select(PeriodeCalendrier).where(
        PeriodeCalendrier.fin >= debut, PeriodeCalendrier.debut <= fin)
        .order_by(PeriodeCalendrier.debut, PeriodeCalendrier.type)))


def _verifier(type_: TypeCalendrier, libelle: str, debut: dt.date | None,
              fin: dt.date | None) -> tuple[str, dt.date, dt.date]:
    if debut is None:
        raise ErreurMetier("La date de début est obligatoire.", "debut")
    fin = fin or debut
    if fin < debut:
        raise ErreurMetier("La fin est avant le début.", "fin")
    if (fin - debut).days > 92:
        raise ErreurMetier("Une période dure au plus trois mois.", "fin")
    libelle = verifier_texte(libelle, "libelle", 100, libelle="Le libellé") or type_.libelle
    return libelle, debut, fin


def enregistrer_periode(session: Session, contexte: Contexte, type_: TypeCalendrier, libelle: str,
                        debut: dt.date | None, fin: dt.date | None,
                        activite_id: int | None = None,
                        periode_id: int | None = None) -> PeriodeCalendrier:
    """Add a period, or correct one (a bridge the library misses, a closure…)."""
    exiger(session, contexte.agent_id, "modifier_calendrier")
    libelle, debut, fin = _verifier(type_, libelle, debut, fin)
    periode = session.get(PeriodeCalendrier, periode_id) if periode_id else PeriodeCalendrier(
        type=type_.value, debut=debut, fin=fin)
    avant = None if periode_id is None else {"type": periode.type, "libelle": periode.libelle,
                                             "debut": periode.debut.isoformat(),
                                             "fin": periode.fin.isoformat()}
    periode.type, periode.libelle, periode.debut, periode.fin = type_.value, libelle, debut, fin
    periode.activite_id = activite_id
    session.add(periode)
    session.flush()
    journaliser(session, contexte, "calendrier", "periodecalendrier", periode.id, avant=avant,
                apres={"type": type_.value, "libelle": libelle, "debut": debut.isoformat(),
                       "fin": fin.isoformat()})
    return periode


def supprimer_periode(session: Session, contexte: Contexte, periode_id: int) -> None:
    exiger(session, contexte.agent_id, "modifier_calendrier")
    periode = session.get(PeriodeCalendrier, periode_id)
    journaliser(session, contexte, "calendrier supprime", "periodecalendrier", periode_id,
                avant={"type": periode.type, "libelle": periode.libelle,
                       "debut": periode.debut.isoformat(), "fin": periode.fin.isoformat()})
    session.delete(periode)


def remplacer_vacances(session: Session, contexte: Contexte, annee: int,
                       periodes: list[PeriodeCalendrier]) -> int:
    """Replace a school year's public and school holidays (closures are kept), e.g. by
    those of the libraries for the configured zone."""
    exiger(session, contexte.agent_id, "modifier_calendrier")
    debut, fin = bornes_annee_scolaire(annee)
    session.exec(delete(PeriodeCalendrier).where(
        col(PeriodeCalendrier.debut) >= debut, col(PeriodeCalendrier.debut) <= fin,
        col(PeriodeCalendrier.type).in_(VACANCES_ET_FERIES)))
    session.add_all(periodes)
    journaliser(session, contexte, "calendrier preremplit", "periodecalendrier",
                detail=f"Année {annee}-{annee + 1} : {len(periodes)} périodes")
    return len(periodes)
