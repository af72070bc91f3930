"""The append-only journal: who did what, when, through which channel, on which record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import NaiveDatetime
from sqlalchemy import JSON, Column, Index, and_, event, inspect, or_
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as SessionORM
from sqlalchemy.sql.elements import Null
from sqlmodel import Field, Session, SQLModel, select

from modele.base import Contexte, ErreurMetier
from modele.validation import verifier_texte


class Journal(SQLModel, table=True):
    # Reading by family or by agent, newest first (the journal screen's filters).
    __table_args__ = (
        Index("ix_journal_famille_horodatage", "famille_id", "horodatage"),
        Index("ix_journal_agent_horodatage", "agent_id", "horodatage"),
    )

    id: int | None = Field(default=None, primary_key=True)
    horodatage: NaiveDatetime = Field(index=True)
    agent_id: int | None = Field(default=None, foreign_key="agent.id", index=True)
    canal: str
    action: str  # e.g. "creation", "modification", "connexion", "facturation"
    objet: str  # table name
    objet_id: int | None = None
    famille_id: int | None = Field(default=None, index=True)
    avant: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    apres: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    detail: str = ""


# The actions are stored as plain codes (filters, exports); shown in French.
LIBELLES_ACTIONS = {
    "demande creee": "demande créée",
    "demande acceptee": "demande acceptée",
    "demande refusee": "demande refusée",
    "demande retiree": "demande retirée",
    "demande en_attente": "demande en attente",
    "reglement encaisse": "règlement encaissé",
    "reglement annule": "règlement annulé",
    "facture emise": "facture émise",
    "avoir emis": "avoir émis",
    "reinitialisation mot de passe": "réinitialisation du mot de passe",
    "reactivation": "réactivation",
    "personne autorisee": "personne autorisée",
    "mot de passe portail": "mot de passe du portail",
    "message supprime": "message supprimé",
    "message restaure": "message restauré",
    "message envoye": "message envoyé",
    "enfant ajoute": "enfant ajouté",
    "deverrouillage": "déverrouillage",
    "desinscription": "désinscription",
    "creation": "création",
    "changement de role": "changement de rôle",
    "certificat medical": "certificat médical",
    "calendrier supprime": "calendrier supprimé",
    "calendrier preremplit": "calendrier prérempli",
    "appel termine": "appel terminé",
    "appel debute": "appel débuté",
    "export rgpd": "export RGPD",
    "anonymisation rgpd": "anonymisation RGPD",
    "payeur designe": "payeur désigné",
    "relance envoyee": "relance envoyée",
    "delais de relance": "délais de relance",
    "mandat enregistre": "mandat SEPA enregistré",
    "remise prelevement": "remise de prélèvements",
    "prelevement passe": "prélèvement passé",
    "prelevement rejete": "prélèvement rejeté",
    "creancier sepa": "créancier SEPA",
}


def libelle_action(action: str) -> str:
    """The journal's action as the agent reads it (accents, whole words)."""
    return LIBELLES_ACTIONS.get(action, action)


def journaliser(
    session: Session,
    contexte: Contexte,
    action: str,
    objet: str,
    objet_id: int | None = None,
    famille_id: int | None = None,
    avant: dict[str, Any] | None = None,
    apres: dict[str, Any] | None = None,
    detail: str = "",
) -> Journal:
    """Add a journal row to the caller's transaction (it commits with the action)."""
    ligne = Journal(
        horodatage=contexte.maintenant(),
        agent_id=contexte.agent_id,
        canal=str(contexte.canal),
        action=action,
        objet=objet,
        objet_id=objet_id,
        famille_id=famille_id,
        avant=avant,
        apres=apres,
        detail=detail,
    )
    session.add(ligne)
    return ligne


# --- append-only ---------------------------------------------------------------------------
# Rows are never deleted nor rewritten. The one change allowed is RGPD erasure of what a row
# held about a person (before/after emptied, detail blanked): see modele/rgpd.py.

MESSAGE_AJOUT_SEUL = "Le journal ne peut être ni modifié ni supprimé : on y ajoute seulement."
_EFFACABLES = {"avant", "apres", "detail"}


def _vide(valeur: object) -> bool:
    return valeur is None or valeur == "" or isinstance(valeur, Null)


@event.listens_for(Journal, "before_update")
def _refuser_modification(_mapper, _connexion, ligne: Journal) -> None:
    etat = inspect(ligne)
    for attribut in etat.attrs:
        if attribut.history.has_changes() and not (
            attribut.key in _EFFACABLES and _vide(attribut.value)
        ):
            raise ErreurMetier(MESSAGE_AJOUT_SEUL)


@event.listens_for(Journal, "before_delete")
def _refuser_suppression(_mapper, _connexion, _ligne: Journal) -> None:
    raise ErreurMetier(MESSAGE_AJOUT_SEUL)


