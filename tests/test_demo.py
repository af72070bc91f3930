"""The demo data set: the guides' figures, every state and status, coherent invoices."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import func
from sqlmodel import select

from data import reference as ref_data
from data.demo import AGENTS, construire_demo
from data.graines import NUMERO_BERTRAND, NUMERO_DUPONT
from modele.agents import authentifier
from modele.base import annee_scolaire
from modele.db import creer_engine, migrer
from modele.db import session as nouvelle_session
from modele.demandes import Demande, StatutDemande
from modele.facturation import Facture, LigneFacture
from modele.famille import Enfant, Famille, famille_par_numero, responsables
from modele.messages import Message, ModeleMessage, nombre_non_lus
from modele.planning import (
    Activite,
    Consommation,
    EtatConsommation,
    Inscription,
    JourFacture,
    PeriodeCalendrier,
    TypeCalendrier,
    jour_ouvert,
    periodes_du_mois,
)
from modele.quotient import QuotientFamilial, StatutQF, tranche_pour_valeur, tranches
from modele.recherche import rechercher
from modele.reglements import Affectation, Reglement, factures_impayees, releve, solde
from tests import fabrique

REFERENCE = dt.date(2026, 11, 27)
FAMILLES = 12
J = dt.date


def _construire(dossier, nom: str):
    engine = creer_engine(f"sqlite:///{dossier / nom}")
    migrer(engine)
    stats = construire_demo(engine, familles=FAMILLES, graine=0, reference=REFERENCE)
    return engine, stats


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    engine, stats = _construire(tmp_path_factory.mktemp("demo"), "demo.db")
    yield engine, stats
    engine.dispose()


@pytest.fixture
def s(demo):
    with nouvelle_session(demo[0]) as session:
        yield session


def _signature(engine) -> dict:
    with nouvelle_session(engine) as s:
        return {
            "familles": s.exec(
                select(Famille.numero, Famille.situation, Famille.iban).order_by(Famille.id)
            ).all(),
            "enfants": s.exec(
                select(Enfant.prenoms, Enfant.date_naissance).order_by(Enfant.id)
            ).all(),
            "factures": s.exec(
                select(
                    Facture.reference, Facture.famille_id, Facture.total, Facture.cree_le
                ).order_by(Facture.id)
            ).all(),
            "reglements": s.exec(
                select(
                    Reglement.reference, Reglement.montant, Reglement.mode, Reglement.date
                ).order_by(Reglement.id)
            ).all(),
            "etats": s.exec(
                select(Consommation.etat, func.count())
                .group_by(Consommation.etat)
                .order_by(Consommation.etat)
            ).all(),
            "demandes": s.exec(
                select(Demande.type, Demande.statut, Demande.cree_le).order_by(Demande.id)
            ).all(),
            "qf": s.exec(
                select(QuotientFamilial.valeur, QuotientFamilial.statut).order_by(
                    QuotientFamilial.id
                )
            ).all(),
        }


def test_deterministe(demo, tmp_path):
    engine, stats = demo
    autre, stats_autre = _construire(tmp_path, "autre.db")
    try:
        assert _signature(autre) == _signature(engine)
        assert stats_autre.factures == stats.factures
        assert stats_autre.consommations == stats.consommations
    finally:
        autre.dispose()
    assert stats.familles == FAMILLES + 2  # the generated ones and the guides' two


def test_dupont_accueil_et_releve(s):
    dupont = famille_par_numero(s, NUMERO_DUPONT)
    au_4_mai = J(2015, 5, 4)
    assert solde(s, dupont.id, au_4_mai) == 12060
    impayees = factures_impayees(s, dupont.id, au_4_mai)
    assert [(i.facture.reference, i.reste_du) for i in impayees] == [("AL-36", 12060)]
    assert nombre_non_lus(s, dupont.id) == 1

    factures = {
        f.reference: f for f in s.exec(select(Facture).where(Facture.famille_id == dupont.id))
    }
    assert set(factures) == {"AL-12", "AL-36"}
    al12, al36 = factures["AL-12"], factures["AL-36"]
    assert (al12.date_emission, al12.periode_debut, al12.periode_fin, al12.total) == (
        J(2015, 4, 8),
        J(2015, 2, 1),
        J(2015, 3, 31),
        24320,
    )
    assert (
        al36.date_emission,
        al36.date_echeance,
        al36.periode_debut,
        al36.periode_fin,
        al36.total,
    ) == (J(2015, 4, 8), J(2015, 4, 30), J(2015, 4, 1), J(2015, 4, 30), 12060)
    [cheque] = s.exec(select(Reglement).where(Reglement.famille_id == dupont.id)).all()
    assert (cheque.reference, cheque.date, cheque.mode, cheque.montant) == (
        "AL-228",
        J(2015, 4, 8),
        "cheque",
        24320,
    )
    [affectation] = s.exec(select(Affectation).where(Affectation.reglement_id == cheque.id)).all()
    assert (affectation.facture_id, affectation.montant) == (al12.id, 24320)

    r = releve(s, dupont.id, 2014)
    assert [o.numero for o in r.operations] == ["AL-36", "AL-228", "AL-12"]
    assert (r.ancien_solde, r.total_debit, r.total_credit, r.solde) == (0, 36380, 24320, 12060)


def test_dupont_fiche(s):
    dupont = famille_par_numero(s, NUMERO_DUPONT)
    assert (dupont.situation, dupont.organisme, dupont.titulaire_compte) == (
        "Séparé",
        "",
        "DUPONT JEAN",
    )
    jean, jeanne = responsables(s, dupont.id)
    assert (
        jean.civilite,
        jean.nom,
        jean.prenoms,
        jean.qualite,
        jean.adresse,
        jean.code_postal,
        jean.ville,
        jean.telephone_domicile,
        jean.email,
        jean.autorisation_courriel,
        jean.autorisation_sms,
    ) == (
        "Monsieur",
        "DUPONT",
        "JEAN",
        "Père",
        "12 RUE DES BONBONS",
        "31400",
        "SANT - JEAN",
        "01 02 03 04 05",
        "jean.dupont@wanadoo.fr",
        True,
        False,
    )
    assert (
        jeanne.civilite,
        jeanne.nom,
        jeanne.prenoms,
        jeanne.qualite,
        jeanne.adresse,
        jeanne.ville,
        jeanne.autorisation_courriel,
        jeanne.autorisation_sms,
    ) == (
        "Madame",
        "DUPONT",
        "JEANNE",
        "Mère",
        "Lotissement les bons bonbons",
        "SANT - JEAN",
        True,
        False,
    )


def test_dupont_jours_ouverts_et_avril(s):
    """His days are real opening days; April 2015 looks like the guide's grid."""
    dupont = famille_par_numero(s, NUMERO_DUPONT)
    [lucas] = s.exec(select(Enfant).where(Enfant.famille_id == dupont.id)).all()
    activites = {a.id: a for a in s.exec(select(Activite))}
    cellules = s.exec(select(Consommation).where(Consommation.enfant_id == lucas.id)).all()
    for c in cellules:
        periodes = periodes_du_mois(s, c.jour.year, c.jour.month)
        assert jour_ouvert(activites[c.activite_id], c.jour, periodes), (c.jour, c.activite_id)
    avril = {c.jour for c in cellules if c.jour.month == 4}
    assert J(2015, 4, 6) not in avril  # Easter Monday
    feries = {p.debut for p in periodes_du_mois(s, 2015, 4) if p.type == TypeCalendrier.FERIE}
    assert J(2015, 4, 6) in feries
    etats = Counter(c.etat for c in cellules if c.jour.month == 4)
    assert etats[EtatConsommation.PRESENT] and etats[EtatConsommation.RESERVE]
    inscrites = s.exec(select(Inscription).where(Inscription.enfant_id == lucas.id)).all()
    assert {i.annee_scolaire for i in inscrites} == {2014} and len(inscrites) == 7


