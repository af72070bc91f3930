"""What the family file shows: the header, the Accueil tab (rule 2), per-tab read queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from modele.base import annee_scolaire, id_de
from modele.famille import carnet_payeurs, enfants, enfants_visibles, responsables
from modele.formats import date_longue, nouveaux_messages
from modele.messages import nombre_non_lus
from modele.reglements import Impayee, factures_impayees, regies_tresorerie, solde_du_jour
from modele.relances import relances_de_la_famille
from modele.structure import collectivite
from modele.tables.demandes import Demande
from modele.tables.famille import Enfant, Famille, Payeur, PersonneAutorisee, Responsable
from modele.tables.planning import Activite, Inscription
from modele.tables.quotient import QuotientFamilial, TrancheQF
from modele.tables.structure import Collectivite, Document, Regie


@dataclass(frozen=True)
class EnTete:
    famille: Famille
    responsable: Responsable | None
    conjoint: Responsable | None
    non_lus: int
    jour: dt.date

    @property
    def designation(self) -> str:
        """ "DUPONT JEAN — n° 1001001818331": the family named on its file and dialogs."""
        nom = self.responsable.nom_prenom if self.responsable else ""
        return f"{nom} — n° {self.famille.numero}"

    @property
    def bienvenue(self) -> str:
        """ "Bienvenue JEAN DUPONT, vous avez 1 nouveau message — lundi 4 mai 2015"."""
        qui = ""
        if self.responsable:
            qui = f"{self.responsable.premier_prenom} {self.responsable.nom}".upper()
        return f"Bienvenue {qui}, {nouveaux_messages(self.non_lus)} — {date_longue(self.jour)}"


@dataclass(frozen=True)
class PayeurRegie:
    """Who pays one régie's invoices (Mon compte), and since when (None: by default)."""

    regie: str
    payeur: Responsable | None
    depuis: dt.datetime | None


def payeurs_famille(session: Session, famille_id: int, moment: dt.datetime) -> list[PayeurRegie]:

    carnet = carnet_payeurs(session, [famille_id])
    dates = {
        p.regie_id: p.depuis
        for p in session.exec(
            select(Payeur)
            .where(Payeur.famille_id == famille_id, Payeur.depuis <= moment)
            .order_by(col(Payeur.depuis), col(Payeur.id))
        )
    }
    return [
        PayeurRegie(r.libelle, carnet.pour(famille_id, id_de(r), moment), dates.get(id_de(r)))
        for r in session.exec(select(Regie).order_by(Regie.code))
    ]


def entete(session: Session, famille_id: int, jour: dt.date) -> EnTete:
    famille = session.get_one(Famille, famille_id)
    responsable, conjoint = responsables(session, famille_id)
    return EnTete(famille, responsable, conjoint, nombre_non_lus(session, famille_id), jour)


@dataclass(frozen=True)
class VueAccueil:
    entete: EnTete
    solde: int
    impayees: list[Impayee]
    collectivite: Collectivite
    documents: list[Document]
    enfants: list[Enfant]
    relances: dict[int, int]  # last reminder level sent, by unpaid invoice id
    tresorerie: list[Regie]  # régies whose balance the Trésorerie follows (not this app)

    @property
    def total_impayes(self) -> int:
        return sum(i.reste_du for i in self.impayees)


def accueil(session: Session, famille_id: int, jour: dt.date) -> VueAccueil:
    """Rule 2, at `jour`: balance, unpaid invoices, the collectivité's message and documents."""
    structure = collectivite(session)
    documents = list(
        session.exec(
            select(Document)
            .where(Document.collectivite_id == structure.id)
            .order_by(Document.categorie, Document.titre)
        )
    )
    return VueAccueil(
        entete(session, famille_id, jour),
        solde_du_jour(session, famille_id, jour),
        factures_impayees(session, famille_id, jour),
        structure,
        documents,
        enfants(session, famille_id),
        relances_de_la_famille(session, famille_id, jour),
        regies_tresorerie(session),
    )


