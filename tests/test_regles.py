"""Business rules tested directly: ledger, billing, numbering, search, passwords, dates."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from modele.agents import manques_mot_de_passe, mot_de_passe_temporaire
from modele.base import (
    ErreurMetier,
    annee_scolaire,
    bornes_annee_scolaire,
    colonne_id,
    fin_de_mois,
    id_de,
)
from modele.demandes import (
    StatutDemande,
    TypeDemande,
    accepter_demande,
    conflits,
    creer_demande,
    refuser_demande,
)
from modele.facturation import Facture, preparer_facturation
from modele.famille import Famille, Responsable
from modele.formats import centimes, date_longue, euros, montant, nouveaux_messages
from modele.journal import Journal
from modele.planning import Consommation, EtatConsommation, est_facturee
from modele.quotient import QuotientFamilial, StatutQF, tranche_du_mois, tranche_pour_valeur
from modele.recherche import indexer_famille, normaliser, rechercher, termes_requete
from modele.reglements import ModeReglement, encaisser, factures_impayees, releve, solde, soldes
from tests import fabrique

MARS = [dt.date(2026, 3, d) for d in (2, 3, 5, 6)]  # Monday, Tuesday, Thursday, Friday


@pytest.fixture
def monde(s):
    regie, cantine, tranches = fabrique.structure(s)
    famille, enfant = fabrique.famille(s)
    s.add_all(fabrique.jours(enfant, cantine, MARS))
    s.commit()
    return regie, cantine, tranches, famille, enfant


def facturer_mars(s, regie, jour_emission=dt.date(2026, 4, 5)):
    ctx = fabrique.contexte(jour_emission)
    factures = fabrique.facturer(
        s, ctx, regie.id, dt.date(2026, 3, 1), dt.date(2026, 3, 31), jour_emission
    )
    s.commit()
    return factures


# --- billing -------------------------------------------------------------------------------


def test_facture_au_tarif_de_la_tranche_maximale_sans_qf(s, monde):
    regie, *_, famille, _ = monde
    [facture] = facturer_mars(s, regie)
    assert facture.reference == "AL-1"
    assert facture.total == 4 * 405
    assert facture.date_echeance == dt.date(2026, 4, 27)
    assert preparer_facturation(s, regie.id, dt.date(2026, 3, 1), dt.date(2026, 3, 31)) == []


def test_meme_mois_deux_fois_ne_facture_jamais_un_jour_deux_fois(s, monde):
    regie, *_ = monde
    assert len(facturer_mars(s, regie)) == 1
    assert facturer_mars(s, regie) == []
    assert s.exec(select(Facture)).all().__len__() == 1


def test_numeros_sans_trou_par_regie(s, monde):
    regie, cantine, _, _, _ = monde
    _, autre = fabrique.famille(s, numero="1000000000002", nom="PETIT")
    s.add_all(fabrique.jours(autre, cantine, MARS))
    s.commit()
    factures = facturer_mars(s, regie)
    assert [f.numero for f in factures] == [1, 2]
    reglement = encaisser(
        s,
        fabrique.contexte(),
        factures[0].famille_id,
        regie.id,
        100,
        ModeReglement.ESPECES,
        dt.date(2026, 4, 6),
    )
    assert reglement.reference == "AL-1"  # payments have their own sequence


def test_qf_valide_donne_sa_tranche_a_partir_de_son_mois(s, monde):
    regie, _, tranches, famille, _ = monde
    s.add(
        QuotientFamilial(
            famille_id=famille.id,
            type="CAF",
            valeur=30000,
            valide_du=dt.date(2026, 3, 1),
            valide_au=dt.date(2026, 12, 31),
            statut=StatutQF.VALIDE,
        )
    )
    s.commit()
    assert tranche_du_mois(s, famille.id, dt.date(2026, 2, 1))[0].numero == 2  # before: max
    assert tranche_du_mois(s, famille.id, dt.date(2026, 3, 1))[0].numero == 1
    [facture] = facturer_mars(s, regie)
    assert facture.total == 4 * 250


def test_qf_en_cours_ne_compte_pas(s, monde):
    _, _, _, famille, _ = monde
    s.add(
        QuotientFamilial(
            famille_id=famille.id,
            type="CAF",
            valeur=30000,
            valide_du=dt.date(2026, 1, 1),
            valide_au=dt.date(2026, 12, 31),
        )
    )
    s.commit()
    tranche, qf = tranche_du_mois(s, famille.id, dt.date(2026, 3, 1))
    assert tranche.numero == 2 and qf is None


def test_bornes_des_tranches_inclusives(monde):
    _, _, tranches, _, _ = monde
    assert tranche_pour_valeur(tranches, 0).numero == 1
    assert tranche_pour_valeur(tranches, 50000).numero == 1
    assert tranche_pour_valeur(tranches, 50001).numero == 2
    assert tranche_pour_valeur(tranches, 10**9).numero == 2


def test_etats_non_factures(s, monde):
    regie, cantine, _, famille, enfant = monde
    s.add_all(
        fabrique.jours(enfant, cantine, [dt.date(2026, 3, 9)], EtatConsommation.ABSENT_EXCUSE)
    )
    s.add_all(
        fabrique.jours(enfant, cantine, [dt.date(2026, 3, 10)], EtatConsommation.ABSENT_FACTURE)
    )
    s.add_all(fabrique.jours(enfant, cantine, [dt.date(2026, 3, 12)], EtatConsommation.CONGE))
    s.commit()
    [facture] = facturer_mars(s, regie)
    assert facture.total == 5 * 405  # 4 present + 1 absent facturé
    excuse = s.exec(select(Consommation).where(Consommation.etat == "absent_excuse")).one()
    assert not est_facturee(s, excuse)


# --- ledger --------------------------------------------------------------------------------


def test_solde_impayes_et_affectation_la_plus_ancienne_d_abord(s, monde):
    regie, cantine, _, famille, enfant = monde
    [mars] = facturer_mars(s, regie)
    avril = [dt.date(2026, 4, d) for d in (20, 21)]
    s.add_all(fabrique.jours(enfant, cantine, avril))
    s.commit()
    [avr] = fabrique.facturer(
        s,
        fabrique.contexte(),
        regie.id,
        dt.date(2026, 4, 1),
        dt.date(2026, 4, 30),
        dt.date(2026, 5, 5),
    )
    s.commit()
    assert solde(s, famille.id) == 6 * 405
    assert solde(s, famille.id, dt.date(2026, 4, 30)) == 4 * 405
    encaisser(
        s,
        fabrique.contexte(),
        famille.id,
        regie.id,
        1000,
        ModeReglement.CHEQUE,
        dt.date(2026, 5, 7),
        reference_paiement="1234567",
    )
    s.commit()
    impayees = factures_impayees(s, famille.id, dt.date(2026, 5, 7))
    assert [(i.facture.reference, i.reste_du) for i in impayees] == [
        ("AL-1", 4 * 405 - 1000),
        ("AL-2", 2 * 405),
    ]
    # Overpayment: everything paid, the rest is a credit.
    encaisser(
        s,
        fabrique.contexte(),
        famille.id,
        regie.id,
        5000,
        ModeReglement.ESPECES,
        dt.date(2026, 5, 11),
        garder_en_avoir=True,
    )
    s.commit()
    assert factures_impayees(s, famille.id, dt.date(2026, 5, 11)) == []
    assert solde(s, famille.id) == 6 * 405 - 6000
    assert soldes(s, [famille.id, 999]) == {famille.id: 6 * 405 - 6000, 999: 0}


def test_paiement_sur_facture_choisie(s, monde):
    regie, cantine, _, famille, enfant = monde
    facturer_mars(s, regie)
    s.add_all(fabrique.jours(enfant, cantine, [dt.date(2026, 4, 20)]))
    s.commit()
    [avril] = fabrique.facturer(
        s,
        fabrique.contexte(),
        regie.id,
        dt.date(2026, 4, 1),
        dt.date(2026, 4, 30),
        dt.date(2026, 5, 5),
    )
    encaisser(
        s,
        fabrique.contexte(),
        famille.id,
        regie.id,
        405,
        ModeReglement.CARTE,
        dt.date(2026, 5, 6),
        factures=[avril.id],
    )
    s.commit()
    assert [i.facture.reference for i in factures_impayees(s, famille.id, dt.date(2026, 5, 6))] == [
        "AL-1"
    ]


def test_montant_negatif_refuse(s, monde):
    regie, _, _, famille, _ = monde
    with pytest.raises(ErreurMetier, match="positif"):
        encaisser(
            s,
            fabrique.contexte(),
            famille.id,
            regie.id,
            0,
            ModeReglement.ESPECES,
            dt.date(2026, 5, 6),
        )


def test_releve_annee_scolaire_et_ancien_solde(s, monde):
    regie, cantine, _, famille, enfant = monde
    facturer_mars(s, regie)
    # A day of next school year, billed in September.
    s.add_all(fabrique.jours(enfant, cantine, [dt.date(2026, 9, 3)]))
    s.commit()
    fabrique.facturer(
        s,
        fabrique.contexte(),
        regie.id,
        dt.date(2026, 9, 1),
        dt.date(2026, 9, 30),
        dt.date(2026, 10, 5),
    )
    encaisser(
        s,
        fabrique.contexte(),
        famille.id,
        regie.id,
        405,
        ModeReglement.ESPECES,
        dt.date(2026, 10, 6),
    )
    s.commit()
    r = releve(s, famille.id, 2026)
    assert r.ancien_solde == 4 * 405
    assert (r.total_debit, r.total_credit) == (405, 405)
    assert r.solde == 4 * 405
    assert [o.numero for o in r.operations] == ["AL-1", "AL-2"]  # payment after the invoice
    assert r.operations[0].description == "Règlement : Espèces"


def test_chaque_ecriture_est_journalisee(s, monde):
    regie, *_ = monde
    facturer_mars(s, regie)
    actions = [j.action for j in s.exec(select(Journal))]
    assert actions == ["facture emise"]


# --- requests --------------------------------------------------------------------------------


def test_demande_ne_garde_que_les_champs_changes_puis_acceptee(s, monde):
    _, _, _, famille, _ = monde
    ctx = fabrique.contexte()
    # (an address part carries its whole block: tests/test_bloc_adresse.py)
    d = creer_demande(
        s,
        ctx,
        famille.id,
        TypeDemande.RESPONSABLE,
        {"telephone_domicile": "04 90 83 54 58", "employeur": "Mairie"},
    )
    s.commit()
    assert d.valeurs == {"employeur": ["", "Mairie"]}
    r = s.exec(select(Responsable)).one()
    assert r.employeur == ""  # not applied yet
    accepter_demande(s, ctx, d)
    s.commit()
    assert r.employeur == "Mairie" and d.statut == StatutDemande.ACCEPTEE


def test_demande_sans_changement_refusee(s, monde):
    _, _, _, famille, _ = monde
    with pytest.raises(ErreurMetier, match="Aucune modification"):
        creer_demande(
            s, fabrique.contexte(), famille.id, TypeDemande.RESPONSABLE, {"ville": "LILLE"}
        )


def test_conflit_detecte_champ_par_champ(s, monde):
    _, _, _, famille, _ = monde
    ctx = fabrique.contexte()
    premiere = creer_demande(s, ctx, famille.id, TypeDemande.RESPONSABLE, {"employeur": "A"})
    seconde = creer_demande(s, ctx, famille.id, TypeDemande.RESPONSABLE, {"employeur": "B"})
    accepter_demande(s, ctx, premiere)
    assert conflits(s, seconde) == {"employeur": ("", "A", "B")}
    with pytest.raises(ErreurMetier, match="a changé"):
        accepter_demande(s, ctx, seconde)
    accepter_demande(s, ctx, seconde, champs_retenus={"employeur": "B"})
    assert s.exec(select(Responsable)).one().employeur == "B"


def test_refus_exige_un_motif(s, monde):
    _, _, _, famille, _ = monde
    ctx = fabrique.contexte()
    d = creer_demande(s, ctx, famille.id, TypeDemande.FISCALES, {"nombre_parts": "2,5"})
    with pytest.raises(ErreurMetier, match="motif"):
        refuser_demande(s, ctx, d, "  ")
    refuser_demande(s, ctx, d, "Avis d'imposition illisible")
    assert d.statut == StatutDemande.REFUSEE
    with pytest.raises(ErreurMetier, match="déjà refusée"):
        accepter_demande(s, ctx, d)


# --- search ----------------------------------------------------------------------------------


def test_normalisation():
    assert normaliser("Clémé") == normaliser("clemé") == normaliser("CLEME") == "CLEME"
    assert termes_requete("01.02.03.04.05") == ["0102030405"]
    assert termes_requete("+33 1 02 03 04 05") == ["0102030405"]
    assert termes_requete("  Jean-Pierre  ÉLODIE ") == ["JEAN", "PIERRE", "ELODIE"]
    assert termes_requete("   ") == []


def test_recherche_prefixe_nom_enfant_numero_telephone(s, monde):
    _, _, _, famille, _ = monde
    fabrique.famille(s, numero="1000000000002", nom="MARTINEZ", prenom="Paul", enfant="Zoé")
    s.commit()
    assert {r.responsable for r in rechercher(s, "mart")} == {"MARTIN Élodie", "MARTINEZ Paul"}
    assert [r.responsable for r in rechercher(s, "martin elo")] == ["MARTIN Élodie"]
    assert [r.responsable for r in rechercher(s, "zoe")] == ["MARTINEZ Paul"]
    assert [r.numero for r in rechercher(s, "1000000000001")] == ["1000000000001"]
    assert len(rechercher(s, "04 90 83")) == 2
    assert rechercher(s, "inconnu") == []
    assert rechercher(s, "") == []


def test_recherche_classe_par_qualite_de_correspondance(s, monde):
    """A surname typed whole first, then a surname's start, a first name, a conjoint, a
    child; a family number by any part; a phone number typed from abroad."""
    from modele.famille import RoleResponsable

    fabrique.famille(s, numero="1000000000002", nom="BERTRANDE", prenom="Lou", enfant="Zoé")
    baron, _ = fabrique.famille(
        s, numero="1000000000003", nom="BARON", prenom="Maggie", enfant="Bertrand"
    )
    s.add(
        Responsable(
            famille_id=baron.id, nom="AUBRY", prenoms="Bertrand", role=RoleResponsable.CONJOINT
        )
    )
    fabrique.famille(s, numero="1000000000004", nom="ALBERT", prenom="Bertrand", enfant="Tom")
    fabrique.famille(s, numero="1000000000005", nom="BERTRAND", prenom="Yves", enfant="Ana")
    indexer_famille(s, baron.id)
    s.commit()
    assert [r.responsable for r in rechercher(s, "bertrand")] == [
        "BERTRAND Yves",
        "BERTRANDE Lou",
        "ALBERT Bertrand",
        "BARON Maggie",
    ]
    assert [r.numero for r in rechercher(s, "00000004")] == ["1000000000004"]
    assert termes_requete("0033 1 02 03 04 05") == ["0102030405"]
    assert len(rechercher(s, "0033 4 90 83 54 58")) == 5


# --- passwords, dates, formats --------------------------------------------------------------


@pytest.mark.parametrize(
    "mot, manques",
    [
        ("Abcdefg1", []),
        ("Abcdef1", ["8 caractères minimum"]),
        ("abcdefg1", ["au moins 1 majuscule"]),
        ("ABCDEFG1", ["au moins 1 minuscule"]),
        ("Abcdefgh", ["au moins 1 caractère numérique"]),
        (
            "",
            [
                "8 caractères minimum",
                "au moins 1 majuscule",
                "au moins 1 minuscule",
                "au moins 1 caractère numérique",
            ],
        ),
    ],
)
def test_politique_mot_de_passe(mot, manques):
    assert manques_mot_de_passe(mot) == manques


def test_mot_de_passe_temporaire_respecte_la_politique():
    for _ in range(50):
        assert manques_mot_de_passe(mot_de_passe_temporaire()) == []


def test_annee_scolaire_aux_bornes():
    assert annee_scolaire(dt.date(2015, 8, 31)) == 2014
    assert annee_scolaire(dt.date(2015, 9, 1)) == 2015
    assert bornes_annee_scolaire(2023) == (dt.date(2023, 9, 1), dt.date(2024, 8, 31))
    assert fin_de_mois(2024, 2) == dt.date(2024, 2, 29)
    assert fin_de_mois(2025, 2) == dt.date(2025, 2, 28)
    assert fin_de_mois(2025, 12) == dt.date(2025, 12, 31)


def test_cle_d_une_ligne_et_colonne_des_cles(s, monde):
    """id_de and colonne_id: a row's key and the key column, typed as the ints they are."""
    famille = monde[3]
    assert id_de(famille) == famille.id
    with pytest.raises(ValueError, match="pas en base"):
        id_de(Responsable(famille_id=famille.id, nom="X", prenoms="Y"))
    assert colonne_id(Famille) is Famille.id
    assert s.exec(select(colonne_id(Famille))).all() == [famille.id]


