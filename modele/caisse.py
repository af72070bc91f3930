"""The cash of a régie's day: whether a day is still open for payments.

The tables (clôture, bordereaux) are in modele/tables/caisse.py; the rules that close a day
and make the slips are in modele/cloture.py (above payments); payments only ask here whether
their day is closed.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

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
    session: Session,
    regie_id: int,
    jour: dt.date,
    date_saisie: bool = True,
    aujourdhui: dt.date | None = None,
) -> None:
    """Refuse recording a payment (or a refund) on a day whose cash is closed. `date_saisie`:
    the agent typed the day (a payment's date); otherwise the operation is dated today by the
    app (a refund, a cancellation, a reject), and only the next cash day can take it."""
    if date_saisie:
        # The day itself closed, or a later one up to `aujourdhui`: a day before the last
        # closing is a past cash book (backdating to it put money in a drawer counted
        # long ago).
        cloture = session.exec(
            select(Cloture)
            .where(
                Cloture.regie_id == regie_id,
                Cloture.jour >= jour,
                Cloture.jour <= max(jour, aujourdhui or jour),
            )
            .order_by(col(Cloture.jour).desc())
        ).first()
        if cloture is None:
            return
        raise ErreurMetier(
            f"La caisse du {cloture.jour:%d/%m/%Y} est close ({cloture.reference}) : aucun "
            f"règlement ne peut plus être daté du {jour:%d/%m/%Y}"
            + (" ni d'avant." if cloture.jour > jour else ".")
            + " Il s'enregistre à la date d'un jour de caisse ouvert, après elle.",
            "date",
        )
    cloture = cloture_du_jour(session, regie_id, jour)
    if cloture is None:
        return
    raise ErreurMetier(
        f"La caisse du jour ({jour:%d/%m/%Y}) est close ({cloture.reference}) : cette "
        "opération, datée du jour, ne peut plus y être enregistrée. Faites-la au prochain "
        "jour de caisse."
    )
