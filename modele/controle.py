"""Checks of the ledger that hold whatever was done: what an audit, the monkey test
(bench/singe.py) and the property tests verify. Each returns the anomalies found, in French;
an empty list is a sound ledger."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func
from sqlmodel import Session, col, select

from modele.base import id_de
from modele.tables.facturation import Facture, LigneFacture, NatureFacture
from modele.tables.planning import JourFacture
from modele.tables.reglements import Affectation, Reglement
from modele.tables.structure import Regie


def anomalies_grand_livre(
    session: Session, avant: dict[tuple, list[int]] | None = None
) -> list[str]:
    """Invoices paid within their amount, allocations that match the live payments, a
    cancellation per payment at most, each billed day on one live invoice, and numbers
    without gaps in each régie's sequences (`avant`, from `numeros_emis`: only those issued
    since then, after the numbers already there; a base's history may have gaps)."""
    anomalies: list[str] = []
    factures = {f.id: f for f in session.exec(select(Facture))}
    par_facture: dict[int, int] = defaultdict(int)
    for a in session.exec(select(Affectation)):
        par_facture[a.facture_id] += a.montant
    for facture_id, paye in par_facture.items():
        f = factures[facture_id]
        if f.nature != NatureFacture.FACTURE or not 0 <= paye <= f.total:
            anomalies.append(f"Facture {facture_id} : {paye} c affectés pour {f.total} c.")
    annules = set(
        session.exec(
            select(Reglement.annule_reglement_id).where(
                col(Reglement.annule_reglement_id).is_not(None)
            )
        )
    )
    vivants: dict[int, int] = defaultdict(int)
    reglements = {r.id: r for r in session.exec(select(Reglement))}
    affecte: dict[int, int] = defaultdict(int)
    par_avoir: dict[int, int] = defaultdict(int)
    for a in session.exec(select(Affectation)):
        if (a.reglement_id is None) == (a.avoir_id is None):
            anomalies.append(f"Affectation {a.id} : ni d'un règlement ni d'un avoir, ou des deux.")
            continue
        if a.avoir_id is not None:
            avoir = factures[a.avoir_id]
            if (
                avoir.nature != NatureFacture.AVOIR
                or avoir.famille_id != factures[a.facture_id].famille_id
                or avoir.regie_id != factures[a.facture_id].regie_id
            ):
                anomalies.append(f"Affectation {a.id} : l'avoir ne peut pas payer cette facture.")
            par_avoir[a.avoir_id] += a.montant
            vivants[a.facture_id] += a.montant
            continue
        r = reglements[a.reglement_id]
        affecte[id_de(r)] += a.montant
        if r.montant > 0 and r.id not in annules:
            vivants[a.facture_id] += a.montant
    for avoir_id, montant in par_avoir.items():
        if not 0 <= montant <= factures[avoir_id].total:
            anomalies.append(
                f"Avoir {avoir_id} : {montant} c affectés pour {factures[avoir_id].total} c."
            )
    suivies = set(session.exec(select(Regie.id).where(Regie.encaissement_tresorerie == False)))
    anomalies += _anomalies_lettrage(
        factures, reglements, annules, par_facture, affecte, par_avoir, suivies
    )
    if {k: v for k, v in par_facture.items() if v} != {k: v for k, v in vivants.items() if v}:
        anomalies.append("Des affectations ne correspondent pas aux règlements en vigueur.")
    annulations: dict[int, int] = defaultdict(int)
    for r in reglements.values():
        if abs(affecte[id_de(r)]) > abs(r.montant):
            anomalies.append(f"Règlement {r.id} : plus affecté que son montant.")
        if r.annule_reglement_id is not None:
            annulations[r.annule_reglement_id] += 1
    anomalies += [f"Règlement {i} annulé {n} fois." for i, n in annulations.items() if n > 1]
    quantites = dict(
        session.exec(
            select(Facture.nature, func.sum(LigneFacture.quantite))
            .join(Facture, col(Facture.id) == LigneFacture.facture_id)
            .group_by(Facture.nature)
        ).all()
    )
    jours = session.exec(select(func.count()).select_from(JourFacture)).one()
    if jours != (quantites.get("facture") or 0) - (quantites.get("avoir") or 0):
        anomalies.append(f"{jours} jours facturés pour {quantites} quantités sur les factures.")
    for cle, numeros in numeros_emis(session).items():
        deja = sorted((avant or {}).get(cle, []))
        if avant is not None and numeros[: len(deja)] != deja:
            anomalies.append(f"Numérotation {cle} : des numéros ont disparu.")
        nouveaux = numeros[len(deja) :] if avant is not None else numeros
        depart = deja[-1] + 1 if deja else (nouveaux[0] if nouveaux else 1)
        if nouveaux != list(range(depart, depart + len(nouveaux))):
            anomalies.append(f"Numérotation {cle} avec des trous ou des doublons.")
    return anomalies


def _anomalies_lettrage(
    factures: dict,
    reglements: dict,
    annules: set[int | None],
    par_facture: dict[int, int],
    affecte: dict[int, int],
    par_avoir: dict[int, int],
    suivies: set[int | None],
) -> list[str]:
    """No family has at once a credit and an unpaid invoice in a régie (the lettrage), and
    no refund goes beyond the credit."""
    du: dict[tuple[int, int], int] = defaultdict(int)
    credit: dict[tuple[int, int], int] = defaultdict(int)
    for f in factures.values():
        cle = (f.famille_id, f.regie_id)
        if f.nature == NatureFacture.FACTURE:
            du[cle] += max(f.total - par_facture.get(f.id, 0), 0)
        else:
            credit[cle] += f.total - par_avoir.get(f.id, 0)
    for r in reglements.values():
        cle = (r.famille_id, r.regie_id)
        if r.mode == "remboursement":
            credit[cle] += r.montant
        elif r.montant > 0 and r.id not in annules:
            credit[cle] += r.montant - affecte.get(r.id, 0)
    anomalies = []
    for cle in sorted(set(du) | set(credit)):
        if cle[1] not in suivies:
            continue
        if credit[cle] < 0:
            anomalies.append(f"Famille {cle[0]}, régie {cle[1]} : remboursé au-delà du crédit.")
        elif credit[cle] > 0 and du[cle] > 0:
            anomalies.append(
                f"Famille {cle[0]}, régie {cle[1]} : un crédit de {credit[cle]} c "
                f"et {du[cle]} c impayés à la fois."
            )
    return anomalies


def numeros_emis(session: Session) -> dict[tuple, list[int]]:
    """The numbers used in each sequence (invoices and credit notes by régie, payments by
    régie), sorted."""
    suites: dict[tuple, list[int]] = defaultdict(list)
    for regie_id, nature, numero in session.exec(
        select(Facture.regie_id, Facture.nature, Facture.numero)
    ):
        suites[("facture", regie_id, nature)].append(numero)
    for regie_id, numero in session.exec(select(Reglement.regie_id, Reglement.numero)):
        suites[("reglement", regie_id)].append(numero)
    return {cle: sorted(n) for cle, n in suites.items()}
