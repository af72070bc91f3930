"""Writers that checked no right (issue 16): each refuses, with the French message, a context
that may not write, and writes nothing; the same call with the right writes."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import func, select

from modele import demandes, famille, inscriptions, messages, reservations
from modele.agents import PERMISSIONS, Agent, Role
from modele.base import Contexte, ErreurMetier
from modele.droits import MESSAGE_SANS_AGENT
from modele.tables.demandes import Appel
from modele.tables.famille import Payeur, PersonneAutorisee, Responsable
from modele.tables.journal import Journal
from modele.tables.messages import Message
from modele.tables.planning import Consommation, EtatConsommation, Inscription
from tests import fabrique

JOUR = dt.date(2026, 11, 27)
DESACTIVE = "Ce compte d'agent est désactivé."


@pytest.fixture
def monde(s):
    regie, cantine, _ = fabrique.structure(s)
    f, enfant = fabrique.famille(s)
    responsable = s.exec(select(Responsable).where(Responsable.famille_id == f.id)).one()
    ids = {}
    for role in Role:
        agent = Agent(
            identifiant=f"t-{role.value}",
            nom="TEST",
            prenom=role.value,
            role=role.value,
            mot_de_passe_hash="-",
        )
        s.add(agent)
    ancien = Agent(identifiant="t-ancien", nom="TEST", prenom="ancien", role="admin", actif=False)
    ancien.mot_de_passe_hash = "-"
    s.add(ancien)
    s.flush()
    for agent in s.exec(select(Agent)):
        ids[agent.identifiant] = agent.id
    s.commit()
    return {
        "regie": regie.id,
        "cantine": cantine.id,
        "famille": f.id,
        "enfant": enfant.id,
        "responsable": responsable.id,
        "agents": ids,
    }


def _contexte(agent_id: int | None) -> Contexte:
    return Contexte(agent_id=agent_id, aujourdhui=JOUR)


# (writer called on the world, the table it writes, the permission it checks)
ECRITURES = {
    "inscrire": (
        lambda s, c, m: inscriptions.inscrire(s, c, m["enfant"], m["cantine"], 2026),
        Inscription,
        "servir_famille",
    ),
    "appliquer_personne": (
        lambda s, c, m: inscriptions.appliquer_personne(
            s, c, m["enfant"], {"nom": "DURAND", "prenom": "Paul", "lien": "Oncle"}
        ),
        PersonneAutorisee,
        "modifier_fiche",
    ),
    "designer_payeur": (
        lambda s, c, m: famille.designer_payeur(s, c, m["famille"], m["regie"], m["responsable"]),
        Payeur,
        "modifier_fiche",
    ),
    "envoyer": (
        lambda s, c, m: messages.envoyer(s, c, m["famille"], "Menu", "Le menu de décembre."),
        Message,
        "messagerie",
    ),
    "debuter_appel": (
        lambda s, c, m: demandes.debuter_appel(s, c, m["famille"]),
        Appel,
        "servir_famille",
    ),
    "pointer": (
        lambda s, c, m: reservations.pointer(
            s, c, m["enfant"], m["cantine"], dt.date(2026, 11, 26), EtatConsommation.PRESENT
        ),
        Consommation,
        "servir_famille",
    ),
}


def _compte(s, table) -> tuple[int, int]:
    return (
        s.exec(select(func.count()).select_from(table)).one(),
        s.exec(select(func.count()).select_from(Journal)).one(),
    )


@pytest.mark.parametrize("nom", sorted(ECRITURES))
def test_refusee_sans_le_droit_et_rien_n_est_ecrit(s, monde, nom):
    ecrire, table, permission = ECRITURES[nom]
    agents = monde["agents"]
    refus = [(_contexte(None), MESSAGE_SANS_AGENT), (_contexte(agents["t-ancien"]), DESACTIVE)]
    refus += [
        (_contexte(agents[f"t-{role.value}"]), PERMISSIONS[permission].refus)
        for role in Role
        if role not in PERMISSIONS[permission].roles
    ]
    avant = _compte(s, table)
    for contexte, message in refus:
        with pytest.raises(ErreurMetier) as erreur:
            ecrire(s, contexte, monde)
        assert erreur.value.message == message, (nom, contexte)
        assert not (s.new or s.dirty or s.deleted), nom
        s.rollback()
        assert _compte(s, table) == avant
    # The same call by a role that has the right writes.
    permis = next(r for r in (Role.REGISSEUR, Role.ADMIN) if r in PERMISSIONS[permission].roles)
    ecrire(s, _contexte(agents[f"t-{permis.value}"]), monde)
    s.flush()
    apres = _compte(s, table)
    assert apres[1] > avant[1]
    assert apres[0] > avant[0]
