"""Payments, their allocation to invoices, and the family's ledger (balance, unpaid, relevé).

The balance is always computed from the ledger, never stored (rule 10).

Lettrage — how credits pay invoices (each allocation is an `Affectation` row):

1. A payment pays the invoices chosen at the counter, else the régie's oldest unpaid ones
   (issue date, then number); what is left is a credit.
2. A credit note pays first the invoice it corrects, as far as it is still due; what is left
   is a credit.
3. A credit (the part of a live payment or of a credit note not yet allocated) is allocated
   at once, whenever a credit or a due invoice appears (payment, credit note, billing run,
   cancelled payment), to the oldest unpaid invoices of the same régie, never of another.
   The oldest credit is used first: by date, credit notes before payments on the same day,
   then by number.
4. A refund of a credit (mode "remboursement", a negative payment in the payments'
   sequence) takes from the oldest credits first, and never more than the credit.
5. A régie collected by the Trésorerie follows no balance here: nothing is allocated.

So a family never has at once a credit and an unpaid invoice in one régie
(`modele.controle` checks it).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Date, Integer, bindparam, literal, or_, union_all
from sqlalchemy import select as select_colonnes
from sqlmodel import Session, col, func, select

from modele.agents import exiger
from modele.base import Contexte, ErreurMetier, Progression, bornes_annee_scolaire, id_de
from modele.caisse import (
    cloture_du_jour,
    exiger_date_reglement,
    jour_d_operation,
    jour_de_caisse,
    prochain_jour_de_caisse,
)
from modele.chaine import a_sceller
from modele.facturation import (
    FactureEmise,
    _facturer_periode,
    emettre_avoir,
    emission_anticipee,
    factures_du_mois,
    inserer_lignes,
    par_lots,
)
from modele.famille import carnet_payeurs, payeur, payeur_par_defaut, responsables
from modele.formats import date_courte, euros
from modele.journal import acteur, journaliser
from modele.requetes import figee
from modele.structure import numero_suivant
from modele.tables.facturation import Facture, LigneFacture, NatureFacture
from modele.tables.famille import Enfant, Famille, Responsable
from modele.tables.journal import Journal
from modele.tables.planning import Activite
from modele.tables.reglements import (  # noqa: F401  (re-exported: the area's tables)
    LIBELLES_MODES,
    Affectation,
    ModeReglement,
    Reglement,
)
from modele.tables.sepa import MandatSepa, Prelevement, RemisePrelevement
from modele.tables.structure import Regie
from modele.validation import LONGUEUR_COURTE, LONGUEUR_MOTIF, LONGUEUR_REFERENCE, verifier_texte

# The reason of a payment reversed because the bank returned its direct debit (modele/sepa.py).
PREFIXE_REJET = "Rejet de prélèvement"


def description_reglement(reglement: Reglement) -> str:
    mode = ModeReglement(reglement.mode)
    if mode == ModeReglement.TITRE_ORMC:
        return f"Titre émis (ORMC n°{reglement.reference_paiement})"
    if reglement.annule_reglement_id and reglement.motif.startswith(PREFIXE_REJET):
        return reglement.motif  # "Rejet de prélèvement AM04 : Provision insuffisante"
    if reglement.annule_reglement_id:
        return f"Annulation règlement : {mode.libelle}"
    if mode == ModeReglement.REMBOURSEMENT:
        if reglement.reference_paiement:  # how it was paid back: « Virement n° VIR-12 »
            return f"Remboursement du crédit ({reglement.reference_paiement})"
        return "Remboursement du crédit"
    return f"Règlement : {mode.libelle}"


def restes_dus(session: Session, factures: list[Facture]) -> dict[int, int]:
    """Amount still due on each invoice: total − what payments and credit notes allocated."""
    ids = [id_de(f) for f in factures]
    if not ids:
        return {}
    payes = dict(
        session.exec(
            select(Affectation.facture_id, func.sum(Affectation.montant))
            .where(col(Affectation.facture_id).in_(ids))
            .group_by(col(Affectation.facture_id))
        ).all()
    )
    return {i: f.total - (payes.get(i) or 0) for i, f in zip(ids, factures, strict=True)}


@dataclass(frozen=True)
class Impayee:
    facture: Facture
    reste_du: int


@figee
def _factures_suivies() -> Any:
    """The family's (:famille) invoices issued by :au in the régies this app follows."""
    suivies = select(col(Regie.id)).where(Regie.encaissement_tresorerie == False)
    return (
        select(Facture)
        .where(
            col(Facture.famille_id) == bindparam("famille", type_=Integer),
            Facture.nature == NatureFacture.FACTURE,
            col(Facture.date_emission) <= bindparam("au", type_=Date),
            col(Facture.regie_id).in_(suivies),
        )
        .order_by(col(Facture.date_emission), col(Facture.numero))
    )


def factures_impayees(session: Session, famille_id: int, au: dt.date) -> list[Impayee]:
    factures = list(
        session.exec(_factures_suivies(), params={"famille": famille_id, "au": au}).all()
    )
    restes = restes_dus(session, factures)
    return [Impayee(f, restes[id_de(f)]) for f in factures if restes[id_de(f)] > 0]


def _impayees_regie(
    session: Session, famille_id: int, regie_id: int, au: dt.date, factures: list[int] | None
) -> list[Impayee]:
    """factures_impayees() narrowed to one régie (and to chosen invoices), in fewer queries."""
    requete = select(Facture).where(
        Facture.famille_id == famille_id,
        Facture.regie_id == regie_id,
        Facture.nature == NatureFacture.FACTURE,
        Facture.date_emission <= au,
    )
    if factures is not None:
        requete = requete.where(col(Facture.id).in_(factures))
    liste = list(
        session.exec(requete.order_by(col(Facture.date_emission), col(Facture.numero))).all()
    )
    restes = restes_dus(session, liste)
    return [Impayee(f, restes[id_de(f)]) for f in liste if restes[id_de(f)] > 0]


REGLEMENT = "reglement"  # a payment's rows among the invoices' in soldes()


@figee
def _soldes(jusqu_au: bool) -> Any:
    """The :ids families' sums by nature, in one statement (a search keystroke reads 50
    balances; on a server each query is a round trip), read from the two family indexes;
    up to :au if `jusqu_au`."""
    ids: Any = bindparam("ids", expanding=True)
    regies = select(Regie.id).where(Regie.encaissement_tresorerie == False)
    debit = select(Facture.famille_id, Facture.nature, func.sum(Facture.total)).where(
        col(Facture.famille_id).in_(ids), col(Facture.regie_id).in_(regies)
    )
    credit = select(
        Reglement.famille_id, literal(REGLEMENT).label("nature"), func.sum(Reglement.montant)
    ).where(col(Reglement.famille_id).in_(ids), col(Reglement.regie_id).in_(regies))
    if jusqu_au:
        debit = debit.where(Facture.date_emission <= bindparam("au", type_=Date))
        credit = credit.where(Reglement.date <= bindparam("reglements_au", type_=Date))
    return union_all(
        debit.group_by(col(Facture.famille_id), col(Facture.nature)),
        credit.group_by(col(Reglement.famille_id)),
    )


def soldes(
    session: Session,
    famille_ids: list[int],
    au: dt.date | None = None,
    reglements_au: dt.date | None = None,
) -> dict[int, int]:
    """Balance of several families at once: invoices − credit notes − payments (cents),
    up to `au` (the payments up to `reglements_au`, by default the same day).

    Positive: the family owes; negative: a credit on its account.
    """
    resultat = dict.fromkeys(famille_ids, 0)
    if not famille_ids:
        return resultat
    # sqlmodel's exec() has no overload for a UNION: execute(), which exec() calls, runs it.
    for famille_id, nature, total in session.execute(
        _soldes(au is not None),
        {"ids": list(famille_ids), "au": au, "reglements_au": reglements_au or au},
    ):
        resultat[famille_id] += total if nature == NatureFacture.FACTURE else -total
    return resultat


