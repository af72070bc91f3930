"""Quotient familial: declarations (CAF, MSA, manual), QF brackets and the bracket rules.

Validity of a QF (seed 000, rule 9):
- A declaration counts from the month it is made, never before the QF's own month: nothing
  moves back on invoices already issued.
- It runs to the end of the month `Collectivite.qf_validite_mois` months after its first
  month (default 12: a QF of December 2024 is valid "Du 01/12/2024 au 31/12/2025", as the
  seed shows; February 2023 runs to 29/02/2024). An attestation may give an earlier end.
- Updates are due in September and February; a campaign's deadline is the last day of its
  month (30 September; 28 or 29 February). A declaration answers the next campaign: past a
  deadline, a QF declared on or before the deadline before it no longer counts, and the
  family is billed the maximum bracket from the day after the deadline (the month's bracket
  is the one of its 1st) until it declares again. Never retroactively: an issued invoice
  is never changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from sqlalchemy import case
from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from modele.api_particulier import QuotientCaf
from modele.base import Contexte, ErreurMetier, colonne_id, fin_de_mois
from modele.droits import exiger
from modele.formats import centimes, montant
from modele.journal import journaliser
from modele.tables.demandes import Demande, TypeDemande
from modele.tables.famille import Famille, Responsable, RoleResponsable
from modele.tables.messages import Message, Sens
from modele.tables.quotient import QuotientFamilial, StatutQF, TrancheQF
from modele.tables.structure import Collectivite
from modele.validation import LONGUEUR_COMMENTAIRE, LONGUEUR_REFERENCE, verifier_texte


class QFDeclare(Protocol):
    """What the bracket rule reads of a QF: a table row, or a billing run's narrow row."""

    @property
    def id(self) -> int | None: ...
    @property
    def valide_du(self) -> dt.date: ...
    @property
    def valide_au(self) -> dt.date: ...
    @property
    def declare_le(self) -> dt.date | None: ...
    @property
    def tranche_id(self) -> int | None: ...
    @property
    def valeur(self) -> int: ...


QF = TypeVar("QF", bound=QFDeclare)


def tranches(session: Session) -> list[TrancheQF]:
    return list(session.exec(select(TrancheQF).order_by(col(TrancheQF.numero))).all())


def tranche_pour_valeur(liste: list[TrancheQF], valeur: int) -> TrancheQF:
    """The bracket whose [min, max] holds the value (bounds inclusive)."""
    for tranche in liste:
        if valeur >= tranche.qf_min and (tranche.qf_max is None or valeur <= tranche.qf_max):
            return tranche
    return liste[-1]


DUREE_VALIDITE_QF = 12  # months after the first one, the collectivité's default


def echeance_avant(jour: dt.date) -> dt.date:
    """The latest campaign deadline strictly before `jour` (30 September, end of February)."""
    return max(
        d
        for annee in (jour.year - 1, jour.year)
        for d in (fin_de_mois(annee, 2), dt.date(annee, 9, 30))
        if d < jour
    )


def echeance_suivante(jour: dt.date) -> dt.date:
    """The deadline of the campaign running or to come on `jour` (that day included)."""
    return min(
        d
        for annee in (jour.year, jour.year + 1)
        for d in (fin_de_mois(annee, 2), dt.date(annee, 9, 30))
        if d >= jour
    )


def qf_compte(declare_le: dt.date, jour: dt.date) -> bool:
    """Whether a QF declared on `declare_le` still counts on `jour` after the campaigns:
    declared after the deadline before the last one passed."""
    return declare_le > echeance_avant(echeance_avant(jour))


def qf_retenu(qfs: Iterable[QF], jour: dt.date) -> QF | None:
    """Among a family's validated QFs, the one in force on `jour`: valid that day and still
    counting after the campaigns; the latest valid from (then the latest recorded) wins."""
    retenu = None
    for qf in qfs:
        if (
            qf.valide_du <= jour <= qf.valide_au
            and (retenu is None or (qf.valide_du, qf.id) > (retenu.valide_du, retenu.id))
            and qf_compte(qf.declare_le or qf.valide_du, jour)
        ):
            retenu = qf
    return retenu