def test_bertrand_et_son_qf(s):
    bertrand = famille_par_numero(s, NUMERO_BERTRAND)
    assert bertrand.organisme == "CAF"
    antoine, cleme = responsables(s, bertrand.id)
    assert (
        antoine.nom,
        antoine.prenoms,
        antoine.civilite,
        antoine.qualite,
        antoine.sexe,
        antoine.date_naissance,
        antoine.nom_naissance,
        antoine.email,
    ) == (
        "BERTRAND",
        "Antoine Louis",
        "Monsieur",
        "Père",
        "M",
        J(1990, 11, 23),
        "BERTRAND",
        "bertrand.mathis.noah@orange.fr",
    )
    assert (
        cleme.nom,
        cleme.prenoms,
        cleme.civilite,
        cleme.qualite,
        cleme.sexe,
        cleme.date_naissance,
    ) == ("DUMONT", "Clémé Marie", "Madame", "Mère", "F", J(1992, 7, 14))
    for personne in (antoine, cleme):
        assert (personne.adresse, personne.code_postal, personne.ville) == (
            "9 RUE DES LIAS",
            "59000",
            "LILLE",
        )
        assert not (
            personne.pays_naissance
            or personne.commune_naissance
            or personne.lieu_naissance_etranger
        )  # rule 9's prerequisite is shown
    enfants = s.exec(
        select(Enfant).where(Enfant.famille_id == bertrand.id).order_by(Enfant.date_naissance)
    ).all()
    assert [(e.prenoms, e.date_naissance) for e in enfants] == [
        ("Mathis Noah", J(2018, 4, 30)),
        ("Emma Lucie", J(2021, 4, 10)),
    ]
    assert (
        s.exec(
            select(func.count())
            .select_from(Inscription)
            .where(Inscription.enfant_id == enfants[0].id)
        ).one()
        > 0
    )
    [qf] = s.exec(select(QuotientFamilial).where(QuotientFamilial.famille_id == bertrand.id)).all()
    assert (
        qf.type,
        qf.libelle_type,
        qf.valide_du,
        qf.valide_au,
        qf.valeur,
        qf.statut,
        qf.origine,
        qf.annee_calcul,
        qf.mois_calcul,
    ) == (
        "CAF",
        "Quotient test API PARTICULIER",
        J(2024, 12, 1),
        J(2025, 12, 31),
        30000,
        StatutQF.EN_COURS,
        "api_particulier",
        2024,
        12,
    )