def solde(session: Session, famille_id: int, au: dt.date | None = None) -> int:
    return soldes(session, [famille_id], au)[famille_id]


def solde_du_jour(session: Session, famille_id: int, jour: dt.date) -> int:
    """The balance an agent shows on `jour`: the invoices issued up to that day and every
    payment taken, those dated the next cash day included (taken once the day's cash was
    closed: `exiger_date_reglement`; no payment is dated later). Without them the balance
    would still claim the debt that the unpaid invoices, already lettered, no longer show."""
    return soldes(session, [famille_id], jour, prochain_jour_de_caisse(session, jour))[famille_id]


def _textes_reglement(reference_paiement: str, banque: str, payeur: str) -> tuple[str, str, str]:
    """The payment's free texts as stored (cheque or title number, bank, payer)."""
    return (
        verifier_texte(
            reference_paiement, "reference_paiement", LONGUEUR_REFERENCE, libelle="Le numéro"
        ),
        verifier_texte(banque, "banque", LONGUEUR_COURTE, libelle="« Banque »"),
        verifier_texte(payeur, "payeur", LONGUEUR_COURTE, libelle="« Payeur »"),
    )


def verifier_numero_cheque(numero: str, chiffres: int) -> None:
    """A cheque number as the bank prints it: `chiffres` digits, nothing else."""
    if not (numero.isascii() and numero.isdigit() and len(numero) == chiffres):
        raise ErreurMetier(
            f"Le numéro du chèque compte {chiffres} chiffres, tel qu'imprimé sur le chèque.",
            "reference_paiement",
        )


def verifier_montant(regie: Regie, montant: int) -> None:
    """A payment is positive and within the régie's maximum per payment."""
    if montant <= 0:
        raise ErreurMetier("Le montant doit être positif.", "montant")
    if montant > regie.montant_max_reglement:
        raise ErreurMetier(
            f"Montant trop élevé : au plus {euros(regie.montant_max_reglement)} "
            "par règlement pour cette régie.",
            "montant",
        )


# --- the régie's payment settings (administrateur) ----------------------------------------

# What an administrateur sets per régie, and the bounds a plausible value keeps.
PARAMETRES_REGIE = (
    "libelle",
    "jours_echeance",
    "modalites_paiement",
    "montant_max_reglement",
    "chiffres_cheque",
    "encaissement_tresorerie",
    "caisse_samedi",
)
ECHEANCE_MAX = 120  # days
PLAFOND_MAX = 10_000_000  # cents: 100 000 € for one payment
CHIFFRES_CHEQUE = (4, 12)


def erreurs_parametres_regie(valeurs: dict[str, Any]) -> dict[str, str]:
    """The French message of each setting out of its bounds (empty: all plausible). The
    form calls it as the agent types; `parametrer_regie` again before writing."""
    erreurs: dict[str, str] = {}
    if "libelle" in valeurs:
        try:
            verifier_texte(
                valeurs["libelle"], "libelle", 80, obligatoire=True, libelle="Le libellé"
            )
        except ErreurMetier as e:
            erreurs["libelle"] = e.message
    if "modalites_paiement" in valeurs:
        try:
            verifier_texte(
                valeurs["modalites_paiement"],
                "modalites_paiement",
                500,
                libelle="Les modalités",
                multiligne=True,
            )
        except ErreurMetier as e:
            erreurs["modalites_paiement"] = e.message
    bornes = {
        "jours_echeance": (0, ECHEANCE_MAX, f"L'échéance est de 0 à {ECHEANCE_MAX} jours."),
        "montant_max_reglement": (
            100,
            PLAFOND_MAX,
            f"Le plafond d'un règlement est de 1,00 € à {euros(PLAFOND_MAX)}.",
        ),
        "chiffres_cheque": (
            *CHIFFRES_CHEQUE,
            "Un n° de chèque a de {} à {} chiffres.".format(*CHIFFRES_CHEQUE),
        ),
    }
    for champ, (bas, haut, message) in bornes.items():
        if champ not in valeurs:
            continue
        valeur = valeurs[champ]
        if not isinstance(valeur, int) or isinstance(valeur, bool) or not bas <= valeur <= haut:
            erreurs[champ] = message
    for champ in ("encaissement_tresorerie", "caisse_samedi"):
        if champ in valeurs and not isinstance(valeurs[champ], bool):
            erreurs[champ] = "Oui ou non."
    inconnus = set(valeurs) - set(PARAMETRES_REGIE)
    if inconnus:
        erreurs[sorted(inconnus)[0]] = "Ce paramètre ne se modifie pas ici."
    return erreurs


def parametrer_regie(
    session: Session, contexte: Contexte, regie_id: int, valeurs: dict[str, Any]
) -> Regie:
    """Change a régie's payment settings (administrateur), each checked at its field and
    journaled with its value before and after. The invoice prefix (code) never changes:
    references already printed keep it."""
    exiger(session, contexte, "parametrer_regie")
    regie = session.get(Regie, regie_id)
    if regie is None:
        raise ErreurMetier("Régie inconnue.", "regie")
    erreurs = erreurs_parametres_regie(valeurs)
    if erreurs:
        champ, message = next(iter(erreurs.items()))
        raise ErreurMetier(message, champ)
    propres = {
        champ: (
            verifier_texte(v, champ, 500, multiligne=champ == "modalites_paiement")
            if isinstance(v, str)
            else v
        )
        for champ, v in valeurs.items()
    }
    changes = {c: v for c, v in propres.items() if getattr(regie, c) != v}
    if not changes:
        return regie
    avant = {c: getattr(regie, c) for c in changes}
    for champ, valeur in changes.items():
        setattr(regie, champ, valeur)
    session.add(regie)
    session.flush()
    journaliser(
        session,
        contexte,
        "regie parametree",
        "regie",
        regie.id,
        None,
        avant=avant,
        apres=changes,
        detail=f"Paramètres de la régie {regie.code}",
    )
    return regie


# How far back a payment may be dated: a cheque kept a few weeks, a transfer seen late;
# beyond a year, a year mistyped (01/01/1900 was taken).
RECUL_REGLEMENT = dt.timedelta(days=366)


def verifier_reglement(
    contexte: Contexte,
    regie: Regie | None,
    mode: ModeReglement,
    date: dt.date,
    reference_paiement: str,
    montant: int,
) -> Regie:
    """The régie of a payment, once the payment is checked against it (the payment form asks
    it too, before any question about the amount)."""
    if regie is None:
        raise ErreurMetier("Choisissez la régie.", "regie")
    verifier_montant(regie, montant)
    if mode == ModeReglement.REMBOURSEMENT:
        raise ErreurMetier("Un remboursement se fait depuis le crédit de la famille.", "mode")
    # A date after today: only the régie's next cash day, once today's cash is closed
    # (exiger_date_reglement, which reads the base, and which every payment goes through).
    if date < contexte.aujourdhui - RECUL_REGLEMENT:
        raise ErreurMetier(
            f"La date du règlement est plus d'un an avant aujourd'hui "
            f"({date:%d/%m/%Y}) : vérifiez l'année.",
            "date",
        )

    if regie.encaissement_tresorerie and mode != ModeReglement.TITRE_ORMC:
        raise ErreurMetier(
            "Cette régie est encaissée par la Trésorerie : saisissez le titre émis (ORMC).", "mode"
        )
    if not regie.encaissement_tresorerie and mode == ModeReglement.TITRE_ORMC:
        raise ErreurMetier(
            "Un titre ORMC ne concerne qu'une régie suivie par la Trésorerie.", "mode"
        )
    if mode == ModeReglement.CHEQUE and not reference_paiement.strip():
        raise ErreurMetier("Le numéro du chèque est obligatoire.", "reference_paiement")
    if mode == ModeReglement.CHEQUE:
        verifier_numero_cheque(reference_paiement, regie.chiffres_cheque)
    if mode == ModeReglement.TITRE_ORMC and not reference_paiement.strip():
        raise ErreurMetier("Le numéro du titre ORMC est obligatoire.", "reference_paiement")
    return regie


