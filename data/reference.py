"""Reference data: activities, QF brackets, tariffs, calendar, CSP groups.

Pure data and small installers taking a Session, so that the app can reuse them (an
administrator resetting a zone's calendar, a fresh commune's first set-up).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from functools import cache

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from modele.base import annee_scolaire, bornes_annee_scolaire
from modele.facturation import Tarif
from modele.formats import montant
from modele.planning import Activite, Periode, PeriodeCalendrier, TypeCalendrier
from modele.quotient import TrancheQF

ALSH = "Accueil de Loisirs ALSH"
GARDERIE = "Garderie périscolaire"


@dataclass(frozen=True)
class ActiviteRef:
    code: str
    structure: str
    libelle: str
    jours: str
    periode: Periode
    capacite: int
    prix_max_2014: int  # cents per day, top bracket, school year 2014-2015
    niveaux: str = "maternelle,elementaire"
    groupe_exclusif: str = ""
    duree_caf_minutes: int = 0  # the hours one slot counts for the CAF
    repas: bool = False


# The seed's planning rows, in the seed's order, then rule 5's evening pair (élémentaire).
ACTIVITES: tuple[ActiviteRef, ...] = (
    ActiviteRef(
        "ALSH-MER-AM",
        ALSH,
        "Mercredi après-midi",
        "3",
        Periode.SCOLAIRE,
        40,
        800,
        duree_caf_minutes=240,
    ),
    ActiviteRef(
        "ALSH-MER-J",
        ALSH,
        "Mercredi journée",
        "3",
        Periode.SCOLAIRE,
        60,
        1400,
        duree_caf_minutes=540,
        repas=True,
    ),
    ActiviteRef(
        "ALSH-VAC-AM",
        ALSH,
        "Vacances après-midi",
        "12345",
        Periode.VACANCES,
        30,
        830,
        duree_caf_minutes=240,
    ),
    ActiviteRef(
        "ALSH-VAC-J",
        ALSH,
        "Vacances journée",
        "12345",
        Periode.VACANCES,
        80,
        1600,
        duree_caf_minutes=540,
        repas=True,
    ),
    ActiviteRef(
        "ALSH-VAC-M",
        ALSH,
        "Vacances matin",
        "12345",
        Periode.VACANCES,
        30,
        750,
        duree_caf_minutes=240,
    ),
    ActiviteRef(
        "GP-MATIN",
        GARDERIE,
        "Garderie matin",
        "1245",
        Periode.SCOLAIRE,
        60,
        160,
        duree_caf_minutes=90,
    ),
    ActiviteRef(
        "GP-REST",
        GARDERIE,
        "Restauration scolaire",
        "1245",
        Periode.SCOLAIRE,
        250,
        420,
        duree_caf_minutes=120,
        repas=True,
    ),
    ActiviteRef(
        "GP-TL",
        GARDERIE,
        "Temps libre",
        "1245",
        Periode.SCOLAIRE,
        80,
        180,
        niveaux="elementaire",
        groupe_exclusif="soir",
        duree_caf_minutes=90,
    ),
    ActiviteRef(
        "GP-AD",
        GARDERIE,
        "Aide aux devoirs",
        "1245",
        Periode.SCOLAIRE,
        30,
        220,
        niveaux="elementaire",
        groupe_exclusif="soir",
        duree_caf_minutes=90,
    ),
)
PAR_CODE = {a.code: a for a in ACTIVITES}


@dataclass(frozen=True)
class TrancheRef:
    numero: int
    qf_min: int  # cents
    qf_max: int | None  # cents, None for the top bracket
    coefficient: int  # percent of the top bracket's price

    @property
    def libelle(self) -> str:
        if self.qf_max is None:
            return f"Tranche {self.numero} : plus de {montant(self.qf_min - 1)} €"
        return f"Tranche {self.numero} : de {montant(self.qf_min)} à {montant(self.qf_max)} €"


TRANCHES: tuple[TrancheRef, ...] = (
    TrancheRef(1, 0, 40000, 50),
    TrancheRef(2, 40001, 70000, 60),
    TrancheRef(3, 70001, 100000, 70),
    TrancheRef(4, 100001, 130000, 80),
    TrancheRef(5, 130001, 170000, 90),
    TrancheRef(6, 170001, None, 100),
)

PREMIERE_ANNEE_TARIFS = 2014
HAUSSE_ANNUELLE = 10  # per mille a year


def _arrondi_5(centimes_x100: int) -> int:
    """Round a price given in hundredths of a cent to the nearest 5 cents."""
    return (centimes_x100 + 250) // 500 * 5


def prix_unitaire(code: str, numero_tranche: int, annee: int) -> int:
    """Price of a day (cents) for an activity, bracket and school year (integer maths)."""
    hausse = Fraction(1000 + HAUSSE_ANNUELLE, 1000) ** max(annee - PREMIERE_ANNEE_TARIFS, 0)
    prix = PAR_CODE[code].prix_max_2014 * hausse * TRANCHES[numero_tranche - 1].coefficient
    return _arrondi_5(round(prix))


# INSEE PCS, groupes socioprofessionnels (niveau 1).
CSP: tuple[str, ...] = (
    "Agriculteurs exploitants",
    "Artisans, commerçants et chefs d'entreprise",
    "Cadres et professions intellectuelles supérieures",
    "Professions intermédiaires",
    "Employés",
    "Ouvriers",
    "Retraités",
    "Autres personnes sans activité professionnelle",
)


def installer_activites(session: Session, regie_id: int) -> list[Activite]:
    activites = [
        Activite(
            regie_id=regie_id,
            code=a.code,
            structure=a.structure,
            libelle=a.libelle,
            jours=a.jours,
            periode=a.periode.value,
            niveaux=a.niveaux,
            groupe_exclusif=a.groupe_exclusif,
            restauration="restauration" in a.libelle.lower(),  # meals: no tax credit
            delai_jours_ouvres=2,
            heure_limite=dt.time(12, 0),
            capacite=a.capacite,
            ordre=i + 1,
            duree_caf_minutes=a.duree_caf_minutes,
            repas=a.repas,
        )
        for i, a in enumerate(ACTIVITES)
    ]
    session.add_all(activites)
    session.flush()
    return activites


def installer_tranches(session: Session) -> list[TrancheQF]:
    tranches = [
        TrancheQF(numero=t.numero, libelle=t.libelle, qf_min=t.qf_min, qf_max=t.qf_max)
        for t in TRANCHES
    ]
    session.add_all(tranches)
    session.flush()
    return tranches


def installer_tarifs(
    session: Session, activites: list[Activite], tranches: list[TrancheQF], derniere_annee: int
) -> int:
    """One tariff set per school year from 2014-2015; the last one stays open-ended and the
    first one reaches back as far as needed (a demo dated before 2014 still has prices)."""
    lignes = []
    # Newest first: the billing run looks a day's price up in this order.
    for annee in range(derniere_annee, PREMIERE_ANNEE_TARIFS - 1, -1):
        debut, fin = bornes_annee_scolaire(annee)
        if annee == PREMIERE_ANNEE_TARIFS:
            debut = dt.date(2000, 9, 1)
        for activite in activites:
            for tranche in tranches:
                lignes.append(
                    dict(
                        activite_id=activite.id,
                        tranche_id=tranche.id,
                        prix_unitaire=prix_unitaire(activite.code, tranche.numero, annee),
                        valide_du=debut,
                        valide_au=None if annee == derniere_annee else fin,
                    )
                )
    session.execute(insert(Tarif), lignes)
    return len(lignes)


@cache
def _source_vacances():
    """The library parses its whole CSV on creation: once per process is enough."""
    from vacances_scolaires_france import SchoolHolidayDates

    return SchoolHolidayDates()


def _vacances_scolaires(annee: int, zone: str) -> tuple[list[tuple[str, dt.date, dt.date]], bool]:
    """School holiday ranges of a school year, from vacances-scolaires-france: every range
    with a day in the year, kept whole. (The summer can end on 1 September, the day the
    school year begins, as in 2014 when pupils went back on the 2nd: cut at the year's
    bounds it was a one-day "Vacances d'été 01/09/2014 – 01/09/2014".) Two school years
    thus share that summer range, the same in both.

    Returns (ranges, complete); complete is False when the library lacks a year (it ends in
    2028): the calendar is then partial and left for the administrator to finish.
    """
    from vacances_scolaires_france import UnsupportedYearException

    debut, fin = bornes_annee_scolaire(annee)
    source = _source_vacances()
    cle = f"vacances_zone_{zone.lower()}"
    jours: dict[dt.date, str] = {}
    complete = True
    for annee_civile in (annee, annee + 1):
        try:
            donnees = source.holidays_for_year_and_zone(annee_civile, zone.upper())
        except UnsupportedYearException:
            complete = False
            continue
        for jour, info in donnees.items():
            if info.get(cle, True):
                jours[jour] = info["nom_vacances"]
    plages: list[tuple[str, dt.date, dt.date]] = []
    for jour in sorted(jours):
        nom = jours[jour]
        if plages and plages[-1][0] == nom and plages[-1][2] == jour - dt.timedelta(days=1):
            plages[-1] = (nom, plages[-1][1], jour)
        else:
            plages.append((nom, jour, jour))
    return [(nom, du, au) for nom, du, au in plages if du <= fin and au >= debut], complete


def _type_vacances(nom: str) -> TypeCalendrier:
    if nom.lower().startswith("vacances d'été"):
        return TypeCalendrier.GRANDES_VACANCES
    return TypeCalendrier.PETITES_VACANCES


def periodes_annee_scolaire(annee: int, zone: str = "C") -> tuple[list[PeriodeCalendrier], bool]:
    """Public holidays and school holidays of a school year (not yet added to a session)."""
    import holidays

    debut, fin = bornes_annee_scolaire(annee)
    periodes = []
    feries = holidays.France(years=[annee, annee + 1], language="fr")
    for jour, nom in sorted(feries.items()):
        if debut <= jour <= fin:
            periodes.append(
                PeriodeCalendrier(
                    type=TypeCalendrier.FERIE.value, libelle=nom, debut=jour, fin=jour
                )
            )
    plages, complete = _vacances_scolaires(annee, zone)
    for nom, du, au in plages:
        periodes.append(
            PeriodeCalendrier(type=_type_vacances(nom).value, libelle=nom, debut=du, fin=au)
        )
    return periodes, complete


def pont_de_l_ascension(annee: int) -> dt.date:
    """The Friday after Ascension Thursday in the spring of school year `annee`."""
    import holidays

    feries = holidays.France(years=annee + 1, language="fr")
    jeudi = next(jour for jour, nom in feries.items() if nom == "Ascension")
    return jeudi + dt.timedelta(days=1)


def reinitialiser_calendrier(session: Session, annee: int, zone: str = "C") -> bool:
    """Replace a school year's public and school holidays by the libraries' (closures are
    kept); returns False when the school holiday data for that year is incomplete."""
    debut, fin = bornes_annee_scolaire(annee)
    # every holiday with a day in the year: a summer shared with the year before included
    session.execute(
        delete(PeriodeCalendrier).where(
            col(PeriodeCalendrier.fin) >= debut,
            col(PeriodeCalendrier.debut) <= fin,
            col(PeriodeCalendrier.type).in_(
                [
                    TypeCalendrier.FERIE.value,
                    TypeCalendrier.PETITES_VACANCES.value,
                    TypeCalendrier.GRANDES_VACANCES.value,
                ]
            ),
        )
    )
    periodes, complete = periodes_annee_scolaire(annee, zone)
    session.add_all(periodes)
    session.flush()
    return complete


def installer_calendrier(
    session: Session, annees: list[int], zone: str = "C", ponts: bool = True
) -> list[int]:
    """Holidays of several school years, plus a closure on each Ascension bridge that the
    school calendar does not already give; returns the years whose data was incomplete."""
    incompletes = []
    for annee in annees:
        if not reinitialiser_calendrier(session, annee, zone):
            incompletes.append(annee)
        if ponts:
            vendredi = pont_de_l_ascension(annee)
            deja = session.exec(
                select(PeriodeCalendrier).where(
                    PeriodeCalendrier.debut <= vendredi, PeriodeCalendrier.fin >= vendredi
                )
            ).first()
            if deja is None:
                session.add(
                    PeriodeCalendrier(
                        type=TypeCalendrier.FERMETURE.value,
                        libelle="Pont de l'Ascension",
                        debut=vendredi,
                        fin=vendredi,
                    )
                )
    session.flush()
    return incompletes


def annees_calendrier(reference: dt.date) -> list[int]:
    """School years the demo's calendar covers: 2014-2015 (the seeds), the previous and the
    current school year, and the next one when `reference` is in summer."""
    courante = annee_scolaire(reference)
    annees = {2014, courante - 1, courante}
    if reference.month in (7, 8):
        annees.add(courante + 1)
    return sorted(annees)
