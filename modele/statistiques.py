"""The service's figures (tableau de bord) and the CAF's statistics: read only, one function
per figure, each an aggregate computed by the database (a town has 50,000 families).

Words used here:
- *réservé*: a cell that takes a place on the day (modele.reservations.OCCUPENT);
- *présent*: a cell recorded present (Présent, Heure hors contrat);
- *non pointé*: a cell of a past day still booked, whose presence nobody recorded.
CAF "heures réalisées": a child present for any part of a slot counts the whole slot
(`Activite.duree_caf_minutes`); a child's day in one structure is capped by the
collectivité's settings, the "journée avec repas" cap when one of the day's slots includes
a meal, else the "demi-journée" cap; a capped day keeps its slots in the activities' order
and trims the last ones.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    SQLColumnExpression,
    and_,
    case,
    cast,
    extract,
    literal,
)
from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import Select

from modele.agents import exiger
from modele.base import (
    Contexte,
    ErreurMetier,
    annee_scolaire,
    bornes_annee_scolaire,
    fin_de_mois,
)
from modele.demandes import Demande, StatutDemande, TypeDemande
from modele.facturation import Facture, NatureFacture
from modele.famille import Enfant, Famille
from modele.planning import (
    Activite,
    Consommation,
    EtatConsommation,
    jour_ouvert,
    periodes_du_mois,
)
from modele.quotient import (
    QuotientFamilial,
    StatutQF,
    TrancheQF,
    debut_de_periode,
    echeance_avant,
    familles_sans_qf_valide,
    prochaine_campagne,
    suivi_campagne,
    tranches,
)
from modele.reglements import Affectation, ModeReglement, Reglement
from modele.reservations import OCCUPENT
from modele.structure import Regie, collectivite

E = EtatConsommation
PRESENTS = (E.PRESENT, E.HORS_CONTRAT)
NON_POINTES = tuple(e for e in OCCUPENT if e not in PRESENTS)
# A past day stands out when at least this share of its booked places was not recorded.
PART_NON_POINTES = 0.2
SANS_QF = "Sans QF valide"


def _nombre(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """SUM(CASE WHEN condition THEN 1 ELSE 0 END): a count by condition, on any base."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _colonnes(*colonnes: Any) -> Select[*tuple[Any, ...]]:
    """select() of five columns or more, which SQLModel's select() does not type."""
    return Select(*colonnes)


def _mois(colonne: SQLColumnExpression[dt.date]) -> ColumnElement[int]:
    return cast(extract("month", colonne), Integer)


# --- Fréquentation ------------------------------------------------------------------------


@dataclass(frozen=True)
class JourFrequentation:
    jour: dt.date
    reserves: int
    presents: int
    non_pointes: int  # past days only
    capacite: int | None

    @property
    def complet(self) -> bool:
        """More places booked than the activity has."""
        return self.capacite is not None and self.reserves > self.capacite

    @property
    def a_pointer(self) -> bool:
        """Many presences not recorded on a past day."""
        return self.non_pointes > 0 and self.non_pointes >= PART_NON_POINTES * self.reserves


@dataclass(frozen=True)
class FrequentationActivite:
    activite_id: int
    nom: str
    capacite: int | None
    jours: list[JourFrequentation]

    @property
    def reserves(self) -> int:
        return sum(j.reserves for j in self.jours)

    @property
    def presents(self) -> int:
        return sum(j.presents for j in self.jours)

    @property
    def non_pointes(self) -> int:
        return sum(j.non_pointes for j in self.jours)


def _jours_du_mois(annee: int, mois: int) -> list[dt.date]:
    debut, fin = dt.date(annee, mois, 1), fin_de_mois(annee, mois)
    return [debut + dt.timedelta(days=i) for i in range((fin - debut).days + 1)]


def activites_du_mois(session: Session, annee: int, mois: int) -> list[tuple[int, str]]:
    """The activities the fréquentation shows for a month, in their order: those that open
    on one of its days, and any other that has cells in it. Each one is probed day by day
    on the cells' (jour, activite_id, etat) index: a town's month is over a million cells,
    a probe reads one. (id, nom) of each."""
    jours = _jours_du_mois(annee, mois)
    periodes = periodes_du_mois(session, annee, mois)
    activites = list(session.exec(select(Activite).order_by(col(Activite.ordre), col(Activite.id))))
    avec_cellules = set(
        session.exec(
            select(Activite.id).where(
                select(Consommation.activite_id)
                .where(col(Consommation.jour).in_(jours), Consommation.activite_id == Activite.id)
                .exists()
            )
        )
    )
    return [
        (a.id, a.nom)
        for a in activites
        if a.id is not None
        and (a.id in avec_cellules or (a.actif and any(jour_ouvert(a, j, periodes) for j in jours)))
    ]


