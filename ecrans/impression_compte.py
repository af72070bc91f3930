"""Printing the account's documents: an invoice or credit note, a month's invoices in one
PDF for the post, a payment receipt, the relevé of a school year (ecrans.impression does the
worker, the file and the printer; reportlab loads in that worker only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from textual.app import App

from ecrans.impression import imprimer_document


def _a_imprimer(d, collectivite):  # noqa: ANN001, ANN202
    from exports.facture import FactureAImprimer

    return FactureAImprimer(collectivite=collectivite, regie=d.regie, famille=d.famille,
                            responsable=d.responsable, facture=d.facture, lignes=d.lignes,
                            enfants=d.enfants, activites=d.activites, deja_paye=d.deja_paye,
                            reste_du=d.reste_du, facture_origine=d.origine)


def imprimer_facture(app: App, facture_id: int) -> None:
    from modele.reglements import detail_facture
    from modele.structure import collectivite

    d = app.lire(detail_facture, facture_id)
    structure = app.lire(collectivite)
    edite_le = app.aujourdhui

    def fabriquer() -> bytes:
        from exports.facture import facture_pdf

        return facture_pdf(_a_imprimer(d, structure), edite_le=edite_le)

    genre = "Avoir" if d.avoir else "Facture"
    imprimer_document(app, f"{genre} {d.facture.reference} {d.famille.numero}.pdf", fabriquer)


def imprimer_factures_du_mois(app: App, regie_id: int, code: str, debut: dt.date,
                              fin: dt.date) -> None:
    """Every invoice of the month in one PDF, for the post (read and drawn in the worker)."""
    edite_le = app.aujourdhui

    def fabriquer() -> bytes:
        from exports.facture import factures_pdf
        from modele.reglements import factures_du_mois_a_imprimer
        from modele.structure import collectivite

        # a read: the batch never holds the write lock while it draws
        details = app.lire(factures_du_mois_a_imprimer, regie_id, debut, fin)
        structure = app.lire(collectivite)

        def pieces() -> Iterator:
            for d in details:
                yield _a_imprimer(d, structure)

        return factures_pdf(pieces(), edite_le=edite_le, titre=f"Factures {code} {debut:%m/%Y}")

    imprimer_document(app, f"Factures {code} {debut:%Y-%m}.pdf", fabriquer)


def imprimer_recu(app: App, reglement_id: int) -> None:
    from modele.reglements import detail_reglement
    from modele.structure import collectivite

    d = app.lire(detail_reglement, reglement_id)
    structure = app.lire(collectivite)
    edite_le = app.aujourdhui

    def fabriquer() -> bytes:
        from exports.recu import recu_pdf

        return recu_pdf(structure, d.regie, d.famille, d.responsable, d.reglement,
                        d.affectations, d.factures, edite_le=edite_le)

    imprimer_document(app, f"Recu {d.reglement.reference} {d.famille.numero}.pdf", fabriquer)


def imprimer_releve(app: App, famille_id: int, annee: int) -> None:
    from modele.base import libelle_annee_scolaire
    from modele.famille import famille as famille_par_id
    from modele.reglements import destinataire_releve, releve
    from modele.structure import collectivite

    famille = app.lire(famille_par_id, famille_id)
    responsable = app.lire(destinataire_releve, famille_id, app.contexte().maintenant())
    operations = app.lire(releve, famille_id, annee)
    structure = app.lire(collectivite)
    au = app.aujourdhui

    def fabriquer() -> bytes:
        from exports.releve import releve_pdf

        return releve_pdf(structure, famille, responsable, operations, edite_le=au, arrete_au=au)

    imprimer_document(app, f"Releve {libelle_annee_scolaire(annee)} {famille.numero}.pdf",
                      fabriquer)
