"""The "Relevé de compte" of a school year: every invoice (debit) and payment (credit), the
previous balance, the totals and the balance (rule 6), as on the portal's tab."""

from __future__ import annotations

import datetime as dt

from exports.courrier import en_tete
from exports.pdf import (
    ACCENT,
    DROITE,
    FOND,
    FOND_FORT,
    GRAS,
    GRIS,
    NOIR,
    POLICE,
    UTILE,
    Colonne,
    Document,
    Tableau,
    euros,
    mm,
    montant,
    propre,
)
from modele.base import libelle_annee_scolaire
from modele.famille import Famille, Responsable
from modele.reglements import Releve
from modele.structure import Collectivite


def releve_pdf(
    collectivite: Collectivite,
    famille: Famille,
    responsable: Responsable | None,
    releve: Releve,
    *,
    edite_le: dt.date | dt.datetime,
    arrete_au: dt.date | None = None,
) -> bytes:
    """The statement of `releve` (modele.reglements.releve()); `arrete_au`: the date the
    figures are given at (defaults to the edition day)."""
    annee = libelle_annee_scolaire(releve.annee_scolaire)
    document = Document(
        f"Relevé de compte {annee} — famille {famille.numero}", collectivite.nom, edite_le
    )
    au = arrete_au or (
        document.edite_le.date()
        if isinstance(document.edite_le, dt.datetime)
        else document.edite_le
    )
    piece = en_tete(
        document,
        collectivite,
        None,
        f"Relevé de compte {annee}",
        ("RELEVÉ DE COMPTE", f"Année scolaire : {annee}"),
        (responsable, famille),
        [
            ("N° famille", famille.numero),
            ("Année scolaire", annee),
            ("Situation au", au.strftime("%d/%m/%Y")),
        ],
    )
    c = piece.c

    piece.titre("Relevé des opérations")
    tableau = Tableau(
        piece,
        [
            Colonne("N° opération", 21 * mm),
            Colonne("Date", 19 * mm),
            Colonne("Description", UTILE - 118 * mm),
            Colonne("Régie", 36 * mm),
            Colonne("Débit", 21 * mm, "d"),
            Colonne("Crédit", 21 * mm, "d"),
        ],
    )
    tableau.entete()
    for operation in releve.operations:
        tableau.ligne(
            [
                operation.numero,
                operation.date.strftime("%d/%m/%Y"),
                operation.description,
                operation.regie,
                montant(operation.debit) if operation.debit else "",
                montant(operation.credit) if operation.credit else "",
            ]
        )
    if not releve.operations:
        tableau.ligne(["", "", "Aucune opération sur cette année scolaire.", "", "", ""])
    tableau.ligne(
        [
            "",
            "",
            "Total des opérations",
            "",
            montant(releve.total_debit),
            montant(releve.total_credit),
        ],
        gras=True,
        fond=FOND,
    )
    tableau.fin()

    # The summary, as the portal's foot of table: previous balance, totals, balance.
    solde = releve.solde
    lignes = [
        ("Ancien solde", euros(releve.ancien_solde)),
        ("Total débit", euros(releve.total_debit)),
        ("Total crédit", euros(releve.total_credit)),
    ]
    piece.besoin(15 * len(lignes) + 60)
    x = DROITE - 100 * mm
    y = piece.y - 4
    for libelle, valeur in lignes:
        c.setFont(POLICE, 9)
        c.drawString(x, y - 10, propre(libelle))
        c.drawRightString(DROITE - 3.5, y - 10, valeur)
        y -= 14
    c.setFillColorRGB(*FOND_FORT)
    c.rect(x - 4, y - 19, DROITE - x + 4, 19, stroke=0, fill=1)
    c.setFillColorRGB(*ACCENT)
    c.setFont(GRAS, 10)
    c.drawString(x, y - 13, "Solde du compte pour l'année scolaire")
    c.drawRightString(DROITE - 3.5, y - 13, euros(solde))
    c.setFillColorRGB(*GRIS)
    c.setFont(POLICE, 8)
    if solde > 0:
        sens = "Somme restant due à la régie."
    elif solde < 0:
        sens = "Crédit en votre faveur, déduit de vos prochaines factures."
    else:
        sens = "Votre compte est soldé."
    c.drawRightString(DROITE - 3.5, y - 30, propre(sens))
    c.setFillColorRGB(*NOIR)
    piece.y = y - 44

    if any(o.description.startswith("Titre émis") for o in releve.operations):
        piece.paragraphe(
            "Les opérations « Titre émis (ORMC n°X) » sont recouvrées par la Trésorerie : le "
            "suivi de leurs règlements et de leur solde ne figure pas sur ce relevé. "
            "Renseignez-vous auprès de votre trésorerie.",
            taille=8,
            couleur=GRIS,
        )
    piece.finir()
    return document.octets()
