"""The planning grid driven from the keyboard (issue: Mes enfants)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlmodel import col, delete, select
from textual.widgets import Select

from ecrans.compat_textual import notifications
from ecrans.grille_planning import ENTETE, LEGENDE, GrillePlanning, LegendeComplete, LegendePlanning
from ecrans.planning_actions import DeclarationAbsence
from ecrans.widgets import Confirmation
from modele.db import session as ouvrir
from modele.demandes import Demande, StatutDemande, TypeDemande
from modele.famille import Enfant
from modele.journal import Journal
from modele.planning import Activite, Consommation, Inscription
from modele.planning import EtatConsommation as E
from tests.pilote import attendre, connecter, ouvrir_famille

TAILLE = (160, 50)
AUJOURDHUI = dt.date(2026, 11, 27)  # a Friday


@pytest.fixture
def mathis(engine):
    """BERTRAND Mathis, élémentaire, with nothing booked after today (a clean slate),
    enrolled in Aide aux devoirs too (for the exclusive pair)."""
    with ouvrir(engine) as s:
        enfant = s.exec(select(Enfant).where(Enfant.prenoms == "Mathis Noah")).one()
        s.exec(
            delete(Consommation).where(
                Consommation.enfant_id == enfant.id, Consommation.jour > AUJOURDHUI
            )
        )
        ad = s.exec(select(Activite).where(Activite.code == "GP-AD")).one()
        if not s.exec(
            select(Inscription).where(
                Inscription.enfant_id == enfant.id,
                Inscription.activite_id == ad.id,
                Inscription.annee_scolaire == 2026,
            )
        ).first():
            s.add(
                Inscription(
                    enfant_id=enfant.id,
                    activite_id=ad.id,
                    annee_scolaire=2026,
                    date_debut=dt.date(2026, 9, 1),
                    date_fin=dt.date(2027, 8, 31),
                )
            )
        s.commit()
        return enfant.id


async def ouvrir_planning(pilot, utilisateur=("regie", "Regie2026")) -> GrillePlanning:
    await connecter(pilot, *utilisateur)
    await ouvrir_famille(pilot, "mathis bertrand")
    await pilot.press("3")
    await pilot.pause()
    grille = pilot.app.screen.query_one(GrillePlanning)
    if grille.grille.enfant.prenoms != "Mathis Noah":
        await pilot.press("e")
    return grille


async def aller(pilot, grille: GrillePlanning, code: str, jour: int) -> None:
    """Cursor to an activity's row and a day, with the arrow keys."""
    rang = [ligne.activite.code for ligne in grille.grille.lignes].index(code)
    while grille.ligne != rang:
        await pilot.press("down" if grille.ligne < rang else "up")
    while grille.colonne != jour - 1:
        await pilot.press("right" if grille.colonne < jour - 1 else "left")


def en_cours(grille: GrillePlanning, code: str = "ALSH-MER-J") -> list[int]:
    """The days of an activity's row whose booking is being processed."""
    ligne = next(lg for lg in grille.grille.lignes if lg.activite.code == code)
    return [c.jour.day for c in ligne.cellules if c.etat == E.RESERVATION_EN_COURS]


async def reserver_les_mercredis_de_janvier(pilot, grille: GrillePlanning) -> None:
    """From November 2026: January 2027, the Wednesday the 6th, m then r."""
    await pilot.press("pagedown", "pagedown")
    await aller(pilot, grille, "ALSH-MER-J", 6)
    await pilot.press("m", "r")


def reserver_gp_rest(
    engine, enfant_id: int, etats: dict[int, E], vider: list[dt.date] | None = None
) -> int:
    """Cells of the child's Garderie restauration in November 2026 (day → state), after
    removing those of `vider`; the activity's id."""
    with ouvrir(engine) as s:
        rest = s.exec(select(Activite).where(Activite.code == "GP-REST")).one()
        if vider:
            s.exec(
                delete(Consommation).where(
                    Consommation.enfant_id == enfant_id,
                    Consommation.activite_id == rest.id,
                    col(Consommation.jour).in_(vider),
                )
            )
        for jour, etat in etats.items():
            s.add(
                Consommation(
                    enfant_id=enfant_id,
                    activite_id=rest.id,
                    jour=dt.date(2026, 11, jour),
                    etat=etat.value,
                )
            )
        s.commit()
        return rest.id


