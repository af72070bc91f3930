"""What every step of the generated demo shares: the session, the draws, the demo's clock.

One `Atelier` is made once the reference data is in (the régie, activities, brackets and
staff exist); each step module takes it as its first argument. The draws (one
random.Random, one seeded Faker) are consumed in the order of the steps, so a seed always
gives the same demo.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from faker import Faker
from sqlmodel import Session

from modele.base import Canal, Contexte, Progression, annee_scolaire, fin_de_mois
from modele.facturation import inserer_lignes
from modele.planning import Activite
from modele.quotient import TrancheQF
from modele.reglements import ModeReglement
from modele.structure import Regie

LOT = 20_000  # rows per bulk insert
PAS_PROGRESSION = 100  # families drawn between two progress reports


class Horloge:
    """A counter clock: each reading is a little later on the day it was set to."""

    PAS = dt.timedelta(milliseconds=250)

    def __init__(self) -> None:
        self.courant = dt.datetime(2014, 9, 1, 8)

    def regler(self, jour: dt.date, heure: int = 8) -> None:
        debut = dt.datetime.combine(jour, dt.time(heure))
        if jour != self.courant.date() or debut > self.courant:
            self.courant = debut

    def __call__(self) -> dt.datetime:
        self.courant += self.PAS
        return self.courant


@dataclass
class EnfantGen:
    id: int
    famille_id: int
    naissance: dt.date
    prenom: str


@dataclass
class FamilleGen:
    """A family of the demo as the later steps need it (ids and drawn habits)."""

    id: int
    numero: str
    nom: str  # the responsable's "NOM PRÉNOM", as a payer
    responsable_id: int
    conjoint: bool
    organisme: str
    prelevement: bool
    mandat: str
    profil: str  # payment behaviour: prelevement, ponctuel, retard, difficile, trop
    mode: ModeReglement
    intensite: float  # 0..1, how much the family uses the services
    qf: int  # cents, the family's usual quotient
    cree_le: dt.date
    enfants: list[EnfantGen] = field(default_factory=list)
    qf_auto: bool = True  # False for the seed family whose QF is the guide's


def pondere(rng: random.Random, choix: Iterable[tuple[Any, float]]) -> Any:
    """One value drawn by weight from (value, weight) pairs."""
    valeurs, poids = zip(*choix, strict=True)
    return rng.choices(valeurs, weights=poids)[0]


def ascii_minuscule(texte: str) -> str:
    """The text in lower-case ASCII letters, digits, dots and dashes (an e-mail's part)."""
    decompose = unicodedata.normalize("NFKD", texte)
    return "".join(c for c in decompose if c.isascii() and (c.isalnum() or c in "-.")).lower()


def jour_ouvre_suivant(jour: dt.date, feries: set[dt.date]) -> dt.date:
    """The day itself, or the next one that is neither a weekend nor a public holiday."""
    while jour.isoweekday() > 5 or jour in feries:
        jour += dt.timedelta(days=1)
    return jour


@dataclass
class Atelier:
    """The generated demo's shared state: one session, the draws, the clock, the régie."""

    session: Session
    rng: random.Random
    faker: Faker
    reference: dt.date  # the demo's "today"
    horloge: Horloge
    regie: Regie
    activites: dict[str, Activite]  # by code
    tranches: list[TrancheQF]
    agents: dict[str, int]  # identifiant -> id
    hash_portail: str  # every family's portal password hash
    progression: Progression | None = None  # told of each step's advance
    annee: int = field(init=False)  # the current school year (its September's year)
    debut: dt.date = field(init=False)  # the first day generated: last school year's start
    fin: dt.date = field(init=False)  # the last day generated: the end of next month

    def __post_init__(self) -> None:
        self.annee = annee_scolaire(self.reference)
        self.debut = dt.date(self.annee - 1, 9, 1)
        suivant = self.reference.replace(day=1) + dt.timedelta(days=32)
        self.fin = fin_de_mois(suivant.year, suivant.month)

    def contexte(
        self,
        jour: dt.date,
        canal: Canal = Canal.SYSTEME,
        agent_id: int | None | str = "admin",
        heure: int = 8,
    ) -> Contexte:
        """Who acts on `jour` (an agent by id or identifiant), on the demo's clock."""
        self.horloge.regler(jour, heure)
        agent = self.agents.get(agent_id) if isinstance(agent_id, str) else agent_id
        if agent is None:
            # The demo's own system context (a family online, a direct debit), by name.
            return Contexte.systeme("démo", jour, self.horloge).avec(canal=canal)
        return Contexte(agent_id=agent, canal=canal, aujourdhui=jour, horloge=self.horloge)

    def avancer(self, etape: str, fait: int, total: int | None) -> None:
        """Tell the progress display how far `etape` is."""
        if self.progression is not None:
            self.progression(etape, fait, total)

    def inserer(self, modele: type, lignes: list[dict], retour: bool = False) -> list[int]:
        """Bulk insert (Core, no ORM objects); with `retour`, the new ids in the rows' order."""
        return inserer_lignes(self.session, modele, lignes, retour, LOT)

    @contextmanager
    def index_apres(self, *noms: str) -> Iterator[None]:
        """On SQLite, drop these indexes during a bulk load or update and build them again
        after it: far quicker than keeping them up to date row by row."""
        connexion = self.session.connection()
        if connexion.dialect.name != "sqlite":
            yield
            return
        definitions = [
            connexion.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name = ?", (nom,)
            ).one()
            for nom in noms
        ]
        for nom, _ in definitions:
            connexion.exec_driver_sql(f'DROP INDEX "{nom}"')
        try:
            yield
        finally:
            for _, sql in definitions:
                connexion.exec_driver_sql(sql)