def encaisser(
    session: Session,
    contexte: Contexte,
    famille_id: int,
    regie_id: int,
    montant: int,
    mode: ModeReglement,
    date: dt.date,
    reference_paiement: str = "",
    banque: str = "",
    payeur: str = "",
    factures: list[int] | None = None,
    garder_en_avoir: bool = False,
) -> Reglement:
    """Record a payment in the caller's transaction and allocate it: to the chosen
    invoices, else to the oldest unpaid ones; what is left stays as a credit, and only
    when the agent said so (`garder_en_avoir`): an amount above what is due is refused
    otherwise. The credit then goes to the régie's other unpaid invoices (lettrage)."""
    exiger(session, contexte, "encaisser")
    if montant <= 0:
        raise ErreurMetier("Le montant doit être positif.", "montant")
    reference_paiement, banque, payeur = _textes_reglement(reference_paiement, banque, payeur)
    regie = verifier_reglement(
        contexte, session.get(Regie, regie_id), mode, date, reference_paiement, montant
    )
    exiger_date_reglement(session, regie_id, date, contexte.aujourdhui)  # (before a credit)
    candidates = (
        []
        if regie.encaissement_tresorerie
        else _impayees_regie(session, famille_id, regie_id, date, factures)
    )
    if not regie.encaissement_tresorerie and not garder_en_avoir:
        trop = montant - sum(
            i.reste_du for i in _impayees_regie(session, famille_id, regie_id, dt.date.max, None)
        )
        if trop > 0:
            raise ErreurMetier(
                f"Trop-perçu de {euros(trop)} : confirmez qu'il reste en avoir "
                "ou corrigez le montant.",
                "montant",
            )
    numero = numero_suivant(session, regie_id, "reglement")
    reglement = Reglement(
        regie_id=regie_id,
        numero=numero,
        reference=f"{regie.code}-{numero}",
        famille_id=famille_id,
        date=date,
        mode=mode.value,
        reference_paiement=reference_paiement,
        banque=banque,
        payeur=payeur,
        montant=montant,
        saisi_par=contexte.agent_id,
        cree_le=contexte.maintenant(),
    )
    session.add(reglement)
    session.flush()
    a_sceller(session, regie_id, "reglement", [id_de(reglement)])
    reste = montant
    for impayee in candidates:
        if reste == 0:
            break
        part = min(reste, impayee.reste_du)
        session.add(
            Affectation(reglement_id=reglement.id, facture_id=id_de(impayee.facture), montant=part)
        )
        reste -= part
    journaliser(
        session,
        contexte,
        "reglement encaisse",
        "reglement",
        reglement.id,
        famille_id,
        apres={"reference": reglement.reference, "montant": montant, "mode": mode.value},
    )
    if reste:
        session.flush()
        lettrer(session, contexte, famille_id, regie_id)
    return reglement


def question_trop_percu(trop: int) -> str:
    """What the payment form asks when the amount is above what is due."""
    return f"Trop-perçu de {euros(trop)} : le garder en avoir ?"


def question_deja_prelevee(preleves: dict[str, dt.date]) -> str:
    """What the payment form asks when the payment goes to invoices the bank is to debit
    (reference → collection date)."""
    quoi = " ; ".join(f"{ref} le {date_courte(jour)}" for ref, jour in preleves.items())
    une = len(preleves) == 1
    return (
        f"Prélèvement déjà transmis à la banque : {quoi}. Réglée ici, "
        f"{'cette facture serait payée' if une else 'ces factures seraient payées'} deux fois "
        "(le prélèvement deviendrait un avoir à rembourser). Encaisser quand même ?"
    )


def question_avoir_preleve(reference: str, jour: dt.date) -> str:
    """What the credit note form asks first when the bank is to debit the invoice."""
    return (
        f"Prélèvement déjà transmis à la banque : {reference} le {date_courte(jour)}. La "
        "famille sera prélevée de la facture entière : ce que l'avoir retire deviendra un "
        "crédit, à rembourser ou à garder en avoir. Émettre l'avoir quand même ?"
    )


@dataclass(frozen=True)
class Paiement:
    """One payment of a batch (a direct-debit file, online payments, a town's history)."""

    contexte: Contexte
    famille_id: int
    montant: int
    mode: ModeReglement
    date: dt.date
    reference_paiement: str = ""
    banque: str = ""
    payeur: str = ""
    factures: tuple[int, ...] | None = None


def encaisser_en_masse(session: Session, regie_id: int, paiements: list[Paiement]) -> list[int]:
    """encaisser() for many payments of one régie, in order, in a few bulk statements: the
    same checks, numbers, allocation (chosen invoices, else the oldest unpaid) and journal.
    Each payment's context is read once, for its time. Returns the new payments' ids."""

    if not paiements:
        return []
    for contexte in {
        (p.contexte.agent_id, p.contexte.tache): p.contexte for p in paiements
    }.values():
        exiger(session, contexte, "encaisser")
    lue = session.get(Regie, regie_id)
    textes = []
    for p in paiements:
        if p.montant <= 0:
            raise ErreurMetier("Le montant doit être positif.", "montant")
        textes.append(_textes_reglement(p.reference_paiement, p.banque, p.payeur))
        regie = verifier_reglement(p.contexte, lue, p.mode, p.date, textes[-1][0], p.montant)
    for jour, aujourdhui in sorted({(p.date, p.contexte.aujourdhui) for p in paiements}):
        # (a batch's days: only the day itself must be open, not every day up to today)
        exiger_date_reglement(session, regie_id, jour, aujourdhui, jusqu_a_aujourdhui=False)
    numero = numero_suivant(session, regie_id, "reglement", len(paiements))
    # The invoices the batch can pay, and what is still due on each.
    factures: dict[int, Facture] = {}
    if not regie.encaissement_tresorerie:
        choisies = {f for p in paiements for f in (p.factures or ())}
        familles = sorted({p.famille_id for p in paiements if p.factures is None})
        base = select(Facture).where(
            Facture.regie_id == regie_id, Facture.nature == NatureFacture.FACTURE
        )
        for lot in par_lots(sorted(choisies), 5_000):
            factures.update(
                (id_de(f), f) for f in session.exec(base.where(col(Facture.id).in_(lot)))
            )
        for lot in par_lots(familles, 5_000):
            factures.update(
                (id_de(f), f) for f in session.exec(base.where(col(Facture.famille_id).in_(lot)))
            )
    restes: dict[int, int] = {}
    liste = list(factures.values())
    for i in range(0, len(liste), 5_000):
        restes.update(restes_dus(session, liste[i : i + 5_000]))
    par_famille: dict[int, list[Facture]] = {}
    for f in sorted(liste, key=lambda f: (f.date_emission, f.numero)):
        par_famille.setdefault(f.famille_id, []).append(f)
    reglements, parts, journal = [], [], []
    avec_credit: dict[int, Contexte] = {}  # families a payment left a credit to, by context
    for i, p in enumerate(paiements):
        moment = p.contexte.maintenant()
        reference = f"{regie.code}-{numero + i}"
        reglements.append(
            dict(
                regie_id=regie_id,
                numero=numero + i,
                reference=reference,
                famille_id=p.famille_id,
                date=p.date,
                mode=p.mode.value,
                reference_paiement=textes[i][0],
                banque=textes[i][1],
                payeur=textes[i][2],
                montant=p.montant,
                annule_reglement_id=None,
                motif="",
                saisi_par=p.contexte.agent_id,
                cree_le=moment,
            )
        )
        journal.append(
            dict(
                horodatage=moment,
                **acteur(p.contexte),
                action="reglement encaisse",
                objet="reglement",
                objet_id=None,
                famille_id=p.famille_id,
                avant=None,
                detail="",
                apres={"reference": reference, "montant": p.montant, "mode": p.mode.value},
            )
        )
        if regie.encaissement_tresorerie:
            continue
        voulues = None if p.factures is None else set(p.factures)
        reste = p.montant
        for f in par_famille.get(p.famille_id, []):
            if reste == 0:
                break
            if f.date_emission > p.date or (voulues is not None and f.id not in voulues):
                continue
            part = min(reste, restes[id_de(f)])
            if part <= 0:
                continue
            parts.append((i, id_de(f), part))
            restes[id_de(f)] -= part
            reste -= part
        if reste:
            avec_credit[p.famille_id] = p.contexte
    ids = inserer_lignes(session, Reglement, reglements, retour=True)
    a_sceller(session, regie_id, "reglement", ids)
    for ligne, reglement_id in zip(journal, ids, strict=True):
        ligne["objet_id"] = reglement_id
    inserer_lignes(
        session,
        Affectation,
        [dict(reglement_id=ids[i], facture_id=f, montant=m) for i, f, m in parts],
    )

    inserer_lignes(session, Journal, journal)
    for famille_id, contexte in avec_credit.items():
        lettrer(session, contexte, famille_id, regie_id)
    return ids


