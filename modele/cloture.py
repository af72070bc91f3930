"""Closing a régie's day of cash, and the deposit slips (bordereaux de remise).

- A day is closed once, by a régisseur or an administrator: for each mode, what the app
  recorded that day (payments, cancellations and refunds dated that day) against what was
  counted; a difference needs a reason, kept with the closing and printed on its journal.
- A closed day takes no new payment, and its payments can no longer be cancelled (a
  correction is a new operation on a later day): see modele/reglements.py.
- The slips of a closed day: its cheques on one slip, its cash on another, numbered per
  régie without gaps; a live payment (not cancelled) is on exactly one slip, and a slip
  never changes (once printed, not even its print date).
Closings and slips are sealed in the régie's chain (modele/chaine.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from sqlmodel import Session, col, select

from modele.agents import exiger
from modele.base import Contexte, ErreurMetier, id_de
from modele.caisse import Bordereau, Cloture, LigneBordereau, NatureBordereau, cloture_du_jour
from modele.chaine import a_sceller, derniere_empreinte
from modele.famille import payeur
from modele.formats import centimes, euros
from modele.journal import journaliser
from modele.reglements import ModeReglement, Reglement, mode_en_caisse
from modele.structure import Regie, numero_suivant, regies, verrouiller_sequence
from modele.validation import LONGUEUR_MOTIF, verifier_texte

# The modes a régisseur counts at the desk, in the order the screen shows them.
ORDRE_MODES = (
    ModeReglement.ESPECES,
    ModeReglement.CHEQUE,
    ModeReglement.CARTE,
    ModeReglement.CESU,
    ModeReglement.VIREMENT,
    ModeReglement.PRELEVEMENT,
    ModeReglement.PAIEMENT_EN_LIGNE,
    ModeReglement.REMBOURSEMENT,
)
# What each slip takes.
MODES_BORDEREAU = {
    NatureBordereau.CHEQUE: ModeReglement.CHEQUE,
    NatureBordereau.ESPECES: ModeReglement.ESPECES,
}
LIBELLES_BORDEREAU = {
    NatureBordereau.CHEQUE: "Remise de chèques",
    NatureBordereau.ESPECES: "Versement d'espèces",
}


@dataclass(frozen=True)
class TotalMode:
    mode: str
    libelle: str
    nombre: int
    montant: int  # cents, recorded by the app
    compte: int | None = None  # counted, once closed

    @property
    def ecart(self) -> int:
        return 0 if self.compte is None else self.compte - self.montant


@dataclass(frozen=True)
class EtatCaisse:
    """A régie's day: its recorded totals by mode, its payments, its closing and slips."""

    regie: Regie
    jour: dt.date
    totaux: list[TotalMode]
    reglements: list[Reglement]
    cloture: Cloture | None
    bordereaux: list[Bordereau]
    a_remettre: int  # live cheques and cash of the day not yet on a slip
    maillon: tuple[int, str]  # the chain's last number and hash
    beneficiaires: dict[int, str] = field(default_factory=dict)  # refund id → paid to

    @property
    def close(self) -> bool:
        return self.cloture is not None

    @property
    def total(self) -> int:
        return sum(t.montant for t in self.totaux)


def avec_comptes(etat: EtatCaisse, comptes: dict[str, int]) -> EtatCaisse:
    """A day not closed yet, with the amounts counted so far on screen (by mode, cents): the
    journal printed before the closing shows them (it left « Compté » empty)."""
    if etat.close or not comptes:
        return etat
    return replace(etat, totaux=[replace(t, compte=comptes.get(t.mode)) for t in etat.totaux])


def regies_caisse(session: Session) -> list[Regie]:
    """The régies whose cash the app keeps (not those the Trésorerie collects)."""
    return [r for r in regies(session) if not r.encaissement_tresorerie]


def _regie(session: Session, regie_id: int) -> Regie:
    regie = session.get(Regie, regie_id)
    if regie is None:
        raise ErreurMetier("Choisissez la régie.", "regie")
    if regie.encaissement_tresorerie:
        raise ErreurMetier(
            f"La régie {regie.code} est encaissée par la Trésorerie : pas de caisse ici.", "regie"
        )
    return regie


def reglements_du_jour(session: Session, regie_id: int, jour: dt.date) -> list[Reglement]:
    return list(
        session.exec(
            select(Reglement)
            .where(Reglement.regie_id == regie_id, Reglement.date == jour)
            .order_by(col(Reglement.numero))
        )
    )


def totaux_du_jour(reglements: list[Reglement]) -> dict[str, tuple[int, int]]:
    """(count, cents) by mode as the drawer holds them: a cancellation counts in its mode, a
    refund paid in cash in Espèces (it left the drawer), any other refund on its own line."""
    totaux: dict[str, tuple[int, int]] = {}
    for r in reglements:
        mode = mode_en_caisse(r)
        nombre, montant = totaux.get(mode, (0, 0))
        totaux[mode] = (nombre + 1, montant + r.montant)
    return totaux


