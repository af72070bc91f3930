"""Shared pieces of the benchmarks: statistics, the JSON each part prints, the machine."""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field


@dataclass
class Serie:
    """Repeated measures of one path (seconds, or another unit)."""

    nom: str
    valeurs: list[float] = field(default_factory=list)
    unite: str = "s"

    @property
    def mediane(self) -> float:
        return statistics.median(self.valeurs)

    @property
    def p10(self) -> float:
        return _quantile(self.valeurs, 0.1)

    @property
    def p90(self) -> float:
        return _quantile(self.valeurs, 0.9)

    @property
    def p99(self) -> float:
        return _quantile(self.valeurs, 0.99)

    def resume(self) -> dict:
        return {
            "nom": self.nom,
            "unite": self.unite,
            "n": len(self.valeurs),
            "mediane": self.mediane,
            "p10": self.p10,
            "p90": self.p90,
            "p99": self.p99,
            "min": min(self.valeurs),
            "max": max(self.valeurs),
        }


def _quantile(valeurs: list[float], q: float) -> float:
    tri = sorted(valeurs)
    if len(tri) == 1:
        return tri[0]
    rang = q * (len(tri) - 1)
    bas = int(rang)
    haut = min(bas + 1, len(tri) - 1)
    return tri[bas] + (tri[haut] - tri[bas]) * (rang - bas)


def chrono(fonction: Callable[[], object], repetitions: int, nom: str) -> Serie:
    serie = Serie(nom)
    for _ in range(repetitions):
        debut = time.perf_counter()
        fonction()
        serie.valeurs.append(time.perf_counter() - debut)
    return serie


def publier(series: list[Serie], **autres: object) -> None:
    """What a part prints on its last line for `python -m bench` to collect."""
    print("RESULTAT " + json.dumps({"series": [s.resume() for s in series], **autres}))
    sys.stdout.flush()


def rss_mo(pid: int | str = "self") -> float:
    """Resident memory of a process, in MB (Linux)."""
    with open(f"/proc/{pid}/status") as status:
        for ligne in status:
            if ligne.startswith("VmRSS:"):
                return int(ligne.split()[1]) / 1024
    return 0.0


def machine() -> dict:
    modele = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as cpu:
            for ligne in cpu:
                if ligne.startswith("model name"):
                    modele = ligne.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as mem:
            ram = int(mem.readline().split()[1]) / 1024 / 1024
    except OSError:
        ram = 0.0
    return {
        "nproc": os.cpu_count(),
        "cpu": modele,
        "ram_go": round(ram, 1),
        "python": platform.python_version(),
        "systeme": platform.platform(),
        "charge": os.getloadavg(),
    }


__all__ = ["Serie", "asdict", "chrono", "machine", "publier", "rss_mo"]
