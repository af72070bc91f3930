"""`guichet web` in a real browser: Debian's Chromium, driven by Playwright.

The agent logs in, finds DUPONT by his number pasted (ctrl+v), opens his file, goes through
the tabs by keys, downloads invoice AL-36's PDF from the Relevé, and closes the tab: the
page's text, the PDF's text and the journal are checked, and a screenshot of the Accueil is
kept in tests/resultats/.

Without Chromium or Playwright the test is skipped, saying why; CI sets
GUICHET_TEST_NAVIGATEUR=obligatoire (.ci/run), where it fails instead.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.serveur_web import attendre, lignes_journal, serveur_guichet

CHROMIUM = Path(os.environ.get("GUICHET_CHROMIUM", "/usr/bin/chromium"))
RESULTATS = Path(__file__).resolve().parent / "resultats"
DELAI = 10_000  # ms at most for one state of the page (a loaded machine)

# xterm.js draws on a canvas: the text is read from its buffer. The page keeps no handle on
# its terminal, so one is caught as it is built: xterm's Terminal sets `this._core` once.
CAPTURE_TERMINAL = """
window.__terminaux = [];
Object.defineProperty(Object.prototype, "_core", {
  configurable: true,
  set(valeur) {
    Object.defineProperty(this, "_core", {
      value: valeur, writable: true, configurable: true, enumerable: true,
    });
    window.__terminaux.push(this);
  },
});
"""
TEXTE_TERMINAL = """() => {
  const t = (window.__terminaux || []).find((t) => t.buffer && t.buffer.active && t.rows);
  if (!t) return "";
  const tampon = t.buffer.active;
  const lignes = [];
  for (let i = 0; i < t.rows; i++) {
    const ligne = tampon.getLine(tampon.viewportY + i);
    lignes.push(ligne ? ligne.translateToString(true) : "");
  }
  return lignes.join("\\n");
}"""
CONTIENT = f"""(attendus) => {{
  const texte = ({TEXTE_TERMINAL})();
  return attendus.every((a) => texte.includes(a));
}}"""


# The focused field wears a heavy frame (connexion.tcss): the password's, under its label.
MOT_DE_PASSE_ACTIF = f"""() => {{
  const lignes = ({TEXTE_TERMINAL})().split("\\n");
  const i = lignes.findIndex((l) => l.includes("Mot de passe"));
  return i >= 0 && i + 1 < lignes.length && lignes[i + 1].includes("┏");
}}"""


def _sync_playwright():
    """Playwright and Chromium, or the reason they are missing (a skip locally, a failure
    where CI requires the browser test)."""
    raison = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raison = "Playwright absent (pip install -e '.[test]')"
    if raison is None and not CHROMIUM.exists():
        raison = f"Chromium absent ({CHROMIUM}) : apt-get install chromium"
    if raison is None:
        return sync_playwright
    if os.environ.get("GUICHET_TEST_NAVIGATEUR") == "obligatoire":
        pytest.fail(f"test navigateur obligatoire ici, mais {raison}")
    pytest.skip(raison)


def _attendre_texte(page, *attendus: str) -> str:
    try:
        page.wait_for_function(CONTIENT, arg=list(attendus), timeout=DELAI)
    except Exception as erreur:
        raise AssertionError(
            f"attendu à l'écran : {attendus!r}\n--- écran ---\n{page.evaluate(TEXTE_TERMINAL)}"
        ) from erreur
    return page.evaluate(TEXTE_TERMINAL)


def _texte_pdf(chemin: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() or "" for p in PdfReader(chemin).pages)


def test_guichet_web_dans_chromium(fichier_demo, tmp_path):
    sync_playwright = _sync_playwright()
    fichier = tmp_path / "guichet.db"
    shutil.copy(fichier_demo, fichier)
    RESULTATS.mkdir(exist_ok=True)
    capture = RESULTATS / "web-accueil.png"
    capture.unlink(missing_ok=True)

    with (
        serveur_guichet(fichier, "2015-05-04", tmp_path / "serveur.log") as url,
        sync_playwright() as p,
    ):
        navigateur = p.chromium.launch(executable_path=str(CHROMIUM))
        try:
            contexte = navigateur.new_context(
                viewport={"width": 1280, "height": 860}, accept_downloads=True
            )
            # Nothing is asked of another site (textual-serve's page asked Google for its
            # font): every request goes to the server, the others are refused and counted.
            ailleurs: list[str] = []

            def _ailleurs(route) -> None:
                ailleurs.append(route.request.url)
                route.abort()

            contexte.route(lambda u: not u.startswith(url), _ailleurs)
            polices: list[str] = []  # ... and the font comes from the server itself
            contexte.on("request", lambda r: "/static/fonts/" in r.url and polices.append(r.url))
            # A PDF comes as a download in a new tab (textual-serve's window.open).
            telechargements = []

            def _telecharge(telechargement) -> None:
                telechargements.append(telechargement)

            contexte.on("page", lambda nouvelle: nouvelle.on("download", _telecharge))
            page = contexte.new_page()
            page.add_init_script(CAPTURE_TERMINAL)
            page.goto(url)

            # The login screen, and nothing of a family before it.
            ecran = _attendre_texte(page, "Veuillez vous identifier", "Se connecter")
            assert "DUPONT" not in ecran and "DUPONT" not in page.content()
            page.locator(".xterm-helper-textarea").focus()
            page.keyboard.type("accueil")
            page.keyboard.press("Enter")
            # (keys typed before the password field has the focus would go to the login's)
            page.wait_for_function(MOT_DE_PASSE_ACTIF, timeout=DELAI)
            page.keyboard.type("Accueil2026")
            page.keyboard.press("Enter")
            _attendre_texte(page, "Rechercher une famille")

            # ctrl+v pastes, as in any page (xterm.js sent it to the app as a key).
            contexte.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
            page.evaluate("navigator.clipboard.writeText('1001001818331')")
            page.keyboard.press("Control+V")
            _attendre_texte(page, "1001001818331", "DUPONT JEAN")
            page.keyboard.press("Enter")
            ecran = _attendre_texte(page, "Bienvenue JEAN DUPONT", "AL-36")
            assert "120,60" in ecran
            page.screenshot(path=str(capture))
            assert ailleurs == [] and polices

            # The tabs by their keys: Mon compte, then the Relevé (AL-36 on its first line).
            page.keyboard.press("2")
            _attendre_texte(page, "Infos Responsable")
            page.keyboard.press("4")
            _attendre_texte(page, "AL-36", "AL-228", "AL-12")

            with page.expect_popup(timeout=DELAI) as attente:
                page.keyboard.press("i")
            onglet_pdf = attente.value
            telechargement = (
                telechargements[0]
                if telechargements
                else onglet_pdf.wait_for_event("download", timeout=DELAI)
            )
            assert telechargement.suggested_filename.endswith(".pdf")
            pdf = tmp_path / telechargement.suggested_filename
            telechargement.save_as(pdf)
            assert pdf.read_bytes().startswith(b"%PDF")
            texte = _texte_pdf(pdf)
            assert "AL-36" in texte and "120,60" in texte and "DUPONT" in texte
            _attendre_texte(page, "PDF enregistré", "téléchargé par le navigateur")
            # Nothing of it on the server's disk: the agent is not there.
            assert not list((Path(os.environ["GUICHET_DATA_DIR"]) / "exports").glob("*"))

            # Closing the tab ends the app's process and the agent's session.
            onglet_pdf.close()
            page.close()
            fins = attendre(
                lambda: lignes_journal(fichier, "deconnexion"), 10, "la déconnexion au journal"
            )
            assert [f.detail for f in fins] == ["navigateur : onglet fermé ou serveur arrêté"]
            assert len(lignes_journal(fichier, "connexion")) == 1
        finally:
            navigateur.close()
    print(f"capture de l'Accueil dans le navigateur : {capture}")
