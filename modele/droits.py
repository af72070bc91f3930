"""What each role may do: the one table of rights, and the check every writing rule makes."""

from __future__ import annotations

from typing import NamedTuple

from sqlmodel import Session

from modele.base import Contexte, ErreurMetier
from modele.tables.agents import Agent, Role


class Droit(NamedTuple):
    roles: frozenset[Role]
    refus: str  # the French message when the role does not allow it
    libelle: str = ""  # what the action is, for the "Droits par rôle" table


_TOUS = frozenset(Role)
_REGIE = frozenset({Role.REGISSEUR, Role.ADMIN})
_ADMIN = frozenset({Role.ADMIN})

# The single table of what each role may do, checked in modele by `exiger` (screens only
# hide what it refuses). tests/test_agents_permissions.py walks it role by role.
PERMISSIONS: dict[str, Droit] = {
    "servir_famille": Droit(
        _TOUS,
        "Votre compte ne permet pas de saisir pour une famille.",
        "Saisir pour une famille (demandes, réservations, absences, QF)",
    ),
    "messagerie": Droit(
        _TOUS,
        "Votre compte ne permet pas de lire ni d'écrire les messages des familles.",
        "Lire et écrire les messages des familles",
    ),
    "encaisser": Droit(
        _TOUS, "Votre compte ne permet pas d'encaisser un règlement.", "Encaisser un règlement"
    ),
    "annuler_reglement": Droit(
        _REGIE,
        "Seul un régisseur ou un administrateur peut annuler un règlement.",
        "Annuler un règlement",
    ),
    "facturer": Droit(
        _REGIE,
        "Seul un régisseur ou un administrateur peut émettre les factures.",
        "Émettre les factures",
    ),
    "relancer": Droit(
        _REGIE,
        "Seul un régisseur ou un administrateur peut relancer les factures impayées.",
        "Relancer les factures impayées",
    ),
    "prelever": Droit(
        _REGIE,
        "Seul un régisseur ou un administrateur peut gérer les prélèvements.",
        "Gérer les mandats et les prélèvements SEPA",
    ),
    "avoir": Droit(
        _REGIE, "Seul un régisseur ou un administrateur peut émettre un avoir.", "Émettre un avoir"
    ),
    "rembourser": Droit(
        _REGIE,
        "Seul un régisseur ou un administrateur peut rembourser un crédit.",
        "Rembourser un crédit à la famille",
    ),
    "cloturer": Droit(
        _REGIE,
        "Seul un régisseur ou un administrateur peut clôturer la caisse et faire les "
        "bordereaux de remise.",
        "Clôturer la caisse, établir les bordereaux de remise",
    ),
    "decider_demande": Droit(
        _REGIE,
        "Seul un régisseur ou un administrateur peut accepter ou refuser une demande.",
        "Accepter ou refuser une demande",
    ),
    "modifier_fiche": Droit(
        _REGIE,
        "Seul un régisseur ou un administrateur modifie la fiche directement ; l'agent "
        "d'accueil enregistre une demande.",
        "Modifier directement la fiche famille",
    ),
    "deroger_reservation": Droit(
        _REGIE,
        "Seul un régisseur ou un administrateur peut déroger au délai ou à la capacité.",
        "Déroger au délai ou à la capacité d'une réservation",
    ),
    "modifier_calendrier": Droit(
        _ADMIN,
        "Seul un administrateur peut modifier le calendrier.",
        "Modifier le calendrier (fermetures, vacances)",
    ),
    "parametrer_regie": Droit(
        _ADMIN,
        "Seul un administrateur peut modifier les paramètres d'une régie.",
        "Modifier les paramètres d'une régie (échéance, plafond, chèques)",
    ),
    "parametrer_caf": Droit(
        _ADMIN,
        "Seul un administrateur peut modifier les plafonds journaliers de la CAF.",
        "Modifier les plafonds journaliers des heures déclarées à la CAF",
    ),
    "gerer_agents": Droit(
        _ADMIN,
        "Seul un administrateur peut gérer les comptes des agents.",
        "Gérer les comptes des agents",
    ),
    "lire_journal": Droit(
        _ADMIN, "Seul un administrateur peut consulter le journal.", "Consulter le journal"
    ),
    "voir_donnees_sante": Droit(
        frozenset({Role.ACCUEIL, Role.ADMIN}),
        "Les données de santé des enfants sont réservées aux agents d'accueil et aux "
        "administrateurs.",
        "Voir et faire modifier les données de santé des enfants",
    ),
    "reprendre_compteur": Droit(
        _ADMIN,
        "Seul un administrateur peut reprendre la numérotation d'une régie.",
        "Reprendre la numérotation d'une régie après le logiciel précédent",
    ),
    "tableau_de_bord": Droit(
        _REGIE,
        "Le tableau de bord est réservé aux régisseurs et aux administrateurs.",
        "Consulter le tableau de bord et les statistiques CAF",
    ),
    "rgpd": Droit(
        _ADMIN,
        "Seul un administrateur exporte ou anonymise les données d'une famille (RGPD).",
        "Exporter ou anonymiser les données d'une famille (RGPD)",
    ),
}


def peut(agent: Agent | None, permission: str) -> bool:
    """What a screen shows; `exiger` is what holds. No agent means the system itself."""
    return agent is None or Role(agent.role) in PERMISSIONS[permission][0]


MESSAGE_SANS_AGENT = "Aucun agent connecté : l'action est refusée."


def exiger(session: Session, contexte: Contexte, permission: str) -> None:
    """Refuse the action, with the reason, when the context may not do it.

    The system, asked for by name (Contexte.systeme), may do everything; a context with
    no agent and no task may do nothing (never the system by omission). An unknown or
    deactivated agent may do nothing.
    """
    if contexte.agent_id is None:
        if contexte.est_systeme:
            return
        raise ErreurMetier(MESSAGE_SANS_AGENT)
    agent = session.get(Agent, contexte.agent_id)
    if agent is None or not agent.actif:
        raise ErreurMetier("Ce compte d'agent est désactivé.")
    if not peut(agent, permission):
        raise ErreurMetier(PERMISSIONS[permission][1])
