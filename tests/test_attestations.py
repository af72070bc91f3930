"""Attestations fiscales (issue 17, point 3) on a hand-computed family, SQLite and
PostgreSQL: children under 6 on 1 January, care only (meals excluded), money paid in the
year (a December invoice paid in January), credit notes, partial and cancelled payments."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlmodel import select

from exports.documents import document_attestations
from modele.attestations import attestation_famille, attestations, moins_de_six_ans, montants_garde
from modele.base import ErreurMetier
from modele.facturation import Facture, LigneFacture, Tarif
from modele.famille import Enfant
from modele.planning import Activite
from modele.reglements import (
    ModeReglement,
    annuler_reglement,
    emettre_avoir_et_lettrer,
    encaisser,
    facturer_mois,
)
from tests import fabrique


def d(texte: str) -> dt.date:
    return dt.date.fromisoformat(texte)


@pytest.fixture
def monde(s):
    """One family, three children: A born 2021 (under 6 both years), B born June 2020
    (turns 6 in 2026: still counts for 2026), C born May 2019 (6 on 1 January 2026)."""
    regie, cantine, tranches = fabrique.structure(s)
    garderie = Activite(
        regie_id=regie.id, code="GARDERIE", structure="Garderie", libelle="Matin", jours="1245"
    )
    s.add(garderie)
    s.flush()
    s.add_all(
        Tarif(
            activite_id=garderie.id, tranche_id=t.id, prix_unitaire=200, valide_du=d("2000-01-01")
        )
        for t in tranches
    )
    famille, a = fabrique.famille(s, enfant="Anna")
    a.date_naissance = d("2021-03-01")
    b = Enfant(
        famille_id=famille.id, nom="MARTIN", prenoms="Basile", date_naissance=d("2020-06-15")
    )
    c = Enfant(famille_id=famille.id, nom="MARTIN", prenoms="Chloé", date_naissance=d("2019-05-01"))
    s.add_all([a, b, c])
    s.flush()
    jours = (
        fabrique.jours(a, garderie, [d("2025-11-03"), d("2025-11-04")])
        + fabrique.jours(c, garderie, [d("2025-11-06")])
        + fabrique.jours(a, garderie, [d("2025-12-01"), d("2025-12-02"), d("2025-12-04")])
        + fabrique.jours(a, cantine, [d("2025-12-08"), d("2025-12-09")])
        + fabrique.jours(c, garderie, [d("2025-12-11"), d("2025-12-12")])
        + fabrique.jours(a, garderie, [d(f"2026-01-{j:02d}") for j in (5, 6, 8, 9)])
        + fabrique.jours(b, garderie, [d(f"2026-01-{j:02d}") for j in (12, 13, 15, 16, 19)])
        + fabrique.jours(b, cantine, [d("2026-01-20")])
        + fabrique.jours(b, garderie, [d("2026-02-02"), d("2026-02-03")])
        + fabrique.jours(b, cantine, [d("2026-02-05")])
    )
    s.add_all(jours)
    s.commit()

    def facturer(debut: str, fin: str, emission: str) -> Facture:
        [emise] = facturer_mois(
            s, fabrique.contexte(d(emission)), regie.id, d(debut), d(fin), d(emission)
        )
        s.commit()
        return s.get(Facture, emise.id)

    def payer(facture: Facture, montant: int, jour: str):
        r = encaisser(
            s,
            fabrique.contexte(d(jour)),
            famille.id,
            regie.id,
            montant,
            ModeReglement.ESPECES,
            d(jour),
            factures=[facture.id],
        )
        s.commit()
        return r

    novembre = facturer("2025-11-01", "2025-11-30", "2025-12-02")
    assert novembre.total == 600  # A 400 garde, C 200 garde
    payer(novembre, 600, "2025-12-10")
    decembre = facturer("2025-12-01", "2025-12-31", "2026-01-02")
    assert decembre.total == 600 + 810 + 400  # A garde, A meals, C garde
    payer(decembre, 1810, "2026-01-10")  # a December invoice paid in January
    janvier = facturer("2026-01-01", "2026-01-31", "2026-02-02")
    assert janvier.total == 800 + 1000 + 405  # A garde, B garde, B meal
    [ligne_b] = s.exec(
        select(LigneFacture).where(
            LigneFacture.facture_id == janvier.id,
            LigneFacture.enfant_id == b.id,
            LigneFacture.activite_id == garderie.id,
        )
    ).all()
    emettre_avoir_et_lettrer(
        s, fabrique.contexte(d("2026-02-05")), janvier.id, "Grève", [ligne_b.id]
    )
    s.commit()
    payer(janvier, 1205, "2026-02-10")
    fevrier = facturer("2026-02-01", "2026-02-28", "2026-03-02")
    assert fevrier.total == 400 + 405  # B garde, B meal
    payer(fevrier, 161, "2026-03-10")  # partly paid: 161 × 400 / 805 = 80
    annule = payer(fevrier, 500, "2026-03-12")
    annuler_reglement(s, fabrique.contexte(d("2026-03-13")), annule.id, "Erreur de saisie")
    s.commit()
    return famille, a, b, c


def test_moins_de_six_ans_au_premier_janvier():
    def enfant(naissance: str) -> Enfant:
        return Enfant(famille_id=1, nom="X", prenoms="Y", date_naissance=d(naissance))

    assert moins_de_six_ans(enfant("2020-01-02"), 2026)
    assert not moins_de_six_ans(enfant("2020-01-01"), 2026)  # 6 on 1 January
    assert moins_de_six_ans(enfant("2020-12-31"), 2026)  # turns 6 during the year
    assert not moins_de_six_ans(Enfant(famille_id=1, nom="X", prenoms="Y"), 2026)


def test_montants_calcules_a_la_main(s, monde):
    famille, a, b, c = monde
    # 2026: A 600 (December paid in January, meals out) + 800 (January, net of B's credit
    # note); B 80 (February partly paid; a cancelled payment counts for nothing); C is 6.
    assert montants_garde(s, 2026) == {famille.id: {a.id: 1400, b.id: 80}}
    # 2025: November paid in December, C under 6 then.
    assert montants_garde(s, 2025) == {famille.id: {a.id: 400, c.id: 200}}
    assert montants_garde(s, 2024) == {}
    attestation = attestation_famille(s, famille.id, 2026)
    assert [(m.enfant.prenoms, m.montant) for m in attestation.enfants] == [
        ("Basile", 80),
        ("Anna", 1400),
    ]
    assert attestation.total == 1480
    assert attestation.destinataire.nom == "MARTIN"
    with pytest.raises(ErreurMetier, match="Aucun frais de garde"):
        attestation_famille(s, famille.id, 2024)


def test_pdf_d_une_famille_et_du_lot(s, monde):
    famille, _, _, _ = monde
    autre, enfant = fabrique.famille(s, numero="1000000000002", nom="PETIT", enfant="Zoé")
    s.commit()
    assert [x.famille.numero for x in attestations(s, 2026)] == [famille.numero]
    nom, pdf = document_attestations(s, 2026, d("2027-01-15"), famille.id)
    assert nom == f"Attestation fiscale 2026 {famille.numero}.pdf"
    texte = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "ATTESTATION FISCALE" in texte and "Commune test" in texte
    assert "MARTIN Anna" in texte and "14,00" in texte and "0,80" in texte
    assert "14,80" in texte  # the total
    nom, pdf = document_attestations(s, 2025, d("2026-01-15"))
    assert nom == "Attestations fiscales 2025.pdf"
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    with pytest.raises(ErreurMetier, match="2024"):
        document_attestations(s, 2024, d("2025-01-15"))
