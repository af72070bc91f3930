"""Python's garbage collector at the counter (issue #18).

A full collection walks every object the collector tracks: after login that is the whole
of Textual, SQLAlchemy, the mapped classes, the screens built ahead (several hundred
thousand objects), and each full collection then cost 50–190 ms, landing on about one
interaction in ten to fifteen. What is alive once the agent is logged in and the family
file is built lives for the session: `gc.freeze()` moves it out of the collector's sight,
so a collection walks only what came after. Logout gives it back (`gc.unfreeze()`), so the
session's screens can be freed. The youngest generation is collected every 10,000
allocations instead of 700: fewer objects promoted, so the full collections that remain
come far less often (each allocation still counted; cyclic garbage freed within the
session).

What is left for the full collections is the session's own garbage: each dialog, F-screen
or tab closed is a web of widgets pointing at their parents, freed only by a full
collection (100,000–140,000 objects at a time, 0.5–1.7 s under load, landing on whatever
key came then). So Python's own trigger for them is pushed out of reach (after 1,000
middle collections, i.e. about 100 million allocations) and the app runs the full
collection itself while the agent is idle (`collecter_au_repos`: a second without a key
and no reading in progress, once enough has been promoted since the last one).
At launch (`guichet`, the app's command line) no collection runs until the app is warm:
Textual's import and the first frame allocate a few hundred thousand objects that all live
for the process, and the collections they triggered (three of them full) were a fifth of
the CPU between the process start and the login screen. Once the login screen is shown and
the domain imported in the background, what is alive is frozen without a walk and the
collector comes back (`suspendre_au_lancement`, `reprendre_apres_lancement`).
`GUICHET_GC=python` keeps Python's own behaviour, to measure the difference
(bench/ecrans.py and bench/interactions.py report the pauses; figures in bench/NOTES.md).
"""

from __future__ import annotations

import gc
import os

SEUILS = (10_000, 10, 1_000)
DEFAUT = gc.get_threshold()
REPOS = 1.0  # seconds without a key or a click before the app collects
A_COLLECTER = 3  # middle collections since the last full one (~300,000 allocations)

_figee = False
_suspendu = False  # automatic collection off since the process start (the app's launch)


def suspendre_au_lancement() -> None:
    """At the process start: no automatic collection until `reprendre_apres_lancement`."""
    global _suspendu
    if os.environ.get("GUICHET_GC") == "python" or not gc.isenabled():
        return
    gc.disable()
    _suspendu = True


def reprendre_apres_lancement(figer: bool = True) -> None:
    """The collector back on, if the launch had it off. With `figer` (the app warm: login
    screen shown, domain imported), what is alive is frozen first, without the walk that
    collecting it would cost: it lives for the process. Called again, does nothing."""
    global _suspendu
    if not _suspendu:
        return
    _suspendu = False
    if figer:
        gc.freeze()
    gc.enable()


def figer_la_session() -> None:
    """After login and the work built ahead: collect once, then freeze what is alive."""
    global _figee
    if os.environ.get("GUICHET_GC") == "python":
        return
    gc.collect()
    gc.freeze()
    gc.set_threshold(*SEUILS)
    _figee = True


def collecter_au_repos(inactif: float, occupee: bool = False) -> bool:
    """The full collection Python no longer triggers, run when the agent has been idle for
    `inactif` seconds (at least REPOS) and the app is not busy; True if it ran."""
    if not _figee or occupee or inactif < REPOS or gc.get_count()[2] < A_COLLECTER:
        return False
    gc.collect()
    return True


def rendre_la_session() -> None:
    """At logout: what was frozen may be collected again, at Python's usual pace."""
    global _figee
    if os.environ.get("GUICHET_GC") == "python":
        return
    _figee = False
    gc.unfreeze()
    gc.set_threshold(*DEFAUT)
