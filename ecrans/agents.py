"""Staff accounts (administrator): list, create, deactivate, role, temporary password,
unlock; the rights of each role; the new password asked at login after a reset."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Header, Input

from ecrans.garde import EcranGarde
from ecrans.pied import PiedDePage
from ecrans.table import DataTable
from ecrans.texte import Label, Select, Static
from ecrans.widgets import Choix, Confirmation, Modale
from modele.agents import (
    PERMISSIONS,
    FicheAgent,
    Role,
    ajouter_agent,
    changer_mot_de_passe_et_connecter,
    changer_role,
    definir_actif,
    deverrouiller,
    exiger_autre_compte,
    lister_agents,
    manques_mot_de_passe,
    peut,
    reinitialiser_mot_de_passe,
)
from modele.base import ErreurMetier
from modele.formats import date_courte, oui_non

POLITIQUE = "8 caractères minimum, 1 majuscule, 1 minuscule, 1 chiffre"


def _horodatage(moment: dt.datetime | None) -> str:
    return f"{date_courte(moment.date())} {moment:%H:%M}" if moment else ""


def _manques(valeur: str) -> str:
    manques = manques_mot_de_passe(valeur) if valeur else []
    return "Il manque : " + ", ".join(manques) + "." if manques else ""


class FormulaireAgent(Modale[int | None]):
    """A new account; saved from here so that a refusal shows at its field and nothing
    typed is lost. Dismisses the new agent's id."""

    BINDINGS = [
        Binding("escape", "abandonner", "Annuler"),
        Binding("ctrl+s", "valider", "Enregistrer", priority=True),
    ]

    def compose(self) -> ComposeResult:
        champs = [
            (
                "identifiant",
                "Identifiant",
                Input(
                    id="identifiant",
                    max_length=30,
                    placeholder="lettres, chiffres, . - _",
                    compact=True,
                ),
            ),
            ("nom", "Nom", Input(id="nom", max_length=60, compact=True)),
            ("prenom", "Prénom", Input(id="prenom", max_length=60, compact=True)),
            (
                "role",
                "Rôle",
                Select(
                    [(r.libelle, r.value) for r in Role],
                    id="role",
                    value=Role.ACCUEIL.value,
                    allow_blank=False,
                    compact=True,
                ),
            ),
            ("mot_de_passe", "Mot de passe", Input(id="mot_de_passe", password=True, compact=True)),
            ("confirmation", "Confirmation", Input(id="confirmation", password=True, compact=True)),
        ]
        with Vertical(classes="formulaire"):
            yield Static("Nouvel agent", classes="titre-dialogue")
            for _, libelle, champ in champs:
                with Horizontal(classes="ligne-champ"):
                    yield Label(libelle, classes="libelle")
                    yield champ
            yield Static(f"Mot de passe : {POLITIQUE}.", classes="aide")
            yield Static("", id="erreur-agent", classes="erreur")
            with Horizontal(classes="boutons"):
                yield Button("Enregistrer", id="enregistrer", variant="primary")
                yield Button("Annuler", id="annuler")

    def on_mount(self) -> None:
        self.query_one("#identifiant", Input).focus()

    @on(Input.Changed, "#mot_de_passe")
    def _politique(self, event: Input.Changed) -> None:
        self.query_one("#erreur-agent", Static).update(_manques(event.value))

    @on(Input.Submitted)
    def _suivant(self, event: Input.Submitted) -> None:
        if event.input.id == "confirmation":
            self.action_valider()
        else:
            self.focus_next()

    def _refus(self, message: str, champ: str | None) -> None:
        self.query_one("#erreur-agent", Static).update(message)
        if champ and self.query(f"#{champ}"):
            self.query_one(f"#{champ}").focus()

    @on(Button.Pressed, "#enregistrer")
    def action_valider(self) -> None:
        valeur = {
            i: self.query_one(f"#{i}", Input).value
            for i in ("identifiant", "nom", "prenom", "mot_de_passe", "confirmation")
        }
        if valeur["mot_de_passe"] != valeur["confirmation"]:
            self._refus("Les deux mots de passe saisis diffèrent.", "confirmation")
            return
        app = self.app
        try:
            agent = app.agir(
                ajouter_agent,
                app.contexte(),
                valeur["identifiant"],
                valeur["nom"],
                valeur["prenom"],
                self.query_one("#role", Select).value,
                valeur["mot_de_passe"],
            )
        except ErreurMetier as e:
            self._refus(e.message, e.champ)
            return
        self.dismiss(agent.id)