def especes_du_jour(session: Session, regie_id: int, jour: dt.date) -> int:
    """The cash the day's operations left in the drawer (cents, its float not included):
    a cash refund beyond it is paid from the float (the refund form warns)."""
    return totaux_du_jour(reglements_du_jour(session, regie_id, jour)).get(
        ModeReglement.ESPECES.value, (0, 0)
    )[1]


def _a_remettre(session: Session, regie_id: int, jour: dt.date) -> dict[str, list[Reglement]]:
    """The day's live cheques and cash not yet on a slip, by slip nature. The cash slip also
    takes the day's refunds paid in cash (they left the drawer): it deposits what is there,
    and is not made while those refunds take all the cash received."""
    annules = select(Reglement.annule_reglement_id).where(
        col(Reglement.annule_reglement_id).is_not(None)
    )
    deja = select(LigneBordereau.reglement_id)
    modes = [m.value for m in MODES_BORDEREAU.values()] + [ModeReglement.REMBOURSEMENT.value]
    du_jour = session.exec(
        select(Reglement)
        .where(
            Reglement.regie_id == regie_id,
            Reglement.date == jour,
            col(Reglement.mode).in_(modes),
            col(Reglement.annule_reglement_id).is_(None),
            col(Reglement.id).not_in(annules),
            col(Reglement.id).not_in(deja),
        )
        .order_by(col(Reglement.numero))
    ).all()
    resultat: dict[str, list[Reglement]] = {}
    for nature, mode in MODES_BORDEREAU.items():
        recus = [r for r in du_jour if r.mode == mode.value and r.montant > 0]
        rendus = [
            r
            for r in du_jour
            if r.mode == ModeReglement.REMBOURSEMENT and mode_en_caisse(r) == mode.value
        ]
        remis = sorted(recus + rendus, key=lambda r: r.numero)
        resultat[nature] = remis if recus and sum(r.montant for r in remis) > 0 else []
    return resultat


def etat_caisse(session: Session, regie_id: int, jour: dt.date) -> EtatCaisse:
    regie = _regie(session, regie_id)
    reglements = reglements_du_jour(session, regie_id, jour)
    cloture = cloture_du_jour(session, regie_id, jour)
    comptages = cloture.comptages if cloture else {}
    # A closed day shows what its sealed closing recorded, as it was counted then.
    totaux = (
        {m: (c["nombre"], c["enregistre"]) for m, c in comptages.items()}
        if cloture
        else totaux_du_jour(reglements)
    )
    modes: list[str] = [m.value for m in ORDRE_MODES if m.value in totaux or m.value in comptages]
    modes += sorted(m for m in set(totaux) | set(comptages) if m not in modes)
    lignes = [
        TotalMode(
            m,
            ModeReglement(m).libelle,
            totaux.get(m, (0, 0))[0],
            totaux.get(m, (0, 0))[1],
            comptages[m]["compte"] if m in comptages else None,
        )
        for m in modes
    ]
    bordereaux = list(
        session.exec(
            select(Bordereau)
            .where(Bordereau.regie_id == regie_id, Bordereau.jour == jour)
            .order_by(col(Bordereau.numero))
        )
    )
    restant = sum(len(v) for v in _a_remettre(session, regie_id, jour).values())
    return EtatCaisse(
        regie,
        jour,
        lignes,
        reglements,
        cloture,
        bordereaux,
        restant,
        derniere_empreinte(session, regie_id),
        beneficiaires(session, regie_id, reglements),
    )


def beneficiaires(session: Session, regie_id: int, reglements: list[Reglement]) -> dict[int, str]:
    """Whom each refund among `reglements` was paid to: the family's payer for the régie
    when it was made (a refund has no « payeur » of its own), by refund id."""
    return {
        id_de(r): qui.nom_prenom
        for r in reglements
        if r.mode == ModeReglement.REMBOURSEMENT
        and (qui := payeur(session, r.famille_id, regie_id, r.cree_le)) is not None
    }


def verifier_compte(mode: str, compte: int, champ: str = "comptes", enregistre: int = 0) -> int:
    """The amount counted for a mode, in cents: never negative, except for refunds (money
    paid out) and a mode whose day is below zero (cash refunds beyond the cash received,
    paid from the float). ErreurMetier at `champ` otherwise."""
    if compte < 0 and mode != ModeReglement.REMBOURSEMENT and enregistre >= 0:
        raise ErreurMetier(
            f"Le montant compté en {ModeReglement(mode).libelle} ne peut être négatif.", champ
        )
    return compte