def frequentation_activite(
    session: Session,
    activite_id: int,
    annee: int,
    mois: int,
    aujourdhui: dt.date,
    periodes: list | None = None,
) -> FrequentationActivite:
    """One activity's month, day by day: booked, present, not recorded (days before
    `aujourdhui`), capacity; the days it opens or has cells. Its cells are counted per day
    and state from the (jour, activite_id, etat) index, one range per day (the month's
    other activities are not read)."""
    activite = session.get(Activite, activite_id)
    if activite is None:
        raise ErreurMetier("Cette activité n'existe plus.")
    jours = _jours_du_mois(annee, mois)
    if periodes is None:
        periodes = periodes_du_mois(session, annee, mois)
    occupent, presents, non_pointes = set(OCCUPENT), set(PRESENTS), set(NON_POINTES)
    du_mois: dict[dt.date, list[int]] = {}
    for jour, etat, nombre in session.exec(
        select(col(Consommation.jour), col(Consommation.etat), func.count())
        .where(col(Consommation.jour).in_(jours), Consommation.activite_id == activite_id)
        .group_by(col(Consommation.jour), col(Consommation.etat))
    ):
        comptes = du_mois.setdefault(jour, [0, 0, 0])
        if etat in occupent:
            comptes[0] += nombre
        if etat in presents:
            comptes[1] += nombre
        if etat in non_pointes and jour < aujourdhui:
            comptes[2] += nombre
    ouverts = [
        j for j in jours if j in du_mois or (activite.actif and jour_ouvert(activite, j, periodes))
    ]
    return FrequentationActivite(
        activite_id,
        activite.nom,
        activite.capacite,
        [
            JourFrequentation(j, reserves, presents_, a_pointer, activite.capacite)
            for j in ouverts
            for reserves, presents_, a_pointer in [du_mois.get(j, [0, 0, 0])]
        ],
    )


def frequentation_du_mois(
    session: Session, annee: int, mois: int, aujourdhui: dt.date
) -> list[FrequentationActivite]:
    """For each activity, each day of the month it opens (or has cells): booked, present,
    not recorded (days before `aujourdhui`), capacity."""
    periodes = periodes_du_mois(session, annee, mois)
    return [
        frequentation_activite(session, activite_id, annee, mois, aujourdhui, periodes)
        for activite_id, _nom in activites_du_mois(session, annee, mois)
    ]


@dataclass(frozen=True)
class EnfantDuJour:
    enfant_id: int
    famille_id: int
    famille_numero: str
    nom: str
    prenoms: str
    etat: str  # the state's label


def enfants_du_jour(session: Session, activite_id: int, jour: dt.date) -> list[EnfantDuJour]:
    """The children booked or recorded on an activity's day, by name."""
    lignes = session.exec(
        _colonnes(
            Enfant.id,
            Enfant.famille_id,
            Famille.numero,
            Enfant.nom,
            Enfant.prenoms,
            Consommation.etat,
        )
        .join(Enfant, col(Enfant.id) == Consommation.enfant_id)
        .join(Famille, col(Famille.id) == Enfant.famille_id)
        .where(
            Consommation.activite_id == activite_id,
            Consommation.jour == jour,
            col(Consommation.etat).in_(set(OCCUPENT) | {E.ABSENT_EXCUSE, E.ABSENT_FACTURE}),
        )
        .order_by(col(Enfant.nom), col(Enfant.prenoms), col(Enfant.id))
    )
    return [
        EnfantDuJour(eid, fid, numero, nom, prenoms, E(etat).libelle)
        for eid, fid, numero, nom, prenoms, etat in lignes
    ]


# --- Argent -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArgentMois:
    mois: dt.date  # its first day
    facture: int  # cents: invoices issued
    avoirs: int  # cents: credit notes issued
    encaisse: int  # cents: payments received (cancellations and refunds deducted)

    @property
    def facture_net(self) -> int:
        return self.facture - self.avoirs