def test_tous_les_etats_et_leurs_demandes(s):
    presents = set(s.exec(select(Consommation.etat).distinct()))
    assert presents == {e.value for e in EtatConsommation}
    attendus = {
        EtatConsommation.RESERVATION_EN_COURS: StatutDemande.EN_ATTENTE,
        EtatConsommation.ABSENCE_EN_COURS: StatutDemande.EN_ATTENTE,
        EtatConsommation.DEMANDE_ATTENTE: StatutDemande.EN_ATTENTE,
        EtatConsommation.RESERVATION_REFUSEE: StatutDemande.REFUSEE,
    }
    for etat, statut in attendus.items():
        for cellule in s.exec(select(Consommation).where(Consommation.etat == etat)):
            demande = s.get(Demande, cellule.demande_id)
            assert demande is not None and demande.statut == statut
            assert demande.enfant_id == cellule.enfant_id
            assert demande.valeurs["jours"] == [cellule.jour.isoformat()]
    acceptees = {
        d.type
        for d in s.exec(
            select(Demande).where(
                Demande.statut == StatutDemande.ACCEPTEE,
                Demande.type.in_(["reservation", "absence"]),
            )
        )
    }
    assert acceptees == {"reservation", "absence"}
    for demande in s.exec(
        select(Demande).where(
            Demande.statut == StatutDemande.ACCEPTEE, Demande.type == "reservation"
        )
    ):
        [cellule] = s.exec(select(Consommation).where(Consommation.demande_id == demande.id))
        assert cellule.etat == EtatConsommation.RESERVE


def test_capacites_a_la_taille_de_la_demo(s):
    """No day holds more children than the activity's places."""
    from modele.reservations import OCCUPENT

    par_jour = s.exec(
        select(Consommation.activite_id, func.count())
        .where(Consommation.etat.in_([e.value for e in OCCUPENT]))
        .group_by(Consommation.activite_id, Consommation.jour)
    ).all()
    capacites = {a.id: a.capacite for a in s.exec(select(Activite))}
    assert all(n <= capacites[activite_id] for activite_id, n in par_jour)


def test_tous_les_statuts_de_demande(s):
    statuts = set(s.exec(select(Demande.statut).distinct()))
    assert statuts == {st.value for st in StatutDemande}
    depuis = dt.datetime.combine(REFERENCE - dt.timedelta(days=31), dt.time())
    recentes = Counter(s.exec(select(Demande.statut).where(Demande.cree_le >= depuis)))
    assert recentes[StatutDemande.ACCEPTEE] and recentes[StatutDemande.REFUSEE]
    for demande in s.exec(select(Demande).where(Demande.statut == StatutDemande.REFUSEE)):
        assert demande.motif_refus and demande.decide_le >= demande.cree_le


