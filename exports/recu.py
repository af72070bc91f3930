"""The payment receipt ("Reçu de paiement" / quittance) the régie hands over at the counter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from exports.courrier import adresse_destinataire, en_tete, signature
from exports.lettres import montant_en_lettres
from exports.pdf import (
    ACCENT,
    DROITE,
    FOND,
    FOND_FORT,
    GAUCHE,
    GRAS,
    GRIS,
    ITALIQUE,
    NOIR,
    POLICE,
    UTILE,
    Colonne,
    Document,
    Tableau,
    couper,
    date_courte,
    euros,
    mm,
    periode,
    propre,
)
from modele.facturation import Facture
from modele.famille import Famille, Responsable
from modele.reglements import Affectation, ModeReglement, Reglement, description_reglement
from modele.structure import Collectivite, Regie


def mode_detaille(reglement: Reglement) -> str:
    """ "Chèque n° 0004512 — La Banque Postale", "Espèces", "Titre émis (ORMC n°12)"."""
    mode = ModeReglement(reglement.mode)
    if mode == ModeReglement.TITRE_ORMC:
        return description_reglement(reglement).removeprefix("Règlement : ")
    texte = mode.libelle
    if reglement.reference_paiement:
        texte += f" n° {reglement.reference_paiement}"
    if reglement.banque:
        texte += f" — {reglement.banque}"
    return texte


def recu_pdf(
    collectivite: Collectivite,
    regie: Regie,
    famille: Famille,
    responsable: Responsable | None,
    reglement: Reglement,
    affectations: Sequence[Affectation],
    factures: Mapping[int, Facture],
    *,
    edite_le: dt.date | dt.datetime,
) -> bytes:
    """The receipt of `reglement`: the invoices it paid (its Affectation rows, with the
    invoices by id) and what is left as a credit on the family's account."""
    annulation = reglement.montant < 0
    titre = "AVIS D'ANNULATION" if annulation else "REÇU DE PAIEMENT"
    document = Document(f"Reçu {reglement.reference}", collectivite.nom, edite_le)
    piece = en_tete(
        document,
        collectivite,
        regie,
        f"Quittance {reglement.reference}",
        (titre, f"{'N°' if annulation else 'Quittance n°'} {reglement.reference}"),
        (responsable, famille),
        [("N° famille", famille.numero), ("Date du règlement", date_courte(reglement.date))],
        largeur_libelle=32 * mm,
    )
    c = piece.c

    # The payment itself, framed, as the part the parent keeps.
    payeur = reglement.payeur or adresse_destinataire(responsable, famille)[0]
    paires = [
        ("Régie", regie.libelle),
        ("Mode de règlement", mode_detaille(reglement)),
        ("Payeur", payeur),
    ]
    if annulation and reglement.motif:
        paires.append(("Motif", reglement.motif))
    en_lettres = montant_en_lettres(abs(reglement.montant))
    phrase = (
        f"Règlement annulé pour la somme de {en_lettres}, portée au débit de votre compte."
        if annulation
        else f"Arrêté la présente quittance à la somme de {en_lettres}."
    )
    lettres = couper(phrase, ITALIQUE, 9, UTILE - 16)
    hauteur = 38 + 13 * len(paires) + 12 * len(lettres)
    haut = piece.y
    c.setStrokeColorRGB(*ACCENT)
    c.setLineWidth(1)
    c.rect(GAUCHE, haut - hauteur, UTILE, hauteur, stroke=1, fill=0)
    c.setFillColorRGB(*FOND_FORT)
    c.rect(DROITE - 62 * mm, haut - 30, 62 * mm, 30, stroke=0, fill=1)
    c.setFillColorRGB(*ACCENT)
    c.setFont(POLICE, 8)
    c.drawRightString(DROITE - 8, haut - 11, "Montant reçu" if not annulation else "Montant annulé")
    c.setFont(GRAS, 15)
    c.drawRightString(DROITE - 8, haut - 25, euros(abs(reglement.montant)))
    c.setFillColorRGB(*NOIR)
    y = piece.cartouche(
        GAUCHE + 8, haut - 16, paires, largeur_libelle=34 * mm, largeur=UTILE - 62 * mm - 12
    )
    y -= 6
    c.setFont(ITALIQUE, 9)
    for ligne in lettres:
        c.drawString(GAUCHE + 8, y, ligne)
        y -= 12
    piece.y = haut - hauteur - 16

    paye = sum(a.montant for a in affectations)
    if not annulation:
        piece.titre("Factures réglées")
        tableau = Tableau(
            piece,
            [
                Colonne("N° facture", 25 * mm),
                Colonne("Date", 22 * mm),
                Colonne("Période", UTILE - 119 * mm),
                Colonne("Montant de la facture", 36 * mm, "d"),
                Colonne("Montant réglé", 36 * mm, "d"),
            ],
        )
        tableau.entete()
        for affectation in affectations:
            facture = factures.get(affectation.facture_id)
            if facture is None:
                tableau.ligne(
                    [f"n° {affectation.facture_id}", "", "", "", euros(affectation.montant)]
                )
                continue
            tableau.ligne(
                [
                    facture.reference,
                    date_courte(facture.date_emission),
                    periode(facture.periode_debut, facture.periode_fin),
                    euros(facture.total),
                    euros(affectation.montant),
                ]
            )
        if not affectations:
            tableau.ligne(["", "", "Aucune facture réglée par ce paiement.", "", ""])
        tableau.ligne(["", "", "Total affecté aux factures", "", euros(paye)], gras=True, fond=FOND)
        tableau.fin()
        credit = reglement.montant - paye
        if credit > 0:
            piece.besoin(30)
            piece.y -= 4
            c.setFont(GRAS, 9.5)
            c.drawString(
                GAUCHE, piece.y - 10, propre(f"Reste en crédit sur votre compte : {euros(credit)}")
            )
            piece.y -= 14
            piece.paragraphe(
                "Ce crédit sera déduit de vos prochaines factures.", taille=8.5, couleur=GRIS
            )
    if ModeReglement(reglement.mode) == ModeReglement.CHEQUE and not annulation:
        piece.y -= 4
        piece.paragraphe(
            "Paiement par chèque reçu sous réserve d'encaissement.", taille=8.5, couleur=GRIS
        )

    # Signed the day the money was taken: a payment taken after the day's closing is dated
    # the next cash day, but its receipt is handed over today.
    signe_le = min(reglement.date, reglement.cree_le.date())
    signature(piece, collectivite, signe_le, mention="(cachet et signature)", besoin=70, hauteur=70)
    piece.finir()
    return document.octets()
