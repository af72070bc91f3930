"""Activities, enrolments, the planning cells (consommations), billed days, calendar.

Tables and enums only: the rules that use them are in modele/planning.py."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel


class Periode(StrEnum):
    SCOLAIRE = "scolaire"  # school weeks only (mercredis, garderie, cantine)
    VACANCES = "vacances"  # school holidays only
    TOUTES = "toutes"


class EtatConsommation(StrEnum):
    """The states of a planning cell, as in the portal's legend (rule 4)."""

    RESERVE = "reserve"
    PRESENT = "present"
    ERREUR = "erreur"
    CONGE = "conge"
    HORS_CONTRAT = "hors_contrat"
    REGULIER = "regulier"
    FERMETURE = "fermeture"
    ABSENT_FACTURE = "absent_facture"
    DEMANDE_ATTENTE = "demande_attente"
    ABSENT_EXCUSE = "absent_excuse"
    RESERVATION_EN_COURS = "reservation_en_cours"
    RESERVATION_REFUSEE = "reservation_refusee"
    ABSENCE_EN_COURS = "absence_en_cours"

    @property
    def libelle(self) -> str:
        return LIBELLES_ETATS[self]


LIBELLES_ETATS = {
    EtatConsommation.RESERVE: "Réservé",
    EtatConsommation.PRESENT: "Présent",
    EtatConsommation.ERREUR: "Erreur",
    EtatConsommation.CONGE: "Congé",
    EtatConsommation.HORS_CONTRAT: "Heure hors contrat",
    EtatConsommation.REGULIER: "Régulier",
    EtatConsommation.FERMETURE: "Fermeture",
    EtatConsommation.ABSENT_FACTURE: "Absent facturé",
    EtatConsommation.DEMANDE_ATTENTE: "Demande en attente",
    EtatConsommation.ABSENT_EXCUSE: "Absent excusé",
    EtatConsommation.RESERVATION_EN_COURS: "Réservation en cours de traitement",
    EtatConsommation.RESERVATION_REFUSEE: "Réservation refusée",
    EtatConsommation.ABSENCE_EN_COURS: "Absence en cours de traitement",
}


# Billed unless the activity says otherwise (issue: billing).
ETATS_FACTURES_DEFAUT = (
    EtatConsommation.RESERVE,
    EtatConsommation.PRESENT,
    EtatConsommation.ABSENT_FACTURE,
    EtatConsommation.HORS_CONTRAT,
    EtatConsommation.REGULIER,
)


class TypeCalendrier(StrEnum):
    FERIE = "ferie"
    PETITES_VACANCES = "petites_vacances"
    GRANDES_VACANCES = "grandes_vacances"
    FERMETURE = "fermeture"

    @property
    def libelle(self) -> str:
        return {
            "ferie": "Jour férié",
            "petites_vacances": "Petites vacances",
            "grandes_vacances": "Grandes vacances",
            "fermeture": "Fermeture",
        }[self.value]