@dataclass(frozen=True)
class Operation:
    """One line of the "Relevé des opérations"."""

    numero: str
    date: dt.date
    description: str
    regie: str
    debit: int
    credit: int
    facture_id: int | None = None
    reglement_id: int | None = None


@dataclass(frozen=True)
class Releve:
    annee_scolaire: int
    operations: list[Operation]
    ancien_solde: int
    total_debit: int
    total_credit: int

    @property
    def solde(self) -> int:
        return self.ancien_solde + self.total_debit - self.total_credit


def releve(session: Session, famille_id: int, annee: int) -> Releve:
    """Every invoice (debit) and payment (credit) of a school year, newest first (rule 6)."""
    debut, fin = bornes_annee_scolaire(annee)
    regies = {r.id: r for r in session.exec(select(Regie))}
    suivies = [rid for rid, r in regies.items() if not r.encaissement_tresorerie]
    lignes: list[tuple[dt.date, dt.datetime, Operation]] = []
    for f in session.exec(
        select(Facture).where(
            Facture.famille_id == famille_id,
            Facture.date_emission >= debut,
            Facture.date_emission <= fin,
        )
    ):
        avoir = f.nature == NatureFacture.AVOIR
        description = (
            f"Avoir : {f.motif}"
            if avoir
            else f"Facture : {f.periode_debut:%d/%m/%Y} - {f.periode_fin:%d/%m/%Y}"
        )
        operation = Operation(
            f.reference,
            f.date_emission,
            description,
            regies[f.regie_id].libelle,
            0 if avoir else f.total,
            f.total if avoir else 0,
            facture_id=f.id,
        )
        lignes.append((f.date_emission, f.cree_le, operation))
    for r in session.exec(
        select(Reglement).where(
            Reglement.famille_id == famille_id, Reglement.date >= debut, Reglement.date <= fin
        )
    ):
        operation = Operation(
            r.reference,
            r.date,
            description_reglement(r),
            regies[r.regie_id].libelle,
            max(-r.montant, 0),
            max(r.montant, 0),
            reglement_id=r.id,
        )
        lignes.append((r.date, r.cree_le, operation))
    lignes.sort(key=lambda t: (t[0], t[1]), reverse=True)
    operations = [t[2] for t in lignes]
    ancien = solde(session, famille_id, debut - dt.timedelta(days=1)) if suivies else 0
    return Releve(
        annee,
        operations,
        ancien,
        sum(o.debit for o in operations),
        sum(o.credit for o in operations),
    )


def destinataire_releve(
    session: Session, famille_id: int, moment: dt.datetime
) -> Responsable | None:
    """Who the relevé is addressed to: the payer, when one person pays every régie the
    family is billed by; else the default payer of the family."""

    carnet = carnet_payeurs(session, [famille_id])
    regies = session.exec(
        select(Facture.regie_id).where(Facture.famille_id == famille_id).distinct()
    ).all()
    qui = {
        r.id: r
        for regie_id in regies
        if (r := carnet.pour(famille_id, regie_id, moment)) is not None
    }
    if len(qui) == 1:
        return next(iter(qui.values()))
    return payeur_par_defaut(carnet.personnes.get(famille_id, []))


# --- lettrage: credits pay the unpaid invoices (the rule is in the module's docstring) ------


@dataclass(frozen=True)
class Credit:
    """What a live payment or a credit note has left, not yet allocated (cents)."""

    date: dt.date
    avoir: bool
    numero: int
    source_id: int  # the payment's id, or the credit note's
    montant: int


def credits(session: Session, famille_id: int, regie_id: int) -> list[Credit]:
    """The family's credits in a régie, oldest first, net of the refunds (rule 4)."""
    reglements = list(
        session.exec(
            select(Reglement).where(
                Reglement.famille_id == famille_id, Reglement.regie_id == regie_id
            )
        )
    )
    annules = {r.annule_reglement_id for r in reglements if r.annule_reglement_id}
    vivants = [r for r in reglements if r.montant > 0 and r.id not in annules]
    avoirs = list(
        session.exec(
            select(Facture).where(
                Facture.famille_id == famille_id,
                Facture.regie_id == regie_id,
                Facture.nature == NatureFacture.AVOIR,
            )
        )
    )
    par_reglement = (
        dict(
            session.exec(
                select(Affectation.reglement_id, func.sum(Affectation.montant))
                .where(col(Affectation.reglement_id).in_([r.id for r in vivants]))
                .group_by(col(Affectation.reglement_id))
            ).all()
        )
        if vivants
        else {}
    )
    par_avoir = (
        dict(
            session.exec(
                select(Affectation.avoir_id, func.sum(Affectation.montant))
                .where(col(Affectation.avoir_id).in_([a.id for a in avoirs]))
                .group_by(col(Affectation.avoir_id))
            ).all()
        )
        if avoirs
        else {}
    )
    return _credits_restants(reglements, avoirs, par_reglement, par_avoir)


def _credits_restants(
    reglements: Sequence[Any],
    avoirs: Sequence[Any],
    par_reglement: Mapping[Any, int],
    par_avoir: Mapping[Any, int],
) -> list[Credit]:
    """credits() from what it read: a family's payments and credit notes in a régie (rows
    or objects), and what each has already allocated."""
    annules = {r.annule_reglement_id for r in reglements if r.annule_reglement_id}
    vivants = [r for r in reglements if r.montant > 0 and r.id not in annules]
    liste = sorted(
        [
            Credit(r.date, False, r.numero, id_de(r), r.montant - (par_reglement.get(r.id) or 0))
            for r in vivants
        ]
        + [
            Credit(a.date_emission, True, a.numero, id_de(a), a.total - (par_avoir.get(a.id) or 0))
            for a in avoirs
        ],
        key=lambda c: (c.date, not c.avoir, c.numero),
    )
    rembourse = -sum(
        r.montant for r in reglements if r.mode == ModeReglement.REMBOURSEMENT and r.montant < 0
    )
    restants = []
    for c in liste:
        pris = min(rembourse, c.montant) if c.montant > 0 else 0
        rembourse -= pris
        if c.montant - pris > 0:
            restants.append(Credit(c.date, c.avoir, c.numero, c.source_id, c.montant - pris))
    return restants


