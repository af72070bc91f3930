"""Quotient familial: declarations (CAF, MSA, manual), QF brackets and the bracket rules."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import NaiveDatetime
from sqlmodel import Field, Session, SQLModel, col, select
from sqlmodel.sql.expression import Select


class StatutQF(StrEnum):
    EN_COURS = "en_cours"
    VALIDE = "valide"
    REFUSE = "refuse"

    @property
    def libelle(self) -> str:
        return {"en_cours": "En cours de traitement", "valide": "Validé",
                "refuse": "Refusé"}[self.value]


class TrancheQF(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    numero: int = Field(unique=True)  # 1 = lowest; the highest is the "tranche maximale"
    libelle: str
    qf_min: int  # cents, inclusive
    qf_max: int | None = None  # cents, inclusive; None for the top bracket


class QuotientFamilial(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    famille_id: int = Field(foreign_key="famille.id", index=True)
    type: str  # "CAF", "MSA", "Manuel"
    libelle_type: str = ""  # as shown: "Quotient test API PARTICULIER"
    valeur: int  # cents
    valide_du: dt.date
    valide_au: dt.date
    tranche_id: int | None = Field(default=None, foreign_key="trancheqf.id")
    statut: str = StatutQF.EN_COURS.value
    origine: str = ""  # "api_particulier", "carte_vitale", "attestation"
    annee_calcul: int | None = None
    mois_calcul: int | None = None
    commentaire: str = ""
    certifie: bool = False
    reference_document: str = ""
    declare_le: dt.date | None = None
    demande_id: int | None = Field(default=None, foreign_key="demande.id")
    decide_par: int | None = Field(default=None, foreign_key="agent.id")
    decide_le: NaiveDatetime | None = None
    motif_refus: str = ""


def tranches(session: Session) -> list[TrancheQF]:
    return list(session.exec(select(TrancheQF).order_by(TrancheQF.numero)).all())


def tranche_pour_valeur(liste: list[TrancheQF], valeur: int) -> TrancheQF:
    """The bracket whose [min, max] holds the value (bounds inclusive)."""
    for tranche in liste:
        if valeur >= tranche.qf_min and (tranche.qf_max is None or valeur <= tranche.qf_max):
            return tranche
    return liste[-1]


def qf_en_vigueur(session: Session, famille_id: int, jour: dt.date) -> QuotientFamilial | None:
    """The validated QF in force on that day; the latest declared wins."""
    return session.exec(
        select(QuotientFamilial)
        .where(QuotientFamilial.famille_id == famille_id,
               QuotientFamilial.statut == StatutQF.VALIDE,
               QuotientFamilial.valide_du <= jour, QuotientFamilial.valide_au >= jour)
        .order_by(col(QuotientFamilial.valide_du).desc(), col(QuotientFamilial.id).desc())
    ).first()


def tranche_du_mois(session: Session, famille_id: int, mois: dt.date,
                    liste: list[TrancheQF] | None = None) -> tuple[TrancheQF, QuotientFamilial | None]:
    """Bracket billed for the month starting at `mois`: from the QF valid on that month,
    else the maximum bracket (rule 9)."""
    liste = liste or tranches(session)
    qf = qf_en_vigueur(session, famille_id, mois)
    if qf is None:
        return liste[-1], None
    if qf.tranche_id is not None:
        for tranche in liste:
            if tranche.id == qf.tranche_id:
                return tranche, qf
    return tranche_pour_valeur(liste, qf.valeur), qf


def prochaine_campagne(jour: dt.date) -> dt.date:
    """The next QF update deadline: 1 September or 1 February (rule 9)."""
    candidates = [dt.date(jour.year, 2, 1), dt.date(jour.year, 9, 1), dt.date(jour.year + 1, 2, 1)]
    return next(d for d in candidates if d > jour)


def familles_sans_qf_valide(session: Session, au: dt.date) -> Select:
    """Ids of the families with no validated QF covering that day."""
    from modele.famille import Famille

    couvertes = select(QuotientFamilial.famille_id).where(
        QuotientFamilial.statut == StatutQF.VALIDE, QuotientFamilial.valide_du <= au,
        QuotientFamilial.valide_au >= au)
    return select(Famille.id).where(col(Famille.id).not_in(couvertes))
