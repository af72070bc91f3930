"""Staff accounts, their roles and the password rules."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import Session, func, select

from modele.base import Contexte, ErreurMetier, id_de

if TYPE_CHECKING:
    from argon2 import Parameters
from modele.droits import (  # noqa: F401  (re-exported: the rights, checked below)
    PERMISSIONS,
    Droit,
    exiger,
    peut,
)
from modele.journal import journaliser
from modele.tables.agents import Agent, Role
from modele.validation import caractere_interdit, verifier_nom

# argon2's parameters for new hashes; None: argon2-cffi's defaults (RFC 9106, ~130 ms a
# check on these machines). The test suite sets argon2.profiles.CHEAPEST (tests/conftest.py):
# its thousand logins would spend two minutes of CPU in argon2. A check reads the parameters
# from the stored hash, so a base keeps the strength it was written with.
PARAMETRES_HACHAGE: Parameters | None = None


def _hasher():
    # argon2 is imported on first use: it is not needed to draw the login screen.
    from argon2 import PasswordHasher

    if PARAMETRES_HACHAGE is not None:
        return PasswordHasher.from_parameters(PARAMETRES_HACHAGE)
    return PasswordHasher()


def hacher_mot_de_passe(mot_de_passe: str) -> str:
    return _hasher().hash(mot_de_passe)


def verifier_mot_de_passe(hache: str, mot_de_passe: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(hache, mot_de_passe)
    except (VerificationError, InvalidHashError, UnicodeEncodeError):  # a lone surrogate
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
    if caractere_interdit(mot_de_passe) is not None:  # a lone surrogate cannot even be hashed
        raise ErreurMetier(
            "Mot de passe refusé : il contient des caractères non imprimables.", "mot_de_passe"
        )
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


def message_verrou(jusqu_a: dt.datetime) -> str:
    return (
        f"Compte verrouillé jusqu'à {jusqu_a:%H} h {jusqu_a:%M} après "
        f"{ECHECS_AVANT_VERROU} mots de passe erronés. Réessayez plus tard ou adressez-vous "
        "à un administrateur."
    )


def authentifier(
    session: Session, identifiant: str, mot_de_passe: str, maintenant: dt.datetime
) -> FicheAgent:
    """Check a staff login at `maintenant` (see `_authentifier`): the account's card."""
    return fiche_agent(_authentifier(session, identifiant, mot_de_passe, maintenant))


def _authentifier(
    session: Session, identifiant: str, mot_de_passe: str, maintenant: dt.datetime
) -> Agent:
    """Check a staff login at the app's `maintenant`; the same message whatever was wrong,
    so nothing is revealed (except a lock, which the agent must know about)."""
    identifiant = identifiant.strip().lower()
    if len(identifiant) > 30 or caractere_interdit(identifiant) is not None:
        raise ErreurMetier(MESSAGE_IDENTIFIANTS)  # no such account: the same message
    agent = session.exec(select(Agent).where(Agent.identifiant == identifiant)).first()
    if agent is None or not agent.actif:
        raise ErreurMetier(MESSAGE_IDENTIFIANTS)
    if agent.verrouille_jusqu_a and agent.verrouille_jusqu_a > maintenant:
        raise ErreurMetier(message_verrou(agent.verrouille_jusqu_a))
    if not verifier_mot_de_passe(agent.mot_de_passe_hash, mot_de_passe):
        agent.echecs_connexion += 1
        verrou = None
        if agent.echecs_connexion >= ECHECS_AVANT_VERROU:
            verrou = agent.verrouille_jusqu_a = maintenant + DUREE_VERROU
        # The attempt in the journal (F9), and the lock it causes: an administrator sees
        # who tried which account, and when.
        journaliser(
            session,
            Contexte.systeme("connexion", maintenant.date(), lambda: maintenant),
            "compte verrouille" if verrou else "connexion refusee",
            "agent",
            agent.id,
            detail=f"{agent.identifiant} : mot de passe erroné ({agent.echecs_connexion}"
            f"/{ECHECS_AVANT_VERROU})" + (f", verrouillé jusqu'à {verrou:%H:%M}" if verrou else ""),
        )
        if verrou:
            agent.echecs_connexion = 0
        session.add(agent)
        session.commit()
        raise ErreurMetier(message_verrou(verrou) if verrou else MESSAGE_IDENTIFIANTS)
    if agent.echecs_connexion or agent.verrouille_jusqu_a:
        agent.echecs_connexion = 0
        agent.verrouille_jusqu_a = None
        session.add(agent)
        session.commit()
    return agent


def _creer_agent(
    session: Session,
    contexte: Contexte,
    identifiant: str,
    nom: str,
    prenom: str,
    role: Role,
    mot_de_passe: str,
) -> Agent:
    """The bare creation, not journaled (tests, a script's first administrator, by the
    system's context); the administrator's action is `ajouter_agent`."""
    exiger(session, contexte, "gerer_agents")
    verifier_politique(mot_de_passe)
    agent = Agent(
        identifiant=identifiant.lower(),
        nom=nom,
        prenom=prenom,
        role=role.value,
        mot_de_passe_hash=hacher_mot_de_passe(mot_de_passe),
    )
    session.add(agent)
    session.flush()
    return agent