def messages(app) -> list[str]:
    return notifications(app)


async def test_mois_au_clavier_annee_scolaire_et_fevrier_bissextile(fabrique_app, mathis):
    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE) as pilot:
        grille = await ouvrir_planning(pilot)
        assert (grille.grille.annee, grille.grille.mois) == (2026, 11)
        assert grille.colonne == AUJOURDHUI.day - 1  # the cursor on today (it was the 1st)
        await aller(pilot, grille, "GP-REST", 30)
        await pilot.press("pagedown", "pagedown")  # January 2027, day 30 kept
        assert (grille.grille.mois, grille.colonne) == (1, 29)
        await pilot.press("right")  # 31 January
        await pilot.press("pagedown")  # February 2027: nearest day, same activity
        assert (grille.grille.mois, len(grille.grille.jours), grille.colonne) == (2, 28, 27)
        assert grille.grille.lignes[grille.ligne].activite.code == "GP-REST"
        for _ in range(7):
            await pilot.press("pagedown")  # September 2027: a new school year, not enrolled
        assert (grille.grille.annee, grille.grille.mois, grille.grille.lignes) == (2027, 9, [])
        for _ in range(5):
            await pilot.press("pagedown")
        assert (grille.grille.annee, grille.grille.mois, len(grille.grille.jours)) == (2028, 2, 29)
        await pilot.press("t")
        await attendre(pilot, lambda: (grille.grille.annee, grille.grille.mois) == (2026, 11))
        assert grille.colonne == AUJOURDHUI.day - 1  # today, not the 29th of this month
        assert "Novembre 2026" in str(app.screen.query_one("#planning-titre").content)


async def test_tous_les_mercredis_du_mois(fabrique_app, engine, mathis):
    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE) as pilot:
        grille = await ouvrir_planning(pilot, ("accueil", "Accueil2026"))
        await reserver_les_mercredis_de_janvier(pilot, grille)
        await pilot.pause()
        assert en_cours(grille) == [6, 13, 20, 27]
    with ouvrir(engine) as s:
        demande = s.exec(
            select(Demande)
            .where(Demande.enfant_id == mathis, Demande.type == TypeDemande.RESERVATION)
            .order_by(Demande.id.desc())
        ).first()
        assert demande.valeurs["jours"] == ["2027-01-06", "2027-01-13", "2027-01-20", "2027-01-27"]
        assert demande.canal == "guichet" and demande.statut == StatutDemande.EN_ATTENTE


async def test_tous_les_mercredis_sauf_celui_deja_reserve(fabrique_app, engine, mathis):
    """m then r, one Wednesday already booked: the others are booked and that one is named
    as left aside (the whole booking was refused for it, « Le 13/01/2027 est déjà
    « Réservé » »), as an absence on several days does."""
    with ouvrir(engine) as s:
        mer = s.exec(select(Activite).where(Activite.code == "ALSH-MER-J")).one()
        s.add(
            Consommation(
                enfant_id=mathis, activite_id=mer.id, jour=dt.date(2027, 1, 13), etat=E.RESERVE
            )
        )
        s.commit()
    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE) as pilot:
        grille = await ouvrir_planning(pilot, ("accueil", "Accueil2026"))
        await reserver_les_mercredis_de_janvier(pilot, grille)
        await attendre(pilot, lambda: en_cours(grille) == [6, 20, 27])
        await attendre(pilot, lambda: any("Laissés de côté" in m for m in messages(app)))
        [message] = [m for m in messages(app) if "Laissés de côté" in m]
        assert message.endswith("Laissés de côté : le 13/01/2027 (déjà « Réservé »)."), message
        # Again: every Wednesday taken now, each named with why (it said the first only).
        await pilot.press("m", "r")
        aucun = "Aucun de ces jours ne peut être réservé : "
        await attendre(pilot, lambda: any(m.startswith(aucun) for m in messages(app)))
        [message] = [m for m in messages(app) if m.startswith(aucun)]
        assert "le 13/01/2027 (déjà « Réservé »)" in message, message
        assert "3 jours : 06/01, 20/01, 27/01 (déjà « Réservation en cours" in message, message


