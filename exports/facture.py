"""The invoice ("Facture") and the credit note ("Avoir"), alone or many in one PDF for the post.

facture_pdf(FactureAImprimer(...)) -> bytes
factures_pdf([FactureAImprimer(...), ...]) -> bytes   # one file, each piece numbered apart
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from exports.courrier import en_tete, nom_destinataire
from exports.pdf import (
    ACCENT,
    BAS,
    DROITE,
    FOND_FORT,
    GAUCHE,
    GRAS,
    GRIS,
    ITALIQUE,
    NOIR,
    POLICE,
    TRAIT,
    UTILE,
    Colonne,
    Document,
    Piece,
    Tableau,
    couper,
    date_courte,
    euros,
    mm,
    periode,
    propre,
    textes,
)
from modele.facturation import Facture, LigneFacture, NatureFacture, mention_regularisation
from modele.famille import Enfant, Famille, Responsable
from modele.planning import Activite
from modele.structure import Collectivite, Regie

MODALITES_DEFAUT = (
    "Par chèque à l'ordre du Trésor public, accompagné du talon ci-dessous, déposé ou envoyé "
    "à la régie.\n"
    "En espèces ou par carte bancaire au guichet du service enfance.\n"
    "Par carte bancaire, en ligne, sur le Portail Famille."
)
MODALITES_TRESORERIE = (
    "Ne payez pas en mairie : la Trésorerie vous adressera un avis des sommes à payer, à "
    "régler selon les modalités qu'il indique."
)


@dataclass(frozen=True)
class FactureAImprimer:
    """Everything one invoice shows. `deja_paye` and `reste_du` are in cents, as computed by
    the ledger (modele.reglements.restes_dus); `reste_du` defaults to total − deja_paye.
    For an avoir, `facture_origine` is the invoice it corrects."""

    collectivite: Collectivite
    regie: Regie
    famille: Famille
    responsable: Responsable | None
    facture: Facture
    lignes: Sequence[LigneFacture]
    enfants: Mapping[int, Enfant] = field(default_factory=dict)
    activites: Mapping[int, Activite] = field(default_factory=dict)
    deja_paye: int = 0
    reste_du: int | None = None
    facture_origine: Facture | None = None
    # paid by direct debit (the mandate's RUM): what is due is debited, no payment slip
    mandat_rum: str | None = None

    @property
    def avoir(self) -> bool:
        return self.facture.nature == NatureFacture.AVOIR

    @property
    def a_payer(self) -> int:
        if self.reste_du is not None:
            return self.reste_du
        return self.facture.total - self.deja_paye


def facture_pdf(facture: FactureAImprimer, *, edite_le: dt.date | dt.datetime) -> bytes:
    """One invoice or credit note as a PDF."""
    f = facture.facture
    titre = f"{'Avoir' if facture.avoir else 'Facture'} {f.reference}"
    document = Document(titre, facture.collectivite.nom, edite_le)
    dessiner_facture(document, facture)
    return document.octets()


def factures_pdf(
    factures: Iterable[FactureAImprimer],
    *,
    edite_le: dt.date | dt.datetime,
    titre: str = "Factures",
) -> bytes:
    """Many invoices in one PDF (for the post): each starts on a new page and has its own
    "Page N / M"."""
    document: Document | None = None
    for facture in factures:
        if document is None:
            document = Document(titre, facture.collectivite.nom, edite_le)
        dessiner_facture(document, facture)
    if document is None:
        raise ValueError("Aucune facture à imprimer.")
    return document.octets()


def _groupes(facture: FactureAImprimer) -> list[tuple[str, list[LigneFacture]]]:
    """Lines by child (eldest first), then by activity in the régie's order."""
    par_enfant: dict[int | None, list[LigneFacture]] = {}
    for ligne in facture.lignes:
        par_enfant.setdefault(ligne.enfant_id, []).append(ligne)

    def cle_enfant(enfant_id: int | None) -> tuple:
        enfant = facture.enfants.get(enfant_id) if enfant_id is not None else None
        if enfant is None:
            return (1, dt.date.max, enfant_id or 0)
        return (0, enfant.date_naissance, enfant_id)

    def cle_ligne(ligne: LigneFacture) -> tuple:
        activite = facture.activites.get(ligne.activite_id) if ligne.activite_id else None
        return (
            activite.ordre if activite else 10**6,
            ligne.activite_id or 0,
            ligne.prix_unitaire,
            ligne.id or 0,
        )

    groupes = []
    for enfant_id in sorted(par_enfant, key=cle_enfant):
        enfant = facture.enfants.get(enfant_id) if enfant_id is not None else None
        if enfant is not None:
            titre = f"{enfant.prenoms} {enfant.nom}"
            if enfant.classe:
                titre += f" — {enfant.classe}"
        elif enfant_id is not None:
            titre = par_enfant[enfant_id][0].libelle.split(" — ")[0]
        else:
            titre = "Autres prestations"
        groupes.append((titre, sorted(par_enfant[enfant_id], key=cle_ligne)))
    return groupes


