"""Family search: filters at each keystroke, Enter opens the family file."""

from __future__ import annotations

import asyncio

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Input

from ecrans.pied import PiedDePage
from ecrans.rafale import Rafale
from ecrans.table import TableLignes
from ecrans.texte import Static
from ecrans.widgets import Confirmation
from modele.formats import montant
from modele.recherche import LIMITE_RESULTATS, LONGUEUR_SAISIE, rechercher


class ConfirmationDeconnexion(Confirmation):
    """« Se déconnecter ? » after Escape on an empty search: an agent who meant to clear
    the field and types a name on gets no logout from its « o » (« dupont » logged out):
    a letter or digit other than a first « o » (Oui) or « n » (Non), capitals included,
    is an answer « Non », and it and the next ones go on to the search. (A name typed
    from its « o » still answers Oui: the question's own key.)"""

    def __init__(self) -> None:
        super().__init__("Se déconnecter ?")
        self._non = False  # answered « Non » by a letter: the next ones go on too

    def on_key(self, event: events.Key) -> None:
        caractere = event.character or ""
        if not caractere.isalnum() or (caractere in ("o", "n") and not self._non):
            return
        event.stop()
        event.prevent_default()
        # Into the search's field at once, in the order typed (a key posted on to the app
        # could come after the next ones, which reach the field once the question is gone).
        recherche = next(
            (e for e in reversed(self.app.screen_stack) if isinstance(e, EcranRecherche)), None
        )
        if recherche is not None:
            recherche.tape_sous_la_question = True
            recherche.query_one("#saisie-recherche", Input).insert_text_at_cursor(caractere)
        if not self._non:
            self._non = True
            self.dismiss(False)


class EcranRecherche(Screen[None]):
    BINDINGS = [
        Binding("escape", "deconnexion", "Déconnexion"),
        Binding("down", "vers_resultats", "Résultats", show=False),
        Binding("ctrl+f", "vers_saisie", "Rechercher"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Rechercher une famille : nom, prénom, n° famille, enfant, téléphone", classes="aide"
        )
        yield Input(
            id="saisie-recherche",
            max_length=LONGUEUR_SAISIE,
            placeholder="ex. dupont, 1001001818331, 01 02 03…",
        )
        yield Static("", id="compte-resultats", classes="aide")
        yield TableLignes(
            "N° famille",
            "Responsable",
            "Conjoint",
            "Enfants",
            "Ville",
            "Solde",
            droite=["Solde"],
            abandon=["Ville", "Conjoint", "Enfants"],
            zebre=True,
            id="resultats",
        )
        yield PiedDePage()

    # Letters typed under « Se déconnecter ? » went into the field (ConfirmationDeconnexion)
    tape_sous_la_question = False

    def on_mount(self) -> None:
        self.rafale = Rafale(self, self.afficher)
        self.query_one("#saisie-recherche", Input).focus()

    def on_screen_resume(self) -> None:
        """Back from a family file: the families listed read again (a payment or an invoice
        since moved a balance), the cursor on the same one; ready to type the next name."""
        saisie = self.query_one("#saisie-recherche", Input)
        if saisie.value.strip() and not self.rafale.en_attente:
            table = self.query_one("#resultats", TableLignes)
            cle = table.cle
            self.afficher(saisie.value)
            cles = [table.cle_de(rang) for rang in range(table.row_count)]
            if cle in cles:
                table.move_cursor(cles.index(cle))
        saisie.focus()
        if self.tape_sous_la_question:  # (a name typed on: not selected, to be replaced)
            self.tape_sous_la_question = False
            saisie.action_end()
        else:
            saisie.select_all()

    def on_key(self, event: events.Key) -> None:
        """A letter typed in the list goes to the search field, as after Ctrl+F (it went
        nowhere, and Enter then opened the family under the cursor, not the one typed)."""
        saisie = self.query_one("#saisie-recherche", Input)
        if saisie.has_focus or not event.is_printable:
            return
        event.stop()
        event.prevent_default()
        self.set_focus(saisie)  # at once: the next keys of a burst go to the field
        # In the field's queue after its Focus (which selects the whole text): the cursor
        # at the end, then the key, so that « dup », ↓, « ui » searches « dupui ».
        saisie.call_later(saisie.action_end)
        saisie.post_message(events.Key(event.key, event.character))

    @property
    def recherche_en_attente(self) -> bool:
        """Keys typed whose results are not shown yet (the end of a burst)."""
        return self.rafale.en_attente

    @on(Input.Changed, "#saisie-recherche")
    async def _filtrer(self, event: Input.Changed) -> None:
        self.rafale.frappe(event.value)
        # Let the list and the count line post their repaint before the input's own is
        # handled here: the keystroke then shows in one frame rather than two.
        await asyncio.sleep(0)

    def afficher(self, texte: str) -> None:
        table = self.query_one("#resultats", TableLignes)
        resultats = self.app.lire(rechercher, texte, LIMITE_RESULTATS)
        table.remplir(
            (
                str(r.famille_id),
                (r.numero, r.responsable, r.conjoint, r.enfants, r.ville, montant(r.solde)),
            )
            for r in resultats
        )
        compte = self.query_one("#compte-resultats", Static)
        # One line of fixed height: no layout pass at each keystroke.
        if not texte.strip():
            compte.update("", layout=False)
        elif not resultats:
            compte.update("Aucune famille ne correspond.", layout=False)
        elif len(resultats) >= LIMITE_RESULTATS:
            long = (
                f"Les {len(resultats)} familles qui correspondent le mieux : précisez la "
                "recherche pour les autres — ↓ pour choisir, Entrée pour ouvrir"
            )
            # (one line: at 80 columns the long one lost its keys)
            court = (
                f"Les {len(resultats)} plus proches : précisez la recherche — ↓ choisir, "
                "Entrée ouvrir"
            )
            place = (compte.content_size.width or compte.size.width) or self.app.size.width
            compte.update(long if len(long) <= place else court, layout=False)
        else:
            pluriel = "s" if len(resultats) > 1 else ""
            compte.update(
                f"{len(resultats)} famille{pluriel} — ↓ pour choisir, Entrée pour ouvrir",
                layout=False,
            )

    @on(Input.Submitted, "#saisie-recherche")
    def _ouvrir_premiere(self) -> None:
        self.rafale.rattraper()
        cle = self.query_one("#resultats", TableLignes).cle  # the first, or the cursor's
        if cle is not None:
            self.app.ouvrir_famille(int(cle))

    @on(TableLignes.LigneChoisie, "#resultats")
    def _ouvrir_ligne(self, event: TableLignes.LigneChoisie) -> None:
        self.app.ouvrir_famille(int(event.cle))

    def action_vers_resultats(self) -> None:
        self.rafale.rattraper()
        table = self.query_one("#resultats", TableLignes)
        if table.row_count and not table.has_focus:
            # At once: a second ↓ typed right after goes to the list, not to the field again
            # (it was lost, and Enter opened the first family instead of the second).
            self.set_focus(table)

    def action_vers_saisie(self) -> None:
        self.query_one("#saisie-recherche", Input).focus()

    def action_deconnexion(self) -> None:
        self.app.action_deconnexion()