# --- who may do what ----------------------------------------------------------------------


# --- staff accounts, managed by an administrator -------------------------------------------

_IDENTIFIANT = re.compile(r"[a-z0-9][a-z0-9._-]{1,29}")


@dataclass(frozen=True)
class FicheAgent:
    """A staff account as the screens show it: never its password hash."""

    id: int
    identifiant: str
    nom: str
    prenom: str
    role: str
    actif: bool
    verrouille_jusqu_a: dt.datetime | None
    mot_de_passe_a_changer: bool
    derniere_connexion: dt.datetime | None
    dernier_canal: str = "guichet"

    @property
    def nom_complet(self) -> str:
        return f"{self.prenom} {self.nom}"


def creer_agent(
    session: Session,
    contexte: Contexte,
    identifiant: str,
    nom: str,
    prenom: str,
    role: Role,
    mot_de_passe: str,
) -> FicheAgent:
    """The bare creation, not journaled (tests, a script's first administrator, by the
    system's context); the administrator's action is `ajouter_agent`. Its card."""
    exiger(session, contexte, "gerer_agents")
    return fiche_agent(
        _creer_agent(session, contexte, identifiant, nom, prenom, role, mot_de_passe)
    )


def fiche_agent(a: Agent) -> FicheAgent:
    """What may leave this module of an account: everything but its password hash."""
    return FicheAgent(
        id_de(a),
        a.identifiant,
        a.nom,
        a.prenom,
        a.role,
        a.actif,
        a.verrouille_jusqu_a,
        a.mot_de_passe_a_changer,
        a.derniere_connexion,
        a.dernier_canal,
    )


def lister_agents(session: Session) -> list[FicheAgent]:
    return [fiche_agent(a) for a in session.exec(select(Agent).order_by(Agent.identifiant))]


def _etat(agent: Agent) -> dict[str, object]:
    """What the journal keeps of an account (never the password hash)."""
    return {
        "identifiant": agent.identifiant,
        "nom": agent.nom,
        "prenom": agent.prenom,
        "role": agent.role,
        "actif": agent.actif,
        "mot_de_passe_a_changer": agent.mot_de_passe_a_changer,
    }


def _agent(session: Session, agent_id: int) -> Agent:
    agent = session.get(Agent, agent_id)
    if agent is None:
        raise ErreurMetier("Ce compte d'agent n'existe plus.")
    return agent


def _garder_un_admin(session: Session, agent: Agent) -> None:
    """Refuse to take the last active administrator away."""
    if agent.role != Role.ADMIN or not agent.actif:
        return
    autres = session.exec(
        select(func.count())
        .select_from(Agent)
        .where(Agent.role == Role.ADMIN.value, Agent.actif, Agent.id != agent.id)
    ).one()
    if not autres:
        raise ErreurMetier("Il doit rester au moins un administrateur actif.")


def ajouter_agent(
    session: Session,
    contexte: Contexte,
    identifiant: str,
    nom: str,
    prenom: str,
    role: Role | str,
    mot_de_passe: str,
) -> FicheAgent:
    """Create a staff account; each refusal names its field."""
    exiger(session, contexte, "gerer_agents")
    identifiant = identifiant.strip().lower()
    if not _IDENTIFIANT.fullmatch(identifiant):
        raise ErreurMetier(
            "Identifiant : 2 à 30 caractères, lettres sans accent, chiffres, "
            "point, tiret ou souligné.",
            "identifiant",
        )
    if session.exec(select(Agent.id).where(Agent.identifiant == identifiant)).first():
        raise ErreurMetier(f"L'identifiant « {identifiant} » est déjà pris.", "identifiant")
    nom = verifier_nom(nom, "nom", "Le nom", obligatoire=True).upper()
    prenom = verifier_nom(prenom, "prenom", "Le prénom", obligatoire=True)
    try:
        role = Role(role)
    except ValueError:
        raise ErreurMetier("Rôle inconnu.", "role") from None
    agent = _creer_agent(session, contexte, identifiant, nom, prenom, role, mot_de_passe)
    journaliser(session, contexte, "creation", "agent", agent.id, apres=_etat(agent))
    return fiche_agent(agent)


def exiger_autre_compte(contexte: Contexte, agent_id: int | None) -> None:
    """An agent does not deactivate their own account (said before any question)."""
    if agent_id == contexte.agent_id:
        raise ErreurMetier("Vous ne pouvez pas désactiver votre propre compte.")