def credit_disponible(session: Session, famille_id: int, regie_id: int) -> int:
    """What the family has as a credit in a régie (cents), once lettered."""
    return sum(c.montant for c in credits(session, famille_id, regie_id))


def lettrer(session: Session, contexte: Contexte, famille_id: int, regie_id: int) -> int:
    """Allocate the family's credits in a régie to its unpaid invoices, oldest credit to
    oldest invoice (rule 3), in the caller's transaction; returns the amount allocated."""
    regie = session.get(Regie, regie_id)
    if regie is None or regie.encaissement_tresorerie:
        return 0
    disponibles = credits(session, famille_id, regie_id)
    if not disponibles:
        return 0
    impayees = _impayees_regie(session, famille_id, regie_id, dt.date.max, None)
    restes = [(i.facture, i.reste_du) for i in impayees]
    total = _affecter(session, contexte, regie, famille_id, disponibles, restes)
    if total:
        session.flush()
    return total


def _affecter(
    session: Session,
    contexte: Contexte,
    regie: Regie,
    famille_id: int,
    disponibles: list[Credit],
    impayees: list[tuple[Any, int]],
    rangees: tuple[list[dict], list[dict]] | None = None,
) -> int:
    """Rule 3 itself: the credits, oldest first, pay the unpaid invoices (with what each
    still owes), oldest first; the allocations and their journal row are added to the
    session, or with `rangees` appended to its two lists as plain rows (allocations,
    journal) for the caller to insert in bulk. Returns the amount."""
    restes = [[facture, reste] for facture, reste in impayees]
    lettres, total = [], 0
    for c in disponibles:
        reste = c.montant
        for paire in restes:
            if reste == 0:
                break
            part = min(reste, paire[1])
            if part <= 0:
                continue
            affectation = dict(
                reglement_id=None if c.avoir else c.source_id,
                avoir_id=c.source_id if c.avoir else None,
                facture_id=paire[0].id,
                montant=part,
            )
            if rangees is None:
                session.add(Affectation(**affectation))
            else:
                rangees[0].append(affectation)
            paire[1] -= part
            reste -= part
            total += part
            lettres.append(
                {
                    "facture": paire[0].reference,
                    "montant": part,
                    "avoir" if c.avoir else "reglement": c.source_id,
                }
            )
    if lettres and rangees is None:
        journaliser(
            session,
            contexte,
            "credit affecte",
            "famille",
            famille_id,
            famille_id,
            apres={"regie": regie.code, "affectations": lettres},
        )
    elif lettres and rangees is not None:  # what journaliser() writes, as a row
        rangees[1].append(
            dict(
                horodatage=contexte.maintenant(),
                **acteur(contexte),
                action="credit affecte",
                objet="famille",
                objet_id=famille_id,
                famille_id=famille_id,
                avant=None,
                apres={"regie": regie.code, "affectations": lettres},
                detail="",
            )
        )
    return total


def _lettrer_familles(
    session: Session, contexte: Contexte, regie_id: int, famille_ids: list[int]
) -> int:
    """lettrer() for many families of one régie (after a billing run), in that order: the
    same allocations and journal rows, read in a few statements per batch of families
    rather than several per family."""
    regie = session.get(Regie, regie_id)
    if regie is None or regie.encaissement_tresorerie or not famille_ids:
        return 0
    total = 0
    # The allocations and journal rows in bulk (COPY on PostgreSQL), as the ORM would write
    # them: a town's run letters thousands of families.
    rangees: tuple[list[dict], list[dict]] = ([], [])
    for lot in par_lots(famille_ids, 2_000):
        # Plain rows, not objects: a town's run letters thousands of families.
        reglements: dict[int, list[Any]] = defaultdict(list)
        for r in session.connection().execute(
            select_colonnes(
                col(Reglement.id),
                col(Reglement.famille_id),
                col(Reglement.date),
                col(Reglement.numero),
                col(Reglement.montant),
                col(Reglement.mode),
                col(Reglement.annule_reglement_id),
            )
            .where(col(Reglement.famille_id).in_(lot), col(Reglement.regie_id) == regie_id)
            .order_by(col(Reglement.id))
        ):
            reglements[r.famille_id].append(r)
        factures: dict[int, list[Any]] = defaultdict(list)
        avoirs: dict[int, list[Any]] = defaultdict(list)
        for f in session.connection().execute(
            select_colonnes(
                col(Facture.id),
                col(Facture.famille_id),
                col(Facture.nature),
                col(Facture.reference),
                col(Facture.total),
                col(Facture.date_emission),
                col(Facture.numero),
            )
            .where(col(Facture.famille_id).in_(lot), col(Facture.regie_id) == regie_id)
            .order_by(col(Facture.date_emission), col(Facture.numero))
        ):
            if f.nature == NatureFacture.AVOIR:
                avoirs[f.famille_id].append(f)
            else:
                factures[f.famille_id].append(f)
        par_reglement: dict[Any, int] = {
            reglement_id: somme
            for reglement_id, somme in session.connection().execute(
                select_colonnes(col(Affectation.reglement_id), func.sum(Affectation.montant))
                .join(Reglement, col(Reglement.id) == col(Affectation.reglement_id))
                .where(col(Reglement.famille_id).in_(lot), col(Reglement.regie_id) == regie_id)
                .group_by(col(Affectation.reglement_id))
            )
        }
        par_facture: dict[Any, int] = {}
        par_avoir: dict[Any, int] = {}
        for colonne, sommes in (
            (col(Affectation.facture_id), par_facture),
            (col(Affectation.avoir_id), par_avoir),
        ):
            for cle, somme in session.connection().execute(
                select_colonnes(colonne, func.sum(Affectation.montant))
                .join(Facture, col(Facture.id) == colonne)
                .where(col(Facture.famille_id).in_(lot), col(Facture.regie_id) == regie_id)
                .group_by(colonne)
            ):
                sommes[cle] = somme
        for famille_id in lot:
            disponibles = _credits_restants(
                reglements[famille_id], avoirs[famille_id], par_reglement, par_avoir
            )
            if not disponibles:
                continue
            restes = [(f, f.total - (par_facture.get(f.id) or 0)) for f in factures[famille_id]]
            impayees = [(f, reste) for f, reste in restes if reste > 0]
            total += _affecter(session, contexte, regie, famille_id, disponibles, impayees, rangees)
    session.flush()
    inserer_lignes(session, Affectation, rangees[0], comme_orm=True)
    inserer_lignes(session, Journal, rangees[1], comme_orm=True)
    return total


def _soldes_regie(session: Session, regie_id: int, famille_ids: list[int]) -> dict[int, int]:
    """Each family's balance in one régie (positive: it owes), in a few grouped reads."""
    resultat = dict.fromkeys(famille_ids, 0)
    for lot in par_lots(famille_ids, 5_000):
        for famille_id, nature, total in session.connection().execute(
            select(Facture.famille_id, Facture.nature, func.sum(Facture.total))
            .where(col(Facture.famille_id).in_(lot), Facture.regie_id == regie_id)
            .group_by(col(Facture.famille_id), col(Facture.nature))
        ):
            resultat[famille_id] += total if nature == NatureFacture.FACTURE else -total
        for famille_id, total in session.connection().execute(
            select(Reglement.famille_id, func.sum(Reglement.montant))
            .where(col(Reglement.famille_id).in_(lot), Reglement.regie_id == regie_id)
            .group_by(col(Reglement.famille_id))
        ):
            resultat[famille_id] -= total
    return resultat


