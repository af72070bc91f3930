"""Booking and absence rules of the planning (rules 4 and 5): deadlines, capacity, the
exclusive pair, state transitions, certificates, presence recording.

A booking or an absence entered for a family is a Demande (type Réservations / Absences);
its cells show "… en cours de traitement" until the service accepts or refuses it.

An accepted absence is excused or billed (`etat_absence`):

| declared                      | reason               | medical certificate       | day is        |
|-------------------------------|----------------------|---------------------------|---------------|
| before the booking deadline   | any                  | not needed                | Absent excusé |
| after the deadline            | maladie              | recorded within the delay | Absent excusé |
| after the deadline            | maladie              | none yet, or too late     | Absent facturé|
| after the deadline            | fermeture de classe  | —                         | Absent excusé |
| after the deadline            | convenance, autre    | —                         | Absent facturé|

The booking deadline is the activity's (`date_limite`). The certificate's delay is set by
the collectivité (`Collectivite.delai_certificat_jours_ouvres`, default 2 working days, i.e.
the "48 heures" of most rules): a certificate recorded up to the end of the 2nd working day
after the absent day (weekends and public holidays skipped) is in time; one recorded later is
refused when it would change the bill. A class closure is decided by the school, not the
family: it is never billed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import bindparam
from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import Select

from modele.agents import exiger
from modele.base import Contexte, ErreurMetier, annee_scolaire, id_de
from modele.facturation import (
    emettre_avoir_jours,
    jours_a_crediter,
    marquer_a_regulariser,
)
from modele.formats import accord, compte, date_courte, euros
from modele.journal import journaliser
from modele.planning import cellules_facturees, est_facturee, jour_ouvert
from modele.reglements import lettrer
from modele.structure import collectivite
from modele.tables.demandes import Demande, StatutDemande, TypeDemande
from modele.tables.famille import Enfant, Famille, Responsable, RoleResponsable
from modele.tables.planning import (
    Activite,
    CelluleFermee,
    Consommation,
    Inscription,
    MotifAbsence,
    PeriodeCalendrier,
    TypeCalendrier,
)
from modele.tables.planning import EtatConsommation as E
from modele.validation import LONGUEUR_MOTIF, verifier_texte

# States that take a place on the day (capacity) and that count as booked.
OCCUPENT = (
    E.RESERVE,
    E.PRESENT,
    E.REGULIER,
    E.HORS_CONTRAT,
    E.RESERVATION_EN_COURS,
    E.DEMANDE_ATTENTE,
)
# A booked day can be declared absent.
ABSENTABLES = (E.RESERVE, E.REGULIER, E.DEMANDE_ATTENTE)
# What staff may record on a past day.
POINTAGES = (E.PRESENT, E.ABSENT_EXCUSE, E.ABSENT_FACTURE, E.ERREUR, E.HORS_CONTRAT, E.CONGE)


# The `champ` of the refusal that asks to confirm a credit note (certificate on a billed day).
CHAMP_AVOIR = "avoir"
# The `champ` of a pointage refused by the exclusive pair: a reason can force it.
CHAMP_EXCLUSIF = "derogation"
# What the other cell of a forced pointage becomes: the first its activity does not bill.
LIBERATIONS = (E.ABSENT_EXCUSE, E.ERREUR, E.CONGE)


def feries(session: Session, debut: dt.date, fin: dt.date) -> set[dt.date]:
    jours = set()
    for p in session.exec(
        select(PeriodeCalendrier).where(
            PeriodeCalendrier.type == TypeCalendrier.FERIE,
            PeriodeCalendrier.debut <= fin,
            PeriodeCalendrier.fin >= debut,
        )
    ):
        d = p.debut
        while d <= p.fin:
            jours.add(d)
            d += dt.timedelta(days=1)
    return jours


def date_limite(activite: Activite, jour: dt.date, jours_feries: set[dt.date]) -> dt.datetime:
    """The booking deadline of a day: N working days before (Monday–Friday, public holidays
    excluded), at the activity's hour. 2 working days before a Monday is the Thursday."""
    restant, d = activite.delai_jours_ouvres, jour
    while restant > 0:
        d -= dt.timedelta(days=1)
        if d.weekday() < 5 and d not in jours_feries:
            restant -= 1
    return dt.datetime.combine(d, activite.heure_limite)


def limite_certificat(
    jour: dt.date, delai_jours_ouvres: int, jours_feries: set[dt.date]
) -> dt.date:
    """The last day a medical certificate for `jour` is in time: N working days after it."""
    restant, d = delai_jours_ouvres, jour
    while restant > 0:
        d += dt.timedelta(days=1)
        if d.weekday() < 5 and d not in jours_feries:
            restant -= 1
    return d


def _delai_certificat(session: Session) -> int:
    return collectivite(session).delai_certificat_jours_ouvres


def _periodes(session: Session, debut: dt.date, fin: dt.date) -> list[PeriodeCalendrier]:
    return list(
        session.exec(
            select(PeriodeCalendrier).where(
                PeriodeCalendrier.debut <= fin, PeriodeCalendrier.fin >= debut
            )
        )
    )


