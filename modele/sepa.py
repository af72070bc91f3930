"""SEPA direct debit (prélèvement): mandates, the month's remise, collection and rejects.

- A family pays a régie by direct debit when it has an active mandate in that régie
  (`MandatSepa`: RUM, date of signature, first or recurring sequence), its bank details are
  valid (IBAN/BIC of the Coordonnées bancaires) and "prélèvement" is on in its file.
- After billing, the month's remise takes each such family's invoices of the month still due
  (`Prelevement` rows) for a collection date; the pain.008 file is drawn from it
  (exports/sepa.py). The régie's creditor identifier (ICS) is checked with python-stdnum.
- On the collection date the debits are passed: each becomes a payment (mode prélèvement,
  dated the collection day) allocated to its invoice, which is then "prélevée"; a mandate's
  first debit turns it recurring.
- A reject entered at the counter (SEPA reason code) cancels that payment by a reversing
  entry: the invoice is due again and the Relevé shows the reject.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from modele.agents import exiger
from modele.base import Contexte, ErreurMetier, id_de
from modele.caisse import exiger_jour_ouvert, jour_d_operation
from modele.chaine import a_sceller
from modele.facturation import Facture, NatureFacture, par_lots
from modele.famille import Famille, Responsable, carnet_payeurs
from modele.formats import date_courte, mois_annee
from modele.journal import journaliser
from modele.reglements import (
    PREFIXE_REJET,
    Affectation,
    ModeReglement,
    Reglement,
    lettrer,
    restes_dus,
)
from modele.structure import Regie, collectivite, numero_suivant
from modele.tables.sepa import (
    MandatSepa,
    Prelevement,
    RemisePrelevement,
    Sequence,
)
from modele.validation import bic_de_l_iban, verifier_bic, verifier_iban, verifier_rum

# SEPA reasons for a reject (R-transactions), as banks return them.
MOTIFS_REJET = {
    "AC01": "Numéro de compte incorrect",
    "AC04": "Compte clôturé",
    "AC06": "Compte bloqué",
    "AG01": "Transaction interdite sur ce type de compte",
    "AG02": "Code opération invalide",
    "AM04": "Provision insuffisante",
    "AM05": "Opération en double",
    "BE05": "Créancier inconnu",
    "FF01": "Format de fichier invalide",
    "MD01": "Absence de mandat",
    "MD02": "Données du mandat incomplètes",
    "MD06": "Remboursement demandé par le débiteur",
    "MD07": "Débiteur décédé",
    "MS02": "Refus du débiteur",
    "MS03": "Raison non communiquée",
    "RC01": "BIC incorrect",
    "RR01": "Identification du débiteur manquante",
    "SL01": "Service spécifique de la banque",
}


def verifier_ics(ics: str) -> str:
    """The SEPA creditor identifier (AT-02), compact; a French message when invalid."""
    # Imported here for the app's memory: python-stdnum brings pydoc and pkgutil with it
    # (1.3 MB), and the ICS is checked only when a régie's settings are saved.
    from stdnum.eu import at_02
    from stdnum.exceptions import ValidationError

    try:
        return at_02.validate(ics)
    except ValidationError:
        raise ErreurMetier(
            f"Identifiant créancier SEPA (ICS) invalide « {ics} » (ex. FR72ZZZ123456).", "ics"
        ) from None


def rum_par_defaut(regie: Regie, famille: Famille) -> str:
    return f"{regie.code}-{famille.numero}"


def mandat_actif(session: Session, famille_id: int, regie_id: int) -> MandatSepa | None:
    return session.exec(
        select(MandatSepa).where(
            MandatSepa.famille_id == famille_id,
            MandatSepa.regie_id == regie_id,
            MandatSepa.actif == True,
        )
    ).first()


def mandats_famille(session: Session, famille_id: int) -> list[MandatSepa]:
    return list(
        session.exec(
            select(MandatSepa)
            .where(MandatSepa.famille_id == famille_id)
            .order_by(col(MandatSepa.date_signature))
        )
    )


def enregistrer_mandat(
    session: Session,
    contexte: Contexte,
    famille_id: int,
    regie_id: int,
    rum: str,
    date_signature: dt.date,
) -> MandatSepa:
    """Record a family's signed mandate for a régie (the former one, if any, is closed).

    The family's bank details must be valid already: they are what the mandate debits."""
    exiger(session, contexte, "prelever")
    famille = session.get(Famille, famille_id)
    regie = session.get(Regie, regie_id)
    if famille is None or regie is None:
        raise ErreurMetier("Famille ou régie introuvable.")
    if regie.encaissement_tresorerie:
        raise ErreurMetier("Cette régie est encaissée par la Trésorerie : pas de prélèvement ici.")
    rum = verifier_rum(rum)
    if date_signature > contexte.aujourdhui:
        raise ErreurMetier("La date de signature ne peut pas être après aujourd'hui.", "date")
    if not famille.iban:
        raise ErreurMetier(
            "Saisissez d'abord les coordonnées bancaires de la famille (IBAN).", "rum"
        )
    verifier_iban(famille.iban)
    autre = session.exec(select(MandatSepa).where(MandatSepa.rum == rum)).first()
    if autre is not None:
        raise ErreurMetier(f"La référence de mandat {rum} existe déjà.", "rum")
    ancien = mandat_actif(session, famille_id, regie_id)
    if ancien is not None:
        ancien.actif = False
        session.add(ancien)
    mandat = MandatSepa(
        famille_id=famille_id,
        regie_id=regie_id,
        rum=rum,
        date_signature=date_signature,
        cree_le=contexte.maintenant(),
    )
    session.add(mandat)
    session.flush()
    journaliser(
        session,
        contexte,
        "mandat enregistre",
        "mandatsepa",
        mandat.id,
        famille_id,
        avant={"rum": ancien.rum} if ancien else None,
        apres={"rum": rum, "regie": regie.code, "signature": date_signature.isoformat()},
    )
    return mandat