def argent_par_mois(session: Session, annee: int) -> list[ArgentMois]:
    """The school year `annee`, month by month: billed (invoices, credit notes) and
    collected (every payment but the Trésorerie's titles, which are not cash here). Summed
    by day on the (date_emission, nature, total) and (date, mode, montant) indexes (a few
    hundred rows), then by month here: no date function on each of a town's invoices."""
    debut, fin = bornes_annee_scolaire(annee)
    factures: dict[tuple[int, int, str], int] = defaultdict(int)
    for jour, nature, total in session.exec(
        select(col(Facture.date_emission), col(Facture.nature), func.sum(Facture.total))
        .where(Facture.date_emission >= debut, Facture.date_emission <= fin)
        .group_by(col(Facture.date_emission), col(Facture.nature))
    ):
        factures[(jour.year, jour.month, nature)] += int(total or 0)
    encaisse: dict[tuple[int, int], int] = defaultdict(int)
    for jour, total in session.exec(
        select(col(Reglement.date), func.sum(Reglement.montant))
        .where(
            Reglement.date >= debut,
            Reglement.date <= fin,
            Reglement.mode != ModeReglement.TITRE_ORMC,
        )
        .group_by(col(Reglement.date))
    ):
        encaisse[(jour.year, jour.month)] += int(total or 0)
    resultat = []
    for i in range(12):
        a, m = annee + (8 + i) // 12, (8 + i) % 12 + 1
        resultat.append(
            ArgentMois(
                dt.date(a, m, 1),
                factures.get((a, m, NatureFacture.FACTURE.value), 0),
                factures.get((a, m, NatureFacture.AVOIR.value), 0),
                encaisse.get((a, m), 0),
            )
        )
    return resultat


@dataclass(frozen=True)
class Part:
    """One line of a split: a label, a count, an amount (cents) when it has one."""

    libelle: str
    nombre: int
    montant: int = 0


AGES_IMPAYES = (
    ("Non échues", None, -1),
    ("0 à 30 jours", 0, 30),
    ("31 à 60 jours", 31, 60),
    ("61 à 90 jours", 61, 90),
    ("Plus de 90 jours", 91, None),
)


def impayes_par_anciennete(session: Session, au: dt.date) -> list[Part]:
    """What is still due on `au` on the invoices of the régies that collect themselves,
    by days past the due date: not yet due, 0–30, 31–60, 61–90, over 90."""
    payes = (
        select(Affectation.facture_id, func.sum(Affectation.montant).label("paye"))
        .group_by(col(Affectation.facture_id))
        .subquery()
    )
    reste = Facture.total - func.coalesce(payes.c.paye, 0)
    echeance = col(Facture.date_echeance)
    age = case(
        (echeance > au, 0),
        (echeance >= au - dt.timedelta(days=30), 1),
        (echeance >= au - dt.timedelta(days=60), 2),
        (echeance >= au - dt.timedelta(days=90), 3),
        else_=4,
    )
    dues = (
        select(age.label("age"), reste.label("reste"))
        .select_from(Facture)
        .join(Regie, col(Regie.id) == Facture.regie_id)
        .outerjoin(payes, payes.c.facture_id == Facture.id)
        .where(
            Facture.nature == NatureFacture.FACTURE,
            Facture.date_emission <= au,
            Regie.encaissement_tresorerie == False,
            reste > 0,
        )
        .subquery()
    )
    par_age = {
        int(a): (int(n), int(s or 0))
        for a, n, s in session.exec(
            select(dues.c.age, func.count(), func.sum(dues.c.reste)).group_by(dues.c.age)
        )
    }
    return [
        Part(libelle, *par_age.get(i, (0, 0))) for i, (libelle, _, _) in enumerate(AGES_IMPAYES)
    ]


