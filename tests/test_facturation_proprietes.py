"""Property tests of the ledger (hypothesis): whatever sequence of invoices, credit notes,
payments and cancellations, the balance is invoices − credit notes − payments + cancelled
payments, no invoice is paid beyond its amount, no day is billed twice, numbers have no gap."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func
from sqlmodel import Session, SQLModel, col, create_engine, select

import modele  # noqa: F401  (registers every table)
from modele.base import ErreurMetier
from modele.controle import anomalies_grand_livre
from modele.facturation import (
    Facture,
    LigneFacture,
    NatureFacture,
    bornes_mois,
)
from modele.famille import Enfant, Famille, Responsable
from modele.planning import EtatConsommation, JourFacture
from modele.reglements import (
    Affectation,
    ModeReglement,
    Reglement,
    annuler_reglement,
    encaisser,
    facturer_mois,
    rembourser_credit,
    solde,
)

# The actions as the app runs them: credits are allocated as they appear (lettrage).
from modele.reglements import emettre_avoir_et_lettrer as emettre_avoir
from tests import fabrique

AUJOURDHUI = dt.date(2026, 6, 30)
MOIS = (1, 2, 3)


def monde() -> tuple[Session, int, list[int]]:
    """A régie, one activity, two families with a child each and a few days a month."""
    engine = create_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    s = Session(engine, expire_on_commit=False)
    regie, cantine, _ = fabrique.structure(s)
    familles = []
    for rang in range(2):
        f = Famille(numero=f"10000000000{rang}")
        s.add(f)
        s.flush()
        s.add(Responsable(famille_id=f.id, nom=f"NOM{rang}", prenoms="Alex"))
        e = Enfant(
            famille_id=f.id,
            nom=f"NOM{rang}",
            prenoms="Sam",
            date_naissance=dt.date(2018, 1, 1),
            niveau="elementaire",
        )
        s.add(e)
        s.flush()
        for mois in MOIS:
            jours = [dt.date(2026, mois, j) for j in (5 + rang, 12, 19 + rang)]
            s.add_all(fabrique.jours(e, cantine, jours, EtatConsommation.RESERVE))
        familles.append(f.id)
    s.commit()
    return s, regie.id, familles


operations = st.lists(
    st.one_of(
        st.tuples(st.just("facturer"), st.sampled_from(MOIS)),
        st.tuples(st.just("avoir"), st.integers(0, 1), st.integers(0, 5)),
        st.tuples(
            st.just("payer"),
            st.integers(0, 1),
            st.integers(1, 4000),
            st.booleans(),
            st.integers(0, 5),
        ),
        st.tuples(st.just("annuler"), st.integers(0, 8)),
        st.tuples(st.just("rembourser"), st.integers(0, 1), st.integers(1, 3000)),
    ),
    min_size=1,
    max_size=14,
)


def appliquer(
    s: Session, regie_id: int, familles: list[int], op: tuple, attendu: dict[int, int]
) -> None:
    """Run one user action in its own transaction and follow its effect on the balance."""
    ctx = fabrique.contexte(AUJOURDHUI)

    def factures(f: int) -> list[Facture]:
        return list(
            s.exec(
                select(Facture)
                .where(Facture.famille_id == f, Facture.nature == NatureFacture.FACTURE)
                .order_by(Facture.id)
            )
        )

    if op[0] == "facturer":
        debut, fin = bornes_mois(2026, op[1])
        for facture in facturer_mois(s, ctx, regie_id, debut, fin, fin + dt.timedelta(days=5)):
            attendu[facture.famille_id] += facture.total
    elif op[0] == "avoir":
        liste = factures(familles[op[1]])
        if not liste:
            return
        avoir = emettre_avoir(s, ctx, liste[op[2] % len(liste)].id, "correction")
        attendu[avoir.famille_id] -= avoir.total
    elif op[0] == "payer":
        _, rang, montant, choisir, index = op
        liste = factures(familles[rang])
        choisies = [liste[index % len(liste)].id] if choisir and liste else None
        r = encaisser(
            s,
            ctx,
            familles[rang],
            regie_id,
            montant,
            ModeReglement.ESPECES,
            AUJOURDHUI,
            factures=choisies,
            garder_en_avoir=True,
        )
        attendu[r.famille_id] -= montant
    elif op[0] == "rembourser":
        r = rembourser_credit(s, ctx, familles[op[1]], regie_id, op[2], "demande de la famille")
        attendu[r.famille_id] -= r.montant  # montant < 0: the credit shrinks
    else:
        reglements = list(s.exec(select(Reglement).order_by(Reglement.id)))
        if not reglements:
            return
        annulation = annuler_reglement(s, ctx, reglements[op[1] % len(reglements)].id, "erreur")
        attendu[annulation.famille_id] -= annulation.montant  # montant < 0: due again


def verifier(s: Session, familles: list[int], attendu: dict[int, int]) -> None:
    for famille_id in familles:
        factures = s.exec(
            select(func.coalesce(func.sum(Facture.total), 0)).where(
                Facture.famille_id == famille_id, Facture.nature == NatureFacture.FACTURE
            )
        ).one()
        avoirs = s.exec(
            select(func.coalesce(func.sum(Facture.total), 0)).where(
                Facture.famille_id == famille_id, Facture.nature == NatureFacture.AVOIR
            )
        ).one()
        montants = list(s.exec(select(Reglement.montant).where(Reglement.famille_id == famille_id)))
        payes = sum(m for m in montants if m > 0)
        annules = -sum(m for m in montants if m < 0)
        assert solde(s, famille_id) == factures - avoirs - payes + annules == attendu[famille_id]
    # No invoice paid beyond its amount, none below zero.
    par_facture: dict[int, int] = defaultdict(int)
    for a in s.exec(select(Affectation)):
        par_facture[a.facture_id] += a.montant
    totaux = {f.id: f for f in s.exec(select(Facture))}
    for facture_id, paye in par_facture.items():
        assert totaux[facture_id].nature == NatureFacture.FACTURE
        assert 0 <= paye <= totaux[facture_id].total
    # What paid an invoice is what the payments still standing allocated to it.
    annules = set(
        s.exec(
            select(Reglement.annule_reglement_id).where(
                col(Reglement.annule_reglement_id).is_not(None)
            )
        )
    )
    vivants: dict[int, int] = defaultdict(int)
    for a in s.exec(select(Affectation).where(Affectation.avoir_id != None)):  # noqa: E711
        vivants[a.facture_id] += a.montant
    for a, r in s.exec(
        select(Affectation, Reglement).join(Reglement, Reglement.id == Affectation.reglement_id)
    ):
        if r.montant > 0 and r.id not in annules:
            vivants[a.facture_id] += a.montant
    assert {k: v for k, v in par_facture.items() if v} == {k: v for k, v in vivants.items() if v}
    # A payment never allocates more than its amount; a cancellation mirrors it exactly.
    for r in s.exec(select(Reglement)):
        affecte = sum(s.exec(select(Affectation.montant).where(Affectation.reglement_id == r.id)))
        assert abs(affecte) <= abs(r.montant)
        assert (
            len(s.exec(select(Reglement).where(Reglement.annule_reglement_id == r.id)).all()) <= 1
        )
    # A day is on at most one live invoice: billed days = invoiced − credited quantities.
    quantites = dict(
        s.exec(
            select(Facture.nature, func.sum(LigneFacture.quantite))
            .join(Facture, Facture.id == LigneFacture.facture_id)
            .group_by(Facture.nature)
        ).all()
    )
    factures_jours = s.exec(select(func.count()).select_from(JourFacture)).one()
    assert factures_jours == (quantites.get("facture") or 0) - (quantites.get("avoir") or 0)
    # Gapless numbers in each sequence.
    for nature in NatureFacture:
        numeros = sorted(s.exec(select(Facture.numero).where(Facture.nature == nature)))
        assert numeros == list(range(1, len(numeros) + 1))
    numeros = sorted(s.exec(select(Reglement.numero)))
    assert numeros == list(range(1, len(numeros) + 1))
    # Credits are lettered: never a credit and an unpaid invoice at once; the checks of an
    # audit all hold.
    assert anomalies_grand_livre(s) == []


@settings(
    max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(operations)
def test_le_grand_livre_reste_juste(suite):
    s, regie_id, familles = monde()
    attendu = dict.fromkeys(familles, 0)
    try:
        for op in suite:
            avant = dict(attendu)
            try:
                appliquer(s, regie_id, familles, op, attendu)
                s.commit()
            except ErreurMetier:
                s.rollback()  # a refused action leaves the ledger as it was
                attendu.clear()
                attendu.update(avant)
            verifier(s, familles, attendu)
    finally:
        s.close()