def compte_saisi(mode: str, texte: str, champ: str = "compte", enregistre: int = 0) -> int:
    """The amount counted for a mode as typed at the desk ("120,60"), in cents, checked as
    the closing checks it (`enregistre`: the mode's recorded amount): a bad or negative
    amount is refused at `champ`."""
    if not texte.strip():
        raise ErreurMetier("Saisissez le montant compté.", champ)
    try:
        compte = centimes(texte)
    except ValueError as erreur:
        raise ErreurMetier(str(erreur), champ) from None
    return verifier_compte(mode, compte, champ, enregistre)


def exiger_tout_compte(enregistres: dict[str, int], comptes: dict[str, int]) -> None:
    """Every mode recorded that day counted (checked by the screen before it asks the
    reason of a difference, which was typed for nothing)."""
    manquants = [m for m in enregistres if m not in comptes]
    if manquants:
        raise ErreurMetier(
            "Indiquez le montant compté pour : "
            + ", ".join(
                f"{ModeReglement(m).libelle} (enregistré : {euros(enregistres[m])})"
                for m in sorted(manquants, key=_rang)
            )
            + ".",
            "comptes",
        )


def exiger_jour_venu(jour: dt.date, aujourdhui: dt.date) -> None:
    if jour > aujourdhui:
        raise ErreurMetier("On ne clôture pas une caisse d'un jour à venir.", "jour")


def texte_ecarts(ecarts: dict[str, int]) -> str:
    """ "Espèces −7,90 €, Chèque +2,00 €": the modes whose counted amount differs from the
    recorded one (counted − recorded), in cents by mode."""
    return ", ".join(
        f"{ModeReglement(m).libelle} {'+' if e > 0 else ''}{euros(e)}"
        for m, e in ecarts.items()
        if e
    )


def cloturer_caisse(
    session: Session,
    contexte: Contexte,
    regie_id: int,
    jour: dt.date,
    comptes: dict[str, int],
    motif: str = "",
) -> Cloture:
    """Close the day: `comptes` is the counted amount (cents) by mode, one for every mode
    recorded that day; any difference needs `motif`. Refused twice, or for a day to come."""
    exiger(session, contexte, "cloturer")
    regie = _regie(session, regie_id)
    exiger_jour_venu(jour, contexte.aujourdhui)
    # The closing's own sequence locks the régie's closings: two régisseurs at once never
    # both close the day (the second sees the first's closing below).
    verrouiller_sequence(session, regie_id, "cloture")
    deja = cloture_du_jour(session, regie_id, jour)
    if deja is not None:
        raise ErreurMetier(
            f"La caisse du {jour:%d/%m/%Y} est déjà close ({deja.reference}).", "jour"
        )
    motif = verifier_texte(motif or "", "motif", LONGUEUR_MOTIF, libelle="Le motif").strip()
    totaux = totaux_du_jour(reglements_du_jour(session, regie_id, jour))
    inconnus = [m for m in comptes if m not in {x.value for x in ModeReglement}]
    if inconnus:
        raise ErreurMetier(f"Mode de règlement inconnu : {', '.join(inconnus)}.", "comptes")
    exiger_tout_compte({m: montant for m, (_, montant) in totaux.items()}, comptes)
    comptages = {}
    for mode in sorted(set(totaux) | set(comptes), key=_rang):
        nombre, enregistre = totaux.get(mode, (0, 0))
        compte = verifier_compte(mode, comptes.get(mode, 0), enregistre=enregistre)
        comptages[mode] = {"nombre": nombre, "enregistre": enregistre, "compte": compte}
    ecarts = {m: c["compte"] - c["enregistre"] for m, c in comptages.items()}
    if any(ecarts.values()) and not motif:
        raise ErreurMetier(
            f"Écart de caisse ({texte_ecarts(ecarts)}) : le motif est obligatoire.", "motif"
        )
    enregistre = sum(c["enregistre"] for c in comptages.values())
    compte = sum(c["compte"] for c in comptages.values())
    numero = numero_suivant(session, regie_id, "cloture")
    cloture = Cloture(
        regie_id=regie_id,
        numero=numero,
        reference=f"{regie.code}-CL{numero}",
        jour=jour,
        comptages=comptages,
        enregistre=enregistre,
        compte=compte,
        ecart=compte - enregistre,
        motif=motif,
        cloturee_par=contexte.agent_id,
        cree_le=contexte.maintenant(),
    )
    session.add(cloture)
    session.flush()
    a_sceller(session, regie_id, "cloture", [id_de(cloture)])
    journaliser(
        session,
        contexte,
        "caisse cloturee",
        "cloture",
        cloture.id,
        apres={
            "reference": cloture.reference,
            "jour": jour.isoformat(),
            "enregistre": enregistre,
            "compte": compte,
            "ecart": compte - enregistre,
            "motif": motif,
        },
    )
    return cloture


def _rang(mode: str) -> int:
    valeurs = [m.value for m in ORDRE_MODES]
    return valeurs.index(mode) if mode in valeurs else len(valeurs)


