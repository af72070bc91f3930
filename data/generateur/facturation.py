"""Step « facturation »: each past month billed by the model's own billing run, then paid
(or not) by each family after its habits; around it, a payer who is the conjoint, a
booking accepted after its month was billed, a closure on a booked day and a credit paid
back (issue #14)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import col, select

from data import noms
from data.generateur.atelier import Atelier, FamilleGen, jour_ouvre_suivant, pondere
from modele.base import Canal, Contexte, fin_de_mois
from modele.calendrier import enregistrer_periode
from modele.demandes import accepter_demande
from modele.facturation import Facture
from modele.facturation import factures as factures_par_id
from modele.famille import Responsable, RoleResponsable, designer_payeur
from modele.planning import (
    Consommation,
    EtatConsommation,
    Inscription,
    PeriodeCalendrier,
    TypeCalendrier,
    jour_ouvert,
)
from modele.reglements import (
    ModeReglement,
    Paiement,
    credit_disponible,
    encaisser_en_masse,
    facturer_mois,
    rembourser_credit,
)
from modele.reservations import demander_reservation

E = EtatConsommation
ETAPE_FACTURATION = "Facturation (mois)"

Mois = tuple[dt.date, dt.date, dt.date]  # (first day, last day, day of issue)
# (day, invoice number, family, invoice, amount, mode, payment reference)
Reglement = tuple[dt.date, str, FamilleGen, Facture, int, ModeReglement, str]


def generer_facturation(
    a: Atelier, familles: list[FamilleGen], generees: list[FamilleGen], feries: set[dt.date]
) -> None:
    """The billing years of the demo (`generees`: the generated families, without the
    guides' seed family)."""
    payeur_conjoint(a, generees)
    facturer_les_mois(a, familles, feries)
    vitrine_regie(a, generees, feries)


def payeur_conjoint(a: Atelier, familles: list[FamilleGen]) -> None:
    """A family whose invoices go to the conjoint, not the first responsable: designated
    before the first month billed, so every invoice shows it (issue #14)."""
    for famille in familles:
        if not famille.conjoint:
            continue
        conjoint = a.session.exec(
            select(Responsable).where(
                Responsable.famille_id == famille.id,
                Responsable.role == RoleResponsable.CONJOINT,
            )
        ).first()
        if conjoint is None or not (conjoint.adresse and conjoint.code_postal):
            continue
        designer_payeur(
            a.session,
            a.contexte(a.debut - dt.timedelta(days=10), Canal.GUICHET, None, 9),
            famille.id,
            a.regie.id,
            conjoint.id,
        )
        return


def facturer_les_mois(a: Atelier, familles: list[FamilleGen], feries: set[dt.date]) -> None:
    """Each past month billed by the model's billing run on the 5th or so of the next
    month, then paid (or not) by each family after its habits."""
    par_id = {f.id: f for f in familles}
    mois = _mois_factures(a, feries)
    with a.index_apres("ix_jourfacture_facture_id"):
        for rang, (debut, fin, emission) in enumerate(mois):
            if rang and rang == len(mois) - 1:
                # a booking of the month before, accepted once that month was issued:
                # this last run bills it as a regularisation (issue #14)
                _acceptation_tardive(a, familles, *mois[rang - 1])
            a.avancer(ETAPE_FACTURATION, rang, len(mois))
            _facturer_mois(a, par_id, debut, fin, emission, feries)
    a.avancer(ETAPE_FACTURATION, len(mois), len(mois))


def _mois_factures(a: Atelier, feries: set[dt.date]) -> list[Mois]:
    mois, resultat = a.debut, []
    while mois < a.reference.replace(day=1):
        fin = fin_de_mois(mois.year, mois.month)
        emission = jour_ouvre_suivant(fin + dt.timedelta(days=5), feries)
        if emission > a.reference:
            break
        resultat.append((mois, fin, emission))
        mois = fin + dt.timedelta(days=1)
    return resultat


def _acceptation_tardive(
    a: Atelier, familles: list[FamilleGen], debut: dt.date, fin: dt.date, emission: dt.date
) -> None:
    """A school-restaurant day of a past month, asked on the phone in time, left pending
    at that month's run and accepted a few days after it."""
    s, cantine = a.session, a.activites["GP-REST"]
    periodes = list(
        s.exec(
            select(PeriodeCalendrier).where(
                PeriodeCalendrier.debut <= fin, PeriodeCalendrier.fin >= debut
            )
        )
    )
    jours = [
        debut + dt.timedelta(days=i)
        for i in range((fin - debut).days + 1)
        if jour_ouvert(cantine, debut + dt.timedelta(days=i), periodes)
    ]
    for enfant in (e for famille in familles for e in famille.enfants):
        inscrit = s.exec(
            select(Inscription).where(
                Inscription.enfant_id == enfant.id,
                Inscription.activite_id == cantine.id,
                Inscription.date_debut <= debut,
                Inscription.date_fin >= fin,
            )
        ).first()
        if inscrit is None:
            continue
        pris = set(
            s.exec(
                select(Consommation.jour).where(
                    Consommation.enfant_id == enfant.id,
                    Consommation.activite_id == cantine.id,
                    Consommation.jour >= debut,
                    Consommation.jour <= fin,
                )
            )
        )
        libre = next((j for j in reversed(jours) if j not in pris), None)
        if libre is None:
            continue
        regie = a.agents["regie"]
        demande = demander_reservation(
            s,
            a.contexte(libre - dt.timedelta(days=7), Canal.TELEPHONE, regie, 10),
            enfant.id,
            cantine.id,
            [libre],
            derogation=True,  # (the demo sizes capacities to the bookings drawn)
        )
        accepter_demande(
            s, a.contexte(emission + dt.timedelta(days=2), Canal.GUICHET, regie, 9), demande.id
        )
        return


def _facturer_mois(
    a: Atelier,
    par_id: dict[int, FamilleGen],
    debut: dt.date,
    fin: dt.date,
    emission: dt.date,
    feries: set[dt.date],
) -> None:
    """One month's billing run, then its payments through the model's batch path (same
    rules as encaisser), each at its own time on the demo's clock."""
    contexte = a.contexte(emission, Canal.GUICHET, a.agents["regie"], heure=9)
    emises = facturer_mois(a.session, contexte, a.regie.id, debut, fin, emission)
    reglements: list[Reglement] = []
    for facture in factures_par_id(a.session, [e.id for e in emises]):
        famille = par_id.get(facture.famille_id)
        if famille is not None:
            reglements.extend(_reglements(a, famille, facture, feries))
    paiements = [_paiement(a, *r) for r in sorted(reglements, key=lambda t: (t[0], t[1]))]
    encaisser_en_masse(a.session, a.regie.id, paiements)


def _paiement(
    a: Atelier,
    jour: dt.date,
    _numero: str,
    famille: FamilleGen,
    facture: Facture,
    montant: int,
    mode: ModeReglement,
    reference: str,
) -> Paiement:
    """A payment of one invoice: online and transfers by the system, the rest at the
    counter by the régisseur."""
    en_ligne = (ModeReglement.PRELEVEMENT, ModeReglement.PAIEMENT_EN_LIGNE, ModeReglement.VIREMENT)
    canal = Canal.SYSTEME if mode in en_ligne else Canal.GUICHET
    agent = None if mode == ModeReglement.PAIEMENT_EN_LIGNE else a.agents["regie"]
    moment = a.contexte(jour, canal, agent, heure=10).maintenant()
    return Paiement(
        Contexte(agent_id=agent, canal=canal, aujourdhui=jour, horloge=lambda: moment)
        if agent
        else Contexte.systeme("paiement en ligne", jour, lambda: moment).avec(canal=canal),
        famille.id,
        montant,
        mode,
        jour,
        reference_paiement=reference,
        banque=a.rng.choice(noms.BANQUES)[2] if mode == ModeReglement.CHEQUE else "",
        payeur=famille.nom,
        factures=(facture.id,),
    )


def _reglements(
    a: Atelier, famille: FamilleGen, facture: Facture, feries: set[dt.date]
) -> list[Reglement]:
    """How the family pays this invoice: in full, in part, too much or not at all, on
    time or late, after its profile; nothing after the demo's today."""
    r = a.rng
    total = facture.total
    mode = famille.mode
    if famille.profil == "prelevement":
        issue, mode = "total", ModeReglement.PRELEVEMENT
        delai = (facture.date_echeance - facture.date_emission).days - 3
    else:
        issue = pondere(
            r,
            {
                "ponctuel": (("total", 95), ("impaye", 3), ("trop", 2)),
                "retard": (("total", 70), ("partiel", 20), ("impaye", 10)),
                "difficile": (("total", 20), ("partiel", 35), ("impaye", 45)),
                "trop": (("total", 50), ("trop", 50)),
            }[famille.profil],
        )
        en_retard = famille.profil in ("retard", "difficile")
        delai = r.randint(10, 24) if en_retard else r.randint(2, 15)
    jour = jour_ouvre_suivant(facture.date_emission + dt.timedelta(days=delai), feries)
    if issue == "impaye" or jour > a.reference:
        return []
    montant = total
    if issue == "partiel" and total >= 1000:
        montant = total * r.randint(30, 80) // 100 // 10 * 10
    elif issue == "trop":
        montant = (total // 500 + 1) * 500  # a round amount: the rest is a credit
    if mode == ModeReglement.CHEQUE:
        reference = f"{r.randrange(10**7):07d}"
    elif mode == ModeReglement.PRELEVEMENT:
        reference = famille.mandat
    elif mode == ModeReglement.PAIEMENT_EN_LIGNE:
        reference = f"PAYFIP-{r.randrange(10**10):010d}"
    elif mode == ModeReglement.CESU:
        reference = f"CESU {r.randrange(10**8):08d}"
    else:
        reference = ""
    return [(jour, facture.numero, famille, facture, montant, mode, reference)]


def vitrine_regie(a: Atelier, familles: list[FamilleGen], feries: set[dt.date]) -> None:
    """After the billing: a closure recorded on a booked day two weeks ahead (its cells
    turn to « Fermeture », not billed) and a credit paid back to a family that
    overpaid (issue #14)."""
    cantine = a.activites["GP-REST"]
    booke = a.session.exec(
        select(Consommation.jour)
        .where(
            Consommation.activite_id == cantine.id,
            # two weeks ahead: the days the counters book this week stay as they are
            Consommation.jour >= a.reference + dt.timedelta(days=14),
            col(Consommation.etat).in_([E.RESERVE.value, E.REGULIER.value]),
        )
        .order_by(Consommation.jour)
    ).first()
    if booke is not None:  # announced today for a booked day to come
        enregistrer_periode(
            a.session,
            a.contexte(a.reference, Canal.GUICHET, a.agents["admin"], 7),
            TypeCalendrier.FERMETURE,
            "Fermeture exceptionnelle : panne de la cuisine centrale",
            booke,
            booke,
            cantine.id,
        )
    for famille in reversed(familles):
        if famille.profil != "trop":
            continue
        credit = credit_disponible(a.session, famille.id, a.regie.id)
        if credit <= 0:
            continue
        jour = jour_ouvre_suivant(a.reference - dt.timedelta(days=6), feries)
        rembourser_credit(
            a.session,
            a.contexte(jour, Canal.GUICHET, a.agents["regie"], 11),
            famille.id,
            a.regie.id,
            credit,
            "Remboursement du trop-perçu demandé par la famille",
            f"VIR-{famille.numero[-6:]}",
            ModeReglement.VIREMENT,
        )
        return
