"""The cash of a régie's day: whether a day is still open for payments.

The tables (clôture, bordereaux) are in modele/tables/caisse.py; the rules that close a day
and make the slips are in modele/cloture.py (above payments); payments only ask here whether
their day is closed.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from modele.base import ErreurMetier
from modele.tables.caisse import (  # noqa: F401  (re-exported: the area's tables)
    MESSAGE_IMPRIME,
    Bordereau,
    Cloture,
    LigneBordereau,
    NatureBordereau,
)


def cloture_du_jour(session: Session, regie_id: int, jour: dt.date) -> Cloture | None:
    return session.exec(
        select(Cloture).where(Cloture.regie_id == regie_id, Cloture.jour == jour)
    ).first()


def exiger_jour_ouvert(
    session: Session, regie_id: int, jour: dt.date, date_saisie: bool = True
) -> None:
    """Refuse recording a payment (or a refund) on a day whose cash is closed. `date_saisie`:
    the agent typed the day (a payment's date); otherwise the operation is dated today by the
    app (a refund, a cancellation, a reject), and only the next cash day can take it."""
    cloture = cloture_du_jour(session, regie_id, jour)
    if cloture is None:
        return
    if date_saisie:
        raise ErreurMetier(
            f"La caisse du {jour:%d/%m/%Y} est close ({cloture.reference}) : aucun "
            "règlement ne peut plus y être enregistré. Datez l'opération d'un jour non clos.",
            "date",
        )
    raise ErreurMetier(
        f"La caisse du jour ({jour:%d/%m/%Y}) est close ({cloture.reference}) : cette "
        "opération, datée du jour, ne peut plus y être enregistrée. Faites-la au prochain "
        "jour de caisse."
    )
