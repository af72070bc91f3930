"""A document from its number: invoice or credit note, payment receipt, relevé of a school
year, as (file name, PDF bytes). Used by the screens (in their printing worker), the command
line (`guichet imprimer`) and tests: nothing of the screen is needed to print."""

from __future__ import annotations

import datetime as dt
import re

from sqlmodel import Session, col, select

from modele.base import ErreurMetier, libelle_annee_scolaire
from modele.facturation import Facture, NatureFacture
from modele.famille import famille as famille_par_id
from modele.reglements import (
    DetailFacture,
    Reglement,
    destinataire_releve,
    detail_facture,
    detail_reglement,
    releve,
)
from modele.structure import Collectivite, Regie, collectivite


def a_imprimer(d: DetailFacture, structure: Collectivite):
    """An invoice's details as the PDF draws them."""
    from exports.facture import FactureAImprimer

    return FactureAImprimer(
        collectivite=structure,
        regie=d.regie,
        famille=d.famille,
        responsable=d.responsable,
        facture=d.facture,
        lignes=d.lignes,
        enfants=d.enfants,
        activites=d.activites,
        deja_paye=d.deja_paye,
        reste_du=d.reste_du,
        facture_origine=d.origine,
    )


def document_facture(session: Session, facture_id: int, edite_le: dt.date) -> tuple[str, bytes]:
    from exports.facture import facture_pdf

    d = detail_facture(session, facture_id)
    genre = "Avoir" if d.avoir else "Facture"
    pdf = facture_pdf(a_imprimer(d, collectivite(session)), edite_le=edite_le)
    return f"{genre} {d.facture.reference} {d.famille.numero}.pdf", pdf


def document_recu(session: Session, reglement_id: int, edite_le: dt.date) -> tuple[str, bytes]:
    from exports.recu import recu_pdf

    d = detail_reglement(session, reglement_id)
    pdf = recu_pdf(
        collectivite(session),
        d.regie,
        d.famille,
        d.responsable,
        d.reglement,
        d.affectations,
        d.factures,
        edite_le=edite_le,
    )
    return f"Recu {d.reglement.reference} {d.famille.numero}.pdf", pdf


def document_releve(
    session: Session, famille_id: int, annee: int, au: dt.date
) -> tuple[str, bytes]:
    from exports.releve import releve_pdf

    famille = famille_par_id(session, famille_id)
    # addressed to the payer as of the day it is drawn up
    responsable = destinataire_releve(session, famille_id, dt.datetime.combine(au, dt.time.max))
    pdf = releve_pdf(
        collectivite(session),
        famille,
        responsable,
        releve(session, famille_id, annee),
        edite_le=au,
        arrete_au=au,
    )
    return f"Releve {libelle_annee_scolaire(annee)} {famille.numero}.pdf", pdf


_REFERENCE = re.compile(r"\s*([A-Za-z0-9]+)-(AV)?(\d+)\s*")


def facture_par_reference(session: Session, reference: str) -> int:
    """The id of invoice "AL-36" or credit note "AL-AV3"."""
    trouve = _REFERENCE.fullmatch(reference)
    if trouve is None:
        raise ErreurMetier(f"Numéro de facture invalide « {reference} » (ex. AL-36).")
    code, avoir, numero = trouve.groups()
    nature = NatureFacture.AVOIR if avoir else NatureFacture.FACTURE
    facture_id = session.exec(
        select(Facture.id)
        .join(Regie, col(Regie.id) == col(Facture.regie_id))
        .where(Regie.code == code.upper(), Facture.nature == nature, Facture.numero == int(numero))
    ).first()
    if facture_id is None:
        raise ErreurMetier(f"Aucune facture {reference.strip().upper()}.")
    return facture_id


def reglement_par_reference(session: Session, reference: str) -> int:
    """The id of payment "AL-228"."""
    reglement_id = session.exec(
        select(Reglement.id).where(Reglement.reference == reference.strip().upper())
    ).first()
    if reglement_id is None:
        raise ErreurMetier(f"Aucun règlement {reference.strip().upper()}.")
    return reglement_id
