"""The progress of a long command on the console: a Rich bar on a terminal (step, count done
/ total, elapsed, time left), plain French lines when the output is a pipe or a log.

The work itself (modele, data, tui.fichier_base) only calls a `modele.base.Progression`;
`SuiviConsole` is one, and shows it.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from modele.formats import duree, nombre

# Plain lines: besides each step's start and end, one line at most every this many seconds.
INTERVALLE_LIGNES = 10.0


class SuiviConsole:
    """`with SuiviConsole() as progression: travail(progression=progression)`.

    On stderr by default, so that what a command prints on stdout stays clean for a script.
    `terminal` forces one way or the other (tests); by default, whether the stream is one."""

    def __init__(
        self,
        flux: TextIO | None = None,
        terminal: bool | None = None,
        intervalle: float = INTERVALLE_LIGNES,
    ) -> None:
        self.flux = flux if flux is not None else sys.stderr
        est_terminal = getattr(self.flux, "isatty", lambda: False)
        self.terminal = est_terminal() if terminal is None else terminal
        self.intervalle = intervalle
        self.etape: str | None = None
        self.fait = 0
        self.total: int | None = None
        self.debut_etape = 0.0
        self.derniere_ligne = 0.0
        self.finie = False  # the current step's end is said
        self.barre = None
        self.tache = None

    # --- the protocol ---------------------------------------------------------------------

    def __call__(self, etape: str, fait: int, total: int | None, /) -> None:
        maintenant = time.monotonic()
        if self.terminal and self.barre is None:
            self._demarrer_barre()  # at the first report: work that has none shows nothing
        if etape != self.etape:
            self._finir_etape(maintenant)
            self.etape, self.debut_etape, self.finie = etape, maintenant, False
            self._commencer(etape, total, maintenant)
        self.fait, self.total = fait, total
        if self.barre is not None:
            self.barre.update(self.tache, completed=fait, total=total)
            return
        if total is not None and fait >= total:
            self._ligne_fin(maintenant)
        elif maintenant - self.derniere_ligne >= self.intervalle:
            self._ecrire(f"{etape} : {self._compte()}…", maintenant)

    def __enter__(self) -> SuiviConsole:
        return self

    def _demarrer_barre(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.barre = Progress(
            TextColumn("{task.description:<34}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("écoulé"),
            TimeElapsedColumn(),
            TextColumn("reste"),
            TimeRemainingColumn(),
            console=Console(file=self.flux, force_terminal=True),
        )
        self.barre.start()

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self._finir_etape(time.monotonic())
        if self.barre is not None:
            self.barre.stop()

    # --- inside ---------------------------------------------------------------------------

    def _commencer(self, etape: str, total: int | None, maintenant: float) -> None:
        if self.barre is not None:
            self.tache = self.barre.add_task(etape, total=total)
        else:
            self._ecrire(f"{etape}…", maintenant)

    def _finir_etape(self, maintenant: float) -> None:
        """The step that ends is shown whole: a full bar, or its closing line."""
        if self.etape is None:
            return
        if self.barre is not None:
            total = self.total if self.total is not None else max(self.fait, 1)
            self.barre.update(self.tache, completed=total, total=total)
            self.barre.stop_task(self.tache)
        elif not self.finie:
            self._ligne_fin(maintenant)

    def _ligne_fin(self, maintenant: float) -> None:
        if self.finie:
            return
        self.finie = True
        compte = f"{self._compte()}, " if self.total or self.fait else ""
        temps = duree(maintenant - self.debut_etape)
        self._ecrire(f"{self.etape} : {compte}fait en {temps}", maintenant)

    def _compte(self) -> str:
        if self.total is None:
            return nombre(self.fait) if self.fait else "en cours"
        return f"{nombre(self.fait)} / {nombre(self.total)}"

    def _ecrire(self, ligne: str, maintenant: float) -> None:
        print(ligne, file=self.flux, flush=True)
        self.derniere_ligne = maintenant
