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
from data import reference as ref_data
from data.caisse import clore_journees
from data.generateur import ETAPE_FAMILLES, ETAPE_QUOTIENTS, Generateur
from data.regie_cycle import installer_cycle_regie
from modele.agents import Role, creer_agent, hacher_mot_de_passe
from modele.base import Canal, Contexte, Progression, annee_scolaire
from modele.demandes import Demande
from modele.facturation import Facture, Tarif
from modele.famille import Enfant, Famille, Responsable
from modele.journal import Journal
from modele.messages import Message, ModeleMessage
from modele.planning import Consommation, Inscription, PeriodeCalendrier, TypeCalendrier
from modele.quotient import QuotientFamilial
from modele.reglements import Reglement
from modele.structure import Collectivite, Document, Regie

# Staff accounts: (identifiant, mot de passe, rôle, nom, prénom).
AGENTS = (
    ("accueil", "Accueil2026", Role.ACCUEIL, "MARTIN", "Sophie"),
    ("regie", "Regie2026", Role.REGISSEUR, "GARCIA", "Karim"),
    ("admin", "Admin2026", Role.ADMIN, "LEFEBVRE", "Nathalie"),
)
# Every family's portal password in the demo (one hash shared by all: argon2 is slow).
MOT_DE_PASSE_FAMILLES = "Famille2026"

DOCUMENTS = (
    (
        "Infos./Documents",
        "Règlement intérieur des accueils périscolaires et de loisirs",
        "Horaires, inscriptions, réservations, absences et facturation.",
        "reglement-interieur.pdf",
    ),
    (
        "Infos./Documents",
        "Menus de la restauration scolaire",
        "Menus du mois en cours.",
        "menus.pdf",
    ),
    (
        "Infos./Documents",
        "Tarifs et tranches de quotient familial",
        "Les tarifs de l'année scolaire par tranche.",
        "tarifs.pdf",
    ),
    (
        "Formulaires",
        "Fiche d'inscription",
        "Fiche d'inscription pour la rentrée scolaire.",
        "fiche-inscription.pdf",
    ),
    (
        "Formulaires",
        "Fiche sanitaire de liaison",
        "À remplir pour chaque enfant.",
        "fiche-sanitaire.pdf",
    ),
    (
        "Formulaires",
        "Mandat de prélèvement SEPA",
        "Pour payer les factures par prélèvement.",
        "mandat-sepa.pdf",
    ),
)

MODELES_MESSAGES = (
    (
        "Réservation prise en compte",
        "Votre demande de réservation",
        "Bonjour {famille},\nVotre demande de réservation pour {enfant} a bien été prise en "
        "compte.\nCordialement,\nLe service enfance",
    ),
    (
        "Absence enregistrée",
        "Absence de {enfant}",
        "Bonjour {famille},\nL'absence de {enfant} a bien été enregistrée. Pour une absence pour "
        "maladie, merci de nous transmettre le certificat médical.\nLe service enfance",
    ),
    (
        "Relance facture",
        "Facture impayée",
        "Bonjour {famille},\nSauf erreur de notre part, votre facture reste impayée à ce jour. "
        "Merci de la régler au guichet ou en ligne.\nLe service enfance",
    ),
    (
        "Quotient familial",
        "Mise à jour de votre quotient familial",
        "Bonjour {famille},\nLes mises à jour du quotient familial sont à faire en septembre et en "
        "février. Sans mise à jour, la tranche tarifaire maximale sera appliquée.\n"
        "Le service enfance",
    ),
)


# The demo's own steps, as its progress shows them (data.generateur names the others).
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


