"""Attestation fiscale of childcare costs (children under 6), one per family; a batch of
every family's is one PDF."""

from __future__ import annotations

import datetime as dt

from exports.facture import adresse_destinataire, nom_destinataire
from exports.pdf import (
    FOND,
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
    date_courte,
    euros,
    mm,
    propre,
    ville,
)
from modele.attestations import AttestationFiscale
from modele.structure import Collectivite


def attestations_pdf(
    collectivite: Collectivite,
    attestations: list[AttestationFiscale],
    *,
    edite_le: dt.date,
) -> bytes:
    if not attestations:
        raise ValueError("Aucune attestation à imprimer.")
    annee = attestations[0].annee
    document = Document(f"Attestations fiscales {annee}", collectivite.nom, edite_le)
    for attestation in attestations:
        _attestation(document, collectivite, attestation, edite_le)
    return document.octets()


def _attestation(
    document: Document, collectivite: Collectivite, a: AttestationFiscale, edite_le: dt.date
) -> None:
    piece = document.piece(
        collectivite, None, f"Attestation fiscale {a.annee}", collectivite.contact_factures
    )
    c = piece.c
    y = piece.premiere_page("ATTESTATION FISCALE", f"Frais de garde — année {a.annee}")
    bas_adresse = piece.destinataire(adresse_destinataire(a.destinataire, a.famille))
    identite = [("Structure", collectivite.nom)]
    if collectivite.siret:
        identite.append(("SIRET", collectivite.siret))
    identite.append(("N° famille", a.famille.numero))
    bas = piece.cartouche(GAUCHE, y - 4, identite, largeur_libelle=26 * mm, largeur=86 * mm)
    piece.y = min(bas, bas_adresse) - 18
    lieu = collectivite.adresse.replace("\n", ", ")
    piece.paragraphe(
        f"Le régisseur de {collectivite.nom}{f', {lieu}' if lieu else ''}, atteste que "
        f"{nom_destinataire(a.destinataire, a.famille)} (famille n° {a.famille.numero}) a versé "
        f"au cours de l'année {a.annee}, pour la garde de ses enfants âgés de moins de 6 ans au "
        f"1er janvier {a.annee}, les sommes suivantes (frais de repas exclus) :",
        taille=10,
    )
    piece.y -= 8
    tableau = Tableau(
        piece,
        [
            Colonne("Enfant", UTILE - 76 * mm),
            Colonne("Date de naissance", 36 * mm),
            Colonne("Sommes versées", 40 * mm, "d"),
        ],
    )
    tableau.entete()
    for m in a.enfants:
        tableau.ligne(
            [
                f"{m.enfant.nom} {m.enfant.prenoms}",
                date_courte(m.enfant.date_naissance),
                euros(m.montant),
            ]
        )
    tableau.ligne(["Total", "", euros(a.total)], gras=True, fond=FOND)
    tableau.fin()
    piece.y -= 6
    piece.paragraphe(
        "Sommes effectivement payées dans l'année, déduction faite des avoirs et des "
        "règlements annulés, à déclarer au titre des frais de garde des enfants de moins de "
        "6 ans (crédit d'impôt). Les aides perçues pour cette garde (CAF, employeur) sont à "
        "déduire par le déclarant.",
        taille=8.5,
        police=ITALIQUE,
        couleur=GRIS,
    )
    piece.besoin(60)
    piece.y -= 14
    endroit = ville(collectivite.adresse)
    fait = (
        f"Fait à {endroit}, le {date_courte(edite_le)}"
        if endroit
        else f"Fait le {date_courte(edite_le)}"
    )
    x = GAUCHE + UTILE - 75 * mm
    c.setFont(POLICE, 9)
    c.setFillColorRGB(*NOIR)
    c.drawString(x, piece.y - 10, propre(fait))
    c.setFont(GRAS, 9)
    c.drawString(x, piece.y - 26, "Le régisseur")
    piece.y -= 40
    piece.finir()
