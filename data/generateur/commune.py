"""Step « reference »: the commune of Sant-Jean, its régie, staff accounts, documents and
message models, then the reference data (activities, QF brackets, tariffs, calendar)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from data import reference as ref_data
from modele.agents import Role, creer_agent
from modele.base import Contexte, annee_scolaire
from modele.messages import ModeleMessage
from modele.planning import Activite
from modele.quotient import TrancheQF
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


@dataclass
class Commune:
    """What the reference step made, for the steps after it."""

    regie: Regie
    activites: dict[str, Activite]  # by code
    tranches: list[TrancheQF]
    agents: dict[str, int]  # identifiant -> id
    annees_incompletes: list[int]  # school years whose holiday data is missing


def installer_commune(session: Session, reference: dt.date, zone: str) -> Commune:
    """The commune and its régie, staff, documents and message models, then the reference
    data up to the school year after next month."""
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
    agents = {
        identifiant: creer_agent(
            session,
            Contexte.systeme("démo", reference),
            identifiant,
            nom,
            prenom,
            role,
            mot_de_passe,
        ).id
        for identifiant, mot_de_passe, role, nom, prenom in AGENTS
    }
    session.add_all([ModeleMessage(titre=t, sujet=s, corps=c) for t, s, c in MODELES_MESSAGES])
    return _reference(session, reference, zone, regie, agents)


def _reference(
    session: Session, reference: dt.date, zone: str, regie: Regie, agents: dict[str, int]
) -> Commune:
    activites = ref_data.installer_activites(session, regie.id)
    tranches = ref_data.installer_tranches(session)
    annees = ref_data.annees_calendrier(reference)
    suivant = reference.replace(day=28) + dt.timedelta(days=10)
    derniere = max(annees[-1], annee_scolaire(suivant))
    ref_data.installer_tarifs(session, activites, tranches, derniere)
    incompletes = ref_data.installer_calendrier(session, annees, zone)
    return Commune(regie, {a.code: a for a in activites}, tranches, agents, incompletes)
