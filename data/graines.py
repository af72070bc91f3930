"""The families of the portal guides (seeds 000 and 004), with the guides' own figures.

DUPONT JEAN (seed 004) is billed by the model's own billing run: his days are chosen so that
AL-12 and AL-36 come out at the guide's totals with the 2014-2015 top-bracket tariffs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import insert
from sqlmodel import Session

from modele.base import Canal, Contexte
from modele.facturation import FactureEmise
from modele.famille import Enfant, Famille, NiveauScolaire, Responsable, RoleResponsable
from modele.journal import journaliser
from modele.messages import Message, Sens
from modele.planning import Activite, Consommation, EtatConsommation, Inscription
from modele.quotient import QuotientFamilial, StatutQF, TrancheQF, tranche_pour_valeur
from modele.quotient import _enregistrer as _enregistrer_qf
from modele.recherche import indexer_famille
from modele.reglements import ModeReglement, encaisser, facturer_mois
from modele.structure import Regie, reprendre_compteur

NUMERO_DUPONT = "1001001818331"
NUMERO_BERTRAND = "1001002460917"

# A factory of contexts: (day, canal, agent_id) -> Contexte on the demo's clock.
FabriqueContexte = Callable[..., Contexte]

J = dt.date
P, R = EtatConsommation.PRESENT, EtatConsommation.RESERVE
AE, CG = EtatConsommation.ABSENT_EXCUSE, EtatConsommation.CONGE

# DUPONT Lucas's days, February to April 2015 (zone C; Easter Monday 6 April is a holiday).
# AL-12 (Feb–Mar), top bracket 2014-2015: 24 × 4,20 + 24 × 1,60 + 5 × 8,00 + 4 × 16,00 = 243,20
# AL-36 (April): 7 × 4,20 + 7 × 1,60 + 2 × 8,00 + 4 × 16,00 = 120,60
_JOURS_ECOLE_FEV_MARS = [J(2015, 2, d) for d in (2, 3, 5, 6, 9, 10, 12)] + [
    J(2015, 3, d) for d in (2, 3, 5, 6, 9, 10, 12, 13, 16, 17, 19, 20, 23, 24, 26, 27, 30, 31)
]
_JOURS_ECOLE_AVRIL = [J(2015, 4, d) for d in (2, 3, 7, 9, 10, 13, 14, 16, 17)]


def _planning_dupont() -> dict[str, list[tuple[dt.date, EtatConsommation]]]:
    malade = J(2015, 3, 10)
    quotidien = [(d, AE if d == malade else P) for d in _JOURS_ECOLE_FEV_MARS]
    avril = []
    for d in _JOURS_ECOLE_AVRIL:
        if d == J(2015, 4, 7):
            avril.append((d, AE))  # sick, certificate given (the guide's ☹)
        elif d == J(2015, 4, 17):
            avril.append((d, CG))  # left early for the spring holidays
        else:
            avril.append((d, P if d < J(2015, 4, 8) else R))
    return {
        "GP-REST": quotidien + avril,
        "GP-MATIN": quotidien + avril,
        "ALSH-MER-AM": [
            (J(2015, 2, 4), P),
            (J(2015, 3, 4), P),
            (J(2015, 3, 11), P),
            (J(2015, 3, 18), P),
            (J(2015, 3, 25), P),
            (J(2015, 4, 1), P),
            (J(2015, 4, 8), R),
        ],
        "ALSH-VAC-J": [(J(2015, 2, d), P) for d in (16, 17, 18, 19)]
        + [(J(2015, 4, d), R) for d in (20, 21, 22, 23)],
    }


def creer_dupont(
    session: Session,
    contexte: FabriqueContexte,
    regie: Regie,
    activites: dict[str, Activite],
    hash_portail: str,
) -> Famille:
    """DUPONT JEAN, n° 1001001818331, as on the guide's Accueil and Mon compte tabs."""
    famille, jean, lucas = _fiche_dupont(session, contexte, hash_portail)
    _planning_de_lucas(session, activites, jean, lucas)
    _factures_dupont(session, contexte, regie, famille)
    _messages_dupont(session, famille)
    return famille


