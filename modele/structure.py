"""The collectivité, its régies, its documents and the per-régie number sequences."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, select

from modele.base import ErreurMetier


class Collectivite(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    nom: str
    adresse: str = ""
    siret: str = ""
    message_accueil: str = "Bienvenue sur le Portail Famille"
    zone_scolaire: str = "C"
    contact_portail: str = ""  # "l'utilisation du Portail Famille"
    contact_factures: str = ""  # "votre facture"
    contact_inscriptions: str = ""  # "vos inscriptions et réservations"
    # A medical certificate recorded within N working days after the absent day excuses a
    # late-declared absence (modele/reservations.py's table).
    delai_certificat_jours_ouvres: int = 2
    # A QF runs to the end of the month this many months after its first (modele.quotient).
    qf_validite_mois: int = 12
    # The CAF's daily caps on a child's "heures réalisées" (prestation de service): a day
    # with a meal, a half-day without one (modele/statistiques.py).
    caf_plafond_journee_minutes: int = 540
    caf_plafond_demi_journee_minutes: int = 240


class Document(SQLModel, table=True):
    """A downloadable document: "Infos./Documents" or "Formulaires"."""

    id: int | None = Field(default=None, primary_key=True)
    collectivite_id: int = Field(foreign_key="collectivite.id", index=True)
    categorie: str  # "Infos./Documents" | "Formulaires"
    titre: str
    description: str = ""
    lien: str = ""


class Regie(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    collectivite_id: int = Field(foreign_key="collectivite.id", index=True)
    code: str = Field(unique=True)  # invoice prefix, e.g. "AL"
    libelle: str  # "Régie garderie ALSH"
    # True when the Trésorerie collects: payments are "Titre émis (ORMC n°X)"
    # and the balance is not followed here.
    encaissement_tresorerie: bool = False
    jours_echeance: int = 22  # due date = issue date + N days
    modalites_paiement: str = ""
    # Plausibility of a payment at the counter: its maximum (cents) and how many digits a
    # cheque number has as the bank prints it.
    montant_max_reglement: int = 500_000
    chiffres_cheque: int = 7
    # Reminders of unpaid invoices: days after the due date for the 1st reminder, the 2nd,
    # then the title of revenue to issue (modele/relances.py).
    relance1_jours: int = 15
    relance2_jours: int = 30
    titre_jours: int = 60
    # SEPA direct debit: the creditor identifier (ICS) and the régie's account.
    ics: str = ""
    iban_creancier: str = ""
    bic_creancier: str = ""


class Compteur(SQLModel, table=True):
    """Last number used in one sequence of a régie (facture, reglement, avoir)."""

    regie_id: int = Field(foreign_key="regie.id", primary_key=True)
    nature: str = Field(primary_key=True)
    dernier: int = 0


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


def reprendre_compteur(session: Session, regie_id: int, nature: str, dernier: int) -> None:
    """Continue a sequence where the previous software stopped (numbers never go back)."""
    compteur = session.get(Compteur, (regie_id, nature))
    if compteur is None:
        session.add(Compteur(regie_id=regie_id, nature=nature, dernier=dernier))
    elif dernier < compteur.dernier:
        raise ErreurMetier(f"La séquence {nature} de la régie est déjà au n° {compteur.dernier}.")
    else:
        compteur.dernier = dernier
    session.flush()


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