@pytest.mark.parametrize(
    "texte, numero",
    [
        ("dupont", NUMERO_DUPONT),
        ("clemé", NUMERO_BERTRAND),
        ("CLEME", NUMERO_BERTRAND),
        ("1001001818331", NUMERO_DUPONT),
        ("01 02 03 04 05", NUMERO_DUPONT),
    ],
)
def test_recherche(s, texte, numero):
    assert numero in [r.numero for r in rechercher(s, texte)]


def test_recherche_familles_generees(s):
    famille = s.exec(
        select(Famille).where(Famille.numero.not_in([NUMERO_DUPONT, NUMERO_BERTRAND]))
    ).first()
    responsable, _ = responsables(s, famille.id)
    assert famille.numero in [r.numero for r in rechercher(s, responsable.nom)]
    assert famille.numero in [r.numero for r in rechercher(s, famille.numero[:9])]


def test_factures_coherentes(s):
    """Totals are the sum of their lines, each line its days; no day is billed twice."""
    lignes = s.exec(select(LigneFacture)).all()
    par_facture: dict[int, list[LigneFacture]] = {}
    for ligne in lignes:
        assert ligne.montant == ligne.quantite * ligne.prix_unitaire
        par_facture.setdefault(ligne.facture_id, []).append(ligne)
    jours = dict(
        s.exec(select(JourFacture.facture_id, func.count()).group_by(JourFacture.facture_id)).all()
    )
    factures = s.exec(select(Facture)).all()
    assert len(factures) > 2
    for facture in factures:
        assert facture.total == sum(ligne.montant for ligne in par_facture[facture.id])
        assert jours[facture.id] == sum(ligne.quantite for ligne in par_facture[facture.id])
    cellules = s.exec(
        select(
            Consommation.enfant_id,
            Consommation.activite_id,
            Consommation.jour,
            JourFacture.facture_id,
            Consommation.etat,
        ).join(JourFacture, JourFacture.consommation_id == Consommation.id)
    ).all()
    assert len({(c.enfant_id, c.activite_id, c.jour) for c in cellules}) == len(cellules)
    periodes = {f.id: (f.periode_debut, f.periode_fin) for f in factures}
    regularises = {(lg.facture_id, lg.mois_regularise) for lg in lignes if lg.mois_regularise}
    for c in cellules:
        debut, fin = periodes[c.facture_id]
        # in its invoice's period, or a day of an earlier month regularised on it
        assert debut <= c.jour <= fin or (c.facture_id, c.jour.replace(day=1)) in regularises
        assert c.etat not in (
            EtatConsommation.ABSENT_EXCUSE,
            EtatConsommation.CONGE,
            EtatConsommation.FERMETURE,
            EtatConsommation.ERREUR,
        )


def test_numerotation_sans_trou_apres_la_reprise(s):
    numeros = sorted(s.exec(select(Facture.numero)))
    assert numeros[:2] == [12, 36]
    assert numeros[2:] == list(range(37, 37 + len(numeros) - 2))
    reglements = sorted(s.exec(select(Reglement.numero)))
    assert reglements == list(range(228, 228 + len(reglements)))


def test_facturation_et_reglements_generes(s):
    """Past months are billed, up to last month; most invoices paid, some not."""
    factures = s.exec(select(Facture).where(Facture.date_emission > J(2020, 1, 1))).all()
    assert max(f.periode_fin for f in factures) == J(2026, 10, 31)
    assert min(f.periode_debut for f in factures) == J(2025, 9, 1)
    assert all(f.date_emission <= REFERENCE for f in factures)
    familles = {f.famille_id for f in factures}
    impayees = sum(len(factures_impayees(s, fid, REFERENCE)) for fid in familles)
    assert 0 < impayees < len(factures) // 2
    assert not s.exec(select(Reglement).where(Reglement.date > REFERENCE)).first()
    assert not s.exec(
        select(Consommation)
        .join(JourFacture, JourFacture.consommation_id == Consommation.id)
        .where(Consommation.jour >= REFERENCE.replace(day=1))
    ).first()