def encaissements_par_mode(session: Session, annee: int) -> list[Part]:
    """The school year's payments by mode: how many (cancelling entries not counted) and
    the net amount (cents); modes never used are left out."""
    debut, fin = bornes_annee_scolaire(annee)
    lignes = session.exec(
        select(
            Reglement.mode,
            _nombre(col(Reglement.annule_reglement_id).is_(None)),
            func.sum(Reglement.montant),
        )
        .where(Reglement.date >= debut, Reglement.date <= fin)
        .group_by(Reglement.mode)
    ).all()
    par_mode = {mode: (int(n), int(s or 0)) for mode, n, s in lignes}
    return [
        Part(mode.libelle, *par_mode[mode.value])
        for mode in ModeReglement
        if mode.value in par_mode
    ]


# --- Familles -----------------------------------------------------------------------------


def _qf_en_vigueur(jour: dt.date):
    """Subquery: each family's QF in force on `jour` (modele.quotient.qf_en_vigueur, for all
    families at once): famille_id, tranche_id, valeur, rang (1 for the one that counts)."""
    return (
        select(
            QuotientFamilial.famille_id,
            QuotientFamilial.tranche_id,
            QuotientFamilial.valeur,
            func.row_number()
            .over(
                partition_by=col(QuotientFamilial.famille_id),
                order_by=(
                    col(QuotientFamilial.valide_du).desc(),
                    col(QuotientFamilial.id).desc(),
                ),
            )
            .label("rang"),
        )
        .where(
            QuotientFamilial.statut == StatutQF.VALIDE,
            QuotientFamilial.valide_du <= jour,
            QuotientFamilial.valide_au >= jour,
            func.coalesce(QuotientFamilial.declare_le, QuotientFamilial.valide_du)
            > echeance_avant(echeance_avant(jour)),
        )
        .subquery()
    )


def _numero_tranche(qf, liste: list[TrancheQF]):
    """CASE giving the bracket number of a QF row: its own bracket, else its value's."""
    branches = [(qf.c.tranche_id == t.id, literal(t.numero)) for t in liste]
    for t in liste:
        condition = qf.c.valeur >= t.qf_min
        if t.qf_max is not None:
            condition = and_(condition, qf.c.valeur <= t.qf_max)
        branches.append((and_(qf.c.tranche_id.is_(None), condition), literal(t.numero)))
    return case(*branches, else_=literal(liste[-1].numero))


def tranches_des_familles(session: Session, jour: dt.date) -> dict[int, int]:
    """famille_id → the number of its bracket on `jour`, for the families with a QF in force."""
    liste = tranches(session)
    if not liste:
        return {}
    qf = _qf_en_vigueur(jour)
    return {
        fid: int(numero)
        for fid, numero in session.exec(
            select(qf.c.famille_id, _numero_tranche(qf, liste)).where(qf.c.rang == 1)
        )
    }


def familles_par_tranche(session: Session, jour: dt.date) -> list[Part]:
    """The families per QF bracket on `jour`, then those without a valid QF (billed the
    maximum bracket)."""
    liste = tranches(session)
    total = session.exec(select(func.count()).select_from(Famille)).one()
    par_numero: dict[int, int] = {}
    if liste:
        qf = _qf_en_vigueur(jour)
        numero = _numero_tranche(qf, liste)
        par_numero = {
            int(n): int(c)
            for n, c in session.exec(
                select(numero, func.count()).where(qf.c.rang == 1).group_by(numero)
            )
        }
    resultat = [Part(t.libelle, par_numero.get(t.numero, 0)) for t in liste]
    return [*resultat, Part(SANS_QF, total - sum(par_numero.values()))]


@dataclass(frozen=True)
class AvancementCampagne:
    echeance: dt.date  # the first day the running campaign decides
    familles: int
    a_jour: int  # with a QF valid on `echeance`
    relancees: int  # reminded since the period began
    declarees: int  # of those, declared since their reminder

    @property
    def a_relancer(self) -> int:
        return self.familles - self.a_jour


def avancement_campagne(session: Session, jour: dt.date) -> AvancementCampagne:
    """The running QF campaign: how many families will have a valid QF when it decides,
    how many were reminded and have declared since."""
    echeance = prochaine_campagne(jour)
    total = session.exec(select(func.count()).select_from(Famille)).one()
    sans = familles_sans_qf_valide(session, echeance).subquery()
    manquent = session.exec(select(func.count()).select_from(sans)).one()
    suivi = suivi_campagne(session, debut_de_periode(jour))
    return AvancementCampagne(
        echeance,
        int(total),
        int(total - manquent),
        len(suivi),
        sum(1 for _, _, declare in suivi if declare is not None),
    )


