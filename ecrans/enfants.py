"""Mes enfants: the children, the monthly planning grid of the selected child, its file.

On the grid: r requests a booking, a declares an absence, c records a medical certificate,
o records presence, Entrée or a right click opens the cell's menu; e goes to the next child.
"""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding

from ecrans.formulaire_demande import DemandeEnregistree, FormulaireDemande
from ecrans.grille_planning import GrillePlanning, LegendeComplete, LegendePlanning
from ecrans.planning_actions import Absence, DeclarationAbsence, MenuCellule, Pointage
from ecrans.table import DataTable
from ecrans.texte import Static
from ecrans.widgets import Choix, Confirmation, Onglet, SaisieMotif, fiche
from modele.agents import PERMISSIONS, peut
from modele.base import ErreurMetier, annee_scolaire, libelle_annee_scolaire
from modele.demandes import TypeDemande, creer_demande
from modele.dossier import vue_enfants
from modele.famille import MASQUE, Enfant, NiveauScolaire, PersonneAutorisee, age, responsables
from modele.formats import date_courte, mois_annee, oui_non
from modele.formulaires import champs_activites, valeurs_actuelles
from modele.grille import grille
from modele.inscriptions import (
    Futures,
    activites_possibles,
    desinscrire,
    inscriptions_en_cours,
    inscrire,
)
from modele.planning import EtatConsommation, activites
from modele.reservations import (
    CHAMP_AVOIR,
    CHAMP_EXCLUSIF,
    declarer_absence,
    demander_reservation,
    enregistrer_certificats,
    pointer_jours,
)


def resume_jours(jours: list[dt.date]) -> str:
    if len(jours) == 1:
        return f"le {date_courte(jours[0])}"
    return f"{len(jours)} jours : " + ", ".join(f"{j:%d/%m}" for j in jours)