def test_quotients(s):
    liste = tranches(s)
    assert len(liste) == 6 and liste[-1].qf_max is None
    qfs = s.exec(select(QuotientFamilial)).all()
    assert {q.statut for q in qfs} >= {StatutQF.VALIDE, StatutQF.EN_COURS}
    for qf in qfs:
        assert qf.tranche_id == tranche_pour_valeur(liste, qf.valeur).id
        assert qf.valide_du <= qf.valide_au


def test_calendrier_et_tarifs(s, demo):
    assert demo[1].annees_incompletes == []
    periodes = s.exec(select(PeriodeCalendrier)).all()
    types = Counter(p.type for p in periodes)
    assert all(types[t] for t in TypeCalendrier)
    ete = [p for p in periodes if p.type == TypeCalendrier.GRANDES_VACANCES]
    assert any(p.debut <= J(2026, 7, 14) <= p.fin for p in ete)
    # (the summer that ends 2014-2015's first day comes whole: it starts in 2013-2014)
    assert {annee_scolaire(p.debut) for p in periodes} == {2013, 2014, 2025, 2026}
    noel = [p for p in periodes if p.libelle == "Vacances de Noël" and p.debut.year == 2025]
    assert len(noel) == 1 and noel[0].fin == J(2026, 1, 4)  # one range across the new year


def test_comptes_et_modeles(s):
    for identifiant, mot_de_passe, role, _, _ in AGENTS:
        assert (
            authentifier(s, identifiant, mot_de_passe, dt.datetime(2026, 11, 27, 12)).role == role
        )
    assert s.exec(select(func.count()).select_from(ModeleMessage)).one() >= 3
    non_lus = s.exec(select(func.count()).select_from(Message).where(Message.lu == False)).one()
    assert non_lus > 0
    assert s.exec(select(Message).where(Message.reponse_a_id.is_not(None))).first()
    assert s.exec(select(Message).where(Message.supprime == True)).first()


def test_familles_generees(s):
    numeros = s.exec(select(Famille.numero)).all()
    assert len(set(numeros)) == len(numeros)
    assert all(len(n) == 13 and n.isdigit() for n in numeros)
    for enfant in s.exec(select(Enfant).where(Enfant.niveau != "creche")):
        inscrit = s.exec(
            select(Inscription.activite_id).where(
                Inscription.enfant_id == enfant.id, Inscription.annee_scolaire == 2026
            )
        ).all()
        soir = {a.id for a in s.exec(select(Activite).where(Activite.groupe_exclusif == "soir"))}
        assert len(set(inscrit) & soir) <= 1  # rule 5
        if enfant.niveau == "maternelle":
            assert not set(inscrit) & soir


def test_ete_entier_d_une_annee_scolaire_a_l_autre(s):
    """Summer 2014 ended on Monday 1 September (pupils back on the 2nd): each school year
    it touches holds it whole, never a one-day "Vacances d'été 01/09/2014 – 01/09/2014";
    prefilling both years leaves it once."""
    from modele.base import Contexte
    from modele.calendrier import periodes_de_l_annee, remplacer_vacances

    ete_2014 = (J(2014, 7, 5), J(2014, 9, 1))
    for annee, etes in (
        (2013, [(J(2013, 7, 6), J(2013, 9, 2)), ete_2014]),
        (2014, [ete_2014, (J(2015, 7, 4), J(2015, 8, 31))]),
    ):
        periodes, complete = ref_data.periodes_annee_scolaire(annee)
        assert complete
        assert [
            (p.debut, p.fin) for p in periodes if p.type == TypeCalendrier.GRANDES_VACANCES
        ] == etes
    systeme = Contexte.systeme("tests", aujourdhui=REFERENCE)
    for annee in (2013, 2014, 2013):  # in any order, again: no double
        remplacer_vacances(s, systeme, annee, ref_data.periodes_annee_scolaire(annee)[0])
        s.flush()
        ete = [
            (p.debut, p.fin)
            for p in periodes_de_l_annee(s, 2014)
            if p.type == TypeCalendrier.GRANDES_VACANCES
        ]
        assert ete == [ete_2014, (J(2015, 7, 4), J(2015, 8, 31))]
    s.rollback()


def test_reference_sans_donnees_de_vacances():
    periodes, complete = ref_data.periodes_annee_scolaire(2029)
    assert not complete and any(p.type == TypeCalendrier.FERIE for p in periodes)
    assert ref_data.annees_calendrier(J(2026, 7, 15)) == [2014, 2024, 2025, 2026]
    assert ref_data.prix_unitaire("GP-REST", 6, 2014) == 420