def _designation(facture: FactureAImprimer, ligne: LigneFacture) -> str:
    activite = facture.activites.get(ligne.activite_id) if ligne.activite_id else None
    if activite is not None:
        mention = mention_regularisation(ligne)
        designation = f"{activite.structure} — {activite.libelle}"
        return f"{designation} — {mention}" if mention else designation
    return ligne.libelle


def dessiner_facture(document: Document, facture: FactureAImprimer) -> None:
    """Draw one invoice (one or more pages) at the end of `document`."""
    f = facture.facture
    avoir = facture.avoir
    nature = "Avoir" if avoir else "Facture"
    paires = [
        ("N° famille", facture.famille.numero),
        ("Date d'émission", date_courte(f.date_emission)),
    ]
    if not avoir:
        paires.append(("Date d'échéance", date_courte(f.date_echeance)))
    paires.append(("Période", periode(f.periode_debut, f.periode_fin)))
    if avoir:
        origine = facture.facture_origine
        if origine is not None:
            paires.append(
                ("Facture corrigée", f"{origine.reference} du {date_courte(origine.date_emission)}")
            )
        if f.motif:
            paires.append(("Motif", f.motif))
    piece = en_tete(
        document,
        facture.collectivite,
        facture.regie,
        f"{nature} {f.reference}",
        (nature.upper(), f"N° {f.reference}"),
        (facture.responsable, facture.famille),
        paires,
    )

    if avoir:
        piece.paragraphe(
            "Le présent avoir corrige la facture indiquée ci-dessus. Son montant est porté au "
            "crédit de votre compte famille et sera déduit de vos prochaines factures, ou "
            "remboursé sur demande.",
            taille=8.5,
            couleur=GRIS,
        )
        piece.y -= 6

    tableau = Tableau(
        piece,
        [
            Colonne("Désignation", UTILE - 3 * 26 * mm + 10),
            Colonne("Jours", 26 * mm - 20, "d"),
            Colonne("Prix unitaire", 26 * mm + 5, "d"),
            Colonne("Montant", 26 * mm + 5, "d"),
        ],
    )
    tableau.entete()
    groupes = _groupes(facture)
    for titre, lignes in groupes:
        tableau.titre_groupe(titre)
        for ligne in lignes:
            tableau.ligne(
                [
                    _designation(facture, ligne),
                    str(ligne.quantite),
                    euros(ligne.prix_unitaire),
                    euros(ligne.montant),
                ]
            )
        if len(groupes) > 1:
            tableau.groupe = None
            prenom = titre.split(" ")[0]
            tableau.ligne(
                [f"Sous-total {prenom}", "", "", euros(sum(ligne.montant for ligne in lignes))],
                gras=True,
            )
    if not groupes:
        tableau.ligne([f.motif or "—", "", "", ""])
    tableau.fin()

    _totaux(piece, facture)
    if avoir:
        piece.finir()
        return
    _modalites(piece, facture)
    if facture.a_payer > 0 and not facture.mandat_rum:  # (debited: nothing to send back)
        _talon(piece, facture)
    piece.finir()


def _totaux(piece: Piece, facture: FactureAImprimer) -> None:
    f = facture.facture
    c = piece.c
    if facture.avoir:
        lignes = [("Montant de l'avoir", euros(f.total), True)]
    else:
        avoirs = f.total - facture.deja_paye - facture.a_payer
        lignes = [
            ("Total de la facture", euros(f.total), False),
            ("Déjà réglé", euros(facture.deja_paye), False),
        ]
        if avoirs:
            lignes.append(("Avoirs déduits", euros(avoirs), False))
        lignes.append(("Reste à payer", euros(facture.a_payer), True))
    hauteur = 15 * len(lignes) + 8
    piece.besoin(hauteur + 10)
    x_libelle = DROITE - 95 * mm
    y = piece.y
    for libelle, valeur, fort in lignes:
        if fort:
            c.setFillColorRGB(*FOND_FORT)
            c.rect(x_libelle - 4, y - 17, DROITE - x_libelle + 4, 17, stroke=0, fill=1)
            c.setFillColorRGB(*ACCENT)
            c.setFont(GRAS, 11)
            c.drawString(x_libelle, y - 12, propre(libelle))
            c.drawRightString(DROITE - 3.5, y - 12, valeur)
            c.setFillColorRGB(*NOIR)
            y -= 19
        else:
            c.setFont(POLICE, 9)
            c.drawString(x_libelle, y - 10, propre(libelle))
            c.drawRightString(DROITE - 3.5, y - 10, valeur)
            y -= 14
    if not facture.avoir:
        c.setFont(GRAS, 9.5)
        if facture.a_payer > 0 and facture.mandat_rum:
            message = (
                f"Prélevé sur votre compte (mandat {facture.mandat_rum}) : "
                "ne la réglez pas par un autre moyen."
            )
        elif facture.a_payer > 0:
            message = f"À régler avant le {date_courte(f.date_echeance)}"
        else:
            message = "Facture réglée — merci"
        c.drawString(GAUCHE, piece.y - 12, propre(message))
    piece.y = y - 10


