"""A minimal hand-made database for the rule tests (no demo generator involved)."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlmodel import Session

from modele.base import Canal, Contexte
from modele.facturation import Facture, Tarif, factures
from modele.famille import Enfant, Famille, Responsable
from modele.planning import Activite, Consommation, EtatConsommation
from modele.quotient import TrancheQF
from modele.recherche import indexer_famille
from modele.reglements import facturer_mois
from modele.structure import Collectivite, Regie


def contexte(jour: dt.date = dt.date(2026, 11, 27), canal: Canal = Canal.GUICHET) -> Contexte:
    compteur = itertools.count()
    return Contexte.systeme(
        "tests",
        jour,
        lambda: dt.datetime.combine(jour, dt.time(9)) + dt.timedelta(seconds=next(compteur)),
    ).avec(canal=canal)


def agent(session: Session, role: str) -> int:
    """An active agent of this role (no password: argon2 is not needed here); its id."""
    from modele.agents import Agent

    fiche = Agent(
        identifiant=f"t-{role}", nom="TEST", prenom=role, role=role, mot_de_passe_hash="-"
    )
    session.add(fiche)
    session.flush()
    return fiche.id


def structure(session: Session) -> tuple[Regie, Activite, list[TrancheQF]]:
    c = Collectivite(nom="Commune test")
    session.add(c)
    session.flush()
    regie = Regie(collectivite_id=c.id, code="AL", libelle="Régie garderie ALSH")
    session.add(regie)
    session.flush()
    cantine = Activite(
        regie_id=regie.id,
        code="CANTINE",
        structure="Garderie périscolaire",
        libelle="Restauration scolaire",
        jours="1245",
        restauration=True,
    )
    session.add(cantine)
    tranches = [
        TrancheQF(numero=1, libelle="Tranche 1", qf_min=0, qf_max=50000),
        TrancheQF(numero=2, libelle="Tranche 2", qf_min=50001, qf_max=None),
    ]
    session.add_all(tranches)
    session.flush()
    session.add(
        Tarif(
            activite_id=cantine.id,
            tranche_id=tranches[0].id,
            prix_unitaire=250,
            valide_du=dt.date(2000, 1, 1),
        )
    )
    session.add(
        Tarif(
            activite_id=cantine.id,
            tranche_id=tranches[1].id,
            prix_unitaire=405,
            valide_du=dt.date(2000, 1, 1),
        )
    )
    session.flush()
    return regie, cantine, tranches


def famille(
    session: Session,
    numero: str = "1000000000001",
    nom: str = "MARTIN",
    prenom: str = "Élodie",
    enfant: str = "Léo",
) -> tuple[Famille, Enfant]:
    f = Famille(numero=numero)
    session.add(f)
    session.flush()
    session.add(
        Responsable(
            famille_id=f.id,
            nom=nom,
            prenoms=prenom,
            civilite="Madame",
            telephone_domicile="04 90 83 54 58",
            ville="LILLE",
        )
    )
    e = Enfant(
        famille_id=f.id,
        nom=nom,
        prenoms=enfant,
        date_naissance=dt.date(2017, 2, 28),
        niveau="elementaire",
    )
    session.add(e)
    session.flush()
    indexer_famille(session, f.id)
    return f, e


def jours(
    enfant: Enfant,
    activite: Activite,
    dates: list[dt.date],
    etat: EtatConsommation = EtatConsommation.PRESENT,
) -> list[Consommation]:
    return [
        Consommation(enfant_id=enfant.id, activite_id=activite.id, jour=d, etat=etat.value)
        for d in dates
    ]


def facturer(
    session: Session,
    contexte: Contexte,
    regie_id: int,
    debut: dt.date,
    fin: dt.date,
    emission: dt.date,
    **options,
) -> list[Facture]:
    """The billing run (reglements.facturer_mois, the month confirmed when it is not over),
    and the invoices it issued, read back."""
    emises = facturer_mois(
        session, contexte, regie_id, debut, fin, emission, mois_en_cours=True, **options
    )
    return factures(session, [e.id for e in emises])
