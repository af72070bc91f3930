"""The "Fiche d'inscription" for the coming school year: blank (to fill by hand) or pre-filled
with what the file already knows about a child, every field keeping its line so that the
parent can correct it by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

from exports.pdf import (
    ACCENT,
    DROITE,
    GAUCHE,
    GRAS,
    GRIS,
    HAUT,
    ITALIQUE,
    NOIR,
    POLICE,
    TRAIT,
    UTILE,
    X_DESTINATAIRE,
    Colonne,
    Document,
    Piece,
    Tableau,
    case,
    couper,
    mm,
    propre,
)
from modele.base import libelle_annee_scolaire
from modele.famille import Enfant, Famille, NiveauScolaire, PersonneAutorisee, Responsable
from modele.planning import Activite
from modele.structure import Collectivite

HAUTEUR_CHAMP = 19
LIGNES_PERSONNES = 4

INTRODUCTION = (
    "Une fiche par enfant, à remettre complétée et signée au service enfance avant la rentrée. "
    "Joindre la copie des vaccinations et, le cas échéant, le projet d'accueil individualisé "
    "(PAI)."
)
MENTION_DONNEES = (
    "Les informations recueillies sont traitées par la commune pour l'inscription et l'accueil "
    "de votre enfant, la facturation et la sécurité. Vous pouvez y accéder et les faire "
    "rectifier auprès du service enfance."
)


class _Fiche:
    """Drawing state of one fiche: the piece and field helpers."""

    def __init__(self, piece: Piece, remplie: bool) -> None:
        self.piece = piece
        self.c = piece.c
        self.remplie = remplie

    def champ(self, x: float, y: float, largeur: float, libelle: str, valeur: str = "") -> None:
        """ "Libellé : ______" with the value printed on the line."""
        c = self.c
        libelle = propre(libelle)
        c.setFillColorRGB(*GRIS)
        c.setFont(POLICE, 8)
        c.drawString(x, y, libelle)
        debut = x + c.stringWidth(libelle, POLICE, 8) + 4
        c.setStrokeColorRGB(*TRAIT)
        c.setLineWidth(0.5)
        c.setDash(1, 1.5)
        c.line(debut, y - 2, x + largeur - 6, y - 2)
        c.setDash()
        c.setFillColorRGB(*NOIR)
        if valeur:
            c.setFont(GRAS, 9)
            place = x + largeur - 8 - debut
            texte = couper(valeur, GRAS, 9, place)[0]
            c.drawString(debut + 2, y + 0.5, texte)

    def rangee(
        self, champs: Sequence[tuple[str, str, float]], x: float = GAUCHE, largeur: float = UTILE
    ) -> None:
        """Fields on one row; each takes its share (third item) of the width."""
        self.piece.besoin(HAUTEUR_CHAMP)
        y = self.piece.y - 10
        total = sum(part for _, _, part in champs)
        for libelle, valeur, part in champs:
            place = largeur * part / total
            self.champ(x, y, place, libelle, valeur)
            x += place
        self.piece.y -= HAUTEUR_CHAMP

    def choix(self, x: float, y: float, libelle: str, options: Sequence[tuple[str, bool]]) -> float:
        """ "Libellé : ☐ a ☐ b" ; returns the x after the last option."""
        c = self.c
        if libelle:
            c.setFillColorRGB(*GRIS)
            c.setFont(POLICE, 8)
            c.drawString(x, y, propre(libelle))
            x += c.stringWidth(propre(libelle), POLICE, 8) + 6
            c.setFillColorRGB(*NOIR)
        for texte, cochee in options:
            case(c, x, y - 1, cochee)
            c.setFont(POLICE, 8.5)
            c.drawString(x + 11, y, propre(texte))
            x += 11 + c.stringWidth(propre(texte), POLICE, 8.5) + 12
        return x

    def rangee_choix(
        self, libelle: str, options: Sequence[tuple[str, bool]], x: float = GAUCHE
    ) -> None:
        self.piece.besoin(HAUTEUR_CHAMP)
        self.choix(x, self.piece.y - 10, libelle, options)
        self.piece.y -= HAUTEUR_CHAMP


def _coche(fiche: _Fiche, valeur: bool | None) -> list[tuple[str, bool]]:
    """Oui / Non boxes: ticked only on a pre-filled fiche."""
    if valeur is None or not fiche.remplie:
        return [("Oui", False), ("Non", False)]
    return [("Oui", valeur), ("Non", not valeur)]


def fiche_inscription_pdf(
    collectivite: Collectivite,
    annee_scolaire: int,
    activites: Sequence[Activite],
    *,
    enfant: Enfant | None = None,
    famille: Famille | None = None,
    responsables: Sequence[Responsable | None] = (),
    personnes: Sequence[PersonneAutorisee] = (),
    activites_choisies: Collection[int] = (),
    edite_le: dt.date | dt.datetime,
) -> bytes:
    """The fiche for `annee_scolaire` (its first year: 2015 -> "2015-2016"). Blank when no
    `enfant` is given; otherwise pre-filled with the child, the family, its two responsables
    (responsable, conjoint), the people allowed to collect the child and the activities of
    `activites_choisies` (ids) ticked. `activites`: the checkbox list offered."""
    annee = libelle_annee_scolaire(annee_scolaire)
    remplie = enfant is not None
    sujet = f" — {enfant.prenoms} {enfant.nom}" if enfant else ""
    document = Document(f"Fiche d'inscription {annee}{sujet}", collectivite.nom, edite_le)
    piece = document.piece(
        collectivite, None, f"Fiche d'inscription {annee}{sujet}", collectivite.contact_inscriptions
    )
    fiche = _Fiche(piece, remplie)
    c = piece.c
    y = piece.premiere_page("FICHE D'INSCRIPTION", f"Année scolaire {annee}")
    piece.y = min(y, _cadre_service(piece, famille)) - 4
    piece.paragraphe(INTRODUCTION, taille=8.5, couleur=GRIS)
    piece.y -= 6

    # -- L'enfant ---------------------------------------------------------------------------
    e = enfant
    piece.bandeau("L'enfant")
    fiche.rangee([("Nom", e.nom if e else "", 1), ("Prénoms", e.prenoms if e else "", 1.3)])
    piece.besoin(HAUTEUR_CHAMP)
    y = piece.y - 10
    naissance = e.date_naissance.strftime("%d/%m/%Y") if e and e.date_naissance else ""
    fiche.champ(GAUCHE, y, UTILE * 0.45, "Date de naissance", naissance)
    sexe = e.sexe if e else ""
    fiche.choix(
        GAUCHE + UTILE * 0.45, y, "Sexe :", [("Fille", sexe == "F"), ("Garçon", sexe == "M")]
    )
    piece.y -= HAUTEUR_CHAMP
    fiche.rangee([("École", e.ecole if e else "", 2.2), ("Classe", e.classe if e else "", 1)])
    niveau = e.niveau if e else ""
    fiche.rangee_choix(
        "Niveau à la rentrée :",
        [
            (NiveauScolaire(n).libelle, remplie and niveau == n)
            for n in (NiveauScolaire.MATERNELLE, NiveauScolaire.ELEMENTAIRE)
        ],
    )
    piece.y -= 4

    # -- Responsables -----------------------------------------------------------------------
    piece.besoin(23 + 16 + HAUTEUR_CHAMP * 15)
    piece.bandeau("Responsables légaux")
    _responsables(fiche, list(responsables) + [None, None])
    f = famille
    fiche.rangee(
        [
            ("Situation familiale", f.situation if f else "", 1.2),
            ("N° allocataire", f.numero_allocataire if f else "", 1),
        ]
    )
    organisme = f.organisme if f else ""
    fiche.rangee_choix(
        "Organisme :", [(o, remplie and organisme == o) for o in ("CAF", "MSA", "Autre", "Aucun")]
    )
    piece.y -= 4

    # -- Santé ------------------------------------------------------------------------------
    piece.besoin(23 + 5 * HAUTEUR_CHAMP)
    piece.bandeau("Santé")
    fiche.rangee([("Allergies", e.allergies if e else "", 1)])
    if not (e and e.allergies):
        fiche.rangee([("", "", 1)])
    fiche.rangee([("Régime alimentaire", e.regime_alimentaire if e else "", 1)])
    piece.besoin(HAUTEUR_CHAMP)
    y = piece.y - 10
    x = fiche.choix(
        GAUCHE, y, "Projet d'accueil individualisé (PAI) :", _coche(fiche, e.pai if e else None)
    )
    fiche.choix(
        max(x + 20, GAUCHE + UTILE * 0.55),
        y,
        "Port de lunettes :",
        _coche(fiche, e.lunettes if e else None),
    )
    piece.y -= HAUTEUR_CHAMP
    fiche.rangee(
        [
            ("Médecin traitant", e.medecin if e else "", 1.6),
            ("Téléphone", e.telephone_medecin if e else "", 1),
        ]
    )
    piece.y -= 4

    # -- Autorisations ----------------------------------------------------------------------
    piece.besoin(23 + 3 * 32)
    piece.bandeau("Autorisations")
    for texte, valeur in (
        (
            "Mon enfant peut être photographié ou filmé pendant les activités (usage interne et "
            "communication de la commune).",
            e.autorisation_photo if e else None,
        ),
        (
            "Mon enfant (élémentaire) peut quitter seul la structure à l'heure de fin d'activité.",
            e.autorisation_sortie_seul if e else None,
        ),
        (
            "J'autorise l'équipe à faire donner les soins et, en cas d'urgence, à faire "
            "transporter mon enfant à l'hôpital.",
            e.autorisation_soins if e else None,
        ),
    ):
        lignes = couper(texte, POLICE, 8.5, UTILE - 70)
        piece.besoin(12 * len(lignes) + 6)
        y = piece.y - 10
        fiche.choix(GAUCHE, y, "", _coche(fiche, valeur))
        c.setFont(POLICE, 8.5)
        for ligne in lignes:
            c.drawString(GAUCHE + 70, y, ligne)
            y -= 11
        piece.y = y - 5
    piece.y -= 4

    # -- Personnes autorisées ---------------------------------------------------------------
    piece.besoin(23 + 16 + 21 * max(LIGNES_PERSONNES, len(personnes) + 2) + 12)
    piece.bandeau("Personnes autorisées à venir chercher l'enfant")
    tableau = Tableau(
        piece,
        [
            Colonne("Nom", 45 * mm),
            Colonne("Prénom", 40 * mm),
            Colonne("Lien avec l'enfant", 44 * mm),
            Colonne("Téléphone", UTILE - 129 * mm),
        ],
    )
    tableau.entete()
    for p in personnes:
        tableau.ligne([p.nom, p.prenom, p.lien, p.telephone])
    for _ in range(max(LIGNES_PERSONNES - len(personnes), 2)):
        tableau.ligne(["", "", "", ""])
        piece.y -= 4  # room for handwriting
    tableau.fin()
    piece.paragraphe("Une pièce d'identité pourra leur être demandée.", taille=8, couleur=GRIS)
    piece.y -= 4

    # -- Activités --------------------------------------------------------------------------
    _activites(fiche, activites, set(activites_choisies) if remplie else set())

    # -- Signature --------------------------------------------------------------------------
    _signature(fiche)
    piece.finir()
    return document.octets()


def _cadre_service(piece: Piece, famille: Famille | None) -> float:
    """ "Cadre réservé au service", under the title; returns the y below it."""
    c = piece.c
    x, largeur, hauteur = X_DESTINATAIRE, DROITE - X_DESTINATAIRE, 62
    haut = HAUT - 36
    c.setStrokeColorRGB(*TRAIT)
    c.setLineWidth(0.6)
    c.rect(x, haut - hauteur, largeur, hauteur, stroke=1, fill=0)
    c.setFillColorRGB(*GRIS)
    c.setFont(ITALIQUE, 7.5)
    c.drawString(x + 5, haut - 10, "Cadre réservé au service")
    c.setFillColorRGB(*NOIR)
    fiche = _Fiche(piece, True)
    fiche.champ(x + 5, haut - 25, largeur - 4, "N° famille", famille.numero if famille else "")
    fiche.champ(x + 5, haut - 40, largeur - 4, "Reçue le", "")
    fiche.champ(x + 5, haut - 55, largeur - 4, "Saisie le", "")
    return haut - hauteur - 6


def _responsables(fiche: _Fiche, responsables: Sequence[Responsable | None]) -> None:
    """The two responsables side by side."""
    piece = fiche.piece
    c = piece.c
    colonne = (UTILE - 14) / 2
    champs = [
        ("Nom", lambda r: r.nom),
        ("Prénoms", lambda r: r.prenoms),
        ("Qualité (père, mère, tuteur)", lambda r: r.qualite),
        ("Adresse", lambda r: r.adresse),
        ("Code postal, ville", lambda r: f"{r.code_postal}  {r.ville}".strip()),
        ("Tél. domicile", lambda r: r.telephone_domicile),
        ("Mobile", lambda r: r.mobile),
        ("Tél. professionnel", lambda r: r.telephone_professionnel),
        ("E-mail", lambda r: r.email),
        ("Profession", lambda r: r.profession),
        ("Employeur", lambda r: r.employeur),
        ("Adresse employeur", lambda r: r.adresse_employeur),
    ]
    hauteur = 16 + HAUTEUR_CHAMP * (len(champs) + 1)
    piece.besoin(hauteur)
    haut = piece.y
    for i, r in enumerate(responsables[:2]):
        x = GAUCHE + i * (colonne + 14)
        c.setFillColorRGB(*ACCENT)
        c.setFont(GRAS, 9)
        c.drawString(x, haut - 8, f"Responsable {i + 1}" + (" (conjoint)" if i else ""))
        c.setFillColorRGB(*NOIR)
        y = haut - 8 - HAUTEUR_CHAMP
        civilite = r.civilite if r else ""
        fiche.choix(
            x,
            y,
            "Civilité :",
            [("Madame", civilite == "Madame"), ("Monsieur", civilite == "Monsieur")],
        )
        for libelle, valeur in champs:
            y -= HAUTEUR_CHAMP
            fiche.champ(x, y, colonne, libelle, propre(valeur(r)) if r else "")
    piece.y = haut - hauteur


def _activites(fiche: _Fiche, activites: Sequence[Activite], choisies: set[int]) -> None:
    """Checkboxes by structure, two columns; exclusive pairs explained (rule 5)."""
    piece = fiche.piece
    c = piece.c
    piece.bandeau("Activités souhaitées")
    par_structure: dict[str, list[Activite]] = {}
    for activite in sorted(activites, key=lambda a: (a.ordre, a.id or 0)):
        par_structure.setdefault(activite.structure, []).append(activite)
    colonne = (UTILE - 10) / 2
    for structure, liste in par_structure.items():
        rangs = (len(liste) + 1) // 2
        piece.besoin(16 + 15 * rangs)
        c.setFillColorRGB(*ACCENT)
        c.setFont(GRAS, 9)
        c.drawString(GAUCHE, piece.y - 9, propre(structure))
        c.setFillColorRGB(*NOIR)
        piece.y -= 16
        for i, activite in enumerate(liste):
            x = GAUCHE + 8 + (i // rangs) * colonne
            y = piece.y - 9 - (i % rangs) * 15
            case(c, x, y - 1, activite.id in choisies)
            texte = activite.libelle
            niveaux = [n for n in activite.niveaux.split(",") if n]
            if len(niveaux) == 1:
                texte += f" ({NiveauScolaire(niveaux[0]).libelle.lower()})"
            c.setFont(POLICE, 8.5)
            c.drawString(x + 12, y, couper(texte, POLICE, 8.5, colonne - 24)[0])
        piece.y -= 15 * rangs + 4
    groupes: dict[str, list[str]] = {}
    for activite in activites:
        if activite.groupe_exclusif:
            groupes.setdefault(activite.groupe_exclusif, []).append(activite.libelle)
    for libelles in groupes.values():
        if len(libelles) > 1:
            piece.paragraphe(
                f"Important : ne cocher qu'une seule des cases « "
                f"{' » OU « '.join(libelles)} » par jour de réservation.",
                taille=8.5,
                police=GRAS,
            )
    piece.paragraphe(
        "Les réservations jour par jour se font ensuite au guichet, par téléphone "
        "ou sur le Portail Famille, dans les délais indiqués par le service.",
        taille=8,
        couleur=GRIS,
    )
    piece.y -= 4


def _signature(fiche: _Fiche) -> None:
    piece = fiche.piece
    c = piece.c
    piece.besoin(150)
    piece.bandeau("Engagement")
    piece.paragraphe(
        "Je soussigné(e) " + "." * 64 + " responsable légal de l'enfant, "
        "certifie l'exactitude des renseignements portés sur cette fiche et "
        "m'engage à signaler tout changement au service enfance. J'ai pris "
        "connaissance du règlement intérieur des accueils.",
        taille=8.5,
    )
    piece.y -= 12
    c.setFont(POLICE, 9)
    c.drawString(
        GAUCHE,
        piece.y - 10,
        "Fait à .......................................  le ....... / ....... / ...............",
    )
    x = DROITE - 70 * mm
    c.drawString(x, piece.y - 10, "Signature du (des) responsable(s) :")
    c.setStrokeColorRGB(*TRAIT)
    c.rect(x, piece.y - 62, 70 * mm, 44, stroke=1, fill=0)
    piece.y -= 72
    piece.paragraphe(MENTION_DONNEES, taille=7, couleur=GRIS)