@event.listens_for(SessionORM, "do_orm_execute")
def _refuser_en_masse(etat: ORMExecuteState) -> None:
    """Bulk UPDATE and DELETE statements through a session skip the mapper events."""
    if not (etat.is_update or etat.is_delete):
        return
    if etat.bind_mapper is None or etat.bind_mapper.class_ is not Journal:
        return
    if etat.is_update and not etat.parameters:
        valeurs = getattr(etat.statement, "_values", None) or {}
        if valeurs and all(
            getattr(c, "key", c) in _EFFACABLES and _vide(getattr(v, "value", v))
            for c, v in valeurs.items()
        ):
            return
    raise ErreurMetier(MESSAGE_AJOUT_SEUL)


# --- reading (administrator) ---------------------------------------------------------------


@dataclass(frozen=True)
class FiltreJournal:
    numero_famille: str = ""
    identifiant: str = ""
    du: dt.date | None = None
    au: dt.date | None = None


@dataclass(frozen=True)
class LigneJournal:
    id: int
    horodatage: dt.datetime
    agent: str  # identifiant, or "" for the system
    canal: str
    action: str
    objet: str
    objet_id: int | None
    numero_famille: str
    detail: str
    avant: dict[str, Any] | None = None
    apres: dict[str, Any] | None = None

    @property
    def curseur(self) -> tuple[dt.datetime, int]:
        """Where the next page starts (keyset: newest first)."""
        return self.horodatage, self.id


def _requete(session: Session, contexte: Contexte, filtre: FiltreJournal, *colonnes):
    from modele.agents import Agent, exiger
    from modele.famille import Famille

    exiger(session, contexte.agent_id, "lire_journal")
    requete = (
        select(
            Journal.id,
            Journal.horodatage,
            Agent.identifiant,
            Journal.canal,
            Journal.action,
            Journal.objet,
            Journal.objet_id,
            Famille.numero,
            Journal.detail,
            *colonnes,
        )
        .outerjoin(Agent, Agent.id == Journal.agent_id)
        .outerjoin(Famille, Famille.id == Journal.famille_id)
    )
    numero = verifier_texte(filtre.numero_famille, "famille", 20, libelle="Le n° de famille")
    identifiant = verifier_texte(filtre.identifiant, "agent", 30, libelle="L'identifiant")
    if numero:
        famille_id = session.exec(select(Famille.id).where(Famille.numero == numero)).first()
        if famille_id is None:
            raise ErreurMetier(f"Aucune famille n° {numero}.", "famille")
        requete = requete.where(Journal.famille_id == famille_id)
    if identifiant:
        identifiant = identifiant.lower()
        agent_id = session.exec(select(Agent.id).where(Agent.identifiant == identifiant)).first()
        if agent_id is None:
            raise ErreurMetier(f"Aucun agent « {identifiant} ».", "agent")
        requete = requete.where(Journal.agent_id == agent_id)
    if filtre.du and filtre.au and filtre.du > filtre.au:
        raise ErreurMetier("La date de début est après la date de fin.", "du")
    if filtre.du:
        requete = requete.where(Journal.horodatage >= dt.datetime.combine(filtre.du, dt.time()))
    if filtre.au:
        lendemain = dt.datetime.combine(filtre.au + dt.timedelta(days=1), dt.time())
        requete = requete.where(Journal.horodatage < lendemain)
    return requete


def lire_journal(
    session: Session,
    contexte: Contexte,
    filtre: FiltreJournal,
    apres: tuple[dt.datetime, int] | None = None,
    limite: int = 50,
) -> tuple[list[LigneJournal], bool]:
    """One page of the journal, newest first, after the cursor of the previous page;
    and whether there is more. Before/after JSON is not read here (see `ligne_journal`)."""
    requete = _requete(session, contexte, filtre)
    if apres is not None:
        horodatage, ident = apres
        requete = requete.where(
            or_(
                Journal.horodatage < horodatage,
                and_(Journal.horodatage == horodatage, Journal.id < ident),
            )
        )
    requete = requete.order_by(Journal.horodatage.desc(), Journal.id.desc()).limit(limite + 1)
    lignes = [_ligne(r) for r in session.exec(requete).all()]
    return lignes[:limite], len(lignes) > limite


def _ligne(r) -> LigneJournal:
    return LigneJournal(r[0], r[1], r[2] or "", r[3], r[4], r[5], r[6], r[7] or "", r[8], *r[9:])


def ligne_journal(session: Session, contexte: Contexte, journal_id: int) -> LigneJournal:
    """One row in full, with its before/after."""
    requete = _requete(session, contexte, FiltreJournal(), Journal.avant, Journal.apres)
    r = session.exec(requete.where(Journal.id == journal_id)).first()
    if r is None:
        raise ErreurMetier("Cette ligne du journal n'existe pas.")
    return _ligne(r)