async def test_absence_maladie_puis_certificat(fabrique_app, engine, mathis):
    with ouvrir(engine) as s:
        rest = s.exec(select(Activite).where(Activite.code == "GP-REST")).one()
        # Monday 30: its deadline was Thursday 26 at noon, the absence is declared late
        s.add(
            Consommation(
                enfant_id=mathis,
                activite_id=rest.id,
                jour=dt.date(2026, 11, 30),
                etat=E.RESERVE.value,
            )
        )
        s.commit()
    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE) as pilot:
        grille = await ouvrir_planning(pilot)
        await aller(pilot, grille, "GP-REST", 30)
        await pilot.press("a")
        assert isinstance(app.screen, DeclarationAbsence)
        app.screen.query_one("#confirmer").press()  # no reason: refused at the field
        await pilot.pause()
        assert "Le motif est obligatoire." in str(app.screen.query_one("#erreur-absence").content)
        app.screen.query_one("#motif", Select).value = "maladie"
        # A reason chosen: the message goes (it stayed on screen).
        await attendre(pilot, lambda: str(app.screen.query_one("#erreur-absence").content) == "")
        app.screen.query_one("#confirmer").press()
        await pilot.pause()
        assert grille.cellule.etat == E.ABSENCE_EN_COURS, messages(app)
        # The régisseur accepts it from the queue: late, without certificate, it is billed.
        await pilot.press("f2")
        table = app.screen.query_one("#file-demandes")
        rang = next(
            i
            for i in range(table.row_count)
            if {"Absences", "Mathis"} <= {str(c) for c in table.get_row_at(i)}
        )
        table.move_cursor(row=rang)
        await pilot.press("enter")
        assert "Absences" in str(app.screen.query_one("#decision-titre").content)
        await pilot.press("a")
        await pilot.pause()
        assert "Acceptée le" in str(app.screen.query_one("#decision-statut").content), messages(app)
        await pilot.press("escape", "escape")
        await pilot.pause()
        grille = app.screen.query_one(GrillePlanning)
        assert grille.cellule.etat == E.ABSENT_FACTURE
        await pilot.press("c")  # the certificate arrives
        await pilot.pause()
        assert grille.cellule.etat == E.ABSENT_EXCUSE and grille.cellule.certificat


async def test_certificat_hors_delai_refuse(fabrique_app, engine, mathis):
    """Wednesday 18 November, sick, declared late: the certificate brought on Friday 27 is
    past the 2 working days (Friday 20): refused at the counter, the day stays billed."""
    with ouvrir(engine) as s:
        rest = s.exec(select(Activite).where(Activite.code == "GP-REST")).one()
        s.exec(
            delete(Consommation).where(
                Consommation.enfant_id == mathis,
                Consommation.activite_id == rest.id,
                Consommation.jour == dt.date(2026, 11, 18),
            )
        )
        s.add(
            Consommation(
                enfant_id=mathis,
                activite_id=rest.id,
                jour=dt.date(2026, 11, 18),
                etat=E.ABSENT_FACTURE.value,
                motif_absence="maladie",
            )
        )
        s.commit()
    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE) as pilot:
        grille = await ouvrir_planning(pilot)
        await aller(pilot, grille, "GP-REST", 18)
        await pilot.press("c")
        await attendre(pilot, lambda: any("hors délai" in m for m in messages(app)))
        assert (
            "Certificat hors délai : il devait être enregistré au plus tard le 20/11/2026 "
            "(2 jours ouvrés après l'absence). L'absence reste facturée."
        ) in messages(app)
        assert grille.cellule.etat == E.ABSENT_FACTURE and not grille.cellule.certificat


