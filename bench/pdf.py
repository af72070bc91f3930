"""Invoice PDFs: a month's invoices each to its own file, then all in one PDF, beside bare
reportlab drawing a page of the same make-up (about 70 strings, rules and boxes).

    python -m bench.pdf --base FICHIER.db | --db URL [--nombre 300] [--repetitions 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import tempfile
import time
from pathlib import Path

from bench.mesure import Serie, publier
from bench.moteur import options, url


def factures(adresse: str, nombre: int) -> list:
    from exports.facture import FactureAImprimer
    from modele.db import creer_engine, session
    from modele.facturation import factures_du_mois
    from modele.reglements import details_factures
    from modele.structure import collectivite

    engine = creer_engine(adresse)
    with session(engine) as s:
        ids = factures_du_mois(s, 1, dt.date(2026, 10, 1), dt.date(2026, 10, 31))[:nombre]
        structure = collectivite(s)
        details = details_factures(s, ids)
    engine.dispose()
    return [
        FactureAImprimer(
            collectivite=structure,
            regie=d.regie,
            famille=d.famille,
            responsable=d.responsable,
            facture=d.facture,
            lignes=d.lignes,
            enfants=d.enfants,
            activites=d.activites,
            deja_paye=d.deja_paye,
            reste_du=d.reste_du,
            facture_origine=d.origine,
        )
        for d in details
    ]


def page_nue(c, i: int) -> None:
    """A page as busy as an invoice, drawn with bare reportlab."""
    from reportlab.lib.units import mm

    c.setFont("Helvetica-Bold", 14)
    c.drawString(18 * mm, 280 * mm, "Commune de Sant-Jean — Régie garderie ALSH")
    c.setFont("Helvetica", 9)
    for k in range(6):
        c.drawString(18 * mm, (272 - 4 * k) * mm, f"Ligne d'en-tête {k} de la pièce {i}")
        c.drawString(110 * mm, (250 - 4 * k) * mm, f"Destinataire, ligne {k}")
    c.rect(18 * mm, 200 * mm, 86 * mm, 30 * mm)
    for k in range(8):
        c.drawString(20 * mm, (226 - 3.5 * k) * mm, f"Libellé {k} : valeur {i * k}")
    y = 185
    for k in range(12):
        c.line(18 * mm, y * mm, 192 * mm, y * mm)
        c.drawString(20 * mm, (y - 4) * mm, f"Enfant {k % 3} — Accueil de loisirs, jour {k}")
        for x in (130, 150, 175):
            c.drawRightString(x * mm, (y - 4) * mm, f"{(i + k) % 50},{k:02d} €")
        y -= 6
    c.setFillColorRGB(0.8, 0.85, 0.91)
    c.rect(100 * mm, 95 * mm, 92 * mm, 8 * mm, stroke=0, fill=1)
    c.setFillColorRGB(0.1, 0.1, 0.1)
    for k in range(10):
        c.drawString(18 * mm, (80 - 4 * k) * mm, f"Talon, modalités de paiement, ligne {k}")
    c.drawRightString(192 * mm, 10 * mm, f"Page 1 / 1 — pièce {i}")


def nue_fichiers(n: int, dossier: Path) -> float:
    from reportlab.pdfgen.canvas import Canvas

    depart = time.perf_counter()
    for i in range(n):
        tampon = io.BytesIO()
        c = Canvas(tampon)
        page_nue(c, i)
        c.showPage()
        c.save()
        (dossier / f"nue-{i}.pdf").write_bytes(tampon.getvalue())
    return time.perf_counter() - depart


def nue_un(n: int, dossier: Path) -> float:
    from reportlab.pdfgen.canvas import Canvas

    depart = time.perf_counter()
    tampon = io.BytesIO()
    c = Canvas(tampon)
    for i in range(n):
        page_nue(c, i)
        c.showPage()
    c.save()
    (dossier / "nue.pdf").write_bytes(tampon.getvalue())
    return time.perf_counter() - depart


def app_fichiers(pieces: list, dossier: Path) -> float:
    from exports.facture import facture_pdf

    depart = time.perf_counter()
    for piece in pieces:
        (dossier / f"{piece.facture.reference}.pdf").write_bytes(
            facture_pdf(piece, edite_le=dt.date(2026, 11, 27))
        )
    return time.perf_counter() - depart


def app_un(pieces: list, dossier: Path) -> float:
    from exports.facture import factures_pdf

    depart = time.perf_counter()
    (dossier / "factures.pdf").write_bytes(factures_pdf(pieces, edite_le=dt.date(2026, 11, 27)))
    return time.perf_counter() - depart


def main() -> None:
    analyseur = argparse.ArgumentParser()
    options(analyseur)
    analyseur.add_argument("--nombre", type=int, default=300)
    analyseur.add_argument("--repetitions", type=int, default=3)
    args = analyseur.parse_args()
    pieces = factures(url(args), args.nombre)
    n = len(pieces)
    pages = {
        "fichiers": Serie("pdf_fichiers", unite="/s"),
        "un": Serie("pdf_un", unite="/s"),
        "nue_fichiers": Serie("pdf_nue_fichiers", unite="/s"),
        "nue_un": Serie("pdf_nue_un", unite="/s"),
    }
    with tempfile.TemporaryDirectory() as nom:
        dossier = Path(nom)
        app_fichiers(pieces[:20], dossier)  # reportlab loaded and warm, for both
        nue_fichiers(20, dossier)
        for _ in range(args.repetitions):
            pages["fichiers"].valeurs.append(n / app_fichiers(pieces, dossier))
            pages["nue_fichiers"].valeurs.append(n / nue_fichiers(n, dossier))
            pages["un"].valeurs.append(n / app_un(pieces, dossier))
            pages["nue_un"].valeurs.append(n / nue_un(n, dossier))
    publier(list(pages.values()), factures=n)


if __name__ == "__main__":
    main()