def _inscription(
    session: Session, enfant_id: int, activite_id: int, jour: dt.date
) -> Inscription | None:
    return session.exec(
        select(Inscription).where(
            Inscription.enfant_id == enfant_id,
            Inscription.activite_id == activite_id,
            Inscription.annee_scolaire == annee_scolaire(jour),
        )
    ).first()


def _cellules(
    session: Session, enfant_id: int, activite_id: int, jours: list[dt.date]
) -> dict[dt.date, Consommation]:
    return {
        c.jour: c
        for c in session.exec(
            select(Consommation).where(
                Consommation.enfant_id == enfant_id,
                Consommation.activite_id == activite_id,
                col(Consommation.jour).in_(jours),
            )
        )
    }


def places_prises(session: Session, activite_id: int, jour: dt.date) -> int:
    return session.exec(
        select(func.count())
        .select_from(Consommation)
        .where(
            Consommation.activite_id == activite_id,
            Consommation.jour == jour,
            col(Consommation.etat).in_(OCCUPENT),
        )
    ).one()


def conflit_exclusif(
    session: Session, enfant_id: int, activite: Activite, jour: dt.date
) -> Activite | None:
    """The other activity of the same exclusive group already booked that day (rule 5)."""
    if not activite.groupe_exclusif:
        return None
    return session.exec(
        select(Activite)
        .join(Consommation, col(Consommation.activite_id) == col(Activite.id))
        .where(
            Activite.groupe_exclusif == activite.groupe_exclusif,
            Activite.id != activite.id,
            Consommation.enfant_id == enfant_id,
            Consommation.jour == jour,
            col(Consommation.etat).in_(OCCUPENT),
        )
    ).first()


def _peut_deroger(session: Session, contexte: Contexte, derogation: bool) -> bool:
    if derogation:
        exiger(session, contexte, "deroger_reservation")
    return derogation


def _depassements(
    tardifs: list[tuple[str, dt.datetime]], complets: list[str], capacite: int | None
) -> str:
    """« Délai dépassé pour le 01/12/2026 : … » for one day; every day named for several."""
    phrases = []
    if len(tardifs) == 1:
        quand, limite = tardifs[0]
        phrases.append(
            f"Délai dépassé pour le {quand} : réservation possible jusqu'au "
            f"{limite:%d/%m/%Y à %H:%M}."
        )
    elif tardifs:
        jours = ", ".join(
            f"le {quand} (jusqu'au {limite:%d/%m à %H:%M})" for quand, limite in tardifs
        )
        phrases.append(f"Délai dépassé pour {len(tardifs)} jours : {jours}.")
    if complets:
        phrases.append(f"Complet le {', le '.join(complets)} ({capacite} places).")
    return "\n".join(phrases)


def _jours_lus(
    session: Session, enfant_id: int, activite_id: int, jours: list[dt.date]
) -> tuple[Enfant, Activite, list[PeriodeCalendrier], set[dt.date], dict[dt.date, Consommation]]:
    """What the day checks of a booking read (`jours` sorted, not empty): the child, the
    activity, the calendar's periods and public holidays, the cells already there."""
    return (
        session.get_one(Enfant, enfant_id),
        session.get_one(Activite, activite_id),
        _periodes(session, jours[0], jours[-1]),
        feries(session, jours[0] - dt.timedelta(days=15), jours[-1]),
        _cellules(session, enfant_id, activite_id, jours),
    )


def demander_reservation(
    session: Session,
    contexte: Contexte,
    enfant_id: int,
    activite_id: int,
    jours: list[dt.date],
    derogation: bool = False,
) -> Demande:
    """A booking request for these days, refused with the reason when a day is closed, not
    enrolled, already booked, past the deadline, full, or conflicts with its exclusive pair.
    A régisseur can override the deadline and the capacity (journaled)."""
    exiger(session, contexte, "servir_famille")
    if not jours:
        raise ErreurMetier("Aucun jour choisi.")
    jours = sorted(set(jours))
    enfant, activite, periodes, jours_feries, existantes = _jours_lus(
        session, enfant_id, activite_id, jours
    )
    maintenant = contexte.maintenant()
    tardifs: list[tuple[str, dt.datetime]] = []
    complets: list[str] = []
    for jour in jours:
        quand = date_courte(jour)
        refus = _refus_du_jour(session, enfant, activite, jour, periodes, existantes)
        if refus:
            raise ErreurMetier(refus[1])
        limite = date_limite(activite, jour, jours_feries)
        if maintenant > limite:
            tardifs.append((quand, limite))
        if (
            activite.capacite is not None
            and places_prises(session, activite_id, jour) >= activite.capacite
        ):
            complets.append(quand)
    if (tardifs or complets) and not _peut_deroger(session, contexte, derogation):
        # Every day past its deadline or full, named: a derogation asked for one day of
        # a month booked at once covered all the others unseen.
        raise ErreurMetier(_depassements(tardifs, complets, activite.capacite))
    derogations = [f"délai dépassé le {quand}" for quand, _ in tardifs]
    derogations += [f"complet le {quand}" for quand in complets]
    demande = Demande(
        famille_id=enfant.famille_id,
        enfant_id=enfant_id,
        type=TypeDemande.RESERVATION.value,
        valeurs={
            "activite_id": activite_id,
            "activite": activite.nom,
            "jours": [j.isoformat() for j in jours],
        },
        canal=str(contexte.canal),
        saisie_par=contexte.agent_id,
        cree_le=maintenant,
        commentaire="; ".join(derogations),
    )
    session.add(demande)
    session.flush()
    for jour in jours:
        cellule = existantes.get(jour) or Consommation(
            enfant_id=enfant_id, activite_id=activite_id, jour=jour, etat=""
        )
        cellule.etat = E.RESERVATION_EN_COURS.value
        cellule.demande_id = demande.id
        session.add(cellule)
    journaliser(
        session,
        contexte,
        "demande creee",
        "demande",
        demande.id,
        enfant.famille_id,
        apres={
            "type": TypeDemande.RESERVATION.value,
            "valeurs": {"Réservation": f"{activite.nom}, {_liste_jours(jours)}"},
        },
        detail=("Dérogation : " + "; ".join(derogations)) if derogations else "",
    )
    return demande