def etablir_bordereaux(
    session: Session, contexte: Contexte, regie_id: int, jour: dt.date
) -> list[Bordereau]:
    """The slips of a closed day: one for its cheques, one for its cash (each when there
    is any), numbered in the régie's sequence; the payments already on a slip stay there."""
    exiger(session, contexte, "cloturer")
    regie = _regie(session, regie_id)
    if cloture_du_jour(session, regie_id, jour) is None:
        raise ErreurMetier(
            f"Clôturez d'abord la caisse du {jour:%d/%m/%Y} : les bordereaux se font "
            "sur une journée close.",
            "jour",
        )
    # Lock the slips' sequence before reading what to deposit (two clicks, two counters).
    verrouiller_sequence(session, regie_id, "bordereau")
    a_remettre = {n: v for n, v in _a_remettre(session, regie_id, jour).items() if v}
    if not a_remettre:
        especes = totaux_du_jour(reglements_du_jour(session, regie_id, jour)).get(
            ModeReglement.ESPECES.value, (0, 0)
        )
        if especes[0] and especes[1] <= 0:
            raise ErreurMetier(
                f"Rien à remettre pour le {jour:%d/%m/%Y} : les remboursements en espèces "
                "du jour égalent ou dépassent les espèces reçues, et aucun chèque n'est "
                "hors bordereau."
            )
        raise ErreurMetier(
            f"Rien à remettre pour le {jour:%d/%m/%Y} : ni chèque ni espèces hors bordereau."
        )
    premier = numero_suivant(session, regie_id, "bordereau", len(a_remettre))
    faits = []
    for i, (nature, reglements) in enumerate(a_remettre.items()):
        numero = premier + i
        bordereau = Bordereau(
            regie_id=regie_id,
            numero=numero,
            reference=f"{regie.code}-BR{numero}",
            nature=nature,
            jour=jour,
            nombre=len(reglements),
            total=sum(r.montant for r in reglements),
            cree_par=contexte.agent_id,
            cree_le=contexte.maintenant(),
        )
        session.add(bordereau)
        session.flush()
        session.add_all(
            [
                LigneBordereau(bordereau_id=id_de(bordereau), reglement_id=id_de(r))
                for r in reglements
            ]
        )
        session.flush()
        a_sceller(session, regie_id, "bordereau", [id_de(bordereau)])
        journaliser(
            session,
            contexte,
            "bordereau etabli",
            "bordereau",
            bordereau.id,
            apres={
                "reference": bordereau.reference,
                "nature": nature,
                "jour": jour.isoformat(),
                "nombre": bordereau.nombre,
                "total": bordereau.total,
            },
        )
        faits.append(bordereau)
    return faits


@dataclass(frozen=True)
class DetailBordereau:
    bordereau: Bordereau
    regie: Regie
    reglements: list[Reglement]
    maillon: tuple[int, str]
    beneficiaires: dict[int, str] = field(default_factory=dict)  # refund id → paid to

    @property
    def libelle(self) -> str:
        return LIBELLES_BORDEREAU[self.bordereau.nature]


def detail_bordereau(session: Session, bordereau_id: int) -> DetailBordereau:
    bordereau = session.get(Bordereau, bordereau_id)
    if bordereau is None:
        raise ErreurMetier("Bordereau introuvable.")
    reglements = list(
        session.exec(
            select(Reglement)
            .join(LigneBordereau, col(LigneBordereau.reglement_id) == Reglement.id)
            .where(LigneBordereau.bordereau_id == bordereau_id)
            .order_by(col(Reglement.numero))
        )
    )
    return DetailBordereau(
        bordereau,
        session.get_one(Regie, bordereau.regie_id),
        reglements,
        derniere_empreinte(session, bordereau.regie_id),
        beneficiaires(session, bordereau.regie_id, reglements),
    )


def imprimer_bordereau(session: Session, contexte: Contexte, bordereau_id: int) -> DetailBordereau:
    """A slip to print; its first print is noted (and journaled), it never changes after."""
    exiger(session, contexte, "cloturer")
    detail = detail_bordereau(session, bordereau_id)
    if detail.bordereau.imprime_le is None:
        detail.bordereau.imprime_le = contexte.maintenant()
        session.add(detail.bordereau)
        session.flush()
        journaliser(
            session,
            contexte,
            "bordereau imprime",
            "bordereau",
            bordereau_id,
            apres={"reference": detail.bordereau.reference},
        )
    return detail


def bordereau_par_reference(session: Session, reference: str) -> Bordereau:
    trouve = session.exec(
        select(Bordereau).where(Bordereau.reference == reference.strip().upper())
    ).first()
    if trouve is None:
        raise ErreurMetier(f"Bordereau inconnu « {reference} ».")
    return trouve