def test_inscription_d_un_enfant_ou_d_une_activite_inconnus(s, monde):
    from modele.inscriptions import Futures, desinscrire, inscrire

    _, cantine, _, _, enfant = monde
    ctx = fabrique.contexte()
    with pytest.raises(ErreurMetier, match="introuvable"):
        inscrire(s, ctx, 999_999, cantine.id, 2026)
    with pytest.raises(ErreurMetier, match="introuvable"):
        inscrire(s, ctx, enfant.id, 999_999, 2026)
    with pytest.raises(ErreurMetier, match="introuvable"):
        desinscrire(s, ctx, 999_999, Futures.ANNULER)


@given(st.integers(min_value=-(10**13), max_value=10**13))
def test_montant_comme_babel(centimes):
    from decimal import Decimal

    from babel.numbers import format_decimal

    assert montant(centimes) == format_decimal(
        Decimal(centimes) / 100, format="#,##0.00", locale="fr_FR"
    )


def test_formats_francais():
    assert montant(12060) == "120,60"
    assert montant(0) == "0,00"
    assert montant(-5) == "-0,05"
    assert euros(112060) == "1\u202f120,60\u00a0€"
    assert date_longue(dt.date(2015, 5, 4)) == "lundi 4 mai 2015"
    assert centimes("120,6") == 12060
    assert centimes("1 120,60 €") == 112060
    with pytest.raises(ValueError):
        centimes("12,345")
    with pytest.raises(ValueError):
        centimes("douze")
    assert nouveaux_messages(1) == "vous avez 1 nouveau message"
    assert nouveaux_messages(3) == "vous avez 3 nouveaux messages"


