"""Closed days in the demo: the last days of counter payments (cheques, cash) before the
demo's last week are closed by the régisseur, with the deposit slips made and printed; the
latest of them with a small counted difference and its reason. Through the model's own
functions, so that the chain and the journal are what the app would have written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlmodel import Session, col, select

from modele.base import Canal, Contexte
from modele.cloture import (
    cloturer_caisse,
    etablir_bordereaux,
    imprimer_bordereau,
    reglements_du_jour,
    totaux_du_jour,
)
from modele.reglements import ModeReglement, Reglement
from modele.structure import Regie

JOURS_CLOS = 3
ECART = -500  # cents: the cash found short on the latest closed day


def clore_journees(
    session: Session,
    regie: Regie,
    reference: dt.date,
    contexte: Callable[..., Contexte],
    regisseur: int,
) -> int:
    """Close the régie's last JOURS_CLOS days of cheque or cash payments before the demo's
    last week, and make their slips; returns how many days were closed."""
    jours = list(
        session.exec(
            select(Reglement.date)
            .where(
                Reglement.regie_id == regie.id,
                col(Reglement.mode).in_([ModeReglement.CHEQUE, ModeReglement.ESPECES]),
                Reglement.date <= reference - dt.timedelta(days=7),
            )
            .distinct()
            .order_by(col(Reglement.date).desc())
            .limit(JOURS_CLOS)
        )
    )
    for i, jour in enumerate(sorted(jours)):
        derniere = i == len(jours) - 1
        ctx = contexte(jour, Canal.GUICHET, regisseur, heure=18)
        comptes = {
            m: t
            for m, (_, t) in totaux_du_jour(reglements_du_jour(session, regie.id, jour)).items()
        }
        motif = ""
        if derniere and ModeReglement.ESPECES in comptes:
            comptes[ModeReglement.ESPECES] += ECART
            motif = "Erreur de rendu de monnaie"
        elif derniere and ModeReglement.CHEQUE in comptes:
            comptes[ModeReglement.CHEQUE] += ECART
            motif = "Chèque égaré, recherche en cours"
        cloturer_caisse(session, ctx, regie.id, jour, comptes, motif)
        for bordereau in etablir_bordereaux(session, ctx, regie.id, jour):
            imprimer_bordereau(session, ctx, bordereau.id)
    return len(jours)
