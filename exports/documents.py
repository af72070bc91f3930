"""A document from its number: invoice or credit note, payment receipt, relevé of a school
year, as (file name, PDF bytes). Used by the screens (in their printing worker), the command
line (`guichet imprimer`) and tests: nothing of the screen is needed to print."""

from __future__ import annotations

import datetime as dt
import re

from sqlmodel import Session, col, select

from modele.base import ETAPE_ECRITURE_PDF, ErreurMetier, Progression, libelle_annee_scolaire
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
        mandat_rum=d.mandat_rum,
    )


# The month's print, as its progress shows it.
ETAPE_LECTURE = "Lecture des factures"
ETAPE_DESSIN = "Factures mises en page"


def factures_du_mois_pdf(
    details: list[DetailFacture],
    structure: Collectivite,
    edite_le: dt.date,
    titre: str,
    progression: Progression | None = None,
) -> bytes:
    """The month's invoices in one PDF, for the post (F6 and `guichet imprimer factures`);
    `progression` is told of each invoice drawn, and may raise (`Arret`) to stop."""
    from exports.facture import factures_pdf

    def pieces():
        for rang, d in enumerate(details):
            if progression is not None:
                progression(ETAPE_DESSIN, rang, len(details))
            yield a_imprimer(d, structure)
        if progression is not None:
            progression(ETAPE_DESSIN, len(details), len(details))
            progression(ETAPE_ECRITURE_PDF, 0, None)  # the document built: no stop from here

    return factures_pdf(pieces(), edite_le=edite_le, titre=titre)


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


_REFERENCE = re.compile(r"\s*([A-Za-z0-9]+)-(AV)?(\d{1,12})\s*")  # (a number the base holds)


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


def document_relances(
    session: Session, relance_ids: list[int], edite_le: dt.date
) -> tuple[str, bytes]:
    """The letters of reminders just sent, one PDF for the post."""
    from exports.relances import lettres_relance_pdf
    from modele.relances import lettres_relances

    regie, lettres = lettres_relances(session, relance_ids)
    pdf = lettres_relance_pdf(collectivite(session), regie, lettres, edite_le=edite_le)
    return f"Relances {regie.code} {edite_le:%Y-%m-%d}.pdf", pdf


def document_prelevements(
    session: Session, remise_id: int, cree_le: dt.datetime
) -> tuple[str, bytes]:
    """The pain.008 file of a remise."""
    from exports.sepa import nom_fichier, pain008
    from modele.sepa import donnees_remise

    donnees = donnees_remise(session, remise_id)
    return nom_fichier(donnees), pain008(donnees, cree_le)


def document_attestations(
    session: Session, annee: int, edite_le: dt.date, famille_id: int | None = None
) -> tuple[str, bytes]:
    """The attestations fiscales of `annee`: one family's, or every family's in one PDF."""
    from exports.attestation import attestations_pdf
    from modele.attestations import attestation_famille, attestations

    if famille_id is not None:
        liste = [attestation_famille(session, famille_id, annee)]
        nom = f"Attestation fiscale {annee} {liste[0].famille.numero}.pdf"
    else:
        liste = attestations(session, annee)
        if not liste:
            raise ErreurMetier(f"Aucun frais de garde d'enfant de moins de 6 ans payé en {annee}.")
        nom = f"Attestations fiscales {annee}.pdf"
    return nom, attestations_pdf(collectivite(session), liste, edite_le=edite_le)


def document_journal_caisse(
    session: Session,
    regie_id: int,
    jour: dt.date,
    edite_le: dt.date,
    comptes: dict[str, int] | None = None,
) -> tuple[str, bytes]:
    """The day's journal de caisse of a régie (a read); a day not closed yet shows the
    amounts counted so far (`comptes`, by mode)."""
    from exports.caisse import journal_caisse_pdf
    from modele.cloture import avec_comptes, etat_caisse

    etat = avec_comptes(etat_caisse(session, regie_id, jour), comptes or {})
    pdf = journal_caisse_pdf(collectivite(session), etat, edite_le=edite_le)
    return f"Journal de caisse {etat.regie.code} {jour.isoformat()}.pdf", pdf


def document_bordereau(
    session: Session, contexte, bordereau_id: int, edite_le: dt.date
) -> tuple[str, bytes]:
    """A deposit slip: its first print is noted (a write: call it in an action)."""
    from exports.caisse import bordereau_pdf
    from modele.cloture import imprimer_bordereau

    detail = imprimer_bordereau(session, contexte, bordereau_id)
    pdf = bordereau_pdf(collectivite(session), detail, edite_le=edite_le)
    return f"Bordereau {detail.bordereau.reference}.pdf", pdf
