"""Tariffs by QF bracket, invoices (immutable once issued) and the billing run."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import (
    Column,
    ColumnElement,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    case,
    insert,
    literal,
    or_,
    update,
)
from sqlalchemy import select as select_sql
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session, SQLModel, col, delete, func, select
from sqlmodel.sql.expression import Select

from modele.agents import exiger
from modele.base import (
    ETAPE_ENREGISTREMENT,
    Arret,
    Contexte,
    ErreurMetier,
    Progression,
    fin_de_mois,
    id_de,
)
from modele.chaine import a_sceller
from modele.famille import payeur_par_defaut
from modele.formats import mois_annee
from modele.journal import acteur, journaliser
from modele.planning import non_facturee
from modele.quotient import tranche_le, tranches
from modele.structure import numero_suivant, verrouiller_sequence
from modele.tables.facturation import Facture, LigneFacture, NatureFacture, Tarif
from modele.tables.famille import Enfant, Famille, Payeur, Responsable, RoleResponsable
from modele.tables.journal import Journal
from modele.tables.planning import Activite, Consommation, EtatConsommation, JourFacture
from modele.tables.quotient import QuotientFamilial, StatutQF, TrancheQF
from modele.tables.structure import Regie
from modele.validation import LONGUEUR_MOTIF, verifier_texte


def reference(regie: Regie, nature: str, numero: int) -> str:
    if nature == NatureFacture.FACTURE:
        return f"{regie.code}-{numero}"
    return f"{regie.code}-AV{numero}"


def prix(tarifs: list[Tarif], jour: dt.date) -> int | None:
    for tarif in tarifs:
        if tarif.valide_du <= jour and (tarif.valide_au is None or jour <= tarif.valide_au):
            return tarif.prix_unitaire
    return None


@dataclass
class LignePrevue:
    enfant_id: int
    activite_id: int
    libelle: str
    prix_unitaire: int
    quantite: int = 0
    mois: dt.date | None = None  # a regularisation: the earlier month it bills (its 1st)

    @property
    def montant(self) -> int:
        return self.quantite * self.prix_unitaire


@dataclass
class FacturePrevue:
    famille_id: int
    lignes: list[LignePrevue]
    anomalies: list[str]

    @property
    def total(self) -> int:
        return sum(ligne.montant for ligne in self.lignes)


class QFLu(NamedTuple):
    """A validated QF as the run reads it: the narrow row the bracket rule takes."""

    id: int | None
    famille_id: int
    valide_du: dt.date
    valide_au: dt.date
    tranche_id: int | None
    valeur: int
    declare_le: dt.date | None


def _tranches_familles(
    session: Session, familles: set[int] | None, debut: dt.date, fin: dt.date
) -> dict[int, list[QFLu]]:
    """The validated QFs overlapping the period, by family (all families when None: one
    range read rather than an IN list of a whole town)."""
    # Seven columns: sqlmodel's select() is typed up to four, the row type is written here.
    requete: Select[int | None, int, dt.date, dt.date, int | None, int, dt.date | None] = Select(
        col(QuotientFamilial.id),
        col(QuotientFamilial.famille_id),
        col(QuotientFamilial.valide_du),
        col(QuotientFamilial.valide_au),
        col(QuotientFamilial.tranche_id),
        col(QuotientFamilial.valeur),
        col(QuotientFamilial.declare_le),
    )
    requete = requete.where(
        QuotientFamilial.statut == StatutQF.VALIDE,
        QuotientFamilial.valide_du <= fin,
        QuotientFamilial.valide_au >= debut,
    )
    qfs: dict[int, list[QFLu]] = defaultdict(list)
    lots = [None] if familles is None else par_lots(sorted(familles))
    for lot in lots:
        morceau = (
            requete if lot is None else requete.where(col(QuotientFamilial.famille_id).in_(lot))
        )
        for ligne in session.connection().execute(morceau):
            qf = QFLu(*ligne)
            qfs[qf.famille_id].append(qf)
    return qfs


SANS_QF = "Pas de quotient familial valide : tranche maximale."


def _troncons(
    tarifs: dict[tuple[int, int], list[Tarif]], debut: dt.date, fin: dt.date
) -> list[dt.date]:
    """The first day of each stretch of the period on which every bracket and price is
    constant: the period's start, each month's 1st and each tariff's start or end."""
    coupures = {debut}
    jour = debut.replace(day=1)
    while jour <= fin:
        coupures.add(jour)
        jour = (jour + dt.timedelta(days=32)).replace(day=1)
    for liste in tarifs.values():
        for tarif in liste:
            coupures.add(tarif.valide_du)
            if tarif.valide_au is not None:
                coupures.add(tarif.valide_au + dt.timedelta(days=1))
    return sorted(c for c in coupures if debut <= c <= fin)


# The period's cells to bill, copied once into a temporary table: the run counts them by
# line, then links exactly these cells to their invoices in one statement. No primary key:
# the copy is appended in the order it is read (by family), not inserted into a b-tree by id
# (a third of its cost at 50,000 families).
_temporaires = MetaData()
_CELLULES = Table(
    "facturation_cellules",
    _temporaires,
    Column("id", Integer),
    Column("famille_id", Integer),
    Column("enfant_id", Integer),
    Column("activite_id", Integer),
    Column("jour", Date),
    Column("etat", String),
    Column("troncon", Integer),
    Column("hors_contrat", Integer),
    prefixes=["TEMPORARY"],
)
_CARTE = Table(
    "facturation_carte",
    _temporaires,
    Column("famille_id", Integer, primary_key=True, autoincrement=False),
    Column("facture_id", Integer),
    prefixes=["TEMPORARY"],
)


def _creer_temporaires(session: Session) -> None:
    _oublier_temporaires(session)
    for table in (_CELLULES, _CARTE):
        table.create(session.connection())


def _analyser(session: Session, table: Table) -> None:
    """On PostgreSQL, the statistics of a temporary table just filled: autovacuum never
    samples one, and without them the planner guesses a few hundred rows (hash joins split
    into batches, a nested loop where a hash join belongs)."""
    connexion = session.connection()
    if connexion.dialect.name == "postgresql":
        connexion.exec_driver_sql(f"ANALYZE {table.name}")


@contextmanager
def _sondes(session: Session) -> Iterator[None]:
    """On PostgreSQL, the statement run inside joined by index probes only (no hash or merge
    join), this transaction only: « not yet on an invoice » is then one probe of
    `jourfacture`'s primary key per cell of the month, where the planner, which expects most
    cells to be billed already, reads and hashes every link of every month (16 M at 50,000
    families, spilled to disk): 2.8 s against 7.2 s for a town's month. SQLite probes the
    index already. Put back after the statement (an error ends the transaction, and the
    rollback ends SET LOCAL)."""
    connexion = session.connection()
    if connexion.dialect.name != "postgresql":
        yield
        return
    avant = {
        nom: connexion.exec_driver_sql(f"SHOW {nom}").scalar_one()
        for nom in ("enable_hashjoin", "enable_mergejoin")
    }
    for nom in avant:
        connexion.exec_driver_sql(f"SET LOCAL {nom} = off")
    yield
    for nom, valeur in avant.items():
        connexion.exec_driver_sql(
            "SELECT set_config(%(nom)s, %(v)s, true)", {"nom": nom, "v": valeur}
        )


