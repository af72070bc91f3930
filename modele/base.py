"""Shared domain primitives: the action context, domain errors, school-year helpers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from sqlalchemy.orm import Mapped


class ErreurMetier(Exception):
    """A business rule refused an action; the message is French and shown to the agent."""

    def __init__(self, message: str, champ: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.champ = champ


class Arret(Exception):
    """The agent stopped a long action half-way: the transaction is rolled back."""


class Progression(Protocol):
    """Told how far a long piece of work has gone: the step's French name, what is done and
    the step's total (None while unknown). The caller shows it (a bar, a log line); the
    domain only calls it, so it stays free of any screen."""

    def __call__(self, etape: str, fait: int, total: int | None, /) -> None: ...


# The last steps of a long action, once nothing can stop it any more: what is drawn or
# issued is being written (a stop asked then comes too late; the screen says so).
ETAPE_ENREGISTREMENT = "Enregistrement des factures"
ETAPE_ECRITURE_PDF = "Écriture du PDF"
ETAPES_SANS_ARRET = frozenset({ETAPE_ENREGISTREMENT, ETAPE_ECRITURE_PDF})


class Canal(StrEnum):
    PORTAIL = "portail"
    GUICHET = "guichet"
    TELEPHONE = "telephone"
    SYSTEME = "systeme"

    @property
    def libelle(self) -> str:
        return {
            "portail": "Portail",
            "guichet": "Guichet",
            "telephone": "Téléphone",
            "systeme": "Système",
        }[self.value]


def horloge_reelle() -> dt.datetime:
    """The machine's clock, read here and nowhere else: everything the app shows or stores
    goes through the app's clock (a Contexte, or the settings' day with --date)."""
    return dt.datetime.now()


def maintenant_le(jour: dt.date) -> dt.datetime:
    """Now, on `jour`: a fixed --date keeps the wall-clock time of day."""
    return dt.datetime.combine(jour, horloge_reelle().time())


def _aujourdhui_reel() -> dt.date:
    return horloge_reelle().date()


@dataclass(frozen=True)
class Contexte:
    """Who acts, through which channel, on which day: passed to every write.

    An agent acts with the rights of their role. Without an agent, only the system acts,
    and it is asked for by name (`Contexte.systeme("facturer")`): it has every right and
    the journal says "Système (facturer)". A context with neither may do nothing.
    """

    agent_id: int | None
    canal: Canal = Canal.GUICHET
    aujourdhui: dt.date = field(default_factory=_aujourdhui_reel)
    # A clock of its own (the demo generator's, for reproducible timestamps).
    horloge: Callable[[], dt.datetime] | None = field(default=None, compare=False)
    # The system's task, when no agent acts ("facturer", "demo"…): see systeme().
    tache: str = ""

    @classmethod
    def systeme(
        cls,
        tache: str,
        aujourdhui: dt.date | None = None,
        horloge: Callable[[], dt.datetime] | None = None,
    ) -> Contexte:
        """The system itself (command line, demo, scripts), named by its task."""
        if not tache.strip() or ":" in tache:
            raise ValueError("A system context names its task (no colon).")
        return cls(
            agent_id=None,
            canal=Canal.SYSTEME,
            aujourdhui=aujourdhui or _aujourdhui_reel(),
            horloge=horloge,
            tache=tache.strip(),
        )

    @property
    def est_systeme(self) -> bool:
        return self.agent_id is None and bool(self.tache)

    def maintenant(self) -> dt.datetime:
        """Now, on the context's day (a fixed --date keeps the wall-clock time)."""
        if self.horloge is not None:
            return self.horloge()
        return maintenant_le(self.aujourdhui)

    def avec(self, **changes: Any) -> Contexte:
        return replace(self, **changes)


def annee_scolaire(jour: dt.date) -> int:
    """The school year containing `jour`, named by its starting year (1 Sept – 31 Aug)."""
    return jour.year if jour.month >= 9 else jour.year - 1


def bornes_annee_scolaire(annee: int) -> tuple[dt.date, dt.date]:
    return dt.date(annee, 9, 1), dt.date(annee + 1, 8, 31)


def libelle_annee_scolaire(annee: int) -> str:
    return f"{annee}-{annee + 1}"


def fin_de_mois(annee: int, mois: int) -> dt.date:
    suivant = dt.date(annee + (mois == 12), mois % 12 + 1, 1)
    return suivant - dt.timedelta(days=1)


class AvecId(Protocol):
    """A table row: SQLModel types its key as optional, None until the row is inserted."""

    id: int | None


def id_de(ligne: AvecId) -> int:
    """The key of a row read from the base (or flushed to it), typed as the int it is."""
    if ligne.id is None:
        raise ValueError(f"{type(ligne).__name__} sans clé : la ligne n'est pas en base.")
    return ligne.id


def colonne_id(table: type[AvecId]) -> Mapped[int]:
    """A table's key column in a query: what it reads is never NULL, though SQLModel types
    the attribute as a new row's `int | None`; the one cast that says so."""
    return cast("Mapped[int]", table.id)
