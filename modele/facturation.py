"""Tariffs by QF bracket, invoices (immutable once issued) and the billing run."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import UniqueConstraint, bindparam
from pydantic import NaiveDatetime
from sqlmodel import Field, Session, SQLModel, col, select, update

from modele.base import Contexte, ErreurMetier
from modele.famille import Enfant
from modele.journal import journaliser
from modele.planning import Activite, Consommation
from modele.quotient import QuotientFamilial, StatutQF, TrancheQF, tranche_pour_valeur, tranches
from modele.structure import Regie, numero_suivant


class NatureFacture(StrEnum):
    FACTURE = "facture"
    AVOIR = "avoir"


class Tarif(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    activite_id: int = Field(foreign_key="activite.id", index=True)
    tranche_id: int = Field(foreign_key="trancheqf.id")
    prix_unitaire: int  # cents per day
    valide_du: dt.date
    valide_au: dt.date | None = None


class Facture(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("regie_id", "nature", "numero"),)
    id: int | None = Field(default=None, primary_key=True)
    regie_id: int = Field(foreign_key="regie.id")
    nature: str = NatureFacture.FACTURE.value
    numero: int
    reference: str = Field(index=True)  # as printed: "AL-36"
    famille_id: int = Field(foreign_key="famille.id", index=True)
    date_emission: dt.date
    date_echeance: dt.date
    periode_debut: dt.date
    periode_fin: dt.date
    total: int  # cents, positive (an avoir's total is the amount credited)
    facture_origine_id: int | None = Field(default=None, foreign_key="facture.id")
    motif: str = ""
    emise_par: int | None = Field(default=None, foreign_key="agent.id")
    cree_le: NaiveDatetime


class LigneFacture(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    facture_id: int = Field(foreign_key="facture.id", index=True)
    enfant_id: int | None = Field(default=None, foreign_key="enfant.id")
    activite_id: int | None = Field(default=None, foreign_key="activite.id")
    libelle: str
    quantite: int
    prix_unitaire: int  # cents
    montant: int  # cents = quantite × prix_unitaire


def reference(regie: Regie, nature: str, numero: int) -> str:
    return f"{regie.code}-{numero}" if nature == NatureFacture.FACTURE else f"{regie.code}-AV{numero}"


def prix(tarifs: list[Tarif], jour: dt.date) -> int | None:
    for tarif in tarifs:
        if tarif.valide_du <= jour and (tarif.valide_au is None or jour <= tarif.valide_au):
            return tarif.prix_unitaire
    return None


@dataclass
class LignePrevue:
    enfant_id: int
    activite_id: int
    libelle: str
    prix_unitaire: int
    consommations: list[int]

    @property
    def quantite(self) -> int:
        return len(self.consommations)

    @property
    def montant(self) -> int:
        return self.quantite * self.prix_unitaire


@dataclass
class FacturePrevue:
    famille_id: int
    lignes: list[LignePrevue]
    anomalies: list[str]

    @property
    def total(self) -> int:
        return sum(ligne.montant for ligne in self.lignes)


def _tranches_familles(session: Session, famille_ids: set[int], liste: list[TrancheQF],
                       debut: dt.date, fin: dt.date) -> dict[int, list[QuotientFamilial]]:
    qfs: dict[int, list[QuotientFamilial]] = defaultdict(list)
    for qf in session.exec(select(QuotientFamilial).where(
            QuotientFamilial.statut == StatutQF.VALIDE, QuotientFamilial.valide_du <= fin,
            QuotientFamilial.valide_au >= debut,
            col(QuotientFamilial.famille_id).in_(famille_ids))):
        qfs[qf.famille_id].append(qf)
    return qfs


def _tranche_le(qfs: list[QuotientFamilial], liste: list[TrancheQF], jour: dt.date) -> TrancheQF | None:
    """Bracket for the month of `jour` (the QF valid on the 1st of the month), None if no QF."""
    premier = jour.replace(day=1)
    valides = [q for q in qfs if q.valide_du <= premier <= q.valide_au]
    if not valides:
        return None
    qf = max(valides, key=lambda q: (q.valide_du, q.id))
    for tranche in liste:
        if tranche.id == qf.tranche_id:
            return tranche
    return tranche_pour_valeur(liste, qf.valeur)


def preparer_facturation(session: Session, regie_id: int, debut: dt.date, fin: dt.date,
                         familles: set[int] | None = None) -> list[FacturePrevue]:
    """What billing the period would issue: the billed days not yet on an invoice, priced
    at the tariff of the family's bracket for each day's month (max bracket without QF)."""
    activites = {a.id: a for a in session.exec(select(Activite).where(Activite.regie_id == regie_id))}
    if not activites:
        return []
    liste = tranches(session)
    if not liste:
        raise ErreurMetier("Aucune tranche de quotient familial n'est définie.")
    tarifs: dict[tuple[int, int], list[Tarif]] = defaultdict(list)
    for tarif in session.exec(select(Tarif).where(col(Tarif.activite_id).in_(activites))):
        tarifs[(tarif.activite_id, tarif.tranche_id)].append(tarif)
    requete = (
        select(Consommation.id, Consommation.enfant_id, Consommation.activite_id,
               Consommation.jour, Consommation.etat, Enfant.famille_id, Enfant.prenoms)
        .join(Enfant, Enfant.id == Consommation.enfant_id)
        .where(Consommation.jour >= debut, Consommation.jour <= fin,
               col(Consommation.facture_id).is_(None),
               col(Consommation.activite_id).in_(activites))
    )
    if familles is not None:
        requete = requete.where(col(Enfant.famille_id).in_(familles))
    lignes_brutes = [r for r in session.exec(requete)
                     if r.etat in activites[r.activite_id].etats_factures_set()]
    qfs = _tranches_familles(session, {r.famille_id for r in lignes_brutes}, liste, debut, fin)
    prevues: dict[int, FacturePrevue] = {}
    regroupees: dict[tuple[int, int, int, int], LignePrevue] = {}
    for r in sorted(lignes_brutes, key=lambda r: (r.famille_id, r.enfant_id, r.activite_id, r.jour)):
        facture = prevues.setdefault(r.famille_id, FacturePrevue(r.famille_id, [], []))
        tranche = _tranche_le(qfs.get(r.famille_id, []), liste, r.jour)
        if tranche is None:
            tranche = liste[-1]
            if "Pas de quotient familial valide : tranche maximale." not in facture.anomalies:
                facture.anomalies.append("Pas de quotient familial valide : tranche maximale.")
        pu = prix(tarifs[(r.activite_id, tranche.id)], r.jour)
        if pu is None:
            activite = activites[r.activite_id]
            raise ErreurMetier(f"Pas de tarif pour « {activite.nom} », {tranche.libelle}, "
                               f"au {r.jour:%d/%m/%Y}.")
        cle = (r.famille_id, r.enfant_id, r.activite_id, pu)
        ligne = regroupees.get(cle)
        if ligne is None:
            activite = activites[r.activite_id]
            prenom = r.prenoms.split()[0] if r.prenoms else ""
            ligne = LignePrevue(r.enfant_id, r.activite_id, f"{prenom} — {activite.nom}", pu, [])
            regroupees[cle] = ligne
            facture.lignes.append(ligne)
        ligne.consommations.append(r.id)
    return [f for f in prevues.values() if f.lignes]


def emettre_factures(session: Session, contexte: Contexte, regie_id: int, debut: dt.date,
                     fin: dt.date, date_emission: dt.date, date_echeance: dt.date | None = None,
                     familles: set[int] | None = None) -> list[Facture]:
    """Issue the period's invoices in the caller's transaction, numbered without gaps.

    A day already on an invoice is never billed again (its consommation keeps the invoice).
    """
    regie = session.get(Regie, regie_id)
    echeance = date_echeance or date_emission + dt.timedelta(days=regie.jours_echeance)
    prevues = preparer_facturation(session, regie_id, debut, fin, familles)
    if not prevues:
        return []
    # One block of numbers and a few bulk statements: a whole town's month stays quick.
    premier = numero_suivant(session, regie_id, NatureFacture.FACTURE, len(prevues))
    emises = []
    for i, prevue in enumerate(prevues):
        numero = premier + i
        emises.append(Facture(regie_id=regie_id, nature=NatureFacture.FACTURE.value,
                              numero=numero, reference=reference(regie, NatureFacture.FACTURE,
                                                                 numero),
                              famille_id=prevue.famille_id, date_emission=date_emission,
                              date_echeance=echeance, periode_debut=debut, periode_fin=fin,
                              total=prevue.total, emise_par=contexte.agent_id,
                              cree_le=contexte.maintenant()))
    session.add_all(emises)
    session.flush()
    lignes, liens = [], []
    for facture, prevue in zip(emises, prevues, strict=True):
        for ligne in prevue.lignes:
            lignes.append(LigneFacture(facture_id=facture.id, enfant_id=ligne.enfant_id,
                                       activite_id=ligne.activite_id, libelle=ligne.libelle,
                                       quantite=ligne.quantite, prix_unitaire=ligne.prix_unitaire,
                                       montant=ligne.montant))
            liens.extend({"b_consommation": c, "b_facture": facture.id}
                         for c in ligne.consommations)
        journaliser(session, contexte, "facture emise", "facture", facture.id, prevue.famille_id,
                    apres={"reference": facture.reference, "total": facture.total})
    session.add_all(lignes)
    table = Consommation.__table__
    session.execute(update(table).where(table.c.id == bindparam("b_consommation"))
                    .values(facture_id=bindparam("b_facture")), liens)
    for objet in list(session.identity_map.values()):
        if isinstance(objet, Consommation):  # loaded cells see their new invoice
            session.expire(objet, ["facture_id"])
    session.flush()
    return emises


def lignes_facture(session: Session, facture_id: int) -> list[LigneFacture]:
    return list(session.exec(select(LigneFacture).where(LigneFacture.facture_id == facture_id)
                             .order_by(LigneFacture.id)).all())
