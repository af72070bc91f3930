"""The family file: the header of the portal and its seven tabs."""

from __future__ import annotations

import asyncio
import time
from functools import partial

from textual import on, widgets
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize, ScreenResume
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, TabbedContent, TabPane

from ecrans.accueil import OngletAccueil
from ecrans.boite import OngletBoite
from ecrans.compat_textual import disposer_ecran, disposition_faite, souligner
from ecrans.demandes import OngletDemandes
from ecrans.enfants import OngletEnfants
from ecrans.mon_compte import OngletMonCompte
from ecrans.pied import PiedDePage
from ecrans.quotient import OngletQuotient
from ecrans.releve import OngletReleve
from ecrans.texte import Static
from ecrans.widgets import Onglet
from modele.base import Canal
from modele.dossier import entete

ONGLETS = [
    ("accueil", "Accueil", OngletAccueil),
    ("compte", "Mon compte", OngletMonCompte),
    ("enfants", "Mes enfants", OngletEnfants),
    ("releve", "Relevé de compte", OngletReleve),
    ("boite", "Boîte de réception", OngletBoite),
    ("demandes", "Demandes", OngletDemandes),
    ("quotient", "Quotient familial", OngletQuotient),
]
# The tabs' names when the full ones do not fit the screen's width (80 columns: the bar
# would scroll, hiding the first or last tabs).
COURTS = {
    "compte": "Compte",
    "enfants": "Enfants",
    "releve": "Relevé",
    "boite": "Boîte",
    "quotient": "Quotient",
}
# The bar's width with the full names (each tab has a column of padding on each side).
LARGEUR_NOMS_LONGS = sum(len(titre) + 2 for _, titre, _ in ONGLETS)
# Every tab is kept from one family to the next once built: put away (`Onglet.oublier`:
# nothing of the family left, its state back to the defaults) when the file is left, and
# filled for the next family while hidden, in idle time after the file opens
# (`EcranFamille._preparer`), so that showing it is only a tab switch. The Accueil and the
# Relevé are built with the screen; the others the first time a file is prepared.
GARDES = tuple(ident for ident, _, _ in ONGLETS)
CONSTRUITS_AVEC_L_ECRAN = ("accueil", "releve")
# After the file's first frame, how long before the first tab is prepared: its last frames
# (the tabs' underline, the footer's keys) come first, the opening must not wait for a
# tab. Then a tab a step, a key meanwhile handled first; and no step while the agent types
# (a key or a click less than PAUSE_APRES_FRAPPE ago: the app's `_activite`).
PAUSE_AVANT_PREPARATION = 0.08
TERMINEZ_L_APPEL = "Terminez d'abord l'appel téléphonique (ctrl+t ou F10)."
PAUSE_ENTRE_ONGLETS = 0.01
PAUSE_APRES_FRAPPE = 0.1