def _fiche_dupont(
    session: Session, contexte: FabriqueContexte, hash_portail: str
) -> tuple[Famille, Responsable, Enfant]:
    """The family file: JEAN, JEANNE (who does not pay) and Lucas, journaled and indexed."""
    famille = Famille(
        numero=NUMERO_DUPONT,
        situation="Séparé",
        identifiant_portail=NUMERO_DUPONT,
        mot_de_passe_hash=hash_portail,
        organisme="",
        titulaire_compte="DUPONT JEAN",
        cree_le=J(2014, 6, 16),
    )
    session.add(famille)
    session.flush()
    jean = Responsable(
        famille_id=famille.id,
        role=RoleResponsable.RESPONSABLE.value,
        civilite="Monsieur",
        nom="DUPONT",
        nom_naissance="DUPONT",
        prenoms="JEAN",
        sexe="M",
        qualite="Père",
        adresse="12 RUE DES BONBONS",
        code_postal="31400",
        ville="SANT - JEAN",
        telephone_domicile="01 02 03 04 05",
        email="jean.dupont@wanadoo.fr",
        autorisation_courriel=True,
        autorisation_sms=False,
    )
    jeanne = Responsable(
        famille_id=famille.id,
        role=RoleResponsable.CONJOINT.value,
        civilite="Madame",
        nom="DUPONT",
        nom_naissance="DUPONT",
        prenoms="JEANNE",
        sexe="F",
        qualite="Mère",
        adresse="Lotissement les bons bonbons",
        code_postal="31400",
        ville="SANT - JEAN",
        autorisation_courriel=True,
        autorisation_sms=False,
        payeur=False,
    )
    lucas = Enfant(
        famille_id=famille.id,
        nom="DUPONT",
        prenoms="Lucas",
        sexe="M",
        date_naissance=J(2007, 6, 14),
        niveau=NiveauScolaire.ELEMENTAIRE.value,
        ecole="École élémentaire Jules Ferry",
        classe="CE2",
        medecin="Dr Martine FABRE",
        telephone_medecin="05 61 40 22 18",
        autorisation_photo=True,
    )
    session.add_all([jean, jeanne, lucas])
    session.flush()
    journaliser(
        session,
        contexte(famille.cree_le),
        "creation",
        "famille",
        famille.id,
        famille.id,
        detail="Reprise du logiciel précédent",
    )
    indexer_famille(session, famille.id)
    return famille, jean, lucas


def _planning_de_lucas(
    session: Session, activites: dict[str, Activite], jean: Responsable, lucas: Enfant
) -> None:
    """Enrolled in the seven rows of the guide's planning, school year 2014-2015, with the
    days that make the guide's invoices."""
    codes = (
        "ALSH-MER-AM",
        "ALSH-MER-J",
        "ALSH-VAC-AM",
        "ALSH-VAC-J",
        "ALSH-VAC-M",
        "GP-MATIN",
        "GP-REST",
    )
    session.execute(
        insert(Inscription),
        [
            dict(
                enfant_id=lucas.id,
                activite_id=activites[c].id,
                annee_scolaire=2014,
                date_debut=J(2014, 9, 1),
                date_fin=J(2015, 8, 31),
                responsable_id=jean.id,
            )
            for c in codes
        ],
    )
    cellules = []
    for code, jours in _planning_dupont().items():
        for jour, etat in jours:
            absent = etat == AE
            cellules.append(
                dict(
                    enfant_id=lucas.id,
                    activite_id=activites[code].id,
                    jour=jour,
                    etat=etat.value,
                    motif_absence="maladie" if absent else ("congés" if etat == CG else ""),
                    certificat=absent,
                    demande_id=None,
                )
            )
    session.execute(insert(Consommation), cellules)


def _factures_dupont(
    session: Session, contexte: FabriqueContexte, regie: Regie, famille: Famille
) -> None:
    """AL-12, the cheque AL-228 that pays it, AL-36: the régie's sequences continue where
    the previous software stopped."""
    au_8_avril = contexte(J(2015, 4, 8), heure=9)
    reprendre_compteur(session, au_8_avril, regie.id, "facture", 11)
    al12 = facturer_mois(
        session,
        au_8_avril,
        regie.id,
        J(2015, 2, 1),
        J(2015, 3, 31),
        J(2015, 4, 8),
        familles={famille.id},
    )
    reprendre_compteur(session, au_8_avril, regie.id, "reglement", 227)
    al228 = encaisser(
        session,
        au_8_avril,
        famille.id,
        regie.id,
        24320,
        ModeReglement.CHEQUE,
        J(2015, 4, 8),
        reference_paiement="0004512",
        banque="La Banque Postale",
        payeur="DUPONT JEAN",
    )
    reprendre_compteur(session, au_8_avril, regie.id, "facture", 35)
    al36 = facturer_mois(
        session,
        au_8_avril,
        regie.id,
        J(2015, 4, 1),
        J(2015, 4, 30),
        J(2015, 4, 8),
        familles={famille.id},
        mois_en_cours=True,
    )
    _verifier(al12, "AL-12", 24320)
    _verifier(al36, "AL-36", 12060)
    assert al228.reference == "AL-228", al228.reference