def _oublier_temporaires(session: Session) -> None:
    connexion = session.connection()
    for table in (_CELLULES, _CARTE):
        connexion.exec_driver_sql(f"DROP TABLE IF EXISTS {table.name}")


def _etats_factures(activites: Iterable[Activite]) -> ColumnElement[bool] | None:
    """Condition on Consommation: a state its activity bills (None: no activity bills).
    The billed states are a property of the activity: one condition per set of states."""
    par_etats: dict[frozenset[str], list[int]] = defaultdict(list)
    for activite in activites:
        if activite.id is not None and activite.etats_factures_set():
            par_etats[activite.etats_factures_set()].append(activite.id)
    if not par_etats:
        return None
    return or_(
        *[
            and_(
                col(Consommation.activite_id).in_(sorted(ids)),
                col(Consommation.etat).in_(sorted(etats)),
            )
            for etats, ids in par_etats.items()
        ]
    )


def libelle_regularisation(mois: dt.date, jours: Iterable[dt.date]) -> str:
    """« Régularisation mars 2026 (12/03, 19/03) »: what a regularisation line bills."""
    quand = ", ".join(f"{j:%d/%m}" for j in sorted(jours))
    return f"Régularisation {mois_annee(mois).lower()} ({quand})"


def mention_regularisation(ligne: LigneFacture) -> str:
    """The regularisation part of a line's label (« Régularisation mars 2026 (12/03) »),
    empty for a line of the invoice's own period."""
    if ligne.mois_regularise is None:
        return ""
    return ligne.libelle[ligne.libelle.find("Régularisation") :]


def preparer_facturation(
    session: Session, regie_id: int, debut: dt.date, fin: dt.date, familles: set[int] | None = None
) -> list[FacturePrevue]:
    """What billing the period would issue: the billed days not yet on an invoice, priced
    at the tariff of the family's bracket for each day's month (max bracket without QF).

    Regularisation: a cell of an earlier month changed after that month was billed (a booking
    accepted late, a presence recorded late: `Consommation.a_regulariser`) and billable but on
    no invoice is billed too, on a line of its own per month (« Régularisation mars 2026 »,
    with its days), at that day's tariff and that month's bracket. A day on an invoice is
    never billed again.

    A whole town's month is nearly two million cells: they are copied once into a temporary
    table (kept for the caller's transaction: emission links exactly these cells) and
    counted there by child, activity and stretch of constant price, so Python sees one row
    per line."""
    session.flush()
    _creer_temporaires(session)
    activites = {
        a.id: a
        for a in session.exec(select(Activite).where(Activite.regie_id == regie_id))
        if a.id is not None
    }
    if not activites:
        return []
    liste = tranches(session)
    if not liste:
        raise ErreurMetier("Aucune tranche de quotient familial n'est définie.")
    tarifs: dict[tuple[int, int], list[Tarif]] = defaultdict(list)
    for tarif in session.exec(select(Tarif).where(col(Tarif.activite_id).in_(activites))):
        tarifs[(tarif.activite_id, tarif.tranche_id)].append(tarif)
    etats_factures = _etats_factures(activites.values())
    if etats_factures is None:
        return []
    troncons = _troncons(tarifs, debut, fin)
    troncon = (
        case(
            *[
                (col(Consommation.jour) >= jour, rang)
                for rang, jour in reversed(list(enumerate(troncons)))
            ],
            else_=0,
        )
        if len(troncons) > 1
        else literal(0)
    )
    hors_contrat = case((col(Consommation.etat) == EtatConsommation.HORS_CONTRAT.value, 1), else_=0)
    # Copied on the connection into the temporary table: SQLAlchemy's select (typed for
    # eight columns, where sqlmodel's stops at four).
    cellules = (
        select_sql(
            col(Consommation.id),
            col(Enfant.famille_id),
            col(Consommation.enfant_id),
            col(Consommation.activite_id),
            col(Consommation.jour),
            col(Consommation.etat),
            troncon,
            hors_contrat,
        )
        .join(Enfant, col(Enfant.id) == col(Consommation.enfant_id))
        .where(
            col(Consommation.jour) >= debut,
            col(Consommation.jour) <= fin,
            non_facturee(),
            col(Consommation.gratuit).is_(False),  # kept without charge: never billed
            etats_factures,
        )
    )
    if familles is not None:
        cellules = cellules.where(col(Enfant.famille_id).in_(familles))
    with _sondes(session):
        session.connection().execute(
            _CELLULES.insert().from_select([c.name for c in _CELLULES.columns], cellules)
        )
    regularisations = _a_regulariser(session, debut, etats_factures, familles)
    if regularisations:
        # Linked to the invoices with the month's cells; counted apart (stretch -1).
        session.connection().execute(
            _CELLULES.insert(),
            [
                {
                    "id": r.id,
                    "famille_id": r.famille_id,
                    "enfant_id": r.enfant_id,
                    "activite_id": r.activite_id,
                    "jour": r.jour,
                    "etat": r.etat,
                    "troncon": -1,
                    "hors_contrat": int(r.etat == EtatConsommation.HORS_CONTRAT),
                }
                for r in regularisations
            ],
        )
    _analyser(session, _CELLULES)
    c = _CELLULES.c
    comptes = (
        select_sql(
            c.famille_id,
            c.enfant_id,
            c.activite_id,
            func.min(c.jour).label("premier"),
            c.troncon,
            func.count().label("jours"),
            func.sum(c.hors_contrat).label("hors_contrat"),
        )
        .where(c.troncon >= 0)
        .group_by(c.famille_id, c.enfant_id, c.activite_id, c.troncon)
        .subquery()
    )
    requete = select_sql(
        comptes.c.famille_id,
        comptes.c.enfant_id,
        comptes.c.activite_id,
        comptes.c.premier,
        comptes.c.troncon,
        col(Enfant.prenoms),
        comptes.c.jours,
        comptes.c.hors_contrat,
    ).join(Enfant, col(Enfant.id) == comptes.c.enfant_id)
    # family, child, activity, day
    groupes = sorted(map(tuple, session.connection().execute(requete).all()))  # one fetch
    if not groupes and not regularisations:
        # Nothing to bill (a month already issued, the F6 preview): no bracket to compute
        # for every family of the town (0.9 s at 50,000 families).
        return []
    depuis = min([debut] + [r.jour for r in regularisations])
    qfs = _tranches_familles(session, familles, depuis, fin)
    prevues: dict[int, FacturePrevue] = {}
    regroupees: dict[tuple[int, int, int, int], LignePrevue] = {}
    hors_contrat_par_ligne: dict[tuple[int, str], int] = defaultdict(int)
    tranche_du_mois: dict[tuple[int, dt.date], TrancheQF | None] = {}
    prix_du_troncon: dict[tuple[int, int, int], int | None] = {}
    noms = {a.id: a.nom for a in activites.values()}
    tranches_par_id = {t.id: t for t in liste if t.id is not None}
    facture = None
    for famille_id, enfant_id, activite_id, premier, rang, prenoms, jours, hc in groupes:
        if facture is None or facture.famille_id != famille_id:
            facture = prevues[famille_id] = FacturePrevue(famille_id, [], [])
        jour = troncons[rang]  # bracket and price are those of the stretch's first day
        cle_mois = (famille_id, jour.replace(day=1))
        if cle_mois in tranche_du_mois:
            tranche = tranche_du_mois[cle_mois]
        else:
            tranche = tranche_du_mois[cle_mois] = tranche_le(
                qfs.get(famille_id, []), liste, jour, tranches_par_id
            )[0]
        if tranche is None:
            tranche = liste[-1]
            if SANS_QF not in facture.anomalies:
                facture.anomalies.append(SANS_QF)
        tranche_id = id_de(tranche)
        cle_prix = (activite_id, tranche_id, rang)
        if cle_prix in prix_du_troncon:
            pu = prix_du_troncon[cle_prix]
        else:
            pu = prix_du_troncon[cle_prix] = prix(tarifs[(activite_id, tranche_id)], jour)
        if pu is None:
            activite = activites[activite_id]
            raise ErreurMetier(
                f"Pas de tarif pour « {activite.nom} », {tranche.libelle}, "
                f"au {max(premier, jour):%d/%m/%Y}."
            )
        cle = (famille_id, enfant_id, activite_id, pu)
        ligne = regroupees.get(cle)
        if ligne is None:
            prenom = prenoms.split()[0] if prenoms else ""
            ligne = LignePrevue(enfant_id, activite_id, f"{prenom} — {noms[activite_id]}", pu)
            regroupees[cle] = ligne
            facture.lignes.append(ligne)
        ligne.quantite += jours
        if hc:
            hors_contrat_par_ligne[(famille_id, ligne.libelle)] += hc
    if regularisations:
        _lignes_de_regularisation(
            session, regularisations, prevues, activites, tarifs, liste, qfs, tranches_par_id
        )
        for r in regularisations:
            if r.etat == EtatConsommation.HORS_CONTRAT:
                hors_contrat_par_ligne[(r.famille_id, _libelle_de(prevues, r))] += 1
    _signaler_anomalies(session, regie_id, prevues, hors_contrat_par_ligne)
    return sorted((f for f in prevues.values() if f.lignes), key=lambda f: f.famille_id)