async def test_certificat_sur_un_jour_facture_fait_l_avoir(fabrique_app, engine, mathis):
    """Issue 14.5: Thursday 26 November, sick, billed; the certificate brought on Friday 27
    (in time) asks to confirm, then issues the day's credit note and excuses the day."""
    from modele.facturation import Facture, NatureFacture
    from modele.planning import est_facturee
    from tests import fabrique

    jeudi = dt.date(2026, 11, 26)
    with ouvrir(engine) as s:
        rest = s.exec(select(Activite).where(Activite.code == "GP-REST")).one()
        s.exec(
            delete(Consommation).where(
                Consommation.enfant_id == mathis,
                Consommation.activite_id == rest.id,
                Consommation.jour == jeudi,
            )
        )
        s.add(
            Consommation(
                enfant_id=mathis,
                activite_id=rest.id,
                jour=jeudi,
                etat=E.ABSENT_FACTURE.value,
                motif_absence="maladie",
            )
        )
        famille_id = s.get(Enfant, mathis).famille_id
        [facture] = fabrique.facturer(
            s,
            fabrique.contexte(AUJOURDHUI),
            rest.regie_id,
            dt.date(2026, 11, 1),
            dt.date(2026, 11, 30),
            AUJOURDHUI,
            familles={famille_id},
        )
        s.commit()
    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE) as pilot:
        grille = await ouvrir_planning(pilot)
        await aller(pilot, grille, "GP-REST", 26)
        await pilot.press("c")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        question = str(app.screen.query_one(".titre-dialogue").content)
        assert f"Le 26/11/2026 est facturé sur {facture.reference}" in question
        await pilot.press("o")
        await attendre(pilot, lambda: any("Avoir émis" in m for m in messages(app)))
        grille = app.screen.query_one(GrillePlanning)
        assert grille.cellule.etat == E.ABSENT_EXCUSE and grille.cellule.certificat
        assert not grille.cellule.facturee
    with ouvrir(engine) as s:
        [avoir] = s.exec(
            select(Facture).where(
                Facture.facture_origine_id == facture.id, Facture.nature == NatureFacture.AVOIR
            )
        ).all()
        assert avoir.motif == "Certificat médical du 26/11/2026" and avoir.total > 0
        cellule = s.exec(
            select(Consommation).where(
                Consommation.enfant_id == mathis,
                Consommation.activite_id == rest.id,
                Consommation.jour == jeudi,
            )
        ).one()
        assert not est_facturee(s, cellule)


async def test_temps_libre_ou_aide_aux_devoirs(fabrique_app, engine, mathis):
    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE) as pilot:
        grille = await ouvrir_planning(pilot)
        await pilot.press("pagedown")
        await aller(pilot, grille, "GP-TL", 7)
        await pilot.press("r")
        await pilot.pause()
        await aller(pilot, grille, "GP-AD", 7)
        await pilot.press("r")
        await pilot.pause()
        assert any("« Temps libre » est déjà réservé" in m for m in messages(app))
        assert grille.cellule.etat is None


async def test_selection_d_une_semaine_laisse_le_mercredi_sans_accueil(fabrique_app, mathis):
    """Monday 23 to Friday 27 November on the school restaurant's row, with shift+→: the
    Wednesday it does not run is not selected, nor pointed (it was, and billed)."""
    from ecrans.planning_actions import Pointage
    from modele.grille import Fond

    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE) as pilot:
        grille = await ouvrir_planning(pilot, ("regie", "Regie2026"))
        await aller(pilot, grille, "GP-REST", 23)
        assert grille.grille.lignes[grille.ligne].cellules[24].fond == Fond.FERME  # the 25th
        await pilot.press(*["shift+right"] * 4)
        await attendre(pilot, lambda: grille.colonne == 26)
        assert [j.day for j in grille.jours_choisis()] == [23, 24, 26, 27]
        await pilot.press("o")
        await attendre(pilot, lambda: isinstance(app.screen, Pointage))
        assert app.screen.resume.endswith("4 jours : 23/11, 24/11, 26/11, 27/11")


