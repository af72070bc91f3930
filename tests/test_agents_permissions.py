"""The permissions table walked action by action: each role, each permission, in modele."""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import re
from pathlib import Path

import pytest
from sqlmodel import select

from modele.agents import PERMISSIONS, Agent, Droit, Role, exiger
from modele.base import Contexte, ErreurMetier
from modele.demandes import TypeDemande
from modele.droits import MESSAGE_SANS_AGENT
from modele.tables.journal import Journal

A, R, C = Role.ADMIN, Role.REGISSEUR, Role.ACCUEIL
# Who may do what, as the service decided it (issue 9): PERMISSIONS must say the same.
ATTENDU = {
    "servir_famille": {C, R, A},
    "messagerie": {C, R, A},
    "encaisser": {C, R, A},
    "annuler_reglement": {R, A},
    "facturer": {R, A},
    "avoir": {R, A},
    "relancer": {R, A},
    "prelever": {R, A},
    "rembourser": {R, A},
    "cloturer": {R, A},
    "decider_demande": {R, A},
    "modifier_fiche": {R, A},
    "deroger_reservation": {R, A},
    "modifier_calendrier": {A},
    "parametrer_regie": {A},
    "parametrer_caf": {A},
    "gerer_agents": {A},
    "lire_journal": {A},
    "reprendre_compteur": {A},
    "rgpd": {A},
    "tableau_de_bord": {R, A},
    "voir_donnees_sante": {C, A},
}
JOUR = dt.date(2026, 11, 27)
# One real entry point of modele per permission, called with ids that do not exist: the
# refusal must come first, before anything is looked up.
ACTIONS = {
    "servir_famille": (
        "modele.inscriptions",
        "desinscrire",
        lambda f, s, c: f(
            s, c, 999999, importlib.import_module("modele.inscriptions").Futures.ANNULER
        ),
    ),
    "messagerie": ("modele.messages", "supprimer", lambda f, s, c: f(s, c, 999999)),
    "encaisser": (
        "modele.reglements",
        "encaisser",
        lambda f, s, c: f(s, c, 999999, 999999, 100, "cheque", JOUR),
    ),
    "annuler_reglement": (
        "modele.reglements",
        "annuler_reglement",
        lambda f, s, c: f(s, c, 999999, "motif"),
    ),
    "facturer": (
        "modele.reglements",
        "facturer_mois",
        lambda f, s, c: f(s, c, 999999, JOUR, JOUR, JOUR),
    ),
    "avoir": ("modele.facturation", "emettre_avoir", lambda f, s, c: f(s, c, 999999, "motif")),
    "relancer": ("modele.relances", "envoyer_relances", lambda f, s, c: f(s, c, 999999)),
    "prelever": (
        "modele.sepa",
        "rejeter_prelevement",
        lambda f, s, c: f(s, c, 999999, "AM04"),
    ),
    "rembourser": (
        "modele.reglements",
        "rembourser_credit",
        lambda f, s, c: f(s, c, 999999, 999999, 100, "motif"),
    ),
    "cloturer": (
        "modele.cloture",
        "cloturer_caisse",
        lambda f, s, c: f(s, c, 999999, JOUR, {}),
    ),
    "decider_demande": ("modele.demandes", "refuser_demande", lambda f, s, c: f(s, c, 0, "m")),
    "modifier_fiche": (
        "modele.famille",
        "renseigner_lieu_naissance",
        lambda f, s, c: f(s, c, 999999, {}),
    ),
    "deroger_reservation": ("modele.reservations", "_peut_deroger", lambda f, s, c: f(s, c, True)),
    "modifier_calendrier": (
        "modele.calendrier",
        "supprimer_periode",
        lambda f, s, c: f(s, c, 999999),
    ),
    "gerer_agents": ("modele.agents", "deverrouiller", lambda f, s, c: f(s, c, 999999)),
    "parametrer_regie": (
        "modele.reglements",
        "parametrer_regie",
        lambda f, s, c: f(s, c, 999999, {}),
    ),
    "parametrer_caf": (
        "modele.structure",
        "parametrer_plafonds_caf",
        lambda f, s, c: f(s, c, 540, 240),
    ),
    "lire_journal": (
        "modele.journal",
        "lire_journal",
        lambda f, s, c: f(s, c, importlib.import_module("modele.journal").FiltreJournal()),
    ),
    "tableau_de_bord": (
        "modele.statistiques",
        "tableau_de_bord",
        lambda f, s, c: f(s, c, 2026, 11),
    ),
    "reprendre_compteur": (
        "modele.structure",
        "reprendre_compteur",
        lambda f, s, c: f(s, c, 999999, "facture", 1),
    ),
    "rgpd": ("modele.rgpd", "exporter_famille", lambda f, s, c: f(s, c, 999999)),
    "voir_donnees_sante": (
        "modele.demandes",
        "creer_demande",
        lambda f, s, c: f(s, c, 999999, TypeDemande.SANITAIRES, {}),
    ),
}