def _refus_du_jour(
    session: Session,
    enfant: Enfant,
    activite: Activite,
    jour: dt.date,
    periodes: list[PeriodeCalendrier],
    existantes: dict[dt.date, Consommation],
) -> tuple[str, str] | None:
    """Why `jour` cannot be booked whoever asks, as (a short reason for a list of days, the
    sentence for one day): not enrolled, closed, already booked, its exclusive pair booked;
    or None. The deadline and the capacity are another matter (a régisseur may override
    them)."""
    quand = date_courte(jour)
    inscription = _inscription(session, id_de(enfant), id_de(activite), jour)
    if inscription is None or not inscription.date_debut <= jour <= inscription.date_fin:
        return (
            "pas inscrit(e)",
            f"{enfant.premier_prenom} n'est pas inscrit(e) à « {activite.nom} » le {quand}.",
        )
    if not jour_ouvert(activite, jour, periodes):
        return (
            "fermé",
            f"« {activite.nom} » n'est pas ouvert le {quand} "
            "(jour férié, vacances, fermeture ou jour sans accueil).",
        )
    cellule = existantes.get(jour)
    if cellule is not None and cellule.etat != E.RESERVATION_REFUSEE:
        etat = E(cellule.etat).libelle
        return f"déjà « {etat} »", f"Le {quand} est déjà « {etat} »."
    autre = conflit_exclusif(session, id_de(enfant), activite, jour)
    if autre is not None:
        return (
            f"« {autre.libelle} » réservé",
            f"Le {quand}, « {autre.libelle} » est déjà réservé : une seule "
            f"des deux activités « {autre.libelle} » ou « {activite.libelle} » "
            "par jour en élémentaire.",
        )
    return None


def jours_reservables(
    session: Session,
    contexte: Contexte,
    enfant_id: int,
    activite_id: int,
    jours: list[dt.date],
    sans_derogation: bool = False,
) -> tuple[list[dt.date], dict[str, list[dt.date]]]:
    """Of several days chosen (the same weekday of a month, the open days), those a booking
    can be asked for, and the others by reason: already booked or regular, closed, not
    enrolled, the exclusive pair booked, or (for an agent who may not override them, or
    `sans_derogation`: a régisseur who declined to) past the deadline or full. The agent
    books the first and is told of the others, rather than the whole booking refused for
    one day (as `jours_absentables` for an absence)."""
    jours = sorted(set(jours))
    exclus: dict[str, list[dt.date]] = {}
    if not jours:
        return [], exclus
    enfant, activite, periodes, jours_feries, existantes = _jours_lus(
        session, enfant_id, activite_id, jours
    )
    deroge = not sans_derogation and peut_deroger(session, contexte)
    maintenant = contexte.maintenant()
    possibles: list[dt.date] = []
    for jour in jours:
        refus = _refus_du_jour(session, enfant, activite, jour, periodes, existantes)
        raison = refus[0] if refus else None
        if raison is None and not deroge:
            limite = date_limite(activite, jour, jours_feries)
            if maintenant > limite:
                raison = "délai dépassé (dérogation : régisseur)"
            elif (
                activite.capacite is not None
                and places_prises(session, activite_id, jour) >= activite.capacite
            ):
                raison = "complet"
        if raison is None:
            possibles.append(jour)
        else:
            exclus.setdefault(raison, []).append(jour)
    return possibles, exclus


def peut_deroger(session: Session, contexte: Contexte) -> bool:
    """Whether the agent may book past the deadline or the capacity (a régisseur)."""
    try:
        exiger(session, contexte, "deroger_reservation")
    except ErreurMetier:
        return False
    return True


def _liste_jours(jours: list[dt.date]) -> str:
    return ", ".join(date_courte(j) for j in jours)