def test_emission_par_bloc_et_cellules_chargees(s):
    """The billing run takes its numbers in one block, and loaded cells see their invoice."""
    from modele.base import Contexte
    from modele.structure import Compteur, Regie, numero_suivant

    regie = s.exec(select(Regie)).one()
    avant = s.get(Compteur, (regie.id, "facture")).dernier
    cellule = s.exec(
        select(Consommation).where(
            Consommation.jour == J(2026, 11, 3), Consommation.etat == EtatConsommation.PRESENT
        )
    ).first()
    assert s.get(JourFacture, cellule.id) is None
    emises = fabrique.facturer(
        s,
        Contexte.systeme("tests", aujourdhui=REFERENCE),
        regie.id,
        J(2026, 11, 1),
        J(2026, 11, 30),
        REFERENCE,
    )
    assert [f.numero for f in emises] == list(range(avant + 1, avant + 1 + len(emises)))
    assert s.get(JourFacture, cellule.id).facture_id in {f.id for f in emises}
    assert numero_suivant(s, regie.id, "facture", 3) == avant + len(emises) + 1
    assert s.get(Compteur, (regie.id, "facture")).dernier == avant + len(emises) + 3
    s.rollback()


def test_lieux_reels():
    """Birthplaces and towns of the generated families exist in the INSEE data."""
    from data import noms
    from modele.communes import chercher_pays, commune, communes_du_code_postal

    for departement, nom, code in noms.COMMUNES_NAISSANCE:
        trouvee = commune(code)
        assert (trouvee.nom, trouvee.departement) == (nom, departement)
    for pays, _ in noms.NAISSANCES_ETRANGER:
        assert pays in [p.nom for p in chercher_pays(pays, 3)]
    for code_postal, ville in noms.VILLES_VOISINES:
        noms_communes = [
            c.nom.upper().replace("-", " ") for c in communes_du_code_postal(code_postal)
        ]
        assert ville.replace("-", " ") in noms_communes


def test_chaque_point_de_l_issue_14_sur_une_famille_generee(s):
    """The payer who is not the first responsable, a closure recorded after bookings, a
    booking accepted late and regularised, a credit used by lettrage, a refund."""
    from modele.famille import Payeur, Responsable, RoleResponsable
    from modele.journal import Journal
    from modele.reglements import ModeReglement, detail_facture

    payeur, conjoint = s.exec(
        select(Payeur, Responsable).join(Responsable, Responsable.id == Payeur.responsable_id)
    ).one()
    assert conjoint.role == RoleResponsable.CONJOINT
    derniere = s.exec(
        select(Facture)
        .where(Facture.famille_id == payeur.famille_id, Facture.nature == "facture")
        .order_by(Facture.numero.desc())
    ).first()
    assert detail_facture(s, derniere.id).responsable.id == conjoint.id
    fermeture = s.exec(
        select(PeriodeCalendrier).where(PeriodeCalendrier.libelle.contains("cuisine centrale"))
    ).one()
    assert fermeture.debut > REFERENCE
    assert s.exec(
        select(func.count())
        .select_from(Consommation)
        .where(
            Consommation.jour == fermeture.debut,
            Consommation.activite_id == fermeture.activite_id,
            Consommation.etat == EtatConsommation.FERMETURE,
        )
    ).one()
    assert s.exec(
        select(Journal).where(Journal.action == "fermeture", Journal.objet_id == fermeture.id)
    ).first()
    [regularisation] = s.exec(
        select(LigneFacture).where(LigneFacture.mois_regularise != None)  # noqa: E711
    ).all()
    assert "Régularisation septembre 2026 (" in regularisation.libelle
    assert s.get(Facture, regularisation.facture_id).periode_debut == J(2026, 10, 1)
    lettrage = s.exec(
        select(Affectation)
        .join(Reglement, Reglement.id == Affectation.reglement_id)
        .join(Facture, Facture.id == Affectation.facture_id)
        .where(Facture.date_emission > Reglement.date)
    ).first()
    assert lettrage is not None  # an overpayment paid a later invoice
    remboursement = s.exec(
        select(Reglement).where(Reglement.mode == ModeReglement.REMBOURSEMENT)
    ).one()
    assert remboursement.montant < 0
    assert remboursement.reference_paiement.startswith("Virement n° VIR-")