class Horloge:
    """A counter clock: each reading is a little later on the day it was set to."""

    PAS = dt.timedelta(milliseconds=250)

    def __init__(self) -> None:
        self.courant = dt.datetime(2014, 9, 1, 8)

    def regler(self, jour: dt.date, heure: int = 8) -> None:
        debut = dt.datetime.combine(jour, dt.time(heure))
        if jour != self.courant.date() or debut > self.courant:
            self.courant = debut

    def __call__(self) -> dt.datetime:
        self.courant += self.PAS
        return self.courant


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
    debut_chrono = time.perf_counter()
    reference = reference or dt.date.today()
    rng = random.Random(graine)
    faker = Faker("fr_FR")
    faker.seed_instance(graine)
    horloge = Horloge()
    agents: dict[str, int] = {}
    etapes: dict[str, float] = {}
    top = [time.perf_counter()]

    def etape(nom: str) -> None:
        maintenant = time.perf_counter()
        etapes[nom] = round(maintenant - top[0], 2)
        top[0] = maintenant

    def avancer(nom: str, fait: int, total: int | None) -> None:
        if progression is not None:
            progression(nom, fait, total)

    def contexte(
        jour: dt.date,
        canal: Canal = Canal.SYSTEME,
        agent_id: int | None | str = "admin",
        heure: int = 8,
    ) -> Contexte:
        horloge.regler(jour, heure)
        agent = agents.get(agent_id) if isinstance(agent_id, str) else agent_id
        # Without an agent, the demo's own system context (a family online, a direct debit).
        tache = "" if agent is not None else "démo"
        return Contexte(agent_id=agent, canal=canal, aujourdhui=jour, horloge=horloge, tache=tache)

    with Session(engine, expire_on_commit=False) as session:
        avancer(ETAPE_REFERENCE, 0, None)
        if engine.dialect.name == "sqlite":  # a town's 20 million cells: a large page cache
            session.connection().exec_driver_sql("PRAGMA cache_size = -262144")
        commune = Collectivite(
            nom="Commune de Sant-Jean",
            adresse="Place de la Mairie, 31400 SANT - JEAN",
            siret="21310999400011",  # fictitious, Luhn-valid: API Particulier's "recipient"
            message_accueil="Bienvenue sur le Portail Famille",
            zone_scolaire=zone.upper(),
            contact_portail="04.68.28.78.19 - portailfamille@sant-jean.fr",
            contact_factures="04.68.57.95.96 - regie@sant-jean.fr",
            contact_inscriptions="Contactez la structure d'accueil de votre enfant : "
            "Accueil de Loisirs 05.61.00.12.34, Garderie 05.61.00.12.35",
        )
        session.add(commune)
        session.flush()
        session.add_all(
            [
                Document(
                    collectivite_id=commune.id,
                    categorie=c,
                    titre=t,
                    description=d,
                    lien=f"https://www.sant-jean.fr/enfance/{fichier}",
                )
                for c, t, d, fichier in DOCUMENTS
            ]
        )
        regie = Regie(
            collectivite_id=commune.id,
            code="AL",
            libelle="Régie garderie ALSH",
            encaissement_tresorerie=False,
            jours_echeance=22,
            modalites_paiement="Chèque à l'ordre du Trésor public, espèces, carte "
            "bancaire, paiement en ligne, prélèvement, virement, CESU",
        )
        session.add(regie)
        session.flush()
        for identifiant, mot_de_passe, role, nom, prenom in AGENTS:
            agents[identifiant] = creer_agent(
                session, identifiant, nom, prenom, role, mot_de_passe
            ).id
        session.add_all([ModeleMessage(titre=t, sujet=s, corps=c) for t, s, c in MODELES_MESSAGES])

        activites = ref_data.installer_activites(session, regie.id)
        par_code = {a.code: a for a in activites}
        tranches = ref_data.installer_tranches(session)
        annees = ref_data.annees_calendrier(reference)
        suivant = reference.replace(day=28) + dt.timedelta(days=10)
        derniere = max(annees[-1], annee_scolaire(suivant))
        ref_data.installer_tarifs(session, activites, tranches, derniere)
        incompletes = ref_data.installer_calendrier(session, annees, zone)
        etape("reference")

        avancer(ETAPE_GRAINES, 0, 2)
        hash_portail = hacher_mot_de_passe(MOT_DE_PASSE_FAMILLES)
        graines.creer_dupont(session, contexte, regie, par_code, hash_portail)
        avancer(ETAPE_GRAINES, 1, 2)
        bertrand, (antoine, _), enfants_bertrand = graines.creer_bertrand(
            session, contexte, tranches, hash_portail
        )
        avancer(ETAPE_GRAINES, 2, 2)
        etape("graines")

        generateur = Generateur(
            session,
            rng,
            faker,
            reference,
            contexte,
            regie,
            par_code,
            tranches,
            agents,
            hash_portail,
        )
        generateur.progression = progression
        generees = generateur.familles(familles, {graines.NUMERO_DUPONT, graines.NUMERO_BERTRAND})
        toutes = [generateur.famille_graine(bertrand, antoine, enfants_bertrand)] + generees
        session.flush()
        avancer(ETAPE_FAMILLES, len(generees), len(generees))
        etape("familles")
        if familles_seules:  # the steps below then have no family to work on
            toutes = []
        periodes = list(session.exec(select(PeriodeCalendrier)))
        generateur.planning(toutes, periodes)
        etape("planning")
        generateur.quotients(toutes)
        avancer(ETAPE_QUOTIENTS, len(toutes), len(toutes))
        etape("quotients")
        feries = {p.debut for p in periodes if p.type == TypeCalendrier.FERIE}
        generateur.payeur_conjoint(generees)
        generateur.facturation(toutes, feries)
        generateur.vitrine_regie(generees, feries)
        etape("facturation")
        installer_cycle_regie(session, regie, reference, contexte)
        etape("relances, mandats")
        clore_journees(session, regie, reference, contexte, agents["regie"])
        etape("caisse")
        avancer(ETAPE_DEMANDES, 0, None)
        avancer(ETAPE_DEMANDES, generateur.demandes_fiche(toutes), None)
        avancer(ETAPE_MESSAGES, 0, None)
        avancer(ETAPE_MESSAGES, generateur.messages(toutes), None)
        session.commit()
        etape("demandes, messages")
        avancer(ETAPE_ANALYSE, 0, None)
        if engine.dialect.name == "sqlite":
            # Statistics for the query planner: the indexes the screens need are chosen.
            with engine.begin() as connexion:
                # Sampled statistics (a town's 20 million cells need not all be read).
                connexion.exec_driver_sql("PRAGMA analysis_limit = 2000")
                connexion.exec_driver_sql("ANALYZE")
        else:  # (autovacuum would analyse later: the first searches without statistics)
            with engine.begin() as connexion:
                connexion.exec_driver_sql("ANALYZE")
        etape("analyse")

        stats = StatsDemo(annees_incompletes=incompletes, etapes=etapes)
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
    stats.duree = round(time.perf_counter() - debut_chrono, 2)
    return stats
