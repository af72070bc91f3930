"""The append-only journal: who did what, when, through which channel, on which record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import and_, or_
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from modele.base import Contexte, ErreurMetier
from modele.droits import exiger
from modele.formats import date_courte, euros
from modele.tables.agents import Agent
from modele.tables.caisse import Bordereau, Cloture
from modele.tables.facturation import Facture
from modele.tables.famille import Famille
from modele.tables.journal import (  # noqa: F401  (re-exported: the area's tables)
    MESSAGE_AJOUT_SEUL,
    Journal,
)
from modele.tables.reglements import ModeReglement, Reglement
from modele.validation import verifier_texte

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
    "deconnexion": "déconnexion",
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
    "reprise de numerotation": "reprise de numérotation",
    "bordereau etabli": "bordereau établi",
    "bordereau imprime": "bordereau imprimé",
    "caisse cloturee": "caisse clôturée",
    "credit affecte": "crédit affecté",
    "credit rembourse": "crédit remboursé",
    "desactivation": "désactivation",
    "message recu": "message reçu",
    "plafonds caf parametres": "plafonds CAF paramétrés",
    "regie parametree": "régie paramétrée",
    "changement mot de passe": "changement de mot de passe",
    "connexion refusee": "connexion refusée",
    "compte verrouille": "compte verrouillé",
    "reouverture": "réouverture",
}


def libelle_action(action: str) -> str:
    """The journal's action as the agent reads it (accents, whole words)."""
    return LIBELLES_ACTIONS.get(action, action)


# The detail's keys that hold an amount in cents, and the words of those that need accents.
MONTANTS = frozenset(
    {
        "montant",
        "total",
        "credit",
        "enregistre",
        "compte",
        "ecart",
        "reste_du",
        "solde",
        "montant_max_reglement",
    }
)
LIBELLES_CLES = {
    "reference": "Référence",
    "regie": "Régie",
    "regie_id": "Régie (n°)",
    "etat": "État",
    "ecart": "Écart",
    "enregistre": "Enregistré",
    "compte": "Compté",
    "credit": "Crédit",
    "debut": "Début",
    "echeance": "Échéance",
    "reste_du": "Reste dû",
    "prenoms": "Prénoms",
    "prenom": "Prénom",
    "famille_id": "Famille (n° interne)",
    "facture_id": "Facture (n° interne)",
    "especes": "Espèces",
    "cheque": "Chèque",
    "mot_de_passe_a_changer": "Mot de passe à changer",
    "echecs_connexion": "Échecs de connexion",
    "verrouille_jusqu_a": "Verrouillé jusqu'à",
    "jours_liberes": "Jours libérés",
    "telephone": "Téléphone",
    "cree_le": "Créé le",
}


def _valeur_lisible(cle: str, valeur: Any) -> str:
    if valeur is None:
        return "—"
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, int) and cle in MONTANTS:
        return euros(valeur)
    if cle in ("mode", "nature") and isinstance(valeur, str):
        try:
            return ModeReglement(valeur).libelle
        except ValueError:
            return valeur
    if isinstance(valeur, dict):
        return ", ".join(
            f"{_libelle_cle(c).lower()} {_valeur_lisible(c, v)}" for c, v in valeur.items()
        )
    if isinstance(valeur, list | tuple):
        return ", ".join(_valeur_lisible(cle, v) for v in valeur) or "—"
    texte = str(valeur)
    try:
        if len(texte) == 10:
            return date_courte(dt.date.fromisoformat(texte))
        if len(texte) >= 16 and texte[10] in "T ":
            moment = dt.datetime.fromisoformat(texte)
            return f"{date_courte(moment.date())} {moment:%H:%M}"
    except ValueError:
        pass
    return texte


def _libelle_cle(cle: str) -> str:
    return LIBELLES_CLES.get(cle, cle.replace("_", " ").capitalize())


def detail_lisible(valeurs: dict[str, Any] | None) -> list[tuple[str, str]]:
    """A journal row's before or after as an agent reads it: words for its keys, amounts in
    euros (stored in cents), dates as on the screens; a group of values on one line."""
    return [(_libelle_cle(c), _valeur_lisible(c, v)) for c, v in (valeurs or {}).items()]


def _acteur(identifiant: str | None, tache: str) -> str:
    """Who acted, from a journal row: the agent's login, else "Système (tâche)" for a named
    system context, else "Système" (the system, before tasks were named)."""
    if identifiant:
        return identifiant
    return f"Système ({tache})" if tache else "Système"


def acteur(contexte: Contexte) -> dict[str, Any]:
    """Who acts, as the journal's columns: the agent, the channel, and the system's task
    when no agent acts. For writers that insert journal rows in bulk, as journaliser does."""
    return {
        "agent_id": contexte.agent_id,
        "canal": str(contexte.canal),
        "tache": contexte.tache if contexte.est_systeme else "",
    }


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
        **acteur(contexte),
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


# --- reading (administrator) ---------------------------------------------------------------


@dataclass(frozen=True)
class FiltreJournal:
    numero_famille: str = ""
    identifiant: str = ""
    du: dt.date | None = None
    au: dt.date | None = None


