"""Demandes: what a family (or an agent on its behalf) asks to change or book, and its fate."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column
from pydantic import NaiveDatetime
from sqlmodel import Field, Session, SQLModel, select

from modele.base import Contexte, ErreurMetier
from modele.famille import Enfant, Famille, Responsable, RoleResponsable
from modele.journal import journaliser


class TypeDemande(StrEnum):
    RESPONSABLE = "responsable"
    CONJOINT = "conjoint"
    FISCALES = "fiscales"
    CAF = "caf"
    BANCAIRES = "bancaires"
    AUTORISATIONS = "autorisations"
    SANITAIRES = "sanitaires"
    RESERVATION = "reservation"
    ABSENCE = "absence"
    AJOUT_ENFANT = "ajout_enfant"
    QUOTIENT_FAMILIAL = "quotient_familial"

    @property
    def libelle(self) -> str:
        return LIBELLES_TYPES[self]

    @property
    def concerne_enfant(self) -> bool:
        return self in TYPES_ENFANTS


LIBELLES_TYPES = {
    TypeDemande.RESPONSABLE: "Responsable",
    TypeDemande.CONJOINT: "Conjoint",
    TypeDemande.FISCALES: "Fiscales",
    TypeDemande.CAF: "CAF",
    TypeDemande.BANCAIRES: "Bancaires",
    TypeDemande.AUTORISATIONS: "Autorisations",
    TypeDemande.SANITAIRES: "Données sanitaires",
    TypeDemande.RESERVATION: "Réservations",
    TypeDemande.ABSENCE: "Absences",
    TypeDemande.AJOUT_ENFANT: "Ajout d'enfant",
    TypeDemande.QUOTIENT_FAMILIAL: "Quotient familial",
}
TYPES_ENFANTS = frozenset({TypeDemande.AUTORISATIONS, TypeDemande.SANITAIRES,
                           TypeDemande.RESERVATION, TypeDemande.ABSENCE,
                           TypeDemande.AJOUT_ENFANT})


class StatutDemande(StrEnum):
    EN_ATTENTE = "en_attente"
    ACCEPTEE = "acceptee"
    REFUSEE = "refusee"
    RETIREE = "retiree"

    @property
    def libelle(self) -> str:
        return {"en_attente": "En attente", "acceptee": "Acceptée", "refusee": "Refusée",
                "retiree": "Retirée"}[self.value]


class Demande(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    famille_id: int = Field(foreign_key="famille.id", index=True)
    enfant_id: int | None = Field(default=None, foreign_key="enfant.id")
    type: str = Field(index=True)
    # Changed fields only: {champ: [ancienne valeur, nouvelle valeur]}, or the booking's detail.
    valeurs: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    canal: str = "portail"
    saisie_par: int | None = Field(default=None, foreign_key="agent.id")
    cree_le: NaiveDatetime = Field(index=True)
    commentaire: str = ""
    statut: str = Field(default=StatutDemande.EN_ATTENTE.value, index=True)
    decide_par: int | None = Field(default=None, foreign_key="agent.id")
    decide_le: NaiveDatetime | None = None
    motif_refus: str = ""
    version_famille: int = 1  # the family's version when the request was made


class Appel(SQLModel, table=True):
    """A phone call with a parent: everything entered meanwhile has canal téléphone."""

    id: int | None = Field(default=None, primary_key=True)
    famille_id: int = Field(foreign_key="famille.id", index=True)
    agent_id: int | None = Field(default=None, foreign_key="agent.id")
    debut: NaiveDatetime
    fin: NaiveDatetime | None = None
    recapitulatif: str = ""


# Which record a family-file request changes.
CIBLES = {
    TypeDemande.RESPONSABLE: "responsable",
    TypeDemande.CONJOINT: "conjoint",
    TypeDemande.FISCALES: "famille",
    TypeDemande.CAF: "famille",
    TypeDemande.BANCAIRES: "famille",
    TypeDemande.AUTORISATIONS: "enfant",
    TypeDemande.SANITAIRES: "enfant",
}


def _cible(session: Session, demande: Demande) -> SQLModel:
    nature = CIBLES.get(TypeDemande(demande.type))
    if nature == "famille":
        return session.get(Famille, demande.famille_id)
    if nature in ("responsable", "conjoint"):
        role = RoleResponsable.RESPONSABLE if nature == "responsable" else RoleResponsable.CONJOINT
        cible = session.exec(select(Responsable).where(
            Responsable.famille_id == demande.famille_id, Responsable.role == role)).first()
        if cible is None:
            raise ErreurMetier("La famille n'a pas de conjoint enregistré.")
        return cible
    if nature == "enfant" and demande.enfant_id is not None:
        return session.get(Enfant, demande.enfant_id)
    raise ErreurMetier(f"Une demande « {TypeDemande(demande.type).libelle} » ne modifie "
                       "pas directement la fiche.")


def _en_json(valeur: Any) -> Any:
    return valeur.isoformat() if isinstance(valeur, dt.date) else valeur


def _depuis_json(modele: type[SQLModel], champ: str, valeur: Any) -> Any:
    annotation = str(modele.model_fields[champ].annotation)
    if valeur and "date" in annotation and isinstance(valeur, str):
        return dt.date.fromisoformat(valeur)
    return valeur


def creer_demande(session: Session, contexte: Contexte, famille_id: int, type: TypeDemande,
                  nouvelles: dict[str, Any], enfant_id: int | None = None,
                  commentaire: str = "") -> Demande:
    """Record a request holding only the fields that change (old and new value)."""
    famille = session.get(Famille, famille_id)
    demande = Demande(famille_id=famille_id, enfant_id=enfant_id, type=type.value,
                      canal=str(contexte.canal), saisie_par=contexte.agent_id,
                      cree_le=contexte.maintenant(), commentaire=commentaire,
                      version_famille=famille.version)
    if type in CIBLES:
        cible = _cible(session, demande)
        changes = {champ: [_en_json(getattr(cible, champ)), _en_json(valeur)]
                   for champ, valeur in nouvelles.items() if getattr(cible, champ) != valeur}
        if not changes:
            raise ErreurMetier("Aucune modification : la demande n'a pas été enregistrée.")
        demande.valeurs = changes
    else:
        demande.valeurs = {k: _en_json(v) for k, v in nouvelles.items()}
    session.add(demande)
    session.flush()
    journaliser(session, contexte, "demande creee", "demande", demande.id, famille_id,
                apres={"type": type.value, "valeurs": demande.valeurs})
    return demande


def conflits(session: Session, demande: Demande) -> dict[str, tuple[Any, Any, Any]]:
    """Fields whose current value is no longer the one the request started from:
    {champ: (ancienne valeur de la demande, valeur actuelle, nouvelle valeur demandée)}."""
    cible = _cible(session, demande)
    trouves = {}
    for champ, (ancien, nouveau) in demande.valeurs.items():
        actuel = _en_json(getattr(cible, champ))
        if actuel != ancien:
            trouves[champ] = (ancien, actuel, nouveau)
    return trouves


def _doit_etre_en_attente(demande: Demande) -> None:
    if demande.statut != StatutDemande.EN_ATTENTE:
        raise ErreurMetier(f"Cette demande est déjà {StatutDemande(demande.statut).libelle.lower()}.")


def accepter_demande(session: Session, contexte: Contexte, demande: Demande,
                     champs_retenus: dict[str, Any] | None = None) -> None:
    """Apply the request's new values to the record and stamp who and when.

    `champs_retenus` is the agent's decision on conflicting fields; without it, any
    conflict refuses the action so that nothing is overwritten silently.
    """
    _doit_etre_en_attente(demande)
    cible = _cible(session, demande)
    en_conflit = conflits(session, demande)
    retenus = champs_retenus or {}
    non_tranches = set(en_conflit) - set(retenus)
    if non_tranches:
        raise ErreurMetier("La fiche a changé depuis la demande : "
                           + ", ".join(sorted(non_tranches)) + ".")
    avant = {}
    for champ, (_ancien, nouveau) in demande.valeurs.items():
        valeur = retenus.get(champ, nouveau)
        avant[champ] = _en_json(getattr(cible, champ))
        setattr(cible, champ, _depuis_json(type(cible), champ, valeur))
    session.add(cible)
    famille = session.get(Famille, demande.famille_id)
    famille.version += 1
    session.add(famille)
    demande.statut = StatutDemande.ACCEPTEE.value
    demande.decide_par = contexte.agent_id
    demande.decide_le = contexte.maintenant()
    session.add(demande)
    journaliser(session, contexte, "demande acceptee", "demande", demande.id, demande.famille_id,
                avant=avant, apres={k: _en_json(getattr(cible, k)) for k in avant})


def refuser_demande(session: Session, contexte: Contexte, demande: Demande, motif: str) -> None:
    _doit_etre_en_attente(demande)
    if not motif.strip():
        raise ErreurMetier("Le motif du refus est obligatoire.", "motif")
    demande.statut = StatutDemande.REFUSEE.value
    demande.motif_refus = motif.strip()
    demande.decide_par = contexte.agent_id
    demande.decide_le = contexte.maintenant()
    session.add(demande)
    journaliser(session, contexte, "demande refusee", "demande", demande.id, demande.famille_id,
                detail=demande.motif_refus)


def retirer_demande(session: Session, contexte: Contexte, demande: Demande) -> None:
    """Withdraw a pending request at the parent's wish."""
    _doit_etre_en_attente(demande)
    demande.statut = StatutDemande.RETIREE.value
    demande.decide_le = contexte.maintenant()
    demande.decide_par = contexte.agent_id
    session.add(demande)
    journaliser(session, contexte, "demande retiree", "demande", demande.id, demande.famille_id)


def demandes_famille(session: Session, famille_id: int,
                     depuis: dt.datetime | None = None) -> list[Demande]:
    requete = select(Demande).where(Demande.famille_id == famille_id)
    if depuis is not None:
        requete = requete.where(Demande.cree_le >= depuis)
    return list(session.exec(requete.order_by(Demande.cree_le.desc())).all())
