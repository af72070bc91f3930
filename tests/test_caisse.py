"""Closing the day's cash (issue 21): the hash chain of a régie's accounting records, the
clôture de caisse with a counted difference, the deposit slips; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import text
from sqlmodel import select

from modele.base import Contexte, ErreurMetier
from modele.caisse import Bordereau, LigneBordereau, jour_de_caisse, prochain_jour_de_caisse
from modele.chaine import Maillon, verifier_chaine
from modele.cloture import (
    cloturer_caisse,
    compte_saisi,
    etablir_bordereaux,
    etat_caisse,
    imprimer_bordereau,
)
from modele.db import creer_engine, migrer
from modele.db import session as ouvrir
from modele.dossier import accueil
from modele.reglements import (
    ModeReglement,
    Reglement,
    annuler_reglement,
    emettre_avoir_et_lettrer,
    encaisser,
    facturer_mois,
    preparer_encaissement,
    rembourser_credit,
    solde,
)
from modele.tables.planning import Activite, PeriodeCalendrier, TypeCalendrier
from modele.tables.structure import Regie
from tests import fabrique
from tests.conftest import PG_URL

MARS = [dt.date(2026, 3, d) for d in (2, 3, 5, 6)]  # 4 × 4,05 = 16,20
JOUR = dt.date(2026, 4, 10)
LENDEMAIN = dt.date(2026, 4, 11)


@pytest.fixture
def monde(s):
    """A régie, three families billed for March, and a day of payments (10 April):
    two cheques, cash, a card, and a cash payment cancelled the same day."""
    regie, cantine, _ = fabrique.structure(s)
    familles = []
    for n in range(3):
        famille, enfant = fabrique.famille(s, numero=f"100000000000{n}", nom=f"NOM{n}")
        s.add_all(fabrique.jours(enfant, cantine, MARS))
        familles.append(famille)
    s.commit()
    facturer_mois(
        s,
        fabrique.contexte(dt.date(2026, 4, 5)),
        regie.id,
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 5),
    )
    s.commit()
    contexte = fabrique.contexte(JOUR)
    payes = [
        encaisser(
            s,
            contexte,
            familles[0].id,
            regie.id,
            1000,
            ModeReglement.CHEQUE,
            JOUR,
            "1234567",
            "Banque Postale",
            "NOM0 Élodie",
        ),
        encaisser(
            s,
            contexte,
            familles[1].id,
            regie.id,
            1620,
            ModeReglement.CHEQUE,
            JOUR,
            "7654321",
            "Crédit Agricole",
            "NOM1 <b>Élodie</b>",
        ),
        encaisser(s, contexte, familles[2].id, regie.id, 500, ModeReglement.ESPECES, JOUR),
        encaisser(s, contexte, familles[2].id, regie.id, 300, ModeReglement.CARTE, JOUR),
        encaisser(s, contexte, familles[0].id, regie.id, 200, ModeReglement.ESPECES, JOUR),
    ]
    s.commit()
    annuler_reglement(s, contexte, payes[4].id, "erreur de saisie")
    s.commit()
    return regie, familles, payes


def _comptes(**valeurs: int) -> dict[str, int]:
    return dict(valeurs)


# --- the chain ---------------------------------------------------------------------------------


def test_chaque_ecriture_comptable_est_chainee(s, monde):
    regie, familles, payes = monde
    emettre_avoir_et_lettrer(s, fabrique.contexte(LENDEMAIN), _facture(s, familles[2]), "erreur")
    s.commit()
    rembourser_credit(s, fabrique.contexte(LENDEMAIN), familles[2].id, regie.id, 100, "trop payé")
    s.commit()
    maillons = s.exec(
        select(Maillon).where(Maillon.regie_id == regie.id).order_by(Maillon.sequence)
    ).all()
    assert [m.sequence for m in maillons] == list(range(1, len(maillons) + 1))
    natures = [m.nature for m in maillons]
    assert natures.count("facture") == 3
    assert natures.count("reglement") == 5
    assert natures[-3:] == ["annulation", "avoir", "remboursement"]
    for avant, apres in zip(maillons, maillons[1:], strict=False):
        assert apres.precedente == avant.empreinte
    verification = verifier_chaine(s, regie.id)
    assert verification.intacte, verification.probleme
    assert verification.maillons == len(maillons)


def _facture(s, famille) -> int:
    from modele.facturation import Facture

    return s.exec(select(Facture.id).where(Facture.famille_id == famille.id)).first()


@pytest.mark.parametrize(
    "falsification, nomme, quoi",
    [
        ("UPDATE reglement SET montant = 100 WHERE reference = 'AL-2'", "AL-2", "modifié"),
        ("UPDATE facture SET total = 1 WHERE reference = 'AL-3'", "AL-3", "modifié"),
        ("UPDATE reglement SET date = '2026-04-09' WHERE reference = 'AL-1'", "AL-1", "modifié"),
        ("DELETE FROM maillon WHERE sequence = 5", None, "supprimé"),
    ],
)
def test_verifier_nomme_l_enregistrement_change_a_la_main(s, monde, falsification, nomme, quoi):
    regie, _, _ = monde
    assert verifier_chaine(s, regie.id).intacte
    s.exec(text(falsification))
    s.commit()
    verification = verifier_chaine(s, regie.id)
    assert not verification.intacte
    assert quoi in verification.probleme
    if nomme:
        assert verification.reference == nomme
        assert f" {nomme} " in verification.probleme


def test_verifier_voit_un_enregistrement_supprime_ou_ajoute(s, monde):
    regie, familles, _ = monde
    cloture = cloturer_caisse(
        s,
        fabrique.contexte(JOUR),
        regie.id,
        JOUR,
        _comptes(cheque=2620, especes=500, carte=300),
    )
    s.commit()
    s.exec(text(f"DELETE FROM cloture WHERE id = {cloture.id}"))
    s.commit()
    verification = verifier_chaine(s, regie.id)
    assert verification.reference == cloture.reference
    assert "supprimé" in verification.probleme
    # the closing back in place (as it was), then a payment added by SQL
    s.exec(text("DELETE FROM maillon WHERE objet = 'cloture'"))
    s.exec(text("UPDATE compteur SET dernier = dernier - 1 WHERE nature = 'chaine'"))
    s.exec(
        text(
            "INSERT INTO reglement (regie_id, numero, reference, famille_id, date, mode, "
            "reference_paiement, banque, payeur, montant, motif, cree_le) VALUES "
            f"({regie.id}, 99, 'AL-99', {familles[0].id}, '2026-04-12', 'especes', '', '', '', "
            "5000, '', '2026-04-12 10:00:00')"
        )
    )
    s.commit()
    verification = verifier_chaine(s, regie.id)
    assert verification.reference == "AL-99"
    assert "hors de l'application" in verification.probleme


def test_verifier_voit_les_derniers_maillons_supprimes(s, monde):
    regie, _, _ = monde
    s.exec(text("DELETE FROM maillon WHERE sequence = (SELECT MAX(sequence) FROM maillon)"))
    annulation = "SELECT id FROM reglement WHERE annule_reglement_id IS NOT NULL"
    s.exec(text(f"DELETE FROM affectation WHERE reglement_id IN ({annulation})"))
    s.exec(text("DELETE FROM reglement WHERE annule_reglement_id IS NOT NULL"))
    s.commit()
    verification = verifier_chaine(s, regie.id)
    assert not verification.intacte
    assert "supprimés" in verification.probleme


# --- closing the day -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "tape", "attendu"),
    [
        ("especes", "120,60", 12060),
        ("cheque", "1 120,60 €", 112060),
        ("remboursement", "-30", -3000),  # money paid out counts below zero
        ("especes", "-3", "Le montant compté en Espèces ne peut être négatif."),
        ("especes", "abc", "Montant invalide : saisissez par exemple 120,60."),
        ("especes", "12,345", "Pas plus de deux décimales."),
        ("especes", "  ", "Saisissez le montant compté."),
    ],
)
def test_compte_saisi_comme_la_cloture_le_verifie(mode, tape, attendu):
    if isinstance(attendu, int):
        assert compte_saisi(mode, tape) == attendu
        return
    with pytest.raises(ErreurMetier) as refus:
        compte_saisi(mode, tape)
    assert (refus.value.message, refus.value.champ) == (attendu, "compte")


def test_cloture_avec_un_ecart_motive(s, monde):
    regie, _, _ = monde
    contexte = fabrique.contexte(JOUR)
    etat = etat_caisse(s, regie.id, JOUR)
    totaux = {t.mode: (t.nombre, t.montant) for t in etat.totaux}
    # the cash payment and its cancellation net out in cash
    assert totaux == {"especes": (3, 500), "cheque": (2, 2620), "carte": (1, 300)}
    with pytest.raises(ErreurMetier, match=r"Indiquez le montant compté pour : Chèque"):
        cloturer_caisse(s, contexte, regie.id, JOUR, _comptes(especes=500, carte=300))
    with pytest.raises(ErreurMetier, match="motif est obligatoire") as refus:
        cloturer_caisse(s, contexte, regie.id, JOUR, _comptes(especes=480, cheque=2620, carte=300))
    assert "Espèces -0,20" in refus.value.message
    with pytest.raises(ErreurMetier, match="jour à venir"):
        cloturer_caisse(s, contexte, regie.id, LENDEMAIN, {})
    cloture = cloturer_caisse(
        s,
        contexte,
        regie.id,
        JOUR,
        _comptes(especes=480, cheque=2620, carte=300),
        "pièce de 20 centimes manquante",
    )
    s.commit()
    assert (cloture.reference, cloture.ecart, cloture.enregistre) == ("AL-CL1", -20, 3420)
    etat = etat_caisse(s, regie.id, JOUR)
    assert etat.close and etat.cloture.motif == "pièce de 20 centimes manquante"
    assert {t.mode: t.ecart for t in etat.totaux} == {"especes": -20, "cheque": 0, "carte": 0}
    with pytest.raises(ErreurMetier, match="déjà close"):
        cloturer_caisse(s, contexte, regie.id, JOUR, _comptes(especes=500, cheque=2620, carte=300))
    s.rollback()
    assert verifier_chaine(s, regie.id).intacte


def test_apres_cloture_ni_annulation_ni_reglement_ce_jour(s, monde):
    regie, familles, payes = monde
    cloturer_caisse(
        s, fabrique.contexte(JOUR), regie.id, JOUR, _comptes(especes=500, cheque=2620, carte=300)
    )
    s.commit()

    def especes_du(jour: dt.date) -> None:
        """1,00 € in cash dated `jour`, typed the day after the closing."""
        encaisser(
            s,
            fabrique.contexte(LENDEMAIN),
            familles[0].id,
            regie.id,
            100,
            ModeReglement.ESPECES,
            jour,
            garder_en_avoir=True,
        )

    with pytest.raises(ErreurMetier, match="caisse close .* ne peut plus être annulé"):
        annuler_reglement(s, fabrique.contexte(LENDEMAIN), payes[0].id, "chèque sans provision")
    s.rollback()
    with pytest.raises(ErreurMetier, match="est close"):
        especes_du(JOUR)
    s.rollback()
    # Nor backdated before it: that day's drawer was counted (cash dated two days before
    # a closed day was taken).
    with pytest.raises(ErreurMetier, match="est close .* ni d'avant") as refus:
        especes_du(JOUR - dt.timedelta(days=2))
    assert refus.value.champ == "date"
    s.rollback()
    # the next day is open: a correction is a new operation there
    especes_du(LENDEMAIN)
    s.commit()
    # A refund, a cancellation are dated by the app: after today's closing, the next cash
    # day takes them, as it takes a payment (the refund form has no date to change).
    emettre_avoir_et_lettrer(s, fabrique.contexte(JOUR), _facture(s, familles[2]), "erreur")
    s.commit()
    rembourse = rembourser_credit(
        s, fabrique.contexte(JOUR), familles[2].id, regie.id, 100, "trop payé"
    )
    assert rembourse.date == LENDEMAIN
    pris_apres = encaisser(
        s,
        fabrique.contexte(JOUR),
        familles[1].id,
        regie.id,
        100,
        ModeReglement.ESPECES,
        LENDEMAIN,
        garder_en_avoir=True,
    )
    annule = annuler_reglement(s, fabrique.contexte(JOUR), pris_apres.id, "erreur de saisie")
    assert annule.date == LENDEMAIN
    s.commit()
    rembourser_credit(s, fabrique.contexte(LENDEMAIN), familles[2].id, regie.id, 100, "trop payé")
    # The next day closed too (a day's book closed in advance): nothing can take it.
    cloturer_caisse(
        s,
        fabrique.contexte(LENDEMAIN),
        regie.id,
        LENDEMAIN,
        {t.mode: t.montant for t in etat_caisse(s, regie.id, LENDEMAIN).totaux},
    )
    s.commit()
    with pytest.raises(ErreurMetier, match="Faites-la au prochain jour de caisse") as refus:
        rembourser_credit(s, fabrique.contexte(JOUR), familles[2].id, regie.id, 100, "trop payé")
    assert "Datez" not in str(refus.value) and refus.value.champ is None


def test_un_agent_d_accueil_ne_cloture_pas(s, monde):
    from modele.agents import Role, creer_agent

    regie, _, _ = monde
    agent = creer_agent(
        s, Contexte.systeme("tests"), "accueil2", "Nom", "Prénom", Role.ACCUEIL, "Accueil2026"
    )
    s.commit()
    with pytest.raises(ErreurMetier, match="Seul un régisseur"):
        cloturer_caisse(s, fabrique.contexte(JOUR).avec(agent_id=agent.id), regie.id, JOUR, {})


# --- the slips ---------------------------------------------------------------------------------


def test_bordereaux_sans_trou_et_chaque_paiement_sur_un_seul(s, monde):
    regie, _, payes = monde
    contexte = fabrique.contexte(JOUR)
    with pytest.raises(ErreurMetier, match="Clôturez d'abord"):
        etablir_bordereaux(s, contexte, regie.id, JOUR)
    s.rollback()
    cloturer_caisse(s, contexte, regie.id, JOUR, _comptes(especes=500, cheque=2620, carte=300))
    s.commit()
    cheques, especes = etablir_bordereaux(s, contexte, regie.id, JOUR)
    s.commit()
    assert (cheques.reference, cheques.nature, cheques.nombre, cheques.total) == (
        "AL-BR1",
        "cheque",
        2,
        2620,
    )
    assert (especes.reference, especes.nature, especes.nombre, especes.total) == (
        "AL-BR2",
        "especes",
        1,
        500,
    )
    lignes = s.exec(select(LigneBordereau.reglement_id)).all()
    # each live cheque and cash payment on exactly one slip; the cancelled one on none
    assert sorted(lignes) == sorted([payes[0].id, payes[1].id, payes[2].id])
    with pytest.raises(ErreurMetier, match="Rien à remettre"):
        etablir_bordereaux(s, contexte, regie.id, JOUR)
    s.rollback()
    detail = imprimer_bordereau(s, contexte, cheques.id)
    s.commit()
    assert [r.reference_paiement for r in detail.reglements] == ["1234567", "7654321"]
    imprime = s.get(Bordereau, cheques.id)
    assert imprime.imprime_le is not None
    imprime.total = 1
    with pytest.raises(ErreurMetier, match="imprimé ne se modifie plus"):
        s.flush()
    s.rollback()
    assert verifier_chaine(s, regie.id).intacte


def test_un_remboursement_en_especes_sort_du_tiroir(s, monde):
    """A refund paid in cash left the drawer: it counts in Espèces at the closing and comes
    off the cash deposit slip; a refund by transfer keeps its own line and no slip."""
    regie, familles, _ = monde
    contexte = fabrique.contexte(LENDEMAIN)
    emettre_avoir_et_lettrer(s, contexte, _facture(s, familles[2]), "erreur")  # credit 8,00
    s.commit()
    recu = encaisser(s, contexte, familles[0].id, regie.id, 620, ModeReglement.ESPECES, LENDEMAIN)
    rendu = rembourser_credit(
        s, contexte, familles[2].id, regie.id, 300, "trop payé", moyen=ModeReglement.ESPECES
    )
    vire = rembourser_credit(
        s, contexte, familles[2].id, regie.id, 200, "trop payé", "VIR-9", ModeReglement.VIREMENT
    )
    s.commit()
    totaux = {t.mode: (t.nombre, t.montant) for t in etat_caisse(s, regie.id, LENDEMAIN).totaux}
    assert totaux == {"especes": (2, 320), "remboursement": (1, -200)}
    # the drawer holds 3,20 €: counted as such, no difference, no reason asked
    cloturer_caisse(s, contexte, regie.id, LENDEMAIN, _comptes(especes=320, remboursement=-200))
    s.commit()
    (especes,) = etablir_bordereaux(s, contexte, regie.id, LENDEMAIN)
    s.commit()
    assert (especes.nature, especes.nombre, especes.total) == ("especes", 2, 320)
    lignes = s.exec(
        select(LigneBordereau.reglement_id).where(LigneBordereau.bordereau_id == especes.id)
    ).all()
    assert sorted(lignes) == sorted([recu.id, rendu.id]) and vire.id not in lignes
    etat = etat_caisse(s, regie.id, LENDEMAIN)
    assert etat.a_remettre == 0 and {t.mode: t.ecart for t in etat.totaux} == {
        "especes": 0,
        "remboursement": 0,
    }
    assert verifier_chaine(s, regie.id).intacte


def test_pas_de_versement_quand_les_remboursements_prennent_les_especes(s, monde):
    regie, familles, _ = monde
    contexte = fabrique.contexte(LENDEMAIN)
    emettre_avoir_et_lettrer(s, contexte, _facture(s, familles[2]), "erreur")  # credit 8,00
    s.commit()
    encaisser(s, contexte, familles[0].id, regie.id, 300, ModeReglement.ESPECES, LENDEMAIN)
    rembourser_credit(
        s, contexte, familles[2].id, regie.id, 800, "trop payé", moyen=ModeReglement.ESPECES
    )
    s.commit()
    totaux = {t.mode: (t.nombre, t.montant) for t in etat_caisse(s, regie.id, LENDEMAIN).totaux}
    assert totaux == {"especes": (2, -500)}
    assert compte_saisi("especes", "-5", enregistre=-500) == -500  # paid from the float
    cloturer_caisse(s, contexte, regie.id, LENDEMAIN, _comptes(especes=-500))
    s.commit()
    with pytest.raises(ErreurMetier, match="remboursements en espèces du jour égalent"):
        etablir_bordereaux(s, contexte, regie.id, LENDEMAIN)


def test_une_journee_close_montre_ce_que_la_cloture_a_scelle(s, monde):
    """A day closed before cash refunds counted in Espèces keeps the figures sealed then."""
    regie, _, _ = monde
    contexte = fabrique.contexte(JOUR)
    cloture = cloturer_caisse(
        s, contexte, regie.id, JOUR, _comptes(especes=500, cheque=2620, carte=300)
    )
    cloture.comptages = {
        **cloture.comptages,
        "especes": {"nombre": 3, "enregistre": 700, "compte": 500},
    }
    s.flush()
    totaux = {t.mode: (t.nombre, t.montant) for t in etat_caisse(s, regie.id, JOUR).totaux}
    assert totaux == {"especes": (3, 700), "cheque": (2, 2620), "carte": (1, 300)}


# --- concurrent writers on PostgreSQL: the chain stays one line ----------------------------


@pytest.mark.skipif(not PG_URL, reason="GUICHET_TEST_PG_URL absent : pas de PostgreSQL")
def test_ecritures_concurrentes_une_seule_chaine_postgresql():
    from tests.test_concurrence import base_pg, preparer

    par_guichet = 6
    with base_pg("guichet_chaine") as url:
        regie_id, familles = preparer(url)
        moteur = creer_engine(url)
        migrer(moteur)
        erreurs: list[BaseException] = []
        depart = threading.Barrier(4)

        def guichet(famille_id: int) -> None:
            try:
                depart.wait()
                for _ in range(par_guichet):
                    with ouvrir(moteur) as session:
                        encaisser(
                            session,
                            fabrique.contexte(JOUR),
                            famille_id,
                            regie_id,
                            100,
                            ModeReglement.ESPECES,
                            JOUR,
                            garder_en_avoir=True,
                        )
                        session.commit()
            except BaseException as e:
                erreurs.append(e)

        fils = [threading.Thread(target=guichet, args=(f,)) for f in familles * 2]
        for f in fils:
            f.start()
        for f in fils:
            f.join()
        assert not erreurs, erreurs
        with ouvrir(moteur) as session:
            maillons = session.exec(
                select(Maillon).where(Maillon.regie_id == regie_id).order_by(Maillon.sequence)
            ).all()
            assert len(maillons) == 4 * par_guichet
            assert [m.sequence for m in maillons] == list(range(1, 4 * par_guichet + 1))
            assert len({m.precedente for m in maillons}) == len(maillons)  # no fork
            assert verifier_chaine(session, regie_id).intacte
            assert session.exec(select(Reglement)).all().__len__() == 4 * par_guichet
        moteur.dispose()


# --- an existing base gets its records chained by the migration --------------------------------


def test_la_migration_chaine_une_base_existante(base):
    from tests.test_migrations import _descendre

    engine = creer_engine(base)
    _descendre(engine, "0014")
    migrer(engine)
    with ouvrir(engine) as session:
        from modele.structure import regies

        for regie in regies(session):
            verification = verifier_chaine(session, regie.id)
            assert verification.intacte, verification.probleme
        nombre = session.exec(text("SELECT count(*) FROM maillon")).one()[0]
        attendu = session.exec(
            text("SELECT (SELECT count(*) FROM facture) + (SELECT count(*) FROM reglement)")
        ).one()[0]
        assert nombre == attendu > 100
    engine.dispose()


# --- the command line --------------------------------------------------------------------------


def test_guichet_cloture_puis_verifier_apres_falsification(base, capsys):
    """On the demo: 24/11/2026 (direct debits) refused without the counted amount, then
    closed with a difference; `verifier` is whole, then names a payment changed by SQL."""
    import sqlite3

    from tui.cli import SORTIE_CHAINE_ROMPUE, main

    fichier = base.removeprefix("sqlite:///")
    commun = ["--base", fichier, "--date", "2026-11-24"]
    assert main([*commun, "cloture", "--regie", "AL"]) == 1
    assert "--prelevement MONTANT" in capsys.readouterr().err
    assert main([*commun, "cloture", "--regie", "AL", "--prelevement", "1000,15"]) == 1
    assert "motif est obligatoire" in capsys.readouterr().err
    assert (
        main([*commun, "cloture", "--regie", "AL", "--prelevement", "1000,15", "--motif", "rejet"])
        == 0
    )
    sortie = capsys.readouterr().out
    assert "Caisse close" in sortie and "écart -3,00" in sortie
    assert "Journal_de_caisse_AL_2026-11-24.pdf" in sortie
    assert main([*commun, "verifier", "--regie", "AL"]) == 0
    assert "chaîne intacte" in capsys.readouterr().out
    connexion = sqlite3.connect(fichier)
    connexion.execute("UPDATE reglement SET montant = 1 WHERE reference = 'AL-375'")
    connexion.commit()
    connexion.close()
    assert main([*commun, "verifier", "--regie", "AL"]) == SORTIE_CHAINE_ROMPUE
    erreur = capsys.readouterr().err
    assert "règlement AL-375 a été modifié" in erreur


def test_caisse_du_jour_close_le_reglement_va_au_lendemain(s, monde):
    """Money taken after today's closing is not in the drawer counted: it is dated
    tomorrow, the next cash day; never later, and never tomorrow while today is open."""
    regie, familles, _ = monde
    contexte = fabrique.contexte(JOUR)

    def cheque_du(jour):
        return encaisser(
            s,
            contexte,
            familles[1].id,
            regie.id,
            100,
            ModeReglement.CHEQUE,
            jour,
            "1111111",
            garder_en_avoir=True,
        )

    with pytest.raises(ErreurMetier, match="après aujourd'hui"):
        cheque_du(LENDEMAIN)  # today still open
    s.rollback()
    cloturer_caisse(s, contexte, regie.id, JOUR, _comptes(especes=500, cheque=2620, carte=300))
    s.commit()
    with pytest.raises(ErreurMetier, match=f"Datez-le du {LENDEMAIN:%d/%m/%Y}"):
        cheque_du(JOUR)
    s.rollback()
    with pytest.raises(ErreurMetier, match="après aujourd'hui"):
        cheque_du(LENDEMAIN + dt.timedelta(days=1))
    s.rollback()
    assert cheque_du(LENDEMAIN).date == LENDEMAIN
    s.commit()
    assert [r.date for r in etat_caisse(s, regie.id, LENDEMAIN).reglements] == [LENDEMAIN]


@pytest.mark.parametrize(
    ("jour", "suivant"),
    [
        (dt.date(2026, 4, 10), dt.date(2026, 4, 11)),  # Friday: Saturday
        (dt.date(2026, 4, 11), dt.date(2026, 4, 13)),  # Saturday: Monday, not Sunday
        (dt.date(2026, 4, 30), dt.date(2026, 5, 2)),  # Thursday: 1 May is a public holiday
        (dt.date(2026, 5, 23), dt.date(2026, 5, 26)),  # Saturday, Whit Monday next
        (dt.date(2026, 12, 31), dt.date(2027, 1, 2)),  # across the year, 1 January
        (dt.date(2028, 2, 28), dt.date(2028, 2, 29)),  # a leap day is a day like another
    ],
)
def test_prochain_jour_de_caisse_ni_dimanche_ni_ferie(s, monde, jour, suivant):
    for ferie in (dt.date(2026, 5, 1), dt.date(2026, 5, 25), dt.date(2027, 1, 1)):
        s.add(PeriodeCalendrier(type=TypeCalendrier.FERIE, debut=ferie, fin=ferie))
    # One activity's day off is not the counter's.
    activite = s.exec(select(Activite)).first()
    samedi = dt.date(2026, 4, 11)
    s.add(
        PeriodeCalendrier(
            type=TypeCalendrier.FERIE, debut=samedi, fin=samedi, activite_id=activite.id
        )
    )
    s.flush()
    assert prochain_jour_de_caisse(s, jour) == suivant


def test_caisse_fermee_le_samedi(s, monde):
    """A régie whose counter does not open on Saturdays: Friday leads to Monday, for it and
    for the family's balance (the latest next cash day of all); the others keep Saturday."""
    regie, _, _ = monde
    autre = Regie(collectivite_id=regie.collectivite_id, code="GP", libelle="Régie GP")
    s.add(autre)
    vendredi, samedi, lundi = dt.date(2026, 4, 10), dt.date(2026, 4, 11), dt.date(2026, 4, 13)
    assert prochain_jour_de_caisse(s, vendredi) == samedi
    regie.caisse_samedi = False
    s.add(regie)
    s.flush()
    assert prochain_jour_de_caisse(s, vendredi, regie.id) == lundi
    assert prochain_jour_de_caisse(s, vendredi, autre.id) == samedi
    assert prochain_jour_de_caisse(s, vendredi) == lundi
    assert prochain_jour_de_caisse(s, samedi, regie.id) == lundi