def enregistrer_mandat_famille(
    session: Session,
    contexte: Contexte,
    numero_famille: str,
    regie_id: int,
    rum: str,
    date_signature: dt.date | None,
) -> MandatSepa:
    """`enregistrer_mandat` from the family's number, as typed at the counter; an empty RUM
    takes the régie's default ("AL-" and the family's number)."""
    exiger(session, contexte, "prelever")
    famille = session.exec(
        select(Famille).where(Famille.numero == (numero_famille or "").strip())
    ).first()
    if famille is None:
        raise ErreurMetier(f"Aucune famille n° « {numero_famille.strip()} ».", "famille")
    if date_signature is None:
        raise ErreurMetier("La date de signature du mandat est obligatoire.", "date")
    regie = session.get(Regie, regie_id)
    if regie is None:
        raise ErreurMetier("Régie introuvable.")
    return enregistrer_mandat(
        session,
        contexte,
        id_de(famille),
        regie_id,
        rum if (rum or "").strip() else rum_par_defaut(regie, famille),
        date_signature,
    )


def regler_creancier(
    session: Session, contexte: Contexte, regie_id: int, ics: str, iban: str, bic: str
) -> Regie:
    """The régie's creditor identity for its direct debits (ICS, account), checked, journaled."""
    exiger(session, contexte, "prelever")
    regie = session.get(Regie, regie_id)
    if regie is None:
        raise ErreurMetier("Régie introuvable.")
    ics = verifier_ics(ics)
    if not iban.strip():
        raise ErreurMetier("L'IBAN du compte de la régie est obligatoire.", "iban")
    iban = verifier_iban(iban)
    bic = verifier_bic(bic) or bic_de_l_iban(iban)
    if not bic:
        raise ErreurMetier("Le BIC du compte de la régie est obligatoire.", "bic")
    avant = {"ics": regie.ics, "iban": regie.iban_creancier, "bic": regie.bic_creancier}
    regie.ics, regie.iban_creancier, regie.bic_creancier = ics, iban, bic
    session.add(regie)
    journaliser(
        session,
        contexte,
        "creancier sepa",
        "regie",
        regie.id,
        avant=avant,
        apres={"ics": ics, "iban": iban, "bic": bic},
    )
    session.flush()
    return regie


def factures_en_cours_de_prelevement(session: Session, facture_ids: list[int]) -> set[int]:
    """The invoices in a remise whose debit has not been passed yet."""
    trouvees: set[int] = set()
    for lot in par_lots(facture_ids, 5_000):
        trouvees.update(
            session.exec(
                select(Prelevement.facture_id).where(
                    col(Prelevement.facture_id).in_(lot),
                    col(Prelevement.reglement_id).is_(None),
                )
            )
        )
    return trouvees


@dataclass(frozen=True)
class APrelever:
    facture: Facture
    famille: Famille
    mandat: MandatSepa
    montant: int
    titulaire: str