def jours_absentables(
    session: Session, enfant_id: int, activite_id: int, jours: list[dt.date]
) -> tuple[list[dt.date], list[dt.date]]:
    """Of several days chosen (the same weekday of a month, a range), those an absence can
    be declared on as `declarer_absence` requires (booked, not invoiced) and the others (a
    past day recorded present, a day not booked): the agent declares on the first and is
    told of the second, rather than the whole absence refused for one of them."""
    existantes = _cellules(session, enfant_id, activite_id, jours)
    facturees = cellules_facturees(session, (c.id for c in existantes.values()))
    possibles: list[dt.date] = []
    exclus: list[dt.date] = []
    for jour in sorted(set(jours)):
        cellule = existantes.get(jour)
        ok = cellule is not None and cellule.etat in ABSENTABLES and cellule.id not in facturees
        (possibles if ok else exclus).append(jour)
    return possibles, exclus


def declarer_absence(
    session: Session,
    contexte: Contexte,
    enfant_id: int,
    activite_id: int,
    jours: list[dt.date],
    motif: MotifAbsence,
    certificat: bool = False,
    confirme: bool = False,
) -> Demande:
    """An absence on booked days: needs a reason and the agent's confirmation."""
    exiger(session, contexte, "servir_famille")
    if not confirme:
        raise ErreurMetier("L'absence doit être confirmée.")
    if not jours:
        raise ErreurMetier("Aucun jour choisi.")
    jours = sorted(set(jours))
    enfant = session.get_one(Enfant, enfant_id)
    activite = session.get_one(Activite, activite_id)
    existantes = _cellules(session, enfant_id, activite_id, jours)
    facturees = cellules_facturees(session, (c.id for c in existantes.values()))
    jours_feries = feries(
        session, jours[0] - dt.timedelta(days=15), jours[-1] + dt.timedelta(days=15)
    )
    maintenant = contexte.maintenant()
    delai_certificat = _delai_certificat(session) if certificat else 0
    precedents, hors_delai, certificat_a_temps = {}, [], {}
    for jour in jours:
        cellule = existantes.get(jour)
        if cellule is None or cellule.etat not in ABSENTABLES:
            etat = E(cellule.etat).libelle if cellule else "non réservé"
            raise ErreurMetier(f"Le {date_courte(jour)} n'est pas une journée réservée ({etat}).")
        if cellule.id in facturees:
            raise ErreurMetier(
                f"Le {date_courte(jour)} est déjà facturé : la correction passe par un avoir."
            )
        precedents[jour.isoformat()] = cellule.etat
        if maintenant > date_limite(activite, jour, jours_feries):
            hors_delai.append(jour.isoformat())
        certificat_a_temps[jour] = certificat and contexte.aujourdhui <= limite_certificat(
            jour, delai_certificat, jours_feries
        )
    demande = Demande(
        famille_id=enfant.famille_id,
        enfant_id=enfant_id,
        type=TypeDemande.ABSENCE.value,
        valeurs={
            "activite_id": activite_id,
            "activite": activite.nom,
            "jours": [j.isoformat() for j in jours],
            "motif": motif.value,
            "certificat": certificat,
            "precedents": precedents,
            "hors_delai": hors_delai,
        },
        canal=str(contexte.canal),
        saisie_par=contexte.agent_id,
        cree_le=maintenant,
    )
    session.add(demande)
    session.flush()
    for jour in jours:
        cellule = existantes[jour]
        cellule.etat = E.ABSENCE_EN_COURS.value
        cellule.motif_absence = motif.value
        cellule.certificat = certificat_a_temps[jour]  # a late one does not count
        cellule.demande_id = demande.id
        session.add(cellule)
    journaliser(
        session,
        contexte,
        "demande creee",
        "demande",
        demande.id,
        enfant.famille_id,
        apres={
            "type": TypeDemande.ABSENCE.value,
            "valeurs": {"Absence": f"{activite.nom}, {_liste_jours(jours)}, motif {motif.value}"},
        },
    )
    return demande


def etat_absence(motif: str, certificat: bool, hors_delai: bool) -> E:
    """Excused or billed, by the module's table; `certificat`: recorded within the delay."""
    if not hors_delai:
        return E.ABSENT_EXCUSE
    if motif == MotifAbsence.MALADIE and certificat:
        return E.ABSENT_EXCUSE
    if motif == MotifAbsence.FERMETURE_CLASSE:
        return E.ABSENT_EXCUSE
    return E.ABSENT_FACTURE


def _refus_facture(cellule: Consommation) -> ErreurMetier:
    """A request's day already on an invoice (a presence recorded on a day still in a
    pending request, then the month billed): refusing or withdrawing the request would
    unbill it, which only a credit note may do."""
    return ErreurMetier(
        f"Le {date_courte(cellule.jour)} est déjà facturé : faites d'abord un avoir sur la facture."
    )