async def test_pointage_exclusif_refuse_puis_force_avec_motif(fabrique_app, engine, mathis):
    """Issue 14.7: "Aide aux devoirs" pointed present on Thursday 26 November while "Temps
    libre" is booked: refused with the other's name, then forced with a reason. Monday 30,
    to come, is refused before the choice of a state."""
    from ecrans.planning_actions import Pointage
    from ecrans.widgets import SaisieMotif
    from tests.pilote import saisir

    jeudi = dt.date(2026, 11, 26)
    with ouvrir(engine) as s:
        tl, ad = (
            s.exec(select(Activite).where(Activite.code == code)).one()
            for code in ("GP-TL", "GP-AD")
        )
        s.exec(
            delete(Consommation).where(
                Consommation.enfant_id == mathis,
                Consommation.jour == jeudi,
                Consommation.activite_id.in_([tl.id, ad.id]),
            )
        )
        s.add(Consommation(enfant_id=mathis, activite_id=tl.id, jour=jeudi, etat=E.RESERVE.value))
        s.commit()
    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE) as pilot:
        grille = await ouvrir_planning(pilot, ("accueil", "Accueil2026"))
        # A day to come is refused at once, before any state is asked.
        await aller(pilot, grille, "GP-AD", 30)
        ecran = app.screen
        await pilot.press("o")
        await attendre(pilot, lambda: "On ne pointe pas un jour à venir." in messages(app))
        assert app.screen is ecran
        await aller(pilot, grille, "GP-AD", 26)
        await pilot.press("o")
        await attendre(pilot, lambda: isinstance(app.screen, Pointage))
        options = app.screen.query_one("#pointage")
        options.highlighted = next(
            i
            for i in range(options.option_count)
            if options.get_option_at_index(i).id == E.PRESENT.value
        )
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, SaisieMotif))
        assert (
            "Le 26/11/2026, « Temps libre » est « Réservé » : une seule des deux activités"
            in str(app.screen.query_one(".titre-dialogue").content)
        )
        await saisir(pilot, "Envoyé par l'enseignante")
        await pilot.press("enter")
        await attendre(pilot, lambda: any("par dérogation" in m for m in messages(app)))
        grille = app.screen.query_one(GrillePlanning)
        assert grille.cellule.etat == E.PRESENT
    with ouvrir(engine) as s:
        etats = dict(
            s.exec(
                select(Consommation.activite_id, Consommation.etat).where(
                    Consommation.enfant_id == mathis, Consommation.jour == jeudi
                )
            ).all()
        )
        assert (etats[tl.id], etats[ad.id]) == (E.ABSENT_EXCUSE, E.PRESENT)
        assert s.exec(
            select(Journal).where(Journal.detail.contains("dérogation : Envoyé par l'enseignante"))
        ).first()


async def test_delai_refuse_puis_derogation_du_regisseur(fabrique_app, engine, mathis):
    lundi = dt.date(2026, 11, 30)  # deadline: Thursday 26 at noon
    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE) as pilot:
        grille = await ouvrir_planning(pilot, ("accueil", "Accueil2026"))
        await aller(pilot, grille, "GP-REST", 30)
        await pilot.press("r")
        await pilot.pause()
        assert any("Délai dépassé pour le 30/11/2026" in m for m in messages(app))
        assert grille.cellule.etat is None
    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE) as pilot:
        grille = await ouvrir_planning(pilot)
        await aller(pilot, grille, "GP-REST", 30)
        await pilot.press("r")
        assert isinstance(app.screen, Confirmation)
        await pilot.press("o")
        await pilot.pause()
        assert grille.cellule.etat == E.RESERVATION_EN_COURS
    with ouvrir(engine) as s:
        demande = s.exec(
            select(Demande).where(Demande.enfant_id == mathis).order_by(Demande.id.desc())
        ).first()
        assert demande.valeurs["jours"] == [lundi.isoformat()]
        assert "délai dépassé" in demande.commentaire
        journal = s.exec(
            select(Journal).where(Journal.objet_id == demande.id, Journal.objet == "demande")
        ).one()
        assert journal.detail.startswith("Dérogation")


async def test_jour_de_vacances_non_reservable(fabrique_app, engine, mathis):
    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE) as pilot:
        grille = await ouvrir_planning(pilot)
        await pilot.press("pagedown")
        await aller(pilot, grille, "ALSH-MER-J", 23)  # Christmas holidays, zone C
        await pilot.press("r")
        await pilot.pause()
        assert any("n'est pas ouvert le 23/12/2026" in m for m in messages(app))
        assert grille.cellule.etat is None


# --- the grid fits the terminal (issue 15) ---------------------------------------------------


def texte_grille(grille: GrillePlanning) -> list[str]:
    """The lines the grid draws, as text."""
    return [grille.render_line(y).text for y in range(grille.size.height)]


def jours_dessines(grille: GrillePlanning) -> int:
    """How many day cells the weekday line holds (one initial, or two letters, a day)."""
    d = grille.disposition
    return len(re.findall(r"[LMJVSD]", texte_grille(grille)[0][d.nom + d.responsable :]))


def numeros(grille: GrillePlanning) -> list[str]:
    """The day numbers the header shows."""
    return re.findall(r"\d\d", texte_grille(grille)[1])