@dataclass(frozen=True)
class ApercuPrelevements:
    regie: Regie
    mois: dt.date
    lignes: list[APrelever]
    anomalies: list[str]

    @property
    def total(self) -> int:
        return sum(a.montant for a in self.lignes)


def _titulaire(famille: Famille, payeur: Responsable | None) -> str:
    if famille.titulaire_compte.strip():
        return famille.titulaire_compte.strip()
    if payeur is not None:
        return f"{payeur.nom} {payeur.prenoms}".strip()
    return f"Famille {famille.numero}"


def apercu_prelevements(session: Session, regie_id: int, mois: dt.date) -> ApercuPrelevements:
    """The month's invoices of the families paying the régie by direct debit, still due and
    in no remise yet; anomalies: a mandate whose family's bank details cannot be debited."""
    regie = session.get(Regie, regie_id)
    if regie is None:
        raise ErreurMetier("Régie introuvable.")
    debut = mois.replace(day=1)
    fin = (debut + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    mandats = {
        m.famille_id: m
        for m in session.exec(
            select(MandatSepa).where(MandatSepa.regie_id == regie_id, MandatSepa.actif == True)
        )
    }
    factures = [
        f
        for f in session.exec(
            select(Facture)
            .where(
                Facture.regie_id == regie_id,
                Facture.nature == NatureFacture.FACTURE,
                Facture.periode_debut >= debut,
                Facture.periode_debut <= fin,
            )
            .order_by(col(Facture.numero))
        )
        if f.famille_id in mandats
    ]
    restes = restes_dus(session, factures)
    deja: set[int] = set()
    for lot in par_lots([id_de(f) for f in factures], 5_000):
        deja.update(
            session.exec(
                select(Prelevement.facture_id).where(
                    col(Prelevement.facture_id).in_(lot),
                    col(Prelevement.rejet_reglement_id).is_(None),
                )
            )
        )
    familles = {
        f.id: f
        for lot in par_lots(sorted(mandats), 5_000)
        for f in session.exec(select(Famille).where(col(Famille.id).in_(lot)))
    }
    carnet = carnet_payeurs(session, sorted({f.famille_id for f in factures}))
    lignes, anomalies = [], []
    for f in factures:
        if restes[id_de(f)] <= 0 or f.id in deja:
            continue
        famille = familles[f.famille_id]
        if not famille.prelevement:
            anomalies.append(
                f"{famille.numero} : prélèvement désactivé dans la fiche, facture "
                f"{f.reference} non prélevée."
            )
            continue
        try:
            if not famille.iban.strip():
                raise ErreurMetier("IBAN manquant dans les coordonnées bancaires.")
            verifier_iban(famille.iban)
            if famille.bic:
                verifier_bic(famille.bic)
        except ErreurMetier as e:
            anomalies.append(f"{famille.numero} : {e.message} Facture {f.reference} non prélevée.")
            continue
        payeur = carnet.pour(f.famille_id, regie_id, dt.datetime.combine(fin, dt.time.max))
        lignes.append(
            APrelever(
                f, famille, mandats[f.famille_id], restes[id_de(f)], _titulaire(famille, payeur)
            )
        )
    return ApercuPrelevements(regie, debut, lignes, anomalies)


def verifier_creancier(regie: Regie) -> None:
    verifier_ics(regie.ics)
    if not regie.iban_creancier:
        raise ErreurMetier("Le compte (IBAN) de la régie pour les prélèvements manque.", "iban")
    verifier_iban(regie.iban_creancier)
    if not regie.bic_creancier:
        raise ErreurMetier("Le BIC du compte de la régie pour les prélèvements manque.", "bic")
    verifier_bic(regie.bic_creancier)


# The invoice is the debit's pre-notification: the SEPA rulebook's default is 14 calendar
# days before the collection, unless a shorter notice was agreed with the families.
PRENOTIFICATION_JOURS = 14
# Banks take a remise's file some TARGET business days before its collection date.
DELAI_BANQUE_JOURS_OUVRES = 2


def jour_ouvre_sepa(jour: dt.date) -> bool:
    """A day banks collect on: Monday to Friday, not a TARGET holiday (1 January, Good
    Friday, Easter Monday, 1 May, 25 and 26 December: the ECB's calendar)."""
    import holidays  # (only when a remise is prepared: the family file does not need it)

    return jour.weekday() < 5 and jour not in holidays.financial_holidays("ECB", years=jour.year)


def verifier_date_prelevement(echeance: dt.date, aujourdhui: dt.date) -> None:
    """A collection date banks can take: a TARGET business day, after today."""
    if echeance <= aujourdhui:
        raise ErreurMetier(
            "La date de prélèvement doit être après aujourd'hui (délai de la banque).", "echeance"
        )
    if not jour_ouvre_sepa(echeance):
        quel = {5: "un samedi", 6: "un dimanche"}.get(
            echeance.weekday(), "un jour férié des banques (calendrier TARGET)"
        )
        raise ErreurMetier(
            f"Le {echeance:%d/%m/%Y} est {quel} : les banques ne prélèvent pas ce jour-là.",
            "echeance",
        )


def date_prelevement_proposee(apercu: ApercuPrelevements, aujourdhui: dt.date) -> dt.date:
    """The first collection date that leaves the bank its delay and the families their
    pre-notification since the latest invoice of the remise."""
    jour = premier_jour_pour_la_banque(aujourdhui)
    if (emission := derniere_emission(apercu)) is not None:
        jour = max(jour, emission + dt.timedelta(days=PRENOTIFICATION_JOURS))
    while not jour_ouvre_sepa(jour):
        jour += dt.timedelta(days=1)
    return jour


def premier_jour_pour_la_banque(aujourdhui: dt.date) -> dt.date:
    """The first day after the bank's delay (DELAI_BANQUE_JOURS_OUVRES business days)."""
    jour, ouvres = aujourdhui, 0
    while ouvres < DELAI_BANQUE_JOURS_OUVRES:
        jour += dt.timedelta(days=1)
        ouvres += jour_ouvre_sepa(jour)
    return jour + dt.timedelta(days=1)


def derniere_emission(apercu: ApercuPrelevements) -> dt.date | None:
    return max((a.facture.date_emission for a in apercu.lignes), default=None)


def preavis_court(
    apercu: ApercuPrelevements, echeance: dt.date, aujourdhui: dt.date | None = None
) -> str | None:
    """What to warn of when the collection comes less than PRENOTIFICATION_JOURS after an
    invoice of the remise was issued (its pre-notification), or (with `aujourdhui`) before
    the bank's delay is over; None otherwise."""
    avis = []
    emission = derniere_emission(apercu)
    if emission is not None and echeance < emission + dt.timedelta(days=PRENOTIFICATION_JOURS):
        ecart = (echeance - emission).days
        avis.append(
            f"Le prélèvement du {echeance:%d/%m/%Y} vient {ecart} jour"
            f"{'s' if ecart > 1 else ''} après l'émission des factures (le "
            f"{emission:%d/%m/%Y}) : le préavis SEPA est de {PRENOTIFICATION_JOURS} jours, "
            "sauf délai plus court convenu avec les familles."
        )
    if aujourdhui is not None and echeance < premier_jour_pour_la_banque(aujourdhui):
        avis.append(
            f"La banque demande d'ordinaire {DELAI_BANQUE_JOURS_OUVRES} jours ouvrés pour "
            f"traiter le fichier : un prélèvement au {echeance:%d/%m/%Y} risque d'être refusé "
            "ou décalé."
        )
    return " ".join(avis) or None


def creer_remise(
    session: Session, contexte: Contexte, regie_id: int, mois: dt.date, echeance: dt.date
) -> RemisePrelevement:
    """The month's remise for a collection date: every invoice of `apercu_prelevements`,
    recorded and journaled in one transaction; the file is drawn from it afterwards."""
    exiger(session, contexte, "prelever")
    regie = session.get(Regie, regie_id)
    if regie is None:
        raise ErreurMetier("Régie introuvable.")
    verifier_creancier(regie)
    verifier_date_prelevement(echeance, contexte.aujourdhui)
    apercu = apercu_prelevements(session, regie_id, mois)
    if not apercu.lignes:
        raise ErreurMetier(f"Aucune facture à prélever pour {mois_annee(apercu.mois)}.")
    moment = contexte.maintenant()
    remise = RemisePrelevement(
        regie_id=regie_id,
        mois=apercu.mois,
        date_echeance=echeance,
        reference=f"{regie.code}-PRLV-{apercu.mois:%Y%m}-{moment:%Y%m%d%H%M%S}",
        nombre=len(apercu.lignes),
        total=apercu.total,
        agent_id=contexte.agent_id,
        cree_le=moment,
    )
    session.add(remise)
    session.flush()
    for a in apercu.lignes:
        session.add(
            Prelevement(
                remise_id=id_de(remise),
                facture_id=id_de(a.facture),
                mandat_id=id_de(a.mandat),
                montant=a.montant,
                sequence=a.mandat.sequence,
                iban=a.famille.iban.replace(" ", "").upper(),
                bic=a.famille.bic.strip().upper() or bic_de_l_iban(a.famille.iban),
                titulaire=a.titulaire,
            )
        )
    journaliser(
        session,
        contexte,
        "remise prelevement",
        "remiseprelevement",
        remise.id,
        apres={
            "regie": regie.code,
            "mois": apercu.mois.isoformat(),
            "echeance": echeance.isoformat(),
            "nombre": remise.nombre,
            "total": remise.total,
        },
    )
    session.flush()
    return remise


@dataclass(frozen=True)
class DonneesRemise:
    """What the pain.008 file needs, as plain values."""

    regie: Regie
    nom_creancier: str
    remise: RemisePrelevement
    lignes: list[tuple[Prelevement, Facture, MandatSepa]]


def donnees_remise(session: Session, remise_id: int) -> DonneesRemise:
    remise = session.get(RemisePrelevement, remise_id)
    if remise is None:
        raise ErreurMetier("Remise de prélèvements introuvable.")
    regie = session.get(Regie, remise.regie_id)
    if regie is None:
        raise ErreurMetier("Régie introuvable.")
    lignes = list(
        session.exec(
            select(Prelevement, Facture, MandatSepa)
            .join(Facture, col(Facture.id) == col(Prelevement.facture_id))
            .join(MandatSepa, col(MandatSepa.id) == col(Prelevement.mandat_id))
            .where(Prelevement.remise_id == remise_id)
            .order_by(col(Facture.numero))
        )
    )
    return DonneesRemise(regie, collectivite(session).nom, remise, lignes)


def remises(session: Session, regie_id: int) -> list[RemisePrelevement]:
    return list(
        session.exec(
            select(RemisePrelevement)
            .where(RemisePrelevement.regie_id == regie_id)
            .order_by(col(RemisePrelevement.date_echeance).desc(), col(RemisePrelevement.id).desc())
        )
    )


def passer_prelevements(session: Session, contexte: Contexte, regie_id: int) -> int:
    """On or after their collection date, the remises' debits become payments (mode
    prélèvement, dated the collection day) allocated to their invoice: "prélevée". Returns
    how many were passed."""
    exiger(session, contexte, "prelever")
    regie = session.get(Regie, regie_id)
    if regie is None:
        raise ErreurMetier("Régie introuvable.")
    en_attente = list(
        session.exec(
            select(Prelevement, RemisePrelevement, Facture, MandatSepa)
            .join(RemisePrelevement, col(RemisePrelevement.id) == col(Prelevement.remise_id))
            .join(Facture, col(Facture.id) == col(Prelevement.facture_id))
            .join(MandatSepa, col(MandatSepa.id) == col(Prelevement.mandat_id))
            .where(
                RemisePrelevement.regie_id == regie_id,
                RemisePrelevement.date_echeance <= contexte.aujourdhui,
                col(Prelevement.reglement_id).is_(None),
            )
            .order_by(col(RemisePrelevement.date_echeance), col(Prelevement.id))
        )
    )
    familles = set()
    for ligne, remise, facture, mandat in en_attente:
        exiger_jour_ouvert(session, regie_id, remise.date_echeance)
        numero = numero_suivant(session, regie_id, "reglement")
        reglement = Reglement(
            regie_id=regie_id,
            numero=numero,
            reference=f"{regie.code}-{numero}",
            famille_id=facture.famille_id,
            date=remise.date_echeance,
            mode=ModeReglement.PRELEVEMENT.value,
            reference_paiement=facture.reference,
            payeur=ligne.titulaire,
            montant=ligne.montant,
            saisi_par=contexte.agent_id,
            cree_le=contexte.maintenant(),
        )
        session.add(reglement)
        session.flush()
        a_sceller(session, regie_id, "reglement", [id_de(reglement)])
        part = min(ligne.montant, max(restes_dus(session, [facture])[id_de(facture)], 0))
        if part > 0:
            session.add(
                Affectation(reglement_id=reglement.id, facture_id=id_de(facture), montant=part)
            )
        ligne.reglement_id = reglement.id
        session.add(ligne)
        if mandat.sequence == Sequence.PREMIER:
            mandat.sequence = Sequence.RECURRENT.value
            session.add(mandat)
        journaliser(
            session,
            contexte,
            "prelevement passe",
            "reglement",
            reglement.id,
            facture.famille_id,
            apres={
                "reference": reglement.reference,
                "facture": facture.reference,
                "montant": ligne.montant,
                "echeance": remise.date_echeance.isoformat(),
            },
        )
        familles.add(facture.famille_id)
    session.flush()
    for famille_id in sorted(familles):
        lettrer(session, contexte, famille_id, regie_id)  # a debit beyond what was due
    return len(en_attente)


@dataclass(frozen=True)
class LignePrelevement:
    prelevement: Prelevement
    facture: Facture
    famille: Famille
    remise: RemisePrelevement

    @property
    def etat(self) -> str:
        p = self.prelevement
        if p.rejet_reglement_id is not None:
            return f"Rejeté ({p.code_rejet})"
        if p.reglement_id is not None:
            return "Prélevé"
        return f"À prélever le {date_courte(self.remise.date_echeance)}"


def lignes_prelevements(session: Session, regie_id: int) -> list[LignePrelevement]:
    """Every debit of the régie, latest remise first."""
    return [
        LignePrelevement(p, f, fam, r)
        for p, f, fam, r in session.exec(
            select(Prelevement, Facture, Famille, RemisePrelevement)
            .join(Facture, col(Facture.id) == col(Prelevement.facture_id))
            .join(Famille, col(Famille.id) == col(Facture.famille_id))
            .join(RemisePrelevement, col(RemisePrelevement.id) == col(Prelevement.remise_id))
            .where(RemisePrelevement.regie_id == regie_id)
            .order_by(
                col(RemisePrelevement.date_echeance).desc(),
                col(RemisePrelevement.id).desc(),
                col(Facture.numero),
            )
        )
    ]


def rejeter_prelevement(
    session: Session, contexte: Contexte, prelevement_id: int, code: str
) -> Reglement:
    """A debit the bank returned: its payment is cancelled by a reversing entry with the
    reason code, so the invoice is due again; journaled."""
    exiger(session, contexte, "prelever")
    code = (code or "").strip().upper()
    if code not in MOTIFS_REJET:
        raise ErreurMetier(
            f"Code de rejet inconnu « {code} » (ex. AM04 : provision insuffisante).", "code"
        )
    ligne = session.get(Prelevement, prelevement_id)
    if ligne is None:
        raise ErreurMetier("Prélèvement introuvable.")
    if ligne.rejet_reglement_id is not None:
        raise ErreurMetier(f"Ce prélèvement est déjà rejeté ({ligne.code_rejet}).")
    if ligne.reglement_id is None:
        raise ErreurMetier(
            "Ce prélèvement n'est pas encore passé : un rejet se saisit après l'échéance."
        )
    origine = session.get(Reglement, ligne.reglement_id)
    if origine is None:
        raise ErreurMetier("Le règlement de ce prélèvement est introuvable.")
    regie = session.get(Regie, origine.regie_id)
    if regie is None:
        raise ErreurMetier("Régie introuvable.")
    regie_id = id_de(regie)
    jour = jour_d_operation(session, regie_id, contexte.aujourdhui)
    numero = numero_suivant(session, regie_id, "reglement")
    motif = f"{PREFIXE_REJET} {code} : {MOTIFS_REJET[code]}"
    rejet = Reglement(
        regie_id=regie_id,
        numero=numero,
        reference=f"{regie.code}-{numero}",
        famille_id=origine.famille_id,
        date=jour,
        mode=origine.mode,
        reference_paiement=origine.reference_paiement,
        payeur=origine.payeur,
        montant=-origine.montant,
        annule_reglement_id=origine.id,
        motif=motif,
        saisi_par=contexte.agent_id,
        cree_le=contexte.maintenant(),
    )
    session.add(rejet)
    session.flush()
    a_sceller(session, regie_id, "reglement", [id_de(rejet)])
    for a in session.exec(select(Affectation).where(Affectation.reglement_id == origine.id)).all():
        session.add(Affectation(reglement_id=rejet.id, facture_id=a.facture_id, montant=-a.montant))
    ligne.rejet_reglement_id = rejet.id
    ligne.code_rejet = code
    session.add(ligne)
    journaliser(
        session,
        contexte,
        "prelevement rejete",
        "reglement",
        rejet.id,
        origine.famille_id,
        avant={"reference": origine.reference, "montant": origine.montant},
        apres={"reference": rejet.reference, "code": code, "motif": motif},
    )
    session.flush()
    lettrer(session, contexte, origine.famille_id, regie_id)
    return rejet
