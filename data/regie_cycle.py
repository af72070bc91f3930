"""The régie's cycle in the demo (issue 17): the régie's SEPA creditor identity, a mandate
for each family paying by direct debit, and the reminders already sent to late payers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlmodel import Session, select

from modele.base import Canal, Contexte, ErreurMetier
from modele.famille import Famille
from modele.reglements import ModeReglement, Reglement
from modele.relances import ModeRelance, envoyer_relances
from modele.sepa import MandatSepa, Sequence
from modele.structure import Regie

# Fictitious but valid: the ICS passes stdnum's check, the IBAN and BIC schwifty's.
ICS_DEMO = "FR72ZZZ123456"
IBAN_DEMO = "FR7630006000011234567890189"
BIC_DEMO = "AGRIFRPP"


def installer_cycle_regie(
    session: Session,
    regie: Regie,
    reference: dt.date,
    contexte: Callable[..., Contexte],
) -> None:
    """After the demo's billing and payments: mandates and the last reminders."""
    regie.ics, regie.iban_creancier, regie.bic_creancier = ICS_DEMO, IBAN_DEMO, BIC_DEMO
    session.add(regie)
    deja_preleves = set(
        session.exec(
            select(Reglement.famille_id).where(Reglement.mode == ModeReglement.PRELEVEMENT)
        )
    )
    familles = session.exec(
        select(Famille).where(Famille.prelevement == True, Famille.mandat_sepa_reference != "")
    ).all()
    moment = contexte(reference).maintenant()
    session.add_all(
        [
            MandatSepa(
                famille_id=f.id,
                regie_id=regie.id,
                rum=f.mandat_sepa_reference,
                date_signature=f.mandat_sepa_date or f.cree_le or reference,
                sequence=(Sequence.RECURRENT if f.id in deja_preleves else Sequence.PREMIER).value,
                cree_le=moment,
            )
            for f in familles
        ]
    )
    session.flush()
    # The régisseur sent the reminders due ten days ago: late payers show their level.
    try:
        envoyer_relances(
            session,
            contexte(reference - dt.timedelta(days=10), Canal.GUICHET, "regie", heure=11),
            regie.id,
            ModeRelance.COURRIER,
        )
    except ErreurMetier:
        pass  # nobody late enough in a small demo
