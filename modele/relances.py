"""Reminders of unpaid invoices (relances), per régie.

An invoice still due N days after its due date reaches a level: the 1st reminder after
`Regie.relance1_jours`, the 2nd after `relance2_jours`, then "titre à émettre" (the
Trésorerie collects it by a title of revenue) after `titre_jours`. Sending the reminders
records one `Relance` per invoice at the level it has reached (never twice the same level),
journaled with the agent; letters go by post (one PDF) or as a message in the family's Boîte.
An invoice paid, covered by a credit or waiting for its direct debit leaves the list.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from modele.agents import exiger
from modele.base import Contexte, ErreurMetier, id_de
from modele.facturation import Facture, NatureFacture, par_lots
from modele.famille import Famille, Responsable, carnet_payeurs
from modele.formats import date_courte, euros
from modele.journal import journaliser
from modele.messages import envoyer
from modele.reglements import Affectation, restes_dus
from modele.sepa import factures_en_cours_de_prelevement
from modele.structure import Regie
from modele.tables.relances import ModeRelance, Relance

TITRE = 3
LIBELLES_NIVEAUX = {0: "", 1: "1re relance", 2: "2e relance", TITRE: "Titre à émettre"}


def libelle_niveau(niveau: int) -> str:
    return LIBELLES_NIVEAUX.get(niveau, "")


def niveau_atteint(regie: Regie, echeance: dt.date, au: dt.date) -> int:
    """The level an invoice due on `echeance` has reached on `au` (0: not yet late enough)."""
    retard = (au - echeance).days
    if retard >= regie.titre_jours:
        return TITRE
    if retard >= regie.relance2_jours:
        return 2
    if retard >= regie.relance1_jours:
        return 1
    return 0


DELAI_MAX = 365


def verifier_delais(relance1: int, relance2: int, titre: int) -> None:
    """Days after the due date, each at least one and at most DELAI_MAX (a year: an unpaid
    invoice goes to the Trésor public within it), growing from one level to the next."""
    for champ, libelle, jours in (
        ("relance1", "1re relance", relance1),
        ("relance2", "2e relance", relance2),
        ("titre", "Titre à émettre", titre),
    ):
        if jours > DELAI_MAX:
            raise ErreurMetier(f"{libelle} : au plus {DELAI_MAX} jours après l'échéance.", champ)
    if not 0 < relance1 < relance2 < titre:
        raise ErreurMetier(
            "Les délais de relance doivent croître : 1re relance < 2e relance < titre à émettre "
            "(en jours après l'échéance, au moins 1).",
            "relance1",
        )


def regler_delais(
    session: Session, contexte: Contexte, regie_id: int, relance1: int, relance2: int, titre: int
) -> Regie:
    """Change a régie's reminder delays (days after the due date), journaled."""
    exiger(session, contexte, "relancer")
    verifier_delais(relance1, relance2, titre)
    regie = session.get(Regie, regie_id)
    if regie is None:
        raise ErreurMetier("Régie introuvable.")
    avant = {"relance1": regie.relance1_jours, "relance2": regie.relance2_jours}
    avant["titre"] = regie.titre_jours
    regie.relance1_jours, regie.relance2_jours, regie.titre_jours = relance1, relance2, titre
    session.add(regie)
    journaliser(
        session,
        contexte,
        "delais de relance",
        "regie",
        regie.id,
        avant=avant,
        apres={"relance1": relance1, "relance2": relance2, "titre": titre},
    )
    session.flush()
    return regie


def niveaux_envoyes(session: Session, facture_ids: list[int]) -> dict[int, Relance]:
    """The last reminder sent for each invoice (absent: none)."""
    derniers: dict[int, Relance] = {}
    for lot in par_lots(facture_ids, 5_000):
        for r in session.exec(
            select(Relance)
            .where(col(Relance.facture_id).in_(lot))
            .order_by(col(Relance.niveau), col(Relance.id))
        ):
            derniers[r.facture_id] = r
    return derniers


@dataclass(frozen=True)
class ARelancer:
    facture: Facture
    famille: Famille
    payeur: Responsable | None
    reste_du: int
    retard: int  # days after the due date
    niveau: int  # level reached
    envoye: int  # last level sent (0: none)
    envoye_le: dt.date | None

    @property
    def a_envoyer(self) -> bool:
        return self.niveau > self.envoye