def appliquer_decision(session: Session, demande: Demande, acceptee: bool) -> None:
    """The cells of a booking or absence request once the service has decided; a billed
    day keeps the state it was billed in, a day closed since (calendar) stays closed."""
    cellules = session.exec(select(Consommation).where(Consommation.demande_id == demande.id)).all()
    facturees = cellules_facturees(session, (c.id for c in cellules))
    v = demande.valeurs
    for cellule in cellules:
        if cellule.id in facturees and cellule.etat != E.FERMETURE:
            if not acceptee:
                raise _refus_facture(cellule)
            continue
        if demande.type == TypeDemande.RESERVATION:
            etat = (E.RESERVE if acceptee else E.RESERVATION_REFUSEE).value
        elif acceptee:
            etat = etat_absence(
                v["motif"], cellule.certificat, cellule.jour.isoformat() in v.get("hors_delai", [])
            ).value
        else:
            etat = v["precedents"].get(cellule.jour.isoformat(), E.RESERVE.value)
            cellule.motif_absence = ""
            cellule.certificat = False
        if cellule.etat == E.FERMETURE:
            _decidee_pendant_la_fermeture(session, cellule, etat)
            continue
        cellule.etat = etat
        session.add(cellule)
    # decided after the month was billed: the next run bills what became billable
    marquer_a_regulariser(session, (c for c in cellules if c.id not in facturees))


def _decidee_pendant_la_fermeture(session: Session, cellule: Consommation, etat: str) -> None:
    """A request decided (or withdrawn) while a closure holds its day: the closure keeps
    the day, and the state it gives back once it goes is the decided one (it gave back
    « réservation en cours » of a request accepted meanwhile, which nothing bills)."""
    fermee = session.get(CelluleFermee, cellule.id)
    if fermee is not None:
        fermee.etat_avant = etat
        session.add(fermee)


def annuler_cellules(session: Session, demande: Demande) -> None:
    """A withdrawn request: its booking cells disappear, its absence cells are booked again."""
    cellules = session.exec(select(Consommation).where(Consommation.demande_id == demande.id)).all()
    facturees = cellules_facturees(session, (c.id for c in cellules))
    for cellule in cellules:
        if cellule.id in facturees:
            raise _refus_facture(cellule)
        if demande.type == TypeDemande.RESERVATION:
            session.delete(cellule)
        elif cellule.etat == E.FERMETURE:  # closed since: stays closed
            cellule.demande_id = None
            session.add(cellule)
            _decidee_pendant_la_fermeture(
                session,
                cellule,
                demande.valeurs["precedents"].get(cellule.jour.isoformat(), E.RESERVE.value),
            )
        else:
            cellule.etat = demande.valeurs["precedents"].get(
                cellule.jour.isoformat(), E.RESERVE.value
            )
            cellule.motif_absence = ""
            cellule.certificat = False
            cellule.demande_id = None
            session.add(cellule)
            marquer_a_regulariser(session, [cellule])


def enregistrer_certificat(
    session: Session,
    contexte: Contexte,
    enfant_id: int,
    activite_id: int,
    jour: dt.date,
    avec_avoir: bool = False,
) -> Consommation:
    """The medical certificate arrives: a billed medical absence becomes excused, when it
    comes within the collectivité's delay (see the module's table). A day already on an
    issued invoice asks for confirmation (`ErreurMetier` with `champ` CHAMP_AVOIR); with
    `avec_avoir` its credit note is issued in the same transaction."""
    exiger(session, contexte, "servir_famille")
    cellule = _cellules(session, enfant_id, activite_id, [jour]).get(jour)
    if cellule is None or cellule.motif_absence != MotifAbsence.MALADIE:
        raise ErreurMetier("Pas d'absence pour maladie ce jour-là.")
    if cellule.certificat:
        raise ErreurMetier("Le certificat est déjà enregistré.")
    delai = _delai_certificat(session)
    limite = limite_certificat(jour, delai, feries(session, jour, jour + dt.timedelta(days=30)))
    if contexte.aujourdhui > limite and _facturable_sans_certificat(session, cellule):
        pluriel = "s" if delai > 1 else ""
        raise ErreurMetier(
            f"Certificat hors délai : il devait être enregistré au plus tard le "
            f"{date_courte(limite)} ({delai} jour{pluriel} ouvré{pluriel} après "
            "l'absence). L'absence reste facturée."
        )
    detail = f"Certificat médical du {date_courte(jour)}"
    if cellule.etat == E.ABSENT_FACTURE and est_facturee(session, cellule):
        [du] = jours_a_crediter(session, [id_de(cellule)])
        if not avec_avoir:
            raise ErreurMetier(
                f"Le {date_courte(jour)} est facturé sur {du.reference} : le "
                f"certificat l'excuse par un avoir de {euros(du.montant)} pour ce "
                "jour. Émettre l'avoir et enregistrer le certificat ?",
                CHAMP_AVOIR,
            )
        [avoir] = emettre_avoir_jours(session, contexte, [id_de(cellule)], detail)
        detail += f", avoir {avoir.reference}"

        lettrer(session, contexte, avoir.famille_id, avoir.regie_id)  # it pays what is due
    avant = cellule.etat
    cellule.certificat = True
    if cellule.etat == E.ABSENT_FACTURE:
        cellule.etat = E.ABSENT_EXCUSE.value
    session.add(cellule)
    enfant = session.get_one(Enfant, enfant_id)
    journaliser(
        session,
        contexte,
        "certificat medical",
        "consommation",
        cellule.id,
        enfant.famille_id,
        avant={"etat": avant},
        apres={"etat": cellule.etat},
        detail=detail,
    )
    return cellule