# --- quotient familial ---------------------------------------------------------------------


def test_validite_d_une_declaration():
    from modele.quotient import prochaine_campagne, validite

    # spontaneous: from the month it is made, never back to the QF's own (older) month; to
    # the end of the month 12 months later (the collectivité's default, seed 000)
    assert validite(dt.date(2026, 11, 27), 2024, 12) == (
        dt.date(2026, 11, 1),
        dt.date(2027, 11, 30),
    )
    assert validite(dt.date(2026, 11, 27), 2026, 12) == (
        dt.date(2026, 12, 1),
        dt.date(2027, 12, 31),
    )
    # the running or next campaign decides from the day after its deadline
    assert prochaine_campagne(dt.date(2026, 11, 27)) == dt.date(2027, 3, 1)
    assert prochaine_campagne(dt.date(2027, 2, 1)) == dt.date(2027, 3, 1)


def test_carte_vitale():
    from modele.api_particulier import lieu_depuis_nir

    assert lieu_depuis_nir("1 90 11 59 350 123 87", "M", 1990, 11) == ("59350", "99100")
    with pytest.raises(ErreurMetier, match="invalide"):
        lieu_depuis_nir("190115935012388", "M", 1990, 11)
    with pytest.raises(ErreurMetier, match="année"):
        lieu_depuis_nir("190115935012387", "M", 1991, 11)


