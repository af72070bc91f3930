"""The collectivité, its régies, its documents and the per-régie number sequences."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from modele.base import Contexte, ErreurMetier
from modele.droits import exiger
from modele.journal import journaliser
from modele.tables.structure import (  # noqa: F401  (re-exported: the area's tables)
    Collectivite,
    Compteur,
    Document,
    Regie,
)


def verrouiller_sequence(session: Session, regie_id: int, nature: str) -> Compteur:
    """Lock a sequence's row for the caller's transaction (FOR UPDATE on PostgreSQL; SQLite
    transactions already begin with the write lock), creating it race-free if needed.

    Taken before reading what to number, it also keeps two runs from billing a day twice.
    """
    requete = (
        select(Compteur)
        .where(Compteur.regie_id == regie_id, Compteur.nature == nature)
        .with_for_update()
    )
    compteur = session.exec(requete).first()
    if compteur is None:
        # First number of this sequence: two counters may create the row at once; the
        # loser of the race rolls its savepoint back and takes the winner's row.
        try:
            with session.begin_nested():
                session.add(Compteur(regie_id=regie_id, nature=nature, dernier=0))
        except IntegrityError:
            pass
        compteur = session.exec(requete.execution_options(populate_existing=True)).one()
    return compteur


def numero_suivant(session: Session, regie_id: int, nature: str, nombre: int = 1) -> int:
    """Take the next number of a sequence inside the caller's transaction (gapless); with
    `nombre`, take that many consecutive numbers and return the first. A rollback gives
    them back; two counters issuing at once never get the same number."""
    compteur = verrouiller_sequence(session, regie_id, nature)
    compteur.dernier += nombre
    session.flush()
    return compteur.dernier - nombre + 1


def reprendre_compteur(
    session: Session, contexte: Contexte, regie_id: int, nature: str, dernier: int
) -> None:
    """Continue a sequence where the previous software stopped (numbers never go back)."""
    exiger(session, contexte, "reprendre_compteur")
    compteur = session.get(Compteur, (regie_id, nature))
    avant = None if compteur is None else compteur.dernier
    if compteur is None:
        session.add(Compteur(regie_id=regie_id, nature=nature, dernier=dernier))
    elif dernier < compteur.dernier:
        raise ErreurMetier(f"La séquence {nature} de la régie est déjà au n° {compteur.dernier}.")
    else:
        compteur.dernier = dernier
    session.flush()
    journaliser(
        session,
        contexte,
        "reprise de numerotation",
        "compteur",
        regie_id,
        avant={"nature": nature, "dernier": avant},
        apres={"nature": nature, "dernier": dernier},
    )


def collectivite(session: Session) -> Collectivite:
    trouvee = session.exec(select(Collectivite)).first()
    if trouvee is None:
        raise ErreurMetier("Aucune collectivité n'est configurée dans cette base.")
    return trouvee


def regies(session: Session) -> list[Regie]:
    return list(session.exec(select(Regie).order_by(Regie.code)))


def regie_par_code(session: Session, code: str) -> Regie:
    """The command line's `--regie`: unknown codes are told with the list of known ones."""
    trouvee = session.exec(select(Regie).where(Regie.code == code.strip().upper())).first()
    if trouvee is None:
        codes = ", ".join(r.code for r in regies(session))
        raise ErreurMetier(f"régie inconnue « {code} » (régies : {codes or 'aucune'}).")
    return trouvee
