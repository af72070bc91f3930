"""Tariffs by QF bracket, invoices (immutable once issued) and the billing run."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from pydantic import NaiveDatetime
from sqlalchemy import UniqueConstraint, bindparam
from sqlmodel import Field, Session, SQLModel, col, select, update

from modele.agents import exiger
from modele.base import Contexte, ErreurMetier, fin_de_mois
from modele.famille import Enfant, Responsable
from modele.journal import journaliser
from modele.planning import Activite, Consommation, EtatConsommation
from modele.quotient import QuotientFamilial, StatutQF, TrancheQF, tranche_pour_valeur, tranches
from modele.structure import Compteur, Regie, numero_suivant


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
               col(Consommation.gratuit).is_(False),  # kept without charge: never billed
               col(Consommation.activite_id).in_(activites))
    )
    if familles is not None:
        requete = requete.where(col(Enfant.famille_id).in_(familles))
    lignes_brutes = [r for r in session.exec(requete)
                     if r.etat in activites[r.activite_id].etats_factures_set()]
    qfs = _tranches_familles(session, {r.famille_id for r in lignes_brutes}, liste, debut, fin)
    prevues: dict[int, FacturePrevue] = {}
    regroupees: dict[tuple[int, int, int, int], LignePrevue] = {}
    hors_contrat: dict[tuple[int, str], int] = defaultdict(int)
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
        if r.etat == EtatConsommation.HORS_CONTRAT:
            hors_contrat[(r.famille_id, ligne.libelle)] += 1
    _signaler_anomalies(session, prevues, hors_contrat)
    return [f for f in prevues.values() if f.lignes]


def par_lots(ids: list[int], taille: int = 10_000) -> list[list[int]]:
    """Split a long IN list (SQLite limits bound parameters)."""
    return [ids[i:i + taille] for i in range(0, len(ids), taille)]


def _signaler_anomalies(session: Session, prevues: dict[int, FacturePrevue],
                        hors_contrat: dict[tuple[int, str], int]) -> None:
    """Flag presences without reservation and families with no responsable payeur."""
    for (famille_id, libelle), nombre in hors_contrat.items():
        prevues[famille_id].anomalies.append(
            f"Présence sans réservation (hors contrat) : {libelle}, {nombre} jour"
            f"{'s' if nombre > 1 else ''}.")
    payeuses: set[int] = set()
    for lot in par_lots(sorted(prevues)):
        payeuses.update(session.exec(select(Responsable.famille_id).where(
            Responsable.payeur == True, col(Responsable.famille_id).in_(lot))))  # noqa: E712
    for famille_id, prevue in prevues.items():
        if famille_id not in payeuses:
            prevue.anomalies.append("Aucun responsable payeur dans la famille.")


def emettre_factures(session: Session, contexte: Contexte, regie_id: int, debut: dt.date,
                     fin: dt.date, date_emission: dt.date, date_echeance: dt.date | None = None,
                     familles: set[int] | None = None) -> list[Facture]:
    """Issue the period's invoices in the caller's transaction, numbered without gaps.

    A day already on an invoice is never billed again (its consommation keeps the invoice).
    """
    prevues = preparer_facturation(session, regie_id, debut, fin, familles)
    return emettre_prevues(session, contexte, regie_id, prevues, debut, fin, date_emission,
                           date_echeance)


def emettre_prevues(session: Session, contexte: Contexte, regie_id: int,
                    prevues: list[FacturePrevue], debut: dt.date, fin: dt.date,
                    date_emission: dt.date, date_echeance: dt.date | None = None) -> list[Facture]:
    """Issue invoices prepared by preparer_facturation() in the caller's transaction."""
    exiger(session, contexte.agent_id, "facturer")
    regie = session.get(Regie, regie_id)
    echeance = date_echeance or date_emission + dt.timedelta(days=regie.jours_echeance)
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


# --- the month's run, by batches, and its preview ------------------------------------------