def test_parametres_api_particulier():
    from modele.api_particulier import Identite, parametres

    identite = Identite(
        "Bertrand", ("Antoine", "Louis"), "M", 1990, 11, 23, code_insee_commune="59350"
    )
    assert parametres(identite, "21310999400011") == [
        ("recipient", "21310999400011"),
        ("nomNaissance", "BERTRAND"),
        ("prenoms[]", "ANTOINE"),
        ("prenoms[]", "LOUIS"),
        ("sexeEtatCivil", "M"),
        ("anneeDateNaissance", "1990"),
        ("moisDateNaissance", "11"),
        ("jourDateNaissance", "23"),
        ("codeCogInseePaysNaissance", "99100"),
        ("codeCogInseeCommuneNaissance", "59350"),
    ]
    etranger = Identite("NOWAK", ("Anna",), "F", 1988, code_insee_pays="99122")
    assert ("codeCogInseeCommuneNaissance", "") not in parametres(etranger, "x")
    with pytest.raises(ErreurMetier, match="commune"):
        parametres(Identite("X", ("Y",), "M", 1990), "x")


def test_erreurs_api_particulier_en_francais():
    from data.api_particulier_local import JETON, ServeurLocal
    from modele.api_particulier import ClientAPIParticulier, ErreurAPI, Identite

    with ServeurLocal() as serveur:
        client = ClientAPIParticulier(serveur.url, JETON, "21310999400011", delai=0.5)

        def erreur(nom: str, c: ClientAPIParticulier = client) -> ErreurAPI:
            with pytest.raises(ErreurAPI) as e:
                c.quotient_familial(Identite(nom, ("X",), "M", 1990, code_insee_commune="59350"))
            return e.value

        assert erreur("INCONNU").message.startswith("Dossier allocataire inexistant")
        assert erreur("SATURE").reessayable and erreur("SATURE").attente == 30
        assert erreur("PANNE").statut == 502
        assert "délai dépassé" in erreur("LENT").message
        assert "jeton" in erreur("BERTRAND", ClientAPIParticulier(serveur.url, "faux", "1")).message
        resultat = client.quotient_familial(
            Identite("BERTRAND", ("Antoine",), "M", 1990, code_insee_commune="59350")
        )
        assert (resultat.valeur, resultat.annee, resultat.mois) == (30000, 2024, 12)