def inscriptions(session: Session, enfant_ids: list[int], annee: int) -> dict[int, list[Activite]]:
    """The activities each child is enrolled in for a school year."""
    trouvees: dict[int, list[Activite]] = {i: [] for i in enfant_ids}
    for inscription, activite in session.exec(
        select(Inscription, Activite)
        .join(Activite, col(Activite.id) == Inscription.activite_id)
        .where(col(Inscription.enfant_id).in_(enfant_ids), Inscription.annee_scolaire == annee)
        .order_by(col(Activite.ordre))
    ):
        trouvees[inscription.enfant_id].append(activite)
    return trouvees


def quotients(session: Session, famille_id: int) -> list[tuple[QuotientFamilial, TrancheQF | None]]:
    """The family's QF rows, most recent first, with their bracket."""
    return list(
        session.exec(
            select(QuotientFamilial, TrancheQF)
            .join(TrancheQF, col(TrancheQF.id) == QuotientFamilial.tranche_id, isouter=True)
            .where(QuotientFamilial.famille_id == famille_id)
            .order_by(col(QuotientFamilial.valide_du).desc(), col(QuotientFamilial.id).desc())
        ).all()
    )


def demandes_recentes(session: Session, famille_id: int, depuis: dt.date) -> list[Demande]:
    return list(
        session.exec(
            select(Demande)
            .where(
                Demande.famille_id == famille_id,
                Demande.cree_le >= dt.datetime.combine(depuis, dt.time()),
            )
            .order_by(col(Demande.cree_le).desc())
        ).all()
    )


def annee_de_la_fiche(jour: dt.date) -> int:
    """The school year a registration form is for: the coming rentrée from March on."""

    courante = annee_scolaire(jour)
    return courante + 1 if 3 <= jour.month <= 8 else courante


@dataclass(frozen=True)
class DonneesFiche:
    """Everything the "Fiche d'inscription" prints, blank or for one child."""

    collectivite: Collectivite
    annee: int
    activites: list[Activite]
    enfant: Enfant | None
    famille: Famille | None
    responsables: tuple[Responsable | None, Responsable | None]
    personnes: list
    activites_choisies: set[int]


def donnees_fiche(
    session: Session,
    famille_id: int | None,
    enfant_id: int | None,
    jour: dt.date,
    agent_id: int | None = None,
) -> DonneesFiche:
    annee = annee_de_la_fiche(jour)
    activites = list(
        session.exec(select(Activite).where(Activite.actif == True).order_by(col(Activite.ordre)))
    )
    if enfant_id is None:
        return DonneesFiche(
            collectivite(session),
            annee,
            activites,
            None,
            session.get(Famille, famille_id) if famille_id else None,
            responsables(session, famille_id) if famille_id else (None, None),
            [],
            set(),
        )

    [enfant] = enfants_visibles(session, agent_id, [session.get_one(Enfant, enfant_id)])
    personnes = list(
        session.exec(select(PersonneAutorisee).where(PersonneAutorisee.enfant_id == enfant_id))
    )
    choisies = {
        i.activite_id
        for i in session.exec(
            select(Inscription).where(
                Inscription.enfant_id == enfant_id,
                col(Inscription.annee_scolaire).in_([annee - 1, annee]),
            )
        )
    }
    return DonneesFiche(
        collectivite(session),
        annee,
        activites,
        enfant,
        session.get(Famille, enfant.famille_id),
        responsables(session, enfant.famille_id),
        personnes,
        choisies,
    )


@dataclass(frozen=True)
class VueEnfants:
    """The Enfants tab: the children as this agent may see them, their enrolments of the
    year, the people allowed to collect each."""

    enfants: dict[int, Enfant]
    inscriptions: dict[int, list[Activite]]
    personnes: dict[int, list[PersonneAutorisee]]


def vue_enfants(session: Session, famille_id: int, agent_id: int | None, annee: int) -> VueEnfants:
    visibles = {
        id_de(e): e for e in enfants_visibles(session, agent_id, enfants(session, famille_id))
    }
    personnes: dict[int, list[PersonneAutorisee]] = {i: [] for i in visibles}
    for p in session.exec(
        select(PersonneAutorisee).where(col(PersonneAutorisee.enfant_id).in_(list(visibles)))
    ):
        personnes[p.enfant_id].append(p)
    return VueEnfants(visibles, inscriptions(session, list(visibles), annee), personnes)