def _messages_dupont(session: Session, famille: Famille) -> None:
    """The service's notice of the invoices (read) and JEAN's question (unread)."""
    session.add_all(
        [
            Message(
                famille_id=famille.id,
                sens=Sens.DU_SERVICE.value,
                sujet="Vos factures sont disponibles",
                corps="Bonjour,\nVos factures AL-12 et AL-36 sont disponibles sur le portail.\n"
                "Le service enfance",
                envoye_le=dt.datetime(2015, 4, 8, 14, 5),
                lu=True,
                lu_le=dt.datetime(2015, 4, 8, 19, 30),
                canal="guichet",
            ),
            Message(
                famille_id=famille.id,
                sens=Sens.DE_LA_FAMILLE.value,
                sujet="Vacances de printemps",
                corps="Bonjour,\nPouvez-vous me confirmer l'inscription de Lucas à l'accueil de "
                "loisirs du 20 au 23 avril ?\nMerci.\nJEAN DUPONT",
                envoye_le=dt.datetime(2015, 4, 30, 18, 42),
                lu=False,
                canal="portail",
            ),
        ]
    )


def _verifier(factures: list[FactureEmise], reference: str, total: int) -> None:
    if [(f.reference, f.total) for f in factures] != [(reference, total)]:
        raise AssertionError(f"{reference} : {[(f.reference, f.total) for f in factures]}")


def creer_bertrand(
    session: Session, contexte: FabriqueContexte, tranches: list[TrancheQF], hash_portail: str
) -> tuple[Famille, list[Responsable], list[Enfant]]:
    """BERTRAND Antoine Louis and DUMONT Clémé Marie (seed 000), with their QF declaration."""
    famille = Famille(
        numero=NUMERO_BERTRAND,
        situation="Pacsé",
        identifiant_portail=NUMERO_BERTRAND,
        mot_de_passe_hash=hash_portail,
        organisme="CAF",
        numero_allocataire="4721906",
        cree_le=J(2021, 8, 23),
    )
    session.add(famille)
    session.flush()
    adresse = dict(adresse="9 RUE DES LIAS", code_postal="59000", ville="LILLE")
    # Both birthplaces are left empty on purpose: the QF declaration's prerequisite
    # (rule 9, seed 000 step 2) is demonstrated and tested on this family.
    antoine = Responsable(
        famille_id=famille.id,
        role=RoleResponsable.RESPONSABLE.value,
        civilite="Monsieur",
        nom="BERTRAND",
        nom_naissance="BERTRAND",
        prenoms="Antoine Louis",
        sexe="M",
        qualite="Père",
        date_naissance=J(1990, 11, 23),
        email="bertrand.mathis.noah@orange.fr",
        autorisation_courriel=True,
        **adresse,
    )
    cleme = Responsable(
        famille_id=famille.id,
        role=RoleResponsable.CONJOINT.value,
        civilite="Madame",
        nom="DUMONT",
        nom_naissance="DUMONT",
        prenoms="Clémé Marie",
        sexe="F",
        qualite="Mère",
        date_naissance=J(1992, 7, 14),
        autorisation_courriel=True,
        payeur=False,
        **adresse,
    )
    mathis = Enfant(
        famille_id=famille.id,
        nom="BERTRAND",
        prenoms="Mathis Noah",
        sexe="M",
        date_naissance=J(2018, 4, 30),
        autorisation_photo=True,
    )
    emma = Enfant(
        famille_id=famille.id,
        nom="BERTRAND",
        prenoms="Emma Lucie",
        sexe="F",
        date_naissance=J(2021, 4, 10),
        autorisation_photo=True,
    )
    session.add_all([antoine, cleme, mathis, emma])
    session.flush()
    journaliser(session, contexte(famille.cree_le), "creation", "famille", famille.id, famille.id)
    _declaration_bertrand(session, contexte, tranches, famille)
    indexer_famille(session, famille.id)
    return famille, [antoine, cleme], [mathis, emma]


def _declaration_bertrand(
    session: Session, contexte: FabriqueContexte, tranches: list[TrancheQF], famille: Famille
) -> None:
    """The QF of December 2024 declared on the portal (the guide's), waiting for the
    service: its request is in the queue like any declaration."""
    qf = QuotientFamilial(
        famille_id=famille.id,
        type="CAF",
        libelle_type="Quotient test API PARTICULIER",
        valeur=30000,
        valide_du=J(2024, 12, 1),
        valide_au=J(2025, 12, 31),
        tranche_id=tranche_pour_valeur(tranches, 30000).id,
        statut=StatutQF.EN_COURS.value,
        origine="api_particulier",
        annee_calcul=2024,
        mois_calcul=12,
        certifie=True,
        declare_le=J(2024, 12, 3),
    )
    _enregistrer_qf(session, contexte(J(2024, 12, 3), Canal.PORTAIL, None, heure=18), qf)
    session.flush()