def test_qf_declare_puis_valide_donne_sa_tranche(s, monde):
    from modele.api_particulier import QuotientCaf
    from modele.quotient import declarer_qf

    regie, _, tranches, famille, _ = monde
    ctx = fabrique.contexte(dt.date(2026, 3, 10))
    caf = QuotientCaf([], [], "", "CNAF", 30000, 2026, 1)
    with pytest.raises(ErreurMetier, match="certifie"):
        declarer_qf(s, ctx, famille.id, caf, "", certifie=False)
    qf = declarer_qf(s, ctx, famille.id, caf, "RAS", certifie=True)
    assert (qf.valide_du, qf.valide_au, qf.statut) == (
        dt.date(2026, 3, 1),
        dt.date(2027, 3, 31),
        StatutQF.EN_COURS,
    )
    assert tranche_du_mois(s, famille.id, dt.date(2026, 3, 1))[0].numero == 2  # not yet valid
    demande = s.get(__import__("modele.demandes", fromlist=["Demande"]).Demande, qf.demande_id)
    accepter_demande(s, ctx, demande)
    assert qf.statut == StatutQF.VALIDE and qf.tranche_id == tranches[0].id
    assert tranche_du_mois(s, famille.id, dt.date(2026, 3, 1))[0].numero == 1


