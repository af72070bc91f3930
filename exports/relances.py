"""Reminder letters of unpaid invoices, one per family, addressed to the régie's payer, all
in one PDF for the post."""

from __future__ import annotations

import datetime as dt

from exports.courrier import en_tete, signature
from exports.pdf import (
    FOND,
    GRIS,
    ITALIQUE,
    UTILE,
    Colonne,
    Document,
    Tableau,
    date_courte,
    euros,
    mm,
)
from modele.relances import LettreRelance, libelle_niveau
from modele.structure import Collectivite, Regie

_INTRODUCTIONS = {
    1: (
        "Sauf erreur de notre part, les factures ci-dessous restent impayées à ce jour, "
        "après leur date d'échéance. Nous vous remercions de bien vouloir en effectuer le "
        "règlement dans les meilleurs délais."
    ),
    2: (
        "Malgré notre premier rappel, les factures ci-dessous restent impayées. Nous vous "
        "demandons de les régler sous quinze jours. Sans règlement de votre part, un titre "
        "de recette sera émis et le recouvrement confié au comptable public, avec les frais "
        "qui s'y attachent."
    ),
}


def lettres_relance_pdf(
    collectivite: Collectivite,
    regie: Regie,
    lettres: list[LettreRelance],
    *,
    edite_le: dt.date | dt.datetime,
) -> bytes:
    """One letter per family (its unpaid invoices and their level), in one PDF."""
    if not lettres:
        raise ValueError("Aucune lettre de relance à imprimer.")
    document = Document(f"Relances {regie.code}", collectivite.nom, edite_le)
    for lettre in lettres:
        _lettre(document, collectivite, regie, lettre)
    return document.octets()


def _lettre(
    document: Document, collectivite: Collectivite, regie: Regie, lettre: LettreRelance
) -> None:
    niveau = libelle_niveau(lettre.niveau)
    piece = en_tete(
        document,
        collectivite,
        regie,
        niveau,
        (niveau.upper(), "Factures impayées"),
        (lettre.payeur, lettre.famille),
        [("N° famille", lettre.famille.numero), ("Date", date_courte(lettre.date))],
        ecart=18,
    )
    piece.paragraphe("Madame, Monsieur,", taille=10)
    piece.y -= 6
    piece.paragraphe(_INTRODUCTIONS.get(lettre.niveau, _INTRODUCTIONS[1]), taille=10)
    piece.y -= 8
    tableau = Tableau(
        piece,
        [
            Colonne("N° facture", 26 * mm),
            Colonne("Date", 22 * mm),
            Colonne("Échéance", 22 * mm),
            Colonne("Relance", UTILE - 106 * mm),
            Colonne("Reste dû", 36 * mm, "d"),
        ],
    )
    tableau.entete()
    for facture, reste, niveau_facture in lettre.lignes:
        tableau.ligne(
            [
                facture.reference,
                date_courte(facture.date_emission),
                date_courte(facture.date_echeance),
                libelle_niveau(niveau_facture),
                euros(reste),
            ]
        )
    tableau.ligne(["", "", "", "Total restant dû", euros(lettre.total)], gras=True, fond=FOND)
    tableau.fin()
    piece.y -= 6
    if regie.modalites_paiement:
        piece.paragraphe(regie.modalites_paiement, taille=9, couleur=GRIS)
    piece.paragraphe(
        "Si votre règlement a été effectué entre-temps, nous vous prions de ne pas tenir "
        "compte de ce courrier.",
        taille=9,
        police=ITALIQUE,
        couleur=GRIS,
    )
    signature(piece, collectivite, lettre.date)
    piece.finir()