def facturer_mois(session: Session, contexte: Contexte, regie_id: int, debut: dt.date,
                  fin: dt.date, date_emission: dt.date, *, lot: int = 500,
                  progression: Callable[[int, int], None] | None = None,
                  arret: Callable[[], bool] | None = None) -> list[Facture] | None:
    """Issue the period's invoices by batches, all in the caller's transaction.

    Returns None when `arret()` turned true: the caller rolls back and nothing is written.
    """
    exiger(session, contexte.agent_id, "facturer")
    # Take the sequence's write lock before reading: two runs at once never bill a day twice.
    session.execute(update(Compteur).where(Compteur.regie_id == regie_id,
                                           Compteur.nature == NatureFacture.FACTURE)
                    .values(dernier=Compteur.dernier))
    prevues = preparer_facturation(session, regie_id, debut, fin)
    emises: list[Facture] = []
    for i in range(0, len(prevues), lot):
        if arret is not None and arret():
            return None
        emises += emettre_prevues(session, contexte, regie_id, prevues[i:i + lot], debut, fin,
                                  date_emission)
        if progression is not None:
            progression(min(i + lot, len(prevues)), len(prevues))
    if arret is not None and arret():
        return None
    return emises


@dataclass
class FamilleApercue:
    famille_id: int
    numero: str
    nom: str
    prevue: FacturePrevue


@dataclass
class Apercu:
    """What the month's run would issue, family by family (the billing screen, the CLI)."""

    regie: Regie
    debut: dt.date
    fin: dt.date
    familles: list[FamilleApercue]
    activites: dict[int, Activite]
    enfants: dict[int, str]

    @property
    def total(self) -> int:
        return sum(f.prevue.total for f in self.familles)

    @property
    def avec_anomalies(self) -> int:
        return sum(1 for f in self.familles if f.prevue.anomalies)


def bornes_mois(annee: int, mois: int) -> tuple[dt.date, dt.date]:
    return dt.date(annee, mois, 1), fin_de_mois(annee, mois)


def apercu_facturation(session: Session, regie_id: int, debut: dt.date,
                       fin: dt.date) -> Apercu:
    from modele.famille import Famille, RoleResponsable

    regie = session.get(Regie, regie_id)
    if regie is None:
        raise ErreurMetier("Régie inconnue.", "regie")
    prevues = preparer_facturation(session, regie_id, debut, fin)
    ids = sorted(p.famille_id for p in prevues)
    noms: dict[int, tuple[str, str]] = {}
    enfants: dict[int, str] = {}
    enfant_ids = sorted({ligne.enfant_id for p in prevues for ligne in p.lignes})
    for lot in par_lots(ids):
        for famille_id, numero, nom, prenoms in session.exec(
                select(Famille.id, Famille.numero, Responsable.nom, Responsable.prenoms)
                .outerjoin(Responsable, (Responsable.famille_id == Famille.id)
                           & (Responsable.role == RoleResponsable.RESPONSABLE))
                .where(col(Famille.id).in_(lot))):
            noms[famille_id] = (numero, f"{nom or ''} {prenoms or ''}".strip())
    for lot in par_lots(enfant_ids):
        for enfant_id, nom, prenoms in session.exec(
                select(Enfant.id, Enfant.nom, Enfant.prenoms).where(col(Enfant.id).in_(lot))):
            enfants[enfant_id] = f"{prenoms} {nom}"
    activites = {a.id: a for a in session.exec(select(Activite)
                                               .where(Activite.regie_id == regie_id))}
    familles = [FamilleApercue(p.famille_id, *noms.get(p.famille_id, ("", "")), p)
                for p in sorted(prevues, key=lambda p: p.famille_id)]
    return Apercu(regie, debut, fin, familles, activites, enfants)


def factures_du_mois(session: Session, regie_id: int, debut: dt.date, fin: dt.date) -> list[int]:
    """Ids of the invoices issued for a period (to print them in one PDF), in number order."""
    return list(session.exec(select(Facture.id).where(
        Facture.regie_id == regie_id, Facture.nature == NatureFacture.FACTURE,
        Facture.periode_debut >= debut, Facture.periode_fin <= fin).order_by(Facture.numero)))


