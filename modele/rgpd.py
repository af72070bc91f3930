"""RGPD: everything held on one family (a JSON export), and the anonymisation of a family
that has left, keeping the accounting records the law requires (invoices, payments)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlmodel import Session, SQLModel, col, delete, select, update

from modele.agents import exiger
from modele.base import Contexte, ErreurMetier
from modele.journal import journaliser
from modele.recherche import indexer_famille
from modele.reglements import solde
from modele.tables.demandes import Demande
from modele.tables.facturation import Facture, LigneFacture
from modele.tables.famille import Enfant, Famille, PersonneAutorisee, Responsable
from modele.tables.journal import Journal
from modele.tables.messages import Message
from modele.tables.planning import Consommation, Inscription, JourFacture
from modele.tables.quotient import QuotientFamilial
from modele.tables.reglements import Affectation, Reglement

ANONYME = "ANONYME"
SECRETS = {"mot_de_passe_hash"}


def _ligne(objet: SQLModel) -> dict[str, Any]:
    return {k: v for k, v in objet.model_dump().items() if k not in SECRETS}


def exporter_famille(session: Session, contexte: Contexte, famille_id: int) -> dict[str, Any]:
    """Everything held on the family, as plain data (dates as ISO strings)."""
    exiger(session, contexte, "rgpd")
    famille = session.get(Famille, famille_id)
    if famille is None:
        raise ErreurMetier("Famille introuvable.")
    enfants = list(session.exec(select(Enfant).where(Enfant.famille_id == famille_id)))
    ids_enfants = [e.id for e in enfants]
    factures = list(session.exec(select(Facture).where(Facture.famille_id == famille_id)))
    reglements = list(session.exec(select(Reglement).where(Reglement.famille_id == famille_id)))

    def toutes(modele: type[SQLModel], condition) -> list[dict[str, Any]]:
        return [_ligne(o) for o in session.exec(select(modele).where(condition))]

    donnees = {
        "export": {
            "famille": famille.numero,
            "le": contexte.maintenant().isoformat(),
            "par_agent": contexte.agent_id,
        },
        "famille": _ligne(famille),
        "responsables": toutes(Responsable, Responsable.famille_id == famille_id),
        "enfants": [_ligne(e) for e in enfants],
        "personnes_autorisees": toutes(
            PersonneAutorisee, col(PersonneAutorisee.enfant_id).in_(ids_enfants)
        ),
        "inscriptions": toutes(Inscription, col(Inscription.enfant_id).in_(ids_enfants)),
        "planning": toutes(Consommation, col(Consommation.enfant_id).in_(ids_enfants)),
        "jours_factures": toutes(
            JourFacture,
            col(JourFacture.consommation_id).in_(
                select(Consommation.id).where(col(Consommation.enfant_id).in_(ids_enfants))
            ),
        ),
        "quotients": toutes(QuotientFamilial, QuotientFamilial.famille_id == famille_id),
        "factures": [_ligne(f) for f in factures],
        "lignes_factures": toutes(
            LigneFacture, col(LigneFacture.facture_id).in_([f.id for f in factures])
        ),
        "reglements": [_ligne(r) for r in reglements],
        "affectations": toutes(
            Affectation, col(Affectation.reglement_id).in_([r.id for r in reglements])
        ),
        "messages": toutes(Message, Message.famille_id == famille_id),
        "demandes": toutes(Demande, Demande.famille_id == famille_id),
        "journal": toutes(Journal, Journal.famille_id == famille_id),
    }
    journaliser(session, contexte, "export rgpd", "famille", famille_id, famille_id)
    return json.loads(json.dumps(donnees, default=_json))


def _json(valeur: Any) -> Any:
    if isinstance(valeur, dt.date | dt.datetime | dt.time):
        return valeur.isoformat()
    return str(valeur)


def anonymiser_famille(session: Session, contexte: Contexte, famille_id: int) -> None:
    """Erase what identifies the family and its children; keep invoices, payments, QF values
    and the planning days they bill (accounting), under the family number only."""
    exiger(session, contexte, "rgpd")
    famille = session.get(Famille, famille_id)
    if famille is None:
        raise ErreurMetier("Famille introuvable.")
    reste = solde(session, famille_id)
    if reste != 0:
        raise ErreurMetier(
            "Le compte de la famille n'est pas soldé : régularisez-le avant "
            "d'anonymiser (les écritures comptables doivent être closes)."
        )
    for champ in (
        "identifiant_portail",
        "mot_de_passe_hash",
        "numero_allocataire",
        "numero_fiscal",
        "nombre_parts",
        "titulaire_compte",
        "iban",
        "bic",
        "nom_banque",
        "mandat_sepa_reference",
    ):
        setattr(famille, champ, "")
    famille.revenu_fiscal_reference = famille.annee_revenus = famille.mandat_sepa_date = None
    famille.prelevement = False
    famille.version += 1
    for r in session.exec(select(Responsable).where(Responsable.famille_id == famille_id)):
        for champ in (
            "nom_naissance",
            "prenoms",
            "pays_naissance",
            "departement_naissance",
            "commune_naissance",
            "code_insee_naissance",
            "lieu_naissance_etranger",
            "adresse",
            "code_postal",
            "ville",
            "telephone_domicile",
            "telephone_professionnel",
            "mobile",
            "email",
            "profession",
            "employeur",
            "adresse_employeur",
        ):
            setattr(r, champ, "")
        r.nom, r.date_naissance = ANONYME, None
        session.add(r)
    ids_enfants = []
    for rang, e in enumerate(
        session.exec(select(Enfant).where(Enfant.famille_id == famille_id)), 1
    ):
        ids_enfants.append(e.id)
        e.nom, e.prenoms = ANONYME, f"Enfant {rang}"
        e.date_naissance = dt.date(e.date_naissance.year, 1, 1)  # the age bracket stays
        for champ in (
            "ecole",
            "classe",
            "allergies",
            "regime_alimentaire",
            "medecin",
            "telephone_medecin",
        ):
            setattr(e, champ, "")
        e.pai = e.lunettes = False
        e.actif = False
        session.add(e)
    session.exec(delete(PersonneAutorisee).where(col(PersonneAutorisee.enfant_id).in_(ids_enfants)))
    session.exec(
        update(Message)
        .where(col(Message.famille_id) == famille_id)
        .values(sujet="[anonymisé]", corps="[anonymisé]")
    )
    session.exec(
        update(Demande)
        .where(col(Demande.famille_id) == famille_id)
        .values(valeurs={}, commentaire="", motif_refus="")
    )
    session.exec(
        update(QuotientFamilial)
        .where(col(QuotientFamilial.famille_id) == famille_id)
        .values(commentaire="", reference_document="")
    )
    session.exec(
        update(LigneFacture)
        .where(
            col(LigneFacture.facture_id).in_(
                select(Facture.id).where(Facture.famille_id == famille_id)
            )
        )
        .values(libelle="[anonymisé]")
    )
    session.exec(update(Reglement).where(col(Reglement.famille_id) == famille_id).values(payeur=""))
    # The journal keeps its rows (who did what, when) but not the personal values they held.
    session.exec(
        update(Journal)
        .where(col(Journal.famille_id) == famille_id)
        .values(avant=None, apres=None, detail="")
    )
    session.add(famille)
    session.flush()
    indexer_famille(session, famille_id)
    journaliser(session, contexte, "anonymisation rgpd", "famille", famille_id, famille_id)
