"""Statements built once and reused: a search keystroke or a file opened runs the same few
statements with other values. Built anew at each call, a statement costs its Python tree,
then its cache key (a walk of that tree) before SQLAlchemy's compiled cache is even looked
up; made once with `bindparam`s, it costs only its parameters.

A builder decorated with `figee` is called once per distinct argument tuple (the engine's
name, a variant), and its statement kept for the process. The arguments must be hashable
and few: the variants of a statement, never the values it is run with.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


def figee(fabrique: Callable[..., T]) -> Callable[..., T]:
    """`fabrique(*variante)` built at its first call for that variante, then reused."""
    faites: dict[tuple[Hashable, ...], T] = {}

    @functools.wraps(fabrique)
    def requete(*variante: Hashable) -> T:
        try:
            return faites[variante]
        except KeyError:
            # (two threads may both build it: the same statement, either one kept)
            faite = faites[variante] = fabrique(*variante)
            return faite

    return requete