AGES_DEMANDES = (
    ("Moins de 3 j", 0, 2),
    ("3 à 7 j", 3, 7),
    ("8 à 30 j", 8, 30),
    ("Plus de 30 j", 31, None),
)


@dataclass(frozen=True)
class DemandesType:
    libelle: str
    par_age: tuple[int, ...]  # one count per AGES_DEMANDES

    @property
    def total(self) -> int:
        return sum(self.par_age)


def demandes_en_attente(session: Session, maintenant: dt.datetime) -> list[DemandesType]:
    """The pending requests by type and by age (whole days since they were made)."""
    jour = dt.datetime.combine(maintenant.date(), dt.time())
    # made on day d (midnight to midnight): age = today - d
    cree_le = col(Demande.cree_le)
    age = case(
        (cree_le >= jour - dt.timedelta(days=2), 0),
        (cree_le >= jour - dt.timedelta(days=7), 1),
        (cree_le >= jour - dt.timedelta(days=30), 2),
        else_=3,
    )
    comptes: dict[str, list[int]] = defaultdict(lambda: [0] * len(AGES_DEMANDES))
    for type_, a, n in session.exec(
        select(Demande.type, age, func.count())
        .where(Demande.statut == StatutDemande.EN_ATTENTE)
        .group_by(Demande.type, age)
    ):
        comptes[type_][int(a)] += int(n)
    return [
        DemandesType(t.libelle, tuple(comptes[t.value])) for t in TypeDemande if t.value in comptes
    ]


# --- the dashboard, at once ----------------------------------------------------------------


@dataclass(frozen=True)
class MoisFrequentation:
    """The fréquentation section of a month: its activities, the one shown."""

    annee: int
    mois: int
    annee_scolaire: int
    activites: list[tuple[int, str]]  # the month's (activites_du_mois)
    frequentation: FrequentationActivite | None  # the one shown (the others when asked)


@dataclass(frozen=True)
class ArgentAnnee:
    """The money section's school year: billed and collected per month, the modes."""

    annee_scolaire: int
    argent: list[ArgentMois]
    modes: list[Part]


@dataclass(frozen=True)
class ChiffresDuJour:
    """What is due and the families' figures as of today."""

    impayes: list[Part]
    familles: list[Part]
    campagne: AvancementCampagne
    demandes: list[DemandesType]


@dataclass(frozen=True)
class TableauDeBord:
    annee: int
    mois: int
    annee_scolaire: int
    activites: list[tuple[int, str]]
    frequentation: FrequentationActivite | None
    argent: list[ArgentMois]
    impayes: list[Part]
    modes: list[Part]
    familles: list[Part]
    campagne: AvancementCampagne
    demandes: list[DemandesType]


def mois_frequentation(
    session: Session, contexte: Contexte, annee: int, mois: int, activite_id: int | None = None
) -> MoisFrequentation:
    """The month's activities and the fréquentation of the one shown: `activite_id` when it
    runs that month, else the first (None when none does). What the dashboard opens on: a
    régisseur's or an administrateur's."""
    exiger(session, contexte, "tableau_de_bord")
    activites = activites_du_mois(session, annee, mois)
    ids = [i for i, _nom in activites]
    if activite_id not in ids:
        activite_id = ids[0] if ids else None
    frequentation = None
    if activite_id is not None:
        frequentation = frequentation_activite(
            session, activite_id, annee, mois, contexte.aujourdhui
        )
    scolaire = annee_scolaire(dt.date(annee, mois, 1))
    return MoisFrequentation(annee, mois, scolaire, activites, frequentation)


def argent_annee(session: Session, contexte: Contexte, annee: int) -> ArgentAnnee:
    """The money section for the school year `annee`."""
    exiger(session, contexte, "tableau_de_bord")
    return ArgentAnnee(
        annee, argent_par_mois(session, annee), encaissements_par_mode(session, annee)
    )


def chiffres_du_jour(session: Session, contexte: Contexte) -> ChiffresDuJour:
    """Unpaid invoices by age, families by QF bracket, the QF campaign, pending requests."""
    exiger(session, contexte, "tableau_de_bord")
    jour = contexte.aujourdhui
    return ChiffresDuJour(
        impayes_par_anciennete(session, jour),
        familles_par_tranche(session, jour),
        avancement_campagne(session, jour),
        demandes_en_attente(session, contexte.maintenant()),
    )