class MotDePasseTemporaire(Modale[None]):
    """The temporary password, shown this once."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Fermer"),
        Binding("enter", "dismiss(None)", "Fermer", show=False),
    ]

    def __init__(self, agent: FicheAgent, temporaire: str) -> None:
        super().__init__()
        self.agent = agent
        self.temporaire = temporaire

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialogue large"):
            yield Static("Mot de passe temporaire", classes="titre-dialogue")
            yield Static(
                f"Pour {self.agent.nom_complet} ({self.agent.identifiant}), affiché "
                "une seule fois :"
            )
            yield Static(Text(self.temporaire, style="bold"), id="mdp-temporaire")
            yield Static("L'agent devra le changer à sa prochaine connexion.", classes="aide")
            with Horizontal(classes="boutons"):
                yield Button("Fermer", id="fermer", variant="primary")

    @on(Button.Pressed, "#fermer")
    def _fermer(self) -> None:
        self.dismiss(None)


class ChangementMotDePasse(Modale[bool]):
    """At login, after a reset: a new password before going on. Saves it with the login
    (one transaction) and dismisses True; Échap gives up the login."""

    BINDINGS = [
        Binding("escape", "abandonner(False)", "Abandonner"),
        Binding("ctrl+s", "valider", "Valider", priority=True),
    ]

    def __init__(self, agent: FicheAgent) -> None:
        super().__init__()
        self.agent = agent

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialogue large"):
            yield Static("Nouveau mot de passe obligatoire", classes="titre-dialogue")
            yield Static(
                f"{self.agent.nom_complet}, votre mot de passe a été réinitialisé : "
                f"choisissez-en un nouveau ({POLITIQUE}).",
                classes="aide",
            )
            yield Label("Nouveau mot de passe")
            yield Input(id="mot_de_passe", password=True)
            yield Label("Confirmation")
            yield Input(id="confirmation", password=True)
            yield Static("", id="erreur-nouveau", classes="erreur")
            with Horizontal(classes="boutons"):
                yield Button("Valider", id="valider", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#mot_de_passe", Input).focus()

    @on(Input.Changed, "#mot_de_passe")
    def _politique(self, event: Input.Changed) -> None:
        self.query_one("#erreur-nouveau", Static).update(_manques(event.value))

    @on(Input.Submitted, "#mot_de_passe")
    def _vers_confirmation(self) -> None:
        self.query_one("#confirmation", Input).focus()

    @on(Input.Submitted, "#confirmation")
    @on(Button.Pressed, "#valider")
    def action_valider(self) -> None:
        nouveau = self.query_one("#mot_de_passe", Input).value
        erreur = self.query_one("#erreur-nouveau", Static)
        if nouveau != self.query_one("#confirmation", Input).value:
            erreur.update("Les deux mots de passe saisis diffèrent.")
            self.query_one("#confirmation", Input).focus()
            return
        app = self.app
        contexte = app.contexte().avec(agent_id=self.agent.id)
        try:
            app.agir(changer_mot_de_passe_et_connecter, contexte, self.agent.id, nouveau)
        except ErreurMetier as e:
            erreur.update(e.message)
            self.query_one("#mot_de_passe", Input).focus()
            return
        self.dismiss(True)


class DroitsParRole(Modale[None]):
    """The permissions table, read only."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Fermer")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="formulaire"):
            yield Static("Droits par rôle", classes="titre-dialogue")
            yield Static(
                "Ce que chaque rôle peut faire ; l'application le vérifie à chaque action.",
                classes="aide",
            )
            table = DataTable(id="droits", cursor_type="row", zebra_stripes=True)
            table.add_columns("Action", *(r.libelle for r in Role))
            for cle, droit in PERMISSIONS.items():
                libelle = droit[2] if len(droit) > 2 and droit[2] else cle
                table.add_row(libelle, *("oui" if r in droit[0] else "—" for r in Role), key=cle)
            yield table

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()


COLONNES = (
    "Identifiant",
    "Nom",
    "Prénom",
    "Rôle",
    "Actif",
    "Verrouillé jusqu'à",
    "Mot de passe",
    "Dernière connexion",
)


