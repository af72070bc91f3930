"""The demo data set: the commune of Sant-Jean, the guides' families and N generated ones.

`construire_demo` fills an empty, migrated database. It is deterministic for a given
(familles, graine, reference): one random.Random, one seeded Faker and a counter clock.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field

from faker import Faker
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from data import graines
from data.caisse import clore_journees
from data.generateur.atelier import Atelier, FamilleGen, Horloge
from data.generateur.commune import AGENTS, MOT_DE_PASSE_FAMILLES, installer_commune
from data.generateur.demandes import generer_demandes
from data.generateur.facturation import generer_facturation
from data.generateur.familles import ETAPE_FAMILLES, famille_graine, generer_familles
from data.generateur.messages import generer_messages
from data.generateur.planning import generer_planning
from data.generateur.quotients import ETAPE_QUOTIENTS, generer_quotients
from data.regie_cycle import installer_cycle_regie
from modele.agents import hacher_mot_de_passe
from modele.base import Progression
from modele.demandes import Demande
from modele.facturation import Facture, Tarif
from modele.famille import Enfant, Famille, Responsable
from modele.journal import Journal
from modele.messages import Message
from modele.planning import Consommation, Inscription, PeriodeCalendrier, TypeCalendrier
from modele.quotient import QuotientFamilial
from modele.reglements import Reglement

__all__ = ["AGENTS", "StatsDemo", "construire_demo"]

# The demo's own steps, as its progress shows them (data.generateur's modules name the
# others).
ETAPE_REFERENCE = "Données de référence"
ETAPE_GRAINES = "Familles des guides"
ETAPE_DEMANDES = "Demandes sur les fiches"
ETAPE_MESSAGES = "Messages"
ETAPE_ANALYSE = "Statistiques de la base"


@dataclass
class StatsDemo:
    """What the demo holds, counted in the database once it is built."""

    familles: int = 0
    responsables: int = 0
    enfants: int = 0
    inscriptions: int = 0
    consommations: int = 0
    factures: int = 0
    reglements: int = 0
    quotients: int = 0
    demandes: int = 0
    messages: int = 0
    periodes: int = 0
    tarifs: int = 0
    journal: int = 0
    annees_incompletes: list[int] = field(default_factory=list)  # calendar data missing
    duree: float = 0.0  # seconds
    etapes: dict[str, float] = field(default_factory=dict)  # seconds per step


def construire_demo(
    engine: Engine,
    familles: int = 300,
    graine: int = 0,
    reference: dt.date | None = None,
    zone: str = "C",
    progression: Progression | None = None,
    familles_seules: bool = False,
) -> StatsDemo:
    """Fill an empty migrated database with the demo; returns what it holds.

    `progression` is told of each step (reference data, families, planning, billing,
    requests…) with its count done and its total. `familles_seules`: the reference data and
    the families only (no planning, invoices, requests or messages of theirs), e.g. to compare
    searches on two engines."""
    chrono = _Chrono()
    reference = reference or dt.date.today()
    rng = random.Random(graine)
    faker = Faker("fr_FR")
    faker.seed_instance(graine)
    avancer = progression or (lambda _etape, _fait, _total: None)
    with Session(engine, expire_on_commit=False) as session:
        avancer(ETAPE_REFERENCE, 0, None)
        if engine.dialect.name == "sqlite":  # a town's 20 million cells: a large page cache
            session.connection().exec_driver_sql("PRAGMA cache_size = -262144")
        commune = installer_commune(session, reference, zone)
        chrono.etape("reference")

        avancer(ETAPE_GRAINES, 0, 2)
        hash_portail = hacher_mot_de_passe(MOT_DE_PASSE_FAMILLES)
        a = Atelier(
            session,
            rng,
            faker,
            reference,
            Horloge(),
            commune.regie,
            commune.activites,
            commune.tranches,
            commune.agents,
            hash_portail,
            progression,
        )
        bertrand = _graines(a, avancer)
        chrono.etape("graines")

        generees = generer_familles(a, familles, {graines.NUMERO_DUPONT, graines.NUMERO_BERTRAND})
        toutes = [famille_graine(a, *bertrand)] + generees
        session.flush()
        avancer(ETAPE_FAMILLES, len(generees), len(generees))
        chrono.etape("familles")
        if familles_seules:  # the steps below then have no family to work on
            toutes = []
        _annees_generees(a, toutes, generees, chrono)
        session.commit()
        chrono.etape("demandes, messages")

        avancer(ETAPE_ANALYSE, 0, None)
        _analyser(engine)
        chrono.etape("analyse")
        stats = _compter(session)
    stats.annees_incompletes = commune.annees_incompletes
    stats.etapes = chrono.etapes
    stats.duree = chrono.duree()
    return stats


def _graines(a: Atelier, avancer: Progression) -> tuple[Famille, Responsable, list[Enfant]]:
    """The guides' two families; returns BERTRAND's (family, responsable, children), who
    joins the generated years."""
    graines.creer_dupont(a.session, a.contexte, a.regie, a.activites, a.hash_portail)
    avancer(ETAPE_GRAINES, 1, 2)
    bertrand, (antoine, _), enfants = graines.creer_bertrand(
        a.session, a.contexte, a.tranches, a.hash_portail
    )
    avancer(ETAPE_GRAINES, 2, 2)
    return bertrand, antoine, enfants


class _Chrono:
    """Seconds per step, as StatsDemo.etapes keeps them."""

    def __init__(self) -> None:
        self.debut = self.top = time.perf_counter()
        self.etapes: dict[str, float] = {}

    def etape(self, nom: str) -> None:
        maintenant = time.perf_counter()
        self.etapes[nom] = round(maintenant - self.top, 2)
        self.top = maintenant

    def duree(self) -> float:
        return round(time.perf_counter() - self.debut, 2)


def _annees_generees(
    a: Atelier, toutes: list[FamilleGen], generees: list[FamilleGen], chrono: _Chrono
) -> None:
    """The years the families lived: planning, QF, billing and payments, the régie's
    reminders and closed days, requests on the files, messages."""
    periodes = list(a.session.exec(select(PeriodeCalendrier)))
    generer_planning(a, toutes, periodes)
    chrono.etape("planning")
    generer_quotients(a, toutes)
    a.avancer(ETAPE_QUOTIENTS, len(toutes), len(toutes))
    chrono.etape("quotients")
    feries = {p.debut for p in periodes if p.type == TypeCalendrier.FERIE}
    generer_facturation(a, toutes, generees, feries)
    chrono.etape("facturation")
    installer_cycle_regie(a.session, a.regie, a.reference, a.contexte)
    chrono.etape("relances, mandats")
    clore_journees(a.session, a.regie, a.reference, a.contexte, a.agents["regie"])
    chrono.etape("caisse")
    a.avancer(ETAPE_DEMANDES, 0, None)
    a.avancer(ETAPE_DEMANDES, generer_demandes(a, toutes), None)
    a.avancer(ETAPE_MESSAGES, 0, None)
    a.avancer(ETAPE_MESSAGES, generer_messages(a, toutes), None)


def _analyser(engine: Engine) -> None:
    """Statistics for the query planner: the indexes the screens need are chosen."""
    with engine.begin() as connexion:
        if engine.dialect.name == "sqlite":
            # Sampled statistics (a town's 20 million cells need not all be read).
            connexion.exec_driver_sql("PRAGMA analysis_limit = 2000")
        # (on PostgreSQL autovacuum would analyse later: the first searches without them)
        connexion.exec_driver_sql("ANALYZE")


def _compter(session: Session) -> StatsDemo:
    stats = StatsDemo()
    for nom, modele in (
        ("familles", Famille),
        ("responsables", Responsable),
        ("enfants", Enfant),
        ("inscriptions", Inscription),
        ("consommations", Consommation),
        ("factures", Facture),
        ("reglements", Reglement),
        ("quotients", QuotientFamilial),
        ("demandes", Demande),
        ("messages", Message),
        ("periodes", PeriodeCalendrier),
        ("tarifs", Tarif),
        ("journal", Journal),
    ):
        setattr(stats, nom, session.exec(select(func.count()).select_from(modele)).one())
    return stats
