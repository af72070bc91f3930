"""`guichet web` without a browser: the page, the websocket's origin, a session closed with
its tab; and the logout journaled however the session ends (terminal or browser)."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import re
import shutil

import aiohttp
import pytest
from sqlmodel import select
from textual.widgets import Input

from modele.journal import Journal
from tests.conftest import JOUR_SEED
from tests.serveur_web import attendre, lignes_journal, serveur_guichet
from tui.config import Reglages
from tui.connexion import EcranConnexion
from tui.web import commande_app, environnement_app, origine_admise

TAILLE = (120, 40)


def test_origine_du_navigateur():
    assert origine_admise(None, "127.0.0.1:8080", None)
    assert origine_admise("http://127.0.0.1:8080", "127.0.0.1:8080", None)
    assert not origine_admise("https://ailleurs.example", "127.0.0.1:8080", None)
    # Behind the proxy: the public address, whatever Host the proxy passed on.
    public = "https://guichet.mairie.example"
    assert origine_admise("https://guichet.mairie.example", "127.0.0.1:8080", public)
    assert not origine_admise("http://127.0.0.1:8080", "127.0.0.1:8080", public)


def test_chaque_onglet_herite_de_la_base_et_de_la_date(tmp_path):
    regl = Reglages(db_url="sqlite:////srv/guichet.db", date_fixe=dt.date(2015, 5, 4))
    regl.api_url = "local"
    env = environnement_app(regl)
    assert env["GUICHET_DB_URL"] == "sqlite:////srv/guichet.db"
    assert env["GUICHET_DATE"] == "2015-05-04"
    assert env["GUICHET_API_PARTICULIER_URL"] == "local"
    assert env["GUICHET_DATA_DIR"] == str(regl.dossier)
    assert commande_app().endswith("-m tui")


class Ecran:
    """What a tab's terminal shows, from what the app sends it: Textual places every piece of
    line it draws (ESC [ row ; col H); colours and the other sequences are skipped."""

    SEQUENCE = re.compile(r"\x1b\[([0-9;?]*)([@-~])|\x1b[^\[]|([^\x1b])", re.S)

    def __init__(self, largeur: int, hauteur: int) -> None:
        self.cases = [[" "] * largeur for _ in range(hauteur)]
        self.ligne = self.colonne = 0

    def recevoir(self, texte: str) -> None:
        for m in self.SEQUENCE.finditer(texte):
            if m.group(2) == "H":
                ligne, _, colonne = m.group(1).partition(";")
                self.ligne, self.colonne = int(ligne or 1) - 1, int(colonne or 1) - 1
            elif m.group(3) and m.group(3) not in "\r\n":
                if 0 <= self.ligne < len(self.cases) and 0 <= self.colonne < len(self.cases[0]):
                    self.cases[self.ligne][self.colonne] = m.group(3)
                self.colonne += 1

    @property
    def lignes(self) -> list[str]:
        return ["".join(ligne) for ligne in self.cases]


async def _attendre(ws, ecran: Ecran, condition) -> None:
    """Read what the app draws until the screen meets `condition`."""
    try:
        async with asyncio.timeout(20):
            while not condition(ecran.lignes):
                message = await ws.receive()
                assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), message
                if isinstance(message.data, bytes):
                    ecran.recevoir(message.data.decode("utf-8", "replace"))
    except TimeoutError:
        raise AssertionError("attendu en vain ; l'écran :\n" + "\n".join(ecran.lignes)) from None


def _montre(texte: str):
    return lambda lignes: any(texte in ligne for ligne in lignes)


def _mot_de_passe_actif(lignes: list[str]) -> bool:
    """The focused field wears a heavy frame (connexion.tcss): the password's, under its label."""
    i = next((i for i, ligne in enumerate(lignes) if "Mot de passe" in ligne), None)
    return i is not None and "┏" in lignes[i + 1]


async def test_page_servie_et_onglet_ferme(fichier_demo, tmp_path):
    fichier = tmp_path / "guichet.db"
    shutil.copy(fichier_demo, fichier)
    with serveur_guichet(fichier, "2015-05-04", tmp_path / "serveur.log") as url:
        async with aiohttp.ClientSession() as client:
            async with client.get(url) as reponse:
                page = await reponse.text()
            assert "Guichet Famille" in page and "googleapis" not in page
            assert "Session terminée." in page and "Nouvelle session" in page
            assert "Session ended" not in page and "Restart" not in page
            [css] = re.findall(r"data:text/css;base64,([A-Za-z0-9+/=]+)", page)
            police = f"{url}static/fonts/RobotoMono-VariableFont_wght.ttf"
            assert police in base64.b64decode(css).decode()
            async with client.get(police) as reponse:
                assert reponse.status == 200

            # A page of another site may not open a session.
            with pytest.raises(aiohttp.WSServerHandshakeError) as refus:
                await client.ws_connect(f"{url}ws", origin="https://ailleurs.example")
            assert refus.value.status == 403

            async with client.ws_connect(f"{url}ws?width=120&height=40", origin=url[:-1]) as ws:
                ecran = Ecran(120, 40)
                await _attendre(ws, ecran, _montre("Veuillez vous identifier"))
                await ws.send_json(["stdin", "accueil\r"])
                # (keys typed before the password field has the focus go to the login's)
                await _attendre(ws, ecran, _mot_de_passe_actif)
                await ws.send_json(["stdin", "Accueil2026\r"])
                await _attendre(ws, ecran, _montre("Rechercher une famille"))
                assert len(lignes_journal(fichier, "connexion")) == 1
            # The tab closed: its process stops, and the session ends in the journal.
            fins = attendre(
                lambda: lignes_journal(fichier, "deconnexion"), 10, "la déconnexion au journal"
            )
    assert [f.detail for f in fins] == ["navigateur : onglet fermé ou serveur arrêté"]
    assert fins[0].agent_id == lignes_journal(fichier, "connexion")[0].agent_id


def _deconnexions(session) -> list[Journal]:
    session.expire_all()
    return list(session.exec(select(Journal).where(Journal.action == "deconnexion")).all())


async def _entrer(pilot) -> None:
    ecran = pilot.app.screen
    ecran.query_one("#identifiant", Input).value = "accueil"
    ecran.query_one("#mot_de_passe", Input).value = "Accueil2026"
    ecran.query_one("#mot_de_passe", Input).focus()
    await pilot.press("enter")
    await pilot.pause()


async def test_deconnexion_journalisee(fabrique_app, session):
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=TAILLE) as pilot:
        await _entrer(pilot)
        agent_id = app.agent.id
        await pilot.press("escape", "o")
        await pilot.pause()
        assert isinstance(app.screen, EcranConnexion)
    app.apres_fermeture()  # nobody logged in any more: nothing more to journal
    [fin] = _deconnexions(session)
    assert (fin.agent_id, fin.detail, fin.objet_id) == (agent_id, "déconnexion", agent_id)


async def test_fin_de_l_application_journalisee(fabrique_app, session):
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=TAILLE) as pilot:
        await _entrer(pilot)
        await pilot.press("ctrl+q")
    assert app.agent is not None
    app.apres_fermeture()  # what `guichet` does once the app has stopped
    assert app.agent is None
    assert [f.detail for f in _deconnexions(session)] == ["fin de l'application (ctrl+q)"]
