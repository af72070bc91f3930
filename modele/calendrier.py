"""The calendar an administrator keeps: public holidays, school holidays, closures.

A closure recorded after bookings (a strike at the canteen) closes the booked cells of its
days and activity: they become "Fermeture", which no activity bills. A day already on an
issued invoice is only closed with its credit note, asked first (`ErreurMetier` with
`champ` CHAMP_AVOIRS). The families concerned are then told in one action
(`familles_fermees`, `message_fermeture`, then messages.envoyer_a_plusieurs)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, col, delete, select

from modele.agents import exiger
from modele.base import Contexte, ErreurMetier, bornes_annee_scolaire, id_de
from modele.facturation import (
    emettre_avoir_jours,
    jours_a_crediter,
    marquer_a_regulariser,
    par_lots,
)
from modele.formats import accord, compte, date_courte, euros
from modele.journal import journaliser
from modele.planning import cellules_facturees
from modele.reglements import lettrer
from modele.tables.famille import Enfant, Famille, Responsable, RoleResponsable
from modele.tables.planning import (
    Activite,
    CelluleFermee,
    Consommation,
    PeriodeCalendrier,
    TypeCalendrier,
)
from modele.tables.planning import EtatConsommation as E
from modele.validation import verifier_texte

# A booked day the closure cancels: booked, regular, pending, or absent (billed or not yet
# decided). A presence already recorded stays: the child was there (a minimum service).
FERMABLES = (
    E.RESERVE,
    E.REGULIER,
    E.ABSENT_FACTURE,
    E.DEMANDE_ATTENTE,
    E.RESERVATION_EN_COURS,
    E.ABSENCE_EN_COURS,
)
# The `champ` of the refusal that asks to confirm the credit notes of invoiced days.
CHAMP_AVOIRS = "avoirs"
# ... and of the one that asks to confirm school holidays over other holidays.
CHAMP_CHEVAUCHEMENT = "chevauchement"
VACANCES = (TypeCalendrier.PETITES_VACANCES, TypeCalendrier.GRANDES_VACANCES)

VACANCES_ET_FERIES = (
    TypeCalendrier.FERIE,
    TypeCalendrier.PETITES_VACANCES,
    TypeCalendrier.GRANDES_VACANCES,
)


def periodes_de_l_annee(session: Session, annee: int) -> list[PeriodeCalendrier]:
    debut, fin = bornes_annee_scolaire(annee)
    return list(
        session.exec(
            select(PeriodeCalendrier)
            .where(PeriodeCalendrier.fin >= debut, PeriodeCalendrier.debut <= fin)
            .order_by(col(PeriodeCalendrier.debut), col(PeriodeCalendrier.type))
        )
    )


def _verifier(
    type_: TypeCalendrier, libelle: str, debut: dt.date | None, fin: dt.date | None
) -> tuple[str, dt.date, dt.date]:
    if debut is None:
        raise ErreurMetier("La date de début est obligatoire.", "debut")
    fin = fin or debut
    if fin < debut:
        raise ErreurMetier("La fin est avant le début.", "fin")
    if (fin - debut).days > 92:
        raise ErreurMetier("Une période dure au plus trois mois.", "fin")
    libelle = verifier_texte(libelle, "libelle", 100, libelle="Le libellé") or type_.libelle
    return libelle, debut, fin


def enregistrer_periode(
    session: Session,
    contexte: Contexte,
    type_: TypeCalendrier,
    libelle: str,
    debut: dt.date | None,
    fin: dt.date | None,
    activite_id: int | None = None,
    periode_id: int | None = None,
    avoirs: bool = False,
    chevauchement: bool = False,
) -> PeriodeCalendrier:
    """Add a period, or correct one (a bridge the library misses, a closure…). A closure
    closes the booked cells it covers (see the module's docstring); `avoirs`: the agent
    confirmed the credit notes of days already invoiced; `chevauchement`: school holidays
    over other school holidays, confirmed (a typing mistake, most often)."""
    exiger(session, contexte, "modifier_calendrier")
    libelle, debut, fin = _verifier(type_, libelle, debut, fin)
    if type_ in VACANCES and not chevauchement:
        autre = session.exec(
            select(PeriodeCalendrier)
            .where(
                col(PeriodeCalendrier.type).in_([v.value for v in VACANCES]),
                PeriodeCalendrier.debut <= fin,
                PeriodeCalendrier.fin >= debut,
                col(PeriodeCalendrier.id) != (periode_id or 0),
            )
            .order_by(col(PeriodeCalendrier.debut))
        ).first()
        if autre is not None:
            raise ErreurMetier(
                f"Ces vacances chevauchent « {autre.libelle} » (du {date_courte(autre.debut)} "
                f"au {date_courte(autre.fin)}). Les enregistrer quand même ?",
                CHAMP_CHEVAUCHEMENT,
            )
    avant: dict[str, str] | None = None
    if periode_id:
        periode = session.get_one(PeriodeCalendrier, periode_id)
        avant = {
            "type": periode.type,
            "libelle": periode.libelle,
            "debut": periode.debut.isoformat(),
            "fin": periode.fin.isoformat(),
        }
    else:
        periode = PeriodeCalendrier(type=type_.value, debut=debut, fin=fin)
    etait_fermeture = periode_id is not None and periode.type == TypeCalendrier.FERMETURE
    periode.type, periode.libelle, periode.debut, periode.fin = type_.value, libelle, debut, fin
    periode.activite_id = activite_id
    session.add(periode)
    session.flush()
    if etait_fermeture:  # corrected: the days it no longer closes are open again
        _rouvrir(session, contexte, periode, encore=type_ == TypeCalendrier.FERMETURE)
    journaliser(
        session,
        contexte,
        "calendrier",
        "periodecalendrier",
        periode.id,
        avant=avant,
        apres={
            "type": type_.value,
            "libelle": libelle,
            "debut": debut.isoformat(),
            "fin": fin.isoformat(),
        },
    )
    if type_ == TypeCalendrier.FERMETURE:
        _fermer_cellules(session, contexte, periode, avoirs)
    return periode


def _a_fermer(session: Session, periode: PeriodeCalendrier) -> list[Consommation]:
    requete = select(Consommation).where(
        Consommation.jour >= periode.debut,
        Consommation.jour <= periode.fin,
        col(Consommation.etat).in_(FERMABLES),
    )
    if periode.activite_id is not None:
        requete = requete.where(Consommation.activite_id == periode.activite_id)
    return list(session.exec(requete.order_by(col(Consommation.jour), col(Consommation.id))))


def _fermer_cellules(
    session: Session, contexte: Contexte, periode: PeriodeCalendrier, avoirs: bool
) -> None:
    """The booked cells of a closure become "Fermeture"; invoiced ones with their credit
    notes, once the agent confirmed them."""
    cellules = _a_fermer(session, periode)
    if not cellules:
        return
    facturees = cellules_facturees(session, (c.id for c in cellules))
    quand = (
        f"du {date_courte(periode.debut)}"
        if periode.debut == periode.fin
        else f"du {date_courte(periode.debut)} au {date_courte(periode.fin)}"
    )
    if facturees:
        jours = jours_a_crediter(session, sorted(facturees))
        if not avoirs:
            factures = sorted({j.reference for j in jours})
            familles = len({j.famille_id for j in jours})
            s = "s" if len(jours) > 1 else ""
            raise ErreurMetier(
                f"{len(jours)} jour{s} de la fermeture {'sont' if s else 'est'} déjà facturé{s} "
                f"({familles} famille{'s' if familles > 1 else ''}, {', '.join(factures)}) : "
                f"avoirs de {euros(sum(j.montant for j in jours))}. Émettre les avoirs et "
                "enregistrer la fermeture ?",
                CHAMP_AVOIRS,
            )
        emis = emettre_avoir_jours(
            session, contexte, sorted(facturees), f"Fermeture {quand} : {periode.libelle}"
        )

        for famille_id, regie_id in sorted({(a.famille_id, a.regie_id) for a in emis}):
            lettrer(session, contexte, famille_id, regie_id)  # the credit pays what is due
    # Each cell's state before, given back if the closure goes (`_rouvrir`); a row left
    # from a cell closed before and opened otherwise since is replaced (in bulk: a long
    # closure of every activity is thousands of cells).
    ids = [id_de(c) for c in cellules]
    for lot in par_lots(ids, 5_000):
        session.exec(delete(CelluleFermee).where(col(CelluleFermee.consommation_id).in_(lot)))
    session.add_all(
        CelluleFermee(consommation_id=id_de(c), periode_id=id_de(periode), etat_avant=c.etat)
        for c in cellules
    )
    for cellule in cellules:
        cellule.etat = E.FERMETURE.value
        session.add(cellule)
    for famille_id, nombre in _jours_par_famille(session, cellules):
        journaliser(
            session,
            contexte,
            "fermeture",
            "periodecalendrier",
            periode.id,
            famille_id,
            detail=f"{periode.libelle} {quand} : {compte(nombre, 'jour')} "
            f"{accord(nombre, 'réservé')} {accord(nombre, 'passé')} en Fermeture, non "
            f"{accord(nombre, 'facturé')}",
        )


def _jours_par_famille(session: Session, cellules: list[Consommation]) -> list[tuple[int, int]]:
    """(family, number of these cells), by family id: a closure's journal lines."""
    enfants = dict(
        session.exec(
            select(Enfant.id, Enfant.famille_id).where(
                col(Enfant.id).in_({c.enfant_id for c in cellules})
            )
        ).all()
    )
    par_famille: dict[int, int] = defaultdict(int)
    for c in cellules:
        par_famille[enfants[c.enfant_id]] += 1
    return sorted(par_famille.items())


@dataclass(frozen=True)
class FamilleFermee:
    famille_id: int
    numero: str
    responsable: str
    jours: int


def familles_fermees(session: Session, periode_id: int) -> list[FamilleFermee]:
    """The families with days closed by this closure (to tell them), by family number."""
    periode = session.get(PeriodeCalendrier, periode_id)
    if periode is None or periode.type != TypeCalendrier.FERMETURE:
        return []
    requete = (
        select(Enfant.famille_id, Famille.numero, Consommation.id)
        .join(Enfant, col(Enfant.famille_id) == col(Famille.id))
        .join(Consommation, col(Consommation.enfant_id) == col(Enfant.id))
        .where(
            Consommation.jour >= periode.debut,
            Consommation.jour <= periode.fin,
            Consommation.etat == E.FERMETURE.value,
        )
    )
    if periode.activite_id is not None:
        requete = requete.where(Consommation.activite_id == periode.activite_id)
    jours: dict[tuple[int, str], int] = defaultdict(int)
    for famille_id, numero, _ in session.exec(requete):
        jours[(famille_id, numero)] += 1
    noms = {
        fid: f"{nom} {prenoms}".strip()
        for fid, nom, prenoms in session.exec(
            select(Responsable.famille_id, Responsable.nom, Responsable.prenoms).where(
                Responsable.role == RoleResponsable.RESPONSABLE,
                col(Responsable.famille_id).in_([fid for fid, _ in jours]),
            )
        )
    }
    return [
        FamilleFermee(fid, numero, noms.get(fid, ""), n)
        for (fid, numero), n in sorted(jours.items(), key=lambda kv: kv[0][1])
    ]


def message_fermeture(session: Session, periode_id: int) -> tuple[str, str]:
    """The subject and body proposed to the families of a closure (the agent may edit them)."""
    periode = session.get_one(PeriodeCalendrier, periode_id)
    activite = session.get(Activite, periode.activite_id) if periode.activite_id else None
    accueil = f"« {activite.nom} »" if activite else "l'ensemble des accueils"
    quand = (
        f"le {date_courte(periode.debut)}"
        if periode.debut == periode.fin
        else f"du {date_courte(periode.debut)} au {date_courte(periode.fin)}"
    )
    sujet = f"Fermeture {quand} : {periode.libelle}"
    corps = (
        f"Bonjour,\n\nEn raison de « {periode.libelle} », {accueil} sera fermé {quand}. "
        "Les réservations de votre enfant pour cette période sont annulées et ne vous "
        "seront pas facturées ; un jour déjà facturé fait l'objet d'un avoir.\n\n"
        "Le service enfance"
    )
    return sujet, corps


def _couvre(periode: PeriodeCalendrier, cellule: Consommation) -> bool:
    return periode.debut <= cellule.jour <= periode.fin and periode.activite_id in (
        None,
        cellule.activite_id,
    )


@dataclass
class _Reouverture:
    """What a closure gone (or `encore`, corrected) gives back: the cells whose state comes
    back with their row, the rows another closure takes over, the rows left (a cell
    removed since, or no longer closed)."""

    rouvertes: list[tuple[Consommation, CelluleFermee]]
    reprises: list[tuple[CelluleFermee, int]]
    orphelines: list[CelluleFermee]


def _a_rouvrir(session: Session, periode: PeriodeCalendrier, encore: bool) -> _Reouverture:
    fermees = list(
        session.exec(select(CelluleFermee).where(CelluleFermee.periode_id == periode.id))
    )
    cellules: dict[int, Consommation] = {}
    for lot in par_lots([f.consommation_id for f in fermees], 5_000):
        cellules.update(
            (id_de(c), c)
            for c in session.exec(select(Consommation).where(col(Consommation.id).in_(lot)))
        )
    autres = list(
        session.exec(
            select(PeriodeCalendrier).where(
                PeriodeCalendrier.type == TypeCalendrier.FERMETURE,
                PeriodeCalendrier.id != periode.id,
            )
        )
    )
    vue = _Reouverture([], [], [])
    for fermee in fermees:
        cellule = cellules.get(fermee.consommation_id)
        if cellule is not None and encore and _couvre(periode, cellule):
            continue
        autre = next((p for p in autres if cellule is not None and _couvre(p, cellule)), None)
        if autre is not None:  # still closed, by that one now
            vue.reprises.append((fermee, id_de(autre)))
        elif cellule is not None and cellule.etat == E.FERMETURE:
            vue.rouvertes.append((cellule, fermee))
        else:
            vue.orphelines.append(fermee)
    return vue


def _rouvrir(session: Session, contexte: Contexte, periode: PeriodeCalendrier, encore: bool) -> int:
    """The cells this closure closed that it no longer covers (deleted, or `encore` with
    other days or another activity), and no other closure covers: their state before
    comes back (a booking again, billed by the next run if its month is billed already).
    Returns how many."""
    vue = _a_rouvrir(session, periode, encore)
    for fermee, autre_id in vue.reprises:
        fermee.periode_id = autre_id
        session.add(fermee)
    rouvertes: list[Consommation] = []
    for cellule, fermee in vue.rouvertes:
        cellule.etat = fermee.etat_avant
        session.add(cellule)
        rouvertes.append(cellule)
        session.delete(fermee)
    for fermee in vue.orphelines:
        session.delete(fermee)
    marquer_a_regulariser(session, rouvertes)
    for famille_id, nombre in _jours_par_famille(session, rouvertes):
        journaliser(
            session,
            contexte,
            "reouverture",
            "periodecalendrier",
            periode.id,
            famille_id,
            detail=f"{periode.libelle} : {compte(nombre, 'jour')} "
            f"{accord(nombre, 'rendu')} à {'son' if nombre == 1 else 'leur'} état d'avant la "
            "fermeture",
        )
    return len(rouvertes)


def jours_fermes(session: Session, periode_id: int) -> int:
    """How many days the deletion of this closure opens again (`_rouvrir`'s own count: not
    those another closure also covers, nor those removed or no longer closed since)."""
    periode = session.get(PeriodeCalendrier, periode_id)
    if periode is None or periode.type != TypeCalendrier.FERMETURE:
        return 0
    return len(_a_rouvrir(session, periode, encore=False).rouvertes)


def supprimer_periode(session: Session, contexte: Contexte, periode_id: int) -> None:
    """A period deleted; a closure's cells get their state before back (`_rouvrir`)."""
    exiger(session, contexte, "modifier_calendrier")
    periode = session.get_one(PeriodeCalendrier, periode_id)
    if periode.type == TypeCalendrier.FERMETURE:
        _rouvrir(session, contexte, periode, encore=False)
    journaliser(
        session,
        contexte,
        "calendrier supprime",
        "periodecalendrier",
        periode_id,
        avant={
            "type": periode.type,
            "libelle": periode.libelle,
            "debut": periode.debut.isoformat(),
            "fin": periode.fin.isoformat(),
        },
    )
    session.delete(periode)


def remplacer_vacances(
    session: Session, contexte: Contexte, annee: int, periodes: list[PeriodeCalendrier]
) -> int:
    """Replace a school year's public and school holidays (closures are kept), e.g. by
    those of the libraries for the configured zone."""
    exiger(session, contexte, "modifier_calendrier")
    debut, fin = bornes_annee_scolaire(annee)
    # Every holiday with a day in the year, as the libraries give them (a summer shared
    # with the year before comes whole, the same range in both years: no double).
    session.exec(
        delete(PeriodeCalendrier).where(
            col(PeriodeCalendrier.fin) >= debut,
            col(PeriodeCalendrier.debut) <= fin,
            col(PeriodeCalendrier.type).in_(VACANCES_ET_FERIES),
        )
    )
    session.add_all(periodes)
    journaliser(
        session,
        contexte,
        "calendrier preremplit",
        "periodecalendrier",
        detail=f"Année {annee}-{annee + 1} : {len(periodes)} périodes",
    )
    return len(periodes)
