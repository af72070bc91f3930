"""The invoice goes to the payer (issue 14, point 1): dated per family and régie, set by a
request, followed by invoices, receipts, relevés and the billing preview."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
from sqlmodel import select

from data.graines import NUMERO_DUPONT
from exports.facture import FactureAImprimer, facture_pdf
from exports.recu import recu_pdf
from modele.demandes import TypeDemande, accepter_demande, creer_demande
from modele.facturation import Facture, apercu_facturation
from modele.famille import Responsable, famille_par_numero, payeur, responsables
from modele.planning import EtatConsommation
from modele.reglements import Reglement, destinataire_releve, detail_facture, detail_reglement
from modele.structure import collectivite
from tests import fabrique

J = dt.date


def _texte(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def _demander_payeur(s, jour: dt.date, famille_id: int, regie_id: int, qui: Responsable):
    ctx = fabrique.contexte(jour)
    demande = creer_demande(
        s,
        ctx,
        famille_id,
        TypeDemande.PAYEUR,
        {"regie_id": str(regie_id), "responsable_id": str(qui.id)},
    )
    accepter_demande(s, ctx, demande.id)
    return demande


def test_dupont_facture_et_recu_adresses_a_jeanne(session):
    dupont = famille_par_numero(session, NUMERO_DUPONT)
    jean, jeanne = responsables(session, dupont.id)
    al36 = session.exec(select(Facture).where(Facture.reference == "AL-36")).one()
    al228 = session.exec(select(Reglement).where(Reglement.reference == "AL-228")).one()
    assert dupont.situation == "Séparé"
    # JEANNE pays from 7 April 2015, the day before AL-36 and AL-228
    demande = _demander_payeur(session, J(2015, 4, 7), dupont.id, al36.regie_id, jeanne)
    assert demande.valeurs["payeur"] == ["DUPONT JEAN", "DUPONT JEANNE"]
    session.commit()

    d = detail_facture(session, al36.id)
    assert d.responsable.id == jeanne.id
    pdf = _texte(
        facture_pdf(
            FactureAImprimer(
                collectivite=collectivite(session),
                regie=d.regie,
                famille=d.famille,
                responsable=d.responsable,
                facture=d.facture,
                lignes=d.lignes,
                enfants=d.enfants,
                activites=d.activites,
                deja_paye=d.deja_paye,
                reste_du=d.reste_du,
            ),
            edite_le=J(2015, 5, 4),
        )
    )
    assert "Madame DUPONT JEANNE" in pdf and "Lotissement les bons bonbons" in pdf
    assert "JEAN," not in pdf and "12 RUE DES BONBONS" not in pdf

    r = detail_reglement(session, al228.id)
    assert r.responsable.id == jeanne.id
    recu = _texte(
        recu_pdf(
            collectivite(session),
            r.regie,
            r.famille,
            r.responsable,
            r.reglement,
            r.affectations,
            r.factures,
            edite_le=J(2015, 5, 4),
        )
    )
    assert "Madame DUPONT JEANNE" in recu and "Lotissement les bons bonbons" in recu
    assert "12 RUE DES BONBONS" not in recu
    assert destinataire_releve(session, dupont.id, dt.datetime(2015, 5, 4)).id == jeanne.id


def test_dupont_sans_payeur_designe_reste_a_jean(session):
    """Before the change (and with none), the invoice goes to the responsable, as issued."""
    dupont = famille_par_numero(session, NUMERO_DUPONT)
    jean, jeanne = responsables(session, dupont.id)
    al36 = session.exec(select(Facture).where(Facture.reference == "AL-36")).one()
    assert detail_facture(session, al36.id).responsable.id == jean.id
    # designated after AL-36 was issued: AL-36 never moves
    _demander_payeur(session, J(2015, 4, 9), dupont.id, al36.regie_id, jeanne)
    assert detail_facture(session, al36.id).responsable.id == jean.id


def _famille_a_deux(s):
    regie, cantine, _ = fabrique.structure(s)
    famille, enfant = fabrique.famille(s)
    conjoint = Responsable(
        famille_id=famille.id,
        role="conjoint",
        nom="MARTIN",
        prenoms="Paul",
        civilite="Monsieur",
        adresse="3 rue Neuve",
        code_postal="59000",
        ville="LILLE",
        payeur=False,
    )
    s.add(conjoint)
    s.flush()
    return regie, cantine, famille, enfant, conjoint


def test_un_payeur_a_la_fois_a_partir_de_la_prochaine_facture(s):
    regie, cantine, famille, enfant, paul = _famille_a_deux(s)
    [elodie, _] = responsables(s, famille.id)
    s.add_all(
        fabrique.jours(enfant, cantine, [J(2026, 9, 7), J(2026, 10, 5)], EtatConsommation.RESERVE)
    )
    s.commit()
    [septembre] = fabrique.facturer(
        s,
        fabrique.contexte(J(2026, 10, 1)),
        regie.id,
        J(2026, 9, 1),
        J(2026, 9, 30),
        J(2026, 10, 1),
    )
    _demander_payeur(s, J(2026, 10, 15), famille.id, regie.id, paul)
    s.commit()
    [octobre] = fabrique.facturer(
        s,
        fabrique.contexte(J(2026, 11, 2)),
        regie.id,
        J(2026, 10, 1),
        J(2026, 10, 31),
        J(2026, 11, 2),
    )
    assert detail_facture(s, septembre.id).responsable.id == elodie.id
    assert detail_facture(s, octobre.id).responsable.id == paul.id
    # back to Élodie: the latest designation wins, the earlier ones stay for their invoices
    _demander_payeur(s, J(2026, 11, 20), famille.id, regie.id, elodie)
    moment = dt.datetime(2026, 11, 21)
    assert payeur(s, famille.id, regie.id, moment).id == elodie.id
    assert detail_facture(s, octobre.id).responsable.id == paul.id


def test_demande_de_payeur_sans_changement_refusee(s):
    import pytest

    from modele.base import ErreurMetier

    regie, _, famille, _, paul = _famille_a_deux(s)
    [elodie, _] = responsables(s, famille.id)
    with pytest.raises(ErreurMetier, match="Aucune modification"):
        creer_demande(
            s,
            fabrique.contexte(),
            famille.id,
            TypeDemande.PAYEUR,
            {"regie_id": regie.id, "responsable_id": elodie.id},
        )


def test_apercu_signale_le_payeur_sans_adresse(s):
    regie, cantine, famille, enfant, paul = _famille_a_deux(s)
    s.add_all(fabrique.jours(enfant, cantine, [J(2026, 9, 7)], EtatConsommation.RESERVE))
    s.flush()
    anomalies = _du_payeur(apercu_facturation(s, regie.id, J(2026, 9, 1), J(2026, 9, 30)))
    # Élodie, the default payer, has a town but no street
    assert anomalies == ["Adresse du payeur incomplète : MARTIN Élodie."]
    _demander_payeur(s, J(2026, 9, 20), famille.id, regie.id, paul)
    assert _du_payeur(apercu_facturation(s, regie.id, J(2026, 9, 1), J(2026, 9, 30))) == []


def _du_payeur(apercu) -> list[str]:
    return [a for a in apercu.familles[0].prevue.anomalies if "payeur" in a]
