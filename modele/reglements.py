"""Payments, their allocation to invoices, and the family's ledger (balance, unpaid, relevé).

The balance is always computed from the ledger, never stored (rule 10).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from pydantic import NaiveDatetime
from sqlmodel import Field, Session, SQLModel, col, func, select

from modele.base import Contexte, ErreurMetier, bornes_annee_scolaire
from modele.facturation import Facture, NatureFacture
from modele.journal import journaliser
from modele.structure import Regie, numero_suivant


class ModeReglement(StrEnum):
    CHEQUE = "cheque"
    ESPECES = "especes"
    CARTE = "carte"
    PAIEMENT_EN_LIGNE = "paiement_en_ligne"
    PRELEVEMENT = "prelevement"
    VIREMENT = "virement"
    CESU = "cesu"
    TITRE_ORMC = "titre_ormc"

    @property
    def libelle(self) -> str:
        return LIBELLES_MODES[self]


LIBELLES_MODES = {
    ModeReglement.CHEQUE: "Chèque",
    ModeReglement.ESPECES: "Espèces",
    ModeReglement.CARTE: "Carte bancaire",
    ModeReglement.PAIEMENT_EN_LIGNE: "Paiement en ligne",
    ModeReglement.PRELEVEMENT: "Prélèvement",
    ModeReglement.VIREMENT: "Virement",
    ModeReglement.CESU: "CESU",
    ModeReglement.TITRE_ORMC: "Titre émis",
}


class Reglement(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    regie_id: int = Field(foreign_key="regie.id")
    numero: int
    reference: str = Field(index=True)  # "AL-228"
    famille_id: int = Field(foreign_key="famille.id", index=True)
    date: dt.date
    mode: str
    reference_paiement: str = ""  # cheque number, ORMC title number…
    banque: str = ""
    payeur: str = ""
    montant: int  # cents; negative for the entry that cancels another payment
    annule_reglement_id: int | None = Field(default=None, foreign_key="reglement.id")
    motif: str = ""
    saisi_par: int | None = Field(default=None, foreign_key="agent.id")
    cree_le: NaiveDatetime


class Affectation(SQLModel, table=True):
    """The part of a payment that pays one invoice."""

    id: int | None = Field(default=None, primary_key=True)
    reglement_id: int = Field(foreign_key="reglement.id", index=True)
    facture_id: int = Field(foreign_key="facture.id", index=True)
    montant: int  # cents


def description_reglement(reglement: Reglement) -> str:
    mode = ModeReglement(reglement.mode)
    if mode == ModeReglement.TITRE_ORMC:
        return f"Titre émis (ORMC n°{reglement.reference_paiement})"
    if reglement.annule_reglement_id:
        return f"Annulation règlement : {mode.libelle}"
    return f"Règlement : {mode.libelle}"


def _regies_suivies(session: Session) -> list[int]:
    return list(session.exec(select(Regie.id).where(Regie.encaissement_tresorerie == False)))  # noqa: E712


def restes_dus(session: Session, factures: list[Facture]) -> dict[int, int]:
    """Amount still due on each invoice: total − allocated payments − credit notes."""
    ids = [f.id for f in factures]
    if not ids:
        return {}
    payes = dict(session.exec(
        select(Affectation.facture_id, func.sum(Affectation.montant))
        .where(col(Affectation.facture_id).in_(ids)).group_by(Affectation.facture_id)).all())
    avoirs = dict(session.exec(
        select(Facture.facture_origine_id, func.sum(Facture.total))
        .where(col(Facture.facture_origine_id).in_(ids), Facture.nature == NatureFacture.AVOIR)
        .group_by(Facture.facture_origine_id)).all())
    return {f.id: f.total - (payes.get(f.id) or 0) - (avoirs.get(f.id) or 0) for f in factures}


@dataclass(frozen=True)
class Impayee:
    facture: Facture
    reste_du: int


def factures_impayees(session: Session, famille_id: int, au: dt.date) -> list[Impayee]:
    factures = list(session.exec(
        select(Facture).where(Facture.famille_id == famille_id,
                              Facture.nature == NatureFacture.FACTURE,
                              Facture.date_emission <= au,
                              col(Facture.regie_id).in_(_regies_suivies(session)))
        .order_by(Facture.date_emission, Facture.numero)).all())
    restes = restes_dus(session, factures)
    return [Impayee(f, restes[f.id]) for f in factures if restes[f.id] > 0]


def _impayees_regie(session: Session, famille_id: int, regie_id: int, au: dt.date,
                    factures: list[int] | None) -> list[Impayee]:
    """factures_impayees() narrowed to one régie (and to chosen invoices), in fewer queries."""
    requete = select(Facture).where(Facture.famille_id == famille_id,
                                    Facture.regie_id == regie_id,
                                    Facture.nature == NatureFacture.FACTURE,
                                    Facture.date_emission <= au)
    if factures is not None:
        requete = requete.where(col(Facture.id).in_(factures))
    liste = list(session.exec(requete.order_by(Facture.date_emission, Facture.numero)).all())
    restes = restes_dus(session, liste)
    return [Impayee(f, restes[f.id]) for f in liste if restes[f.id] > 0]


def soldes(session: Session, famille_ids: list[int], au: dt.date | None = None) -> dict[int, int]:
    """Balance of several families at once: invoices − credit notes − payments (cents).

    Positive: the family owes; negative: a credit on its account.
    """
    regies = _regies_suivies(session)
    resultat = dict.fromkeys(famille_ids, 0)
    if not famille_ids:
        return resultat
    debit = select(Facture.famille_id, Facture.nature, func.sum(Facture.total)).where(
        col(Facture.famille_id).in_(famille_ids), col(Facture.regie_id).in_(regies))
    credit = select(Reglement.famille_id, func.sum(Reglement.montant)).where(
        col(Reglement.famille_id).in_(famille_ids), col(Reglement.regie_id).in_(regies))
    if au is not None:
        debit = debit.where(Facture.date_emission <= au)
        credit = credit.where(Reglement.date <= au)
    for famille_id, nature, total in session.exec(debit.group_by(Facture.famille_id, Facture.nature)):
        resultat[famille_id] += total if nature == NatureFacture.FACTURE else -total
    for famille_id, total in session.exec(credit.group_by(Reglement.famille_id)):
        resultat[famille_id] -= total
    return resultat


def solde(session: Session, famille_id: int, au: dt.date | None = None) -> int:
    return soldes(session, [famille_id], au)[famille_id]


def encaisser(session: Session, contexte: Contexte, famille_id: int, regie_id: int, montant: int,
              mode: ModeReglement, date: dt.date, reference_paiement: str = "",
              banque: str = "", payeur: str = "",
              factures: list[int] | None = None) -> Reglement:
    """Record a payment in the caller's transaction and allocate it: to the chosen
    invoices, else to the oldest unpaid ones; what is left stays as a credit."""
    if montant <= 0:
        raise ErreurMetier("Le montant doit être positif.", "montant")
    regie = session.get(Regie, regie_id)
    numero = numero_suivant(session, regie_id, "reglement")
    reglement = Reglement(regie_id=regie_id, numero=numero, reference=f"{regie.code}-{numero}",
                          famille_id=famille_id, date=date, mode=mode.value,
                          reference_paiement=reference_paiement, banque=banque, payeur=payeur,
                          montant=montant, saisi_par=contexte.agent_id,
                          cree_le=contexte.maintenant())
    session.add(reglement)
    session.flush()
    candidates = [] if regie.encaissement_tresorerie else _impayees_regie(
        session, famille_id, regie_id, date, factures)
    reste = montant
    for impayee in candidates:
        if reste == 0:
            break
        part = min(reste, impayee.reste_du)
        session.add(Affectation(reglement_id=reglement.id, facture_id=impayee.facture.id,
                                montant=part))
        reste -= part
    journaliser(session, contexte, "reglement encaisse", "reglement", reglement.id, famille_id,
                apres={"reference": reglement.reference, "montant": montant, "mode": mode.value})
    return reglement


@dataclass(frozen=True)
class Operation:
    """One line of the "Relevé des opérations"."""

    numero: str
    date: dt.date
    description: str
    regie: str
    debit: int
    credit: int
    facture_id: int | None = None
    reglement_id: int | None = None


@dataclass(frozen=True)
class Releve:
    annee_scolaire: int
    operations: list[Operation]
    ancien_solde: int
    total_debit: int
    total_credit: int

    @property
    def solde(self) -> int:
        return self.ancien_solde + self.total_debit - self.total_credit


def releve(session: Session, famille_id: int, annee: int) -> Releve:
    """Every invoice (debit) and payment (credit) of a school year, newest first (rule 6)."""
    debut, fin = bornes_annee_scolaire(annee)
    regies = {r.id: r for r in session.exec(select(Regie))}
    suivies = [rid for rid, r in regies.items() if not r.encaissement_tresorerie]
    lignes: list[tuple[dt.date, dt.datetime, Operation]] = []
    for f in session.exec(select(Facture).where(Facture.famille_id == famille_id,
                                                Facture.date_emission >= debut,
                                                Facture.date_emission <= fin)):
        avoir = f.nature == NatureFacture.AVOIR
        description = (f"Avoir : {f.motif}" if avoir else
                       f"Facture : {f.periode_debut:%d/%m/%Y} - {f.periode_fin:%d/%m/%Y}")
        operation = Operation(f.reference, f.date_emission, description, regies[f.regie_id].libelle,
                              0 if avoir else f.total, f.total if avoir else 0, facture_id=f.id)
        lignes.append((f.date_emission, f.cree_le, operation))
    for r in session.exec(select(Reglement).where(Reglement.famille_id == famille_id,
                                                  Reglement.date >= debut, Reglement.date <= fin)):
        operation = Operation(r.reference, r.date, description_reglement(r),
                              regies[r.regie_id].libelle, max(-r.montant, 0), max(r.montant, 0),
                              reglement_id=r.id)
        lignes.append((r.date, r.cree_le, operation))
    lignes.sort(key=lambda t: (t[0], t[1]), reverse=True)
    operations = [t[2] for t in lignes]
    ancien = solde(session, famille_id, debut - dt.timedelta(days=1)) if suivies else 0
    return Releve(annee, operations, ancien,
                  sum(o.debit for o in operations), sum(o.credit for o in operations))