def detail(grille: GrillePlanning) -> str:
    """The line under the grid that says the cursor's day and state."""
    return texte_grille(grille)[ENTETE + len(grille.grille.lignes)]


@pytest.mark.parametrize("taille", [(80, 24), (120, 40)])
async def test_le_mois_entier_tient_et_le_curseur_va_au_31(fabrique_app, mathis, taille):
    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=taille) as pilot:
        grille = await ouvrir_planning(pilot)
        await pilot.press("pagedown")  # December 2026: 31 days, the 31st a Thursday
        await attendre(pilot, lambda: grille.grille.mois == 12)
        await pilot.press("home")
        assert grille.size.width <= taille[0]
        lignes = texte_grille(grille)
        assert jours_dessines(grille) == 31
        assert lignes[1].rstrip().endswith("31")
        assert all(len(ligne.rstrip()) <= grille.size.width for ligne in lignes)
        for _ in range(30):
            await pilot.press("right")
        assert grille.colonne == 30
        assert detail(grille).startswith("Jeu 31/12/2026 — ")
        assert texte_grille(grille)[1].rstrip().endswith("31")
        await pilot.press("right", "right")  # not past the month's end
        assert grille.colonne == 30 and detail(grille).startswith("Jeu 31/12/2026")
        assert jours_dessines(grille) == 31


async def test_trop_etroit_les_jours_defilent_avec_le_curseur(fabrique_app, mathis):
    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=(50, 30)) as pilot:
        grille = await ouvrir_planning(pilot)
        await pilot.press("pagedown")
        await attendre(pilot, lambda: grille.grille.mois == 12)
        await pilot.press("home")
        assert jours_dessines(grille) < 31
        for jour in range(1, 32):
            # the cursor's day is drawn, numbered in the header and named under the grid
            assert f"{jour:02d}" in numeros(grille), jour
            assert detail(grille)[4:6] == f"{jour:02d}"
            await pilot.press("right")
        assert "▸" not in texte_grille(grille)[1] and "◂" in texte_grille(grille)[1]
        await pilot.press("home")
        assert "01" in numeros(grille)


async def test_legende_compacte_sans_coupure_et_complete_par_point_d_interrogation(
    fabrique_app, mathis
):
    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=(80, 24)) as pilot:
        await ouvrir_planning(pilot)
        legende = app.screen.query_one("#planning-legende", LegendePlanning)
        lignes = legende.render().plain.split("\n")
        assert len(lignes) == legende.size.height > 1
        assert all(len(ligne) <= legende.size.width for ligne in lignes)
        for element in LEGENDE:
            assert any(f"{element.glyphe or ' '}  {element.court}" in ligne for ligne in lignes)
        await pilot.press("question_mark")
        await attendre(pilot, lambda: isinstance(app.screen, LegendeComplete))
        complete = app.screen.query_one(LegendePlanning).render().plain.split("\n")
        libelles = [e.libelle for e in E] + ["Petites vacances", "Grandes vacances", "Jour férié"]
        assert len(libelles) == 16
        for libelle in libelles:
            assert any(ligne.rstrip().endswith(f" {libelle}") for ligne in complete), libelle
        await pilot.press("escape")
        await attendre(pilot, lambda: not isinstance(app.screen, LegendeComplete))


def test_disposition_le_jour_du_curseur_toujours_montre():
    """Any width, any cursor day: the cursor's day is among the days drawn, and the days
    drawn fit the width; from 76 columns (80 less margins), all of them."""
    from ecrans.grille_planning import disposer

    for annee, mois in ((2026, 2), (2026, 11), (2026, 12), (2015, 3)):
        debut = dt.date(annee, mois, 1)
        jours = [
            debut + dt.timedelta(days=i)
            for i in range(31)
            if (debut + dt.timedelta(days=i)).month == mois
        ]
        for largeur in range(12, 200):
            premier = 0
            for colonne in [*range(len(jours)), *reversed(range(len(jours)))]:
                d = disposer(largeur, jours, colonne, premier)
                premier = d.debut
                assert d.debut <= colonne < d.fin, (largeur, colonne)
                assert d.x[-1] + d.cellule <= max(largeur, d.nom + d.cellule)
                if largeur >= 76:
                    assert (d.debut, d.fin) == (0, len(jours))