def test_liste_des_demandes_du_dernier_mois(s, monde):
    """Rule 7: those of the last month, accepted and refused; pending ones whatever their age;
    the family file and the children apart."""
    from modele.demandes import liste_demandes, un_mois_avant

    _, _, _, famille, enfant = monde
    jour = dt.date(2026, 3, 31)
    assert un_mois_avant(jour) == dt.date(2026, 2, 28)
    assert un_mois_avant(dt.date(2024, 3, 31)) == dt.date(2024, 2, 29)
    assert un_mois_avant(dt.date(2026, 1, 15)) == dt.date(2025, 12, 15)
    vieille = creer_demande(
        s,
        fabrique.contexte(dt.date(2026, 2, 1)),
        famille.id,
        TypeDemande.FISCALES,
        {"nombre_parts": "2"},
    )
    refuser_demande(s, fabrique.contexte(dt.date(2026, 2, 2)), vieille, "Pièce manquante")
    en_attente = creer_demande(
        s, fabrique.contexte(dt.date(2026, 1, 5)), famille.id, TypeDemande.CAF, {"organisme": "CAF"}
    )
    recente = creer_demande(
        s,
        fabrique.contexte(dt.date(2026, 3, 20)),
        famille.id,
        TypeDemande.RESPONSABLE,
        {"adresse": "1 rue Neuve"},
    )
    enfant_demande = creer_demande(
        s,
        fabrique.contexte(dt.date(2026, 3, 21)),
        famille.id,
        TypeDemande.AUTORISATIONS,
        {"autorisation_photo": True},
        enfant_id=enfant.id,
    )
    s.commit()
    depuis = un_mois_avant(jour)
    compte = [lg.demande.id for lg in liste_demandes(s, famille.id, depuis, enfants=False)]
    assert compte == [recente.id, en_attente.id]
    assert [lg.demande.id for lg in liste_demandes(s, famille.id, None, enfants=False)] == [
        recente.id,
        vieille.id,
        en_attente.id,
    ]
    assert [lg.demande.id for lg in liste_demandes(s, famille.id, depuis, enfants=True)] == [
        enfant_demande.id
    ]
    assert (
        liste_demandes(s, famille.id, None, False, TypeDemande.CAF)[0].demande.id == en_attente.id
    )
    # The old pending one accepted in the month: still listed (it was hidden once decided).
    accepter_demande(s, fabrique.contexte(dt.date(2026, 3, 25)), en_attente)
    s.commit()
    compte = [lg.demande.id for lg in liste_demandes(s, famille.id, depuis, enfants=False)]
    assert compte == [recente.id, en_attente.id]