class CelluleARegulariser(NamedTuple):
    id: int
    famille_id: int
    enfant_id: int
    activite_id: int
    jour: dt.date
    etat: str


def _a_regulariser(
    session: Session,
    debut: dt.date,
    etats_factures: ColumnElement[bool],
    familles: set[int] | None,
) -> list[CelluleARegulariser]:
    """The cells of earlier months changed since their month was billed, billable and on no
    invoice (read from the partial index of marked cells: a handful)."""
    # Six columns (sqlmodel's select() is typed up to four): the row type is written here,
    # the cell's id read from the base.
    requete: Select[int, int, int, int, dt.date, str] = Select(
        col(Consommation.id),
        col(Enfant.famille_id),
        col(Consommation.enfant_id),
        col(Consommation.activite_id),
        col(Consommation.jour),
        col(Consommation.etat),
    )
    requete = (
        # "+ 0": the join may not lead from the children. Without statistics on the
        # (usually empty) partial index, SQLite walked every child's cells through their
        # index instead of the marked ones (a second at 5,000 families).
        requete.join(Enfant, col(Enfant.id) == col(Consommation.enfant_id) + 0)
        .where(
            Consommation.a_regulariser == True,
            Consommation.jour < debut,
            non_facturee(),
            col(Consommation.gratuit).is_(False),
            etats_factures,
        )
        .order_by(
            col(Enfant.famille_id), col(Consommation.enfant_id), col(Consommation.activite_id)
        )
    )
    if familles is not None:
        requete = requete.where(col(Enfant.famille_id).in_(familles))
    return [CelluleARegulariser(*r) for r in session.exec(requete)]


def _libelle_de(prevues: dict[int, FacturePrevue], r: CelluleARegulariser) -> str:
    mois = r.jour.replace(day=1)
    return next(
        lg.libelle
        for lg in prevues[r.famille_id].lignes
        if (lg.enfant_id, lg.activite_id, lg.mois) == (r.enfant_id, r.activite_id, mois)
    )


def _lignes_de_regularisation(
    session: Session,
    regularisations: list[CelluleARegulariser],
    prevues: dict[int, FacturePrevue],
    activites: dict[int, Activite],
    tarifs: dict[tuple[int, int], list[Tarif]],
    liste: list[TrancheQF],
    qfs: dict[int, list[QFLu]],
    tranches_par_id: dict[int, TrancheQF],
) -> None:
    """One line per child, activity, month and price for the regularised days: each day at
    its own tariff, the bracket of its month (nothing retroactive)."""
    prenoms = dict(
        session.exec(
            select(Enfant.id, Enfant.prenoms).where(
                col(Enfant.id).in_(sorted({r.enfant_id for r in regularisations}))
            )
        ).all()
    )
    jours: dict[tuple[int, int, int, dt.date, int], list[dt.date]] = defaultdict(list)
    for r in regularisations:
        mois = r.jour.replace(day=1)
        facture = prevues.setdefault(r.famille_id, FacturePrevue(r.famille_id, [], []))
        tranche, _qf = tranche_le(qfs.get(r.famille_id, []), liste, r.jour, tranches_par_id)
        if tranche is None:
            tranche = liste[-1]
            if SANS_QF not in facture.anomalies:
                facture.anomalies.append(SANS_QF)
        pu = prix(tarifs[(r.activite_id, id_de(tranche))], r.jour)
        if pu is None:
            raise ErreurMetier(
                f"Pas de tarif pour « {activites[r.activite_id].nom} », {tranche.libelle}, "
                f"au {r.jour:%d/%m/%Y}."
            )
        jours[(r.famille_id, r.enfant_id, r.activite_id, mois, pu)].append(r.jour)
    for (famille_id, enfant_id, activite_id, mois, pu), dates in sorted(jours.items()):
        prenom = (prenoms.get(enfant_id) or "").split()
        prevues[famille_id].lignes.append(
            LignePrevue(
                enfant_id,
                activite_id,
                f"{prenom[0] if prenom else ''} — {activites[activite_id].nom} — "
                f"{libelle_regularisation(mois, dates)}",
                pu,
                len(dates),
                mois,
            )
        )


def derniere_periode_facturee(session: Session, regie_id: int) -> dt.date | None:
    """The end of the latest period the régie has billed (None: never billed)."""
    return session.exec(
        select(func.max(Facture.periode_fin)).where(
            Facture.regie_id == regie_id, Facture.nature == NatureFacture.FACTURE
        )
    ).one()


