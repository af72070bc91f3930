"""Mes enfants: the children, their file and their enrolments for the school year."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Static
from sqlmodel import select

from ecrans.widgets import Onglet, fiche
from modele.base import annee_scolaire, libelle_annee_scolaire
from modele.dossier import inscriptions
from modele.famille import Enfant, NiveauScolaire, PersonneAutorisee, age, enfants
from modele.formats import date_courte, oui_non


class OngletEnfants(Onglet):
    def compose(self) -> ComposeResult:
        yield Static(id="enfants-titre", classes="titre-section")
        table = DataTable(id="enfants-liste", cursor_type="row")
        table.add_columns("Nom", "Prénoms", "Né(e) le", "Âge", "Niveau", "Inscriptions")
        yield table
        yield Static("Fiche de l'enfant", classes="titre-section")
        yield Static(id="enfant-fiche")

    def charger(self) -> None:
        annee = annee_scolaire(self.app.aujourdhui)
        with self.app.session() as session:
            self._enfants = {e.id: e for e in enfants(session, self.famille_id)}
            self._inscriptions = inscriptions(session, list(self._enfants), annee)
            self._personnes: dict[int, list[PersonneAutorisee]] = {i: [] for i in self._enfants}
            for p in session.exec(select(PersonneAutorisee).where(
                    PersonneAutorisee.enfant_id.in_(list(self._enfants)))):
                self._personnes[p.enfant_id].append(p)
        self.query_one("#enfants-titre", Static).update(
            f"Enfants — inscriptions {libelle_annee_scolaire(annee)}")
        table = self.query_one("#enfants-liste", DataTable)
        table.clear()
        for e in self._enfants.values():
            activites = ", ".join(a.libelle for a in self._inscriptions[e.id]) or "—"
            table.add_row(e.nom, e.prenoms, date_courte(e.date_naissance),
                          f"{age(e.date_naissance, self.app.aujourdhui)} ans",
                          NiveauScolaire(e.niveau).libelle, activites, key=str(e.id))
        if not self._enfants:
            self.query_one("#enfant-fiche", Static).update("Aucun enfant enregistré.")
        else:
            self._montrer(next(iter(self._enfants)))

    @on(DataTable.RowHighlighted, "#enfants-liste")
    def _ligne(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value:
            self._montrer(int(event.row_key.value))

    def _montrer(self, enfant_id: int) -> None:
        e: Enfant = self._enfants[enfant_id]
        personnes = "; ".join(f"{p.prenom} {p.nom} ({p.lien}) {p.telephone}".strip()
                              for p in self._personnes[enfant_id]) or "Aucune"
        activites = "\n".join(a.nom for a in self._inscriptions[enfant_id]) or "Aucune"
        self.query_one("#enfant-fiche", Static).update(fiche([
            ("Nom", e.nom), ("Prénoms", e.prenoms),
            ("Né(e) le", date_courte(e.date_naissance)), ("Sexe", e.sexe),
            ("Niveau", NiveauScolaire(e.niveau).libelle), ("École", e.ecole),
            ("Classe", e.classe), ("Lunettes", oui_non(e.lunettes)),
            ("Allergies", e.allergies), ("PAI", oui_non(e.pai)),
            ("Régime alimentaire", e.regime_alimentaire), ("Médecin", e.medecin),
            ("Tél. médecin", e.telephone_medecin),
            ("Autorisation photos", oui_non(e.autorisation_photo)),
            ("Sortie seul", oui_non(e.autorisation_sortie_seul)),
            ("Autorisation de soins", oui_non(e.autorisation_soins)),
            ("Personnes autorisées", personnes), ("Inscriptions", activites),
        ]))