class EcranFamille(Screen[None]):
    """The family file. The app keeps one for the session and swaps each family into it
    (`changer_famille`): an opening composes nothing, it reads and fills the shown tab."""

    BINDINGS = (
        [Binding("escape", "retour", "Retour")]
        + [
            Binding(str(rang), f"onglet('{ident}')", titre)
            for rang, (ident, titre, _) in enumerate(ONGLETS, start=1)
        ]
        # (F10 too: a web browser keeps ctrl+t for itself, a new tab)
        + [Binding("ctrl+t,f10", "appel", "Appel tél.")]
    )
    # Textual repaints the whole screen when the focus moves; the widgets whose look changes
    # with it (:focus, :focus-within) repaint themselves. A tab switch repaints its tab.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    def __init__(
        self, famille_id: int | None = None, onglet: str = "accueil", message_id: int | None = None
    ) -> None:
        super().__init__()
        self.famille_id = famille_id
        self.onglet_initial = onglet
        self.message_id = message_id
        # The next showing opens the file; the tabs of the file left are put away first.
        self._a_ouvrir = famille_id is not None
        self._propre = True  # nothing of a previous file in the tabs
        self._rempli = False  # the Accueil and header filled by changer_famille
        self._rangement = asyncio.Lock()
        self._theme: str | None = None
        self._lache = False  # dropped at a logout: nothing is put away any more
        self._ouverture = 0  # one more each opening: a preparation left from a file stops
        # The tabs built, by name (a query walks every tab's widgets: at each key, no).
        self._construits: dict[str, Onglet] = {}
        self._construction = asyncio.Lock()
        # Kept from compose: an opening looks up no widget.
        self._entete = Header()
        self._bienvenue = Static(id="bienvenue")
        self._noms_courts = False  # the tabs' short names (a narrow screen)

    def compose(self) -> ComposeResult:
        # Only the first tab, the Accueil and the Relevé are built now; the others when a
        # file is first prepared or shown (the screen is built at login: a login stays fast).
        yield self._entete
        yield self._bienvenue
        with TabbedContent(id="onglets", initial=self.onglet_initial):
            for ident, titre, classe in ONGLETS:
                with TabPane(titre, id=ident):
                    if ident == self.onglet_initial or ident in CONSTRUITS_AVEC_L_ECRAN:
                        yield classe(self.famille_id, id=f"onglet-{ident}")
        yield PiedDePage()

    def on_mount(self) -> None:
        self._theme = self.app.theme
        self._onglets = self.query_one(TabbedContent)
        for onglet in self.query(Onglet).results(Onglet):
            self._construits[onglet.id.removeprefix("onglet-")] = onglet
        if not self._a_ouvrir:  # built ahead (no family yet): ready on the Accueil's table
            for accueil in self.query("#onglet-accueil").results(Onglet):
                accueil.focus_premier()

    def on_resize(self, event: Resize) -> None:
        courts = event.size.width < LARGEUR_NOMS_LONGS
        if courts == self._noms_courts:
            return
        self._noms_courts = courts
        for ident, titre, _ in ONGLETS:
            self._onglets.get_tab(ident).label = COURTS.get(ident, titre) if courts else titre

    def disposer(self) -> None:
        """Laid out, hidden, at the app's size (not while shown)."""
        if not self.is_current and disposer_ecran(self, *self.app.size):
            disposition_faite(self)

    def lacher(self) -> None:
        """Dropped with the agent (logout): a putting-away still to come or halfway through
        stops, since the screen's widgets are being removed under it."""
        self._lache = True

    @property
    def pret(self) -> bool:
        """Mounted, with nothing left of a previous file: `changer_famille` fills it now."""
        return self.is_mounted and self._propre

    def changer_famille(
        self, famille_id: int, onglet: str = "accueil", message_id: int | None = None
    ) -> None:
        """Another family (or the same one afresh) at the next showing; every tab starts
        over. Called before the screen is pushed: when it is ready, the Accueil and the
        header are filled here, so that its first frame is already this family's."""
        self.famille_id, self.onglet_initial, self.message_id = famille_id, onglet, message_id
        self._a_ouvrir = True
        self._ouverture += 1  # (a preparation left from the file before stops)
        if not self.pret:
            return  # _ouvrir does it all
        self._gardes_a(famille_id)
        if (accueil := self._construits.get("accueil")) is not None:
            accueil.afficher()
        self.rafraichir_entete()
        self._rempli = True
        if not self.stack_updates:  # never shown yet (Textual counts each showing)
            self.disposer()

    def _gardes(self):
        """The tabs kept from one family to the next."""
        return list(self._construits.values())

    def _gardes_a(self, famille_id: int) -> None:
        for onglet in self._gardes():
            onglet.famille_id, onglet.charge = famille_id, False

    async def _onglet(self, ident: str) -> Onglet:
        """The tab's content, built and mounted the first time it is asked for."""
        onglet = self._construits.get(ident)
        if onglet is not None:
            return onglet
        # (a key may ask for the tab that a preparation step is mounting: one waits)
        async with self._construction:
            onglet = self._construits.get(ident)
            if onglet is None:
                classe = next(c for i, _, c in ONGLETS if i == ident)
                onglet = classe(self.famille_id, id=f"onglet-{ident}")
                await self.query_one(f"TabPane#{ident}", TabPane).mount(onglet)
                onglet.famille_id = self.famille_id  # (another file opened meanwhile)
                self._construits[ident] = onglet
        return onglet

    async def vider(self, laisse: bool = False) -> None:
        """Put away the file shown: every tab forgets it (its data, and its child, month,
        year, folder and filters back to the defaults), the Accueil is shown and focused.
        Run once the file is left (`laisse`: unless it is shown again meanwhile), so that
        the next opening only reads and fills."""
        async with self._rangement:
            if (
                self._propre
                or self._lache
                or not self.is_attached
                or (laisse and self in self.app.screen_stack)
            ):
                return  # done already, dropped (logout), or shown again meanwhile
            self._propre = True
            self._ouverture += 1  # (a preparation still to come stops)
            self.set_focus(None)
            for onglet in self._gardes():
                onglet.oublier()
            if not laisse:
                return  # opened at once: it shows and focuses its tab (a focus here would
                # come after it, through TabPane.Focused, and show the Accueil)
            self._onglets.active = "accueil"
            if (accueil := self._construits.get("accueil")) is not None:
                accueil.focus_premier()

    def on_screen_suspend(self) -> None:
        if not self._lache and self not in self.app.screen_stack:  # left, not merely covered
            self.call_after_refresh(self.vider, laisse=True)

    async def _ouvrir(self) -> None:
        """Show the file of `famille_id` on its initial tab (what changer_famille has not
        filled already). No frame is drawn before the end: none shows a previous file."""
        with self.app.batch_update():
            if not self._rempli:
                await self.vider()
                self._gardes_a(self.famille_id)
                self.rafraichir_entete()
            self._rempli = False
            onglet = await self._onglet(self.onglet_initial)
            self._onglets.active = self.onglet_initial
            if self.message_id is not None:  # (the inbox filled once, on the message's folder)
                onglet.ouvrir_message(self.message_id)
            else:
                onglet.afficher()
            onglet.focus_premier()
            self._propre = False
        self.call_after_refresh(self._preparer)  # (once the file's first frame is drawn)

    def _preparer(self) -> None:
        """In idle time once the file shows: the other tabs built (the first time) and
        filled for this family while hidden, one a step, so that showing one is only a
        tab switch. A step left from a file put away or opened again does nothing."""
        self._ouverture += 1
        self.set_timer(
            PAUSE_AVANT_PREPARATION, partial(self._preparer_un, self._ouverture), name="preparer"
        )

    async def _preparer_un(self, ouverture: int) -> None:
        if (
            ouverture != self._ouverture
            or self._propre
            or self._lache
            or not self.is_current
            or not self.app.is_running
        ):
            return  # the file was left (or opened again), or is covered, or the app is closing
            # (Textual then mounts nothing: a tab would be kept without its widgets)
        depuis = time.monotonic() - getattr(self.app, "_activite", 0.0)
        if depuis < PAUSE_APRES_FRAPPE:  # the agent is typing: later
            self.set_timer(
                PAUSE_APRES_FRAPPE - depuis + PAUSE_AVANT_PREPARATION,
                partial(self._preparer_un, ouverture),
                name="preparer",
            )
            return
        for ident in GARDES:
            onglet = self._construits.get(ident)
            if onglet is None:
                await self._onglet(ident)  # hidden: built, laid out when first shown
            elif not onglet.charge:
                onglet.afficher()  # hidden: read and filled
            else:
                continue
            if ouverture == self._ouverture:
                self.set_timer(
                    PAUSE_ENTRE_ONGLETS, partial(self._preparer_un, ouverture), name="preparer"
                )
            return

    async def on_screen_resume(self, event: ScreenResume) -> None:
        """Pushed for a family: open it. Back from the queue or an inbox: what was decided
        there shows here."""
        if self._a_ouvrir:
            self._a_ouvrir = False
            # This handler runs before Screen's own: its restyle of every widget is only
            # needed if the theme changed while the kept screen was away.
            event.refresh_styles = self._theme != self.app.theme
            self._theme = self.app.theme
            await self._ouvrir()
        elif any(o.charge for o in self._construits.values()):
            self.rafraichir()
        else:
            self._preparer()  # (stopped while covered)

    def rafraichir_entete(self) -> None:
        e = self.app.lire(entete, self.famille_id, self.app.aujourdhui)
        bienvenue = e.bienvenue
        if self.app.appel_id is not None:
            bienvenue += "   ☎ Appel téléphonique en cours (ctrl+t ou F10 pour terminer)"
        self._bienvenue.update(bienvenue)
        titre = f"Famille {e.designation}"
        if titre != self.title:
            # The header's own watcher of the title runs later, in its message loop: its
            # repaint came after the file's first frame, a second frame. The header's
            # title is set here instead, with the screen's title.
            self.set_reactive(EcranFamille.title, titre)
            for texte in self._entete.query("HeaderTitle").results(widgets.Static):
                texte.update(self._entete.format_title())

    def rafraichir(self) -> None:
        """After an action: the header, the app's counters and every tab read again."""
        self.rafraichir_entete()
        self.app.rafraichir_compteurs()
        actif = self.query_one(TabbedContent).active
        for onglet in self.query(Onglet):
            onglet.charge = False
        self.query_one(f"#onglet-{actif}", Onglet).afficher()
        # (the others are read again when shown: not prepared again after every action,
        # nor after every screen or dialog left)

    async def action_onglet(self, ident: str) -> None:
        onglet = await self._onglet(ident)
        self._onglets.active = ident
        self._souligner()
        onglet.afficher()
        onglet.focus_premier()

    def _souligner(self) -> None:
        """The underline under the active tab at once, in the frame that shows the tab
        (Tabs moves it after that frame, in one more, or slides it there: it then finds
        it in place)."""
        souligner(self._onglets, self._onglets.active)

    @on(TabbedContent.TabActivated)
    async def _onglet_active(self, event: TabbedContent.TabActivated) -> None:
        if self.is_current:  # (not while the file left is put away)
            self._souligner()  # (a click: in the frame that shows the tab, as with a key)
            (await self._onglet(event.pane.id)).afficher()

    def action_retour(self) -> None:
        if self.app.appel_id is not None:
            self.notify(TERMINEZ_L_APPEL, severity="warning")
            return
        self.app.pop_screen()

    def action_rgpd_export(self) -> None:
        """Everything held on the family, as a JSON file in the exports folder."""
        import json

        from ecrans.livraison import livrer
        from modele.rgpd import exporter_famille

        app = self.app
        fait, donnees = app.agir_ou_signaler(exporter_famille, app.contexte(), self.famille_id)
        if not fait:
            return
        contenu = json.dumps(donnees, ensure_ascii=False, indent=2).encode()
        livraison = livrer(app, contenu, f"rgpd-famille-{donnees['famille']['numero']}.json")
        self.notify(f"Export RGPD écrit : {livraison.lieu}", timeout=10)

    def action_rgpd_anonymiser(self) -> None:
        from ecrans.widgets import Confirmation
        from modele.rgpd import anonymiser_famille

        app = self.app

        def _fin(oui: bool | None) -> None:
            if not oui:
                return
            fait, _ = app.agir_ou_signaler(anonymiser_famille, app.contexte(), self.famille_id)
            if not fait:
                return
            self.notify("Famille anonymisée ; factures et règlements sont conservés.")
            self.rafraichir()

        app.push_screen(
            Confirmation(
                "Anonymiser définitivement cette famille (départ) ? Les "
                "noms, adresses, coordonnées et données de santé seront "
                "effacés ; la comptabilité est gardée."
            ),
            _fin,
        )

    def action_appel(self) -> None:
        """Start or end the phone call with this family."""
        from ecrans.appel import RecapitulatifAppel
        from modele.demandes import debuter_appel, terminer_appel

        app = self.app
        if app.appel_id is None:
            fait, appel = app.agir_ou_signaler(debuter_appel, app.contexte(), self.famille_id)
            if not fait:
                return
            app.appel_id, app.canal_avant_appel, app.canal = appel.id, app.canal, Canal.TELEPHONE
            self.notify("Appel téléphonique : tout ce qui est saisi a le canal téléphone.")
            self.rafraichir_entete()
            return
        fait, recap = app.agir_ou_signaler(terminer_appel, app.contexte(), app.appel_id)
        if not fait:
            return
        app.appel_id, app.canal = None, app.canal_avant_appel
        self.rafraichir_entete()
        app.push_screen(RecapitulatifAppel(recap))