def marquer_a_regulariser(session: Session, cellules: Iterable[Consommation]) -> None:
    """Cells changed on a day whose month its régie has already billed: the next run bills
    them (if billable and on no invoice) as a regularisation. Called by every action that
    changes a cell after the fact (a decision, a withdrawal, a pointage)."""
    cellules = [c for c in cellules if not c.a_regulariser]
    if not cellules:
        return
    regies = dict(
        session.exec(
            select(Activite.id, Activite.regie_id).where(
                col(Activite.id).in_(sorted({c.activite_id for c in cellules}))
            )
        ).all()
    )
    fins = {r: derniere_periode_facturee(session, r) for r in set(regies.values())}
    for cellule in cellules:
        regie_id = regies.get(cellule.activite_id)
        fin = None if regie_id is None else fins.get(regie_id)
        if fin is not None and cellule.jour <= fin:
            cellule.a_regulariser = True
            session.add(cellule)


def _solder_regularisations(session: Session, regie_id: int, fin: dt.date) -> None:
    """After a run: the marks of its régie's cells up to the period's end are cleared, but
    for cells still billable and on no invoice (a family left out of a partial run)."""
    activites = list(session.exec(select(Activite).where(Activite.regie_id == regie_id)))
    etats_factures = _etats_factures(activites)
    if etats_factures is None:
        return
    restent = and_(etats_factures, col(Consommation.gratuit).is_(False), non_facturee())
    session.execute(
        update(Consommation)
        .where(
            col(Consommation.a_regulariser) == True,
            col(Consommation.jour) <= fin,
            col(Consommation.activite_id).in_([a.id for a in activites]),
            ~restent,
        )
        .values(a_regulariser=False)
        .execution_options(synchronize_session=False)
    )


def par_lots(ids: list[int], taille: int = 10_000) -> list[list[int]]:
    """Split a long IN list (SQLite limits bound parameters)."""
    return [ids[i : i + taille] for i in range(0, len(ids), taille)]


def _signaler_anomalies(
    session: Session,
    regie_id: int,
    prevues: dict[int, FacturePrevue],
    hors_contrat: dict[tuple[int, str], int],
) -> None:
    """Flag presences without reservation, and families whose invoice of this régie has
    nobody to go to: no payer, or a payer without a full address."""
    for (famille_id, libelle), nombre in hors_contrat.items():
        prevues[famille_id].anomalies.append(
            f"Présence sans réservation (hors contrat) : {libelle}, {nombre} jour"
            f"{'s' if nombre > 1 else ''}."
        )
    # The responsables as narrow rows, read as Responsable by payeur_par_defaut().
    personnes: dict[int, list[Any]] = defaultdict(list)
    designes: dict[int, int] = {}
    # Nine columns (sqlmodel's select() is typed up to four): the row type is written here.
    colonnes: Select[int, int | None, str, bool, str, str, str, str, str] = Select(
        col(Responsable.famille_id),
        col(Responsable.id),
        col(Responsable.role),
        col(Responsable.payeur),
        col(Responsable.nom),
        col(Responsable.prenoms),
        col(Responsable.adresse),
        col(Responsable.code_postal),
        col(Responsable.ville),
    )
    choix = (
        select(Payeur.famille_id, Payeur.responsable_id)
        .where(Payeur.regie_id == regie_id)
        .order_by(col(Payeur.depuis), col(Payeur.id))
    )
    # a whole town: one read beats many IN lists
    lots = [None] if len(prevues) > 2_000 else par_lots(sorted(prevues))
    for lot in lots:
        for r in session.connection().execute(
            colonnes if lot is None else colonnes.where(col(Responsable.famille_id).in_(lot))
        ):
            personnes[r[0]].append(r)  # by famille_id
        for famille_id, responsable_id in session.connection().execute(
            choix if lot is None else choix.where(col(Payeur.famille_id).in_(lot))
        ):
            designes[famille_id] = responsable_id  # the latest designation wins
    for famille_id, prevue in prevues.items():
        leurs = personnes.get(famille_id, [])
        qui = next(
            (r for r in leurs if r.id == designes.get(famille_id)), None
        ) or payeur_par_defaut(leurs)
        if qui is None or not (qui.payeur or famille_id in designes):
            prevue.anomalies.append("Aucun responsable payeur dans la famille.")
        elif not (qui.adresse.strip() and qui.code_postal.strip() and qui.ville.strip()):
            prevue.anomalies.append(f"Adresse du payeur incomplète : {qui.nom} {qui.prenoms}.")


class FactureEmise(NamedTuple):
    """An invoice the month's run has just issued (what its callers show)."""

    id: int
    reference: str
    famille_id: int
    total: int


def inserer_lignes(
    session: Session,
    modele: type[SQLModel],
    lignes: list[dict],
    retour: bool = False,
    lot: int = 20_000,
    comme_orm: bool = False,
) -> list[int]:
    """Insert plain rows in bulk (a Core INSERT, no ORM objects); with `retour`, the new ids
    in the rows' order. On SQLite the rows go through the types' generic converters (a
    whole-second DATETIME is then written without its ".000000", as the billing run's rows
    always have been); with `comme_orm`, through the dialect's own, as the ORM writes them."""
    # Set on every table model, but not declared by SQLModel's class.
    table: Table = modele.__table__  # type: ignore[attr-defined]
    ids: list[int] = []
    if not lignes:
        return ids
    connexion = session.connection()
    if not retour and connexion.dialect.name == "sqlite":
        # The columns' own converters (dates, JSON…), then the driver's executemany: the
        # same rows as a Core INSERT for a third of its per-row cost.
        colonnes = [table.c[nom] for nom in lignes[0]]
        dialecte = connexion.dialect
        convertir = [
            (c.type.dialect_impl(dialecte) if comme_orm else c.type).bind_processor(dialecte)
            for c in colonnes
        ]
        noms = [c.name for c in colonnes]
        requete = (
            f"INSERT INTO {table.name} ({', '.join(noms)}) VALUES ({', '.join('?' * len(noms))})"
        )
        a_convertir = [(k, f) for k, f in enumerate(convertir) if f is not None]
        for i in range(0, len(lignes), lot):
            morceau = lignes[i : i + lot]
            if not a_convertir:
                connexion.exec_driver_sql(
                    requete, [tuple(map(ligne.get, noms)) for ligne in morceau]
                )
                continue
            rangees = [list(map(ligne.get, noms)) for ligne in morceau]
            for k, f in a_convertir:  # only the columns that have a converter
                for rangee in rangees:
                    rangee[k] = f(rangee[k])
            connexion.exec_driver_sql(requete, list(map(tuple, rangees)))
        return ids
    if connexion.dialect.name == "postgresql":
        return _copier_lignes(connexion, table, lignes, retour)
    for i in range(0, len(lignes), lot):
        morceau = lignes[i : i + lot]
        if retour:
            insertion = table.insert().returning(table.c.id, sort_by_parameter_order=True)
            ids.extend(session.execute(insertion, morceau).scalars())
        else:
            session.execute(table.insert(), morceau)
    return ids