class Activite(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    regie_id: int = Field(foreign_key="regie.id", index=True)
    code: str = Field(unique=True)
    structure: str  # "Accueil de Loisirs ALSH", "Garderie périscolaire"
    libelle: str  # "Mercredi après-midi"
    jours: str = "12345"  # ISO weekdays it opens on (1 = lundi)
    periode: str = Periode.SCOLAIRE.value
    niveaux: str = "maternelle,elementaire"
    # Activities sharing a group are exclusive on a day (rule 5: temps libre XOR aide aux devoirs).
    groupe_exclusif: str = ""
    delai_jours_ouvres: int = 2  # booking deadline: N working days before…
    heure_limite: dt.time = dt.time(12, 0)  # …at this hour
    capacite: int | None = None  # places per day
    etats_factures: str = ",".join(ETATS_FACTURES_DEFAUT)
    ordre: int = 0
    actif: bool = True
    # CAF statistics: the hours one slot counts (a child present for any part of it counts
    # the whole slot; 0: not declared to the CAF) and whether it includes a meal (the day's
    # cap is then the "journée avec repas" one, modele/statistiques.py).
    duree_caf_minutes: int = 0
    repas: bool = False
    # Meals (restauration): outside the "frais de garde" of the attestations fiscales.
    restauration: bool = False

    @property
    def nom(self) -> str:
        return f"{self.structure} {self.libelle}"

    def ouvre_le(self, jour: dt.date) -> bool:
        return str(jour.isoweekday()) in self.jours

    def etats_factures_set(self) -> frozenset[str]:
        return frozenset(e for e in self.etats_factures.split(",") if e)


class Inscription(SQLModel, table=True):
    """A child enrolled in an activity for a school year (named by its first year)."""

    __table_args__ = (UniqueConstraint("enfant_id", "activite_id", "annee_scolaire"),)
    id: int | None = Field(default=None, primary_key=True)
    enfant_id: int = Field(foreign_key="enfant.id", index=True)
    activite_id: int = Field(foreign_key="activite.id", index=True)
    annee_scolaire: int
    date_debut: dt.date
    date_fin: dt.date
    responsable_id: int | None = Field(default=None, foreign_key="responsable.id")


class MotifAbsence(StrEnum):
    """Why a booked day is missed: Consommation.motif_absence holds the value."""

    MALADIE = "maladie"
    CONVENANCE = "convenance personnelle"
    FERMETURE_CLASSE = "fermeture de classe"
    AUTRE = "autre"

    @property
    def libelle(self) -> str:
        return self.value.capitalize()


# A booked day with nothing recorded yet (reserve, regulier): the partial index's condition,
# written in the queries as it is here, so that SQLite sees that they imply it.
CONDITION_NON_POINTEE = "etat IN ('reserve', 'regulier')"
# PostgreSQL's own spelling of it (pg_get_indexdef gives it back unchanged: a base copied
# from its definitions, bench/copie.py, gets the same index).
CONDITION_NON_POINTEE_PG = "etat::text = ANY (ARRAY['reserve'::text, 'regulier'::text])"


class Consommation(SQLModel, table=True):
    """One cell of the planning grid: a child, an activity, a day and its state."""

    __table_args__ = (
        UniqueConstraint("enfant_id", "activite_id", "jour"),
        # A child's month (the grid); with the state and charge, the billing run's cells
        # are read from the index alone.
        Index("ix_consommation_enfant_jour", "enfant_id", "jour", "activite_id", "etat", "gratuit"),
        # A day's places (capacity) and the month's billing read this index alone.
        Index("ix_consommation_jour_activite", "jour", "activite_id", "etat"),
        # A request's cells (deciding it); most cells have none.
        Index(
            "ix_consommation_demande",
            "demande_id",
            sqlite_where=text("demande_id IS NOT NULL"),
            postgresql_where=text("demande_id IS NOT NULL"),
        ),
        # The booked days with nothing recorded (7 % of the cells): what stays pending before
        # a month is issued (F6), read without the month's other cells.
        Index(
            "ix_consommation_non_pointee",
            "jour",
            "activite_id",
            "enfant_id",
            "etat",
            sqlite_where=text(CONDITION_NON_POINTEE),
            postgresql_where=text(CONDITION_NON_POINTEE_PG),
        ),
        # The cells changed after their month was billed (few): the next run's regularisation.
        Index(
            "ix_consommation_a_regulariser",
            "jour",
            sqlite_where=text("a_regulariser = 1"),
            postgresql_where=text("a_regulariser"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    enfant_id: int = Field(foreign_key="enfant.id")
    activite_id: int = Field(foreign_key="activite.id")
    jour: dt.date
    etat: str
    motif_absence: str = ""  # MotifAbsence
    certificat: bool = False  # medical certificate received
    gratuit: bool = False  # kept without charge (unenrolment): never billed
    demande_id: int | None = Field(default=None, foreign_key="demande.id")
    # Changed after its month was billed: the next run bills it if it is billable and on no
    # invoice (a regularisation line), then clears the mark.
    a_regulariser: bool = False


class JourFacture(SQLModel, table=True):
    """A billed cell and the invoice that bills it. A cell is on one invoice at most; a
    credit note removes its row and the day can be billed again.

    Beside the cells rather than a column of theirs: a town's month is nearly two million
    cells, and appending their links to this narrow table costs a fraction of rewriting
    each cell's row (and its indexes) in the middle of the planning table."""

    consommation_id: int = Field(
        foreign_key="consommation.id", primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    facture_id: int = Field(foreign_key="facture.id", index=True)


class CelluleFermee(SQLModel, table=True):
    """A cell a closure closed, and its state before: a closure deleted or shortened gives
    the cells it no longer covers their state back. No foreign key: a cell may be removed
    since (an unenrolment); its row is then passed over."""

    consommation_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    periode_id: int = Field(index=True)
    etat_avant: str


class PeriodeCalendrier(SQLModel, table=True):
    """Public holiday, school holidays or closure, from `debut` to `fin` inclusive."""

    id: int | None = Field(default=None, primary_key=True)
    type: str
    libelle: str = ""
    debut: dt.date = Field(index=True)
    fin: dt.date
    activite_id: int | None = Field(default=None, foreign_key="activite.id")  # None: all
