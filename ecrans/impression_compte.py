"""Printing the account's documents: an invoice or credit note, a month's invoices in one
PDF for the post, a payment receipt, the relevé of a school year (ecrans.impression does the
worker, the file and the printer; reportlab loads in that worker only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from textual.app import App

from ecrans.impression import imprimer_document, imprimer_nomme
from modele.base import Progression


def imprimer_facture(app: App, facture_id: int) -> None:
    from exports.documents import document_facture

    edite_le = app.aujourdhui
    imprimer_nomme(app, lambda: app.lire(document_facture, facture_id, edite_le))


def imprimer_factures_du_mois(
    app: App,
    regie_id: int,
    code: str,
    debut: dt.date,
    fin: dt.date,
    progression: Progression | None = None,
    fini: Callable[[bool], None] | None = None,
) -> None:
    """Every invoice of the month in one PDF, for the post (read and drawn in the worker).

    `progression` is told of each invoice drawn, from the worker; raising `Arret` there
    stops the batch before anything is written. `fini` is called on the UI thread after."""
    edite_le = app.aujourdhui

    def fabriquer() -> bytes:
        from exports.documents import ETAPE_LECTURE, factures_du_mois_pdf
        from modele.reglements import factures_du_mois_a_imprimer
        from modele.structure import collectivite

        # a read: the batch never holds the write lock while it draws
        if progression is not None:
            progression(ETAPE_LECTURE, 0, None)
        details = app.lire(factures_du_mois_a_imprimer, regie_id, debut, fin)
        structure = app.lire(collectivite)
        return factures_du_mois_pdf(
            details, structure, edite_le, f"Factures {code} {debut:%m/%Y}", progression
        )

    imprimer_document(app, f"Factures {code} {debut:%Y-%m}.pdf", fabriquer, fini)


def imprimer_recu(app: App, reglement_id: int) -> None:
    from exports.documents import document_recu

    edite_le = app.aujourdhui
    imprimer_nomme(app, lambda: app.lire(document_recu, reglement_id, edite_le))


def imprimer_releve(app: App, famille_id: int, annee: int) -> None:
    from exports.documents import document_releve

    au = app.aujourdhui
    imprimer_nomme(app, lambda: app.lire(document_releve, famille_id, annee, au))
