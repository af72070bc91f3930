"""Staff accounts, their roles and the password rules."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from enum import StrEnum

from pydantic import NaiveDatetime
from sqlmodel import Field, Session, SQLModel, select

from modele.base import ErreurMetier


class Role(StrEnum):
    ACCUEIL = "accueil"
    REGISSEUR = "regisseur"
    ADMIN = "admin"

    @property
    def libelle(self) -> str:
        return {"accueil": "Agent d'accueil", "regisseur": "Régisseur",
                "admin": "Administrateur"}[self.value]


class Agent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    identifiant: str = Field(unique=True)
    nom: str
    prenom: str
    role: str = Role.ACCUEIL.value
    mot_de_passe_hash: str
    actif: bool = True
    echecs_connexion: int = 0
    verrouille_jusqu_a: NaiveDatetime | None = None
    dernier_canal: str = "guichet"

    @property
    def nom_complet(self) -> str:
        return f"{self.prenom} {self.nom}"


def _hasher():
    # argon2 is imported on first use: it is not needed to draw the login screen.
    from argon2 import PasswordHasher

    return PasswordHasher()


def hacher_mot_de_passe(mot_de_passe: str) -> str:
    return _hasher().hash(mot_de_passe)


def verifier_mot_de_passe(hache: str, mot_de_passe: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(hache, mot_de_passe)
    except (VerificationError, InvalidHashError):
        return False


def manques_mot_de_passe(mot_de_passe: str) -> list[str]:
    """What the password policy (rule 1) finds missing, in French; empty when it passes."""
    manques = []
    if len(mot_de_passe) < 8:
        manques.append("8 caractères minimum")
    if not re.search(r"[A-ZÀ-Ý]", mot_de_passe):
        manques.append("au moins 1 majuscule")
    if not re.search(r"[a-zß-ÿ]", mot_de_passe):
        manques.append("au moins 1 minuscule")
    if not re.search(r"\d", mot_de_passe):
        manques.append("au moins 1 caractère numérique")
    return manques


def verifier_politique(mot_de_passe: str) -> None:
    manques = manques_mot_de_passe(mot_de_passe)
    if manques:
        raise ErreurMetier("Mot de passe refusé : " + ", ".join(manques) + ".", "mot_de_passe")


def mot_de_passe_temporaire(longueur: int = 10) -> str:
    """A random password that meets the policy, easy to read aloud (no 0/O, 1/l/I)."""
    majuscules = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    minuscules = "abcdefghijkmnpqrstuvwxyz"
    chiffres = "23456789"
    tous = majuscules + minuscules + chiffres
    while True:
        candidat = "".join(secrets.choice(tous) for _ in range(longueur))
        if not manques_mot_de_passe(candidat):
            return candidat


ECHECS_AVANT_VERROU = 5
DUREE_VERROU = dt.timedelta(minutes=15)
MESSAGE_IDENTIFIANTS = "Identifiant ou mot de passe incorrect."


def authentifier(session: Session, identifiant: str, mot_de_passe: str,
                 maintenant: dt.datetime | None = None) -> Agent:
    """Check a staff login; the same message whatever was wrong, so nothing is revealed."""
    maintenant = maintenant or dt.datetime.now()
    agent = session.exec(
        select(Agent).where(Agent.identifiant == identifiant.strip().lower())
    ).first()
    if agent is None or not agent.actif:
        raise ErreurMetier(MESSAGE_IDENTIFIANTS)
    if agent.verrouille_jusqu_a and agent.verrouille_jusqu_a > maintenant:
        raise ErreurMetier("Compte verrouillé après plusieurs échecs. Réessayez plus tard "
                           "ou adressez-vous à un administrateur.")
    if not verifier_mot_de_passe(agent.mot_de_passe_hash, mot_de_passe):
        agent.echecs_connexion += 1
        if agent.echecs_connexion >= ECHECS_AVANT_VERROU:
            agent.verrouille_jusqu_a = maintenant + DUREE_VERROU
            agent.echecs_connexion = 0
        session.add(agent)
        session.commit()
        raise ErreurMetier(MESSAGE_IDENTIFIANTS)
    if agent.echecs_connexion or agent.verrouille_jusqu_a:
        agent.echecs_connexion = 0
        agent.verrouille_jusqu_a = None
        session.add(agent)
        session.commit()
    return agent


def creer_agent(session: Session, identifiant: str, nom: str, prenom: str, role: Role,
                mot_de_passe: str) -> Agent:
    verifier_politique(mot_de_passe)
    agent = Agent(identifiant=identifiant.lower(), nom=nom, prenom=prenom, role=role.value,
                  mot_de_passe_hash=hacher_mot_de_passe(mot_de_passe))
    session.add(agent)
    session.flush()
    return agent




# What each role may do, checked in modele (not only by hiding keys).
PERMISSIONS: dict[str, tuple[frozenset[Role], str]] = {
    "decider_demande": (frozenset({Role.REGISSEUR, Role.ADMIN}),
                        "Seul un régisseur ou un administrateur peut accepter ou refuser "
                        "une demande."),
}


def peut(agent: Agent | None, permission: str) -> bool:
    roles, _ = PERMISSIONS[permission]
    return agent is None or Role(agent.role) in roles


def exiger(session: Session, agent_id: int | None, permission: str) -> None:
    """Refuse the action, with the reason, when the agent's role does not allow it.

    No agent means the system itself (demo generator, migrations): always allowed.
    """
    if agent_id is None:
        return
    agent = session.get(Agent, agent_id)
    if not peut(agent, permission):
        raise ErreurMetier(PERMISSIONS[permission][1])
PERMISSIONS["deroger_reservation"] = (
    frozenset({Role.REGISSEUR, Role.ADMIN}),
    "Seul un régisseur ou un administrateur peut déroger au délai ou à la capacité.")
PERMISSIONS["modifier_calendrier"] = (
    frozenset({Role.ADMIN}), "Seul un administrateur peut modifier le calendrier.")
PERMISSIONS["encaisser"] = (
    frozenset({Role.ACCUEIL, Role.REGISSEUR, Role.ADMIN}),
    "Votre compte ne permet pas d'encaisser un règlement.")
PERMISSIONS["facturer"] = (
    frozenset({Role.REGISSEUR, Role.ADMIN}),
    "Seul un régisseur ou un administrateur peut émettre les factures.")
PERMISSIONS["avoir"] = (
    frozenset({Role.REGISSEUR, Role.ADMIN}),
    "Seul un régisseur ou un administrateur peut émettre un avoir.")
PERMISSIONS["annuler_reglement"] = (
    frozenset({Role.REGISSEUR, Role.ADMIN}),
    "Seul un régisseur ou un administrateur peut annuler un règlement.")
PERMISSIONS["modifier_fiche"] = (
    frozenset({Role.REGISSEUR, Role.ADMIN}),
    "Seul un régisseur ou un administrateur modifie la fiche directement ; l'agent d'accueil "
    "enregistre une demande.")