def definir_actif(session: Session, contexte: Contexte, agent_id: int, actif: bool) -> FicheAgent:
    """Deactivate (the account can no longer log in) or reactivate an account."""
    exiger(session, contexte, "gerer_agents")
    agent = _agent(session, agent_id)
    if agent.actif == actif:
        return fiche_agent(agent)
    if not actif:
        exiger_autre_compte(contexte, agent.id)
        _garder_un_admin(session, agent)
    avant = _etat(agent)
    agent.actif = actif
    session.add(agent)
    journaliser(
        session,
        contexte,
        "reactivation" if actif else "desactivation",
        "agent",
        agent.id,
        avant=avant,
        apres=_etat(agent),
    )
    return fiche_agent(agent)


def changer_role(
    session: Session, contexte: Contexte, agent_id: int, role: Role | str
) -> FicheAgent:
    exiger(session, contexte, "gerer_agents")
    agent = _agent(session, agent_id)
    role = Role(role)
    if agent.role == role:
        return fiche_agent(agent)
    _garder_un_admin(session, agent)
    avant = _etat(agent)
    agent.role = role.value
    session.add(agent)
    journaliser(
        session, contexte, "changement de role", "agent", agent.id, avant=avant, apres=_etat(agent)
    )
    return fiche_agent(agent)


def reinitialiser_mot_de_passe(session: Session, contexte: Contexte, agent_id: int) -> str:
    """A temporary password, to be shown once; the agent must change it at next login.
    It also lifts a lock."""
    exiger(session, contexte, "gerer_agents")
    agent = _agent(session, agent_id)
    temporaire = mot_de_passe_temporaire()
    agent.mot_de_passe_hash = hacher_mot_de_passe(temporaire)
    agent.mot_de_passe_a_changer = True
    agent.echecs_connexion = 0
    agent.verrouille_jusqu_a = None
    session.add(agent)
    journaliser(
        session,
        contexte,
        "reinitialisation mot de passe",
        "agent",
        agent.id,
        apres={"mot_de_passe_a_changer": True},
    )
    return temporaire


def deverrouiller(session: Session, contexte: Contexte, agent_id: int) -> FicheAgent:
    exiger(session, contexte, "gerer_agents")
    agent = _agent(session, agent_id)
    avant = {
        "verrouille_jusqu_a": agent.verrouille_jusqu_a.isoformat(timespec="minutes")
        if agent.verrouille_jusqu_a
        else None,
        "echecs_connexion": agent.echecs_connexion,
    }
    agent.verrouille_jusqu_a = None
    agent.echecs_connexion = 0
    session.add(agent)
    journaliser(
        session,
        contexte,
        "deverrouillage",
        "agent",
        agent.id,
        avant=avant,
        apres={"verrouille_jusqu_a": None, "echecs_connexion": 0},
    )
    return fiche_agent(agent)


def changer_mot_de_passe(session: Session, contexte: Contexte, agent_id: int, nouveau: str) -> None:
    """The agent's own new password (after a reset): policy checked, not the same as before."""
    if contexte.agent_id != agent_id:
        raise ErreurMetier("Un agent ne change que son propre mot de passe.")
    agent = _agent(session, agent_id)
    verifier_politique(nouveau)
    if verifier_mot_de_passe(agent.mot_de_passe_hash, nouveau):
        raise ErreurMetier("Choisissez un mot de passe différent de l'actuel.", "mot_de_passe")
    agent.mot_de_passe_hash = hacher_mot_de_passe(nouveau)
    agent.mot_de_passe_a_changer = False
    session.add(agent)
    journaliser(
        session,
        contexte,
        "changement mot de passe",
        "agent",
        agent.id,
        apres={"mot_de_passe_a_changer": False},
    )


def enregistrer_connexion(session: Session, contexte: Contexte, agent_id: int) -> None:
    """A successful login: its time on the account, and a journal row."""
    agent = _agent(session, agent_id)
    agent.derniere_connexion = contexte.maintenant()
    session.add(agent)
    journaliser(session, contexte, "connexion", "agent", agent.id)


def enregistrer_deconnexion(
    session: Session, contexte: Contexte, agent_id: int, detail: str = ""
) -> None:
    """The end of an agent's session: logout, the app quit, or the browser tab closed (the
    detail says which); a journal row, as the login has."""
    journaliser(session, contexte, "deconnexion", "agent", agent_id, detail=detail)


def changer_mot_de_passe_et_connecter(
    session: Session, contexte: Contexte, agent_id: int, nouveau: str
) -> None:
    """After a reset: the new password, and the login it completes."""
    changer_mot_de_passe(session, contexte, agent_id, nouveau)
    enregistrer_connexion(session, contexte, agent_id)


def connecter(
    session: Session, contexte: Contexte, identifiant: str, mot_de_passe: str
) -> FicheAgent:
    """The login screen's action: check the password; a login that needs no new password
    first is recorded at once. The app keeps the account's card for the session, never
    the row with its hash."""
    agent = _authentifier(session, identifiant, mot_de_passe, contexte.maintenant())
    if not agent.mot_de_passe_a_changer:
        enregistrer_connexion(session, contexte.avec(agent_id=agent.id), id_de(agent))
    return fiche_agent(agent)