def _copier_lignes(
    connexion: Connection, table: Table, lignes: list[dict], retour: bool
) -> list[int]:
    """inserer_lignes() on PostgreSQL: the rows through COPY (one stream, no statement of
    thousands of placeholders to build and parse). With `retour`, the ids are drawn from
    the table's sequence first, in order, as the INSERT would have drawn them."""
    ids: list[int] = []
    if retour:
        ids = list(
            connexion.exec_driver_sql(
                f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id')) AS id "
                "FROM generate_series(1, %(n)s) ORDER BY id",
                {"n": len(lignes)},
            ).scalars()
        )
        lignes = [dict(ligne, id=i) for ligne, i in zip(lignes, ids, strict=True)]
    # The columns' own converters (JSON, enums…), as a Core INSERT would apply them.
    colonnes = [table.c[nom] for nom in lignes[0]]
    dialecte = connexion.dialect
    convertir = [c.type.dialect_impl(dialecte).bind_processor(dialecte) for c in colonnes]
    noms = [c.name for c in colonnes]
    brute: Any = connexion.connection.dbapi_connection  # psycopg's, for its COPY
    requete = f"COPY {table.name} ({', '.join(noms)}) FROM STDIN"
    try:
        with brute.cursor() as curseur, curseur.copy(requete) as copie:
            for ligne in lignes:
                copie.write_row(
                    [
                        v if f is None else f(v)
                        for f, v in zip(convertir, map(ligne.get, noms), strict=True)
                    ]
                )
    except dialecte.loaded_dbapi.Error as erreur:
        # SQLAlchemy's own exception (IntegrityError…), as a Core INSERT would raise it.
        raise DBAPIError.instance(
            requete, None, erreur, dialecte.loaded_dbapi.Error, dialect=dialecte
        ) from erreur
    return ids


def factures(session: Session, ids: list[int]) -> list[Facture]:
    """The invoices of these ids, by id (e.g. those a billing run issued)."""
    emises: list[Facture] = []
    for lot in par_lots(ids):
        emises.extend(
            session.exec(select(Facture).where(col(Facture.id).in_(lot)).order_by(col(Facture.id)))
        )
    return emises


def _emettre(
    session: Session,
    contexte: Contexte,
    regie_id: int,
    prevues: list[FacturePrevue],
    debut: dt.date,
    fin: dt.date,
    date_emission: dt.date,
    date_echeance: dt.date | None = None,
    detail: str = "",
) -> list[FactureEmise]:
    """Insert the invoices of prepared families (their lines, their journal rows) and note
    which invoice each family's cells go to; _lier_consommations() then links them."""
    exiger(session, contexte, "facturer")
    regie = session.get_one(Regie, regie_id)
    echeance = date_echeance or date_emission + dt.timedelta(days=regie.jours_echeance)
    if not prevues:
        return []
    # One block of numbers and a few bulk statements (no ORM unit of work): a whole town's
    # month stays within seconds.
    session.flush()
    premier = numero_suivant(session, regie_id, NatureFacture.FACTURE, len(prevues))
    valeurs: list[dict[str, Any]] = []  # the invoices' rows, for inserer_lignes()
    for i, prevue in enumerate(prevues):
        numero = premier + i
        valeurs.append(
            dict(
                regie_id=regie_id,
                nature=NatureFacture.FACTURE.value,
                numero=numero,
                reference=reference(regie, NatureFacture.FACTURE, numero),
                famille_id=prevue.famille_id,
                date_emission=date_emission,
                date_echeance=echeance,
                periode_debut=debut,
                periode_fin=fin,
                total=prevue.total,
                facture_origine_id=None,
                motif="",
                emise_par=contexte.agent_id,
                cree_le=contexte.maintenant(),
            )
        )
    if session.connection().dialect.name == "sqlite":
        # The sequence's row is locked (SQLite has one writer): the next ids are ours, and
        # rows with their ids need no RETURNING.
        dernier = session.exec(select(func.max(Facture.id))).one() or 0
        ids = list(range(dernier + 1, dernier + 1 + len(valeurs)))
        inserer_lignes(session, Facture, [dict(v, id=i) for v, i in zip(valeurs, ids, strict=True)])
    else:
        ids = inserer_lignes(session, Facture, valeurs, retour=True)
    a_sceller(session, regie_id, "facture", ids, valeurs)  # hashed as written
    lignes, journal = [], []
    qui = acteur(contexte)
    for facture_id, valeur, prevue in zip(ids, valeurs, prevues, strict=True):
        for ligne in prevue.lignes:
            lignes.append(
                dict(
                    facture_id=facture_id,
                    enfant_id=ligne.enfant_id,
                    activite_id=ligne.activite_id,
                    libelle=ligne.libelle,
                    quantite=ligne.quantite,
                    prix_unitaire=ligne.prix_unitaire,
                    montant=ligne.montant,
                    mois_regularise=ligne.mois,
                )
            )
        # What journaliser() writes, as rows.
        journal.append(
            dict(
                horodatage=contexte.maintenant(),
                **qui,
                action="facture emise",
                objet="facture",
                objet_id=facture_id,
                famille_id=prevue.famille_id,
                avant=None,
                apres={"reference": valeur["reference"], "total": valeur["total"]},
                detail=detail,
            )
        )
    inserer_lignes(session, LigneFacture, lignes)
    inserer_lignes(session, Journal, journal)
    session.connection().execute(
        _CARTE.insert(),
        [{"famille_id": p.famille_id, "facture_id": i} for p, i in zip(prevues, ids, strict=True)],
    )
    return [
        FactureEmise(i, v["reference"], v["famille_id"], v["total"])
        for i, v in zip(ids, valeurs, strict=True)
    ]


CELLULES_CHANGEES = (
    "Des jours du mois ont été modifiés sur un autre poste pendant la "
    "facturation : rien n'a été émis, relancez-la."
)


def _lier_consommations(session: Session) -> None:
    """Each billed cell keeps its invoice: the cells counted by preparer_facturation(), in
    one statement joining them to their family's invoice (a town's month: 1.8 million
    narrow rows). In the copy's order, by family: the invoices' ids come in order, so the
    index on `facture_id` is appended to, and sorting the cells by id first costs as much
    as it saves on the links' own b-tree."""
    cellules, carte = _CELLULES.c, _CARTE.c
    _analyser(session, _CARTE)
    connexion = session.connection()
    liens = (
        select(cellules.id, carte.facture_id)
        .select_from(_CELLULES)
        .join(_CARTE, carte.famille_id == cellules.famille_id)
    )
    concurrents = connexion.dialect.name != "sqlite"
    if concurrents:
        # On SQLite the run holds the write lock from its start; on PostgreSQL another
        # counter may have changed a counted cell meanwhile: only cells still as counted
        # are linked, and any difference stops the run (nothing issued). The cells' days
        # bound the re-read: PostgreSQL reads the month from its index on `jour` rather
        # than the whole table (a cell whose day changed meanwhile is not linked either).
        premier, dernier = connexion.execute(
            select(func.min(cellules.jour), func.max(cellules.jour))
        ).one()
        liens = liens.join(
            Consommation,
            and_(
                col(Consommation.id) == cellules.id,
                col(Consommation.etat) == cellules.etat,
                col(Consommation.gratuit).is_(False),
                col(Consommation.jour).between(premier or dt.date.min, dernier or dt.date.min),
            ),
        )
    try:
        connexion.execute(insert(JourFacture).from_select(["consommation_id", "facture_id"], liens))
    except IntegrityError:  # a counted cell deleted by another counter during the link
        raise ErreurMetier(CELLULES_CHANGEES) from None
    if concurrents:
        lies = (
            select(func.count())
            .select_from(JourFacture)
            .where(col(JourFacture.facture_id).in_(select(carte.facture_id)))
        )
        comptees = select(func.count()).select_from(_CELLULES)
        if connexion.execute(lies).scalar() != connexion.execute(comptees).scalar():
            raise ErreurMetier(CELLULES_CHANGEES)
    _oublier_temporaires(session)


