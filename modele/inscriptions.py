"""Enrolments: a child in an activity for a school year; unenrolment and its future days;
a child added on a family's request."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlmodel import Session, col, delete, select

from modele.base import (
    Contexte,
    ErreurMetier,
    annee_scolaire,
    bornes_annee_scolaire,
    id_de,
    libelle_annee_scolaire,
)
from modele.droits import exiger
from modele.formats import compte
from modele.journal import journaliser
from modele.planning import non_facturee
from modele.recherche import indexer_famille
from modele.tables.famille import (
    Enfant,
    NiveauScolaire,
    PersonneAutorisee,
    Responsable,
    RoleResponsable,
)
from modele.tables.planning import Activite, Consommation, Inscription


class Futures(StrEnum):
    ANNULER = "annuler"
    GARDER_SANS_FRAIS = "garder"

    @property
    def libelle(self) -> str:
        return {
            "annuler": "Annuler les réservations à venir",
            "garder": "Garder les réservations à venir, sans les facturer",
        }[self.value]


def activites_possibles(session: Session, enfant: Enfant) -> list[Activite]:
    """The activities open to the child's school level."""
    return [
        a
        for a in session.exec(
            select(Activite)
            .where(Activite.actif == True)
            .order_by(col(Activite.ordre), col(Activite.id))
        )
        if enfant.niveau in a.niveaux.split(",")
    ]


def inscriptions_en_cours(
    session: Session, enfant_id: int, annee: int, jour: dt.date
) -> list[tuple[Inscription, Activite]]:
    """The child's enrolments of the school year still running after `jour`."""
    return list(
        session.exec(
            select(Inscription, Activite)
            .join(Activite, col(Activite.id) == Inscription.activite_id)
            .where(
                Inscription.enfant_id == enfant_id,
                Inscription.annee_scolaire == annee,
                Inscription.date_fin > jour,
            )
        )
    )


def inscrire(
    session: Session,
    contexte: Contexte,
    enfant_id: int,
    activite_id: int,
    annee: int,
    debut: dt.date | None = None,
) -> Inscription:
    """Enrol for a school year (from `debut`, default the start of the year or today)."""
    exiger(session, contexte, "servir_famille")
    enfant = session.get(Enfant, enfant_id)
    activite = session.get(Activite, activite_id)
    if enfant is None or activite is None:
        raise ErreurMetier("Enfant ou activité introuvable.")
    if enfant.niveau not in activite.niveaux.split(","):
        raise ErreurMetier(
            f"« {activite.nom} » n'est pas ouvert au niveau "
            f"{NiveauScolaire(enfant.niveau).libelle.lower()}."
        )
    existante = session.exec(
        select(Inscription).where(
            Inscription.enfant_id == enfant_id,
            Inscription.activite_id == activite_id,
            Inscription.annee_scolaire == annee,
        )
    ).first()
    premier, dernier = bornes_annee_scolaire(annee)
    debut = max(debut or premier, premier)
    if existante is not None:
        if existante.date_fin >= debut:
            raise ErreurMetier(
                f"{enfant.premier_prenom} est déjà inscrit(e) à « {activite.nom} » "
                f"pour {libelle_annee_scolaire(annee)}."
            )
        existante.date_fin = dernier  # re-enrolled after leaving
        inscription = existante
    else:
        responsable = session.exec(
            select(Responsable).where(
                Responsable.famille_id == enfant.famille_id,
                Responsable.role == RoleResponsable.RESPONSABLE,
            )
        ).first()
        inscription = Inscription(
            enfant_id=enfant_id,
            activite_id=activite_id,
            annee_scolaire=annee,
            date_debut=debut,
            date_fin=dernier,
            responsable_id=responsable.id if responsable else None,
        )
    session.add(inscription)
    session.flush()
    journaliser(
        session,
        contexte,
        "inscription",
        "inscription",
        inscription.id,
        enfant.famille_id,
        detail=f"{enfant.premier_prenom} inscrit(e) à « {activite.nom} » "
        f"({libelle_annee_scolaire(annee)})",
    )
    return inscription