async def test_une_touche_tapee_avec_celle_de_l_onglet_n_est_pas_perdue(fabrique_app, mathis):
    """`3` and PgSuiv typed at once from the Accueil: both reach the app before the tab has
    changed, and PgSuiv still goes to the planning the `3` shows (not to the Accueil's
    table it was typed over)."""
    from textual import events

    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await ouvrir_famille(pilot, "mathis bertrand")
        assert app.focused is not None and app.focused.id == "accueil-impayees"
        app.post_message(events.Key("3", "3"))
        app.post_message(events.Key("pagedown", None))
        await attendre(pilot, lambda: isinstance(app.focused, GrillePlanning))
        await pilot.pause()
        grille = app.focused.grille
        assert (grille.annee, grille.mois) == (2026, 12)
        # PgSuiv three times in a burst: three months on (each key counted from the month
        # the last one asked for, not from the month still shown), then PgPréc four times.
        planning = app.focused
        for touche, mois in (("pagedown", 3), ("pageup", 11)):
            for _ in range(3 if touche == "pagedown" else 4):
                app.post_message(events.Key(touche, None))
            await attendre(pilot, lambda m=mois: planning.grille.mois == m)
            await pilot.pause()
            assert planning.grille.mois == mois


async def test_fleche_tapee_avec_la_touche_du_releve(fabrique_app, mathis):
    """The same for any tab: `4` and ↓ at once move the Relevé's cursor, not the Accueil's."""
    from textual import events

    from ecrans.table import TableLignes

    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await ouvrir_famille(pilot, "mathis bertrand")
        accueil = app.focused
        app.post_message(events.Key("4", "4"))
        app.post_message(events.Key("down", None))
        await attendre(pilot, lambda: getattr(app.focused, "id", None) == "releve-operations")
        await pilot.pause()
        releve = app.screen.query_one("#releve-operations", TableLignes)
        assert releve.row_count > 1 and releve.cursor_row == 1
        assert accueil.cursor_row == 0


async def test_pgsuiv_tape_avec_3_depuis_le_releve_va_au_planning(fabrique_app, mathis):
    """From the Relevé, whose PgSuiv changes the school year: `3` + PgSuiv at once change
    the planning's month, not the Relevé's year (a priority binding there took it)."""
    from textual import events

    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await ouvrir_famille(pilot, "mathis bertrand")
        await pilot.press("4")
        await attendre(pilot, lambda: getattr(app.focused, "id", None) == "releve-operations")
        releve = app.screen.query_one("#onglet-releve")
        annee = releve.annee
        app.post_message(events.Key("3", "3"))
        app.post_message(events.Key("pagedown", None))
        await attendre(pilot, lambda: isinstance(app.focused, GrillePlanning))
        await pilot.pause()
        assert (app.focused.grille.annee, app.focused.grille.mois) == (2026, 12)
        assert releve.annee == annee
        await pilot.press("4", "pagedown")  # (typed apart: the Relevé's year, as before)
        await attendre(pilot, lambda: releve.annee == annee + 1)


async def test_menu_d_une_case_ses_lettres_choisissent(fabrique_app, engine, mathis):
    """Entrée on a day: the menu shows each action's letter (« Déclarer une absence (a) »),
    and that letter chooses it, as the arrows and Entrée do."""
    from ecrans.planning_actions import MenuCellule

    reserver_gp_rest(engine, mathis, {30: E.RESERVE})
    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE) as pilot:
        grille = await ouvrir_planning(pilot)
        await aller(pilot, grille, "GP-REST", 30)
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, MenuCellule))
        await pilot.press("a")
        await attendre(pilot, lambda: isinstance(app.screen, DeclarationAbsence))