def tranche_le(
    qfs: Iterable[QF],
    liste: list[TrancheQF],
    jour: dt.date,
    par_id: dict[int, TrancheQF] | None = None,
) -> tuple[TrancheQF | None, QF | None]:
    """The bracket rule (rule 9), the one place it is written: the bracket billed for the
    month of `jour` is the one of the QF in force on the 1st of that month (its recorded
    bracket, else the bracket of its value), with that QF; (None, None) without a QF, and
    the caller bills the maximum bracket. `qfs` are the family's validated QFs (rows or
    records with valide_du, valide_au, declare_le, id, tranche_id and valeur)."""
    qf = qf_retenu(qfs, jour.replace(day=1))
    if qf is None:
        return None, None
    if par_id is None:
        par_id = {t.id: t for t in liste if t.id is not None}
    tranche = par_id.get(qf.tranche_id) if qf.tranche_id is not None else None
    return tranche or tranche_pour_valeur(liste, qf.valeur), qf


def _qfs_valides(session: Session, famille_id: int, jour: dt.date) -> list[QuotientFamilial]:
    return list(
        session.exec(
            select(QuotientFamilial).where(
                QuotientFamilial.famille_id == famille_id,
                QuotientFamilial.statut == StatutQF.VALIDE,
                QuotientFamilial.valide_du <= jour,
                QuotientFamilial.valide_au >= jour,
            )
        )
    )


def qf_en_vigueur(session: Session, famille_id: int, jour: dt.date) -> QuotientFamilial | None:
    """The validated QF in force on that day (campaigns included); the latest declared wins."""
    return qf_retenu(_qfs_valides(session, famille_id, jour), jour)


def tranche_du_mois(
    session: Session, famille_id: int, mois: dt.date, liste: list[TrancheQF] | None = None
) -> tuple[TrancheQF, QuotientFamilial | None]:
    """Bracket billed for the month of `mois` (tranche_le), the maximum bracket without a
    QF, and the QF it comes from."""
    liste = liste or tranches(session)
    premier = mois.replace(day=1)
    tranche, qf = tranche_le(_qfs_valides(session, famille_id, premier), liste, premier)
    return tranche or liste[-1], qf


def prochaine_campagne(jour: dt.date) -> dt.date:
    """The first day the running or next campaign decides: the day after its deadline
    (1 March or 1 October), when a family that did not update gets the maximum bracket."""
    return echeance_suivante(jour) + dt.timedelta(days=1)


def _qf_couvrant(au: dt.date) -> SelectOfScalar[int]:
    """Ids of the families with a validated QF counting on that day (campaigns included)."""
    return select(QuotientFamilial.famille_id).where(
        QuotientFamilial.statut == StatutQF.VALIDE,
        QuotientFamilial.valide_du <= au,
        QuotientFamilial.valide_au >= au,
        func.coalesce(QuotientFamilial.declare_le, QuotientFamilial.valide_du)
        > echeance_avant(echeance_avant(au)),
    )


def familles_sans_qf_valide(session: Session, au: dt.date) -> SelectOfScalar[int]:
    """Ids of the families with no validated QF counting on that day (campaigns included)."""
    return select(colonne_id(Famille)).where(col(Famille.id).not_in(_qf_couvrant(au)))


# --- declarations (seed 000) -------------------------------------------------------------

MOIS = [
    "Janvier",
    "Février",
    "Mars",
    "Avril",
    "Mai",
    "Juin",
    "Juillet",
    "Août",
    "Septembre",
    "Octobre",
    "Novembre",
    "Décembre",
]


def debut_de_periode(jour: dt.date) -> dt.date:
    """The first day of the campaign period holding `jour` (1 September or 1 February)."""
    if jour.month >= 9:
        return dt.date(jour.year, 9, 1)
    if jour.month >= 2:
        return dt.date(jour.year, 2, 1)
    return dt.date(jour.year - 1, 9, 1)