@dataclass(frozen=True)
class VueRelances:
    regie: Regie
    au: dt.date
    lignes: list[ARelancer]

    @property
    def total(self) -> int:
        return sum(ligne.reste_du for ligne in self.lignes)

    def total_niveau(self, niveau: int) -> int:
        return sum(ligne.reste_du for ligne in self.lignes if ligne.niveau == niveau)

    def nombre_niveau(self, niveau: int) -> int:
        return sum(1 for ligne in self.lignes if ligne.niveau == niveau)

    @property
    def a_envoyer(self) -> list[ARelancer]:
        return [ligne for ligne in self.lignes if ligne.a_envoyer]


def relances(session: Session, regie_id: int, au: dt.date) -> VueRelances:
    """The régie's invoices still due `relance1_jours` days after their due date, on `au`,
    with the level each has reached and the last one sent; oldest due date first."""
    regie = session.get(Regie, regie_id)
    if regie is None:
        raise ErreurMetier("Régie introuvable.")
    if regie.encaissement_tresorerie:
        raise ErreurMetier(
            "Cette régie est encaissée par la Trésorerie : les relances se font par elle."
        )
    limite = au - dt.timedelta(days=regie.relance1_jours)
    # What is still due, summed in SQL (restes_dus' rule: total − what payments and credit
    # notes allocated): only the invoices still due are read. A town's régie has 600,000
    # invoices past their due date, nearly all paid: read all as objects, 20 s.
    payes = (
        select(Affectation.facture_id, func.sum(Affectation.montant).label("paye"))
        .group_by(col(Affectation.facture_id))
        .subquery()
    )
    reste = col(Facture.total) - func.coalesce(payes.c.paye, 0)
    restes: dict[int, int] = {}
    dues = []
    for facture, du in session.exec(
        select(Facture, reste)
        .outerjoin(payes, payes.c.facture_id == col(Facture.id))
        .where(
            Facture.regie_id == regie_id,
            Facture.nature == NatureFacture.FACTURE,
            Facture.date_echeance <= limite,
            Facture.date_emission <= au,
            reste > 0,
        )
        .order_by(col(Facture.date_echeance), col(Facture.numero))
    ):
        restes[id_de(facture)] = int(du)
        dues.append(facture)
    en_prelevement = factures_en_cours_de_prelevement(session, [id_de(f) for f in dues])
    dues = [f for f in dues if f.id not in en_prelevement]
    familles_ids = sorted({f.famille_id for f in dues})
    familles: dict[int, Famille] = {}
    for lot in par_lots(familles_ids, 5_000):
        familles.update(
            (id_de(f), f) for f in session.exec(select(Famille).where(col(Famille.id).in_(lot)))
        )
    carnet = carnet_payeurs(session, familles_ids)
    envoyes = niveaux_envoyes(session, [id_de(f) for f in dues])
    moment = dt.datetime.combine(au, dt.time.max)
    lignes = []
    for f in dues:
        dernier = envoyes.get(id_de(f))
        lignes.append(
            ARelancer(
                facture=f,
                famille=familles[f.famille_id],
                payeur=carnet.pour(f.famille_id, regie_id, moment),
                reste_du=restes[id_de(f)],
                retard=(au - f.date_echeance).days,
                niveau=niveau_atteint(regie, f.date_echeance, au),
                envoye=dernier.niveau if dernier else 0,
                envoye_le=dernier.date if dernier else None,
            )
        )
    return VueRelances(regie, au, lignes)


def _corps_message(lignes: list[ARelancer], regie: Regie) -> str:
    details = "\n".join(
        f"- facture {a.facture.reference} du {date_courte(a.facture.date_emission)}, "
        f"échue le {date_courte(a.facture.date_echeance)} : reste dû {euros(a.reste_du)} "
        f"({libelle_niveau(a.niveau)})"
        for a in lignes
    )
    total = sum(a.reste_du for a in lignes)
    return (
        "Madame, Monsieur,\n\n"
        "Sauf erreur de notre part, les factures suivantes restent impayées à ce jour :\n"
        f"{details}\n\nTotal restant dû : {euros(total)}.\n\n"
        f"Merci de régulariser votre situation auprès de la {regie.libelle} dans les "
        "meilleurs délais. Si votre règlement a été effectué entre-temps, ne tenez pas "
        "compte de ce message."
    )


def sujet_relance(niveau: int) -> str:
    return f"{libelle_niveau(niveau)} : factures impayées"


