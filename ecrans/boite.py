"""Boîte de réception (rule 8): Reçus, Envoyés, Supprimés; read, answer, write, delete,
restore, and record a message a parent leaves by phone."""

from __future__ import annotations

import re

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding

from ecrans.redaction import Brouillon, Redaction
from ecrans.table import DataTable
from ecrans.texte import Static
from ecrans.widgets import Onglet
from modele.base import Canal
from modele.dossier import entete as entete_famille
from modele.famille import nom_et_enfant
from modele.messages import (
    Dossier,
    Message,
    Sens,
    apercu,
    envoyer,
    fil,
    marquer_lu,
    modeles_messages,
    restaurer,
    supprimer,
    vue_dossier,
)
from modele.messages import (
    message as message_par_id,
)

DOSSIERS = list(Dossier)
# Below this width the list's texts are cut to keep its five columns on screen.
LARGEUR_COLONNES_PLEINES = 110


class OngletBoite(Onglet):
    BINDINGS = [
        Binding("d", "dossier", "Dossier suivant"),
        Binding("n", "nouveau", "Nouveau message"),
        Binding("r", "repondre", "Répondre"),
        Binding("s", "supprimer", "Supprimer"),
        Binding("u", "restaurer", "Restaurer"),
        Binding("l", "message_telephone", "Message laissé par tél."),
    ]

    def __init__(self, famille_id: int, **kwargs) -> None:
        super().__init__(famille_id, **kwargs)
        self.dossier = Dossier.RECUS
        self.a_selectionner: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="boite-dossier", classes="titre-section")
        table = DataTable(id="boite-messages", cursor_type="row")
        table.add_columns("Date", "De", "Objet", "Lu", "Début du message")
        yield table
        yield Static(id="boite-message", classes="cadre")

    def oublier(self) -> None:
        super().oublier()
        self.dossier = Dossier.RECUS
        self.a_selectionner = None
        self._messages = {}
        self.query_one("#boite-dossier", Static).update("")
        self.query_one("#boite-messages", DataTable).clear()
        self.query_one("#boite-message", Static).update("")

    def charger(self) -> None:
        vue = self.app.lire(vue_dossier, self.famille_id, self.dossier)
        messages, compte, self._agents = vue.messages, vue.compte, vue.agents
        self._messages = {m.id: m for m in messages}
        onglets = "   ".join(
            f"[{d.libelle} ({compte[d]})]" if d == self.dossier else f"{d.libelle} ({compte[d]})"
            for d in Dossier
        )
        self.query_one("#boite-dossier", Static).update(f"Boîte de réception — {onglets}")
        table = self.query_one("#boite-messages", DataTable)
        table.clear()
        # Every column on screen at 80 (a long subject pushed « Lu » and the message's start
        # off the right edge): the author, the subject and the start cut with « … ».
        etroit = (self.size.width or self.app.size.width) < LARGEUR_COLONNES_PLEINES
        de_max, objet_max, debut_max = (14, 20, 12) if etroit else (30, 40, 60)
        for m in messages:
            premiere = apercu(m.corps, debut_max)
            # The family's message: read by the service or not. The service's: « Oui » once
            # the family read it (on the portal); until then the app cannot know.
            lu = "Oui" if m.lu else ("—" if m.sens == Sens.DU_SERVICE else "Non")
            table.add_row(
                m.envoye_le.strftime("%d/%m/%Y %H:%M"),
                apercu(self._auteur(m), de_max),
                apercu(m.sujet, objet_max),
                lu,
                premiere,
                key=str(m.id),
            )
        if self.a_selectionner in self._messages:
            table.move_cursor(row=list(self._messages).index(self.a_selectionner))
        self.a_selectionner = None
        if not messages:
            self.query_one("#boite-message", Static).update(
                f"Aucun message dans « {self.dossier.libelle} »."
            )

    def _auteur(self, m: Message) -> str:
        if m.sens == Sens.DE_LA_FAMILLE:
            return "La famille" + (" (par téléphone)" if m.canal == Canal.TELEPHONE else "")
        return f"Le service ({self._agents.get(m.agent_id, 'service')})"

    def ouvrir_message(self, message_id: int) -> None:
        """Show a message (from the service's inbox) in its folder, and read it."""
        message = self.app.lire(message_par_id, message_id)
        from modele.messages import dossier_de

        self.dossier = dossier_de(message)
        self.a_selectionner = message_id
        self.charger()
        self.charge = True
        self._montrer(message, lire=True)

    def selectionne(self) -> Message | None:
        table = self.query_one("#boite-messages", DataTable)
        if not table.row_count:
            return None
        cle = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        return self._messages.get(int(cle))

    def _message_de(
        self, event: DataTable.RowHighlighted | DataTable.RowSelected
    ) -> Message | None:
        """The message of a row event, None for a row of a folder left since (`d` typed
        twice quickly: the first folder's row was looked up in the second's messages)."""
        if event.row_key is None or event.row_key.value is None:
            return None
        return self._messages.get(int(event.row_key.value))

    @on(DataTable.RowHighlighted, "#boite-messages")
    def _apercu(self, event: DataTable.RowHighlighted) -> None:
        if (message := self._message_de(event)) is not None:
            self._montrer(message, lire=False)

    @on(DataTable.RowSelected, "#boite-messages")
    def _lire(self, event: DataTable.RowSelected) -> None:
        if (message := self._message_de(event)) is not None:
            self._montrer(message, lire=True)

    def _montrer(self, message: Message, lire: bool) -> None:
        """Show the whole thread; reading a family's unread message marks it read."""
        app = self.app
        if lire and not message.lu and message.sens == Sens.DE_LA_FAMILLE:
            fait, _ = app.agir_ou_signaler(marquer_lu, app.contexte(), message.id)
            if fait:
                self.a_selectionner = message.id
                self.screen.rafraichir()
        messages = app.lire(fil, message.id)
        message = next((m for m in messages if m.id == message.id), message)
        morceaux = []
        for m in messages:
            entete = f"{m.envoye_le:%d/%m/%Y %H:%M} — {self._auteur(m)} — {m.sujet}"
            if m.supprime:
                entete += " (supprimé)"
            morceaux.append(f"{entete}\n{m.corps}")
        texte = ("\n\n" + "─" * 40 + "\n\n").join(morceaux)
        if not lire and not message.lu and message.sens == Sens.DE_LA_FAMILLE:
            texte = "(non lu — Entrée pour le lire)\n\n" + texte
        self.query_one("#boite-message", Static).update(texte)

    def action_dossier(self) -> None:
        self.dossier = DOSSIERS[(DOSSIERS.index(self.dossier) + 1) % len(DOSSIERS)]
        self.charger()

    def _rediger(
        self,
        titre: str,
        de_la_famille: bool,
        reponse_a: Message | None = None,
        sujet: str = "",
        bouton: str = "Envoyer",
    ) -> None:
        app = self.app
        modeles = [] if de_la_famille else app.lire(modeles_messages)
        nom, enfant = app.lire(nom_et_enfant, self.famille_id)

        def _fin(brouillon: Brouillon | None) -> None:
            if brouillon is None:
                return
            contexte = app.contexte()
            if de_la_famille:
                contexte = contexte.avec(canal=Canal.TELEPHONE)
            fait, message = app.agir_ou_signaler(
                envoyer,
                contexte,
                self.famille_id,
                brouillon.sujet,
                brouillon.corps,
                de_la_famille=de_la_famille,
                reponse_a_id=reponse_a.id if reponse_a else None,
            )
            if not fait:
                return
            app.notify("Message enregistré." if de_la_famille else "Message envoyé à la famille.")
            self.a_selectionner = message.id if reponse_a is None else reponse_a.id
            self.screen.rafraichir()

        app.push_screen(Redaction(titre, sujet, modeles, nom, enfant, bouton), _fin)

    def _famille(self) -> str:
        return self.app.lire(entete_famille, self.famille_id, self.app.aujourdhui).designation

    def action_nouveau(self) -> None:
        self._rediger(f"Nouveau message à la famille {self._famille()}", de_la_famille=False)

    def action_repondre(self) -> None:
        message = self.selectionne()
        if message is None or message.sens != Sens.DE_LA_FAMILLE:
            self.notify(
                "Choisissez un message reçu de la famille pour y répondre.", severity="warning"
            )
            return
        # One « RE : », French spacing, whatever the subject had (« RE: » from the portal).
        sujet = "RE : " + re.sub(r"^(?:re\s?:\s*)+", "", message.sujet, flags=re.IGNORECASE)
        self._rediger(
            f"Réponse à « {message.sujet} »", de_la_famille=False, reponse_a=message, sujet=sujet
        )

    def action_message_telephone(self) -> None:
        self._rediger(
            f"Message laissé au téléphone par la famille {self._famille()} (enregistré comme "
            "reçu de la famille)",
            de_la_famille=True,
            bouton="Enregistrer",
        )

    def _changer(self, action, texte: str) -> None:
        message = self.selectionne()
        if message is None:
            return
        fait, _ = self.app.agir_ou_signaler(action, self.app.contexte(), message.id)
        if not fait:
            return
        self.notify(texte)
        self.screen.rafraichir()

    def _vide(self) -> bool:
        """No message in the folder shown: said (`s` and `u` did nothing)."""
        if self.selectionne() is not None:
            return False
        self.notify(f"Aucun message dans « {self.dossier.libelle} ».", severity="warning")
        return True

    def action_supprimer(self) -> None:
        if self._vide():
            return
        if self.dossier == Dossier.SUPPRIMES:
            self.notify(
                "Ce message est déjà dans « Supprimés » (u pour le restaurer).", severity="warning"
            )
            return
        self._changer(supprimer, "Message déplacé dans « Supprimés ».")

    def action_restaurer(self) -> None:
        if self._vide():
            return
        if self.dossier != Dossier.SUPPRIMES:
            self.notify("Seul un message de « Supprimés » peut être restauré.", severity="warning")
            return
        self._changer(restaurer, "Message restauré.")