class EcranAgents(EcranGarde, Screen[None]):
    """F8, kept for the agent's session: each showing reads the accounts afresh."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Retour"),
        Binding("n", "nouvel_agent", "Nouvel agent"),
        Binding("a", "activer", "Désactiver/Réactiver"),
        Binding("m", "mot_de_passe", "Mot de passe temporaire"),
        Binding("r", "role", "Rôle"),
        Binding("v", "deverrouiller", "Déverrouiller"),
        Binding("d", "droits", "Droits par rôle"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Read-only for other roles: the editing keys are not offered (modele refuses too)."""
        if action in ("nouvel_agent", "activer", "mot_de_passe", "role", "deverrouiller"):
            return peut(self.app.agent, "gerer_agents")
        return True

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Comptes des agents", classes="titre-section")
        yield Static(id="agents-droits", classes="erreur")
        table = DataTable(id="agents", cursor_type="row", zebra_stripes=True)
        for colonne in COLONNES:
            table.add_column(colonne, key=colonne)
        yield table
        yield PiedDePage()

    def on_mount(self) -> None:
        self.title = "Agents"

    def rouvrir(self) -> None:
        """Each showing: the accounts read afresh, the first one."""
        self._droits()
        table = self.query_one(DataTable)
        table.move_cursor(row=0)
        self.charger()
        table.focus()

    def _droits(self) -> None:
        self.query_one("#agents-droits", Static).update(
            ""
            if peut(self.app.agent, "gerer_agents")
            else "Lecture seule : seul un administrateur peut gérer les comptes des agents."
        )

    def charger(self) -> None:
        self._agents = {a.id: a for a in self.app.lire(lister_agents)}
        table = self.query_one(DataTable)
        ligne = table.cursor_row
        table.clear()
        maintenant = self.app.maintenant()
        for agent in self._agents.values():
            table.add_row(*self._cellules(agent, maintenant), key=str(agent.id))
        if table.row_count:
            table.move_cursor(row=min(ligne, table.row_count - 1))

    @staticmethod
    def _cellules(agent: FicheAgent, maintenant: dt.datetime) -> list[str]:
        verrou = agent.verrouille_jusqu_a
        return [
            agent.identifiant,
            agent.nom,
            agent.prenom,
            Role(agent.role).libelle,
            oui_non(agent.actif),
            _horodatage(verrou) if verrou and verrou > maintenant else "",
            "à changer" if agent.mot_de_passe_a_changer else "",
            _horodatage(agent.derniere_connexion),
        ]

    def _selection(self) -> FicheAgent | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return self._agents[int(table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value)]

    def _autorise(self) -> bool:
        if peut(self.app.agent, "gerer_agents"):
            return True
        self.notify(PERMISSIONS["gerer_agents"][1], severity="error", timeout=8)
        return False

    def _agir(self, message: str, fonction, *args) -> object:
        """One action; the refusal, if any, said in French (None then)."""
        fait, resultat = self.app.agir_ou_signaler(fonction, *args)
        if not fait:
            return None
        if message:
            self.notify(message)
        self.charger()
        return resultat

    def action_nouvel_agent(self) -> None:
        if not self._autorise():
            return

        def _fin(agent_id: int | None) -> None:
            if agent_id is not None:
                self.charger()
                table = self.query_one(DataTable)
                table.move_cursor(row=table.get_row_index(str(agent_id)))
                self.notify("Compte créé.")

        self.app.push_screen(FormulaireAgent(), _fin)

    def action_activer(self) -> None:
        agent = self._selection()
        if agent is None or not self._autorise():
            return
        contexte = self.app.contexte()
        if not agent.actif:
            self._agir("Compte réactivé.", definir_actif, contexte, agent.id, True)
            return
        try:
            exiger_autre_compte(contexte, agent.id)
        except ErreurMetier as e:
            self.notify(e.message, severity="error", timeout=8)
            return
        self.app.push_screen(
            Confirmation(
                f"Désactiver le compte de {agent.nom_complet} ({agent.identifiant}) ? "
                "Il ne pourra plus se connecter."
            ),
            lambda oui: (
                oui and self._agir("Compte désactivé.", definir_actif, contexte, agent.id, False)
            ),
        )

    def action_mot_de_passe(self) -> None:
        agent = self._selection()
        if agent is None or not self._autorise():
            return
        self._reinitialiser(agent)

    @work
    async def _reinitialiser(self, agent: FicheAgent) -> None:
        """Confirm, reset, then show the temporary password once."""
        contexte = self.app.contexte()
        if not await self.app.push_screen_wait(
            Confirmation(
                f"Réinitialiser le mot de passe de {agent.nom_complet} ({agent.identifiant}) ?"
            )
        ):
            return
        temporaire = self._agir("", reinitialiser_mot_de_passe, contexte, agent.id)
        if temporaire:
            self.app.push_screen(MotDePasseTemporaire(agent, temporaire))

    def action_role(self) -> None:
        agent = self._selection()
        if agent is None or not self._autorise():
            return
        contexte = self.app.contexte()

        def _fin(role: str | None) -> None:
            if role is None or role == agent.role:
                return
            if role == Role.ADMIN:  # (every right: asked, as a deactivation is)
                question = (
                    f"Donner à {agent.nom_complet} le rôle Administrateur (agents, calendrier, "
                    "tous les droits) ?"
                )
                self.app.push_screen(Confirmation(question), lambda oui: oui and _changer(role))
                return
            _changer(role)

        def _changer(role: str) -> None:
            change = self._agir(
                f"{agent.nom_complet} : {Role(role).libelle}.",
                changer_role,
                contexte,
                agent.id,
                role,
            )
            if change is not None and agent.id == self.app.agent.id:
                # the header and the screens follow at once
                self.app.agent = replace(self.app.agent, role=role)
                self.app.rafraichir_compteurs()
                self._droits()

        roles = [
            (r.value, f"{r.libelle} (actuel)" if r.value == agent.role else r.libelle) for r in Role
        ]
        self.app.push_screen(Choix(f"Rôle de {agent.nom_complet}", roles, actuel=agent.role), _fin)

    def action_deverrouiller(self) -> None:
        agent = self._selection()
        if agent is None or not self._autorise():
            return
        if not (agent.verrouille_jusqu_a and agent.verrouille_jusqu_a > self.app.maintenant()):
            self.notify("Ce compte n'est pas verrouillé.")
            return
        contexte = self.app.contexte()
        self._agir("Compte déverrouillé.", deverrouiller, contexte, agent.id)

    def action_droits(self) -> None:
        self.app.push_screen(DroitsParRole())