def _modalites(piece: Piece, facture: FactureAImprimer) -> None:
    c = piece.c
    if facture.regie.encaissement_tresorerie:
        texte = MODALITES_TRESORERIE
    else:
        texte = facture.regie.modalites_paiement or MODALITES_DEFAUT
    contact = facture.collectivite.contact_factures
    lignes = couper(texte, POLICE, 8.5, UTILE - 12)
    hauteur = 20 + 11 * len(lignes) + (13 if contact else 0)
    piece.besoin(hauteur + 4)
    haut = piece.y
    c.setStrokeColorRGB(*TRAIT)
    c.setLineWidth(0.6)
    c.rect(GAUCHE, haut - hauteur, UTILE, hauteur, stroke=1, fill=0)
    c.setFillColorRGB(*ACCENT)
    c.setFont(GRAS, 9)
    c.drawString(
        GAUCHE + 6,
        haut - 13,
        "Comment payer ?" if not facture.regie.modalites_paiement else "Modes de paiement acceptés",
    )
    c.setFillColorRGB(*NOIR)
    c.setFont(POLICE, 8.5)
    y = haut - 25
    textes_modalites = []
    for ligne in lignes:
        textes_modalites.append((GAUCHE + 6, y, ligne))
        y -= 11
    textes(c, textes_modalites)
    if contact:
        c.setFont(ITALIQUE, 8)
        c.setFillColorRGB(*GRIS)
        c.drawString(GAUCHE + 6, y - 1, propre(f"Une question sur votre facture : {contact}"))
        c.setFillColorRGB(*NOIR)
    piece.y = haut - hauteur - 8


HAUTEUR_TALON = 36 * mm


def _talon(piece: Piece, facture: FactureAImprimer) -> None:
    """The slip to tear off and send with a cheque, at the bottom of the last page."""
    if facture.regie.encaissement_tresorerie:
        return
    piece.besoin(HAUTEUR_TALON + 6)
    f = facture.facture
    c = piece.c
    haut = BAS + HAUTEUR_TALON
    c.setStrokeColorRGB(*GRIS)
    c.setLineWidth(0.6)
    c.setDash(3, 3)
    c.line(GAUCHE - 8, haut, DROITE + 8, haut)
    c.setDash()
    c.setFillColorRGB(*GRIS)
    c.setFont(ITALIQUE, 7.5)
    c.drawCentredString(
        (GAUCHE + DROITE) / 2, haut + 3, propre("Talon à détacher et à joindre à votre règlement")
    )
    c.setFillColorRGB(*ACCENT)
    c.setFont(GRAS, 10)
    c.drawString(GAUCHE, haut - 16, propre(f"TALON DE PAIEMENT — {facture.regie.libelle}"))
    c.setFillColorRGB(*NOIR)
    y = haut - 32
    gauche = [
        ("Facture n°", f.reference),
        ("N° famille", facture.famille.numero),
        ("Famille", nom_destinataire(facture.responsable, facture.famille)),
    ]
    droite = [
        ("Montant à payer", euros(facture.a_payer)),
        ("À régler avant le", date_courte(f.date_echeance)),
        ("Montant versé", "......................... €"),
    ]
    piece.cartouche(GAUCHE, y, gauche, largeur_libelle=24 * mm, taille=8.5, largeur=92 * mm)
    piece.cartouche(
        DROITE - 75 * mm, y, droite, largeur_libelle=32 * mm, taille=8.5, largeur=75 * mm
    )
    retour = ", ".join(
        p
        for p in (facture.regie.libelle, facture.collectivite.nom, facture.collectivite.adresse)
        if p
    )
    c.setFont(POLICE, 7.5)
    c.setFillColorRGB(*GRIS)
    c.drawString(GAUCHE, BAS + 14, propre(f"À retourner à : {retour}"))
    c.drawString(
        GAUCHE,
        BAS + 4,
        propre("Chèque à l'ordre du Trésor public : inscrivez au dos le numéro de la facture."),
    )
    c.setFillColorRGB(*NOIR)
    piece.y = BAS