def enregistrer_certificats(
    session: Session,
    contexte: Contexte,
    enfant_id: int,
    activite_id: int,
    jours: list[dt.date],
    avec_avoir: bool = False,
) -> None:
    """A certificate covering several days: all or none."""
    exiger(session, contexte, "servir_famille")
    for jour in jours:
        enregistrer_certificat(session, contexte, enfant_id, activite_id, jour, avec_avoir)


def exiger_jours_passes(jours: list[dt.date], aujourdhui: dt.date) -> None:
    """Only a past or current day is pointed: said before asking which state."""
    if any(jour > aujourdhui for jour in jours):
        raise ErreurMetier("On ne pointe pas un jour à venir.")


def pointer_jours(
    session: Session,
    contexte: Contexte,
    enfant_id: int,
    activite_id: int,
    jours: list[dt.date],
    etat: E,
    derogation: str = "",
) -> None:
    """The same state on several days: all or none."""
    exiger(session, contexte, "servir_famille")
    for jour in jours:
        pointer(session, contexte, enfant_id, activite_id, jour, etat, derogation)


def _facturable_sans_certificat(session: Session, cellule: Consommation) -> bool:
    """Whether the certificate decides the bill: billed, or pending and declared late."""
    if cellule.etat == E.ABSENT_FACTURE:
        return True
    if cellule.etat != E.ABSENCE_EN_COURS or cellule.demande_id is None:
        return False
    demande = session.get_one(Demande, cellule.demande_id)
    return cellule.jour.isoformat() in demande.valeurs.get("hors_delai", [])


def _exclusive_comptee(
    session: Session, enfant_id: int, activite: Activite, jour: dt.date
) -> tuple[Activite, Consommation] | None:
    """The other activity of the exclusive group that counts that day (booked or billed)."""
    if not activite.groupe_exclusif:
        return None
    for autre, cellule in session.exec(
        select(Activite, Consommation)
        .join(Consommation, col(Consommation.activite_id) == col(Activite.id))
        .where(
            Activite.groupe_exclusif == activite.groupe_exclusif,
            Activite.id != activite.id,
            Consommation.enfant_id == enfant_id,
            Consommation.jour == jour,
        )
    ):
        if cellule.etat in OCCUPENT or cellule.etat in autre.etats_factures_set():
            return autre, cellule
    return None


def _liberer_exclusive(
    session: Session,
    contexte: Contexte,
    activite: Activite,
    jour: dt.date,
    autre: Activite,
    cellule: Consommation,
    famille_id: int,
    motif: str,
) -> None:
    """The other activity's cell of a forced pointage: set to a state it does not bill, so
    that the day is billed once."""
    quand = date_courte(jour)
    if cellule.etat in (E.RESERVATION_EN_COURS, E.ABSENCE_EN_COURS, E.DEMANDE_ATTENTE):
        raise ErreurMetier(
            f"Le {quand}, une demande est en cours sur « {autre.libelle} » : décidez-la d'abord."
        )
    if est_facturee(session, cellule):
        raise ErreurMetier(
            f"Le {quand}, « {autre.libelle} » est sur une facture émise : faites "
            "d'abord un avoir sur la facture."
        )
    libre = next((e for e in LIBERATIONS if e.value not in autre.etats_factures_set()), None)
    if libre is None:
        raise ErreurMetier(
            f"« {autre.libelle} » facture tous les états : la dérogation ne peut "
            "pas éviter de facturer deux fois le jour."
        )
    avant = cellule.etat
    cellule.etat = libre.value
    session.add(cellule)
    journaliser(
        session,
        contexte,
        "pointage",
        "consommation",
        cellule.id,
        famille_id,
        avant={"etat": avant},
        apres={"etat": libre.value},
        detail=f"{autre.nom} le {quand} : {libre.libelle}, pointé « {activite.libelle} » "
        f"par dérogation ({motif})",
    )