def test_samedi_clos_le_reglement_va_au_lundi_et_compte_le_samedi(s, monde):
    """A Saturday's cash closed: a payment taken then is dated Monday, the next cash day
    (it was dated Sunday, a day no one counts); the Saturday's Accueil already counts it."""
    regie, familles, _ = monde
    samedi, lundi = dt.date(2026, 4, 11), dt.date(2026, 4, 13)
    famille = familles[0].id  # 16,20 € billed, 10 € paid
    contexte = fabrique.contexte(samedi)
    cloturer_caisse(s, contexte, regie.id, JOUR, _comptes(especes=500, cheque=2620, carte=300))
    cloturer_caisse(s, contexte, regie.id, samedi, _comptes())
    s.commit()
    assert jour_de_caisse(s, regie.id, samedi) == lundi
    with pytest.raises(ErreurMetier, match="Datez-le du 13/04/2026"):
        encaisser(s, contexte, famille, regie.id, 620, ModeReglement.ESPECES, samedi)
    s.rollback()
    with pytest.raises(ErreurMetier, match="après aujourd'hui"):
        encaisser(s, contexte, famille, regie.id, 620, ModeReglement.ESPECES, lundi.replace(day=12))
    s.rollback()
    assert (
        encaisser(s, contexte, famille, regie.id, 620, ModeReglement.ESPECES, lundi).date == lundi
    )
    s.commit()
    assert accueil(s, famille, samedi).solde == 0