def tableau_de_bord(
    session: Session, contexte: Contexte, annee: int, mois: int, activite_id: int | None = None
) -> TableauDeBord:
    """Everything the dashboard shows for a month (the money for its school year; families
    and requests as of today), the fréquentation of one activity (`activite_id`, else the
    first), for a régisseur or an administrateur. (The screen reads it in three parts, the
    fréquentation first: mois_frequentation, argent_annee, chiffres_du_jour.)"""
    vue = mois_frequentation(session, contexte, annee, mois, activite_id)
    argent = argent_annee(session, contexte, vue.annee_scolaire)
    jour = chiffres_du_jour(session, contexte)
    return TableauDeBord(
        annee,
        mois,
        vue.annee_scolaire,
        vue.activites,
        vue.frequentation,
        argent.argent,
        jour.impayes,
        argent.modes,
        jour.familles,
        jour.campagne,
        jour.demandes,
    )


# --- CAF ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LigneNominative:
    """One child of the état nominatif: who, and what the year counts for them."""

    famille_numero: str
    nom: str
    prenoms: str
    date_naissance: dt.date
    tranche: str  # the family's bracket at the child's last month of presence
    jours: int  # days present
    minutes: int  # heures réalisées, capped


@dataclass(frozen=True)
class StatistiquesCaf:
    annee: int
    structure: str | None
    plafond_journee: int  # minutes
    plafond_demi_journee: int
    activites: list[str]  # activity names, display order
    # activity name → 12 monthly totals of minutes (capped)
    heures: dict[str, list[int]]
    enfants_par_activite: dict[str, int]
    enfants: int  # distinct children present in the year
    nominatif: list[LigneNominative]
    # bracket label → (distinct children, minutes)
    par_tranche: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def total_minutes(self) -> int:
        return sum(sum(m) for m in self.heures.values())


def structures(session: Session) -> list[str]:
    """The structures the activities belong to ("Accueil de Loisirs ALSH", …)."""
    return sorted(set(session.exec(select(Activite.structure))))


