"""Part of step « planning »: booking and absence requests of the last days, made by the
planning's own rules (modele.reservations) on capacities sized to the demo, and left
pending, on the waiting list, accepted, refused or withdrawn."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import select

from data.generateur.atelier import Atelier, FamilleGen
from modele.base import Canal, ErreurMetier
from modele.demandes import Demande, accepter_demande, refuser_demande, retirer_demande
from modele.planning import Consommation, EtatConsommation
from modele.reservations import OCCUPENT, MotifAbsence, declarer_absence, demander_reservation

E = EtatConsommation
ETAPE_RESERVATIONS = "Réservations et absences"

Cellule = tuple[int, int, dt.date]  # (enfant_id, activite_id, jour)


@dataclass
class Candidats:
    """A batch's requests to make: how many of each kind and status, days a few children
    could still book, booked days they could declare absent."""

    nombre: int
    libres: list[Cellule]
    absentables: list[Cellule]
    familles: dict[int, FamilleGen]  # by child id


def candidats(
    a: Atelier,
    lot: list[FamilleGen],
    inscriptions: list[dict],
    cellules: list[dict],
    ouverts: dict[tuple[str, int], list[dt.date]],
) -> Candidats:
    """Days a few children of the batch could still book, and booked days they could
    declare absent (far enough ahead for the booking deadline)."""
    r = a.rng
    apres = a.reference + dt.timedelta(days=5)
    codes = {activite.id: code for code, activite in a.activites.items()}
    occupees = {(c["enfant_id"], c["activite_id"], c["jour"]) for c in cellules}
    libres = []
    for i in inscriptions:
        code = codes[i["activite_id"]]
        if not code.startswith("ALSH") or i["date_fin"] < apres:
            continue
        for jour in ouverts.get((code, i["annee_scolaire"]), []):
            if jour >= apres and (i["enfant_id"], i["activite_id"], jour) not in occupees:
                libres.append((i["enfant_id"], i["activite_id"], jour))
    reserves = (E.RESERVE.value, E.REGULIER.value)
    absentables = [
        (c["enfant_id"], c["activite_id"], c["jour"])
        for c in cellules
        if c["jour"] >= apres and c["etat"] in reserves
    ]
    nombre = max(1, len({i["enfant_id"] for i in inscriptions}) // 40)
    libres = r.sample(libres, min(len(libres), 40 * nombre))
    absentables = r.sample(absentables, min(len(absentables), 40 * nombre))
    familles = {e.id: f for f in lot for e in f.enfants}
    return Candidats(nombre, libres, absentables, familles)


def capacites(a: Atelier) -> None:
    """Places per day sized to the demo's population: the busiest day is nearly full."""
    par_jour = (
        select(Consommation.activite_id, func.count().label("n"))
        .where(Consommation.etat.in_([e.value for e in OCCUPENT]))
        .group_by(Consommation.activite_id, Consommation.jour)
        .subquery()
    )
    pics = dict(
        a.session.exec(
            select(par_jour.c.activite_id, func.max(par_jour.c.n)).group_by(par_jour.c.activite_id)
        ).all()
    )
    for activite in a.activites.values():
        pic = pics.get(activite.id, 0)
        activite.capacite = max(10, -(-pic * 105 // 100 // 5) * 5 + 5)
        a.session.add(activite)
    a.session.flush()


def demandes_planning(a: Atelier, lots: list[Candidats]) -> None:
    """Each batch's requests, dated over the last ten days, then decided."""
    for rang, lot in enumerate(lots):
        a.avancer(ETAPE_RESERVATIONS, rang, len(lots))
        _demandes_du_lot(a, lot)
    a.avancer(ETAPE_RESERVATIONS, len(lots), len(lots))


def _demandes_du_lot(a: Atelier, lot: Candidats) -> None:
    r, ref = a.rng, a.reference
    taches = [
        ("reservation", issue)
        for issue in ("en_cours", "attente", "refusee", "acceptee", "retiree")
        for _ in range(lot.nombre)
    ]
    taches += [
        ("absence", issue)
        for issue in ("en_cours", "acceptee", "refusee")
        for _ in range(lot.nombre)
    ]
    datees = sorted(
        (ref - dt.timedelta(days=r.randint(1, 10)), i, nature, issue)
        for i, (nature, issue) in enumerate(taches)
    )
    for jour, _, nature, issue in datees:
        demande = _deposer(a, lot, jour, nature, issue)
        if demande is not None:
            _decider(a, demande, jour, nature, issue)


def _deposer(a: Atelier, lot: Candidats, jour: dt.date, nature: str, issue: str) -> Demande | None:
    """A family's request (online, or on the phone with the counter) on the first drawn
    day that the rules take; None when no day is left."""
    r = a.rng
    telephone = r.random() < 0.25
    contexte = a.contexte(
        jour,
        Canal.TELEPHONE if telephone else Canal.PORTAIL,
        a.agents["accueil"] if telephone else None,
        heure=r.randint(8, 19),
    )
    source = lot.libres if nature == "reservation" else lot.absentables
    while source:
        enfant_id, activite_id, cible = source.pop()
        try:
            if nature == "reservation":
                return demander_reservation(a.session, contexte, enfant_id, activite_id, [cible])
            maladie = issue != "refusee" and r.random() < 0.7
            return declarer_absence(
                a.session,
                contexte,
                enfant_id,
                activite_id,
                [cible],
                MotifAbsence.MALADIE if maladie else MotifAbsence.CONVENANCE,
                certificat=maladie and issue == "acceptee",
                confirme=True,
            )
        except ErreurMetier:
            continue  # full that day, or no longer bookable: another day
    return None


def _decider(a: Atelier, demande: Demande, jour: dt.date, nature: str, issue: str) -> None:
    """The service's decision within two days, or the family withdrawing its request."""
    r, s = a.rng, a.session
    decision = a.contexte(
        min(jour + dt.timedelta(days=r.randint(0, 2)), a.reference),
        Canal.GUICHET,
        a.agents["regie"],
        heure=14,
    )
    if issue == "attente":
        demande.commentaire = "Liste d'attente : l'accueil est complet ce jour-là."
        s.add(demande)
        for cellule in s.exec(select(Consommation).where(Consommation.demande_id == demande.id)):
            cellule.etat = E.DEMANDE_ATTENTE.value
            s.add(cellule)
    elif issue == "acceptee":
        accepter_demande(s, decision, demande)
    elif issue == "refusee":
        motifs = (
            ("Capacité d'accueil atteinte ce jour-là.", "Absence non justifiée.")
            if nature == "absence"
            else ("Capacité d'accueil atteinte ce jour-là.", "Encadrement insuffisant.")
        )
        refuser_demande(s, decision, demande, r.choice(motifs))
    elif issue == "retiree":
        retirer_demande(s, a.contexte(decision.aujourdhui, Canal.PORTAIL, None, heure=19), demande)
