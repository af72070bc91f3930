"""Regularisation through the app (issue #14, point 3): F6's preview lists the month's
pending requests before issuing; a booking accepted after its month was issued appears on
the next month's invoice as a dated regularisation line (preview, detail, PDF)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from ecrans.facture_detail import EcranFacture
from modele.agents import Agent
from modele.base import Canal, Contexte
from modele.db import session as ouvrir
from modele.demandes import accepter_demande
from modele.facturation import Facture, NatureFacture
from modele.planning import Activite, Consommation, Inscription, jour_ouvert, periodes_du_mois
from modele.reservations import demander_reservation
from modele.structure import Regie
from tests.conftest import REFERENCE
from tests.pilote import attendre, connecter, emettre_mois_en_cours, lignes, texte
from tests.test_facturation_app import messages, pdf

TAILLE = (150, 50)
REGIE = ("regie", "Regie2026")


def _jour_libre(s, inscription: Inscription, activite: Activite, mois: int) -> dt.date | None:
    """A day of 2026's `mois` the activity opens and the child has no cell on."""
    jour = dt.date(2026, mois, 2)
    periodes = periodes_du_mois(s, 2026, mois)
    pris = set(
        s.exec(
            select(Consommation.jour).where(
                Consommation.enfant_id == inscription.enfant_id,
                Consommation.activite_id == activite.id,
            )
        )
    )
    while jour.month == mois and jour.day <= 26:
        if jour_ouvert(activite, jour, periodes) and jour not in pris:
            return jour
        jour += dt.timedelta(days=1)
    return None


def preparer(engine) -> tuple[int, int, dt.date, dt.date]:
    """A child's October day booked late and accepted after October was issued, and a
    November day still pending: (family, pending request, October day, November day)."""
    with ouvrir(engine) as s:
        regie = s.exec(select(Regie).where(Regie.code == "AL")).one()
        agent = s.exec(select(Agent).where(Agent.identifiant == "regie")).one()
        for inscription, activite in s.exec(
            select(Inscription, Activite)
            .join(Activite, Activite.id == Inscription.activite_id)
            .where(
                Activite.regie_id == regie.id,
                Inscription.annee_scolaire == 2026,
            )
            .order_by(Inscription.id)
        ):
            octobre = _jour_libre(s, inscription, activite, 10)
            novembre = _jour_libre(s, inscription, activite, 11)
            if octobre and novembre:
                break
        avant = Contexte(agent.id, Canal.TELEPHONE, dt.date(2026, 9, 1))
        tardive = demander_reservation(s, avant, inscription.enfant_id, activite.id, [octobre])
        attente = demander_reservation(s, avant, inscription.enfant_id, activite.id, [novembre])
        s.commit()
        accepter_demande(s, Contexte(agent.id, Canal.GUICHET, REFERENCE), tardive.id)
        s.commit()
        return tardive.famille_id, attente.id, octobre, novembre


async def test_apercu_en_suspens_puis_regularisation_sur_la_facture_suivante(fabrique_app, engine):
    famille_id, attente, octobre, novembre = preparer(engine)
    regularisation = f"Régularisation octobre 2026 ({octobre:%d/%m})"
    app = fabrique_app(REFERENCE)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, *REGIE)
        await pilot.press("f6")
        await pilot.press("pagedown")  # November
        await attendre(pilot, lambda: app.screen.apercu is not None)
        assert "Novembre 2026" in texte(app, "#facturation-titre")
        suspens = texte(app, "#facturation-suspens")
        assert "À décider avant d'émettre : 1 demande en attente (F2)" in suspens
        assert f"Demande n° {attente} — " in suspens
        assert "Réservations — " in suspens and f": {novembre:%d/%m}" in suspens
        assert "non pointé" in suspens
        # the family's preview shows the October day on its own line
        rang = next(
            i for i, f in enumerate(app.screen.familles_affichees) if f.famille_id == famille_id
        )
        app.screen.query_one("#facturation-familles").move_cursor(row=rang)
        await attendre(
            pilot,
            lambda: any(regularisation in r[1] for r in lignes(app, "#facturation-lignes")),
        )
        await emettre_mois_en_cours(pilot)
        assert "1 demande encore en attente" in app.screen.question
        await pilot.press("o")
        await attendre(pilot, lambda: any("factures émises" in m for m in messages(app)))
        await app.workers.wait_for_complete()
        with ouvrir(engine) as s:
            facture = s.exec(
                select(Facture).where(
                    Facture.famille_id == famille_id,
                    Facture.nature == NatureFacture.FACTURE,
                    Facture.periode_debut == dt.date(2026, 11, 1),
                )
            ).one()
        await app.push_screen(EcranFacture(facture.id))
        await pilot.pause()
        await attendre(pilot, lambda: lignes(app, "#facture-lignes"))
        assert any(regularisation in r[1] for r in lignes(app, "#facture-lignes"))
        await pilot.press("escape")
        await attendre(pilot, lambda: not isinstance(app.screen, EcranFacture))
        await pilot.press("i")  # the month's invoices in one PDF
        await app.workers.wait_for_complete()
    courrier = " ".join(pdf("Factures_AL_2026-11.pdf").split())
    assert regularisation in courrier
