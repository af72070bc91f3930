"""Each private name of Textual the app relies on (ecrans/compat_textual.py) still does what
the app expects of it, and the safety net keeps the app and its screen alive."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Static, TabbedContent, TabPane

from ecrans.compat_textual import (
    AUCUN_RESULTAT,
    PaletteEnFrancais,
    carte_paresseuse_sans_trace,
    colonnes_mesurees_redessinees,
    construire_ecran,
    disposer_ecran,
    disposition_faite,
    fond_cache_non_redessine,
    fond_de_dialogue_direct,
    notifications,
    rendu_ecran,
    soulignement,
    souligner,
    styles_au_montage,
    teinte_en_cache,
    texte_ecran,
    touche,
    un_rendu_par_image,
)
from tests.pilote import attendre, connecter, saisir
from tui.erreurs import NOM_JOURNAL


def test_touche_des_caracteres_tapes():
    assert touche("a") == "a"
    assert touche("7") == "7"
    assert touche(" ") == "space"
    assert touche(".") == "full_stop"
    assert touche("é") == "é"


class _Onglets(App[None]):
    def compose(self) -> ComposeResult:
        with TabbedContent(id="o"):
            with TabPane("Accueil", id="a"):
                yield Static("a")
            with TabPane("Relevé de compte", id="b"):
                yield Static("b")


async def test_soulignement_sous_l_onglet_demande_et_notifications():
    app = _Onglets()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        onglets = app.query_one(TabbedContent)
        souligner(onglets, "b")
        tab = onglets.get_tab("b")
        assert soulignement(onglets) == tab.virtual_region.shrink(tab.styles.gutter).column_span
        app.notify("Bonjour [b]x[/b]", markup=False)
        await attendre(pilot, lambda: notifications(app))
        assert notifications(app) == ["Bonjour [b]x[/b]"]


class _Ecran(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Static("construit", id="dedans")


async def test_construire_un_ecran_installe_avant_de_l_empiler():
    app = _Onglets()
    async with app.run_test(size=(80, 10)) as pilot:
        ecran = _Ecran()
        app.install_screen(ecran, "e")
        assert construire_ecran(app, ecran)
        await attendre(pilot, lambda: ecran.is_mounted)
        assert ecran.query_one("#dedans", Static)
        assert app.screen is not ecran  # built, not shown


async def test_ecran_retire_avant_son_montage_marque_elague():
    """What `_dispatch_garde` reads to drop the Mount of a screen removed before it mounted:
    `_pruning` set by `remove()` at once, on the screen and its children."""
    app = _Onglets()
    async with app.run_test(size=(80, 10)) as pilot:
        ecran = _Ecran()
        app.install_screen(ecran, "e")
        assert construire_ecran(app, ecran)
        enfants = list(ecran.walk_children(with_self=True))
        assert not any(n._pruning or n._closing for n in enfants)
        app.uninstall_screen(ecran)
        ecran.remove()
        assert ecran._pruning and all(n._pruning for n in ecran.walk_children())
        await attendre(pilot, lambda: not ecran.is_attached)


async def test_disposer_un_ecran_construit_sans_le_montrer():
    app = _Onglets()
    async with app.run_test(size=(80, 10)) as pilot:
        ecran = _Ecran()
        app.install_screen(ecran, "e")
        construire_ecran(app, ecran)
        await attendre(pilot, lambda: ecran.is_mounted)
        dedans = ecran.query_one("#dedans", Static)
        assert dedans.size.width == 0  # never laid out
        assert disposer_ecran(ecran, *app.size)
        assert ecran.size == app.size
        assert dedans.size.width == 80  # its size known, not shown
        assert app.screen is not ecran
        dedans.display = False  # a layout asked while hidden…
        await attendre(pilot, lambda: ecran._layout_required)
        assert disposer_ecran(ecran, 80, 10)
        disposition_faite(ecran)  # …done by the layout above: not again when shown
        assert not ecran._layout_required


async def test_mise_en_page_et_repeinte_dessinees_en_une_image(monkeypatch):
    """A layout and a whole repaint both due: drawn in one full frame that shows the change
    (nothing of the repaint lost; the frame saved shows where the layout's own update is
    full, a dialog shown again: see bench/NOTES.md)."""
    from textual._compositor import Compositor

    un_rendu_par_image()
    app = _Onglets()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        ecran = app.screen
        rendus = []
        origine = Compositor.render_full_update

        def compter(self, *args, **kwargs):
            rendus.append(self)
            return origine(self, *args, **kwargs)

        monkeypatch.setattr(Compositor, "render_full_update", compter)
        app.query("#a Static").first().update("changé, et plus long")  # a layout due
        ecran.refresh()  # the whole screen to repaint
        ecran._on_timer_update()  # (what Textual's update timer calls)
        assert len(rendus) == 1
        assert "changé, et plus long" in texte_ecran(app)


class _Fragile(App[None]):
    """An app without the net: Textual still ends it on an error (the net is per app)."""

    BINDINGS = [Binding("x", "casser", "Casser")]

    def action_casser(self) -> None:
        raise RuntimeError("cassé")


async def test_une_autre_app_sans_filet_s_arrete_encore_sur_une_erreur():
    app = _Fragile()
    try:
        async with app.run_test() as pilot:
            await pilot.press("x")
            await pilot.pause()
    except RuntimeError:
        pass
    assert app.return_code == 1


async def test_filet_une_erreur_inattendue_ne_tue_pas_l_app(fabrique_app, monkeypatch, tmp_path):
    from tui.recherche import EcranRecherche

    def casse(self) -> None:
        raise RuntimeError("panne simulée")

    monkeypatch.setattr(EcranRecherche, "action_vers_saisie", casse)
    app = fabrique_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await connecter(pilot)
        assert isinstance(app.screen, EcranRecherche)
        await pilot.press("ctrl+f")  # the broken action
        await attendre(pilot, lambda: app.erreurs_inattendues)
        assert str(app.erreurs_inattendues[0]) == "panne simulée"
        app.erreurs_inattendues.clear()
        # told in French, the traceback in the log of the data folder
        await attendre(pilot, lambda: notifications(app))
        assert any(
            n.startswith("Erreur inattendue : rien n'a été enregistré.") for n in notifications(app)
        )
        journal = app.reglages.dossier / NOM_JOURNAL
        contenu = journal.read_text(encoding="utf-8")
        assert "RuntimeError: panne simulée" in contenu and "Traceback" in contenu
        # the app and the same screen still answer keys
        assert app.is_running and isinstance(app.screen, EcranRecherche)
        await saisir(pilot, "dupont")
        await attendre(pilot, lambda: app.screen.query_one("#resultats").row_count)
        await pilot.press("enter")
        await pilot.pause()
        assert "DUPONT" in app.screen.title
    assert app.return_code in (0, None)


async def test_filet_refuse_textual_termine_l_app_avec_un_code_non_nul(fabrique_app, monkeypatch):
    from tui.app import GuichetApp
    from tui.recherche import EcranRecherche

    def casse(self) -> None:
        raise RuntimeError("panne simulée")

    monkeypatch.setattr(EcranRecherche, "action_vers_saisie", casse)
    monkeypatch.setattr(GuichetApp, "erreur_inattendue", lambda self, erreur, avant=None: False)
    app = fabrique_app()
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await connecter(pilot)
            await pilot.press("ctrl+f")
            await pilot.pause()
    except RuntimeError:
        pass
    assert app.return_code == 1


async def test_cases_et_boutons_radio_lisibles_sans_couleur():
    from textual.widgets import Checkbox, RadioButton

    import tui.app  # noqa: F401  (the app sets the glyphs)

    class _Cases(App[None]):
        def compose(self) -> ComposeResult:
            yield Checkbox("Lu", id="c")
            yield RadioButton("Carte Vitale", id="r")

    app = _Cases()
    async with app.run_test(size=(40, 8)) as pilot:
        case, radio = app.query_one("#c", Checkbox), app.query_one("#r", RadioButton)
        assert "X" not in case.render().plain and "●" not in radio.render().plain
        case.value = radio.value = True
        await pilot.pause()
        assert "X" in case.render().plain and "●" in radio.render().plain


async def test_filet_dit_ce_qui_a_ete_enregistre(fabrique_app, monkeypatch):
    """An action saved, then the screen failed to follow: the agent is told it was saved."""
    from tui.recherche import EcranRecherche

    def enregistre_puis_casse(self) -> None:
        self.app.agir(lambda session: None)
        raise RuntimeError("affichage impossible")

    monkeypatch.setattr(EcranRecherche, "action_vers_saisie", enregistre_puis_casse)
    app = fabrique_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await connecter(pilot)
        await pilot.press("ctrl+f")
        await attendre(
            pilot, lambda: any("après l'enregistrement" in n for n in notifications(app))
        )
        assert len(app.erreurs_inattendues) == 1
        app.erreurs_inattendues.clear()


async def test_texte_ecran_est_ce_que_montre_le_terminal():
    class Petite(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("Bonjour [b]DUPONT[/b]", markup=False)

    app = Petite()
    async with app.run_test(size=(30, 3)) as pilot:
        await pilot.pause()
        assert texte_ecran(app).split("\n") == ["Bonjour [b]DUPONT[/b]", "", ""]


async def test_palette_aucun_resultat_en_francais():
    from textual.command import CommandList

    class _Palette(App[None]):
        def action_command_palette(self) -> None:
            self.push_screen(PaletteEnFrancais())

    app = _Palette()
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.press("ctrl+p")
        await attendre(pilot, lambda: isinstance(app.screen, PaletteEnFrancais))
        await saisir(pilot, "zzqxw")
        liste = app.screen.query_one(CommandList)

        def textes() -> list[str]:
            return [texte_ecran(app)] if liste.option_count else []

        await attendre(pilot, lambda: any(AUCUN_RESULTAT in t for t in textes()))
        assert "No matches" not in texte_ecran(app)


async def test_styles_au_montage_une_classe_avant_montage_puis_apres():
    """A class set before mounting shows once mounted (styled then, not before); one
    changed on a mounted widget shows at once, as in Textual."""
    from textual.color import Color
    from textual.dom import DOMNode

    styles_au_montage()
    assert DOMNode.update_node_styles._au_montage  # type: ignore[attr-defined]

    class AppCouleurs(App[None]):
        CSS = ".rouge { color: red; } .bleu { color: blue; }"

        def compose(self) -> ComposeResult:
            yield Static("x")

    app = AppCouleurs()
    async with app.run_test() as pilot:
        widget = Static("y")
        widget.add_class("rouge")  # not mounted: no restyle now
        await app.screen.mount(widget)
        await pilot.pause()
        assert widget.styles.color == Color.parse("red")
        widget.remove_class("rouge")
        widget.add_class("bleu")
        assert widget.styles.color == Color.parse("blue")


class _Dessous(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("dessous", id="texte")


class _Couvrant(Screen[None]):
    """Opaque, as every screen but the dialogs."""

    def compose(self) -> ComposeResult:
        yield Static("dessus")


class _Translucide(Screen[None]):
    DEFAULT_CSS = "_Translucide { background: $background 50%; }"

    def compose(self) -> ComposeResult:
        yield Static("dessus")


async def _repeintes_du_dessus(monkeypatch, dessus: Screen) -> tuple[App, list]:
    """A screen pushed over _Dessous, then the one beneath changed and refreshed: the
    repaints its update asks of the screen on top."""
    fond_cache_non_redessine()
    app = _Dessous()
    demandes: list = []
    async with app.run_test(size=(40, 6)) as pilot:
        await pilot.pause()
        dessous = app.screen
        await app.push_screen(dessus)
        await attendre(pilot, lambda: app.screen is dessus and dessus.is_mounted)
        origine = dessus.refresh
        monkeypatch.setattr(
            dessus, "refresh", lambda *a, **k: (demandes.append(a), origine(*a, **k))
        )
        dessous.query_one("#texte", Static).update("changé dessous")
        dessous.refresh()
        dessous._on_timer_update()  # (what Textual's update timer calls)
        avant = list(demandes)
        app.pop_screen()
        # shown again: drawn whole, nothing of the change lost
        await attendre(pilot, lambda: "changé dessous" in texte_ecran(app))
    return app, avant


async def test_sous_un_ecran_opaque_le_fond_ne_redessine_pas_le_dessus(monkeypatch):
    _app, demandes = await _repeintes_du_dessus(monkeypatch, _Couvrant())
    assert demandes == []


async def test_sous_un_ecran_translucide_le_fond_se_voit_encore(monkeypatch):
    _app, demandes = await _repeintes_du_dessus(monkeypatch, _Translucide())
    assert demandes  # its regions repainted on top, where it shows through


class _DessousDialogue(App[None]):
    """Coloured text, a field and a table beneath a dialog."""

    def compose(self) -> ComposeResult:
        from textual.widgets import DataTable, Input

        yield Static("[b red on blue]Bonjour[/] le [u]monde[/u]", id="haut")
        yield Input("valeur")
        table = DataTable()
        table.add_columns("a", "b")
        table.add_row("1", "2")
        yield table


class _Dialogue(ModalScreen[None]):
    DEFAULT_CSS = "_Dialogue { align: center middle; } _Dialogue > Static { width: 20; }"

    def compose(self) -> ComposeResult:
        yield Static("dialogue")


async def _repeint(pilot, ecran) -> None:
    """The dialog's screen repainted whole, its backdrop drawn again."""
    ecran.refresh()
    await pilot.pause()
    await pilot.pause()


