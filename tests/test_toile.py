"""exports.pdf.Toile writes some of reportlab's operators itself (strings, fonts, colours:
issue #18, PDFs ≥ 0.9 × bare reportlab) and skips the ones that would not change the
state. It leans on reportlab's canvas internals, so a reportlab upgrade could break it
silently: here the same drawing, on reportlab's Canvas and on Toile, must put the same
strings at the same places in the same font, size and colour, page by page."""

from __future__ import annotations

import io

import pypdf
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf.generic import ContentStream
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from exports.pdf import Toile, textes

POLICES = ["Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Times-Roman"]
COULEURS = [(0, 0, 0), (0.2, 0.3, 0.6), (1, 1, 1), (0.5, 0.5, 0.5)]
# Person-typed text is data: markup, PDF delimiters, escapes, accents, characters outside
# WinAnsi (reportlab substitutes another font), a control character, the empty string.
MOTS = [
    "Facture AL-36",
    "<b>gras</b> [bold]x[/bold]",
    "(parenthèses) \\ barre",
    "Émilie Œuvre-Noël ß ł ș •",
    "tab\tici",
    "",
    "120,60 €",
]

operation = st.one_of(
    st.tuples(st.just("police"), st.sampled_from(POLICES), st.sampled_from([7, 9, 9.5, 12])),
    st.tuples(st.just("remplir"), st.sampled_from(COULEURS)),
    st.tuples(st.just("trait"), st.sampled_from(COULEURS), st.sampled_from([0.5, 1])),
    st.tuples(
        st.just("chaine"),
        st.sampled_from(["drawString", "drawRightString", "drawCentredString"]),
        st.integers(20, 500),
        st.integers(20, 800),
        st.sampled_from(MOTS),
    ),
    st.tuples(st.just("textes"), st.lists(st.sampled_from(MOTS), min_size=1, max_size=4)),
    st.tuples(st.just("ligne"), st.integers(20, 500)),
    st.just(("sauver",)),
    st.just(("restaurer",)),
    st.just(("page",)),
)


def dessiner(classe: type[Canvas], operations: list[tuple]) -> bytes:
    sortie = io.BytesIO()
    c = classe(sortie, pagesize=A4, invariant=1)
    profondeur = 0
    for op in operations:
        match op:
            case ("police", nom, taille):
                c.setFont(nom, taille)
            case ("remplir", rgb):
                c.setFillColorRGB(*rgb)
            case ("trait", rgb, largeur):
                c.setStrokeColorRGB(*rgb)
                c.setLineWidth(largeur)
            case ("chaine", methode, x, y, mot):
                getattr(c, methode)(x, y, mot)
            case ("textes", mots):
                textes(c, [(30 + 10 * i, 700 - 12 * i, m) for i, m in enumerate(mots)])
            case ("ligne", y):
                c.line(20, y, 500, y)
            case ("sauver",):
                c.saveState()
                profondeur += 1
            case ("restaurer",) if profondeur:
                c.restoreState()
                profondeur -= 1
            case ("page",):
                for _ in range(profondeur):
                    c.restoreState()
                profondeur = 0
                c.showPage()
    for _ in range(profondeur):
        c.restoreState()
    c.showPage()
    c.save()
    return sortie.getvalue()


def octets(chaine: object) -> bytes:
    original = getattr(chaine, "get_original_bytes", None)
    return original() if original else bytes(chaine)  # type: ignore[call-overload]


def dessine(pdf: bytes) -> list[list[tuple]]:
    """Per page: each string shown (its bytes, font, size, place, fill colour) and each
    stroke's colour and width, read by interpreting the page's content stream."""
    lecteur = pypdf.PdfReader(io.BytesIO(pdf))
    pages = []
    for page in lecteur.pages:
        polices = {
            nom: str(f.get_object()["/BaseFont"]) for nom, f in page["/Resources"]["/Font"].items()
        }
        etat = {"rg": (0.0, 0.0, 0.0), "RG": (0.0, 0.0, 0.0), "w": 1.0, "Tf": None}
        pile: list[dict] = []
        x = y = 0.0
        vu: list[tuple] = []
        for operandes, operateur in ContentStream(page.get_contents(), lecteur).operations:
            op = operateur.decode()
            if op == "q":
                pile.append(dict(etat))
            elif op == "Q":
                etat = pile.pop()
            elif op in ("rg", "RG"):
                etat[op] = tuple(round(float(v), 4) for v in operandes)
            elif op == "w":
                etat["w"] = float(operandes[0])
            elif op == "Tf":
                etat["Tf"] = (polices[operandes[0]], float(operandes[1]))
            elif op == "BT":
                x = y = 0.0
            elif op == "Tm":
                x, y = float(operandes[4]), float(operandes[5])
            elif op == "Td":
                x, y = x + float(operandes[0]), y + float(operandes[1])
            elif op == "Tj":
                vu.append(
                    ("Tj", octets(operandes[0]), etat["Tf"], round(x, 2), round(y, 2), etat["rg"])
                )
            elif op == "S":
                vu.append(("S", etat["RG"], etat["w"]))
        pages.append(vu)
    return pages


@settings(max_examples=40, deadline=None)
@given(st.lists(operation, max_size=40))
def test_toile_dessine_ce_que_dessine_reportlab(operations):
    assert dessine(dessiner(Toile, operations)) == dessine(dessiner(Canvas, operations))


def test_toile_sur_un_cas_ecrit():
    operations = [
        ("police", "Helvetica-Bold", 12),
        ("remplir", (0.2, 0.3, 0.6)),
        ("chaine", "drawRightString", 400, 700, "120,60 €"),
        ("police", "Helvetica", 9),
        ("chaine", "drawString", 30, 680, "<b>gras</b> [bold]x[/bold]"),
        ("textes", ["(parenthèses) \\ barre", "Émilie Œuvre-Noël ß ł ș •"]),
        ("page",),
        ("chaine", "drawCentredString", 300, 400, "Facture AL-36"),
    ]
    toile, canvas = dessine(dessiner(Toile, operations)), dessine(dessiner(Canvas, operations))
    assert toile == canvas
    assert len(toile) == 2 and any(v[0] == "Tj" for v in toile[1])
