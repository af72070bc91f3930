"""What every letter sent by post shares: its header (the collectivité and régie block, the
title, the addressee placed for a window envelope, the reference block beside it) and the
régisseur's « Fait à …, le … » signature. Used by invoices, receipts, statements, reminders
and tax certificates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from exports.pdf import (
    GAUCHE,
    GRAS,
    GRIS,
    ITALIQUE,
    NOIR,
    POLICE,
    UTILE,
    Document,
    Piece,
    date_courte,
    mm,
    propre,
    ville,
)
from modele.famille import Famille, Responsable
from modele.structure import Collectivite, Regie


def nom_destinataire(responsable: Responsable | None, famille: Famille) -> str:
    """« Madame DUPONT Marie », or the family's number when no responsable is known."""
    if responsable is None:
        return f"Famille n° {famille.numero}"
    return " ".join(p for p in (responsable.civilite, responsable.nom, responsable.prenoms) if p)


def adresse_destinataire(responsable: Responsable | None, famille: Famille) -> list[str]:
    """The addressee's lines: name, street, postcode and town."""
    lignes = [nom_destinataire(responsable, famille)]
    if responsable is not None:
        lignes.append(responsable.adresse)
        lignes.append(f"{responsable.code_postal} {responsable.ville}".strip())
    return lignes


def en_tete(
    document: Document,
    collectivite: Collectivite,
    regie: Regie | None,
    intitule: str,
    titre: tuple[str, str],
    destinataire: tuple[Responsable | None, Famille],
    references: Sequence[tuple[str, str]],
    *,
    largeur_libelle: float = 30 * mm,
    ecart: float = 14,
) -> Piece:
    """Start a letter in `document`: its first page with the header, the addressee
    (responsable, family) and the `references` (« N° famille : … ») under the collectivité
    block. `titre` is (title, subtitle); `intitule` names the piece in the footer. The
    cursor is left `ecart` points under the lower of the two blocks."""
    piece = document.piece(collectivite, regie, intitule, collectivite.contact_factures)
    y = piece.premiere_page(*titre)
    bas_adresse = piece.destinataire(adresse_destinataire(*destinataire))
    bas = piece.cartouche(
        GAUCHE, y - 4, references, largeur_libelle=largeur_libelle, largeur=86 * mm
    )
    piece.y = min(bas, bas_adresse) - ecart
    return piece


def signature(
    piece: Piece,
    collectivite: Collectivite,
    jour: dt.date,
    *,
    mention: str = "",
    besoin: float = 60,
    hauteur: float = 40,
) -> None:
    """« Fait à VILLE, le JJ/MM/AAAA » and « Le régisseur » on the right (with a grey
    `mention` under it, e.g. « (cachet et signature) »), on a new page unless `besoin`
    points are left; the cursor moves `hauteur` points down."""
    piece.besoin(besoin)
    piece.y -= 14
    c = piece.c
    lieu = ville(collectivite.adresse)
    fait = f"Fait à {lieu}, le {date_courte(jour)}" if lieu else f"Fait le {date_courte(jour)}"
    x = GAUCHE + UTILE - 75 * mm
    c.setFont(POLICE, 9)
    c.setFillColorRGB(*NOIR)
    c.drawString(x, piece.y - 10, propre(fait))
    c.setFont(GRAS, 9)
    c.drawString(x, piece.y - 26, "Le régisseur")
    if mention:
        c.setFillColorRGB(*GRIS)
        c.setFont(ITALIQUE, 7.5)
        c.drawString(x, piece.y - 37, mention)
        c.setFillColorRGB(*NOIR)
    piece.y -= hauteur
