"""The Textual application: wires the screens, the global keys and the command palette."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events, work
from textual.app import App
from textual.binding import Binding

from ecrans.compat_textual import (
    PaletteEnFrancais,
    carte_paresseuse_sans_trace,
    cases_lisibles_sans_couleur,
    collage_tronque,
    colonnes_mesurees_redessinees,
    construire_ecran,
    coupures_a_la_francaise,
    focus_sans_restyle_des_descendants,
    fond_cache_non_redessine,
    fond_de_dialogue_direct,
    installer_filet,
    liste_deroulante_en_francais,
    styles_au_montage,
    teinte_en_cache,
    titre_a_la_largeur,
    un_rendu_par_image,
)
from tui.config import Reglages
from tui.connexion import EcranConnexion
from tui.palette import CommandesGuichet, FamillesProvider
from tui.tas import (
    REPOS,
    collecter_au_repos,
    figer_la_session,
    rendre_la_session,
    reprendre_apres_lancement,
)

if TYPE_CHECKING:
    from textual.content import Content
    from textual.notifications import SeverityLevel
    from textual.timer import Timer
    from textual.worker import Worker

    from ecrans.famille import EcranFamille
    from ecrans.garde import EcranGarde
    from ecrans.tableau_de_bord import EcranTableauDeBord
    from modele.agents import FicheAgent
    from modele.base import Canal, Contexte
    from modele.db import Engine

T = TypeVar("T")

# The service's screens that need a right. The F-key, the footer, F1's list and the
# palette offer each only to the roles that have it; the key pressed anyway says why not.
# Seconds after a key or a click before a screen or dialog is built ahead (`_remis_apres_frappe`).
PAUSE_PREPARATION = 0.3
# The header's icon and clock (Textual's Header: 8 and 10 columns).
LARGEUR_ICONE_ET_HORLOGE = 18
DROIT_DES_ECRANS = {
    "caisse": "cloturer",
    "calendrier": "modifier_calendrier",
    "agents": "gerer_agents",
    "journal": "lire_journal",
    "tableau_de_bord": "tableau_de_bord",
}
# The screens and keys of a logged-in agent only.
ECRANS_DU_SERVICE = frozenset(
    {
        "demandes_a_traiter",
        "boite_service",
        "caisse",
        "calendrier",
        "campagne_qf",
        "facturation",
        "agents",
        "journal",
        "tableau_de_bord",
        "verrouiller",
    }
)

# The login screen shows before the domain (SQLModel, SQLAlchemy, babel) is imported: it
# loads in a thread while the agent types (tests: the app is built with an engine anyway).


class GuichetApp(App[None]):
    TITLE = "Guichet Famille"
    # The launch parses the login screen's styles only; the others once it is shown.
    CSS_PATH = Path(__file__).with_name("connexion.tcss")
    STYLES_DES_ECRANS = Path(__file__).with_name("guichet.tcss")
    # Not App.COMMANDS: Textual's own entries (Keys, Quit, Theme, Screenshot…) are English
    # and offer what the counter does not need; CommandesGuichet has the French ones.
    COMMANDS = {FamillesProvider, CommandesGuichet}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quitter", priority=True),
        Binding("f1", "aide_touches", "Touches"),
        Binding("f2", "demandes_a_traiter", "Demandes à traiter"),
        Binding("f3", "boite_service", "Messages"),
        Binding("f4", "caisse", "Caisse"),
        Binding("f5", "calendrier", "Calendrier"),
        Binding("f6", "facturation", "Facturation"),
        Binding("f7", "campagne_qf", "Campagne QF"),
        Binding("f8", "agents", "Agents"),
        Binding("f9", "journal", "Journal"),
        Binding("f11", "tableau_de_bord", "Tableau de bord"),
        # (over a dialog too: the agent leaves the counter with a form open)
        Binding("f12", "verrouiller", "Verrouiller", priority=True),
    ]

    # While the counter is locked: the global keys, the palette and leaving the session.
    _BLOQUEES = frozenset(
        {b.action for b in BINDINGS} | {"command_palette", "recherche", "deconnexion"}
    )
    _ECRAN_DE_LA_TOUCHE = {b.key: b.action for b in BINDINGS if b.action in DROIT_DES_ECRANS}

    def __init__(
        self, reglages: Reglages, engine: Engine | None = None, a_verifier: bool = False
    ) -> None:
        """`a_verifier`: the base has not been checked yet (a server: `guichet` leaves it
        to after the first frame); if it is not at the newest schema or cannot be reached,
        the app stops with `a_rouvrir` set, for `guichet` to open it the usual way."""
        super().__init__()
        self.reglages = reglages
        self._engine = engine
        self._a_verifier = a_verifier and engine is None
        self.a_rouvrir = False
        self._verrou_engine = threading.Lock()
        self.agent: FicheAgent | None = None
        self._canal: Canal | None = None
        self._canal_avant_appel: Canal | None = None
        self.appel_id: int | None = None
        self.verrouillee = False
        self._ecran_famille: EcranFamille | None = None  # kept for the agent's session
        self._ecran_tableau: EcranTableauDeBord | None = None  # F11, kept likewise
        self._ecrans_gardes: dict[str, EcranGarde] = {}  # F2…F9, kept likewise
        self._activite = time.monotonic()
        self._integrite_verifiee = False
        self.erreurs_inattendues: list[BaseException] = []  # (tests check it stays empty)
        self._derniere_alerte = 0.0
        self.enregistrements = 0  # actions committed (the safety net says what was saved)
        self._touches_retenues: list[events.Key] | None = None  # while a dialog opens
        self._retenue_fin = 0.0
        self._retenue_worker: Worker | None = None
        self._retenue_minuterie: Timer | None = None
        self.dernier_enregistrement = 0.0  # monotonic time of the last one
        self.servie = False  # run in a web browser (guichet web): known once running
        # Dialogs kept once built, by kind and forme (ecrans.widgets.dialogue_garde); those
        # of the family file are built ahead after login (`preparer_d_avance`).
        self.dialogues_gardes: dict[tuple[type, Any], Any] = {}
        # The header's sub-title and its shorter forms (`format_title`).
        self._formes_sous_titre: dict[str, list[str]] = {}
        self._quittee = False  # ended by ctrl+q (else: the tab closed, a signal)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A notification shows its text as typed: messages quote names, subjects and
        reasons, and the app's own use no markup (a screen's notify asks for markup by
        default, so it is ignored here)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    @property
    def aujourdhui(self):
        return self.reglages.aujourdhui

    def maintenant(self):
        """The app's clock (--date included): every time shown or stored comes from it."""
        return self.reglages.maintenant()

    @property
    def engine(self) -> Engine:
        """The database, opened on first use (the CLI has checked a SQLite file already; a
        server is checked here, so that a login waits for it)."""
        with self._verrou_engine:  # the warm-up thread may ask at the same time
            if self._engine is None:
                from modele.base import ErreurMetier
                from modele.db import creer_engine

                if self._a_verifier:
                    engine = None if self.a_rouvrir else self._ouvrir_serveur()
                    if engine is None:
                        self.a_rouvrir = True
                        raise ErreurMetier(
                            "La base n'a pas pu être ouverte : fin de l'application."
                        )
                    self._engine = engine
                else:
                    self._engine = creer_engine(self.reglages.db_url)
        return self._engine

    def _ouvrir_serveur(self) -> Engine | None:
        """The engine, if the server answers and its base is at the newest schema; None
        otherwise (whatever the reason: `guichet` opens it again the usual way, to migrate
        it or to say what is wrong, as it did before the first frame)."""
        from modele.db import REVISION_COURANTE, creer_engine, revision

        try:
            engine = creer_engine(self.reglages.db_url)
        except Exception:
            return None
        try:
            if revision(engine) == REVISION_COURANTE:
                return engine
        except Exception:
            pass
        engine.dispose()
        return None

    @property
    def canal(self) -> Canal:
        if self._canal is None:
            from modele.base import Canal

            self._canal = Canal.GUICHET
        return self._canal

    @canal.setter
    def canal(self, valeur: Canal) -> None:
        self._canal = valeur

    @property
    def canal_avant_appel(self) -> Canal:
        if self._canal_avant_appel is None:
            from modele.base import Canal

            self._canal_avant_appel = Canal.GUICHET
        return self._canal_avant_appel

    @canal_avant_appel.setter
    def canal_avant_appel(self, valeur: Canal) -> None:
        self._canal_avant_appel = valeur

    def client_api(self):
        """The API Particulier client of the configuration; "local" starts the loopback
        stand-in once (demo and tests never call the real service)."""
        from modele.api_particulier import ClientAPIParticulier
        from modele.structure import collectivite

        url, jeton = self.reglages.api_url, self.reglages.api_jeton
        if url == "local":
            from data.api_particulier_local import JETON, ServeurLocal

            if getattr(self, "_serveur_api", None) is None:
                self._serveur_api = ServeurLocal().demarrer()
            url, jeton = self._serveur_api.url, JETON
        siret = self.lire(collectivite).siret
        return ClientAPIParticulier(url, jeton, siret)

    # --- the one boundary between the screens and the database ---------------------------
    # A screen passes a modele function and its arguments; the session is given as the
    # first argument. Screens hold no session, no SQL and no commit.

    def lire(self, fonction: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """`fonction(session, ...)` without the write lock (a search never waits on another
        counter's write); a busy base raises `ErreurMetier` with the French message."""
        from modele.db import lire

        return lire(self.engine, lambda session: fonction(session, *args, **kwargs))

    def agir(self, fonction: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """`fonction(session, ...)` as one transaction, committed if it returns, rolled back
        if it raises; `ErreurMetier` (a rule, a busy base) goes to the caller for the field."""
        from modele.db import agir

        resultat = agir(self.engine, lambda session: fonction(session, *args, **kwargs))
        self.enregistrements += 1
        self.dernier_enregistrement = time.monotonic()
        return resultat

    def agir_ou_signaler(
        self, fonction: Callable[..., T], /, *args: Any, **kwargs: Any
    ) -> tuple[bool, T | None]:
        """As `agir`, but an `ErreurMetier` is shown as a notification: (done, result)."""
        from modele.base import ErreurMetier

        try:
            return True, self.agir(fonction, *args, **kwargs)
        except ErreurMetier as erreur:
            self.notify(erreur.message, severity="error", timeout=8)
            return False, None

    def contexte(self) -> Contexte:
        from modele.base import Contexte

        return Contexte(
            agent_id=self.agent.id if self.agent else None,
            canal=self.canal,
            aujourdhui=self.aujourdhui,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The service's screens only once an agent is logged in, and only those the
        agent's role may open (hidden from the footer and F1, the key does nothing);
        nothing but the password while the counter is locked."""
        if self.verrouillee and action in self._BLOQUEES:
            return False
        if action in ECRANS_DU_SERVICE:
            return self.peut_ouvrir(action)
        return True

    DIALOGUE_OUVERT = "Fermez d'abord la fenêtre ouverte (Échap) : la palette la cacherait."

    @property
    def dialogue_ouvert(self) -> bool:
        """A dialog on screen (a form, a question): the palette's screen pushed above it hid
        it, and it came back later, what was typed then going into it. (The F-keys of the
        service's screens are not bindings of a dialog: they do nothing there.)"""
        from textual.screen import ModalScreen

        from ecrans.widgets import SaisieGardee

        ecran = self.screen
        # (a full screen with a form typed in too: the QF declaration)
        return isinstance(ecran, ModalScreen) or (
            isinstance(ecran, SaisieGardee) and ecran.saisie_modifiee()
        )

    def peut_ouvrir(self, action: str) -> bool:
        """May the agent logged in open this service screen (its F-key, the palette)?"""
        if self.agent is None:
            return False
        droit = DROIT_DES_ECRANS.get(action)
        if droit is None:
            return True
        from modele.agents import peut

        return peut(self.agent, droit)

    def on_key(self, event: events.Key) -> None:
        """A key left to the app: the F-key of a screen the role may not open is not
        offered, and says why in French once pressed."""
        action = self._ECRAN_DE_LA_TOUCHE.get(event.key)
        if action is None or self.agent is None or self.verrouillee:
            return
        if not self.peut_ouvrir(action):
            from modele.agents import PERMISSIONS

            self.notify(PERMISSIONS[DROIT_DES_ECRANS[action]].refus, severity="error", timeout=8)

    def on_mount(self) -> None:
        self.servie = self.is_web
        self.push_screen(EcranConnexion())
        self.call_after_refresh(self._prechauffer)
        self.call_after_refresh(self.charger_styles)
        delai = self.reglages.verrouillage_minutes * 60
        if delai > 0:
            self.set_interval(min(10.0, delai / 4), self._verifier_inactivite)
        self.set_interval(0.5, self._collecter_au_repos)
        self.set_interval(20.0, self.veiller_minuit)

    def charger_styles(self) -> None:
        """The styles of every screen but the login one (guichet.tcss), read once: after
        the login screen's first frame, or before any other screen is pushed."""
        if self.stylesheet.has_source(str(self.STYLES_DES_ECRANS)):
            return
        self.stylesheet.read(self.STYLES_DES_ECRANS)
        self.stylesheet.parse()  # (the sources already parsed come from its cache)
        self.stylesheet.update(self)

    def _collecter_au_repos(self) -> None:
        """The session's garbage collected while the agent is idle (tui/tas.py)."""
        collecter_au_repos(time.monotonic() - self._activite, occupee=bool(self.workers))

    @work(thread=True, exclusive=True, group="prechauffage", exit_on_error=False)
    def _prechauffer(self) -> None:
        """After the first frame: import the domain and open the database, so that the
        login and the first search do not wait for them (a failure here is only a warm-up
        missed: the same work happens again where it is needed). Then the garbage
        collector held since the launch comes back (tui/tas.py)."""
        try:
            self._importer_et_ouvrir()
        finally:
            reprendre_apres_lancement()

    def _importer_et_ouvrir(self) -> None:
        import modele  # noqa: F401
        from modele.base import ErreurMetier
        from modele.formats import date_longue

        date = date_longue(self.aujourdhui)
        try:
            engine = self.engine
        except ErreurMetier:
            if self.a_rouvrir and self.is_running:
                self.call_from_thread(self.exit, return_code=1)
            return
        with engine.connect():
            pass
        if self.is_running:
            self.call_from_thread(self._date_du_jour, date)

    def _date_du_jour(self, date: str) -> None:
        if self.agent is None:
            self.sub_title = date
            self._jour_entete = self.aujourdhui

    async def on_event(self, event: events.Event) -> None:
        # Any key or mouse event is activity at the counter; the event goes on as usual.
        if isinstance(event, events.InputEvent):
            self._activite = time.monotonic()
        if self._touches_retenues is not None and isinstance(event, events.Key):
            # For the dialog that is opening: a key typed now, or one typed after the
            # key that opens it and sent on to the screen beneath before that key acted
            # (it comes back here, unused, to be matched with the app's bindings).
            self._touches_retenues.append(event)
            return
        await super().on_event(event)

    # --- keys typed while a dialog opens -------------------------------------------------
    # A key opens a dialog (its screen is built, or a worker pushes it); the keys typed
    # meanwhile would go to the screen beneath, or to the dialog before it has a focused
    # field, and be lost. They are held, in order, and given to the dialog once its first
    # field has the focus (ecrans.widgets.Modale calls `relacher_touches`).

    # seconds: a dialog that does not come lets the keys go on (a dialog built is pushed
    # and releases them when ready; a loaded machine can take seconds to get there)
    RETENUE_MAX = 10.0

    def retenir_touches(self, worker: Worker | None = None) -> None:
        """A dialog is coming (from `worker`, if given: if it ends without one, the keys
        go on at once)."""
        if self._touches_retenues is None:
            self._touches_retenues = []
        self._retenue_fin = time.monotonic() + self.RETENUE_MAX
        self._retenue_worker = worker
        if self._retenue_minuterie is None:
            self._retenue_minuterie = self.set_interval(0.05, self._surveiller_retenue)

    def _surveiller_retenue(self) -> None:
        worker = self._retenue_worker
        if time.monotonic() > self._retenue_fin or (worker is not None and worker.is_finished):
            self.relacher_touches()

    def relacher_touches(self) -> None:
        """The dialog is ready: the keys held go to it, in the order typed (handled in
        the app's own turn, before any key typed after them)."""
        if self._retenue_minuterie is not None:
            self._retenue_minuterie.stop()
            self._retenue_minuterie = None
        self._retenue_worker = None
        if self._touches_retenues is not None:
            self.call_later(self._rejouer_touches)

    async def _rejouer_touches(self) -> None:
        touches, self._touches_retenues = self._touches_retenues or [], None
        for rang, touche in enumerate(touches):
            await self.on_event(events.Key(touche.key, touche.character))
            if self._touches_retenues is not None:  # a key held opened another dialog
                self._touches_retenues[:0] = touches[rang + 1 :]
                return

    def _verifier_inactivite(self) -> None:
        delai = self.reglages.verrouillage_minutes * 60
        if delai > 0 and time.monotonic() - self._activite >= delai:
            self.action_verrouiller()

    def action_verrouiller(self) -> None:
        """Cover the screen until the agent types their password; nothing beneath is lost."""
        from ecrans.verrou import EcranVerrou

        if self.agent is None or self.verrouillee:
            return

        def _repris(_ok: bool | None) -> None:
            self.verrouillee = False
            self._activite = time.monotonic()
            self.refresh_bindings()

        self.verrouillee = True
        self.push_screen(EcranVerrou(), _repris)

    def connecte(self, agent: FicheAgent) -> None:
        """After login: remember the agent and open the family search."""
        from modele.base import Canal
        from tui.recherche import EcranRecherche

        self.agent = agent
        self.canal = Canal.GUICHET  # (Téléphone during a call only: ctrl+t or F10)
        self.push_screen(EcranRecherche())
        self.rafraichir_compteurs()
        self.call_after_refresh(self._preparer_famille)
        if not self._integrite_verifiee:
            self._integrite_verifiee = True
            self._verifier_integrite()

    @work(thread=True, exclusive=True, group="integrite", exit_on_error=False)
    def _verifier_integrite(self) -> None:
        """Every page of the base read once, in the background after the first login: a
        damaged page is told now, not when an action meets it."""
        from modele.db import MESSAGE_ABIMEE, verifier_integrite

        probleme = verifier_integrite(self.engine)
        if probleme is not None and self.is_running:
            from tui.erreurs import journaliser

            journaliser(self.reglages.dossier, RuntimeError(probleme), "quick_check")
            self.call_from_thread(
                self.notify,
                f"{MESSAGE_ABIMEE.split(' :')[0]} "
                f"({probleme}). Prévenez l'administrateur : « guichet "
                "restaurer » remet la dernière sauvegarde.",
                severity="error",
                timeout=30,
            )

    def veiller_minuit(self) -> None:
        """A counter left open past midnight: the header says the new day (it kept the day
        of the login while every screen already worked on the new one)."""
        if getattr(self, "_jour_entete", self.aujourdhui) != self.aujourdhui:
            self.rafraichir_compteurs()

    def rafraichir_compteurs(self) -> None:
        """The header: who is logged in, the day, the requests waiting for the service."""
        from modele.formats import accord, compte, date_courte, date_longue, nombre

        jour = self.aujourdhui
        if self.agent is None:
            self.sub_title = date_longue(jour)
            self._jour_entete = jour
            return
        from modele.agents import Role
        from modele.demandes import nombre_en_attente
        from modele.messages import nombre_non_lus_service

        attente = self.lire(nombre_en_attente)
        non_lus = self.lire(nombre_non_lus_service)
        demandes = (
            f"{compte(attente, 'demande')} à traiter" if attente else "aucune demande à traiter"
        )
        messages = (
            f"{compte(non_lus, 'message')} non {accord(non_lus, 'lu')}"
            if non_lus
            else "aucun message non lu"
        )
        agent = self.agent
        lus = f"{nombre(non_lus)} non {accord(non_lus, 'lu')}" if non_lus else "aucun non lu"
        en_bref = f"{compte(attente, 'demande') if attente else 'aucune demande'}, {lus}"
        long = (
            f"{agent.nom_complet} ({Role(agent.role).libelle}) — "
            f"{date_longue(jour)} — {demandes} — {messages}"
        )
        # Shorter forms for a narrow terminal (format_title takes the longest that fits).
        self._formes_sous_titre = {
            long: [
                long,
                f"{agent.prenom[:1]}. {agent.nom} — {date_courte(jour)} — {demandes}, {messages}",
                f"{agent.nom} — {jour:%d/%m} — {en_bref}",
                # (who is logged in stays longest: a counter is shared)
                f"{agent.nom} — {en_bref}",
                agent.nom,
                en_bref,
                "",  # (a long title, the family's: the title alone rather than a cut line)
            ]
        }
        self.sub_title = long
        self._jour_entete = jour  # (after the reads: a busy base at midnight is tried again)

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header's line: the longest form of the sub-title that fits beside the title
        (at 80 columns the agent, the day and the counts stay, in short). Formed again at
        each width (`compat_textual.titre_a_la_largeur`)."""
        place = self.size.width - LARGEUR_ICONE_ET_HORLOGE - len(title) - len(" — ")
        formes = self._formes_sous_titre.get(sub_title, [sub_title])
        forme = next((f for f in formes if len(f) <= place), formes[-1])
        return super().format_title(title, forme)

    def fin_de_session(self, detail: str) -> None:
        """The agent's session ends (logout, quit, the browser tab closed): journaled as a
        logout; a base that refuses the row goes to the error log, the agent is leaving."""
        if self.agent is None:
            return
        from modele.agents import enregistrer_deconnexion
        from modele.base import ErreurMetier

        try:
            self.agir(enregistrer_deconnexion, self.contexte(), self.agent.id, detail)
        except ErreurMetier as erreur:
            from tui.erreurs import journaliser

            journaliser(self.reglages.dossier, erreur, "déconnexion non journalisée")

    def apres_fermeture(self) -> None:
        """Once the app has stopped (`guichet` calls it after `run`): the session of the
        agent still logged in ends, saying how (in a browser, a closed tab stops the app)."""
        if self._quittee:
            detail = "fin de l'application (ctrl+q)"
        elif self.servie:
            detail = "navigateur : onglet fermé ou serveur arrêté"
        else:
            detail = "fin de l'application"
        self.fin_de_session(detail)
        self.agent = None

    async def action_quit(self) -> None:
        """ctrl+q: closed at once, unless a form holds what was typed and not saved (in a
        browser, the session is gone with it): then asked first."""
        from ecrans.widgets import QuestionQuitter, SaisieGardee

        if not isinstance(self.screen, QuestionQuitter) and any(
            isinstance(ecran, SaisieGardee) and ecran.saisie_modifiee()
            for ecran in self.screen_stack
        ):

            async def _fin(oui: bool | None) -> None:
                if oui:
                    await self._quitter()

            self.push_screen(QuestionQuitter(), _fin)
            return
        await self._quitter()

    async def _quitter(self) -> None:
        self._quittee = True
        await super().action_quit()

    def action_help_quit(self) -> None:
        """ctrl+c with nothing selected (Textual's English hint, with its markup shown)."""
        self.notify("Pour quitter Guichet Famille : ctrl+q. ctrl+c copie le texte sélectionné.")

    def deconnecte(self) -> None:
        from modele.formats import date_longue

        self.fin_de_session("déconnexion")
        self.agent = None
        self.verrouillee = False
        self.sub_title = date_longue(self.aujourdhui)
        rendre_la_session()
        ecran, self._ecran_famille = self._ecran_famille, None
        if ecran is not None:
            ecran.lacher()  # before the pops below suspend it
        from ecrans.widgets import oublier_dialogues

        oublier_dialogues(self)  # (those shown now go with the pops below)
        empile = ecran is not None and ecran in self.screen_stack
        tableau, self._ecran_tableau = self._ecran_tableau, None
        tableau_empile = tableau is not None and tableau in self.screen_stack
        gardes, self._ecrans_gardes = list(self._ecrans_gardes.values()), {}
        gardes_empiles = [e for e in gardes if e in self.screen_stack]
        while len(self.screen_stack) > 2:
            self.pop_screen()
        for garde in gardes:  # the F-screens go with the agent, as the dashboard
            self.uninstall_screen(garde)
            if garde not in gardes_empiles and garde.is_running:
                garde.remove()
        if tableau is not None:
            # The figures go with the agent, as the family file.
            self.uninstall_screen(tableau)
            if not tableau_empile and tableau.is_running:
                tableau.remove()
        if ecran is not None:
            # The kept family file goes with the agent: the next one sees nothing of it.
            self.uninstall_screen(ecran)
            if not empile and ecran.is_running:
                ecran.remove()  # (a popped screen is removed by the pop itself)
        self.screen.query_one("#identifiant").focus()

    def push_screen(self, screen, *args, **kwargs):  # type: ignore[override]
        """A new dialog of a kind kept once built is pushed as the kept one, started again
        with the new one's arguments (issue #18; ecrans.widgets.dialogue_garde). Any screen
        but the login one has the screens' styles read first."""
        if not isinstance(screen, EcranConnexion):
            self.charger_styles()
        if not isinstance(screen, str):
            from ecrans.widgets import dialogue_garde

            screen = dialogue_garde(self, screen)
        return super().push_screen(screen, *args, **kwargs)

    def action_command_palette(self) -> None:
        """ctrl+p: the palette, asking and answering in French."""
        from textual.command import CommandPalette

        if self.dialogue_ouvert and not CommandPalette.is_open(self):
            self.notify(self.DIALOGUE_OUVERT, severity="warning")
            return
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(
                PaletteEnFrancais(
                    id="--command-palette",
                    placeholder="Rechercher une famille ou une commande…",
                )
            )

    def action_aide_touches(self) -> None:
        """F1: every key of the screen shown, with its description."""
        from ecrans.aide_touches import AideTouches, touches_de

        if isinstance(self.screen, AideTouches):
            return
        titre = self.screen.title or self.title
        self.push_screen(AideTouches(str(titre), touches_de(self, self.screen)))

    def action_recherche(self) -> None:
        from tui.recherche import EcranRecherche

        while not isinstance(self.screen, EcranRecherche) and len(self.screen_stack) > 2:
            self.pop_screen()

    def action_demandes_a_traiter(self) -> None:
        from ecrans.file_demandes import EcranDemandesATraiter

        if self.agent is None:
            return
        if not isinstance(self.screen, EcranDemandesATraiter):
            self.montrer_garde("demandes", EcranDemandesATraiter)

    def action_boite_service(self) -> None:
        from ecrans.boite_service import EcranBoiteService

        if self.agent is not None and not isinstance(self.screen, EcranBoiteService):
            self.montrer_garde("boite", EcranBoiteService)

    def action_caisse(self) -> None:
        """F4: the day's cash of a régie, for a régisseur or an administrator."""
        from ecrans.caisse import EcranCaisse
        from modele.agents import PERMISSIONS, peut

        if self.agent is None or isinstance(self.screen, EcranCaisse):
            return
        if not peut(self.agent, "cloturer"):
            self.notify(PERMISSIONS["cloturer"].refus, severity="error", timeout=8)
            return
        self.montrer_garde("caisse", lambda: EcranCaisse(self.aujourdhui))

    def action_calendrier(self) -> None:
        from ecrans.calendrier import EcranCalendrier

        if self.agent is not None and not isinstance(self.screen, EcranCalendrier):
            self.montrer_garde("calendrier", EcranCalendrier)

    def action_facturation(self) -> None:
        from ecrans.facturation import EcranFacturation

        if self.agent is not None and not isinstance(self.screen, EcranFacturation):
            self.montrer_garde("facturation", lambda: EcranFacturation(self.aujourdhui))

    def action_campagne_qf(self) -> None:
        from ecrans.campagne_qf import EcranCampagneQF

        if self.agent is not None and not isinstance(self.screen, EcranCampagneQF):
            self.montrer_garde("campagne", EcranCampagneQF)

    def action_agents(self) -> None:
        from ecrans.agents import EcranAgents

        if self.agent is not None and not isinstance(self.screen, EcranAgents):
            self.montrer_garde("agents", EcranAgents)

    def action_journal(self) -> None:
        from ecrans.journal import EcranJournal

        if self.agent is not None and not isinstance(self.screen, EcranJournal):
            self.montrer_garde("journal", EcranJournal)

    def montrer_garde(self, nom: str, fabrique: Callable[[], EcranGarde]) -> None:
        """Show the F-screen kept for the agent's session under `nom`, built at its first
        opening: composing it is most of an opening, each later one reads its data again
        into it (`EcranGarde.rouvrir`). Already lower in the stack: a new one on top."""
        ecran = self._ecrans_gardes.get(nom)
        if ecran is None:
            ecran = self._ecrans_gardes[nom] = fabrique()
            self.install_screen(ecran, f"garde-{nom}")
        elif ecran in self.screen_stack:
            ecran = fabrique()
        else:
            ecran.a_rouvrir()
        self.push_screen(ecran)

    def action_tableau_de_bord(self) -> None:
        """F11: the service's figures, for a régisseur or an administrateur (an agent
        d'accueil is told why not)."""
        from ecrans.tableau_de_bord import EcranTableauDeBord
        from modele.agents import PERMISSIONS, peut

        if self.agent is None or isinstance(self.screen, EcranTableauDeBord):
            return
        if not peut(self.agent, "tableau_de_bord"):
            self.notify(PERMISSIONS["tableau_de_bord"].refus, severity="error", timeout=8)
            return
        ecran = self._ecran_tableau
        if ecran is None:
            ecran = self._ecran_tableau = EcranTableauDeBord(self.aujourdhui)
            self.install_screen(ecran, "tableau")
        elif ecran.pret_pour(self.aujourdhui):
            ecran.reprendre()  # made ready while hidden: shown as it is, read again
        elif ecran.is_mounted:
            ecran.rouvrir(self.aujourdhui)
        else:  # installed, never shown: its figures are read once it is mounted
            ecran._charger_monte = True
        self.push_screen(ecran)

    def action_deconnexion(self) -> None:
        from tui.recherche import ConfirmationDeconnexion

        def _fin(oui: bool | None) -> None:
            if oui:
                self.deconnecte()

        self.push_screen(ConfirmationDeconnexion(), _fin)

    def ouvrir_famille(
        self, famille_id: int, onglet: str = "accueil", message_id: int | None = None
    ) -> None:
        """Open a family file from anywhere (search, palette, inboxes), above the search
        screen; a message from the service's inbox opens on its tab, already read."""
        from ecrans.famille import TERMINEZ_L_APPEL, EcranFamille
        from tui.recherche import EcranRecherche

        if self.agent is None:
            self.notify("Connectez-vous d'abord.", severity="warning")
            return
        if self.appel_id is not None:
            self.notify(TERMINEZ_L_APPEL, severity="warning")
            return
        depile = False
        while not isinstance(self.screen, EcranRecherche) and len(self.screen_stack) > 2:
            self.pop_screen()
            depile = True
        ecran = self._ecran_famille
        if ecran is None:  # not built ahead yet: built now, for this family
            ecran = self._ecran_famille = EcranFamille(famille_id, onglet, message_id)
            self.install_screen(ecran, "famille")
        elif depile or not ecran.pret:
            # The file shown is put away first (it may be among the screens just popped).
            self.call_next(self._montrer_famille, ecran, famille_id, onglet, message_id)
            return
        else:
            ecran.changer_famille(famille_id, onglet, message_id)
        if depile:
            self.call_next(self.push_screen, ecran)  # after the popped screens are put away
        else:
            self.push_screen(ecran)

    async def _montrer_famille(
        self, ecran: EcranFamille, famille_id: int, onglet: str, message_id: int | None
    ) -> None:
        if ecran is not self._ecran_famille or ecran in self.screen_stack:
            return  # logged out, or opened twice meanwhile
        await ecran.vider()
        if ecran is not self._ecran_famille:
            return  # logged out while the file left was put away
        ecran.changer_famille(famille_id, onglet, message_id)
        self.push_screen(ecran)

    def on_unmount(self) -> None:
        rendre_la_session()  # the app ends: nothing of it stays frozen (tests run many)

    def _preparer_famille(self) -> None:
        """Build the family file ahead, once the search is shown: one screen for the
        agent's session, installed so that a pop keeps it, into which each opening swaps
        its family instead of composing a screen (issue #8)."""
        from ecrans.famille import EcranFamille

        if self.agent is None or self._ecran_famille is not None:
            return
        ecran = self._ecran_famille = EcranFamille()
        self.install_screen(ecran, "famille")
        construire_ecran(self, ecran)  # (if it cannot: built at the first opening)
        self.call_after_refresh(self._preparer_tableau)
        if self.preparer_d_avance:
            self.call_after_refresh(self._disposer_famille)
            self.call_after_refresh(self._preparer_dialogues, None)
            self.call_after_refresh(self._preparer_ecrans)
        self._prechauffer_famille()  # (which freezes the session once done)

    def _disposer_famille(self, essais: int = 20) -> None:
        """The kept family file laid out at the terminal's size while no file is shown: the
        first file opened after login is not laid out for the first time when shown (its
        first ScreenResume, then the Resize its first layout sends it: issue #18)."""
        ecran = self._ecran_famille
        if self.agent is None or ecran is None or ecran.is_current:
            return
        if self._remis_apres_frappe(self._disposer_famille, essais):
            return
        if not ecran.is_mounted:  # (being built: once it is)
            if essais:
                self.call_after_refresh(self._disposer_famille, essais - 1)
            return
        ecran.disposer()

    @work(thread=True, exclusive=True, group="prechauffage-famille", exit_on_error=False)
    def _prechauffer_famille(self) -> None:
        """Once the search shows after login: one search and one family file's reads, in
        the background, so that the first keystroke and the first file opened do not pay
        for compiling their statements and reading the base's pages (issue #18); then the
        session is frozen (tui/tas.py), what this compiled included. Only reads: the agent
        may type meanwhile, and a failure is only a warm-up missed."""
        from modele.dossier import accueil, entete
        from modele.recherche import rechercher
        from modele.reglements import regies_tresorerie

        try:
            trouvees = self.lire(rechercher, "a")
            if trouvees:
                famille_id, jour = trouvees[0].famille_id, self.aujourdhui
                self.lire(entete, famille_id, jour)
                self.lire(accueil, famille_id, jour)
                self.lire(regies_tresorerie)
        finally:
            if self.is_running:
                self.call_from_thread(self._figer_la_session)

    def _figer_la_session(self) -> None:
        if self.agent is None or self._ecran_famille is None:  # (logged out)
            return
        inactif = time.monotonic() - self._activite
        if inactif < REPOS:  # its full collection waits for a pause, not on a key
            self.set_timer(REPOS - inactif, self._figer_la_session)
            return
        figer_la_session()

    def on_delivery_failed(self, event: events.DeliveryFailed) -> None:
        """A download the browser did not get to the end (guichet web)."""
        self.notify(
            f"Téléchargement interrompu : {event.exception}. Relancez l'impression.",
            severity="error",
            timeout=10,
        )

    def _preparer_dialogues(self, restantes: list | None) -> None:
        """Build the dialogs of the family file ahead, one per frame once the search is
        shown, each kept for the agent's session and filled at each opening (issue #18:
        composing and styling its widgets was most of a dialog's opening)."""
        from ecrans.widgets import construire_d_avance

        if self.agent is None or self._remis_apres_frappe(self._preparer_dialogues, restantes):
            return
        if restantes is None:
            from ecrans.dialogues import A_L_AVANCE

            restantes = list(A_L_AVANCE)
        if not restantes:
            return
        try:
            construire_d_avance(self, lambda: restantes[0](self))
        except Exception as erreur:  # only a warm-up missed: built when first opened
            from tui.erreurs import journaliser

            journaliser(self.reglages.dossier, erreur, "dialogue construit d'avance")
        self.call_after_refresh(self._preparer_dialogues, restantes[1:])

    def _preparer_tableau(self) -> None:
        """Build the dashboard ahead for an agent who may open it (F11), once the search
        and the family file are built: composing its four sections is most of an opening.
        Once built, it reads its figures and draws its plots while hidden, and again each
        time it is closed; each opening shows them at once and reads them again, redrawing
        what changed (issue #19)."""
        from ecrans.tableau_de_bord import EcranTableauDeBord
        from modele.agents import peut

        if self.agent is None or self._ecran_tableau is not None:
            return
        if not peut(self.agent, "tableau_de_bord") or self._remis_apres_frappe(
            self._preparer_tableau
        ):
            return
        ecran = self._ecran_tableau = EcranTableauDeBord(self.aujourdhui, charger=False)
        self.install_screen(ecran, "tableau")
        construire_ecran(self, ecran)  # (if it cannot: built at the first opening)

    def _fabriques_gardes(self) -> dict[str, Callable[[], EcranGarde]]:
        """The F-screens kept for the session (`montrer_garde`) that this agent may open."""
        from ecrans.agents import EcranAgents
        from ecrans.boite_service import EcranBoiteService
        from ecrans.caisse import EcranCaisse
        from ecrans.calendrier import EcranCalendrier
        from ecrans.campagne_qf import EcranCampagneQF
        from ecrans.facturation import EcranFacturation
        from ecrans.file_demandes import EcranDemandesATraiter
        from ecrans.journal import EcranJournal
        from modele.agents import peut

        fabriques: dict[str, Callable[[], EcranGarde]] = {
            "demandes": EcranDemandesATraiter,
            "boite": EcranBoiteService,
            "facturation": lambda: EcranFacturation(self.aujourdhui),
            "campagne": EcranCampagneQF,
            "journal": EcranJournal,
            "caisse": lambda: EcranCaisse(self.aujourdhui),
            "calendrier": EcranCalendrier,
            "agents": EcranAgents,
        }
        return {
            nom: fabrique
            for nom, fabrique in fabriques.items()
            if nom not in DROIT_DES_ECRANS or peut(self.agent, DROIT_DES_ECRANS[nom])
        }

    def _remis_apres_frappe(self, etape: Callable[..., None], *args: Any) -> bool:
        """What is built ahead gives way to the agent: a step due less than PAUSE_PREPARATION
        after a key or a click is put off by as much (the first keys after login, typing a
        name, went after whole screens being composed: issue #18). True if put off."""
        depuis = time.monotonic() - self._activite
        if depuis >= PAUSE_PREPARATION:
            return False
        self.set_timer(PAUSE_PREPARATION - depuis, lambda: etape(*args))
        return True

    @property
    def preparer_d_avance(self) -> bool:
        """The dialogs and F-screens built ahead after login (issue #18): in a terminal or a
        browser; not headless unless asked (`Reglages.preparer_ecrans`, GUICHET_PREPARER_ECRANS):
        the tests log in hundreds of times and open few of them."""
        preparer = self.reglages.preparer_ecrans
        return preparer if preparer is not None else not self.is_headless

    def _preparer_ecrans(self, restants: list[str] | None = None) -> None:
        """Build the F-screens ahead, one a turn, after the family file and the dashboard:
        each is then shown with its data only (issue #18)."""
        if self.agent is None or not self.preparer_d_avance:
            return
        if self._remis_apres_frappe(self._preparer_ecrans, restants):
            return
        fabriques = self._fabriques_gardes()
        if restants is None:
            restants = list(fabriques)
        while restants:
            nom = restants.pop(0)
            if nom in self._ecrans_gardes:
                continue
            ecran = self._ecrans_gardes[nom] = fabriques[nom]()
            ecran.prepare_avant = True
            self.install_screen(ecran, f"garde-{nom}")
            construire_ecran(self, ecran)  # (if it cannot: built at its first opening)
            break
        if restants:
            self.call_after_refresh(self._preparer_ecrans, restants)

    def erreur_inattendue(self, erreur: BaseException, avant: int | None = None) -> bool:
        """The safety net: an exception no screen handled (a key, a worker, a drawing) is
        written to the error log with its traceback, the agent is told in French, and the
        app and its screen go on."""
        from tui.erreurs import journaliser

        self.erreurs_inattendues.append(erreur)
        chemin = journaliser(
            self.reglages.dossier,
            erreur,
            f"{type(erreur).__name__} sur {type(self.screen).__name__}"
            if self.screen_stack
            else type(erreur).__name__,
        )
        maintenant = time.monotonic()
        if maintenant - self._derniere_alerte < 1.0:
            return True  # (the same trouble drawn again: one message is enough)
        self._derniere_alerte = maintenant
        # Saved by the failing key's own action? Known for a key or a message; for a worker
        # or a timer, guessed from the last commit's time.
        enregistre = (
            self.enregistrements > avant
            if avant is not None
            else maintenant - self.dernier_enregistrement < 2.0
        )
        if enregistre:
            texte = (
                "Erreur inattendue après l'enregistrement : l'action a été enregistrée, "
                "mais l'écran n'a pas pu être mis à jour."
            )
        else:
            texte = "Erreur inattendue : rien n'a été enregistré."
        if chemin is not None:
            texte += f" Détail dans {chemin}."
        self.notify(texte, severity="error", timeout=10, markup=False)
        return True


installer_filet(GuichetApp, "erreur_inattendue")
cases_lisibles_sans_couleur()
liste_deroulante_en_francais()
styles_au_montage()
un_rendu_par_image()
fond_cache_non_redessine()
fond_de_dialogue_direct()
teinte_en_cache()
carte_paresseuse_sans_trace()
coupures_a_la_francaise()
titre_a_la_largeur()
focus_sans_restyle_des_descendants()
collage_tronque()
colonnes_mesurees_redessinees()
