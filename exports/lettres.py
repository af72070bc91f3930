"""Amounts in French words, as a quittance writes them ("deux cent quarante-trois euros et
vingt centimes"). Traditional spelling: hyphens under one hundred, "et un", "quatre-vingts",
"deux cents" but "deux cent mille"."""

from __future__ import annotations

_UNITES = (
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
    "dix-sept",
    "dix-huit",
    "dix-neuf",
)
_DIZAINES = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def _moins_de_cent(n: int, final: bool) -> str:
    if n < 20:
        return _UNITES[n]
    dizaine, unite = divmod(n, 10)
    if dizaine == 7:
        return "soixante et onze" if unite == 1 else f"soixante-{_UNITES[10 + unite]}"
    if dizaine == 8:
        if unite == 0:
            return "quatre-vingts" if final else "quatre-vingt"
        return f"quatre-vingt-{_UNITES[unite]}"
    if dizaine == 9:
        return f"quatre-vingt-{_UNITES[10 + unite]}"
    if unite == 0:
        return _DIZAINES[dizaine]
    if unite == 1:
        return f"{_DIZAINES[dizaine]} et un"
    return f"{_DIZAINES[dizaine]}-{_UNITES[unite]}"


def _moins_de_mille(n: int, final: bool) -> str:
    """`final`: nothing follows (so "cents", "quatre-vingts" take their s)."""
    centaine, reste = divmod(n, 100)
    if centaine == 0:
        return _moins_de_cent(reste, final)
    tete = "cent" if centaine == 1 else f"{_UNITES[centaine]} cent"
    if reste == 0:
        return tete + ("s" if centaine > 1 and final else "")
    return f"{tete} {_moins_de_cent(reste, final)}"


def nombre_en_lettres(n: int) -> str:
    """123 -> "cent vingt-trois" (any integer)."""
    if n < 0:
        return f"moins {nombre_en_lettres(-n)}"
    if n == 0:
        return "zéro"
    morceaux = []
    milliards, n = divmod(n, 10**9)
    millions, n = divmod(n, 10**6)
    milliers, n = divmod(n, 1000)
    # million and milliard are nouns: "deux cents millions"; mille is not: "deux cent mille".
    for valeur, nom in ((milliards, "milliard"), (millions, "million")):
        if valeur:
            morceaux.append(f"{nombre_en_lettres(valeur)} {nom}{'s' if valeur > 1 else ''}")
    if milliers:
        morceaux.append("mille" if milliers == 1 else f"{_moins_de_mille(milliers, False)} mille")
    if n:
        morceaux.append(_moins_de_mille(n, True))
    return " ".join(morceaux)


def montant_en_lettres(centimes: int) -> str:
    """24320 -> "deux cent quarante-trois euros et vingt centimes"."""
    signe = "moins " if centimes < 0 else ""
    entiers, cents = divmod(abs(centimes), 100)
    morceaux = []
    if entiers or not cents:
        mots = nombre_en_lettres(entiers)
        de = "d'" if entiers >= 10**6 and entiers % 10**6 == 0 else ""
        morceaux.append(f"{mots} {de}euro{'s' if entiers > 1 else ''}")
    if cents:
        morceaux.append(f"{nombre_en_lettres(cents)} centime{'s' if cents > 1 else ''}")
    return signe + " et ".join(morceaux)