async def test_absence_sur_le_meme_jour_chaque_semaine_laisse_les_jours_impossibles(
    fabrique_app, engine, mathis
):
    """`m` then `a`: the month's Mondays include a past one recorded present; the absence is
    declared on the booked ones, the others are named as left out (the whole absence was
    refused for that one day, the reason to type again)."""
    lundis = [dt.date(2026, 11, j) for j in (2, 9, 16, 23, 30)]
    rest = reserver_gp_rest(
        engine, mathis, {2: E.PRESENT, 23: E.RESERVE, 30: E.RESERVE}, vider=lundis
    )
    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE) as pilot:
        grille = await ouvrir_planning(pilot)
        await aller(pilot, grille, "GP-REST", 30)
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("a")
        await attendre(pilot, lambda: isinstance(app.screen, DeclarationAbsence))
        resume = str(app.screen.query(".dialogue > Static")[1].content)
        assert "2 jours : 23/11, 30/11" in resume and "laissé de côté" in resume
        assert "02/11" in resume.split("laissé de côté")[1]
        app.screen.query_one("#motif", Select).value = "maladie"
        # A reason chosen: the message goes (it stayed on screen).
        await attendre(pilot, lambda: str(app.screen.query_one("#erreur-absence").content) == "")
        app.screen.query_one("#confirmer").press()
        await attendre(pilot, lambda: any("Laissés de côté" in m for m in messages(app)))
    with ouvrir(engine) as s:
        etats = dict(
            s.exec(
                select(Consommation.jour, Consommation.etat).where(
                    Consommation.enfant_id == mathis,
                    Consommation.activite_id == rest,
                    col(Consommation.jour).in_(lundis),
                )
            ).all()
        )
        assert etats == {
            dt.date(2026, 11, 2): E.PRESENT,
            dt.date(2026, 11, 23): E.ABSENCE_EN_COURS,
            dt.date(2026, 11, 30): E.ABSENCE_EN_COURS,
        }


def test_l_aide_du_planning_nomme_ses_touches_comme_le_pied():
    """The grid's hint names each of its shown keys as the footer and F1 do (« m » was
    « Même jour chaque semaine » there and « tous ces jours-là » here)."""
    from ecrans.enfants import AIDE_PLANNING

    nommees = dict(re.findall(r"(?:^|, )(\w) : ([^,]+)", AIDE_PLANNING))
    touches = [b for b in GrillePlanning.BINDINGS if b.show and len(b.key) == 1]
    assert touches
    for b in touches:
        assert nommees.get(b.key) == b.description.lower(), (b.key, AIDE_PLANNING)


async def test_fin_d_appel_nomme_l_enfant_de_la_demande(fabrique_app, engine, mathis):
    """A booking taken during a call: the recap to read back names the child (with two
    children, « Réservation : … 06/01/2027 » did not say whose)."""
    from tests.pilote import texte

    app = fabrique_app(AUJOURDHUI)
    async with app.run_test(size=TAILLE) as pilot:
        grille = await ouvrir_planning(pilot, ("accueil", "Accueil2026"))
        await pilot.press("ctrl+t")  # the parent is on the phone
        await attendre(pilot, lambda: app.appel_id is not None)
        await pilot.press("pagedown", "pagedown")  # January 2027
        await aller(pilot, grille, "ALSH-MER-J", 6)
        await pilot.press("r")
        await attendre(pilot, lambda: grille.cellule.etat == E.RESERVATION_EN_COURS)
        await pilot.press("ctrl+t")  # end of the call
        await attendre(pilot, lambda: app.screen.query("#recap-appel"))
        recap = texte(app, "#recap-appel")
        assert "Demande « Réservations » pour Mathis enregistrée" in recap, recap


async def test_regisseur_sans_derogation_reserve_les_jours_dans_les_delais(fabrique_app, mathis):
    """m then r by a régisseur, one Wednesday past its deadline: asked about the derogation,
    « Non » books the Wednesdays in time and names the late one (it booked nothing)."""
    app = fabrique_app(dt.date(2026, 12, 1))  # a Tuesday: Wednesday 2 is past its deadline
    async with app.run_test(size=TAILLE) as pilot:
        grille = await ouvrir_planning(pilot)
        await attendre(pilot, lambda: grille.grille.mois == 12)
        await aller(pilot, grille, "ALSH-MER-J", 9)
        await pilot.press("m", "r")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        assert "02/12/2026" in app.screen.question
        await pilot.press("n")
        await attendre(pilot, lambda: en_cours(grille) and 2 not in en_cours(grille))
        assert 9 in en_cours(grille)
        await attendre(pilot, lambda: any("Laissés de côté" in m for m in messages(app)))
        [message] = [m for m in messages(app) if "Laissés de côté" in m]
        assert "le 02/12/2026 (délai dépassé" in message, message