def facture(session: Session, facture_id: int) -> Facture:
    trouvee = session.get(Facture, facture_id)
    if trouvee is None:
        raise ErreurMetier("Cette facture n'existe plus.")
    return trouvee


def lignes_facture(session: Session, facture_id: int) -> list[LigneFacture]:
    return list(
        session.exec(
            select(LigneFacture)
            .where(LigneFacture.facture_id == facture_id)
            .order_by(col(LigneFacture.id))
        ).all()
    )


# --- the month's run, by batches, and its preview ------------------------------------------


def jours_a_venir(debut: dt.date, fin: dt.date, aujourdhui: dt.date) -> int:
    """Days of the period still to come after `aujourdhui` (0 once the month is over)."""
    premier = max(debut, aujourdhui + dt.timedelta(days=1))
    return max(0, (fin - premier).days + 1)


def mois_non_termine(jours: int) -> str:
    return f"Le mois n'est pas terminé : {jours} jour{'s' if jours > 1 else ''} à venir."


def question_mois_en_cours(jours: int) -> str:
    """What F6 and `guichet facturer` ask before billing a month that is not over."""
    return f"{mois_non_termine(jours)} Émettre quand même ?"


# The steps of a billing run, as its progress shows them.
ETAPE_JOURS = "Jours à facturer"
ETAPE_FAMILLES = "Familles"
ETAPE_EMISSION = "Émission des factures"


def _facturer_periode(
    session: Session,
    contexte: Contexte,
    regie_id: int,
    debut: dt.date,
    fin: dt.date,
    date_emission: dt.date,
    *,
    date_echeance: dt.date | None = None,
    familles: set[int] | None = None,
    lot: int = 500,
    progression: Progression | None = None,
    arret: Callable[[], bool] | None = None,
    detail: str = "",
) -> list[FactureEmise]:
    """The billing run itself, by batches, all in the caller's transaction: the period's
    invoices numbered without gaps; a day already on an invoice is never billed again
    (JourFacture keeps its invoice). The one public entry is reglements.facturer_mois,
    which checks the right and the month, then letters the families' credits.

    Raises `Arret` when `arret()` turned true: the caller rolls back, nothing is written.
    """
    # Take the sequence's write lock before reading: two runs at once never bill a day twice.
    verrouiller_sequence(session, regie_id, NatureFacture.FACTURE)
    with cache_large(session):
        if progression is not None:
            progression(ETAPE_JOURS, 0, None)
        prevues = preparer_facturation(session, regie_id, debut, fin, familles)
        if progression is not None:
            progression(ETAPE_EMISSION, 0, len(prevues))
        emises: list[FactureEmise] = []
        for i in range(0, len(prevues), lot):
            if arret is not None and arret():
                raise Arret
            emises += _emettre(
                session,
                contexte,
                regie_id,
                prevues[i : i + lot],
                debut,
                fin,
                date_emission,
                date_echeance,
                detail=detail,
            )
            if progression is not None:
                progression(ETAPE_EMISSION, min(i + lot, len(prevues)), len(prevues))
        if arret is not None and arret():
            raise Arret
        if progression is not None:  # (the links, the lettering and the commit: no way back)
            progression(ETAPE_ENREGISTREMENT, 0, None)
        _lier_consommations(session)
        _solder_regularisations(session, regie_id, fin)
    return emises


def emission_anticipee(debut: dt.date, fin: dt.date, contexte: Contexte, confirmee: bool) -> str:
    """A period with days still to come (at the context's date) is refused unless the agent
    confirmed it; the journal then says so on each invoice (the detail returned)."""
    a_venir = jours_a_venir(debut, fin, contexte.aujourdhui)
    if a_venir and not confirmee:
        raise ErreurMetier(
            f"{mois_non_termine(a_venir)} Confirmez l'émission anticipée.", "mois_en_cours"
        )
    return (
        f"Émise sur confirmation avant la fin du mois ({a_venir} jour"
        f"{'s' if a_venir > 1 else ''} à venir)."
        if a_venir
        else ""
    )


@contextmanager
def cache_large(session: Session, kio: int = 262_144) -> Iterator[None]:
    """On SQLite, a large page cache for the length of a town's run (a million cells
    changed): each page is written once rather than spilled and written again. The usual
    size comes back after, so an idle app does not keep it. On PostgreSQL, the same for
    the run's sorts and hash joins (`work_mem`, this transaction only): a town's cells are
    hashed and sorted in memory rather than in batches on disk."""
    connexion = session.connection()
    if connexion.dialect.name == "postgresql":
        avant_pg = connexion.exec_driver_sql("SHOW work_mem").scalar_one()
        connexion.exec_driver_sql(f"SET LOCAL work_mem = '{kio // 2}kB'")
        yield
        # Not on an error: the transaction may be aborted, and its rollback ends SET LOCAL.
        connexion.exec_driver_sql("SELECT set_config('work_mem', %(v)s, true)", {"v": avant_pg})
        return
    if connexion.dialect.name != "sqlite":
        yield
        return
    avant = connexion.exec_driver_sql("PRAGMA cache_size").scalar_one()
    connexion.exec_driver_sql(f"PRAGMA cache_size = -{kio}")
    try:
        yield
    finally:
        connexion.exec_driver_sql(f"PRAGMA cache_size = {int(avant)}")


@dataclass
class FamilleApercue:
    famille_id: int
    numero: str
    nom: str
    prevue: FacturePrevue


@dataclass
class Apercu:
    """What the month's run would issue, family by family (the billing screen, the CLI)."""

    regie: Regie
    debut: dt.date
    fin: dt.date
    familles: list[FamilleApercue]
    activites: dict[int, Activite]
    enfants: dict[int, str]

    @property
    def total(self) -> int:
        return sum(f.prevue.total for f in self.familles)

    @property
    def avec_anomalies(self) -> int:
        return sum(1 for f in self.familles if f.prevue.anomalies)


def bornes_mois(annee: int, mois: int) -> tuple[dt.date, dt.date]:
    return dt.date(annee, mois, 1), fin_de_mois(annee, mois)