async def test_fond_de_dialogue_direct_et_en_cache_comme_textual(monkeypatch):
    """A dialog's backdrop drawn directly, then kept: the same segments and colours as
    Textual's own BackgroundScreen, before and after the screen beneath changes; kept, a
    repaint with nothing changed beneath renders nothing beneath."""
    from textual._compositor import Compositor

    app = _DessousDialogue()
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        dialogue = _Dialogue()
        await app.push_screen(dialogue)
        await pilot.pause()

        async def rendus() -> dict[str, list]:
            vus = {}
            for nom, direct, cache in (
                ("textual", False, False),
                ("direct", True, False),
                ("cache", True, True),
                ("cache encore", True, True),
            ):
                fond_de_dialogue_direct(direct)
                teinte_en_cache(cache)
                await _repeint(pilot, dialogue)
                vus[nom] = rendu_ecran(app)
            return vus

        try:
            vus = await rendus()
            assert vus["textual"] == vus["direct"] == vus["cache"] == vus["cache encore"]
            assert "Bonjour" in texte_ecran(app)
            # Tinted: not the colours of the screen beneath.
            dessous = [s for s in app.screen_stack[0]._compositor.render_strips()[0]]
            assert vus["textual"][0][0][1] != dessous[0].style

            # The screen beneath changes while covered: the backdrop shows it, as Textual's.
            app.query_one("#haut", Static).update("[green]Changé[/] ici")
            await attendre(pilot, lambda: "Changé ici" in texte_ecran(app))
            vus = await rendus()
            assert vus["textual"] == vus["direct"] == vus["cache"] == vus["cache encore"]
            assert "Changé ici" in texte_ecran(app)

            # Kept: nothing beneath is rendered again when nothing changed there.
            rendus_dessous = []
            origine = Compositor.render_strips

            def compter(self, *args, **kwargs):
                if self is app.screen_stack[0]._compositor:
                    rendus_dessous.append(self)
                return origine(self, *args, **kwargs)

            monkeypatch.setattr(Compositor, "render_strips", compter)
            await _repeint(pilot, dialogue)
            assert rendus_dessous == []
            teinte_en_cache(False)
            await _repeint(pilot, dialogue)
            assert rendus_dessous  # (without the cache: rendered again)
        finally:
            fond_de_dialogue_direct()
            teinte_en_cache()


