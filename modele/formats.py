"""French display of money and dates (fr_FR, as babel writes them): the one place that
formats them.

Written here rather than with babel (tests hold the two equal over wide ranges): babel's
import and its locale data cost the running app 5.5 MB for a dozen names of days and months
and a group separator."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

LOCALE = "fr_FR"  # (what the tests compare with babel in)

GROUPE = "\u202f"  # fr_FR's group separator as babel writes it (narrow no-break space)
JOURS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MOIS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
_CENTIME = Decimal("0.01")


def _groupes(entier: int) -> str:
    """3668 → "3 668" (narrow no-break space between groups of three)."""
    return f"{entier:_}".replace("_", GROUPE)


def montant(centimes: int) -> str:
    """120,60 — the figure alone, as in the portal's tables (non-breaking spaces kept).

    As babel's "#,##0.00" in fr_FR writes it (a test holds them equal): a list of 50 amounts
    shown at each keystroke, babel took a millisecond. Not whole cents (a Decimal): rounded
    half to even, as babel does."""
    if not isinstance(centimes, int):
        valeur = (Decimal(centimes) / 100).quantize(_CENTIME)
        signe = "-" if valeur.is_signed() else ""
        euros_, reste = divmod(abs(valeur), 1)
        return f"{signe}{_groupes(int(euros_))},{int(reste * 100):02d}"
    euros_, reste = divmod(abs(centimes), 100)
    signe = "-" if centimes < 0 else ""
    return f"{signe}{_groupes(euros_)},{reste:02d}"


def euros(centimes: int) -> str:
    """120,60 €"""
    return f"{montant(centimes)}\u00a0€"


def date_courte(jour: dt.date | None) -> str:
    return jour.strftime("%d/%m/%Y") if jour else ""


def date_longue(jour: dt.date) -> str:
    """lundi 4 mai 2015 (babel's "EEEE d MMMM y")"""
    return f"{JOURS[jour.weekday()]} {jour.day} {MOIS[jour.month - 1]} {jour.year}"


def mois_annee(jour: dt.date) -> str:
    """Avril 2015 (babel's "MMMM y", capitalised)"""
    return f"{MOIS[jour.month - 1]} {jour.year}".capitalize()


def oui_non(valeur: bool) -> str:
    return "Oui" if valeur else "Non"


# Digits with an optional decimal part: no exponent, no "nan" or "inf", no other scripts'
# digits (Decimal reads all of these and would let them through).
_MONTANT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
MONTANT_MAX = 100_000_000_00  # cents: more than any amount the service handles


class MontantTropGrand(ValueError):
    """An amount past MONTANT_MAX: a field with bounds of its own says its own range."""


def centimes(texte: str, quoi: str = "Montant", exemple: str = "120,60") -> int:
    """Parse "120,60", "120.6", "1 120,60 €" into cents; ValueError with a French message.

    `quoi` names the figure in the messages ("Quotient familial"), `exemple` shows a valid one.
    """
    propre = (
        texte.replace("\u00a0", "")
        .replace("\u202f", "")
        .replace(" ", "")
        .replace("€", "")
        .replace(",", ".")
    )
    if not _MONTANT.fullmatch(propre):
        raise ValueError(f"{quoi} invalide : saisissez par exemple {exemple}.")
    valeur = Decimal(propre)
    exposant = valeur.as_tuple().exponent  # an int: the pattern admits only finite numbers
    if isinstance(exposant, int) and exposant < -2:
        raise ValueError("Pas plus de deux décimales.")
    resultat = int(valeur * 100)
    if abs(resultat) >= MONTANT_MAX:
        raise MontantTropGrand(f"{quoi} trop grand (moins de 100 millions d'euros).")
    return resultat


def nombre(valeur: int) -> str:
    """An integer the French way: "3 668" (babel's narrow no-break space between groups)."""
    return _groupes(valeur)


def duree(secondes: float) -> str:
    """A duration for a person: "0,4 s", "9 s", "2 min 05 s", "1 h 03 min"."""
    if secondes < 10:
        unites, dixieme = f"{round(secondes, 1):.1f}".split(".")
        return f"{unites} s" if dixieme == "0" else f"{unites},{dixieme} s"
    entier = round(secondes)
    if entier < 60:
        return f"{entier} s"
    minutes, s = divmod(entier, 60)
    if minutes < 60:
        return f"{minutes} min {s:02d} s"
    heures, minutes = divmod(minutes, 60)
    return f"{heures} h {minutes:02d} min"


# "9 h", "9h30", "9 h 30", "9:30", "4 H", "45 min", "8 h 30 min", "9" (whole hours)
_HEURES_MINUTES = re.compile(
    r"(?:(?P<h>[0-9]{1,3})\s*(?:h|:)\s*(?:(?P<m>[0-9]{1,2})\s*(?:min)?)?"
    r"|(?P<seules>[0-9]{1,4})\s*(?:min|mn)"
    r"|(?P<entieres>[0-9]{1,2}))"
)


def minutes_saisies(texte: str) -> int:
    """Parse hours and minutes as a person types them ("9 h", "4 h 30", "9:30", "45 min";
    a bare number is hours) into minutes; ValueError with a French message."""
    propre = texte.strip().lower().replace("\u00a0", " ").replace("\u202f", " ")
    trouve = _HEURES_MINUTES.fullmatch(propre)
    if trouve is None:
        raise ValueError("Une durée en heures et minutes : par exemple 9 h ou 4 h 30.")
    if trouve["seules"] is not None:
        return int(trouve["seules"])
    if trouve["entieres"] is not None:
        return int(trouve["entieres"]) * 60
    minutes = int(trouve["m"] or 0)
    if minutes >= 60:
        raise ValueError("Les minutes vont de 0 à 59 : par exemple 4 h 30.")
    return int(trouve["h"]) * 60 + minutes


def heures_minutes(minutes: int) -> str:
    """Minutes as a person reads a duration of a day: 540 → "9 h", 270 → "4 h 30",
    45 → "0 h 45"."""
    h, m = divmod(minutes, 60)
    return f"{h} h" if not m else f"{h} h {m:02d}"


def nouveaux_messages(nombre: int) -> str:
    """ "vous avez 1 nouveau message", "vous avez 3 nouveaux messages"."""
    if nombre == 0:
        return "vous n'avez aucun nouveau message"
    if nombre == 1:
        return "vous avez 1 nouveau message"
    return f"vous avez {nombre} nouveaux messages"


def accord(nombre: int, singulier: str, pluriel: str | None = None) -> str:
    """A word agreed with a count, the French way (0 and 1 singular): « relancée »,
    « relancées »; `pluriel` when it is not the word and an s (« travaux »)."""
    return singulier if abs(nombre) < 2 else (pluriel or singulier + "s")


def compte(nombre: int, singulier: str, pluriel: str | None = None) -> str:
    """A count and its word: « 1 famille », « 3 familles », « 48 889 familles »."""
    return f"{_groupes(nombre)} {accord(nombre, singulier, pluriel)}"
