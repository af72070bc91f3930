"""Boîte de réception: messages between the family and the structure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Integer, bindparam
from sqlmodel import Session, col, func, select

from modele.base import Contexte, ErreurMetier, annee_scolaire, colonne_id, id_de
from modele.droits import exiger
from modele.facturation import inserer_lignes
from modele.journal import acteur, journaliser
from modele.quotient import (
    SUJET_RELANCE,
    corps_relance,
    familles_sans_qf_valide,
    prochaine_campagne,
)
from modele.recherche import familles_correspondantes
from modele.requetes import figee
from modele.tables.agents import Agent
from modele.tables.famille import Enfant, Famille, Responsable, RoleResponsable
from modele.tables.journal import Journal
from modele.tables.messages import Message, ModeleMessage, Sens
from modele.tables.planning import Inscription
from modele.tables.structure import Collectivite
from modele.validation import LONGUEUR_CORPS, LONGUEUR_SUJET, texte_de_recherche, verifier_texte


def apercu(corps: str, longueur: int = 60) -> str:
    """The start of a message on one line, past a bare greeting ("Bonjour,")."""
    lignes = [ligne.strip() for ligne in corps.splitlines() if ligne.strip()]
    if len(lignes) > 1 and len(lignes[0]) <= 20 and lignes[0].endswith(","):
        lignes = lignes[1:]
    texte = " ".join(" ".join(lignes).split())
    return texte if len(texte) <= longueur else texte[: longueur - 1] + "…"


def nombre_non_lus(session: Session, famille_id: int) -> int:
    """Messages from the family the service has not read yet (the header's count)."""
    return session.exec(_non_lus(), params={"famille": famille_id}).one()


@figee
def _non_lus() -> Any:
    return (
        select(func.count())
        .select_from(Message)
        .where(
            col(Message.famille_id) == bindparam("famille", type_=Integer),
            Message.sens == Sens.DE_LA_FAMILLE,
            Message.lu == False,
            Message.supprime == False,
        )
    )


def messages_famille(session: Session, famille_id: int) -> list[Message]:
    return list(
        session.exec(
            select(Message)
            .where(Message.famille_id == famille_id)
            .order_by(col(Message.envoye_le).desc())
        ).all()
    )


class Dossier(StrEnum):
    RECUS = "recus"
    ENVOYES = "envoyes"
    SUPPRIMES = "supprimes"

    @property
    def libelle(self) -> str:
        return {"recus": "Reçus", "envoyes": "Envoyés", "supprimes": "Supprimés"}[self.value]


def dossier_de(message: Message) -> Dossier:
    if message.supprime:
        return Dossier.SUPPRIMES
    return Dossier.RECUS if message.sens == Sens.DE_LA_FAMILLE else Dossier.ENVOYES


def messages_du_dossier(session: Session, famille_id: int, dossier: Dossier) -> list[Message]:
    requete = select(Message).where(Message.famille_id == famille_id)
    if dossier == Dossier.SUPPRIMES:
        requete = requete.where(Message.supprime == True)
    else:
        sens = Sens.DE_LA_FAMILLE if dossier == Dossier.RECUS else Sens.DU_SERVICE
        requete = requete.where(Message.supprime == False, Message.sens == sens)
    return list(
        session.exec(requete.order_by(col(Message.envoye_le).desc(), col(Message.id).desc()))
    )


@dataclass(frozen=True)
class VueDossier:
    """One folder of a family's Boîte: its messages, the count of each folder, the names of
    the agents who wrote them."""

    messages: list[Message]
    compte: dict[Dossier, int]
    agents: dict[int, str]


def vue_dossier(session: Session, famille_id: int, dossier: Dossier) -> VueDossier:
    messages = messages_du_dossier(session, famille_id, dossier)
    compte = {d: len(messages_du_dossier(session, famille_id, d)) for d in Dossier}
    # Every agent who wrote to the family, not only in this folder: a thread shown here
    # holds the other folders' messages too (a reply, sent, in the received thread read
    # « Le service (service) », and « Le service (Sophie MARTIN) » in Envoyés).
    ids = set(
        session.exec(
            select(Message.agent_id)
            .where(Message.famille_id == famille_id, col(Message.agent_id).is_not(None))
            .distinct()
        )
    )
    agents = {
        id_de(a): a.nom_complet for a in session.exec(select(Agent).where(col(Agent.id).in_(ids)))
    }
    return VueDossier(messages, compte, agents)


def message(session: Session, message_id: int) -> Message:
    trouve = session.get(Message, message_id)
    if trouve is None:
        raise ErreurMetier("Ce message n'existe plus.")
    return trouve


def modeles_messages(session: Session) -> list[ModeleMessage]:
    return list(session.exec(select(ModeleMessage)))


def fil(session: Session, message_id: int) -> list[Message]:
    """The thread a message belongs to, oldest first: the original and all its answers."""
    racine = message(session, message_id)
    while racine.reponse_a_id is not None:
        parent = session.get(Message, racine.reponse_a_id)
        if parent is None:
            break
        racine = parent
    membres, a_voir = [racine], [racine.id]
    while a_voir:
        enfants = list(session.exec(select(Message).where(col(Message.reponse_a_id).in_(a_voir))))
        membres += enfants
        a_voir = [m.id for m in enfants]
    return sorted(membres, key=lambda m: (m.envoye_le, m.id))


def verifier_message(sujet: str, corps: str) -> tuple[str, str]:
    """The subject and the body as stored, or ErreurMetier at the field."""
    if not (sujet or "").strip():
        raise ErreurMetier("L'objet du message est obligatoire.", "sujet")
    sujet = verifier_texte(sujet, "sujet", LONGUEUR_SUJET, libelle="L'objet")
    if not (corps or "").strip():
        raise ErreurMetier("Le message est vide.", "corps")
    corps = verifier_texte(corps, "corps", LONGUEUR_CORPS, libelle="Le message", multiligne=True)
    return sujet, corps


def envoyer(
    session: Session,
    contexte: Contexte,
    famille_id: int,
    sujet: str,
    corps: str,
    de_la_famille: bool = False,
    reponse_a_id: int | None = None,
) -> Message:
    """Write a message: from the service to the family, or recorded for the family (a parent
    on the phone leaving a message); an answer is linked to the message it answers."""
    exiger(session, contexte, "messagerie")
    sujet, corps = verifier_message(sujet, corps)
    reponse_a = message(session, reponse_a_id) if reponse_a_id is not None else None
    envoye = Message(
        famille_id=famille_id,
        sens=(Sens.DE_LA_FAMILLE if de_la_famille else Sens.DU_SERVICE).value,
        sujet=sujet,
        corps=corps,
        envoye_le=contexte.maintenant(),
        reponse_a_id=reponse_a_id,
        agent_id=contexte.agent_id,
        canal=str(contexte.canal),
        # a message the agent records for the family is read by the service
        lu=de_la_famille,
    )
    session.add(envoye)
    session.flush()
    journaliser(
        session,
        contexte,
        "message envoye" if not de_la_famille else "message recu",
        "message",
        envoye.id,
        famille_id,
        apres={"sujet": sujet},
        detail=f"Message « {sujet} »",
    )
    if reponse_a is not None:
        marquer_lu(session, contexte, id_de(reponse_a))
    return envoye


def marquer_lu(session: Session, contexte: Contexte, message_id: int) -> bool:
    """Reading a family's message marks it read for the service (True when it was unread)."""
    exiger(session, contexte, "messagerie")
    lu = message(session, message_id)
    if lu.lu or lu.sens != Sens.DE_LA_FAMILLE:
        return False
    lu.lu = True
    lu.lu_le = contexte.maintenant()
    session.add(lu)
    journaliser(session, contexte, "message lu", "message", lu.id, lu.famille_id)
    return True


def supprimer(session: Session, contexte: Contexte, message_id: int) -> None:
    exiger(session, contexte, "messagerie")
    supprime = message(session, message_id)
    supprime.supprime = True
    supprime.supprime_le = contexte.maintenant()
    session.add(supprime)
    journaliser(session, contexte, "message supprime", "message", supprime.id, supprime.famille_id)


def restaurer(session: Session, contexte: Contexte, message_id: int) -> None:
    exiger(session, contexte, "messagerie")
    restaure = message(session, message_id)
    restaure.supprime = False
    restaure.supprime_le = None
    session.add(restaure)
    journaliser(session, contexte, "message restaure", "message", restaure.id, restaure.famille_id)


def appliquer_modele(modele: ModeleMessage, famille: str, enfant: str = "") -> tuple[str, str]:
    """A template's subject and body with the family's and child's names filled in."""
    valeurs = {"famille": famille, "enfant": enfant or "votre enfant"}
    return modele.sujet.format_map(valeurs), modele.corps.format_map(valeurs)


@dataclass(frozen=True)
class MessageNonLu:
    message: Message
    famille_numero: str
    famille_nom: str


def _boite(requete, recherche: str):
    """The inbox's condition: unread messages of the families, or those matching a search
    (normalised by `texte_de_recherche`)."""
    if not recherche.strip():
        return requete.where(
            Message.sens == Sens.DE_LA_FAMILLE,
            Message.lu == False,
            Message.supprime == False,
        )
    motif = f"%{recherche.strip()}%"
    condition = col(Message.sujet).ilike(motif) | col(Message.corps).ilike(motif)
    familles = familles_correspondantes(recherche)
    if familles is not None:
        condition = condition | col(Message.famille_id).in_(familles)
    return requete.where(condition)


def boite_du_service(
    session: Session,
    recherche: str = "",
    limite: int = 500,
    apres: tuple[dt.datetime, int] | None = None,
) -> list[MessageNonLu]:
    """The service's inbox: unread messages of all families, oldest first; with a search
    text, every message (read or not) whose family, subject or text matches, newest first.
    `limite` rows from the one after `apres` (its date and id: the next page)."""
    recherche = texte_de_recherche(recherche)
    requete = _boite(
        select(Message, Famille.numero, Responsable.nom, Responsable.prenoms)
        .join(Famille, col(Famille.id) == Message.famille_id)
        .join(
            Responsable,
            (col(Responsable.famille_id) == Famille.id)
            & (col(Responsable.role) == RoleResponsable.RESPONSABLE),
            isouter=True,
        ),
        recherche,
    )
    envoye, ident = col(Message.envoye_le), col(Message.id)
    if not recherche.strip():
        if apres is not None:
            requete = requete.where(
                (envoye > apres[0]) | ((envoye == apres[0]) & (ident > apres[1]))
            )
        requete = requete.order_by(envoye, ident)
    else:
        if apres is not None:
            requete = requete.where(
                (envoye < apres[0]) | ((envoye == apres[0]) & (ident < apres[1]))
            )
        requete = requete.order_by(envoye.desc(), ident.desc())
    return [
        MessageNonLu(m, num, f"{nom or ''} {prenoms or ''}".strip())
        for m, num, nom, prenoms in session.exec(requete.limit(limite))
    ]


def nombre_boite_du_service(session: Session, recherche: str = "") -> int:
    """How many messages `boite_du_service` lists, every page included."""
    recherche = texte_de_recherche(recherche)
    return session.exec(_boite(select(func.count()).select_from(Message), recherche)).one()


def nombre_non_lus_service(session: Session) -> int:
    return session.exec(
        select(func.count())
        .select_from(Message)
        .where(
            Message.sens == Sens.DE_LA_FAMILLE,
            Message.lu == False,
            Message.supprime == False,
        )
    ).one()


def envoyer_a_plusieurs(
    session: Session, contexte: Contexte, famille_ids: list[int], sujet: str, corps: str
) -> int:
    """The same message to several families, in one transaction; returns how many. The
    messages and their journal rows are written in bulk: one by one through the ORM, the
    QF campaign's reminder to a town's 50,002 families took 47 s."""
    exiger(session, contexte, "messagerie")
    sujet, corps = verifier_message(sujet, corps)
    if not famille_ids:
        return 0
    maintenant = contexte.maintenant()
    modele = Message(
        famille_id=0,
        sens=Sens.DU_SERVICE.value,
        sujet=sujet,
        corps=corps,
        envoye_le=maintenant,
        agent_id=contexte.agent_id,
        canal=str(contexte.canal),
    ).model_dump(exclude={"id"})
    session.flush()
    ids = inserer_lignes(
        session,
        Message,
        [{**modele, "famille_id": famille_id} for famille_id in famille_ids],
        retour=True,
        comme_orm=True,
    )
    inserer_lignes(
        session,
        Journal,
        [
            dict(
                horodatage=maintenant,
                **acteur(contexte),
                action="message envoye",
                objet="message",
                objet_id=message_id,
                famille_id=famille_id,
                avant=None,
                apres={"sujet": sujet},
                detail=f"Message « {sujet} »",
            )
            for message_id, famille_id in zip(ids, famille_ids, strict=True)
        ],
        comme_orm=True,
    )
    return len(famille_ids)


@dataclass(frozen=True)
class RelanceEnvoyee:
    envoyees: int
    deja: int  # of those asked, reminded on the day meanwhile (another agent): not twice


def relancer_campagne(
    session: Session, contexte: Contexte, famille_ids: list[int], jour: dt.date
) -> RelanceEnvoyee:
    """The QF campaign's reminder to these families, less those already reminded on `jour`
    (by another agent since the list was read): no family is reminded twice the same day.
    The collectivité's row is locked first (FOR UPDATE on PostgreSQL; a SQLite transaction
    begins with the write lock): two agents sending at once send in turn, and the second
    finds the first one's reminders."""
    exiger(session, contexte, "messagerie")
    session.exec(select(Collectivite).with_for_update()).first()
    deja = set(
        session.exec(
            select(Message.famille_id).where(
                Message.sujet == SUJET_RELANCE,
                Message.sens == Sens.DU_SERVICE,
                Message.envoye_le >= dt.datetime.combine(jour, dt.time()),
            )
        )
    )
    a_envoyer = [f for f in famille_ids if f not in deja]
    envoyer_a_plusieurs(session, contexte, a_envoyer, SUJET_RELANCE, corps_relance(jour))
    return RelanceEnvoyee(len(a_envoyer), len(famille_ids) - len(a_envoyer))


class Destinataires(StrEnum):
    TOUTES = "toutes"
    ACTIVITE = "activite"
    QF_A_METTRE_A_JOUR = "qf"

    @property
    def libelle(self) -> str:
        return {
            "toutes": "Toutes les familles",
            "activite": "Les familles d'une activité (année scolaire en cours)",
            "qf": "Les familles dont le QF doit être mis à jour",
        }[self.value]


def familles_destinataires(
    session: Session, critere: Destinataires, jour: dt.date, activite_id: int | None = None
) -> list[int]:
    """The families a grouped message goes to, for the preview and the sending."""

    if critere == Destinataires.ACTIVITE:
        if activite_id is None:
            return []
        requete = (
            select(Enfant.famille_id)
            .join(Inscription, col(Inscription.enfant_id) == Enfant.id)
            .where(
                Inscription.activite_id == activite_id,
                Inscription.annee_scolaire == annee_scolaire(jour),
            )
            .distinct()
        )
    elif critere == Destinataires.QF_A_METTRE_A_JOUR:
        requete = familles_sans_qf_valide(session, prochaine_campagne(jour))
    else:
        requete = select(colonne_id(Famille))
    return sorted(session.exec(requete))