def test_paye_apres_la_cloture_le_solde_du_jour_le_compte(s, monde):
    """Paid after today's closing, dated tomorrow: the Accueil and the payment form show the
    debt paid today, as the unpaid invoices (lettered at once) do, not a debt with no unpaid
    invoice behind it. The relevé's balance brought forward is unchanged by it."""
    regie, familles, _ = monde
    famille = familles[0].id  # 16,20 € billed, 10 € paid
    assert accueil(s, famille, JOUR).solde == 620
    cloturer_caisse(
        s, fabrique.contexte(JOUR), regie.id, JOUR, _comptes(especes=500, cheque=2620, carte=300)
    )
    s.commit()
    encaisser(s, fabrique.contexte(JOUR), famille, regie.id, 620, ModeReglement.ESPECES, LENDEMAIN)
    s.commit()
    vue = accueil(s, famille, JOUR)
    assert (vue.solde, vue.impayees) == (0, [])
    assert preparer_encaissement(s, famille, JOUR).solde == 0
    assert solde(s, famille, JOUR) == 620  # (at the end of the day itself: the debt)
    assert solde(s, famille) == 0


def _un_euro_en_especes(s, monde, jour: dt.date, aujourdhui: dt.date = JOUR):
    """1 € in cash for the second family, dated `jour`, kept as a credit."""
    regie, familles, _ = monde
    return encaisser(
        s,
        fabrique.contexte(aujourdhui),
        familles[1].id,
        regie.id,
        100,
        ModeReglement.ESPECES,
        jour,
        garder_en_avoir=True,
    )


