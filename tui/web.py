"""`guichet web`: the same app in a web browser (textual-serve), one app process per tab.

Each tab that opens the page gets its own `python -m tui` process, on the login screen, with
the base, the date and the data folder of the server (inherited through the environment);
closing the tab stops that process, and its agent's session ends in the journal.
"""

from __future__ import annotations

import base64
import os
import shlex
import sys
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from textual_serve.server import Server

from tui.config import Reglages

TITRE = "Guichet Famille"


def commande_app() -> str:
    """The shell command textual-serve runs for each tab: this Python, this app."""
    return shlex.join([sys.executable, "-m", "tui"])


def environnement_app(regl: Reglages) -> dict[str, str]:
    """What each tab's process must share with the server: base, today, data folder, API."""
    env = {"GUICHET_DB_URL": regl.db_url, "GUICHET_DATA_DIR": str(regl.dossier)}
    if regl.date_fixe is not None:
        env["GUICHET_DATE"] = regl.date_fixe.isoformat()
    if regl.api_url:
        env["GUICHET_API_PARTICULIER_URL"] = regl.api_url
    return env


def origine_admise(origine: str | None, hote: str, url_publique: str | None) -> bool:
    """A page of another site may not open a session here (cross-site WebSocket hijacking):
    a browser's Origin must be the address it reached this server by. (A program that is
    not a browser sends none; it has no agent's cookies to borrow either.)"""
    if not origine:
        return True
    attendu = urlsplit(url_publique).netloc if url_publique else hote
    return urlsplit(origine).netloc.lower() == attendu.lower()


# textual-serve's page asks Google Fonts for Roboto Mono, which it ships itself: the
# agents' browsers load it from here instead (no request to a third party, RGPD).
POLICES_GOOGLE = "https://fonts.googleapis.com/css?family=Roboto%20Mono"
POLICE = """@font-face {{
  font-family: "Roboto Mono";
  src: url("{statiques}fonts/RobotoMono-{nom}VariableFont_wght.ttf") format("truetype");
  font-weight: 100 700;
  font-style: {style};
}}
"""


# ctrl+v pastes, as everywhere in a browser: xterm.js sent it to the app as a key, and only
# ctrl+shift+v pasted. Stopped before xterm's own handler sees it, the key keeps its
# default action, the browser's paste, which xterm hands to the app as pasted text.
SCRIPT_COLLER = """<script>
window.addEventListener("keydown", (e) => {
  if (e.ctrlKey && !e.shiftKey && !e.altKey && !e.metaKey && e.key.toLowerCase() === "v") {
    e.stopPropagation();
  }
}, true);
</script>
"""

# The page's own words, in French (the app's are already), and its paste key.
MOTS_DE_LA_PAGE = (
    ("<html>", '<html lang="fr">'),
    ("</head>", SCRIPT_COLLER + "</head>"),
    ('id="start">Start</button>', 'id="start">Ouvrir une session</button>'),
    ("Session ended.", "Session terminée."),
    ('onClick="refresh()">Restart</button>', 'onClick="refresh()">Nouvelle session</button>'),
)
BOUCLES = {"127.0.0.1", "::1", "localhost"}


def polices_locales(statiques: str) -> str:
    """The page's font stylesheet, as a data: URL naming the server's own font files."""
    css = POLICE.format(statiques=statiques, nom="", style="normal") + POLICE.format(
        statiques=statiques, nom="Italic-", style="italic"
    )
    return "data:text/css;base64," + base64.b64encode(css.encode()).decode()


class ServeurGuichet(Server):
    """textual-serve's server, with the app's title, French words at start, the page's
    addresses taken from the request (or `url_publique` behind a reverse proxy), its font
    served from here, and the websocket refused to pages of other sites."""

    def __init__(self, hote: str, port: int, url_publique: str | None = None) -> None:
        super().__init__(commande_app(), host=hote, port=port, title=TITRE, public_url=url_publique)
        self.url_publique = url_publique.rstrip("/") if url_publique else None
        self.adresse = self.url_publique or f"http://{_hote_url(hote)}:{port}"

    async def on_startup(self, app: web.Application) -> None:
        self.console.print(
            f"Guichet Famille servi sur {self.adresse} : chaque onglet du navigateur ouvre "
            "sa propre session (ctrl+c arrête le serveur et ses sessions).",
            highlight=False,
        )
        if self.host not in BOUCLES and self.url_publique is None:
            self.console.print(
                f"Attention : {self.host} n'est pas l'adresse de boucle locale et rien n'est "
                "chiffré ; placez le serveur derrière le proxy inverse de la mairie (TLS, "
                "--url-publique), voir le README.",
                highlight=False,
            )

    async def handle_index(self, request: web.Request) -> Any:
        # The page names the websocket and the static files by absolute address: the one
        # the browser used (loopback, the machine's name…), unless a public URL is given.
        # (No await before the template reads it: no other request can come in between.)
        self.public_url = self.url_publique or f"{request.scheme}://{request.host}"
        reponse = await super().handle_index(request)
        page = reponse.text.replace(POLICES_GOOGLE, polices_locales(f"{self.public_url}/static/"))
        for anglais, francais in MOTS_DE_LA_PAGE:
            page = page.replace(anglais, francais)
        reponse.text = page
        return reponse

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        if not origine_admise(request.headers.get("Origin"), request.host, self.url_publique):
            raise web.HTTPForbidden(text="Origine refusée.")
        return await super().handle_websocket(request)


def _hote_url(hote: str) -> str:
    return f"[{hote}]" if ":" in hote else hote


def servir(regl: Reglages, hote: str, port: int, url_publique: str | None = None) -> None:
    """Serve the app until ctrl+c (or SIGTERM), which stops the tabs' processes too."""
    os.environ.update(environnement_app(regl))
    ServeurGuichet(hote, port, url_publique).serve()
