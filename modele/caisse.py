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
from modele.tables.planning import PeriodeCalendrier, TypeCalendrier
from modele.tables.structure import Regie

APRES_AUJOURDHUI = "La date du règlement ne peut pas être après aujourd'hui."


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
        suite = (
            f" Datez-le du {prochain_jour_de_caisse(session, cloture.jour, regie_id):%d/%m/%Y}, "
            "le prochain jour de caisse."
            if cloture.jour == aujourdhui
            else " Il s'enregistre à la date d'un jour de caisse ouvert, après elle."
        )
        raise ErreurMetier(
            f"La caisse du {cloture.jour:%d/%m/%Y} est close ({cloture.reference}) : aucun "
            f"règlement ne peut plus être daté du {jour:%d/%m/%Y}"
            + (" ni d'avant." if cloture.jour > jour else ".")
            + suite,
            "date",
        )
    cloture = cloture_du_jour(session, regie_id, jour)
    if cloture is None:
        return
    raise ErreurMetier(
        f"La caisse du {jour:%d/%m/%Y} est close ({cloture.reference}) : cette opération "
        "ne peut plus y être enregistrée. Faites-la au prochain jour de caisse."
    )


def prochain_jour_de_caisse(
    session: Session, jour: dt.date, regie_id: int | None = None
) -> dt.date:
    """The first day after `jour` the régie's counter opens: not a Sunday, nor a public
    holiday of the commune's calendar, nor a Saturday where it is closed then
    (`Regie.caisse_samedi`). Without a régie: the latest of them all, the day up to which
    a payment taken now may be dated in one régie or another."""
    fin = jour + dt.timedelta(days=15)
    feries: set[dt.date] = set()
    for p in session.exec(
        select(PeriodeCalendrier).where(
            PeriodeCalendrier.type == TypeCalendrier.FERIE,
            col(PeriodeCalendrier.activite_id).is_(None),  # (one activity's: not the counter's)
            PeriodeCalendrier.debut <= fin,
            PeriodeCalendrier.fin > jour,
        )
    ):
        feries.update(p.debut + dt.timedelta(days=n) for n in range((p.fin - p.debut).days + 1))
    fermees = {6}
    samedi = select(Regie.id).where(col(Regie.caisse_samedi).is_(False))
    if regie_id is not None:
        samedi = samedi.where(Regie.id == regie_id)
    if session.exec(samedi.limit(1)).first() is not None:
        fermees.add(5)
    suivant = jour + dt.timedelta(days=1)
    while suivant.weekday() in fermees or suivant in feries:
        suivant += dt.timedelta(days=1)
    return suivant


def exiger_jour_de_caisse(session: Session, regie_id: int, jour: dt.date) -> None:
    """A day typed for a payment at the counter must be one the régie's cash opens: a
    Sunday's or a holiday's cash book is one nobody counts or closes. (Today is always
    the agent's own: whoever takes money on a Sunday closes that day's cash.)"""
    if prochain_jour_de_caisse(session, jour - dt.timedelta(days=1), regie_id) == jour:
        return
    quel = {6: "un dimanche", 5: "un samedi"}.get(jour.weekday(), "un jour férié")
    raise ErreurMetier(
        f"Le {jour:%d/%m/%Y} est {quel} : la caisse n'ouvre pas ce jour-là. Datez le "
        "règlement d'un jour de caisse.",
        "date",
    )


def jour_de_caisse(session: Session, regie_id: int, aujourdhui: dt.date) -> dt.date:
    """The day a payment taken now is dated: today, or, once today's cash is closed, the
    next cash day (the next cash book: money taken after the closing is not in the drawer
    counted; a Saturday's closing leads to Monday, not to a Sunday no one counts)."""
    if cloture_du_jour(session, regie_id, aujourdhui) is None:
        return aujourdhui
    return prochain_jour_de_caisse(session, aujourdhui, regie_id)


def jour_d_operation(session: Session, regie_id: int, aujourdhui: dt.date) -> dt.date:
    """The day an operation the app dates itself is recorded (a refund of a credit, a
    cancellation, a direct debit's reject): the régie's cash day (`jour_de_caisse`: tomorrow
    once today's cash is closed, as a payment taken then), which must be open."""
    jour = jour_de_caisse(session, regie_id, aujourdhui)
    exiger_jour_ouvert(session, regie_id, jour, date_saisie=False)
    return jour


def exiger_date_reglement(
    session: Session,
    regie_id: int,
    date: dt.date,
    aujourdhui: dt.date,
    jusqu_a_aujourdhui: bool = True,
) -> None:
    """A payment's date: not after the régie's cash day (`jour_de_caisse`: tomorrow once
    today's cash is closed), nor on a closed day, nor (`jusqu_a_aujourdhui`) before one
    (`exiger_jour_ouvert`)."""
    if date > aujourdhui and date != jour_de_caisse(session, regie_id, aujourdhui):
        raise ErreurMetier(APRES_AUJOURDHUI, "date")
    if jusqu_a_aujourdhui and date != aujourdhui:
        exiger_jour_de_caisse(session, regie_id, date)
    exiger_jour_ouvert(
        session, regie_id, date, aujourdhui=aujourdhui if jusqu_a_aujourdhui else None
    )