@pytest.fixture
def agents(s) -> dict[Role, int]:
    """One active agent per role (no password: argon2 is not needed here)."""
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
        s.flush()
        ids[role] = agent.id
    s.commit()
    return ids


def test_la_table_est_celle_du_service():
    assert {p: set(d[0]) for p, d in PERMISSIONS.items()} == ATTENDU
    for permission, droit in PERMISSIONS.items():
        assert isinstance(droit, Droit) and droit.libelle and droit.refus, permission


def test_chaque_permission_exigee_dans_modele_est_dans_la_table():
    sources = "\n".join(p.read_text() for p in Path("modele").glob("*.py"))
    exigees = set(re.findall(r"exiger\(session, contexte, \"(\w+)\"\)", sources))
    assert exigees <= set(PERMISSIONS)
    assert set(PERMISSIONS) <= exigees, "une permission que rien n'exige"


@pytest.mark.parametrize("permission", sorted(ATTENDU))
def test_exiger_role_par_role(s, agents, permission):
    for role in Role:
        if role in PERMISSIONS[permission][0]:
            exiger(s, Contexte(agent_id=agents[role]), permission)
        else:
            with pytest.raises(ErreurMetier) as refus:
                exiger(s, Contexte(agent_id=agents[role]), permission)
            assert refus.value.message == PERMISSIONS[permission][1]
    exiger(s, Contexte.systeme("tests"), permission)  # the system, asked for by name
    with pytest.raises(ErreurMetier) as refus:  # never the system by omission
        exiger(s, Contexte(agent_id=None), permission)
    assert refus.value.message == MESSAGE_SANS_AGENT


@pytest.mark.parametrize("permission", sorted(ACTIONS))
def test_l_action_elle_meme_refuse(s, agents, permission):
    module, nom, appel = ACTIONS[permission]
    fonction = getattr(importlib.import_module(module), nom)
    refus = PERMISSIONS[permission][1]
    for role in Role:
        contexte = Contexte(agent_id=agents[role], aujourdhui=JOUR)
        try:
            appel(fonction, s, contexte)
            message = None
        except ErreurMetier as e:
            message = e.message
        except Exception:
            message = None
        finally:
            s.rollback()
        assert (message == refus) == (role not in ATTENDU[permission]), (role, message)


def test_toute_permission_a_son_action():
    assert set(ACTIONS) == set(PERMISSIONS)


def test_compte_desactive_ou_inconnu_ne_peut_rien(s, agents):
    agent = s.get(Agent, agents[Role.ADMIN])
    agent.actif = False
    s.add(agent)
    s.commit()
    for identifiant in (agents[Role.ADMIN], 999999):
        with pytest.raises(ErreurMetier, match="désactivé"):
            exiger(s, Contexte(agent_id=identifiant), "encaisser")


@pytest.mark.parametrize(
    "module, nom, appel, permission",
    [
        (
            "modele.quotient",
            "decider_qf",
            lambda f, s, c: f(s, c, None, acceptee=True),
            "decider_demande",
        ),
        (
            "modele.inscriptions",
            "creer_enfant",
            lambda f, s, c: f(s, c, 999999, {"nom": "X", "prenoms": "Y"}),
            "modifier_fiche",
        ),
    ],
)
def test_les_ecritures_qui_ne_verifiaient_rien_refusent(s, agents, module, nom, appel, permission):
    """decider_qf and creer_enfant checked no right (issue 16): a role without it gets the
    French refusal before anything is read or written, and no agent at all gets nothing."""
    fonction = getattr(importlib.import_module(module), nom)
    for role in Role:
        if role in PERMISSIONS[permission][0]:
            continue
        with pytest.raises(ErreurMetier) as refus:
            appel(fonction, s, Contexte(agent_id=agents[role], aujourdhui=JOUR))
        assert refus.value.message == PERMISSIONS[permission][1]
    with pytest.raises(ErreurMetier) as refus:
        appel(fonction, s, Contexte(agent_id=None, aujourdhui=JOUR))
    assert refus.value.message == MESSAGE_SANS_AGENT


