"""Step « demandes »: requests on the family file and the children, of the last weeks,
in every status, made and decided through the model's own rules."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from data import noms
from data.generateur.atelier import Atelier, FamilleGen
from data.generateur.identites import adresse, compte_bancaire, email, telephone
from modele.base import Canal
from modele.demandes import (
    Demande,
    TypeDemande,
    accepter_demande,
    creer_demande,
    refuser_demande,
    retirer_demande,
)
from modele.famille import Enfant, Responsable

STATUTS = (
    "acceptee",
    "en_attente",
    "refusee",
    "retiree",
    "acceptee",
    "en_attente",
    "acceptee",
    "refusee",
)
TYPES = (
    TypeDemande.RESPONSABLE,
    TypeDemande.BANCAIRES,
    TypeDemande.SANITAIRES,
    TypeDemande.CONJOINT,
    TypeDemande.AUTORISATIONS,
    TypeDemande.FISCALES,
    TypeDemande.CAF,
    TypeDemande.AJOUT_ENFANT,
)

# (new values, the child's id for a child's request, a reason to refuse it)
Valeurs = tuple[dict, int | None, str]


def generer_demandes(a: Atelier, familles: list[FamilleGen]) -> int:
    """Requests on the family file and the children, of the last weeks, in every status;
    returns how many were made (one of each type per family at most)."""
    if not familles:
        return 0
    faites = set()
    for creee, famille, type_demande, statut in _taches(a, familles):
        if (famille.id, type_demande) in faites:
            continue
        faites.add((famille.id, type_demande))
        nouvelles, enfant_id, motif = _nouvelles_valeurs(a, famille, type_demande)
        par_telephone = a.rng.random() < 0.2
        contexte = a.contexte(
            creee,
            Canal.TELEPHONE if par_telephone else Canal.PORTAIL,
            a.agents["accueil"] if par_telephone else None,
            heure=a.rng.randint(8, 20),
        )
        demande = creer_demande(
            a.session, contexte, famille.id, type_demande, nouvelles, enfant_id=enfant_id
        )
        _decider(a, demande, type_demande, creee, statut, motif)
    return len(faites)


def _taches(a: Atelier, familles: list[FamilleGen]) -> list[tuple]:
    """(day made, family, type, status to reach) in the order they are made: types and
    statuses in turn over families drawn, a type the family cannot ask replaced."""
    r, ref = a.rng, a.reference
    nombre = max(8, len(familles) * 6 // 100)
    choisies = r.sample(familles, min(len(familles), nombre))
    taches = []
    for i in range(nombre):
        famille = choisies[i % len(choisies)]
        type_demande = TYPES[i % len(TYPES)]
        if type_demande == TypeDemande.CONJOINT and not famille.conjoint:
            type_demande = TypeDemande.FISCALES
        enfant = type_demande in (TypeDemande.SANITAIRES, TypeDemande.AUTORISATIONS)
        if enfant and not famille.enfants:
            type_demande = TypeDemande.CAF
        creee = ref - dt.timedelta(days=r.randint(1, 27))
        taches.append((creee, famille, type_demande, STATUTS[i % len(STATUTS)]))
    return sorted(taches, key=lambda t: (t[0], t[1].id))


def _decider(
    a: Atelier,
    demande: Demande,
    type_demande: TypeDemande,
    creee: dt.date,
    statut: str,
    motif: str,
) -> None:
    """Accepted or refused by the service within four days, withdrawn by the family, or
    left pending (a child's addition is never accepted here: it needs the family)."""
    decision = min(creee + dt.timedelta(days=a.rng.randint(0, 4)), a.reference)
    # Health data is decided by the administrator (the régisseur may not see it).
    qui = "admin" if type_demande == TypeDemande.SANITAIRES else "regie"
    decideur = a.contexte(decision, Canal.GUICHET, a.agents[qui], heure=15)
    if statut == "acceptee" and type_demande != TypeDemande.AJOUT_ENFANT:
        accepter_demande(a.session, decideur, demande)  # re-indexes names, phones
    elif statut == "refusee":
        refuser_demande(a.session, decideur, demande, motif)
    elif statut == "retiree":
        retirer_demande(a.session, a.contexte(decision, Canal.PORTAIL, None, heure=18), demande)


def _nouvelles_valeurs(a: Atelier, famille: FamilleGen, type_demande: TypeDemande) -> Valeurs:
    r = a.rng
    if type_demande in (TypeDemande.RESPONSABLE, TypeDemande.CONJOINT):
        return _valeurs_personne(a, famille, type_demande)
    if type_demande == TypeDemande.BANCAIRES:
        iban, bic, banque = compte_bancaire(a)
        return (
            dict(
                titulaire_compte=famille.nom,
                iban=iban,
                bic=bic,
                nom_banque=banque,
                prelevement=True,
            ),
            None,
            "RIB illisible : merci de joindre un RIB au format PDF.",
        )
    if type_demande == TypeDemande.FISCALES:
        return (
            dict(
                revenu_fiscal_reference=r.randint(150, 900) * 10000,
                nombre_parts=r.choice(("2", "2,5", "3", "3,5")),
                annee_revenus=a.annee,
            ),
            None,
            "Avis d'imposition manquant.",
        )
    if type_demande == TypeDemande.CAF:
        return (
            dict(
                organisme="MSA" if famille.organisme == "CAF" else "CAF",
                numero_allocataire=f"{r.randrange(10**6, 10**7)}",
            ),
            None,
            "Le numéro d'allocataire ne correspond à aucun dossier.",
        )
    if type_demande == TypeDemande.AJOUT_ENFANT:
        sexe = r.choice("MF")
        prenom = r.choice(noms.PRENOMS_FILLES if sexe == "F" else noms.PRENOMS_GARCONS)
        naissance = a.reference - dt.timedelta(days=r.randint(800, 1100))
        return (
            dict(nom=famille.nom.split()[0], prenoms=prenom, sexe=sexe, date_naissance=naissance),
            None,
            "Merci de prendre rendez-vous avec le service pour l'inscription.",
        )
    return _valeurs_enfant(a, famille, type_demande)


def _valeurs_personne(a: Atelier, famille: FamilleGen, type_demande: TypeDemande) -> Valeurs:
    """The responsable moves (address, home phone); the conjoint changes mobile and e-mail."""
    personne = a.session.exec(
        select(Responsable).where(
            Responsable.famille_id == famille.id, Responsable.role == type_demande.value
        )
    ).one()
    if type_demande == TypeDemande.RESPONSABLE:
        nouvelles = adresse(a, a.rng.random() < 0.7) | dict(telephone_domicile=telephone(a, "05"))
        return nouvelles, None, "Justificatif de domicile manquant."
    nouvelles = dict(
        mobile=telephone(a, "07"),
        email=email(a, personne.prenoms, personne.nom + "-pro"),
    )
    return nouvelles, None, "Adresse e-mail invalide."


def _valeurs_enfant(a: Atelier, famille: FamilleGen, type_demande: TypeDemande) -> Valeurs:
    """A child's authorisation turned over, or an allergy with its PAI and doctor."""
    enfant = famille.enfants[a.rng.randrange(len(famille.enfants))]
    actuel = a.session.get(Enfant, enfant.id)
    assert actuel is not None
    if type_demande == TypeDemande.AUTORISATIONS:
        return (
            dict(autorisation_photo=not actuel.autorisation_photo),
            enfant.id,
            "Autorisation signée des deux parents requise.",
        )
    allergie = next(x for x in noms.ALLERGIES if x != actuel.allergies)
    return (
        dict(allergies=allergie, pai=True, medecin=f"Dr {a.faker.last_name().upper()}"),
        enfant.id,
        "Le PAI doit être signé par le médecin scolaire.",
    )
