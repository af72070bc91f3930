"""The collectivité, its régies, its documents and the per-régie number sequences."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from modele.base import Contexte, ErreurMetier
from modele.droits import exiger
from modele.formats import heures_minutes
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


# --- the CAF's daily caps -------------------------------------------------------------------

# Bounds of a cap (minutes): a cap is a part of one day, at least half an hour.
PLAFOND_CAF_MIN, PLAFOND_CAF_MAX = 30, 24 * 60


@dataclass(frozen=True)
class PlafondsCaf:
    """The CAF's caps on a child's "heures réalisées" in one day (minutes): a day with a
    meal (journée), a half-day without one (modele/statistiques.py applies them)."""

    journee: int
    demi_journee: int


def plafonds_caf(session: Session) -> PlafondsCaf:
    reglages = collectivite(session)
    return PlafondsCaf(
        reglages.caf_plafond_journee_minutes, reglages.caf_plafond_demi_journee_minutes
    )


def erreurs_plafonds_caf(journee: object, demi_journee: object) -> dict[str, str]:
    """The French message of each cap out of its bounds, by field ("journee",
    "demi_journee"); empty: both plausible. The form calls it as the agent types."""
    erreurs: dict[str, str] = {}
    bornes = f"de {heures_minutes(PLAFOND_CAF_MIN)} à {heures_minutes(PLAFOND_CAF_MAX)}"
    for champ, valeur, libelle in (
        ("journee", journee, "Le plafond de la journée"),
        ("demi_journee", demi_journee, "Le plafond de la demi-journée"),
    ):
        if (
            not isinstance(valeur, int)
            or isinstance(valeur, bool)
            or not PLAFOND_CAF_MIN <= valeur <= PLAFOND_CAF_MAX
        ):
            erreurs[champ] = f"{libelle} va {bornes}."
    if not erreurs and isinstance(journee, int) and isinstance(demi_journee, int):
        if demi_journee > journee:
            erreurs["demi_journee"] = (
                f"La demi-journée dépasse la journée ({heures_minutes(journee)})."
            )
    return erreurs


def parametrer_plafonds_caf(
    session: Session, contexte: Contexte, journee: int, demi_journee: int
) -> PlafondsCaf:
    """Change the CAF's daily caps (administrateur), checked as the form checks them,
    journaled with the values before and after. Statistics computed since read the new
    caps; nothing stored depends on them."""
    exiger(session, contexte, "parametrer_caf")
    erreurs = erreurs_plafonds_caf(journee, demi_journee)
    if erreurs:
        champ, message = next(iter(erreurs.items()))
        raise ErreurMetier(message, champ)
    reglages = collectivite(session)
    avant = {
        "caf_plafond_journee_minutes": reglages.caf_plafond_journee_minutes,
        "caf_plafond_demi_journee_minutes": reglages.caf_plafond_demi_journee_minutes,
    }
    apres = {
        "caf_plafond_journee_minutes": journee,
        "caf_plafond_demi_journee_minutes": demi_journee,
    }
    changes = {c: v for c, v in apres.items() if avant[c] != v}
    if changes:
        for champ, valeur in changes.items():
            setattr(reglages, champ, valeur)
        session.add(reglages)
        session.flush()
        journaliser(
            session,
            contexte,
            "plafonds caf parametres",
            "collectivite",
            reglages.id,
            None,
            avant={c: avant[c] for c in changes},
            apres=changes,
            detail=(
                f"Plafonds CAF : journée {heures_minutes(journee)}, "
                f"demi-journée {heures_minutes(demi_journee)}"
            ),
        )
    return PlafondsCaf(journee, demi_journee)