def test_le_systeme_est_nomme_et_journalise_comme_tel(s, agents):
    from modele.journal import FiltreJournal, journaliser, lire_journal

    with pytest.raises(ValueError):
        Contexte.systeme("")
    systeme = Contexte.systeme("facturer", aujourdhui=JOUR)
    assert systeme.agent_id is None and systeme.est_systeme
    assert not Contexte(agent_id=None).est_systeme
    journaliser(s, systeme, "facturation", "regie", 1)
    journaliser(s, Contexte(agent_id=agents[Role.REGISSEUR], aujourdhui=JOUR), "creation", "x", 2)
    s.commit()
    admin = Contexte(agent_id=agents[Role.ADMIN], aujourdhui=JOUR)
    lignes, _ = lire_journal(s, admin, FiltreJournal())
    par_objet = {ligne.objet: ligne for ligne in lignes}
    assert (par_objet["regie"].agent, par_objet["regie"].canal) == ("Système (facturer)", "systeme")
    assert par_objet["x"].agent == "t-regisseur"
    # stored as such: the channel in canal, the task in a column of its own (0021)
    lignes_brutes = {j.objet: (j.canal, j.tache, j.agent_id) for j in s.exec(select(Journal))}
    assert lignes_brutes["regie"] == ("systeme", "facturer", None)
    assert lignes_brutes["x"] == ("guichet", "", agents[Role.REGISSEUR])


# Writers with a context that check no permission, on purpose: logging in and out, one's own
# password (the password is the right), the journal row of the caller's action, and the
# allocation of credits that every checked ledger action ends with.
SANS_PERMISSION = {
    "agents.changer_mot_de_passe",
    "agents.changer_mot_de_passe_et_connecter",
    "agents.connecter",
    "agents.enregistrer_connexion",
    "agents.enregistrer_deconnexion",
    "journal.journaliser",
    "reglements.lettrer",
}
_ECRIT = re.compile(
    r"session\.(add|add_all|delete|merge)\(|journaliser\(|\.execute\(\s*(insert|update|delete)\("
    r"|\binsert\(|\.__table__\.insert\("
)


def _fonctions_de_modele() -> dict[str, tuple[ast.FunctionDef, str, dict[str, str]]]:
    """Every top-level function of the rules modules: its node, source and the modele
    functions its module imports (name → "module.name")."""
    fonctions = {}
    for chemin in sorted(Path("modele").glob("*.py")):
        source = chemin.read_text()
        arbre = ast.parse(source)
        importes = {
            alias.asname or alias.name: f"{noeud.module.split('.')[-1]}.{alias.name}"
            for noeud in arbre.body
            if isinstance(noeud, ast.ImportFrom)
            and (noeud.module or "").startswith("modele.")
            and not noeud.module.startswith("modele.tables")
            for alias in noeud.names
        }
        for noeud in arbre.body:
            if isinstance(noeud, ast.FunctionDef):
                segment = ast.get_source_segment(source, noeud) or ""
                fonctions[f"{chemin.stem}.{noeud.name}"] = (noeud, segment, importes)
    return fonctions


# Writers that check through the checked action they begin with.
DELEGUENT = {"reglements.emettre_avoir_et_lettrer": "facturation.emettre_avoir"}


def test_toute_ecriture_publique_exige_son_droit():
    """A public function of modele that takes a context and writes (itself or through the
    functions it calls) checks its permission itself: `exiger` in its own body, not in a
    branch of something it calls."""
    fonctions = _fonctions_de_modele()

    def appels(nom: str) -> set[str]:
        noeud, _, importes = fonctions[nom]
        module = nom.split(".")[0]
        noms = {
            c.func.id
            for c in ast.walk(noeud)
            if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)
        }
        cibles = {importes.get(n, f"{module}.{n}") for n in noms}
        return {c for c in cibles if c in fonctions and c != nom}

    def ecrit(nom: str) -> bool:
        vus, pile = set(), [nom]
        while pile:
            courant = pile.pop()
            if courant in vus:
                continue
            vus.add(courant)
            if _ECRIT.search(fonctions[courant][1]):
                return True
            pile.extend(appels(courant))
        return False

    def exige(nom: str) -> bool:
        return "exiger(session, contexte" in fonctions[nom][1]

    ecrivains = {
        nom
        for nom, (noeud, _, _) in fonctions.items()
        if not noeud.name.startswith("_")
        and "contexte" in [a.arg for a in noeud.args.args]
        and nom not in SANS_PERMISSION
        and ecrit(nom)
    }
    assert len(ecrivains) > 50  # the audit sees the writers
    manquantes = sorted(
        nom
        for nom in ecrivains
        if not exige(nom) and not (nom in DELEGUENT and exige(DELEGUENT[nom]))
    )
    assert manquantes == []