def statistiques_caf(session: Session, annee: int, structure: str | None = None) -> StatistiquesCaf:
    """The CAF's figures for a calendar year (and one structure): heures réalisées per
    activity and month, distinct children, état nominatif, the split by QF bracket (the
    family's bracket on the 1st of each month, as billing takes it)."""
    if structure is not None:
        connues = structures(session)
        trouvee = next((s for s in connues if s.casefold() == structure.strip().casefold()), None)
        if trouvee is None:
            noms_connus = ", ".join(connues) or "aucune"
            raise ErreurMetier(f"structure inconnue « {structure} » (structures : {noms_connus}).")
        structure = trouvee
    reglages = collectivite(session)
    journee = reglages.caf_plafond_journee_minutes
    demi = reglages.caf_plafond_demi_journee_minutes
    debut, fin = dt.date(annee, 1, 1), dt.date(annee, 12, 31)

    partition = (col(Consommation.enfant_id), col(Consommation.jour), col(Activite.structure))
    duree = col(Activite.duree_caf_minutes)
    filtre = [
        col(Consommation.jour) >= debut,
        col(Consommation.jour) <= fin,
        col(Consommation.etat).in_(PRESENTS),
        duree > 0,
    ]
    if structure is not None:
        filtre.append(col(Activite.structure) == structure)
    presences = (
        _colonnes(
            Consommation.enfant_id,
            Consommation.activite_id,
            Consommation.jour,
            duree.label("duree"),
            func.sum(duree)
            .over(partition_by=partition, order_by=(col(Activite.ordre), col(Activite.id)))
            .label("cumul"),
            func.max(case((col(Activite.repas) == True, 1), else_=0))
            .over(partition_by=partition)
            .label("repas"),
        )
        .join(Activite, col(Activite.id) == Consommation.activite_id)
        .where(*filtre)
        .subquery()
    )
    p = presences.c
    plafond = case((p.repas == 1, journee), else_=demi)
    retenu = case(
        (p.cumul - p.duree >= plafond, 0),
        (p.cumul > plafond, plafond - (p.cumul - p.duree)),
        else_=p.duree,
    )
    mois = _mois(p.jour)
    lignes = session.exec(
        _colonnes(
            p.enfant_id,
            p.activite_id,
            mois,
            func.sum(retenu),
            func.count(func.distinct(p.jour)),
        ).group_by(p.enfant_id, p.activite_id, mois)
    ).all()

    toutes = list(session.exec(select(Activite).order_by(col(Activite.ordre), col(Activite.id))))
    noms = {a.id: a.nom for a in toutes}
    vues = [
        a
        for a in toutes
        if a.duree_caf_minutes > 0 and (structure is None or a.structure == structure)
    ]
    heures: dict[str, list[int]] = {a.nom: [0] * 12 for a in vues}
    enfants_activite: dict[str, set[int]] = defaultdict(set)
    par_enfant: dict[int, list[tuple[int, int, int]]] = defaultdict(list)  # (mois, min, jours)
    for enfant_id, activite_id, m, minutes, jours in lignes:
        nom = noms[activite_id]
        heures.setdefault(nom, [0] * 12)[int(m) - 1] += int(minutes)
        enfants_activite[nom].add(enfant_id)
        par_enfant[enfant_id].append((int(m), int(minutes), int(jours)))

    # Days present per child: a day counts once whatever its slots (no window needed).
    jours_enfant = dict(
        session.exec(
            select(Consommation.enfant_id, func.count(func.distinct(Consommation.jour)))
            .join(Activite, col(Activite.id) == Consommation.activite_id)
            .where(*filtre)
            .group_by(col(Consommation.enfant_id))
        ).all()
    )
    infos = {}
    ids = sorted(par_enfant)
    for debut_lot in range(0, len(ids), 5000):
        lot = ids[debut_lot : debut_lot + 5000]
        for eid, fid, numero, nom, prenoms, naissance in session.exec(
            _colonnes(
                Enfant.id,
                Enfant.famille_id,
                Famille.numero,
                Enfant.nom,
                Enfant.prenoms,
                Enfant.date_naissance,
            )
            .join(Famille, col(Famille.id) == Enfant.famille_id)
            .where(col(Enfant.id).in_(lot))
        ):
            infos[eid] = (fid, numero, nom, prenoms, naissance)

    liste = tranches(session)
    libelles = {t.numero: t.libelle for t in liste}
    mois_vus = sorted({m for valeurs in par_enfant.values() for m, _, _ in valeurs})
    tranche_mois = {m: tranches_des_familles(session, dt.date(annee, m, 1)) for m in mois_vus}
    par_tranche_enfants: dict[str, set[int]] = defaultdict(set)
    par_tranche_minutes: dict[str, int] = defaultdict(int)
    nominatif = []
    for eid, valeurs in par_enfant.items():
        fid, numero, nom, prenoms, naissance = infos[eid]
        derniere = SANS_QF
        for m, minutes, _ in sorted(valeurs):
            numero_tranche = tranche_mois[m].get(fid)
            libelle = libelles.get(numero_tranche, SANS_QF) if numero_tranche else SANS_QF
            par_tranche_enfants[libelle].add(eid)
            par_tranche_minutes[libelle] += minutes
            derniere = libelle
        nominatif.append(
            LigneNominative(
                numero,
                nom,
                prenoms,
                naissance,
                derniere,
                int(jours_enfant.get(eid, 0)),
                sum(minutes for _, minutes, _ in valeurs),
            )
        )
    nominatif.sort(key=lambda ligne: (ligne.nom, ligne.prenoms, ligne.famille_numero))
    ordre_tranches = [t.libelle for t in liste] + [SANS_QF]
    return StatistiquesCaf(
        annee,
        structure,
        journee,
        demi,
        list(heures),
        heures,
        {nom: len(enfants_activite.get(nom, ())) for nom in heures},
        len(par_enfant),
        nominatif,
        {
            libelle: (len(par_tranche_enfants[libelle]), par_tranche_minutes[libelle])
            for libelle in ordre_tranches
            if libelle in par_tranche_enfants
        },
    )


def heures(minutes: int) -> str:
    """Minutes as French hours: 90 → "1,5"; 540 → "9"."""
    entier, reste = divmod(minutes, 60)
    if not reste:
        return str(entier)
    return f"{minutes / 60:.2f}".rstrip("0").replace(".", ",")