def desinscrire(session: Session, contexte: Contexte, inscription_id: int, futures: Futures) -> int:
    """End an enrolment today; the days booked after today are cancelled or kept without
    charge. Days already invoiced are never touched. Returns how many days were concerned."""
    exiger(session, contexte, "servir_famille")
    inscription = session.get(Inscription, inscription_id)
    if inscription is None:
        raise ErreurMetier("Inscription introuvable.")
    enfant = session.get_one(Enfant, inscription.enfant_id)
    activite = session.get_one(Activite, inscription.activite_id)
    aujourdhui = contexte.aujourdhui
    if inscription.date_fin <= aujourdhui:
        raise ErreurMetier("Cette inscription est déjà terminée.")
    a_venir = (
        col(Consommation.enfant_id) == inscription.enfant_id,
        col(Consommation.activite_id) == inscription.activite_id,
        col(Consommation.jour) > aujourdhui,
        col(Consommation.jour) <= inscription.date_fin,
        non_facturee(),
    )
    jours = list(session.exec(select(Consommation).where(*a_venir)))
    if futures == Futures.ANNULER:
        session.exec(delete(Consommation).where(*a_venir))
    else:
        for cellule in jours:
            cellule.gratuit = True
            session.add(cellule)
    inscription.date_fin = max(aujourdhui, inscription.date_debut)
    session.add(inscription)
    journaliser(
        session,
        contexte,
        "desinscription",
        "inscription",
        inscription.id,
        enfant.famille_id,
        detail=f"{enfant.premier_prenom} désinscrit(e) de « {activite.nom} » : "
        f"{compte(len(jours), 'jour')} à venir — {futures.libelle.lower()}",
    )
    return len(jours)


def creer_enfant(session: Session, contexte: Contexte, famille_id: int, valeurs: dict) -> Enfant:
    """The child of an accepted "Ajout d'enfant" request, with the activities wished
    enrolled for the current school year."""
    exiger(session, contexte, "modifier_fiche")
    naissance = valeurs["date_naissance"]
    enfant = Enfant(
        famille_id=famille_id,
        nom=valeurs["nom"],
        prenoms=valeurs["prenoms"],
        sexe=valeurs.get("sexe", ""),
        date_naissance=dt.date.fromisoformat(naissance)
        if isinstance(naissance, str)
        else naissance,
        niveau=valeurs.get("niveau") or NiveauScolaire.MATERNELLE.value,
        ecole=valeurs.get("ecole", ""),
        classe=valeurs.get("classe", ""),
    )
    session.add(enfant)
    session.flush()
    indexer_famille(session, famille_id)
    journaliser(
        session,
        contexte,
        "enfant ajoute",
        "enfant",
        enfant.id,
        famille_id,
        apres={"nom": enfant.nom, "prenoms": enfant.prenoms},
    )
    annee = annee_scolaire(contexte.aujourdhui)
    for activite_id in valeurs.get("activites", []):
        inscrire(
            session, contexte, id_de(enfant), int(activite_id), annee, debut=contexte.aujourdhui
        )
    return enfant


def appliquer_personne(session: Session, contexte: Contexte, enfant_id: int, valeurs: dict) -> None:
    """An accepted request about the people allowed to collect a child."""
    exiger(session, contexte, "modifier_fiche")
    enfant = session.get(Enfant, enfant_id)
    if enfant is None:
        raise ErreurMetier("Enfant introuvable.")
    if valeurs.get("action") == "retrait":
        personne = session.get(PersonneAutorisee, int(valeurs["personne_id"]))
        if personne is None or personne.enfant_id != enfant_id:
            raise ErreurMetier("Cette personne n'est plus dans la liste.")
        session.delete(personne)
        detail = f"{personne.prenom} {personne.nom} retiré(e)"
    else:
        personne = PersonneAutorisee(
            enfant_id=enfant_id,
            nom=valeurs["nom"],
            prenom=valeurs.get("prenom", ""),
            lien=valeurs.get("lien", ""),
            telephone=valeurs.get("telephone", ""),
        )
        session.add(personne)
        detail = f"{personne.prenom} {personne.nom} ajouté(e)"
    journaliser(
        session,
        contexte,
        "personne autorisee",
        "enfant",
        enfant_id,
        enfant.famille_id,
        detail=detail,
    )