def validite(
    declare_le: dt.date, annee: int, mois: int, duree_mois: int = DUREE_VALIDITE_QF
) -> tuple[dt.date, dt.date]:
    """A declaration counts from the month it is made (never before the QF's own month,
    never back on invoices already issued) to the end of the month `duree_mois` later."""
    debut = max(declare_le.replace(day=1), dt.date(annee, mois, 1))
    rang = debut.year * 12 + debut.month - 1 + duree_mois
    return debut, fin_de_mois(rang // 12, rang % 12 + 1)


def duree_validite(session: Session) -> int:
    """The collectivité's setting (months after the first one), its default without one."""

    reglage = session.exec(select(Collectivite.qf_validite_mois)).first()
    return DUREE_VALIDITE_QF if reglage is None else reglage


def lieux_de_naissance_manquants(session: Session, famille_id: int) -> list[Responsable]:
    """The responsable and conjoint whose birthplace is missing (seed 000, step 2)."""
    manquants = []
    for personne in session.exec(
        select(Responsable)
        .where(Responsable.famille_id == famille_id)
        .order_by(col(Responsable.role).desc())
    ):
        en_france = personne.pays_naissance.upper() in ("", "FRANCE")
        complet = (
            personne.code_insee_naissance
            if en_france and personne.pays_naissance
            else personne.lieu_naissance_etranger
            if not en_france
            else ""
        )
        if not complet:
            manquants.append(personne)
    return manquants


def declarer_qf(
    session: Session,
    contexte: Contexte,
    famille_id: int,
    resultat: QuotientCaf,
    commentaire: str,
    certifie: bool,
    origine: str = "api_particulier",
) -> QuotientFamilial:
    """Save a CAF/MSA declaration "En cours de traitement", with its request for the
    service; the declarant must certify it (seed 000, step 7)."""
    exiger(session, contexte, "servir_famille")
    if not certifie:
        raise ErreurMetier(
            "Cochez « Je certifie sur l'honneur l'exactitude des informations "
            "portées ci-dessus » pour valider la déclaration.",
            "certifie",
        )
    commentaire = verifier_texte(
        commentaire, "commentaire", LONGUEUR_COMMENTAIRE, libelle="Le commentaire", multiligne=True
    )
    debut, fin = validite(
        contexte.aujourdhui, resultat.annee, resultat.mois, duree_validite(session)
    )
    type_qf = "MSA" if resultat.fournisseur.upper() == "MSA" else "CAF"
    qf = QuotientFamilial(
        famille_id=famille_id,
        type=type_qf,
        libelle_type=f"Quotient {type_qf} — API Particulier",
        valeur=resultat.valeur,
        valide_du=debut,
        valide_au=fin,
        statut=StatutQF.EN_COURS.value,
        origine=origine,
        annee_calcul=resultat.annee_calcul or resultat.annee,
        mois_calcul=resultat.mois_calcul or resultat.mois,
        commentaire=commentaire.strip(),
        certifie=True,
        declare_le=contexte.aujourdhui,
    )
    return _enregistrer(session, contexte, qf)


def _enregistrer(session: Session, contexte: Contexte, qf: QuotientFamilial) -> QuotientFamilial:
    """The QF "en cours" and the request that puts it in the service's queue."""
    session.add(qf)
    session.flush()
    demande = Demande(
        famille_id=qf.famille_id,
        type=TypeDemande.QUOTIENT_FAMILIAL.value,
        valeurs={
            "qf_id": qf.id,
            "valeur": qf.valeur,
            "type": qf.type,
            "Validité": f"du {qf.valide_du:%d/%m/%Y} au {qf.valide_au:%d/%m/%Y}",
        },
        canal=str(contexte.canal),
        saisie_par=contexte.agent_id,
        cree_le=contexte.maintenant(),
        commentaire=qf.commentaire,
    )
    session.add(demande)
    session.flush()
    qf.demande_id = demande.id
    session.add(qf)
    journaliser(
        session,
        contexte,
        "demande creee",
        "demande",
        demande.id,
        qf.famille_id,
        apres={
            "type": TypeDemande.QUOTIENT_FAMILIAL.value,
            "valeurs": {"Quotient familial": f"{montant(qf.valeur)} € ({qf.type})"},
        },
    )
    return qf


QF_MAX = 10_000_00  # cents: above any CAF or MSA quotient


def exiger_valeur_qf(valeur: int) -> None:
    if not 0 <= valeur <= QF_MAX:
        raise ErreurMetier("Valeur de QF invalide (0 à 10 000 €).", "valeur")


def lire_valeur_qf(texte: str) -> int:
    """A QF typed at the counter, in cents, within the bounds saisir_attestation keeps
    (one message for a value too large, however large)."""
    try:
        valeur = centimes(texte, "Quotient familial", "850 ou 850,50")
    except ValueError as e:
        if "trop grand" not in str(e):
            raise ErreurMetier(str(e), "valeur") from None
        valeur = QF_MAX + 1
    exiger_valeur_qf(valeur)
    return valeur


def saisir_attestation(
    session: Session,
    contexte: Contexte,
    famille_id: int,
    type_qf: str,
    valeur: int,
    mois: dt.date,
    reference_document: str,
    commentaire: str = "",
    valide_au: dt.date | None = None,
) -> QuotientFamilial:
    """A QF typed from a paper CAF/MSA attestation (families without a CAF file)."""
    exiger(session, contexte, "servir_famille")
    exiger_valeur_qf(valeur)
    if not (reference_document or "").strip():
        raise ErreurMetier("La référence de l'attestation est obligatoire.", "reference")
    reference_document = verifier_texte(
        reference_document, "reference", LONGUEUR_REFERENCE, libelle="« Référence »"
    )
    commentaire = verifier_texte(
        commentaire, "commentaire", LONGUEUR_COMMENTAIRE, libelle="Le commentaire", multiligne=True
    )
    debut, fin = validite(contexte.aujourdhui, mois.year, mois.month, duree_validite(session))
    if valide_au is not None:
        if valide_au < debut:
            raise ErreurMetier("La fin de validité est avant le début.", "valide_au")
        fin = valide_au
    qf = QuotientFamilial(
        famille_id=famille_id,
        type=type_qf,
        libelle_type=f"Attestation {type_qf}",
        valeur=valeur,
        valide_du=debut,
        valide_au=fin,
        statut=StatutQF.EN_COURS.value,
        origine="attestation",
        annee_calcul=mois.year,
        mois_calcul=mois.month,
        reference_document=reference_document.strip(),
        commentaire=commentaire.strip(),
        certifie=True,
        declare_le=contexte.aujourdhui,
    )
    return _enregistrer(session, contexte, qf)


def decider_qf(
    session: Session, contexte: Contexte, demande: Demande, acceptee: bool, motif: str = ""
) -> None:
    """The service validates (with its bracket) or refuses a declared QF."""
    exiger(session, contexte, "decider_demande")
    qf = session.get_one(QuotientFamilial, demande.valeurs["qf_id"])
    qf.statut = (StatutQF.VALIDE if acceptee else StatutQF.REFUSE).value
    if acceptee:
        qf.tranche_id = tranche_pour_valeur(tranches(session), qf.valeur).id
    qf.decide_par = contexte.agent_id
    qf.decide_le = contexte.maintenant()
    qf.motif_refus = motif
    session.add(qf)


# --- the campaign (September and February) -----------------------------------------------

SUJET_RELANCE = "Mise à jour de votre quotient familial"


def a_relancer(session: Session, jour: dt.date) -> list[int]:
    """Families whose QF will not be valid for the next campaign period."""
    return sorted(session.exec(familles_sans_qf_valide(session, prochaine_campagne(jour))))


@dataclass(frozen=True)
class RelanceDuJour:
    familles: list[int]  # to remind now
    deja: int  # due, but already reminded today: not a second time


def relance_du_jour(session: Session, jour: dt.date) -> RelanceDuJour:
    """The families to remind now: those due (`a_relancer`) less those already reminded
    today, so that the campaign sent twice the same day reaches no family twice."""
    dues = a_relancer(session, jour)
    aujourdhui = {fid for fid, _, _ in suivi_campagne(session, jour)}
    return RelanceDuJour([f for f in dues if f not in aujourdhui], len(aujourdhui & set(dues)))


def corps_relance(jour: dt.date) -> str:
    echeance = prochaine_campagne(jour)
    return (
        f"Bonjour,\n\nLes quotients familiaux sont à mettre à jour en septembre et en février. "
        f"Votre quotient familial ne sera plus valide au {echeance:%d/%m/%Y} : merci de faire "
        "votre déclaration sur le Portail Famille (rubrique Quotient familial), ou de passer "
        "au guichet avec votre attestation CAF ou MSA.\n\nSans mise à jour, la tranche "
        "tarifaire maximale sera appliquée. Aucun effet rétroactif n'est possible sur les "
        "factures déjà éditées.\n\nLe service Portail Famille"
    )


def suivi_campagne(
    session: Session, depuis: dt.date
) -> list[tuple[int, dt.datetime, dt.date | None]]:
    """Families reminded since `depuis`: (famille_id, reminded at, QF declared since or None)."""

    relances: dict[int, dt.datetime] = {}
    for famille_id, quand in session.exec(
        select(Message.famille_id, Message.envoye_le).where(
            Message.sujet == SUJET_RELANCE,
            Message.sens == Sens.DU_SERVICE,
            Message.envoye_le >= dt.datetime.combine(depuis, dt.time()),
        )
    ):
        relances[famille_id] = max(quand, relances.get(famille_id, quand))
    if not relances:
        return []
    declarations: dict[int, dt.date] = {}
    for famille_id, declare_le in session.exec(
        select(QuotientFamilial.famille_id, col(QuotientFamilial.declare_le)).where(
            col(QuotientFamilial.famille_id).in_(relances),
            col(QuotientFamilial.statut).not_in([StatutQF.REFUSE, StatutQF.RETIRE]),
        )
    ):
        if declare_le and declare_le >= relances[famille_id].date():
            declarations[famille_id] = max(declare_le, declarations.get(famille_id, declare_le))
    return [(fid, quand, declarations.get(fid)) for fid, quand in sorted(relances.items())]


def _campagne(session: Session, jour: dt.date):
    """The campaign's list as conditions on a family: to remind (no valid QF for the next
    period), or reminded since the period began (its follow-up); one read of the
    families in id order, no union to sort."""
    relancees = select(col(Message.famille_id)).where(
        Message.sujet == SUJET_RELANCE,
        Message.sens == Sens.DU_SERVICE,
        Message.envoye_le >= dt.datetime.combine(debut_de_periode(jour), dt.time()),
    )
    a_faire = col(Famille.id).not_in(_qf_couvrant(prochaine_campagne(jour)))
    return a_faire, a_faire | col(Famille.id).in_(relancees)


@dataclass(frozen=True)
class EnteteCampagne:
    """The campaign screen's figures: how many to remind, who was reminded (when, declared
    since), how many rows its list has."""

    a_relancer: int
    suivi: dict[int, tuple[dt.datetime, dt.date | None]]
    familles: int


@dataclass(frozen=True)
class LigneCampagne:
    famille_id: int
    numero: str
    responsable: str  # nom prénoms
    ville: str
    a_faire: bool  # still without a valid QF for the next period


def entete_campagne(session: Session, jour: dt.date) -> EnteteCampagne:
    """Counts only: in December every family of a town may be due for the February
    campaign (50,000 rows), of which the screen reads a page at a time (`page_campagne`)."""
    a_faire, liste = _campagne(session, jour)
    familles, a_relancer = session.exec(
        select(func.count(), func.coalesce(func.sum(case((a_faire, 1), else_=0)), 0)).where(liste)
    ).one()
    suivi = {
        fid: (quand, maj) for fid, quand, maj in suivi_campagne(session, debut_de_periode(jour))
    }
    return EnteteCampagne(a_relancer, suivi, familles)


def page_campagne(session: Session, jour: dt.date, debut: int, nombre: int) -> list[LigneCampagne]:
    """Rows debut… of the campaign's list, by family id."""
    a_faire, liste = _campagne(session, jour)
    familles = session.exec(
        select(colonne_id(Famille), col(Famille.numero), case((a_faire, True), else_=False))
        .where(liste)
        .order_by(colonne_id(Famille))
        .offset(debut)
        .limit(nombre)
    ).all()
    if not familles:
        return []
    ids = [fid for fid, _, _ in familles]
    noms = {
        famille_id: (f"{nom} {prenoms}", ville)
        for famille_id, nom, prenoms, ville in session.exec(
            select(
                col(Responsable.famille_id),
                col(Responsable.nom),
                col(Responsable.prenoms),
                col(Responsable.ville),
            ).where(
                col(Responsable.famille_id).in_(ids),
                Responsable.role == RoleResponsable.RESPONSABLE,
            )
        )
    }
    return [
        LigneCampagne(fid, numero, *noms.get(fid, ("", "")), bool(faire))
        for fid, numero, faire in familles
    ]