def pointer(
    session: Session,
    contexte: Contexte,
    enfant_id: int,
    activite_id: int,
    jour: dt.date,
    etat: E,
    derogation: str = "",
) -> Consommation:
    """Record the real state of a past or current day (presence recording by staff).

    A day on an issued invoice cannot change from billed to not billed (or back): the agent
    is told that a credit note is the way. A billed state on a day the other activity of an
    exclusive pair counts (rule 5) is refused (`champ` CHAMP_EXCLUSIF), unless forced with a
    reason (`derogation`, journaled): the other cell is then set to a state it does not
    bill."""
    exiger(session, contexte, "servir_famille")
    if etat not in POINTAGES:
        raise ErreurMetier(f"« {etat.libelle} » ne se pointe pas.")
    exiger_jours_passes([jour], contexte.aujourdhui)
    activite = session.get_one(Activite, activite_id)
    cellule = _cellules(session, enfant_id, activite_id, [jour]).get(jour)
    if not jour_ouvert(activite, jour, _periodes(session, jour, jour)) and (
        cellule is None or etat.value in activite.etats_factures_set()
    ):
        # A day without service has nothing to record; a cell already there (booked before
        # a closure) may only be set to a state that does not bill.
        raise ErreurMetier(
            f"« {activite.nom} » n'est pas ouvert le {date_courte(jour)} (jour férié, "
            "vacances, fermeture ou jour sans accueil) : rien à pointer ce jour-là."
            if cellule is None
            else f"« {activite.nom} » n'est pas ouvert le {date_courte(jour)} : "
            f"« {etat.libelle} » y serait facturé."
        )
    if cellule is None:
        cellule = Consommation(enfant_id=enfant_id, activite_id=activite_id, jour=jour, etat="")
    avant = cellule.etat
    if est_facturee(session, cellule):
        factures = activite.etats_factures_set()
        if (avant in factures) != (etat in factures):
            raise ErreurMetier(
                f"Le {date_courte(jour)} est sur une facture émise : ce changement "
                "modifierait le montant facturé. Faites un avoir sur la facture."
            )
    enfant = session.get_one(Enfant, enfant_id)
    detail = f"{activite.nom} le {date_courte(jour)} : {etat.libelle}"
    conflit = (
        _exclusive_comptee(session, enfant_id, activite, jour)
        if etat.value in activite.etats_factures_set()
        else None
    )
    if conflit is not None:
        autre, autre_cellule = conflit
        derogation = verifier_texte(derogation, "derogation", LONGUEUR_MOTIF, libelle="Le motif")
        if not derogation:
            raise ErreurMetier(
                f"Le {date_courte(jour)}, « {autre.libelle} » est "
                f"« {E(autre_cellule.etat).libelle} » : une seule des deux activités "
                f"« {autre.libelle} » ou « {activite.libelle} » par jour en élémentaire.",
                CHAMP_EXCLUSIF,
            )
        _liberer_exclusive(
            session, contexte, activite, jour, autre, autre_cellule, enfant.famille_id, derogation
        )
        detail += f" (dérogation : {derogation})"
    cellule.etat = etat.value
    session.add(cellule)
    marquer_a_regulariser(session, [cellule])  # a presence recorded after its month's run
    session.flush()
    journaliser(
        session,
        contexte,
        "pointage",
        "consommation",
        cellule.id,
        enfant.famille_id,
        avant={"etat": avant},
        apres={"etat": etat.value},
        detail=detail,
    )
    return cellule


def jours_de_la_semaine(jour: dt.date) -> list[dt.date]:
    """Every day of the month with the same weekday ("tous les mercredis du mois")."""
    premier = jour.replace(day=1)
    d = premier + dt.timedelta(days=(jour.weekday() - premier.weekday()) % 7)
    jours = []
    while d.month == jour.month:
        jours.append(d)
        d += dt.timedelta(days=7)
    return jours


# --- what is still to decide before a month is billed --------------------------------------


@dataclass
class DemandeEnSuspens:
    """A booking or absence request still pending on days of the period."""

    demande_id: int
    famille_id: int
    famille: str  # « n° NOM Prénoms » of the responsable
    enfant: str
    type: str  # « Réservations », « Absences »
    activite: str
    jours: list[dt.date]


@dataclass
class NonPointe:
    """A child's booked past days with neither presence nor absence recorded."""

    famille_id: int
    famille: str
    enfant: str
    activite: str
    jours: list[dt.date]


@dataclass
class EnSuspens:
    demandes: list[DemandeEnSuspens]
    non_pointes: int  # days, all families
    non_pointes_detail: list[NonPointe]  # the first families' (at most `limite` days)


# A booked day that nobody recorded: billed as booked unless someone decides otherwise.
NON_POINTES = (E.RESERVE, E.REGULIER)


