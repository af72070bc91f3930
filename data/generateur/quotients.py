"""Step « quotients »: each family's QF declarations at each campaign (September and
February), most validated, some refused, missing or pending, and a few spontaneous
declarations on the portal."""

from __future__ import annotations

import datetime as dt

from data.generateur.atelier import PAS_PROGRESSION, Atelier, FamilleGen
from modele.base import Canal
from modele.demandes import TypeDemande, creer_demande
from modele.quotient import QuotientFamilial, StatutQF, tranche_pour_valeur

ETAPE_QUOTIENTS = "Quotients familiaux"

Campagne = tuple[dt.date, dt.date, dt.date]  # (campaign start, valid from, valid to)


def generer_quotients(a: Atelier, familles: list[FamilleGen]) -> int:
    """QF declarations of each campaign, and the spontaneous ones; returns how many."""
    lignes = []
    for rang, famille in enumerate(familles):
        if rang % PAS_PROGRESSION == 0:
            a.avancer(ETAPE_QUOTIENTS, rang, len(familles))
        if famille.qf_auto:
            lignes.extend(_declarations(a, famille))
    lignes.extend(_declarations_spontanees(a, familles))
    a.inserer(QuotientFamilial, lignes)
    return len(lignes)


def _campagnes(a: Atelier) -> list[Campagne]:
    """September and February of each year, up to the demo's today."""
    campagnes = []
    for annee in range(a.annee - 1, a.annee + 1):
        septembre = dt.date(annee, 9, 1)
        campagnes.append((septembre, septembre, dt.date(annee + 1, 1, 31)))
        campagnes.append(
            (dt.date(annee + 1, 2, 1), dt.date(annee + 1, 2, 1), dt.date(annee + 1, 8, 31))
        )
    return [c for c in campagnes if c[0] <= a.reference]


def _declarations(a: Atelier, famille: FamilleGen) -> list[dict]:
    """One family's declaration at each campaign since it was created: from its CAF or
    MSA file, or (some families without) from a tax notice."""
    r = a.rng
    if famille.organisme:
        type_qf, origine = famille.organisme, "api_particulier"
        libelle = f"Quotient {famille.organisme}"
    elif r.random() < 0.4:
        type_qf, origine = "Manuel", "attestation"
        libelle = "Quotient calculé (avis d'imposition)"
    else:
        return []
    lignes = []
    valeur = famille.qf
    for campagne, du, au in _campagnes(a):
        if famille.cree_le > du:
            continue
        x = r.random()
        if x < 0.06:
            continue  # not updated: the maximum bracket applies (rule 9)
        valeur = max(valeur * r.randint(92, 108) // 100, 10000)
        declare = campagne + dt.timedelta(days=r.randint(0, 27))
        if r.random() < 0.1:
            declare += dt.timedelta(days=30)  # late: counts from the month it is made
        if declare > a.reference:
            continue
        debut = max(du, declare.replace(day=1))
        decision = declare + dt.timedelta(days=r.randint(1, 6))
        statut, motif = StatutQF.VALIDE, ""
        if x < 0.09:
            statut = StatutQF.REFUSE
            motif = (
                "Dossier allocataire inexistant"
                if origine == "api_particulier"
                else "Avis d'imposition illisible"
            )
        if decision > a.reference:
            statut = StatutQF.EN_COURS
        lignes.append(
            _ligne(a, famille, valeur, debut, au, statut)
            | dict(
                type=type_qf,
                libelle_type=libelle,
                origine=origine,
                commentaire="Changement de situation" if r.random() < 0.05 else "",
                reference_document=(
                    f"Avis d'imposition {du.year - 1}" if origine == "attestation" else ""
                ),
                declare_le=declare,
                decide_par=None if statut == StatutQF.EN_COURS else a.agents["regie"],
                decide_le=None
                if statut == StatutQF.EN_COURS
                else dt.datetime.combine(decision, dt.time(10, r.randint(0, 59))),
                motif_refus=motif,
            )
        )
    return lignes


def _ligne(
    a: Atelier, famille: FamilleGen, valeur: int, debut: dt.date, au: dt.date, statut: StatutQF
) -> dict:
    """The columns a declaration's row always has (its bracket, the month it was computed
    for: the one before it counts from)."""
    mois = debut.replace(day=1) - dt.timedelta(days=1)
    return dict(
        famille_id=famille.id,
        type=famille.organisme,
        libelle_type=f"Quotient {famille.organisme}",
        valeur=valeur,
        valide_du=debut,
        valide_au=au,
        tranche_id=tranche_pour_valeur(a.tranches, valeur).id,
        statut=statut.value,
        origine="api_particulier",
        annee_calcul=mois.year,
        mois_calcul=mois.month,
        commentaire="",
        certifie=True,
        reference_document="",
        declare_le=None,
        demande_id=None,
        decide_par=None,
        decide_le=None,
        motif_refus="",
    )


def _declarations_spontanees(a: Atelier, familles: list[FamilleGen]) -> list[dict]:
    """A few families declare a change of income on the portal: it counts from the month
    it is made; the latest ones are still waiting for the service (with their request)."""
    r, ref = a.rng, a.reference
    eligibles = [f for f in familles if f.qf_auto and f.organisme and f.cree_le < ref]
    lignes = []
    for i, famille in enumerate(
        r.sample(eligibles, min(len(eligibles), max(2, len(eligibles) // 25)))
    ):
        en_cours = i % 2 == 0
        declare = ref - dt.timedelta(days=r.randint(1, 9) if en_cours else r.randint(15, 45))
        debut = declare.replace(day=1)
        au = (
            dt.date(debut.year, 8, 31)
            if 2 <= debut.month <= 8
            else dt.date(debut.year + (debut.month >= 9), 1, 31)
        )
        valeur = max(famille.qf * r.randint(60, 90) // 100, 10000)
        statut = StatutQF.EN_COURS if en_cours else StatutQF.VALIDE
        ligne = _ligne(a, famille, valeur, debut, au, statut) | dict(
            commentaire="Déclaration spontanée : perte d'emploi", declare_le=declare
        )
        if en_cours:
            demande = creer_demande(
                a.session,
                a.contexte(declare, Canal.PORTAIL, None, heure=20),
                famille.id,
                TypeDemande.QUOTIENT_FAMILIAL,
                dict(
                    type=famille.organisme,
                    valeur=valeur,
                    valide_du=debut,
                    valide_au=au,
                    annee_calcul=ligne["annee_calcul"],
                    mois_calcul=ligne["mois_calcul"],
                ),
                commentaire="Perte d'emploi depuis le mois dernier.",
            )
            ligne["demande_id"] = demande.id
        else:
            ligne["decide_par"] = a.agents["regie"]
            ligne["decide_le"] = dt.datetime.combine(declare + dt.timedelta(days=2), dt.time(11, 5))
        lignes.append(ligne)
    return lignes