class OngletEnfants(Onglet):
    BINDINGS = [
        Binding("e", "enfant_suivant", "Enfant suivant"),
        Binding("r", "reservation", "Réserver"),
        Binding("a", "absence", "Absence"),
        Binding("c", "certificat", "Certificat"),
        Binding("o", "pointage", "Pointer"),
        Binding("enter", "menu", "Menu de la case", show=False),
        Binding("d", "demandes_enfant", "Demandes et inscriptions"),
        Binding("question_mark", "legende", "Légende"),
    ]

    def __init__(self, famille_id: int, **kwargs) -> None:
        super().__init__(famille_id, **kwargs)
        self.enfant_id: int | None = None
        self.mois: dt.date | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="enfants-titre", classes="titre-section")
        table = DataTable(id="enfants-liste", cursor_type="row")
        table.add_columns("Nom", "Prénoms", "Né(e) le", "Âge", "Niveau", "Inscriptions")
        yield table
        yield Static(id="planning-titre", classes="titre-section")
        yield Static(
            "PgPréc / PgSuiv : mois, t : ce mois, e : enfant suivant, m : tous ces "
            "jours-là, p : tous les jours ouverts, maj+flèches : plage",
            id="planning-aide",
            classes="aide",
        )
        yield GrillePlanning(id="planning")
        yield LegendePlanning(id="planning-legende", classes="legende")
        yield Static("Fiche de l'enfant", classes="titre-section")
        yield Static(id="enfant-fiche")

    def focus_premier(self) -> None:
        self.query_one(GrillePlanning).focus()

    def charger(self) -> None:
        aujourdhui = self.app.aujourdhui
        annee = annee_scolaire(aujourdhui)
        agent_id = self.app.agent.id if self.app.agent else None
        vue = self.app.lire(vue_enfants, self.famille_id, agent_id, annee)
        self._enfants = vue.enfants
        self._inscriptions = vue.inscriptions
        self._personnes: dict[int, list[PersonneAutorisee]] = vue.personnes
        self.query_one("#enfants-titre", Static).update(
            f"Enfants — inscriptions {libelle_annee_scolaire(annee)}"
        )
        table = self.query_one("#enfants-liste", DataTable)
        table.clear()
        for e in self._enfants.values():
            activites = ", ".join(a.libelle for a in self._inscriptions[e.id]) or "—"
            table.add_row(
                e.nom,
                e.prenoms,
                date_courte(e.date_naissance),
                f"{age(e.date_naissance, aujourdhui)} ans",
                NiveauScolaire(e.niveau).libelle,
                activites,
                key=str(e.id),
            )
        grille_widget = self.query_one(GrillePlanning)
        if not self._enfants:
            self.query_one("#enfant-fiche", Static).update("Aucun enfant enregistré.")
            self.query_one("#planning-titre", Static).update("Planning")
            grille_widget.display = False
            return
        if self.enfant_id not in self._enfants:
            self.enfant_id = next(iter(self._enfants))
        table.move_cursor(row=list(self._enfants).index(self.enfant_id))
        self.montrer_enfant(self.enfant_id)

    @on(DataTable.RowHighlighted, "#enfants-liste")
    def _ligne(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value:
            enfant_id = int(event.row_key.value)
            if enfant_id != self.enfant_id:
                self.montrer_enfant(enfant_id)

    def montrer_enfant(self, enfant_id: int) -> None:
        self.enfant_id = enfant_id
        self._fiche(enfant_id)
        self.charger_mois(self.mois or self.app.aujourdhui.replace(day=1))

    def charger_mois(self, mois: dt.date, jour_vise: int | None = None) -> None:
        """Read and show one month of the selected child's planning (the month only)."""
        self.mois = mois
        g = self.app.lire(grille, self.enfant_id, mois.year, mois.month)
        self.query_one(GrillePlanning).montrer(g, self.app.aujourdhui, jour_vise)
        enfant = self._enfants[self.enfant_id]
        # One line of fixed height: a month change repaints it without a layout pass.
        self.query_one("#planning-titre", Static).update(
            f"Planning de {enfant.premier_prenom} {enfant.nom} — {mois_annee(mois)}", layout=False
        )

    @on(GrillePlanning.MoisChange)
    def _mois(self, event: GrillePlanning.MoisChange) -> None:
        event.stop()
        if self.enfant_id is not None:
            self.charger_mois(dt.date(event.annee, event.mois, 1))

    def action_legende(self) -> None:
        self.app.push_screen(LegendeComplete())

    def action_enfant_suivant(self) -> None:
        if not self._enfants:
            return
        ids = list(self._enfants)
        suivant = ids[(ids.index(self.enfant_id) + 1) % len(ids)]
        self.query_one("#enfants-liste", DataTable).move_cursor(row=ids.index(suivant))
        self.montrer_enfant(suivant)
        self.query_one(GrillePlanning).focus()

    def _fiche(self, enfant_id: int) -> None:
        e: Enfant = self._enfants[enfant_id]
        personnes = (
            "; ".join(
                f"{p.prenom} {p.nom} ({p.lien}) {p.telephone}".strip()
                for p in self._personnes[enfant_id]
            )
            or "Aucune"
        )
        activites = ", ".join(a.nom for a in self._inscriptions[enfant_id]) or "Aucune"
        self.query_one("#enfant-fiche", Static).update(
            fiche(
                [
                    ("Nom", e.nom),
                    ("Prénoms", e.prenoms),
                    ("Né(e) le", date_courte(e.date_naissance)),
                    ("Sexe", e.sexe),
                    ("Niveau", NiveauScolaire(e.niveau).libelle),
                    ("École", e.ecole),
                    ("Classe", e.classe),
                    ("Lunettes", oui_non(e.lunettes) if e.allergies != MASQUE else MASQUE),
                    ("Allergies", e.allergies),
                    ("PAI", oui_non(e.pai) if e.allergies != MASQUE else MASQUE),
                    ("Régime alimentaire", e.regime_alimentaire),
                    ("Médecin", e.medecin),
                    ("Tél. médecin", e.telephone_medecin),
                    ("Autorisation photos", oui_non(e.autorisation_photo)),
                    ("Sortie seul", oui_non(e.autorisation_sortie_seul)),
                    ("Autorisation de soins", oui_non(e.autorisation_soins)),
                    ("Personnes autorisées", personnes),
                    ("Inscriptions", activites),
                ]
            )
        )

    # --- actions on the cells ----------------------------------------------------------------

    def _cible(self) -> tuple[int, str, list[dt.date]] | None:
        grille_widget = self.query_one(GrillePlanning)
        if not grille_widget.lignes_actives:
            self.notify(
                "Aucune activité à cette date : inscrivez d'abord l'enfant.", severity="warning"
            )
            return None
        activite = grille_widget.grille.lignes[grille_widget.ligne].activite
        return activite.id, activite.nom, grille_widget.jours_choisis()

    def _apres(self, message: str) -> None:
        self.notify(message)
        self.charger_mois(self.mois, self.query_one(GrillePlanning).colonne + 1)
        self.screen.rafraichir_entete()
        self.app.rafraichir_compteurs()

    def action_reservation(self, derogation: bool = False) -> None:
        cible = self._cible()
        if cible is None:
            return
        activite_id, nom, jours = cible
        app = self.app
        try:
            app.agir(
                demander_reservation, app.contexte(), self.enfant_id, activite_id, jours, derogation
            )
        except ErreurMetier as e:
            depassement = e.message.startswith(("Délai dépassé", "Complet"))
            if depassement and not derogation and peut(app.agent, "deroger_reservation"):
                app.push_screen(
                    Confirmation(
                        f"{e.message}\nRéserver quand même, par dérogation du régisseur ?"
                    ),
                    lambda oui: oui and self.action_reservation(derogation=True),
                )
            else:
                self.notify(e.message, severity="error", timeout=8)
            return
        self._apres(
            f"Demande de réservation « {nom} » {resume_jours(jours)} : en cours de traitement."
        )

    def action_absence(self) -> None:
        cible = self._cible()
        if cible is None:
            return
        activite_id, nom, jours = cible
        app = self.app

        def _fin(absence: Absence | None) -> None:
            if absence is None:
                return
            fait, _ = app.agir_ou_signaler(
                declarer_absence,
                app.contexte(),
                self.enfant_id,
                activite_id,
                jours,
                absence.motif,
                absence.certificat,
                confirme=True,
            )
            if not fait:
                return
            self._apres(
                f"Absence « {nom} » {resume_jours(jours)} déclarée : en cours de traitement."
            )

        app.push_screen(DeclarationAbsence(f"{nom}, {resume_jours(jours)}"), _fin)

    def action_certificat(self, avec_avoir: bool = False) -> None:
        """On a day already invoiced, the credit note is part of the action: asked first."""
        cible = self._cible()
        if cible is None:
            return
        activite_id, _nom, jours = cible
        app = self.app
        try:
            app.agir(
                enregistrer_certificats,
                app.contexte(),
                self.enfant_id,
                activite_id,
                jours,
                avec_avoir,
            )
        except ErreurMetier as e:
            if e.champ == CHAMP_AVOIR and not peut(app.agent, "avoir"):
                self.notify(
                    f"{e.message.rsplit('. ', 1)[0]}. {PERMISSIONS['avoir'].refus}",
                    severity="error",
                    timeout=8,
                )
            elif e.champ == CHAMP_AVOIR and not avec_avoir:
                app.push_screen(
                    Confirmation(e.message),
                    lambda oui: oui and self.action_certificat(avec_avoir=True),
                )
            else:
                self.notify(e.message, severity="error", timeout=8)
            return
        suite = " Avoir émis pour le jour facturé." if avec_avoir else ""
        self._apres(f"Certificat médical enregistré {resume_jours(jours)}.{suite}")

    def action_pointage(self) -> None:
        cible = self._cible()
        if cible is None:
            return
        activite_id, nom, jours = cible

        app = self.app

        def _pointer(etat: EtatConsommation, derogation: str = "") -> None:
            try:
                app.agir(
                    pointer_jours,
                    app.contexte(),
                    self.enfant_id,
                    activite_id,
                    jours,
                    etat,
                    derogation,
                )
            except ErreurMetier as e:
                if e.champ == CHAMP_EXCLUSIF and not derogation:
                    # the exclusive pair: forced only with a reason, kept in the journal
                    app.push_screen(
                        SaisieMotif(
                            e.message,
                            "Motif de la dérogation (gardé au journal) *",
                            "Pointer quand même",
                        ),
                        lambda motif: motif and _pointer(etat, motif),
                    )
                else:
                    self.notify(e.message, severity="error", timeout=8)
                return
            suite = " par dérogation" if derogation else ""
            self._apres(f"{etat.libelle} pointé {resume_jours(jours)}{suite}.")

        def _fin(etat: EtatConsommation | None) -> None:
            if etat is not None:
                _pointer(etat)

        app.push_screen(Pointage(f"{nom}, {resume_jours(jours)}"), _fin)

    @on(GrillePlanning.Action)
    def action_menu(self) -> None:
        cible = self._cible()
        if cible is None:
            return
        _, nom, jours = cible

        def _fin(choix: str | None) -> None:
            if choix:
                getattr(self, f"action_{choix}")()

        self.app.push_screen(MenuCellule(f"{nom}, {resume_jours(jours)}"), _fin)

    # --- the child's file: requests, enrolments, registration form -----------------------------

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

    def action_demandes_enfant(self) -> None:
        if not self._enfants:
            options = [o for o in self.MENU_ENFANT if o[0] in ("ajout_enfant", "fiche_vierge")]
        else:
            options = self.MENU_ENFANT
        prenom = self._enfants[self.enfant_id].premier_prenom if self._enfants else ""

        def _fin(choix: str | None) -> None:
            if choix:
                getattr(self, f"_enfant_{choix}")()

        self.app.push_screen(Choix(f"{prenom} — demandes et inscriptions", options), _fin)

    def _formulaire(
        self,
        type_: TypeDemande,
        source: object | None,
        enfant_id: int | None,
        champs_en_plus: tuple = (),
        actuelles_en_plus: dict | None = None,
    ) -> None:
        app = self.app
        actuelles = valeurs_actuelles(type_, source) | (actuelles_en_plus or {})
        formulaire = FormulaireDemande(
            self.famille_id,
            type_,
            actuelles,
            app.canal,
            app.appel_id is not None,
            enfant_id=enfant_id,
            champs_en_plus=champs_en_plus,
        )

        def _fin(resultat: DemandeEnregistree | None) -> None:
            if resultat is not None:
                if app.appel_id is None:
                    app.canal = resultat.canal
                self._apres(
                    f"Demande « {resultat.type.libelle} » enregistrée : en attente de "
                    "traitement par le service."
                )

        app.push_screen(formulaire, _fin)

    def _enfant_autorisations(self) -> None:
        self._formulaire(TypeDemande.AUTORISATIONS, self._enfants[self.enfant_id], self.enfant_id)

    def _enfant_sanitaires(self) -> None:
        if not peut(self.app.agent, "voir_donnees_sante"):
            self.notify(PERMISSIONS["voir_donnees_sante"][1], severity="error")
            return
        self._formulaire(TypeDemande.SANITAIRES, self._enfants[self.enfant_id], self.enfant_id)

    def _enfant_personne_ajout(self) -> None:
        self._formulaire(TypeDemande.PERSONNES_AUTORISEES, None, self.enfant_id)

    def _enfant_ajout_enfant(self) -> None:
        ouvertes = self.app.lire(activites, actives_seulement=True)
        responsable, _ = self.app.lire(responsables, self.famille_id)
        self._formulaire(
            TypeDemande.AJOUT_ENFANT,
            None,
            None,
            champs_activites(ouvertes),
            {"nom": responsable.nom if responsable else ""},
        )

    def _enfant_personne_retrait(self) -> None:
        personnes = self._personnes[self.enfant_id]
        if not personnes:
            self.notify("Aucune personne autorisée pour cet enfant.", severity="warning")
            return

        def _fin(choix: str | None) -> None:
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
            if not fait:
                return
            self._apres(f"Demande de retrait de {personne.prenom} {personne.nom} enregistrée.")

        self.app.push_screen(
            Choix(
                "Retirer une personne autorisée",
                [(str(p.id), f"{p.prenom} {p.nom} ({p.lien}) {p.telephone}") for p in personnes],
            ),
            _fin,
        )

    def _enfant_inscrire(self) -> None:
        enfant = self._enfants[self.enfant_id]
        annee = annee_scolaire(self.app.aujourdhui)
        deja = {a.id for a in self._inscriptions[self.enfant_id]}
        possibles = [a for a in self.app.lire(activites_possibles, enfant) if a.id not in deja]
        if not possibles:
            self.notify("Aucune autre activité ouverte à ce niveau.", severity="warning")
            return

        def _fin(choix: str | None) -> None:
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
            if not fait:
                return
            self.charger()
            self._apres("Inscription enregistrée.")

        self.app.push_screen(
            Choix(
                f"Inscrire {enfant.premier_prenom} ({libelle_annee_scolaire(annee)})",
                [(str(a.id), a.nom) for a in possibles],
            ),
            _fin,
        )

    def _enfant_desinscrire(self) -> None:
        enfant = self._enfants[self.enfant_id]
        annee = annee_scolaire(self.app.aujourdhui)
        inscrits = self.app.lire(inscriptions_en_cours, self.enfant_id, annee, self.app.aujourdhui)
        if not inscrits:
            self.notify("Aucune inscription en cours.", severity="warning")
            return

        def _futures(inscription_id: str | None) -> None:
            if inscription_id is None:
                return

            def _fin(choix: str | None) -> None:
                if choix is None:
                    return
                fait, nombre = self.app.agir_ou_signaler(
                    desinscrire, self.app.contexte(), int(inscription_id), Futures(choix)
                )
                if not fait:
                    return
                self.charger()
                self._apres(
                    f"Désinscription enregistrée ({nombre} jour(s) à venir : "
                    f"{Futures(choix).libelle.lower()})."
                )

            self.app.push_screen(
                Choix("Et les réservations à venir ?", [(f.value, f.libelle) for f in Futures]),
                _fin,
            )

        self.app.push_screen(
            Choix(
                f"Désinscrire {enfant.premier_prenom}", [(str(i.id), a.nom) for i, a in inscrits]
            ),
            _futures,
        )

    def _enfant_fiche(self, vierge: bool = False) -> None:
        from ecrans.impression import imprimer_fiche_inscription

        imprimer_fiche_inscription(self.app, self.famille_id, None if vierge else self.enfant_id)

    def _enfant_fiche_vierge(self) -> None:
        self._enfant_fiche(vierge=True)