def _lettrer_nouvelles_factures(
    session: Session, contexte: Contexte, regie_id: int, emises: list[FactureEmise]
) -> int:
    """After a billing run: the families that had a credit see it pay their new invoices.

    A family with a credit had nothing unpaid (rule 3), so its balance is now below what
    was just issued to it: only those families are lettered, one by one."""
    session.flush()
    nouveau: dict[int, int] = defaultdict(int)
    for f in emises:
        nouveau[f.famille_id] += f.total
    soldes_apres = _soldes_regie(session, regie_id, sorted(nouveau))
    return _lettrer_familles(
        session,
        contexte,
        regie_id,
        [famille_id for famille_id, total in nouveau.items() if soldes_apres[famille_id] < total],
    )


def facturer_mois(
    session: Session,
    contexte: Contexte,
    regie_id: int,
    debut: dt.date,
    fin: dt.date,
    date_emission: dt.date,
    *,
    date_echeance: dt.date | None = None,
    familles: set[int] | None = None,
    lot: int = 500,
    progression: Progression | None = None,
    arret: Callable[[], bool] | None = None,
    mois_en_cours: bool = False,
) -> list[FactureEmise]:
    """Billing, the one entry (screen, command line, demo, tests): issue the period's
    invoices of the régie (of these families only, when given), in the caller's
    transaction, then let the families' credits pay them.

    A period with days still to come (at the context's date) is refused unless the agent
    confirmed it (`mois_en_cours`). Raises `Arret` when `arret()` turned true: the caller
    rolls back, nothing is written.
    """
    exiger(session, contexte, "facturer")
    detail = emission_anticipee(debut, fin, contexte, mois_en_cours)
    emises = _facturer_periode(
        session,
        contexte,
        regie_id,
        debut,
        fin,
        date_emission,
        date_echeance=date_echeance,
        familles=familles,
        lot=lot,
        progression=progression,
        arret=arret,
        detail=detail,
    )
    _lettrer_nouvelles_factures(session, contexte, regie_id, emises)
    return emises


def emettre_avoir_et_lettrer(
    session: Session,
    contexte: Contexte,
    facture_id: int,
    motif: str,
    lignes: list[int] | None = None,
) -> Facture:
    """A credit note (facturation.emettre_avoir) that pays first the invoice it corrects
    (rule 2), then, as a credit, the régie's oldest unpaid invoices."""
    avoir = emettre_avoir(session, contexte, facture_id, motif, lignes)
    regie = session.get_one(Regie, avoir.regie_id)
    if not regie.encaissement_tresorerie:
        origine = session.get_one(Facture, facture_id)
        part = min(avoir.total, restes_dus(session, [origine])[facture_id])
        if part > 0:
            session.add(Affectation(avoir_id=avoir.id, facture_id=facture_id, montant=part))
            session.flush()
        lettrer(session, contexte, avoir.famille_id, avoir.regie_id)
    return avoir


# How a credit is paid back to the family.
MOYENS_REMBOURSEMENT = (ModeReglement.VIREMENT, ModeReglement.CHEQUE, ModeReglement.ESPECES)


def moyen_rembourse(reglement: Reglement) -> ModeReglement | None:
    """How a refund was paid back, read from its sealed reference (« Espèces n° 12 »,
    written by `rembourser_credit`); None for any other payment or a refund without it."""
    if reglement.mode != ModeReglement.REMBOURSEMENT:
        return None
    reference = reglement.reference_paiement or ""
    for moyen in MOYENS_REMBOURSEMENT:
        if reference == moyen.libelle or reference.startswith(f"{moyen.libelle} n° "):
            return moyen
    return None


def mode_en_caisse(reglement: Reglement) -> str:
    """The mode a payment counts in at the desk: a refund paid in cash left the drawer, so
    it counts in Espèces; any other refund on its own line."""
    if moyen_rembourse(reglement) == ModeReglement.ESPECES:
        return ModeReglement.ESPECES.value
    return reglement.mode


@dataclass(frozen=True)
class CreditRemboursable:
    regie: Regie
    montant: int  # cents


def credits_remboursables(session: Session, famille_id: int) -> list[CreditRemboursable]:
    """The régies (followed here, not by the Trésorerie) where the family has a credit."""
    return [
        CreditRemboursable(regie, credit)
        for regie in session.exec(
            select(Regie)
            .where(col(Regie.encaissement_tresorerie).is_(False))
            .order_by(col(Regie.id))
        )
        if (credit := credit_disponible(session, famille_id, id_de(regie))) > 0
    ]


def rembourser_credit(
    session: Session,
    contexte: Contexte,
    famille_id: int,
    regie_id: int,
    montant: int,
    motif: str,
    reference_paiement: str = "",
    moyen: ModeReglement | None = None,
) -> Reglement:
    """Pay back (part of) a family's credit at its request: a negative payment numbered in
    the payments' sequence, journaled, never beyond the credit (rule 4). `moyen` (virement,
    chèque, espèces) is kept with the reference: « Virement n° VIR-12 »."""
    exiger(session, contexte, "rembourser")
    if moyen is not None and moyen not in MOYENS_REMBOURSEMENT:
        raise ErreurMetier(
            "Un crédit se rembourse par virement, par chèque ou en espèces.", "moyen"
        )
    if not (motif or "").strip():
        raise ErreurMetier("Le motif du remboursement est obligatoire.", "motif")
    motif = verifier_texte(motif, "motif", LONGUEUR_MOTIF, libelle="Le motif")
    reference_paiement = verifier_texte(
        reference_paiement, "reference_paiement", LONGUEUR_REFERENCE, libelle="La référence"
    ).strip()
    if moyen is not None:
        reference_paiement = moyen.libelle + (
            f" n° {reference_paiement}" if reference_paiement else ""
        )
    regie = session.get(Regie, regie_id)
    if regie is None:
        raise ErreurMetier("Choisissez la régie.", "regie")
    if regie.encaissement_tresorerie:
        raise ErreurMetier(f"{MESSAGE_TRESORERIE} : le remboursement se fait par elle.", "regie")
    if montant <= 0:
        raise ErreurMetier("Le montant doit être positif.", "montant")
    credit = credit_disponible(session, famille_id, regie_id)
    if montant > credit:
        raise ErreurMetier(
            f"Le crédit de la famille dans cette régie est de {euros(credit)} : "
            "on ne rembourse pas au-delà.",
            "montant",
        )
    jour = jour_d_operation(session, regie_id, contexte.aujourdhui)
    numero = numero_suivant(session, regie_id, "reglement")
    remboursement = Reglement(
        regie_id=regie_id,
        numero=numero,
        reference=f"{regie.code}-{numero}",
        famille_id=famille_id,
        date=jour,
        mode=ModeReglement.REMBOURSEMENT.value,
        reference_paiement=reference_paiement,
        montant=-montant,
        motif=motif,
        saisi_par=contexte.agent_id,
        cree_le=contexte.maintenant(),
    )
    session.add(remboursement)
    session.flush()
    a_sceller(session, regie_id, "reglement", [id_de(remboursement)])
    journaliser(
        session,
        contexte,
        "credit rembourse",
        "reglement",
        remboursement.id,
        famille_id,
        avant={"credit": credit},
        apres={
            "reference": remboursement.reference,
            "montant": -montant,
            "motif": motif,
            "moyen": reference_paiement,
        },
    )
    return remboursement


