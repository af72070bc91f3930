"""One clock: every date and time shown or stored comes from the app's clock (--date too)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from sqlmodel import select
from textual.widgets import Input

from ecrans.agents import EcranAgents
from ecrans.journal import EcranJournal
from modele.agents import Agent, Role, authentifier, creer_agent, enregistrer_connexion
from modele.base import Contexte, ErreurMetier, maintenant_le
from modele.db import session as ouvrir
from modele.journal import Journal
from tests.conftest import JOUR_SEED
from tests.pilote import attendre, lignes
from tests.test_agents_app import aller_a, tenter
from tui.config import Reglages

RACINE = Path(__file__).resolve().parent.parent
HORLOGE_MACHINE = re.compile(
    r"\b(datetime\.now|datetime\.today|datetime\.utcnow|date\.today"
    r"|func\.now|time\.time|time\.localtime)\("
)


def test_l_horloge_de_la_machine_n_est_lue_qu_a_un_endroit():
    lectures = [
        f"{f.relative_to(RACINE)}:{n}"
        for dossier in ("modele", "ecrans", "tui", "exports")
        for f in sorted((RACINE / dossier).rglob("*.py"))
        for n, ligne in enumerate(f.read_text().splitlines(), 1)
        if HORLOGE_MACHINE.search(ligne)
    ]
    # one read, in horloge_reelle(), behind Contexte.maintenant and Reglages.maintenant
    assert [lecture.split(":")[0] for lecture in lectures] == ["modele/base.py"], lectures


def test_reglages_date_fixe_donne_le_jour_et_garde_l_heure():
    reglages = Reglages(db_url="sqlite://", date_fixe=JOUR_SEED)
    avant = dt.datetime.now()
    moment = reglages.maintenant()
    assert moment.date() == JOUR_SEED
    assert abs(dt.datetime.combine(avant.date(), moment.time()) - avant) < dt.timedelta(seconds=5)
    assert maintenant_le(JOUR_SEED).date() == JOUR_SEED


def test_verrou_et_journal_au_jour_du_contexte(s):
    contexte = Contexte(agent_id=None, aujourdhui=JOUR_SEED)  # no clock of its own: --date
    agent = creer_agent(
        s, Contexte.systeme("tests"), "guichet9", "LEROY", "Max", Role.ACCUEIL, "Leroy2026"
    )
    s.commit()
    for _ in range(5):
        try:
            authentifier(s, "guichet9", "Mauvais1", contexte.maintenant())
        except ErreurMetier:
            pass
    verrou = s.get(Agent, agent.id).verrouille_jusqu_a
    assert verrou is not None and verrou.year == 2015
    enregistrer_connexion(s, contexte.avec(agent_id=agent.id), agent.id)
    s.commit()
    ligne = s.exec(select(Journal).where(Journal.agent_id == agent.id)).one()
    assert ligne.horodatage.date() == JOUR_SEED
    assert s.get(Agent, agent.id).derniere_connexion.date() == JOUR_SEED


async def test_verrou_et_journal_sous_date_fixe_dans_l_app(fabrique_app, engine):
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=(150, 45)) as pilot:
        for _ in range(5):
            message = await tenter(pilot, "regie", "Mauvais2026")
        assert message.startswith("Compte verrouillé jusqu'à ")
        with ouvrir(engine) as session:
            verrou = session.exec(
                select(Agent.verrouille_jusqu_a).where(Agent.identifiant == "regie")
            ).one()
        assert verrou.year == 2015  # not the machine's year
        assert await tenter(pilot, "admin", "Admin2026") == ""
        await pilot.press("f8")
        await attendre(pilot, lambda: isinstance(app.screen, EcranAgents))
        await aller_a(pilot, "regie")
        assert lignes(app, "#agents")[2][5] == f"{verrou:%d/%m/%Y %H:%M}"
        await pilot.press("escape", "f9")
        await attendre(pilot, lambda: isinstance(app.screen, EcranJournal))
        app.screen.query_one("#filtre-du", Input).value = "04/05/2015"
        app.screen.query_one("#filtre-au", Input).value = "04/05/2015"
        app.screen.query_one("#filtre-agent", Input).value = "admin"
        app.screen.query_one("#filtre-agent", Input).focus()
        await pilot.press("enter")
        await attendre(
            pilot, lambda: any(ligne[3] == "connexion" for ligne in lignes(app, "#journal"))
        )
        assert all(ligne[0].startswith("04/05/2015") for ligne in lignes(app, "#journal"))