@pytest.mark.parametrize(
    ("jour", "refuse"),
    [
        (dt.date(1900, 1, 1), True),  # a year mistyped
        (JOUR - dt.timedelta(days=367), True),
        (JOUR - dt.timedelta(days=366), False),  # (2025-04-09: a year back, leap day or not)
        (JOUR - dt.timedelta(days=39), False),  # a cheque kept a few weeks
    ],
)
def test_un_reglement_ne_remonte_pas_a_plus_d_un_an(s, monde, jour, refuse):
    payer = lambda: _un_euro_en_especes(s, monde, jour)  # noqa: E731
    if not refuse:
        assert payer().date == jour
        return
    with pytest.raises(ErreurMetier, match="plus d'un an avant aujourd'hui") as refus:
        payer()
    assert refus.value.champ == "date" and f"{jour:%d/%m/%Y}" in refus.value.message


@pytest.mark.parametrize(
    ("jour", "refus"),
    [
        (dt.date(2026, 4, 5), "Le 05/04/2026 est un dimanche"),
        (dt.date(2026, 4, 6), "Le 06/04/2026 est un jour férié"),  # Easter Monday
        (dt.date(2026, 4, 4), "Le 04/04/2026 est un samedi"),  # the régie closed on Saturdays
        (dt.date(2026, 4, 3), None),  # a Friday
    ],
)
def test_un_reglement_date_d_un_jour_sans_caisse_est_refuse(s, monde, jour, refus):
    """A typed date on which the régie's counter does not open: the payment would sit in a
    cash book nobody counts or closes. Today is always accepted (the agent is there)."""
    regie, _, _ = monde
    paques = dt.date(2026, 4, 6)
    s.add(PeriodeCalendrier(type=TypeCalendrier.FERIE, debut=paques, fin=paques))
    regie.caisse_samedi = False
    s.add(regie)
    s.flush()
    payer = lambda aujourdhui: _un_euro_en_especes(s, monde, jour, aujourdhui)  # noqa: E731

    if refus is not None:
        with pytest.raises(ErreurMetier, match=refus) as erreur:
            payer(JOUR)
        assert erreur.value.champ == "date"
        assert erreur.value.message.endswith("Datez le règlement d'un jour de caisse.")
        s.rollback()
    assert payer(JOUR if refus is None else jour).date == jour
