"""Attestations fiscales: childcare costs ("frais de garde des enfants de moins de 6 ans")
paid in a calendar year, for the parents' tax return.

The rule, as the figures are computed:
- a child counts when under 6 on 1 January of the year (born after 1 January, year − 6): a
  child turning 6 during the year counts for the whole year;
- what counts is money paid during the year (the payments' date, not the invoices'): a
  December invoice paid in January counts in January's year; a cancelled or rejected payment
  takes back what it paid, in the year of its cancellation;
- a payment allocated to an invoice pays its lines in proportion to what the invoice still
  bills once its credit notes are taken off (net of credit notes, line by line); the share of
  the lines of a child under 6 for care — meals (restauration) excluded — counts for that
  child. A credit note paying an invoice is no money paid, so it counts for nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, col, select

from modele.base import ErreurMetier, id_de
from modele.facturation import Facture, LigneFacture, NatureFacture, par_lots
from modele.famille import Enfant, Famille, Responsable, carnet_payeurs, payeur_par_defaut
from modele.planning import Activite
from modele.reglements import Affectation, Reglement


def moins_de_six_ans(enfant: Enfant, annee: int) -> bool:
    """Under 6 on 1 January of `annee`."""
    naissance = enfant.date_naissance
    return naissance is not None and naissance > dt.date(annee - 6, 1, 1)


@dataclass(frozen=True)
class MontantEnfant:
    enfant: Enfant
    montant: int  # cents


@dataclass(frozen=True)
class AttestationFiscale:
    annee: int
    famille: Famille
    destinataire: Responsable | None
    enfants: list[MontantEnfant]

    @property
    def total(self) -> int:
        return sum(m.montant for m in self.enfants)


def _arrondi(numerateur: int, denominateur: int) -> int:
    """numerateur / denominateur to the nearest cent, halves away from zero."""
    signe = -1 if (numerateur < 0) != (denominateur < 0) else 1
    quotient, reste = divmod(abs(numerateur), abs(denominateur))
    return signe * (quotient + (2 * reste >= abs(denominateur)))


def montants_garde(
    session: Session, annee: int, famille_ids: list[int] | None = None
) -> dict[int, dict[int, int]]:
    """{family: {child under 6: cents of care paid in `annee`}} (children with a share)."""
    debut, fin = dt.date(annee, 1, 1), dt.date(annee, 12, 31)
    requete = (
        select(Affectation.facture_id, Affectation.montant)
        .join(Reglement, col(Reglement.id) == Affectation.reglement_id)
        .where(Reglement.date >= debut, Reglement.date <= fin)
    )
    lots = [None] if famille_ids is None else par_lots(sorted(famille_ids), 5_000)
    payes: dict[int, int] = defaultdict(int)
    for lot in lots:
        morceau = requete if lot is None else requete.where(col(Reglement.famille_id).in_(lot))
        for facture_id, montant in session.exec(morceau):
            payes[facture_id] += montant
    if not payes:
        return {}
    factures: dict[int, Facture] = {}
    avoirs: dict[int, list[Facture]] = defaultdict(list)
    for lot in par_lots(sorted(payes), 5_000):
        factures.update(
            (id_de(f), f) for f in session.exec(select(Facture).where(col(Facture.id).in_(lot)))
        )
        for a in session.exec(
            select(Facture).where(
                col(Facture.facture_origine_id).in_(lot), Facture.nature == NatureFacture.AVOIR
            )
        ):
            if a.facture_origine_id is not None:  # always: selected by it
                avoirs[a.facture_origine_id].append(a)
    signe_de = {f_id: 1 for f_id in factures}
    signe_de.update({id_de(a): -1 for liste in avoirs.values() for a in liste})
    origine_de = {f_id: f_id for f_id in factures}
    origine_de.update({id_de(a): origine for origine, liste in avoirs.items() for a in liste})
    lignes: list[LigneFacture] = []
    for lot in par_lots(sorted(signe_de), 5_000):
        lignes += session.exec(select(LigneFacture).where(col(LigneFacture.facture_id).in_(lot)))
    enfant_ids = {lg.enfant_id for lg in lignes if lg.enfant_id is not None}
    enfants = {
        e.id: e
        for lot in par_lots(sorted(enfant_ids), 5_000)
        for e in session.exec(select(Enfant).where(col(Enfant.id).in_(lot)))
    }
    repas = set(session.exec(select(Activite.id).where(Activite.restauration == True)))
    # Net amount of each invoice, and of its care lines for each child under 6.
    net: dict[int, int] = defaultdict(int)
    garde: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for lg in lignes:
        origine, signe = origine_de[lg.facture_id], signe_de[lg.facture_id]
        net[origine] += signe * lg.montant
        enfant = enfants.get(lg.enfant_id)
        if enfant is not None and lg.activite_id not in repas and moins_de_six_ans(enfant, annee):
            garde[origine][id_de(enfant)] += signe * lg.montant
    resultat: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for facture_id, paye in payes.items():
        total = net[facture_id]
        if total <= 0 or not garde.get(facture_id):
            continue
        famille_id = factures[facture_id].famille_id
        for enfant_id, part in garde[facture_id].items():
            resultat[famille_id][enfant_id] += _arrondi(paye * min(part, total), total)
    return {
        famille_id: {e: m for e, m in par_enfant.items() if m}
        for famille_id, par_enfant in resultat.items()
        if any(par_enfant.values())
    }


def attestations(
    session: Session, annee: int, famille_ids: list[int] | None = None
) -> list[AttestationFiscale]:
    """One attestation per family with care paid in `annee` for a child under 6, by family
    number; addressed to the family's default payer."""
    montants = montants_garde(session, annee, famille_ids)
    if not montants:
        return []
    ids = sorted(montants)
    carnet = carnet_payeurs(session, ids)
    familles = {
        f.id: f
        for lot in par_lots(ids, 5_000)
        for f in session.exec(select(Famille).where(col(Famille.id).in_(lot)))
    }
    enfants = {
        e.id: e
        for lot in par_lots(sorted({e for m in montants.values() for e in m}), 5_000)
        for e in session.exec(select(Enfant).where(col(Enfant.id).in_(lot)))
    }
    resultat = [
        AttestationFiscale(
            annee,
            familles[famille_id],
            payeur_par_defaut(carnet.personnes.get(famille_id, [])),
            sorted(
                (MontantEnfant(enfants[e], m) for e, m in montants[famille_id].items()),
                key=lambda m: (m.enfant.date_naissance, m.enfant.prenoms),
            ),
        )
        for famille_id in ids
    ]
    return sorted(resultat, key=lambda a: a.famille.numero)


def attestation_famille(session: Session, famille_id: int, annee: int) -> AttestationFiscale:
    trouvees = attestations(session, annee, [famille_id])
    if not trouvees:
        raise ErreurMetier(
            f"Aucun frais de garde d'enfant de moins de 6 ans payé en {annee} par cette famille."
        )
    return trouvees[0]
