"""The day's journal de caisse and the deposit slips (bordereaux de remise), as PDFs.

Typed text (payer, bank, reason) is drawn as plain strings through `couper`/`propre`, never
through a markup-reading Paragraph. Each print carries the régie's chain position and hash
at the time, so that a later change to the ledger shows against the paper.
"""

from __future__ import annotations

import datetime as dt

from exports.pdf import (
    FOND,
    GAUCHE,
    GRAS,
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
from modele.base import id_de
from modele.cloture import DetailBordereau, EtatCaisse
from modele.formats import compte, nombre
from modele.reglements import ModeReglement, Reglement, description_reglement
from modele.structure import Collectivite


def _empreinte(piece, maillon: tuple[int, str]) -> None:
    sequence, empreinte = maillon
    piece.y -= 6
    piece.paragraphe(
        f"Chaîne des écritures de la régie : maillon n° {sequence}, empreinte {empreinte}",
        taille=7,
        couleur=GRIS,
    )


def _signature(piece, qui: str) -> None:
    piece.besoin(60)
    piece.y -= 12
    c = piece.c
    c.setFont(GRAS, 9)
    c.drawString(GAUCHE + UTILE - 75 * mm, piece.y - 10, qui)
    c.setFont(ITALIQUE, 7.5)
    c.drawString(GAUCHE + UTILE - 75 * mm, piece.y - 21, "(date et signature)")
    piece.y -= 50


def journal_caisse_pdf(
    collectivite: Collectivite, etat: EtatCaisse, *, edite_le: dt.date | dt.datetime
) -> bytes:
    """The day's journal: every payment of the day, the totals by mode, and the closing
    (counted amounts, the difference and its reason) when the day is closed."""
    regie, jour = etat.regie, etat.jour
    document = Document(f"Journal de caisse {regie.code} {jour}", collectivite.nom, edite_le)
    piece = document.piece(collectivite, regie, f"Journal de caisse du {date_courte(jour)}")
    y = piece.premiere_page("JOURNAL DE CAISSE", f"Journée du {date_courte(jour)}")
    cloture = etat.cloture
    comptees = [t.compte for t in etat.totaux if t.compte is not None]
    etat_texte = (
        f"Close ({cloture.reference}, le {cloture.cree_le:%d/%m/%Y à %H:%M})"
        if cloture
        else "Non close, comptage en cours"
        if comptees
        else "Non close"
    )
    piece.y = piece.cartouche(GAUCHE, y - 4, [("Régie", regie.libelle), ("Caisse", etat_texte)])
    piece.y -= 10
    piece.titre("Opérations de la journée")
    tableau = Tableau(
        piece,
        [
            Colonne("N°", 20 * mm),
            Colonne("Opération", 45 * mm),
            Colonne("Payeur", UTILE - 140 * mm),
            Colonne("Chèque / banque", 48 * mm),
            Colonne("Montant", 27 * mm, "d"),
        ],
    )
    tableau.entete()
    for r in etat.reglements:
        rembourse = r.mode == ModeReglement.REMBOURSEMENT  # (its means is in the operation)
        cheque = "" if rembourse else " — ".join(x for x in (r.reference_paiement, r.banque) if x)
        personne = _personne(r, etat.beneficiaires)
        tableau.ligne([r.reference, description_reglement(r), personne, cheque, euros(r.montant)])
    if not etat.reglements:
        tableau.ligne(["", "Aucune opération ce jour.", "", "", ""])
    tableau.fin()
    piece.titre("Totaux par mode")
    tableau = Tableau(
        piece,
        [
            Colonne("Mode", UTILE - 126 * mm),
            Colonne("Nombre", 18 * mm, "d"),
            Colonne("Enregistré", 36 * mm, "d"),
            Colonne("Compté", 36 * mm, "d"),
            Colonne("Écart", 36 * mm, "d"),
        ],
    )
    tableau.entete()
    for t in etat.totaux:
        compte = "" if t.compte is None else euros(t.compte)
        ecart = "" if t.compte is None else euros(t.ecart)
        tableau.ligne([t.libelle, nombre(t.nombre), euros(t.montant), compte, ecart])
    # Before the closing, the total counted once every mode is.
    tout_compte = not cloture and etat.totaux and len(comptees) == len(etat.totaux)
    tableau.ligne(
        [
            "Total",
            nombre(sum(t.nombre for t in etat.totaux)),
            euros(etat.total),
            euros(cloture.compte) if cloture else euros(sum(comptees)) if tout_compte else "",
            euros(cloture.ecart)
            if cloture
            else euros(sum(comptees) - etat.total)
            if tout_compte
            else "",
        ],
        gras=True,
        fond=FOND,
    )
    tableau.fin()
    if cloture and cloture.ecart:
        piece.paragraphe(f"Écart de caisse de {euros(cloture.ecart)} — motif : {cloture.motif}")
    elif cloture and cloture.motif:
        piece.paragraphe(f"Observation : {cloture.motif}")
    if etat.bordereaux:
        piece.y -= 4
        piece.paragraphe(
            "Bordereaux de remise : "
            + ", ".join(f"{b.reference} ({euros(b.total)})" for b in etat.bordereaux)
        )
    _empreinte(piece, etat.maillon)
    _signature(piece, "Le régisseur")
    piece.finir()
    return document.octets()


def _personne(reglement: Reglement, beneficiaires: dict[int, str]) -> str:
    """Who paid, or for a refund whom it was paid to."""
    if reglement.mode == ModeReglement.REMBOURSEMENT:
        qui = beneficiaires.get(id_de(reglement), "")
        return f"Remboursé à {qui}" if qui else "Remboursement"
    return reglement.payeur


def bordereau_pdf(
    collectivite: Collectivite, detail: DetailBordereau, *, edite_le: dt.date | dt.datetime
) -> bytes:
    """The slip handed to the bank with the cheques (or the cash): the list and the total."""
    b, regie = detail.bordereau, detail.regie
    document = Document(f"Bordereau {b.reference}", collectivite.nom, edite_le)
    piece = document.piece(collectivite, regie, f"Bordereau de remise {b.reference}")
    y = piece.premiere_page("BORDEREAU DE REMISE", f"{detail.libelle} n° {b.reference}")
    piece.y = piece.cartouche(
        GAUCHE,
        y - 4,
        [
            ("Régie", regie.libelle),
            ("Journée", date_courte(b.jour)),
            ("Nombre", nombre(b.nombre)),
            ("Total", euros(b.total)),
        ],
    )
    piece.y -= 10
    cheques = b.nature == "cheque"
    if cheques:
        colonnes = [
            Colonne("Règlement", 22 * mm),
            Colonne("Tireur", UTILE - 114 * mm),
            Colonne("Banque", 40 * mm),
            Colonne("N° du chèque", 25 * mm),
            Colonne("Montant", 27 * mm, "d"),
        ]
    else:
        colonnes = [
            Colonne("Règlement", 22 * mm),
            Colonne("Payeur", UTILE - 49 * mm),
            Colonne("Montant", 27 * mm, "d"),
        ]
    tableau = Tableau(piece, colonnes)
    tableau.entete()
    for r in detail.reglements:
        if cheques:
            tableau.ligne([r.reference, r.payeur, r.banque, r.reference_paiement, euros(r.montant)])
        else:
            tableau.ligne([r.reference, _personne(r, detail.beneficiaires), euros(r.montant)])
    vides = [""] * (len(colonnes) - 2)
    tableau.ligne(["Total", *vides, euros(b.total)], gras=True, fond=FOND)
    tableau.fin()
    rendus = sum(1 for r in detail.reglements if r.mode == ModeReglement.REMBOURSEMENT)
    if cheques:
        quoi = compte(b.nombre, "chèque")
    elif rendus:  # cash paid back that day came out of what is deposited
        quoi = (
            f"{compte(b.nombre - rendus, 'règlement')} et {compte(rendus, 'remboursement')} "
            "en espèces"
        )
    else:
        quoi = f"{compte(b.nombre, 'règlement')} en espèces"
    piece.paragraphe(f"{quoi}, total {euros(b.total)}.")
    _empreinte(piece, detail.maillon)
    _signature(piece, "Le régisseur")
    piece.finir()
    return document.octets()