# --- credit notes ------------------------------------------------------------------------------

def avoirs_de(session: Session, facture_id: int) -> list[Facture]:
    return list(session.exec(select(Facture).where(Facture.facture_origine_id == facture_id,
                                                   Facture.nature == NatureFacture.AVOIR)
                             .order_by(Facture.numero)))


def emettre_avoir(session: Session, contexte: Contexte, facture_id: int, motif: str,
                  lignes: list[int] | None = None) -> Facture:
    """A credit note against an issued invoice (which never changes), for the chosen lines
    (default: all not yet credited). A child's activity is credited whole, and its days
    on that invoice become billable again."""
    exiger(session, contexte.agent_id, "avoir")
    motif = (motif or "").strip()
    if not motif:
        raise ErreurMetier("Le motif de l'avoir est obligatoire.", "motif")
    facture = session.get(Facture, facture_id)
    if facture is None or facture.nature != NatureFacture.FACTURE:
        raise ErreurMetier("Un avoir se fait sur une facture émise.")
    toutes = lignes_facture(session, facture_id)
    deja = {(lg.enfant_id, lg.activite_id) for avoir in avoirs_de(session, facture_id)
            for lg in lignes_facture(session, avoir.id)}
    if lignes is None:
        choisies = [lg for lg in toutes if (lg.enfant_id, lg.activite_id) not in deja]
        if not choisies:
            raise ErreurMetier("Toutes les lignes de cette facture ont déjà un avoir.", "lignes")
    else:
        voulues = set(lignes)
        choisies = [lg for lg in toutes if lg.id in voulues]
        if len(choisies) != len(voulues):
            raise ErreurMetier("Une ligne choisie n'appartient pas à la facture.", "lignes")
        if not choisies:
            raise ErreurMetier("Choisissez au moins une ligne à créditer.", "lignes")
        for lg in choisies:
            if (lg.enfant_id, lg.activite_id) in deja:
                raise ErreurMetier(f"La ligne « {lg.libelle} » a déjà un avoir.", "lignes")
    cles = {(lg.enfant_id, lg.activite_id) for lg in choisies}
    choisies = [lg for lg in toutes if (lg.enfant_id, lg.activite_id) in cles]
    regie = session.get(Regie, facture.regie_id)
    numero = numero_suivant(session, regie.id, NatureFacture.AVOIR)
    avoir = Facture(regie_id=regie.id, nature=NatureFacture.AVOIR.value, numero=numero,
                    reference=reference(regie, NatureFacture.AVOIR, numero),
                    famille_id=facture.famille_id, date_emission=contexte.aujourdhui,
                    date_echeance=contexte.aujourdhui, periode_debut=facture.periode_debut,
                    periode_fin=facture.periode_fin, total=sum(lg.montant for lg in choisies),
                    facture_origine_id=facture.id, motif=motif, emise_par=contexte.agent_id,
                    cree_le=contexte.maintenant())
    session.add(avoir)
    session.flush()
    session.add_all([LigneFacture(facture_id=avoir.id, enfant_id=lg.enfant_id,
                                  activite_id=lg.activite_id, libelle=lg.libelle,
                                  quantite=lg.quantite, prix_unitaire=lg.prix_unitaire,
                                  montant=lg.montant) for lg in choisies])
    liberes = 0
    for enfant_id, activite_id in cles:
        liberes += session.execute(
            update(Consommation).where(Consommation.facture_id == facture.id,
                                       Consommation.enfant_id == enfant_id,
                                       Consommation.activite_id == activite_id)
            .values(facture_id=None)).rowcount
    for objet in list(session.identity_map.values()):
        if isinstance(objet, Consommation):
            session.expire(objet, ["facture_id"])
    journaliser(session, contexte, "avoir emis", "facture", avoir.id, facture.famille_id,
                apres={"reference": avoir.reference, "total": avoir.total,
                       "facture": facture.reference, "motif": motif, "jours_liberes": liberes})
    session.flush()
    return avoir