def apercu_facturation(
    session: Session,
    regie_id: int,
    debut: dt.date,
    fin: dt.date,
    progression: Progression | None = None,
) -> Apercu:
    regie = session.get(Regie, regie_id)
    if regie is None:
        raise ErreurMetier("Régie inconnue.", "regie")
    if progression is not None:
        progression(ETAPE_JOURS, 0, None)
    prevues = preparer_facturation(session, regie_id, debut, fin)
    ids = sorted(p.famille_id for p in prevues)
    noms: dict[int, tuple[str, str]] = {}
    enfants: dict[int, str] = {}
    enfant_ids = sorted({ligne.enfant_id for p in prevues for ligne in p.lignes})
    for rang, lot in enumerate(par_lots(ids, 2_000)):
        if progression is not None:
            progression(ETAPE_FAMILLES, rang * 2_000, len(ids))
        for famille_id, numero, nom, prenoms in session.exec(
            select(Famille.id, Famille.numero, Responsable.nom, Responsable.prenoms)
            .outerjoin(
                Responsable,
                (col(Responsable.famille_id) == col(Famille.id))
                & (col(Responsable.role) == RoleResponsable.RESPONSABLE),
            )
            .where(col(Famille.id).in_(lot))
        ):
            assert famille_id is not None  # read from the base
            noms[famille_id] = (numero, f"{nom or ''} {prenoms or ''}".strip())
    for lot in par_lots(enfant_ids):
        for enfant_id, nom, prenoms in session.exec(
            select(Enfant.id, Enfant.nom, Enfant.prenoms).where(col(Enfant.id).in_(lot))
        ):
            assert enfant_id is not None  # read from the base
            enfants[enfant_id] = f"{prenoms} {nom}"
    activites = {
        a.id: a
        for a in session.exec(select(Activite).where(Activite.regie_id == regie_id))
        if a.id is not None
    }
    familles = [
        FamilleApercue(p.famille_id, *noms.get(p.famille_id, ("", "")), p)
        for p in sorted(prevues, key=lambda p: p.famille_id)
    ]
    if progression is not None:
        progression(ETAPE_FAMILLES, len(ids), len(ids))
    return Apercu(regie, debut, fin, familles, activites, enfants)


def factures_du_mois(session: Session, regie_id: int, debut: dt.date, fin: dt.date) -> list[int]:
    """Ids of the invoices issued for a period (to print them in one PDF), in number order."""
    return [
        facture_id
        for facture_id in session.exec(
            select(col(Facture.id))
            .where(
                Facture.regie_id == regie_id,
                Facture.nature == NatureFacture.FACTURE,
                Facture.periode_debut >= debut,
                Facture.periode_fin <= fin,
            )
            .order_by(col(Facture.numero))
        )
        if facture_id is not None
    ]


# --- credit notes ------------------------------------------------------------------------------


def avoirs_de(session: Session, facture_id: int) -> list[Facture]:
    return list(
        session.exec(
            select(Facture)
            .where(Facture.facture_origine_id == facture_id, Facture.nature == NatureFacture.AVOIR)
            .order_by(col(Facture.numero))
        )
    )


def _nouvel_avoir(
    session: Session, contexte: Contexte, regie: Regie, facture: Facture, total: int, motif: str
) -> Facture:
    """A credit note of `facture`, numbered in its régie's sequence, written (no lines)."""
    numero = numero_suivant(session, facture.regie_id, NatureFacture.AVOIR)
    avoir = Facture(
        regie_id=facture.regie_id,
        nature=NatureFacture.AVOIR.value,
        numero=numero,
        reference=reference(regie, NatureFacture.AVOIR, numero),
        famille_id=facture.famille_id,
        date_emission=contexte.aujourdhui,
        date_echeance=contexte.aujourdhui,
        periode_debut=facture.periode_debut,
        periode_fin=facture.periode_fin,
        total=total,
        facture_origine_id=facture.id,
        motif=motif,
        emise_par=contexte.agent_id,
        cree_le=contexte.maintenant(),
    )
    session.add(avoir)
    session.flush()
    a_sceller(session, facture.regie_id, "facture", [id_de(avoir)])
    return avoir


def emettre_avoir(
    session: Session,
    contexte: Contexte,
    facture_id: int,
    motif: str,
    lignes: list[int] | None = None,
) -> Facture:
    """A credit note against an issued invoice (which never changes), for the chosen lines
    (default: all not yet credited). A child's activity is credited whole, and its days
    on that invoice become billable again."""
    exiger(session, contexte, "avoir")
    if not (motif or "").strip():
        raise ErreurMetier("Le motif de l'avoir est obligatoire.", "motif")
    motif = verifier_texte(motif, "motif", LONGUEUR_MOTIF, libelle="Le motif")
    facture = session.get(Facture, facture_id)
    if facture is None or facture.nature != NatureFacture.FACTURE:
        raise ErreurMetier("Un avoir se fait sur une facture émise.")
    toutes = lignes_facture(session, facture_id)
    restes = restes_a_crediter(session, facture_id, toutes)
    a_crediter = {(lg.enfant_id, lg.activite_id) for lg in toutes if restes[id_de(lg)]}
    if lignes is None:
        cles = a_crediter
        if not cles:
            raise ErreurMetier("Toutes les lignes de cette facture ont déjà un avoir.", "lignes")
    else:
        voulues = set(lignes)
        choisies = [lg for lg in toutes if lg.id in voulues]
        if len(choisies) != len(voulues):
            raise ErreurMetier("Une ligne choisie n'appartient pas à la facture.", "lignes")
        if not choisies:
            raise ErreurMetier("Choisissez au moins une ligne à créditer.", "lignes")
        for lg in choisies:
            if (lg.enfant_id, lg.activite_id) not in a_crediter:
                raise ErreurMetier(f"La ligne « {lg.libelle} » a déjà un avoir.", "lignes")
        cles = {(lg.enfant_id, lg.activite_id) for lg in choisies}
    # A child's activity is credited whole: what its lines still bill (days credited one by
    # one before are not credited twice).
    a_reprendre = [
        (lg, restes[id_de(lg)])
        for lg in toutes
        if (lg.enfant_id, lg.activite_id) in cles and restes[id_de(lg)]
    ]
    regie = session.get_one(Regie, facture.regie_id)
    avoir = _nouvel_avoir(
        session,
        contexte,
        regie,
        facture,
        sum(reste * lg.prix_unitaire for lg, reste in a_reprendre),
        motif,
    )
    session.add_all(
        [
            LigneFacture(
                facture_id=id_de(avoir),
                enfant_id=lg.enfant_id,
                activite_id=lg.activite_id,
                libelle=lg.libelle
                if reste == lg.quantite
                else f"{lg.libelle} (jours non encore crédités)",
                quantite=reste,
                prix_unitaire=lg.prix_unitaire,
                montant=reste * lg.prix_unitaire,
                mois_regularise=lg.mois_regularise,
            )
            for lg, reste in a_reprendre
        ]
    )
    liberes = 0
    for enfant_id, activite_id in cles:
        liberes += session.exec(
            delete(JourFacture).where(
                col(JourFacture.facture_id) == facture.id,
                col(JourFacture.consommation_id).in_(
                    select(Consommation.id).where(
                        Consommation.enfant_id == enfant_id, Consommation.activite_id == activite_id
                    )
                ),
            )
        ).rowcount
    journaliser(
        session,
        contexte,
        "avoir emis",
        "facture",
        avoir.id,
        facture.famille_id,
        apres={
            "reference": avoir.reference,
            "total": avoir.total,
            "facture": facture.reference,
            "motif": motif,
            "jours_liberes": liberes,
        },
    )
    session.flush()
    return avoir


