"""Mes enfants, the child's file (d): change requests, people allowed to collect the child,
enrolments, adding a child, the registration form.

Each chain of dialogs is one worker that reads top to bottom; the menu's choices are
methods called by name (MENU_ENFANT), so that a search for callers finds them.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import work

from ecrans.formulaire_demande import DemandeEnregistree, FormulaireDemande
from ecrans.impression import imprimer_fiche_inscription
from ecrans.widgets import Choix, ouvre_un_dialogue
from modele.agents import PERMISSIONS, peut
from modele.base import annee_scolaire, libelle_annee_scolaire
from modele.demandes import TypeDemande, creer_demande
from modele.famille import responsables
from modele.formats import compte
from modele.formulaires import champs_activites, valeurs_actuelles
from modele.inscriptions import (
    Futures,
    activites_possibles,
    desinscrire,
    inscriptions_en_cours,
    inscrire,
)
from modele.planning import activites

# The child's menu: (choice, label); without a child, only adding one and the blank form.
MENU_ENFANT = [
    ("autorisations", "Modifier les autorisations"),
    ("sanitaires", "Modifier les données sanitaires (lunettes, allergies, PAI, médecin)"),
    ("personne_ajout", "Ajouter une personne autorisée à venir chercher l'enfant"),
    ("personne_retrait", "Retirer une personne autorisée"),
    ("inscrire", "Inscrire à une activité (année scolaire en cours)"),
    ("desinscrire", "Désinscrire d'une activité"),
    ("ajout_enfant", "Ajouter un enfant (pré-inscription)"),
    ("fiche", "Fiche d'inscription (PDF) pré-remplie"),
    ("fiche_vierge", "Fiche d'inscription (PDF) vierge"),
]
SANS_ENFANT = ("ajout_enfant", "fiche_vierge")


class DemandesEnfant:
    """The child's-file actions of OngletEnfants (which provides famille_id, enfant_id,
    _enfants, _inscriptions, _personnes, charger() and _apres(message))."""

    def actions_enfant(self) -> dict[str, Callable[[], object]]:
        """MENU_ENFANT's choices, by name."""
        return {
            "autorisations": self.demander_autorisations,
            "sanitaires": self.demander_sanitaires,
            "personne_ajout": self.demander_personne_ajout,
            "personne_retrait": self.demander_personne_retrait,
            "inscrire": self.inscrire_a_une_activite,
            "desinscrire": self.desinscrire_d_une_activite,
            "ajout_enfant": self.demander_ajout_enfant,
            "fiche": self.imprimer_fiche,
            "fiche_vierge": self.imprimer_fiche_vierge,
        }

    @ouvre_un_dialogue
    @work
    async def action_demandes_enfant(self) -> None:
        options = MENU_ENFANT if self._enfants else [o for o in MENU_ENFANT if o[0] in SANS_ENFANT]
        prenom = self._enfants[self.enfant_id].premier_prenom if self._enfants else ""
        choix = await self.app.push_screen_wait(
            Choix(f"{prenom} — demandes et inscriptions", options)
        )
        if choix:
            self.actions_enfant()[choix]()

    @work
    async def _formulaire(
        self,
        type_: TypeDemande,
        source: object | None,
        enfant_id: int | None,
        champs_en_plus: tuple = (),
        actuelles_en_plus: dict | None = None,
    ) -> None:
        app = self.app
        actuelles = valeurs_actuelles(type_, source) | (actuelles_en_plus or {})
        resultat: DemandeEnregistree | None = await app.push_screen_wait(
            FormulaireDemande(
                self.famille_id,
                type_,
                actuelles,
                app.canal,
                app.appel_id is not None,
                enfant_id=enfant_id,
                champs_en_plus=champs_en_plus,
            )
        )
        if resultat is None:
            return
        self._apres(
            f"Demande « {resultat.type.libelle} » enregistrée ({resultat.canal.libelle}), en "
            "attente de traitement par le service."
        )

    def demander_autorisations(self) -> None:
        self._formulaire(TypeDemande.AUTORISATIONS, self._enfants[self.enfant_id], self.enfant_id)

    def demander_sanitaires(self) -> None:
        if not peut(self.app.agent, "voir_donnees_sante"):
            self.notify(PERMISSIONS["voir_donnees_sante"][1], severity="error")
            return
        self._formulaire(TypeDemande.SANITAIRES, self._enfants[self.enfant_id], self.enfant_id)

    def demander_personne_ajout(self) -> None:
        self._formulaire(TypeDemande.PERSONNES_AUTORISEES, None, self.enfant_id)

    def demander_ajout_enfant(self) -> None:
        ouvertes = self.app.lire(activites, actives_seulement=True)
        responsable, _ = self.app.lire(responsables, self.famille_id)
        self._formulaire(
            TypeDemande.AJOUT_ENFANT,
            None,
            None,
            champs_activites(ouvertes),
            {"nom": responsable.nom if responsable else ""},
        )

    @work
    async def demander_personne_retrait(self) -> None:
        personnes = self._personnes[self.enfant_id]
        if not personnes:
            self.notify("Aucune personne autorisée pour cet enfant.", severity="warning")
            return
        choix = await self.app.push_screen_wait(
            Choix(
                "Retirer une personne autorisée",
                [(str(p.id), f"{p.prenom} {p.nom} ({p.lien}) {p.telephone}") for p in personnes],
            )
        )
        if choix is None:
            return
        personne = next(p for p in personnes if p.id == int(choix))
        fait, _ = self.app.agir_ou_signaler(
            creer_demande,
            self.app.contexte(),
            self.famille_id,
            TypeDemande.PERSONNES_AUTORISEES,
            {
                "action": "retrait",
                "personne_id": personne.id,
                "nom": personne.nom,
                "prenom": personne.prenom,
            },
            enfant_id=self.enfant_id,
        )
        if fait:
            self._apres(f"Demande de retrait de {personne.prenom} {personne.nom} enregistrée.")

    @work
    async def inscrire_a_une_activite(self) -> None:
        enfant = self._enfants[self.enfant_id]
        annee = annee_scolaire(self.app.aujourdhui)
        deja = {a.id for a in self._inscriptions[self.enfant_id]}
        possibles = [a for a in self.app.lire(activites_possibles, enfant) if a.id not in deja]
        if not possibles:
            self.notify("Aucune autre activité ouverte à ce niveau.", severity="warning")
            return
        choix = await self.app.push_screen_wait(
            Choix(
                f"Inscrire {enfant.premier_prenom} ({libelle_annee_scolaire(annee)})",
                [(str(a.id), a.nom) for a in possibles],
            )
        )
        if choix is None:
            return
        fait, _ = self.app.agir_ou_signaler(
            inscrire,
            self.app.contexte(),
            self.enfant_id,
            int(choix),
            annee,
            debut=self.app.aujourdhui,
        )
        if fait:
            self.charger()
            self._apres("Inscription enregistrée.")

    @work
    async def desinscrire_d_une_activite(self) -> None:
        """Which enrolment, then what becomes of the days already booked."""
        enfant = self._enfants[self.enfant_id]
        annee = annee_scolaire(self.app.aujourdhui)
        inscrits = self.app.lire(inscriptions_en_cours, self.enfant_id, annee, self.app.aujourdhui)
        if not inscrits:
            self.notify("Aucune inscription en cours.", severity="warning")
            return
        inscription_id = await self.app.push_screen_wait(
            Choix(f"Désinscrire {enfant.premier_prenom}", [(str(i.id), a.nom) for i, a in inscrits])
        )
        if inscription_id is None:
            return
        choix = await self.app.push_screen_wait(
            Choix("Et les réservations à venir ?", [(f.value, f.libelle) for f in Futures])
        )
        if choix is None:
            return
        fait, nombre = self.app.agir_ou_signaler(
            desinscrire, self.app.contexte(), int(inscription_id), Futures(choix)
        )
        if fait:
            self.charger()
            self._apres(
                f"Désinscription enregistrée ({compte(nombre, 'jour')} à venir : "
                f"{Futures(choix).libelle.lower()})."
            )

    def imprimer_fiche(self) -> None:
        imprimer_fiche_inscription(self.app, self.famille_id, self.enfant_id)

    def imprimer_fiche_vierge(self) -> None:
        imprimer_fiche_inscription(self.app, self.famille_id, None)
