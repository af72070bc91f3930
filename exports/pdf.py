"""Shared page template of the printed documents: A4, the collectivité's header, the footer
("Page N / M", edition date) and a few drawing helpers on reportlab's canvas.

Drawn on the canvas directly (no platypus): a one-page invoice costs about as much as bare
reportlab, which the budgets of DESIGN.md require. Importing this module loads reportlab, so
only the printing code imports it.

Font: the PDF standard Helvetica family in WinAnsiEncoding. Nothing to embed, no network, no
system package; French accents, « », œ, — and € print and extract as text. A character outside
that encoding (a Romanian ș, a Polish ł) prints without its accent rather than as a black box.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import escapePDF, fp_str, unicode2T1
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas

from modele import formats
from modele.structure import Collectivite, Regie

POLICE = "Helvetica"
GRAS = "Helvetica-Bold"
ITALIQUE = "Helvetica-Oblique"

LARGEUR, HAUTEUR = A4
GAUCHE = 18 * mm
DROITE = LARGEUR - 18 * mm
HAUT = HAUTEUR - 14 * mm
BAS = 22 * mm  # lowest line of content, above the footer
UTILE = DROITE - GAUCHE
# Recipient block where a French window envelope (DL, window on the right) shows it.
X_DESTINATAIRE = 110 * mm
Y_DESTINATAIRE = HAUTEUR - 50 * mm

NOIR = (0.1, 0.1, 0.1)
ACCENT = (0.11, 0.23, 0.38)  # dark blue, prints as dark grey in black and white
GRIS = (0.42, 0.42, 0.42)
TRAIT = (0.72, 0.72, 0.72)
FOND = (0.91, 0.93, 0.96)
FOND_FORT = (0.80, 0.85, 0.91)


# ---------------------------------------------------------------------------------------------
# Text

_SUBSTITUTS = {
    "\u202f": "\u00a0",
    "\u2009": " ",
    "\u2007": " ",
    "ł": "l",
    "Ł": "L",
    "đ": "d",
    "Đ": "D",
    "ı": "i",
    "\u2010": "-",
    "\u2011": "-",
    "\u2212": "-",
}


def propre(texte: object) -> str:
    """The text as Helvetica/WinAnsi can print it (babel's narrow no-break space included)."""
    if texte is None:
        return ""
    return _propre(str(texte))


@lru_cache(maxsize=16384)
def _propre(texte: str) -> str:
    try:
        texte.encode("cp1252")
        return texte
    except UnicodeEncodeError:
        pass
    sortie = []
    for car in texte:
        try:
            car.encode("cp1252")
            sortie.append(car)
        except UnicodeEncodeError:
            substitut = _SUBSTITUTS.get(car)
            if substitut is None:
                base = unicodedata.normalize("NFKD", car).encode("cp1252", "ignore")
                substitut = base.decode("cp1252") or "?"
            sortie.append(substitut)
    return "".join(sortie)


@lru_cache(maxsize=8192)
def montant(centimes: int) -> str:
    """120,60 (modele.formats, printable; cached: babel is a good part of an invoice's cost)."""
    return propre(formats.montant(centimes))


@lru_cache(maxsize=8192)
def euros(centimes: int) -> str:
    """120,60 €"""
    return propre(formats.euros(centimes))


@lru_cache(maxsize=4096)
def date_courte(jour: dt.date | None) -> str:
    """04/05/2015 (cached: strftime costs as much as drawing a string)."""
    return formats.date_courte(jour)


def periode(debut: dt.date, fin: dt.date) -> str:
    """du 01/04/2015 au 30/04/2015"""
    return f"du {date_courte(debut)} au {date_courte(fin)}"


def edition(edite_le: dt.date | dt.datetime) -> str:
    """Édité le 04/05/2015 à 10:32"""
    if isinstance(edite_le, dt.datetime):
        return f"Édité le {edite_le:%d/%m/%Y} à {edite_le:%H:%M}"
    return f"Édité le {edite_le:%d/%m/%Y}"


def lignes_adresse(adresse: str) -> list[str]:
    """ "Place de la Mairie, 31400 SANT - JEAN" -> its printed lines."""
    return [morceau.strip() for morceau in adresse.split(",") if morceau.strip()]


def ville(adresse: str) -> str:
    """The commune of an address ending in "CP VILLE", for "Fait à …"."""
    trouve = re.search(r"\b\d{5}\s+(.+?)\s*$", adresse)
    return trouve.group(1) if trouve else ""


def couper(texte: str, police: str, taille: float, largeur: float) -> list[str]:
    """Lines of `texte` within `largeur` (explicit line breaks kept)."""
    texte = propre(texte)
    # No Helvetica glyph is wider than 1 em: a short text fits without measuring it.
    if "\n" not in texte and (
        len(texte) * taille <= largeur or mesure(texte, police, taille) <= largeur
    ):
        return [texte]
    lignes: list[str] = []
    for paragraphe in texte.split("\n"):
        lignes.extend(simpleSplit(paragraphe, police, taille, largeur) or [""])
    return lignes


def textes(c: Canvas, lignes: Sequence[tuple[float, float, str]]) -> None:
    """Strings at (x, y) in the canvas's current font and colour, in one text object (as
    many drawString calls would draw them, for half the cost)."""
    if not lignes:
        return
    if isinstance(c, Toile) and c.textes(lignes):
        return
    t = c.beginText()
    for x, y, texte in lignes:
        t.setTextOrigin(x, y)
        t.textOut(texte)
    c.drawText(t)


@lru_cache(maxsize=16384)
def mesure(texte: str, police: str, taille: float) -> float:
    """reportlab's stringWidth, cached: an invoice measures the same amounts again and again."""
    return stringWidth(texte, police, taille)


@lru_cache(maxsize=64)
def _rg(r: float, g: float, b: float) -> str:
    return f"{fp_str(r, g, b)} rg"


@lru_cache(maxsize=16384)
def _tj(texte: str, police: str) -> str | None:
    """`(texte) Tj` in the font's encoding, as reportlab's text objects write it; None when
    reportlab would switch fonts for a character (a control character: ZapfDingbats) or for
    an empty text: its own path then draws it."""
    font = getFont(police)
    morceaux = unicode2T1(texte, [font, *font.substitutionFonts])
    if len(morceaux) != 1 or morceaux[0][0] is not font:
        return None
    return f"({escapePDF(morceaux[0][1])}) Tj"


# ---------------------------------------------------------------------------------------------
# Documents and pieces


class Toile(Canvas):
    """reportlab's canvas, without the operators that would not change its state: the
    drawing code sets the font, colours and line width before each string or rule, and
    each `setFont` otherwise writes a text block to the page (a third of an invoice's
    strings).

    Its strings are written with reportlab's operators (less a text object's first
    `1 0 0 1 0 0 Tm` and drawString's trailing `T*`, which move nothing drawn), without
    reportlab's generic path: a text object per string, the string's width measured even
    when left-aligned, the font's encoding looked up character by character (cached here
    per string). A string reportlab would draw in another font for some character goes
    through reportlab's own path. A font's and a colour's operators are kept once written."""

    # reportlab's state, read and set here as its own setFont and setFillColor do.
    _fontname: str
    _fontsize: float
    _leading: float
    _fillColorObj: object
    _strokeColorObj: object
    _lineWidth: float

    def __init__(self, *args, **kwargs) -> None:
        # Per document: a font's operator names it as this document registered it (/F1…).
        self._polices: dict[tuple[str, float], str] = {}
        super().__init__(*args, **kwargs)

    def setFont(self, psfontname: str, size: float, leading: float | None = None) -> None:
        if leading is None:
            if (
                psfontname == self._fontname
                and size == self._fontsize
                and self._leading == size * 1.2
            ):
                return
            code = self._polices.get((psfontname, size))
            if code is not None:  # what reportlab's setFont would do, its operator kept
                self._fontname, self._fontsize, self._leading = psfontname, size, size * 1.2
                self._code.append(code)
                return
        avant = len(self._code)
        super().setFont(psfontname, size, leading)
        if leading is None and len(self._code) == avant + 1:
            self._polices[(psfontname, size)] = self._code[-1]

    def setFillColorRGB(self, r: float, g: float, b: float, alpha: float | None = None) -> None:
        if alpha is not None or self._enforceColorSpace:
            super().setFillColorRGB(r, g, b, alpha)
            return
        actuelle = self._fillColorObj
        if type(actuelle) is tuple and actuelle == (r, g, b):
            return
        # What reportlab's setFillColor does with an RGB tuple, its operator cached.
        self._fillColorObj = (r, g, b)
        self._code.append(_rg(r, g, b))

    def setStrokeColorRGB(self, r: float, g: float, b: float, alpha: float | None = None) -> None:
        actuelle = self._strokeColorObj
        if alpha is None and type(actuelle) is tuple and actuelle == (r, g, b):
            return
        super().setStrokeColorRGB(r, g, b, alpha)

    def setLineWidth(self, width: float) -> None:
        if width != self._lineWidth:
            super().setLineWidth(width)

    def _chaine(self, x: float, y: float, texte: str, ancre: float, options: tuple) -> bool:
        """drawString's operators for `texte` starting `ancre` of its width left of x (0, 0.5
        or 1: drawString, drawCentredString, drawRightString); False if reportlab's path must
        draw it (any of reportlab's `options` given, or a character in another font)."""
        if any(options) or not self.bottomup:
            return False
        tj = _tj(texte, self._fontname)
        if tj is None:
            return False
        if ancre:
            x -= ancre * mesure(texte, self._fontname, self._fontsize)
        self._code.append(f"BT 1 0 0 1 {fp_str(x, y)} Tm {tj} ET")
        return True

    def drawString(self, x, y, text, mode=None, charSpace=0, direction=None, *args, **kw):
        if not self._chaine(x, y, text, 0, (mode is not None, charSpace, direction, args, kw)):
            super().drawString(x, y, text, mode, charSpace, direction, *args, **kw)

    def drawRightString(self, x, y, text, mode=None, charSpace=0, direction=None, *args, **kw):
        if not self._chaine(x, y, text, 1, (mode is not None, charSpace, direction, args, kw)):
            super().drawRightString(x, y, text, mode, charSpace, direction, *args, **kw)

    def drawCentredString(self, x, y, text, mode=None, charSpace=0, direction=None, *args, **kw):
        if not self._chaine(x, y, text, 0.5, (mode is not None, charSpace, direction, args, kw)):
            super().drawCentredString(x, y, text, mode, charSpace, direction, *args, **kw)

    def textes(self, lignes: Sequence[tuple[float, float, str]]) -> bool:
        """`lignes` (x, y, text) in one text object, as `textes()` draws them with reportlab's
        text object; False (nothing drawn) if one of them needs reportlab's path."""
        code = ["BT"]
        police = self._fontname
        for x, y, texte in lignes:
            tj = _tj(texte, police)
            if tj is None or not self.bottomup:
                return False
            code.append(f"1 0 0 1 {fp_str(x, y)} Tm {tj}")
        code.append("ET")
        self._code.append(" ".join(code))
        return True


class Document:
    """One PDF file being drawn. It holds one or more pieces (an invoice, a statement), each
    with its own page numbering, so that a batch for the post is one file."""

    def __init__(self, titre: str, auteur: str, edite_le: dt.date | dt.datetime) -> None:
        self._tampon = io.BytesIO()
        self.c = Toile(
            self._tampon,
            pagesize=A4,
            initialFontName=POLICE,
            initialFontSize=9,
            pageCompression=1,
            lang="fr-FR",
        )
        self.c.setTitle(propre(titre))
        self.c.setAuthor(propre(auteur))
        self.c.setCreator("Guichet Famille")
        self.c.setSubject(propre(titre))
        # Given by the caller from the app's clock (--date included), never read here.
        self.edite_le = edite_le
        self._mention_edition = edition(self.edite_le)
        self._pieces = 0
        self.pages = 0

    def piece(
        self, collectivite: Collectivite, regie: Regie | None, intitule: str, contact: str = ""
    ) -> Piece:
        self._pieces += 1
        return Piece(self, collectivite, regie, intitule, f"Pages{self._pieces}", contact)

    def octets(self) -> bytes:
        self.c.save()
        return self._tampon.getvalue()


class Piece:
    """One printed document inside a Document: header on its first page, a short reminder on
    the next ones, the footer on all, page numbers "Page N / M" counted within the piece.

    `y` is the drawing cursor (points from the bottom); `besoin(h)` starts a new page when `h`
    points do not fit, and calls `suite` there (to repeat a table header).
    """

    def __init__(
        self,
        document: Document,
        collectivite: Collectivite,
        regie: Regie | None,
        intitule: str,
        formes: str,
        contact: str,
    ) -> None:
        self.document = document
        self.c = document.c
        self.collectivite = collectivite
        self.regie = regie
        self.intitule = propre(intitule)
        self.contact = contact
        self._formes = formes  # prefix of the "Page N / M" forms
        self.page = 0
        self.y = HAUT
        self.suite: Callable[[], None] | None = None

    # -- pages ----------------------------------------------------------------------------

    def premiere_page(self, titre: str, sous_titre: str = "") -> float:
        """Open the first page: collectivité block on the left, title on the right. Returns
        the y under the collectivité block."""
        self.page = 1
        c = self.c
        y = HAUT - 4
        c.setFillColorRGB(*ACCENT)
        c.setFont(GRAS, 13)
        c.drawString(GAUCHE, y, propre(self.collectivite.nom))
        c.setFillColorRGB(*NOIR)
        c.setFont(POLICE, 8.5)
        adresse = []
        for ligne in lignes_adresse(self.collectivite.adresse):
            y -= 11
            adresse.append((GAUCHE, y, propre(ligne)))
        textes(c, adresse)
        if self.regie is not None:
            y -= 14
            c.setFont(GRAS, 9.5)
            c.drawString(GAUCHE, y, propre(self.regie.libelle))
        c.setFont(POLICE, 8)
        c.setFillColorRGB(*GRIS)
        contact = []
        for ligne in couper(self.contact, POLICE, 8, 80 * mm)[:3] if self.contact else []:
            y -= 10
            contact.append((GAUCHE, y, ligne))
        textes(c, contact)
        c.setFillColorRGB(*ACCENT)
        c.setFont(GRAS, 18)
        c.drawRightString(DROITE, HAUT - 8, propre(titre))
        if sous_titre:
            c.setFont(GRAS, 11)
            c.drawRightString(DROITE, HAUT - 24, propre(sous_titre))
        c.setFillColorRGB(*NOIR)
        self.y = y - 14
        return self.y

    def _page_suivante(self) -> None:
        self._pied()
        self.c.showPage()
        self.page += 1
        c = self.c
        c.setFillColorRGB(*ACCENT)
        c.setFont(GRAS, 10)
        c.drawString(GAUCHE, HAUT - 4, propre(self.collectivite.nom))
        c.drawRightString(DROITE, HAUT - 4, f"{self.intitule} (suite)")
        c.setStrokeColorRGB(*TRAIT)
        c.setLineWidth(0.5)
        c.line(GAUCHE, HAUT - 10, DROITE, HAUT - 10)
        c.setFillColorRGB(*NOIR)
        self.y = HAUT - 28
        if self.suite is not None:
            self.suite()

    def besoin(self, hauteur: float) -> None:
        if self.y - hauteur < BAS:
            self._page_suivante()

    def _pied(self, derniere: bool = False) -> None:
        c = self.c
        y = 12 * mm
        c.setStrokeColorRGB(*TRAIT)
        c.setLineWidth(0.5)
        c.line(GAUCHE, y + 9, DROITE, y + 9)
        c.setFillColorRGB(*GRIS)
        c.setFont(POLICE, 7.5)
        gauche = self.intitule
        if self.regie is not None:
            gauche = f"{gauche} — {propre(self.regie.libelle)}"
        c.drawString(GAUCHE, y, gauche)
        c.drawCentredString(LARGEUR / 2 + 25 * mm, y, self.document._mention_edition)
        if derniere:  # M is known: the text itself (a one-page invoice needs no form)
            c.drawRightString(DROITE, y, f"Page {self.page} / {self.page}")
        else:
            # "Page N / M": M is known when the piece ends, so the text is a form defined then.
            c.saveState()
            c.translate(DROITE, y)
            c.doForm(f"{self._formes}_{self.page}")
            c.restoreState()
        c.setFillColorRGB(*NOIR)

    def finir(self) -> None:
        self._pied(derniere=True)
        self.c.showPage()
        self.document.pages += self.page
        c = self.c
        for numero in range(1, self.page):
            c.beginForm(f"{self._formes}_{numero}", lowerx=-100, lowery=-5, upperx=1, uppery=12)
            c.setFillColorRGB(*GRIS)
            c.setFont(POLICE, 7.5)
            c.drawRightString(0, 0, f"Page {numero} / {self.page}")
            c.endForm()

    # -- drawing helpers --------------------------------------------------------------------

    def destinataire(self, lignes: Sequence[str]) -> float:
        """The postal address block, placed for a window envelope; returns the y below."""
        c = self.c
        y = Y_DESTINATAIRE
        for i, ligne in enumerate(texte for texte in lignes if texte):
            c.setFont(GRAS if i == 0 else POLICE, 10)
            c.drawString(X_DESTINATAIRE, y, propre(ligne))
            y -= 13
        return y

    def cartouche(
        self,
        x: float,
        y: float,
        paires: Sequence[tuple[str, str]],
        largeur_libelle: float = 32 * mm,
        taille: float = 9,
        largeur: float | None = None,
    ) -> float:
        """ "Libellé : valeur" lines (labels grey, values bold); returns the y below."""
        c = self.c
        largeur_valeur = (largeur or 80 * mm) - largeur_libelle
        # Labels, then values, each in one text object: two font changes, not two a line.
        libelles: list[tuple[float, float, str]] = []
        valeurs: list[tuple[float, float, str]] = []
        for libelle, valeur in paires:
            libelles.append((x, y, propre(libelle)))
            for ligne in couper(valeur, GRAS, taille, largeur_valeur):
                valeurs.append((x + largeur_libelle, y, ligne))
                y -= taille + 3.5
        for couleur, police, lignes in ((GRIS, POLICE, libelles), (NOIR, GRAS, valeurs)):
            if lignes:
                c.setFillColorRGB(*couleur)
                c.setFont(police, taille)
                textes(c, lignes)
        return y

    def bandeau(self, texte: str, hauteur: float = 15) -> None:
        """A section title on a tinted band, across the page."""
        self.besoin(hauteur + 30)
        c = self.c
        c.setFillColorRGB(*FOND_FORT)
        c.rect(GAUCHE, self.y - hauteur, UTILE, hauteur, stroke=0, fill=1)
        c.setFillColorRGB(*ACCENT)
        c.setFont(GRAS, 10)
        c.drawString(GAUCHE + 5, self.y - hauteur + 4.5, propre(texte))
        c.setFillColorRGB(*NOIR)
        self.y -= hauteur + 8

    def titre(self, texte: str) -> None:
        """A section title over a table: accent text and a thin rule."""
        self.besoin(60)
        c = self.c
        c.setFillColorRGB(*ACCENT)
        c.setFont(GRAS, 10.5)
        c.drawString(GAUCHE, self.y - 11, propre(texte))
        c.setFillColorRGB(*NOIR)
        self.y -= 19

    def paragraphe(
        self,
        texte: str,
        taille: float = 9,
        police: str = POLICE,
        x: float = GAUCHE,
        largeur: float = UTILE,
        couleur=NOIR,
    ) -> None:
        c = self.c
        interligne = taille + 3
        c.setFillColorRGB(*couleur)
        for ligne in couper(texte, police, taille, largeur):
            self.besoin(interligne)
            c.setFont(police, taille)
            c.drawString(x, self.y - taille, ligne)
            self.y -= interligne
        c.setFillColorRGB(*NOIR)


def case(c: Canvas, x: float, y: float, cochee: bool = False, cote: float = 8) -> None:
    """A checkbox with its bottom-left corner at (x, y), crossed when `cochee`."""
    c.setStrokeColorRGB(*NOIR)
    c.setLineWidth(0.7)
    c.rect(x, y, cote, cote, stroke=1, fill=0)
    if cochee:
        c.setLineWidth(1.2)
        c.line(x + 1.5, y + 1.5, x + cote - 1.5, y + cote - 1.5)
        c.line(x + 1.5, y + cote - 1.5, x + cote - 1.5, y + 1.5)


# ---------------------------------------------------------------------------------------------
# Tables


@dataclass(frozen=True)
class Colonne:
    titre: str
    largeur: float
    alignement: str = "g"  # g: left, d: right, c: centre


class Tableau:
    """A table drawn row by row on a piece: header repeated on each new page, rows wrapped
    within their column, thin rules between rows."""

    TAILLE = 8.5
    MARGE = 3.5

    def __init__(self, piece: Piece, colonnes: Sequence[Colonne], x: float = GAUCHE) -> None:
        self.piece = piece
        self.colonnes = list(colonnes)
        self.x = x
        self.largeur = sum(col.largeur for col in colonnes)
        self.groupe: str | None = None
        self._xs = []
        courant = x
        for col in self.colonnes:
            self._xs.append(courant)
            courant += col.largeur

    def entete(self) -> None:
        piece, c = self.piece, self.piece.c
        hauteur = 16
        piece.besoin(hauteur + 18)
        c.setFillColorRGB(*ACCENT)
        c.rect(self.x, piece.y - hauteur, self.largeur, hauteur, stroke=0, fill=1)
        c.setFillColorRGB(1, 1, 1)
        c.setFont(GRAS, 8)
        # One text object per row: a drawString each costs twice.
        textes(
            c,
            [
                self._place((GRAS, 8), col.titre, x, col, piece.y - hauteur + 5.5)
                for col, x in zip(self.colonnes, self._xs, strict=True)
            ],
        )
        c.setFillColorRGB(*NOIR)
        piece.y -= hauteur
        piece.suite = self._suite

    def _suite(self) -> None:
        self.entete()
        if self.groupe:
            self.ligne([f"{self.groupe} (suite)"], gras=True, fond=FOND, fusion=True)

    def titre_groupe(self, titre: str) -> None:
        """A group's title row (a child on an invoice), repeated if the group goes on."""
        self.groupe = None
        self.piece.besoin(50)  # never a lone title at the bottom of a page
        self.ligne([titre], gras=True, fond=FOND, fusion=True)
        self.groupe = titre

    def _place(
        self, police: tuple[str, float], texte: str, x: float, col: Colonne, y: float
    ) -> tuple[float, float, str]:
        """Where a cell's line starts (in `police`), as drawString, drawRightString or
        drawCentredString would place it."""
        if col.alignement == "d":
            return (x + col.largeur - self.MARGE - mesure(texte, *police), y, texte)
        if col.alignement == "c":
            return (x + col.largeur / 2 - 0.5 * mesure(texte, *police), y, texte)
        return (x + self.MARGE, y, texte)

    def ligne(
        self,
        cellules: Sequence[str],
        gras: bool = False,
        fond: tuple[float, float, float] | None = None,
        trait: bool = True,
        fusion: bool = False,
    ) -> None:
        """One row; `fusion`: the first cell spans the whole width (a group title)."""
        piece, c = self.piece, self.piece.c
        police = GRAS if gras else POLICE
        taille = self.TAILLE
        if fusion:
            morceaux = [couper(cellules[0], police, taille, self.largeur - 2 * self.MARGE)]
        else:
            morceaux = [
                couper(texte, police, taille, col.largeur - 2 * self.MARGE) if texte else []
                for texte, col in zip(cellules, self.colonnes, strict=True)
            ]
        nombre = max((len(m) for m in morceaux), default=1) or 1
        hauteur = nombre * (taille + 2.5) + 6
        piece.besoin(hauteur)
        haut = piece.y
        if fond is not None:
            c.setFillColorRGB(*fond)
            c.rect(self.x, haut - hauteur, self.largeur, hauteur, stroke=0, fill=1)
            c.setFillColorRGB(*NOIR)
        c.setFont(police, taille)
        colonnes = [Colonne("", self.largeur)] if fusion else self.colonnes
        places = []
        for lignes, col, x in zip(morceaux, colonnes, self._xs, strict=False):
            y = haut - 3 - taille
            for texte in lignes:
                places.append(self._place((police, taille), texte, x, col, y))
                y -= taille + 2.5
        textes(c, places)
        if trait:
            c.setStrokeColorRGB(*TRAIT)
            c.setLineWidth(0.4)
            c.line(self.x, haut - hauteur, self.x + self.largeur, haut - hauteur)
        piece.y = haut - hauteur

    def fin(self) -> None:
        self.groupe = None
        self.piece.suite = None
        self.piece.y -= 6