def _mois_regularise(facture: Facture, jour: dt.date) -> dt.date | None:
    """The regularisation month a billed day sits in on `facture` (None: its own period)."""
    if facture.periode_debut <= jour <= facture.periode_fin:
        return None
    return jour.replace(day=1)


def restes_a_crediter(
    session: Session, facture_id: int, lignes: list[LigneFacture] | None = None
) -> dict[int, int]:
    """Days each line of an invoice still bills once its credit notes are deducted, by line
    id. A credit line takes from the invoice's lines of the same child, activity, month and
    price (a day credit note's line, a whole line's)."""
    lignes = lignes_facture(session, facture_id) if lignes is None else lignes
    credites: dict[tuple, int] = defaultdict(int)
    for avoir in avoirs_de(session, facture_id):
        for lg in lignes_facture(session, id_de(avoir)):
            cle = (lg.enfant_id, lg.activite_id, lg.mois_regularise, lg.prix_unitaire)
            credites[cle] += lg.quantite
    restes: dict[int, int] = {}
    for lg in lignes:
        cle = (lg.enfant_id, lg.activite_id, lg.mois_regularise, lg.prix_unitaire)
        pris = min(credites[cle], lg.quantite)
        credites[cle] -= pris
        restes[id_de(lg)] = lg.quantite - pris
    return restes


@dataclass
class JourAvoir:
    """A billed day a credit note would give back: its invoice and its price."""

    consommation_id: int
    facture_id: int
    reference: str
    famille_id: int
    montant: int  # cents


def jours_a_crediter(session: Session, consommation_ids: list[int]) -> list[JourAvoir]:
    """Of these cells, those on an issued invoice, each at the unit price of its line.

    A line groups a child's activity at one price; when the invoice has that activity at
    several prices (a tariff changed within the month) the day's price is not known here:
    the credit note is made on the invoice, line by line."""
    ids = sorted(set(consommation_ids))
    liens: list[tuple[JourFacture, Consommation]] = []
    for lot in par_lots(ids):
        liens += session.exec(
            select(JourFacture, Consommation)
            .join(Consommation, col(Consommation.id) == col(JourFacture.consommation_id))
            .where(col(JourFacture.consommation_id).in_(lot))
        ).all()
    lignes: dict[int, list[LigneFacture]] = {}
    jours: list[JourAvoir] = []
    for lien, cellule in sorted(liens, key=lambda p: (p[0].facture_id, p[1].jour)):
        facture = session.get_one(Facture, lien.facture_id)
        if lien.facture_id not in lignes:
            lignes[lien.facture_id] = lignes_facture(session, lien.facture_id)
        mois = _mois_regularise(facture, cellule.jour)
        prix_ = {
            lg.prix_unitaire
            for lg in lignes[lien.facture_id]
            if (lg.enfant_id, lg.activite_id, lg.mois_regularise)
            == (cellule.enfant_id, cellule.activite_id, mois)
        }
        if len(prix_) != 1:
            raise ErreurMetier(
                f"Le {cellule.jour:%d/%m/%Y} est facturé sur {facture.reference} "
                "à plusieurs tarifs : faites l'avoir depuis la facture."
            )
        jours.append(
            JourAvoir(
                id_de(cellule), id_de(facture), facture.reference, facture.famille_id, prix_.pop()
            )
        )
    return jours


def emettre_avoir_jours(
    session: Session, contexte: Contexte, consommation_ids: list[int], motif: str
) -> list[Facture]:
    """Credit notes for some billed days (a certificate, a closure), one per invoice: each
    day at its line's unit price. Only these days leave their invoice (billable again);
    the invoice's other days stay on it."""
    exiger(session, contexte, "avoir")
    if not (motif or "").strip():
        raise ErreurMetier("Le motif de l'avoir est obligatoire.", "motif")
    motif = verifier_texte(motif, "motif", LONGUEUR_MOTIF, libelle="Le motif")
    par_facture: dict[int, list[JourAvoir]] = defaultdict(list)
    for jour in jours_a_crediter(session, consommation_ids):
        par_facture[jour.facture_id].append(jour)
    avoirs = []
    for facture_id, jours in par_facture.items():
        facture = session.get_one(Facture, facture_id)
        regie = session.get_one(Regie, facture.regie_id)
        cellules = {
            c.id: c
            for c in session.exec(
                select(Consommation).where(
                    col(Consommation.id).in_([j.consommation_id for j in jours])
                )
            )
        }
        groupes: dict[tuple[int, int, dt.date | None, int], list[dt.date]] = defaultdict(list)
        for j in jours:
            c = cellules[j.consommation_id]
            mois = _mois_regularise(facture, c.jour)
            groupes[(c.enfant_id, c.activite_id, mois, j.montant)].append(c.jour)
        libelles = {
            (lg.enfant_id, lg.activite_id, lg.mois_regularise): lg.libelle
            for lg in lignes_facture(session, facture_id)
        }
        avoir = _nouvel_avoir(
            session, contexte, regie, facture, sum(j.montant for j in jours), motif
        )
        for (enfant_id, activite_id, mois, pu), dates in sorted(
            groupes.items(), key=lambda g: (g[0][0], g[0][1], g[0][2] or dt.date.min, g[0][3])
        ):
            libelle = libelles[(enfant_id, activite_id, mois)]
            if mois is None:
                libelle = f"{libelle} ({', '.join(f'{d:%d/%m}' for d in sorted(dates))})"
            else:  # the regularised days credited, not all those of its line
                libelle = libelle[: libelle.find(" — Régularisation")]
                libelle = f"{libelle} — {libelle_regularisation(mois, dates)}"
            session.add(
                LigneFacture(
                    facture_id=id_de(avoir),
                    enfant_id=enfant_id,
                    activite_id=activite_id,
                    libelle=libelle,
                    quantite=len(dates),
                    prix_unitaire=pu,
                    montant=len(dates) * pu,
                    mois_regularise=mois,
                )
            )
        session.execute(
            delete(JourFacture).where(
                col(JourFacture.facture_id) == facture.id,
                col(JourFacture.consommation_id).in_([j.consommation_id for j in jours]),
            )
        )
        journaliser(
            session,
            contexte,
            "avoir emis",
            "facture",
            avoir.id,
            facture.famille_id,
            apres={
                "reference": avoir.reference,
                "total": avoir.total,
                "facture": facture.reference,
                "motif": motif,
                "jours_liberes": len(jours),
            },
        )
        avoirs.append(avoir)
    session.flush()
    return avoirs