# --- cancelling a payment, and what the screens and prints show ----------------------------


def annulation_de(session: Session, reglement_id: int) -> Reglement | None:
    return session.exec(
        select(Reglement).where(Reglement.annule_reglement_id == reglement_id)
    ).first()


def annuler_reglement(
    session: Session, contexte: Contexte, reglement_id: int, motif: str
) -> Reglement:
    """Cancel a payment by a reversing entry (never a delete): a negative payment with
    negative allocations, so that the invoices it paid are due again."""
    exiger(session, contexte, "annuler_reglement")
    if not (motif or "").strip():
        raise ErreurMetier("Le motif de l'annulation est obligatoire.", "motif")
    motif = verifier_texte(motif, "motif", LONGUEUR_MOTIF, libelle="Le motif")
    origine = session.get(Reglement, reglement_id)
    if origine is None:
        raise ErreurMetier("Règlement introuvable.")
    if origine.mode == ModeReglement.REMBOURSEMENT:
        raise ErreurMetier("Un remboursement ne s'annule pas.")
    if origine.montant < 0 or origine.annule_reglement_id is not None:
        raise ErreurMetier("Une annulation ne s'annule pas.")
    deja = annulation_de(session, reglement_id)
    if deja is not None:
        raise ErreurMetier(
            f"Le règlement {origine.reference} est déjà annulé "
            f"({deja.reference} du {deja.date:%d/%m/%Y})."
        )
    regie = session.get_one(Regie, origine.regie_id)
    close = cloture_du_jour(session, origine.regie_id, origine.date)
    if close is not None:
        raise ErreurMetier(
            f"Le règlement {origine.reference} du {origine.date:%d/%m/%Y} est dans une caisse "
            f"close ({close.reference}) : il ne peut plus être annulé. Une correction se fait "
            "par une nouvelle opération, datée d'un jour non clos."
        )
    jour = jour_d_operation(session, origine.regie_id, contexte.aujourdhui)
    libre = origine.montant - sum(
        session.exec(select(Affectation.montant).where(Affectation.reglement_id == origine.id))
    )
    if libre > credit_disponible(session, origine.famille_id, origine.regie_id):
        raise ErreurMetier(
            f"Le crédit laissé par le règlement {origine.reference} a été "
            "remboursé à la famille : il ne peut plus être annulé."
        )
    numero = numero_suivant(session, origine.regie_id, "reglement")
    annulation = Reglement(
        regie_id=origine.regie_id,
        numero=numero,
        reference=f"{regie.code}-{numero}",
        famille_id=origine.famille_id,
        date=jour,
        mode=origine.mode,
        reference_paiement=origine.reference_paiement,
        banque=origine.banque,
        payeur=origine.payeur,
        montant=-origine.montant,
        annule_reglement_id=origine.id,
        motif=motif,
        saisi_par=contexte.agent_id,
        cree_le=contexte.maintenant(),
    )
    session.add(annulation)
    session.flush()
    a_sceller(session, origine.regie_id, "reglement", [id_de(annulation)])
    affectations = session.exec(
        select(Affectation).where(Affectation.reglement_id == origine.id)
    ).all()
    session.add_all(
        [
            Affectation(reglement_id=annulation.id, facture_id=a.facture_id, montant=-a.montant)
            for a in affectations
        ]
    )
    journaliser(
        session,
        contexte,
        "reglement annule",
        "reglement",
        annulation.id,
        origine.famille_id,
        avant={"reference": origine.reference, "montant": origine.montant},
        apres={"reference": annulation.reference, "montant": annulation.montant, "motif": motif},
    )
    session.flush()
    # The invoices it paid are due again: a credit left elsewhere pays them.
    lettrer(session, contexte, origine.famille_id, origine.regie_id)
    return annulation


def regies_tresorerie(session: Session) -> list[Regie]:
    """Régies whose payments and balance the Trésorerie follows (not this app)."""
    return list(
        session.exec(
            select(Regie).where(Regie.encaissement_tresorerie == True).order_by(Regie.code)
        )
    )


MESSAGE_TRESORERIE = "Le suivi des règlements et du solde est assuré par la Trésorerie"

# The modes offered at the counter (online payment comes from the portal).
MODES_GUICHET = (
    ModeReglement.CHEQUE,
    ModeReglement.ESPECES,
    ModeReglement.CARTE,
    ModeReglement.VIREMENT,
    ModeReglement.PRELEVEMENT,
    ModeReglement.CESU,
)


@dataclass(frozen=True)
class VueEncaissement:
    """What the payment form starts from: the régies, the unpaid invoices, the payer."""

    regies: list[Regie]
    impayees: list[Impayee]
    payeur: str
    solde: int
    jours_de_caisse: dict[int, dt.date]  # by régie: the day a payment is dated by default
    # invoice id → the date its direct debit is due: in a batch whose file went to the bank,
    # neither passed nor rejected yet (paid at the counter, it would be paid twice)
    preleves: dict[int, dt.date] = field(default_factory=dict)


def prelevements_a_venir(session: Session, famille_id: int) -> dict[int, dt.date]:
    """The family's invoices the bank is to debit: each in a direct-debit batch (its file
    made with it), neither passed nor rejected yet; with the batch's collection date."""
    requete = (
        select(col(Prelevement.facture_id), col(RemisePrelevement.date_echeance))
        .join(RemisePrelevement, col(RemisePrelevement.id) == Prelevement.remise_id)
        .join(Facture, col(Facture.id) == Prelevement.facture_id)
        .where(
            Facture.famille_id == famille_id,
            col(Prelevement.reglement_id).is_(None),
            col(Prelevement.rejet_reglement_id).is_(None),
        )
    )
    return {facture_id: echeance for facture_id, echeance in session.exec(requete)}


def factures_reglees(impayees: list[Impayee], somme: int, cochees: set[int]) -> list[Impayee]:
    """The invoices a payment of `somme` goes to, as `encaisser` allocates it: those chosen
    first, then (what is left lettered: `lettrer`) the others, oldest first (the list's
    order), until the amount is used up."""
    touchees = []
    choisies = [i for i in impayees if i.facture.id in cochees]
    for i in choisies + [i for i in impayees if i.facture.id not in cochees]:
        if somme <= 0:
            break
        touchees.append(i)
        somme -= i.reste_du
    return touchees


def preparer_encaissement(session: Session, famille_id: int, au: dt.date) -> VueEncaissement:
    regies = list(
        session.exec(select(Regie).order_by(col(Regie.encaissement_tresorerie), col(Regie.code)))
    )
    suivies = [r for r in regies if not r.encaissement_tresorerie] or regies
    qui = (
        payeur(session, famille_id, id_de(suivies[0]), dt.datetime.combine(au, dt.time.max))
        if suivies
        else responsables(session, famille_id)[0]
    )
    return VueEncaissement(
        regies,
        factures_impayees(session, famille_id, au),
        qui.nom_prenom if qui else "",
        solde_du_jour(session, famille_id, au),
        {id_de(r): jour_de_caisse(session, id_de(r), au) for r in suivies},
        prelevements_a_venir(session, famille_id),
    )