def en_suspens(
    session: Session,
    regie_id: int,
    debut: dt.date,
    fin: dt.date,
    aujourdhui: dt.date,
    limite: int = 200,
) -> EnSuspens:
    """Before issuing a month: its pending booking/absence requests (the F2 queue) and its
    booked past days with no presence or absence recorded, so that the régisseur decides
    first. What is decided after the month is issued is billed by the next run
    (regularisation), never lost."""
    activites = {
        a.id: a
        for a in session.exec(select(Activite).where(Activite.regie_id == regie_id))
        if a.id is not None
    }
    if not activites:
        return EnSuspens([], 0, [])
    ids = sorted(activites)
    en_cours = (E.RESERVATION_EN_COURS.value, E.ABSENCE_EN_COURS.value)
    jours_demandes: dict[tuple[int, int], list[dt.date]] = defaultdict(list)
    demandes: dict[int, tuple[int, str, int, int]] = {}
    # Six columns (sqlmodel's select() is typed up to four): the row type is written here,
    # the request's id read from the base.
    requete: Select[int, str, int, int, int, dt.date] = Select(
        col(Demande.id),
        col(Demande.type),
        col(Demande.famille_id),
        col(Consommation.enfant_id),
        col(Consommation.activite_id),
        col(Consommation.jour),
    )
    for demande_id, type_, famille_id, enfant_id, activite_id, jour in session.exec(
        requete.join(Consommation, col(Consommation.demande_id) == col(Demande.id))
        .where(
            Demande.statut == StatutDemande.EN_ATTENTE,
            col(Demande.type).in_([TypeDemande.RESERVATION.value, TypeDemande.ABSENCE.value]),
            col(Consommation.activite_id).in_(ids),
            col(Consommation.etat).in_(en_cours),
            Consommation.jour >= debut,
            Consommation.jour <= fin,
        )
        .order_by(col(Demande.id), col(Consommation.jour))
    ):
        demandes[demande_id] = (famille_id, type_, enfant_id, activite_id)
        jours_demandes[(demande_id, activite_id)].append(jour)
    dernier = min(fin, aujourdhui - dt.timedelta(days=1))
    passes = (
        col(Consommation.activite_id).in_(ids),
        # Written out (not bound) so that the partial index of the booked days serves.
        col(Consommation.etat).in_(
            bindparam("non_pointes", [e.value for e in NON_POINTES], literal_execute=True)
        ),
        Consommation.jour >= debut,
        Consommation.jour <= dernier,
    )
    nombre = 0
    rangs: list[tuple[int, int, int, dt.date]] = []
    if dernier >= debut:
        nombre = session.exec(select(func.count()).select_from(Consommation).where(*passes)).one()
        rangs = list(
            session.exec(
                select(
                    Enfant.famille_id,
                    Consommation.enfant_id,
                    Consommation.activite_id,
                    col(Consommation.jour),
                )
                .join(Enfant, col(Enfant.id) == col(Consommation.enfant_id))
                .where(*passes)
                .order_by(
                    col(Enfant.famille_id),
                    col(Consommation.enfant_id),
                    col(Consommation.activite_id),
                )
                .order_by(col(Consommation.jour))
                .limit(limite)
            )
        )
    familles = sorted({f for f, *_ in demandes.values()} | {r[0] for r in rangs})
    enfants = sorted({e for _, _, e, _ in demandes.values()} | {r[1] for r in rangs})
    noms = {
        f: f"{numero} {nom or ''} {prenoms or ''}".strip()
        for f, numero, nom, prenoms in session.exec(
            select(Famille.id, Famille.numero, Responsable.nom, Responsable.prenoms)
            .outerjoin(
                Responsable,
                (col(Responsable.famille_id) == col(Famille.id))
                & (col(Responsable.role) == RoleResponsable.RESPONSABLE),
            )
            .where(col(Famille.id).in_(familles))
        )
    }
    prenoms = {
        e.id: e.premier_prenom
        for e in session.exec(select(Enfant).where(col(Enfant.id).in_(enfants)))
    }
    liste = [
        DemandeEnSuspens(
            demande_id,
            famille_id,
            noms.get(famille_id, ""),
            prenoms.get(enfant_id, ""),
            TypeDemande(type_).libelle,
            activites[activite_id].nom,
            jours_demandes[(demande_id, activite_id)],
        )
        for demande_id, (famille_id, type_, enfant_id, activite_id) in demandes.items()
    ]
    detail: dict[tuple[int, int, int], list[dt.date]] = defaultdict(list)
    for famille_id, enfant_id, activite_id, jour in rangs:
        detail[(famille_id, enfant_id, activite_id)].append(jour)
    return EnSuspens(
        liste,
        nombre,
        [
            NonPointe(f, noms.get(f, ""), prenoms.get(e, ""), activites[a].nom, jours)
            for (f, e, a), jours in detail.items()
        ],
    )


# Pending requests and unrecorded families shown in a preview (the rest: F2, the planning).
DEMANDES_MONTREES = 3
NON_POINTES_MONTRES = 2


def _jours(jours: list[dt.date]) -> str:
    return ", ".join(f"{j:%d/%m}" for j in jours)


def texte_suspens(suspens: EnSuspens) -> str:
    """What is still to decide on the month, before issuing it (plain text: names are data)."""
    d, n = len(suspens.demandes), suspens.non_pointes
    if not d and not n:
        return "Rien en suspens : aucune demande en attente, tous les jours passés sont pointés."
    lignes = [
        f"À décider avant d'émettre : {compte(d, 'demande')} en attente (F2), "
        f"{compte(n, 'jour')} {accord(n, 'réservé')} {accord(n, 'passé')} "
        f"{accord(n, 'non pointé')}. "
        "Décidé après l'émission : facturé en régularisation le mois suivant."
    ]
    for demande in suspens.demandes[:DEMANDES_MONTREES]:
        lignes.append(
            f"  • Demande n° {demande.demande_id} — {demande.famille} — {demande.enfant} — "
            f"{demande.type} — {demande.activite} : {_jours(demande.jours)}"
        )
    if d > DEMANDES_MONTREES:
        lignes.append(
            f"  … et {compte(d - DEMANDES_MONTREES, 'autre demande', 'autres demandes')} : F2."
        )
    for np in suspens.non_pointes_detail[:NON_POINTES_MONTRES]:
        lignes.append(
            f"  • Non pointé — {np.famille} — {np.enfant} — {np.activite} : {_jours(np.jours)}"
        )
    return "\n".join(lignes)