# What each journalled record is called on screen (its table's name otherwise): short, as
# F9's column is (« Responsable n° 12345 » fits).
NOMS_OBJETS = {
    "agent": "Agent",
    "appel": "Appel",
    "bordereau": "Bordereau",
    "cloture": "Clôture",
    "collectivite": "Collectivité",
    "compteur": "Numérotation",
    "consommation": "Jour du planning",
    "demande": "Demande",
    "enfant": "Enfant",
    "facture": "Facture",
    "famille": "Famille",
    "inscription": "Inscription",
    "mandatsepa": "Mandat SEPA",
    "message": "Message",
    "payeur": "Payeur",
    "periodecalendrier": "Calendrier",
    "quotientfamilial": "QF",
    "regie": "Régie",
    "reglement": "Règlement",
    "remiseprelevement": "Remise SEPA",
    "responsable": "Responsable",
}
# The records named by what the service prints or types (« Règlement AL-228 »), not an id.
REFERENCES: dict[str, tuple[Any, Any]] = {
    "agent": (Agent.id, Agent.identifiant),
    "bordereau": (Bordereau.id, Bordereau.reference),
    "cloture": (Cloture.id, Cloture.reference),
    "facture": (Facture.id, Facture.reference),
    "famille": (Famille.id, Famille.numero),
    "reglement": (Reglement.id, Reglement.reference),
}


@dataclass(frozen=True)
class LigneJournal:
    id: int
    horodatage: dt.datetime
    agent: str  # identifiant, "Système (tâche)", or "Système" (older rows: no task)
    canal: str
    action: str
    objet: str
    objet_id: int | None
    numero_famille: str
    detail: str
    avant: dict[str, Any] | None = None
    apres: dict[str, Any] | None = None
    reference: str = ""  # the record's printed reference, if it has one (`_designer`)

    @property
    def designation(self) -> str:
        """The record as an agent knows it: « Règlement AL-228 », « Demande n° 182 »."""
        nom = NOMS_OBJETS.get(self.objet, self.objet)
        if self.reference:
            return f"{nom} {self.reference}"
        return f"{nom} n° {self.objet_id}" if self.objet_id is not None else nom

    @property
    def curseur(self) -> tuple[dt.datetime, int]:
        """Where the next page starts (keyset: newest first)."""
        return self.horodatage, self.id


def _requete(
    session: Session, contexte: Contexte, filtre: FiltreJournal, *colonnes: Mapped[Any]
) -> Select[*tuple[Any, ...]]:
    exiger(session, contexte, "lire_journal")
    # Select itself, as select() does: SQLModel types select() up to four columns only.
    requete: Select[*tuple[Any, ...]] = (
        Select(
            col(Journal.id),
            col(Journal.horodatage),
            col(Agent.identifiant),
            col(Journal.canal),
            col(Journal.tache),
            col(Journal.action),
            col(Journal.objet),
            col(Journal.objet_id),
            col(Famille.numero),
            col(Journal.detail),
            *colonnes,
        )
        .outerjoin(Agent, col(Agent.id) == Journal.agent_id)
        .outerjoin(Famille, col(Famille.id) == Journal.famille_id)
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
                col(Journal.horodatage) < horodatage,
                and_(col(Journal.horodatage) == horodatage, col(Journal.id) < ident),
            )
        )
    requete = requete.order_by(col(Journal.horodatage).desc(), col(Journal.id).desc())
    lignes = [_ligne(r) for r in session.exec(requete.limit(limite + 1)).all()]
    return _designer(session, lignes[:limite]), len(lignes) > limite


def _designer(session: Session, lignes: list[LigneJournal]) -> list[LigneJournal]:
    """The rows with their records' references, one query per kind of record named."""
    ids: dict[str, set[int]] = {}
    for ligne in lignes:
        if ligne.objet in REFERENCES and ligne.objet_id is not None:
            ids.setdefault(ligne.objet, set()).add(ligne.objet_id)
    references: dict[tuple[str, int], str] = {}
    for objet, voulus in ids.items():
        cle, reference = REFERENCES[objet]
        for ident, texte in session.exec(select(cle, reference).where(col(cle).in_(voulus))):
            references[(objet, ident)] = texte
    return [
        replace(ligne, reference=references.get((ligne.objet, ligne.objet_id or 0), ""))
        for ligne in lignes
    ]


def _ligne(r) -> LigneJournal:
    agent = _acteur(r[2], r[4])
    return LigneJournal(r[0], r[1], agent, r[3], r[5], r[6], r[7], r[8] or "", r[9], *r[10:])


def ligne_journal(session: Session, contexte: Contexte, journal_id: int) -> LigneJournal:
    """One row in full, with its before/after."""
    requete = _requete(session, contexte, FiltreJournal(), col(Journal.avant), col(Journal.apres))
    r = session.exec(requete.where(Journal.id == journal_id)).first()
    if r is None:
        raise ErreurMetier("Cette ligne du journal n'existe pas.")
    return _designer(session, [_ligne(r)])[0]