async def test_mesurer_table_donne_sa_hauteur_avant_l_inactivite():
    """mesurer_table: a DataTable's virtual height follows the rows added at once, not at
    its next idle (Textual's `_on_idle` measures them)."""
    from textual.widgets import DataTable

    from ecrans.compat_textual import mesurer_table

    class AppTable(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

    app = AppTable()
    async with app.run_test() as pilot:
        await pilot.pause()
        table = app.query_one(DataTable)
        table.add_column("A")
        for i in range(3):
            table.add_row(str(i))
        assert table.virtual_size.height < 4  # not measured yet
        mesurer_table(table)
        assert table.virtual_size.height == 4  # the header and three rows


def test_liste_deroulante_ouverte_dit_fermer_en_francais():
    """A Select's open list (its overlay) offers « Fermer la liste » in the footer, not
    « Dismiss menu » (the app patches it when tui.app is imported)."""
    from textual.widgets._select import SelectOverlay

    import tui.app  # noqa: F401  (applies the patch)

    [echap] = SelectOverlay()._bindings.key_to_bindings["escape"]
    assert (echap.action, echap.description) == ("dismiss", "Fermer la liste")


class _Defile(App[None]):
    def compose(self) -> ComposeResult:
        from textual.containers import VerticalScroll

        with VerticalScroll(id="v"):
            yield Static("\n".join(f"ligne {i}" for i in range(60)), id="texte")


async def test_une_notification_retiree_apres_un_defilement_est_effacee(monkeypatch):
    """A notification removed while the widgets' map is stale after a scroll (its removal
    reads the map again through its rack's refresh): its region is drawn again, its text
    gone from the terminal (Textual drew nothing there: see carte_paresseuse_sans_trace)."""
    from textual._compositor import Compositor
    from textual.widgets._toast import Toast

    carte_paresseuse_sans_trace()
    app = _Defile()
    async with app.run_test(size=(60, 20), notifications=True) as pilot:
        app.notify("Un message qui reste affiché", timeout=60)
        await attendre(pilot, lambda: app.screen.query(Toast))
        toast = app.screen.query_one(Toast)
        await attendre(pilot, lambda: toast.region)
        ou = toast.region
        dessines: list = []
        origine = Compositor.render_partial_update

        def noter(self, *args, **kwargs):
            dessines.extend(self._dirty_regions)
            return origine(self, *args, **kwargs)

        monkeypatch.setattr(Compositor, "render_partial_update", noter)
        app.query_one("#v").scroll_to(y=10, animate=False)
        # the scroll laid out only what is visible: the full map is stale
        await attendre(pilot, lambda: app.screen._compositor._full_map_invalidated)
        dessines.clear()
        toast._expire()  # (what its timer calls)
        await attendre(pilot, lambda: not app.screen.query(Toast))
        await attendre(pilot, lambda: any(r.overlaps(ou) for r in dessines))


@pytest.mark.parametrize("largeur", range(12, 40))
def test_pas_de_coupure_avant_euro_point_d_interrogation_ni_apres_guillemet(largeur):
    """French lines (notifications, Statics, Rich Text) break between words as before, never
    inside « 120,60 € », before « ? » / « : » / « » », nor after « « »; a word longer than
    the line is still folded."""
    from rich.console import Console
    from rich.text import Text
    from textual.content import Content

    from ecrans.compat_textual import coupures_a_la_francaise
    from modele.formats import euros

    coupures_a_la_francaise()
    phrase = (
        f"Encaisser {euros(12060)} ? Solde : {euros(-5)} ; la relance « Mise à jour » "
        "part à 3 familles ! 5 % — anticonstitutionnellement"
    )
    for lignes in (
        [str(ligne) for ligne in Text(phrase).wrap(Console(), largeur)],
        [ligne.plain for ligne in Content(phrase).wrap(largeur)],
    ):
        assert "".join(lignes).replace(" ", "") == phrase.replace(" ", "")
        assert all(len(ligne.rstrip()) <= largeur for ligne in lignes)
        for ligne in lignes:
            debut, fin = ligne.strip()[:1], ligne.rstrip()[-1:]
            assert debut not in {"€", "?", ":", ";", "!", "»", "%"}, lignes
            assert fin != "«", lignes
        if largeur >= 22:  # (room for « Encaisser 120,60 € ? » on a line)
            assert any(f"{euros(12060)} ?" in ligne for ligne in lignes), lignes


async def test_focus_restyle_les_descendants_seulement_si_une_regle_le_demande():
    """A widget gaining the focus is restyled alone, unless a rule styles its descendants
    by its focus (« Boite:focus Label »): those are restyled as Textual does."""
    from textual.containers import Vertical
    from textual.widgets import Label

    from ecrans.compat_textual import focus_sans_restyle_des_descendants

    focus_sans_restyle_des_descendants()

    class Boite(Vertical, can_focus=True):
        pass

    class Autre(Vertical, can_focus=True):
        pass

    class Essai(App):
        CSS = "Boite:focus Label { color: red; } Label { color: blue; }"
        AUTO_FOCUS = ""  # (nothing focused until the test says)

        def compose(self) -> ComposeResult:
            with Boite(id="boite"):
                yield Label("a", id="a")
            with Autre(id="autre"):
                yield Label("b", id="b")

    app = Essai()
    async with app.run_test() as pilot:
        restyles: list[str] = []
        origine = app.stylesheet.update_nodes

        def espion(noeuds, animate=False):
            noeuds = list(noeuds)
            restyles.extend(str(n.id) for n in noeuds)
            return origine(noeuds, animate)

        app.stylesheet.update_nodes = espion
        app.query_one("#boite").focus()
        await attendre(pilot, lambda: "boite" in restyles)
        assert app.query_one("#a").styles.color.rgb == (255, 0, 0)
        assert "a" in restyles
        restyles.clear()
        app.query_one("#autre").focus()
        await attendre(pilot, lambda: "autre" in restyles and "boite" in restyles)
        assert app.query_one("#a").styles.color.rgb == (0, 0, 255)  # (boite blurred)
        assert "a" in restyles and "b" not in restyles


async def test_un_collage_trop_long_garde_son_debut_et_le_dit():
    from textual import events
    from textual.widgets import Input

    from ecrans.compat_textual import collage_tronque

    collage_tronque()

    class Essai(App):
        def compose(self) -> ComposeResult:
            yield Input(id="court", max_length=10)
            yield Input(id="libre")

    app = Essai()
    async with app.run_test(notifications=True) as pilot:
        court, libre = app.query_one("#court", Input), app.query_one("#libre", Input)
        court.focus()
        court.post_message(events.Paste("[b]x[/b]" * 400 + "\nligne 2"))
        await attendre(pilot, lambda: court.value != "")
        assert court.value == ("[b]x[/b]" * 2)[:10]
        assert any("coupé" in m for m in notifications(app))
        court.selection = court.selection.__class__(2, 5)
        court.post_message(events.Paste("ABCDEFGHIJ"))
        await attendre(pilot, lambda: court.value.startswith("[bABC"))
        assert len(court.value) == 10
        libre.post_message(events.Paste("x" * 3000))
        await attendre(pilot, lambda: len(libre.value) == 3000)


async def test_un_collage_trop_long_dans_une_zone_de_texte():
    """A TextArea given a `longueur_max` (a message's body) takes what fits of a paste, the
    lines kept, and says so; one without takes it all."""
    from textual import events
    from textual.widgets import TextArea

    from ecrans.compat_textual import collage_tronque

    collage_tronque()

    class Essai(App):
        def compose(self) -> ComposeResult:
            yield TextArea(id="corps")
            yield TextArea(id="libre")

    app = Essai()
    async with app.run_test(notifications=True) as pilot:
        corps, libre = app.query_one("#corps", TextArea), app.query_one("#libre", TextArea)
        corps.longueur_max = 12
        corps.text = "Bonjour"
        corps.focus()
        corps.move_cursor((0, 7))
        app.post_message(events.Paste(" madame\n[b]x[/b]" * 100))
        await attendre(pilot, lambda: corps.text != "Bonjour")
        assert corps.text == "Bonjour mada"  # (12 characters: what fits)
        assert any("coupé" in m and "12 caractères" in m for m in notifications(app))
        # Over its limit, three characters selected under a paste: nothing of it fits, the
        # selection is kept, not erased by an empty paste.
        corps.longueur_max = 5
        corps.selection = corps.selection.__class__((0, 0), (0, 3))
        app.post_message(events.Paste("encore"))
        await attendre(pilot, lambda: len(notifications(app)) == 2)
        assert corps.text == "Bonjour mada"
        libre.focus()
        await pilot.pause()
        app.post_message(events.Paste("y\n" * 3000))  # (as the terminal sends it)
        await attendre(pilot, lambda: libre.text.count("y") == 3000)


class _Table(App):
    CSS = "#t { height: 6; }"  # its size fixed, as F6's: no Resize to make its lines new

    def compose(self) -> ComposeResult:
        from ecrans.table import DataTable

        yield DataTable(id="t")


async def test_lignes_d_une_table_redessinees_une_fois_ses_colonnes_mesurees():
    """A frame drawn between the rows added and the table measuring them (F6 under load)
    drew the rows in columns as wide as their titles; once measured, the lines are drawn
    again at the columns' widths, after a cell's update too."""
    colonnes_mesurees_redessinees()
    app = _Table()
    async with app.run_test(size=(80, 10)) as pilot:
        table = app.query_one("#t")
        table.add_columns("N°", "Total")
        await pilot.pause()
        table.add_rows([("1001002460917", "137,90"), ("2", "5,00")])
        assert "1001002460917" not in table.render_line(1).text  # drawn before measured
        await attendre(pilot, lambda: not table._require_update_dimensions)
        await pilot.pause()
        assert "1001002460917  137,90" in table.render_line(1).text
        table.update_cell_at((1, 1), "12 345,00", update_width=True)
        assert "12 345,00" not in table.render_line(2).text
        await attendre(pilot, lambda: not table._updated_cells)
        await pilot.pause()
        assert "12 345,00" in table.render_line(2).text


async def test_un_titre_change_sur_un_entete_sans_son_titre():
    """The app's sub-title changed while a Header has no HeaderTitle (a screen composing or
    being removed): nothing raised (Textual's NoMatches was an « Erreur inattendue »), and
    a header with its title still shows the new one."""
    from textual.widgets import Header
    from textual.widgets._header import HeaderTitle

    from ecrans.compat_textual import titre_a_la_largeur

    titre_a_la_largeur()
    erreurs = []

    class Essai(App):
        def compose(self) -> ComposeResult:
            yield Header()

        def _handle_exception(self, error: Exception) -> None:
            erreurs.append(error)
            super()._handle_exception(error)

    app = Essai()
    async with app.run_test() as pilot:
        app.sub_title = "avant"
        titre = app.query_one(HeaderTitle)
        await attendre(pilot, lambda: "avant" in str(titre.render()))
        await titre.remove()
        app.sub_title = "après"
        await pilot.pause()
        await pilot.pause()
        assert app.query_one(Header).is_mounted
    assert erreurs == []