def envoyer_relances(
    session: Session,
    contexte: Contexte,
    regie_id: int,
    mode: ModeRelance | str = ModeRelance.COURRIER,
    facture_ids: list[int] | None = None,
) -> list[int]:
    """Send the reminders due on the context's day (or only those of `facture_ids`): one
    `Relance` per invoice at the level it has reached, journaled; by post (the caller prints
    `lettres_relances`) or as one message per family in its Boîte. "Titre à émettre" is
    recorded, never written to the family. Returns the ids of the reminders recorded."""
    exiger(session, contexte, "relancer")
    mode = ModeRelance(mode)
    vue = relances(session, regie_id, contexte.aujourdhui)
    voulues = None if facture_ids is None else set(facture_ids)
    choisies = [a for a in vue.a_envoyer if voulues is None or a.facture.id in voulues]
    if not choisies:
        raise ErreurMetier("Aucune relance à envoyer : toutes sont déjà faites.")
    par_famille: dict[int, list[ARelancer]] = defaultdict(list)
    ids: list[int] = []
    for a in choisies:
        relance = Relance(
            facture_id=id_de(a.facture),
            niveau=a.niveau,
            date=contexte.aujourdhui,
            mode=mode.value,
            agent_id=contexte.agent_id,
            cree_le=contexte.maintenant(),
        )
        session.add(relance)
        session.flush()
        ids.append(id_de(relance))
        journaliser(
            session,
            contexte,
            "relance envoyee",
            "facture",
            a.facture.id,
            a.famille.id,
            apres={
                "facture": a.facture.reference,
                "niveau": a.niveau,
                "mode": mode.value,
                "reste_du": a.reste_du,
            },
            detail=f"{libelle_niveau(a.niveau)} de la facture {a.facture.reference}",
        )
        if a.niveau != TITRE:
            par_famille[id_de(a.famille)].append(a)
    if mode == ModeRelance.BOITE:
        for famille_id, lignes in par_famille.items():
            niveau = max(a.niveau for a in lignes)
            envoyer(
                session,
                contexte,
                famille_id,
                sujet_relance(niveau),
                _corps_message(lignes, vue.regie),
            )
    session.flush()
    return ids


@dataclass(frozen=True)
class LettreRelance:
    """One family's reminder letter: the invoices it reminds, at their level."""

    famille: Famille
    payeur: Responsable | None
    niveau: int  # the highest level in the letter
    lignes: list[tuple[Facture, int, int]]  # (invoice, still due, level)
    date: dt.date

    @property
    def total(self) -> int:
        return sum(reste for _, reste, _ in self.lignes)


def lettres_relances(session: Session, relance_ids: list[int]) -> tuple[Regie, list[LettreRelance]]:
    """The letters of reminders just sent (titles to issue excluded), one per family."""
    liste = []
    for lot in par_lots(relance_ids, 5_000):
        liste += list(
            session.exec(
                select(Relance, Facture)
                .join(Facture, col(Facture.id) == col(Relance.facture_id))
                .where(col(Relance.id).in_(lot), col(Relance.niveau) < TITRE)
                .order_by(col(Facture.famille_id), col(Facture.date_echeance), col(Facture.numero))
            )
        )
    if not liste:
        raise ErreurMetier("Aucune lettre de relance à imprimer.")
    regie = session.get(Regie, liste[0][1].regie_id)
    if regie is None:
        raise ErreurMetier("Régie introuvable.")
    regie_id = id_de(regie)
    restes = restes_dus(session, [f for _, f in liste])
    familles_ids = sorted({f.famille_id for _, f in liste})
    familles = {
        id_de(f): f
        for lot in par_lots(familles_ids, 5_000)
        for f in session.exec(select(Famille).where(col(Famille.id).in_(lot)))
    }
    carnet = carnet_payeurs(session, familles_ids)
    groupes: dict[int, list[tuple[Relance, Facture]]] = defaultdict(list)
    for r, f in liste:
        groupes[f.famille_id].append((r, f))
    lettres = []
    for famille_id in familles_ids:
        paires = groupes[famille_id]
        jour = max(r.date for r, _ in paires)
        lettres.append(
            LettreRelance(
                famille=familles[famille_id],
                payeur=carnet.pour(famille_id, regie_id, dt.datetime.combine(jour, dt.time.max)),
                niveau=max(r.niveau for r, _ in paires),
                lignes=[(f, restes[id_de(f)], r.niveau) for r, f in paires],
                date=jour,
            )
        )
    return regie, lettres


def relances_de_la_famille(
    session: Session, famille_id: int, au: dt.date | None = None
) -> dict[int, int]:
    """The last reminder level of each invoice of a family that has one, sent on or before
    `au` (for Accueil)."""
    requete = select(Relance.facture_id, func.max(Relance.niveau))
    return dict(
        session.exec(
            requete.join(Facture, col(Facture.id) == col(Relance.facture_id))
            .where(Facture.famille_id == famille_id, Relance.date <= (au or dt.date.max))
            .group_by(col(Relance.facture_id))
        ).all()
    )