@dataclass(frozen=True)
class DetailFacture:
    """An invoice (or credit note) with its lines, what paid it and what credited it."""

    facture: Facture
    regie: Regie
    famille: Famille
    responsable: Responsable | None  # the payer the invoice is addressed to
    lignes: list[LigneFacture]
    enfants: dict[int, Enfant]
    activites: dict[int, Activite]
    paiements: list[tuple[Reglement, int]]  # allocations, cancellations negative
    avoirs: list[Facture]
    origine: Facture | None
    # credit notes that paid this invoice ("réglée par avoir"), or, for a credit note, the
    # invoices it paid
    lettrages: list[tuple[Facture, int]] = field(default_factory=list)
    # the family pays this régie by direct debit (its active mandate's RUM, « prélèvement »
    # on in its file): what is due will be debited, the invoice says so and has no slip
    mandat_rum: str | None = None

    @property
    def avoir(self) -> bool:
        return self.facture.nature == NatureFacture.AVOIR

    @property
    def regle_par_avoir(self) -> int:
        return 0 if self.avoir else sum(m for _, m in self.lettrages)

    @property
    def deja_paye(self) -> int:
        return sum(m for _, m in self.paiements)

    @property
    def total_avoirs(self) -> int:
        return sum(a.total for a in self.avoirs)

    @property
    def reste_du(self) -> int:
        return 0 if self.avoir else self.facture.total - self.deja_paye - self.regle_par_avoir


def details_factures(session: Session, facture_ids: list[int]) -> list[DetailFacture]:
    """Several invoices at once, in the order given (printing a month in one PDF)."""

    factures: dict[int, Facture] = {}
    lignes: dict[int, list[LigneFacture]] = {i: [] for i in facture_ids}
    paiements: dict[int, list[tuple[Reglement, int]]] = {i: [] for i in facture_ids}
    avoirs: dict[int, list[Facture]] = {i: [] for i in facture_ids}
    lettrages: dict[int, list[tuple[int, int]]] = {i: [] for i in facture_ids}
    for lot in par_lots(facture_ids, 5_000):
        factures.update(
            (id_de(f), f) for f in session.exec(select(Facture).where(col(Facture.id).in_(lot)))
        )
        for ligne in session.exec(
            select(LigneFacture)
            .where(col(LigneFacture.facture_id).in_(lot))
            .order_by(col(LigneFacture.id))
        ):
            lignes[ligne.facture_id].append(ligne)
        for affectation, reglement in session.exec(
            select(Affectation, Reglement)
            .join(Reglement, col(Reglement.id) == col(Affectation.reglement_id))
            .where(col(Affectation.facture_id).in_(lot))
            .order_by(col(Reglement.id))
        ):
            paiements[affectation.facture_id].append((reglement, affectation.montant))
        for a in session.exec(
            select(Affectation)
            .where(
                col(Affectation.avoir_id).is_not(None),
                or_(col(Affectation.facture_id).in_(lot), col(Affectation.avoir_id).in_(lot)),
            )
            .order_by(col(Affectation.id))
        ):
            assert a.avoir_id is not None  # the query's condition
            if a.facture_id in lettrages:
                lettrages[a.facture_id].append((a.avoir_id, a.montant))
            if a.avoir_id in lettrages:
                lettrages[a.avoir_id].append((a.facture_id, a.montant))
        for avoir in session.exec(
            select(Facture)
            .where(col(Facture.facture_origine_id).in_(lot), Facture.nature == NatureFacture.AVOIR)
            .order_by(col(Facture.numero))
        ):
            assert avoir.facture_origine_id is not None  # the query's condition
            avoirs[avoir.facture_origine_id].append(avoir)
    origines = {f.facture_origine_id for f in factures.values() if f.facture_origine_id}
    autres = origines | {i for liste in lettrages.values() for i, _ in liste}
    origines_par_id = (
        {f.id: f for f in session.exec(select(Facture).where(col(Facture.id).in_(autres)))}
        if autres
        else {}
    )
    famille_ids = sorted({f.famille_id for f in factures.values()})
    familles: dict[int, Famille] = {}
    enfants: dict[int, Enfant] = {}
    payeurs = carnet_payeurs(session, famille_ids)
    for lot in par_lots(famille_ids, 5_000):
        familles.update(
            (id_de(f), f) for f in session.exec(select(Famille).where(col(Famille.id).in_(lot)))
        )
        enfants.update(
            (id_de(e), e)
            for e in session.exec(select(Enfant).where(col(Enfant.famille_id).in_(lot)))
        )
    regies = {r.id: r for r in session.exec(select(Regie))}
    activites = {a.id: a for a in session.exec(select(Activite))}
    mandats: dict[tuple[int, int], str] = {}
    for lot in par_lots(famille_ids, 5_000):
        for famille_id, regie_id, rum in session.exec(
            select(MandatSepa.famille_id, MandatSepa.regie_id, MandatSepa.rum).where(
                col(MandatSepa.famille_id).in_(lot),
                MandatSepa.actif == True,
            )
        ):
            if familles[famille_id].prelevement:
                mandats[(famille_id, regie_id)] = rum
    resultat = []
    for i in facture_ids:
        f = factures.get(i)
        if f is None:
            raise ErreurMetier("Facture introuvable.")
        leurs = {lg.enfant_id for lg in lignes[i]}
        resultat.append(
            DetailFacture(
                f,
                regies[f.regie_id],
                familles[f.famille_id],
                payeurs.pour(f.famille_id, f.regie_id, f.cree_le),
                lignes[i],
                {e: enfants[e] for e in leurs if e in enfants},
                {
                    lg.activite_id: activites[lg.activite_id]
                    for lg in lignes[i]
                    if lg.activite_id is not None and lg.activite_id in activites
                },
                paiements[i],
                avoirs[i],
                origines_par_id.get(f.facture_origine_id),
                [(origines_par_id[j], m) for j, m in lettrages[i]],
                mandats.get((f.famille_id, f.regie_id)),
            )
        )
    return resultat


def factures_du_mois_a_imprimer(
    session: Session, regie_id: int, debut: dt.date, fin: dt.date
) -> list[DetailFacture]:
    """Every invoice issued for a month of a régie, ready to print (the batch for the post)."""
    ids = factures_du_mois(session, regie_id, debut, fin)
    if not ids:
        raise ErreurMetier("aucune facture émise pour ce mois.")
    return details_factures(session, ids)


def detail_facture(session: Session, facture_id: int) -> DetailFacture:
    return details_factures(session, [facture_id])[0]


@dataclass(frozen=True)
class DetailReglement:
    reglement: Reglement
    regie: Regie
    famille: Famille
    responsable: Responsable | None  # the payer at the time of the payment
    affectations: list[Affectation]
    factures: dict[int, Facture]
    annulation: Reglement | None  # the entry that cancelled this payment
    origine: Reglement | None  # for a cancellation: the payment it cancels

    @property
    def annule(self) -> bool:
        return self.annulation is not None

    @property
    def credit(self) -> int:
        """What the payment left as a credit on the account (not allocated)."""
        return self.reglement.montant - sum(a.montant for a in self.affectations)


def detail_reglement(session: Session, reglement_id: int) -> DetailReglement:
    r = session.get(Reglement, reglement_id)
    if r is None:
        raise ErreurMetier("Règlement introuvable.")
    affectations = list(
        session.exec(
            select(Affectation)
            .where(Affectation.reglement_id == r.id)
            .order_by(col(Affectation.id))
        )
    )
    ids = [a.facture_id for a in affectations]
    factures = {id_de(f): f for f in session.exec(select(Facture).where(col(Facture.id).in_(ids)))}
    return DetailReglement(
        r,
        session.get_one(Regie, r.regie_id),
        session.get_one(Famille, r.famille_id),
        payeur(session, r.famille_id, r.regie_id, r.cree_le),
        affectations,
        factures,
        annulation_de(session, reglement_id),
        session.get(Reglement, r.annule_reglement_id) if r.annule_reglement_id else None,
    )
