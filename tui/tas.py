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
session). `GUICHET_GC=python` keeps Python's own behaviour, to measure the difference
(bench/ecrans.py reports the pauses; figures in bench/NOTES.md).
"""

from __future__ import annotations

import gc
import os

SEUILS = (10_000, 10, 10)
DEFAUT = gc.get_threshold()


def figer_la_session() -> None:
    """After login and the work built ahead: collect once, then freeze what is alive."""
    if os.environ.get("GUICHET_GC") == "python":
        return
    gc.collect()
    gc.freeze()
    gc.set_threshold(*SEUILS)


def rendre_la_session() -> None:
    """At logout: what was frozen may be collected again, at Python's usual pace."""
    if os.environ.get("GUICHET_GC") == "python":
        return
    gc.unfreeze()
    gc.set_threshold(*DEFAUT)
