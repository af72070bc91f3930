"""French display of money and dates (babel, fr_FR): the one place that formats them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "fr_FR"


def montant(centimes: int) -> str:
    """120,60 — the figure alone, as in the portal's tables (non-breaking spaces kept)."""
    return format_decimal(Decimal(centimes) / 100, format="#,##0.00", locale=LOCALE)


def euros(centimes: int) -> str:
    """120,60 €"""
    return f"{montant(centimes)}\u00a0€"


def date_courte(jour: dt.date | None) -> str:
    return jour.strftime("%d/%m/%Y") if jour else ""


def date_longue(jour: dt.date) -> str:
    """lundi 4 mai 2015"""
    return format_date(jour, "EEEE d MMMM y", locale=LOCALE)


def mois_annee(jour: dt.date) -> str:
    """Avril 2015"""
    return format_date(jour, "MMMM y", locale=LOCALE).capitalize()


def oui_non(valeur: bool) -> str:
    return "Oui" if valeur else "Non"


def centimes(texte: str) -> int:
    """Parse "120,60", "120.6", "1 120,60 €" into cents; ValueError with a French message."""
    propre = (texte.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
              .replace("€", "").replace(",", "."))
    try:
        valeur = Decimal(propre)
    except Exception:
        raise ValueError("Montant invalide : saisissez par exemple 120,60.") from None
    if valeur.as_tuple().exponent < -2:
        raise ValueError("Pas plus de deux décimales.")
    return int(valeur * 100)


def nouveaux_messages(nombre: int) -> str:
    """"vous avez 1 nouveau message", "vous avez 3 nouveaux messages"."""
    if nombre == 0:
        return "vous n'avez aucun nouveau message"
    if nombre == 1:
        return "vous avez 1 nouveau message"
    return f"vous avez {nombre} nouveaux messages"
