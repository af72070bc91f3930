"""French communes, départements and INSEE country codes: lookups for postcodes, birthplaces
and the API Particulier's COG codes.

Data: data/communes.json.gz (INSEE COG via @etalab/decoupage-administratif 6.0.0, current
communes only) and data/pays.json (INSEE country codes), see data/SOURCES.md. Both are read on
first use and kept; the name index for searching is built on the first search only.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from difflib import get_close_matches
from functools import cache
from importlib import resources
from itertools import islice, product
from types import MappingProxyType

CODE_FRANCE = "99100"  # codeCogInseePaysNaissance of anyone born in France

_CODE = re.compile(r"[0-9][0-9AB][0-9]{3}")
_CP = re.compile(r"[0-9]{5}")
_NON_ALNUM = re.compile(r"[^A-Z0-9]+")
_ABREGES = {"ST": "SAINT", "STE": "SAINTE", "STS": "SAINTS", "STES": "SAINTES"}


@dataclass(frozen=True, slots=True)
class Commune:
    code_insee: str
    nom: str
    departement: str  # code: "31", "2A", "974"
    codes_postaux: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.nom} ({self.departement})"


@dataclass(frozen=True, slots=True)
class Departement:
    code: str
    nom: str

    def __str__(self) -> str:
        return f"{self.code} {self.nom}"


@dataclass(frozen=True, slots=True)
class Pays:
    code_insee: str  # 99XXX
    nom: str  # INSEE label, upper case
    autres_noms: tuple[str, ...] = ()  # territories sharing the code

    def __str__(self) -> str:
        return self.nom


# --- normalisation ----------------------------------------------------------------------


@cache
def _table() -> dict[int, str]:
    """Accented Latin letters to their base letters (str.translate is much faster than NFKD)."""
    table = {ord("Œ"): "OE", ord("œ"): "oe", ord("Æ"): "AE", ord("æ"): "ae", ord("ß"): "ss"}
    for code in range(0xC0, 0x250):
        c = chr(code)
        base = "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))
        if base != c and base.isascii():
            table.setdefault(code, base)
    return table


def _mots(texte: str) -> list[str]:
    return _NON_ALNUM.sub(" ", texte.translate(_table()).upper()).split()


def normaliser(texte: str) -> str:
    """Upper case, no accents, words separated by one space, ST/STE spelt out.

    "Saint-Étienne" and "st etienne" both give "SAINT ETIENNE".
    """
    return " ".join(_ABREGES.get(m, m) for m in _mots(texte))


# --- communes and départements ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Colonnes:
    """The file as loaded: one tuple per column; Commune objects are made on demand."""

    codes: tuple[str, ...]  # sorted
    noms: tuple[str, ...]
    deps: tuple[str, ...]
    cps: tuple[str, ...]  # space-separated
    population: tuple[int, ...]
    departements: tuple[Departement, ...]
    par_departement: Mapping[str, Departement]
    objets: list[Commune | None]


def _ordre_departement(code: str) -> tuple[int, str]:
    """INSEE order: 19, 2A, 2B, 21 ... 95, 971 ..."""
    return (int(code[:2]) if code[:2].isdigit() else 20, code)


@cache
def _colonnes() -> _Colonnes:
    fichier = resources.files("data").joinpath("communes.json.gz")
    brut = json.loads(gzip.decompress(fichier.read_bytes()))
    col = brut["communes"]
    departements = tuple(
        sorted(
            (Departement(code, nom) for code, nom in brut["departements"]),
            key=lambda d: _ordre_departement(d.code),
        )
    )
    return _Colonnes(
        codes=tuple(col["code_insee"]),
        noms=tuple(col["nom"]),
        deps=tuple(col["departement"]),
        cps=tuple(col["codes_postaux"]),
        population=tuple(col["population"]),
        departements=departements,
        par_departement=MappingProxyType({d.code: d for d in departements}),
        objets=[None] * len(col["code_insee"]),
    )


def _commune(i: int) -> Commune:
    col = _colonnes()
    c = col.objets[i]
    if c is None:
        c = Commune(col.codes[i], col.noms[i], col.deps[i], tuple(col.cps[i].split()))
        col.objets[i] = c
    return c


@cache
def _par_code() -> Mapping[str, int]:
    codes = _colonnes().codes
    return MappingProxyType(dict(zip(codes, range(len(codes)), strict=True)))


@cache
def _par_cp() -> Mapping[str, tuple[int, ...]]:
    par_cp: dict[str, list[int]] = {}
    for i, cps in enumerate(_colonnes().cps):
        for cp in cps.split():
            par_cp.setdefault(cp, []).append(i)
    return MappingProxyType({cp: tuple(rangs) for cp, rangs in par_cp.items()})


def precharger() -> None:
    """Load the communes and build every index now (e.g. in a worker at start-up)."""
    _par_code()
    _par_cp()
    _index()
    _pays()


def toutes_communes() -> list[Commune]:
    """Every current commune, by code INSEE (makes all 35,000 objects: slow the first time)."""
    return [_commune(i) for i in range(len(_colonnes().codes))]


def nombre_communes() -> int:
    return len(_colonnes().codes)


def commune(code_insee: str) -> Commune | None:
    """The current commune with this code INSEE (COG), e.g. "59350" Lille, "2A004" Ajaccio."""
    i = _par_code().get(code_insee.strip().upper())
    return None if i is None else _commune(i)


def communes_du_code_postal(cp: str) -> list[Commune]:
    """The communes served by this postcode, by name; [] when unknown."""
    return sorted((_commune(i) for i in _par_cp().get(cp.strip(), ())), key=lambda c: c.nom)


def code_postal_valide(cp: str) -> bool:
    """Five digits and a postcode of at least one current commune (overseas included)."""
    cp = cp.strip()
    return bool(_CP.fullmatch(cp)) and cp in _par_cp()


def departements() -> list[Departement]:
    """Départements and collectivités d'outre-mer, in INSEE order (01 … 19, 2A, 2B, 21 … 989)."""
    return list(_colonnes().departements)


def departement(code: str) -> Departement | None:
    code = code.strip().upper()
    if len(code) == 1 and code.isdigit():
        code = "0" + code
    return _colonnes().par_departement.get(code)


# --- search -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Index:
    cles: list[str]  # sorted normalised names, and names without their leading article
    rangs: list[int]  # parallel to cles: the commune
    entiers: list[bool]  # parallel to cles: the whole name (not one without its article)
    mots: Mapping[str, tuple[str, ...]]  # words of the names by first letter, frequent first


_SEPARATEURS = re.compile(r"[^A-Z0-9\n]+")
_ABREGE = re.compile(r"(?<![A-Z0-9])(?:ST|STE|STS|STES)(?![A-Z0-9])")
_ARTICLE = re.compile(r"(?:LE|LA|LES|L) (?=.)")


@cache
def _index() -> _Index:
    # all names at once: one translate and two regex passes instead of 35,000 of each
    texte = "\n".join(_colonnes().noms).translate(_table()).upper()
    texte = _SEPARATEURS.sub(" ", texte)
    texte = _ABREGE.sub(lambda m: _ABREGES[m.group()], texte)
    noms = [n.strip() for n in texte.split("\n")]
    cles, rangs, entiers = list(noms), list(range(len(noms))), [True] * len(noms)
    for i, cle in enumerate(noms):
        article = _ARTICLE.match(cle)
        if article:
            cles.append(cle[article.end() :])
            rangs.append(i)
            entiers.append(False)
    ordre = sorted(range(len(cles)), key=cles.__getitem__)
    frequence = Counter(texte.split())
    par_lettre: dict[str, list[str]] = {}
    for m, _ in frequence.most_common():
        par_lettre.setdefault(m[0], []).append(m)
    return _Index(
        cles=[cles[i] for i in ordre],
        rangs=[rangs[i] for i in ordre],
        entiers=[entiers[i] for i in ordre],
        mots=MappingProxyType({k: tuple(v) for k, v in par_lettre.items()}),
    )


def _prefixes(mots: list[str], fini: bool) -> list[str]:
    """The normalised prefixes to look for: "st" alone may be ST(rasbourg) or SAINT."""
    debut = " ".join(_ABREGES.get(m, m) for m in mots[:-1])
    debut = debut + " " if debut else ""
    dernier = mots[-1]
    if fini:  # "saint " or "saint-": the last word is complete
        return [debut + _ABREGES.get(dernier, dernier) + " "]
    variantes = [debut + dernier]
    if dernier in _ABREGES:
        variantes.append(debut + _ABREGES[dernier])
    return variantes


def _proches(mot: str, index: _Index) -> list[str]:
    """The word and up to 3 words of commune names a typo or so away ("SANT" -> "SAINT"),
    the most frequent first."""
    mots = index.mots.get(mot[0], ())
    candidats = [m for m in mots if abs(len(m) - len(mot)) <= 2 and m != mot]
    proches = set(get_close_matches(mot, candidats, n=8, cutoff=0.75))
    return [mot] + [m for m in mots if m in proches][:3]


def _chercher(
    prefixes: Iterable[str], index: _Index, exacts_aussi: bool = True
) -> tuple[set[int], set[int]]:
    """(communes whose key starts with a prefix, those whose whole name is the prefix)."""
    rangs: set[int] = set()
    exacts: set[int] = set()
    for prefixe in prefixes:
        exact = prefixe.rstrip()
        i = bisect_left(index.cles, prefixe)
        while i < len(index.cles) and index.cles[i].startswith(prefixe):
            rangs.add(index.rangs[i])
            if exacts_aussi and index.entiers[i] and index.cles[i] == exact:
                exacts.add(index.rangs[i])
            i += 1
    return rangs, exacts


def _chercher_proches(mots: list[str], fini: bool, index: _Index) -> tuple[set[int], set[int]]:
    """A typo? Words swapped for close ones, fewest swaps first; the last word stays a prefix,
    and a swapped last word ("bordo" -> "BORDS") does not count as an exact name."""
    choix = [_proches(_ABREGES.get(m, m), index) for m in mots]
    tels_quels = [c[0] for c in choix]
    variantes = list(islice(product(*choix), 1, 64))
    variantes.sort(key=lambda v: sum(a != b for a, b in zip(v, tels_quels, strict=True)))
    rangs: set[int] = set()
    exacts: set[int] = set()
    changes = 0
    for v in variantes:
        n = sum(a != b for a, b in zip(v, tels_quels, strict=True))
        if n > changes and rangs:
            break
        changes = n
        r, e = _chercher(_prefixes(list(v), fini), index, fini or v[-1] == tels_quels[-1])
        rangs |= r
        exacts |= e
    return rangs, exacts


def chercher_communes(texte: str, limite: int = 20) -> list[Commune]:
    """Current communes whose name starts with texte, accents, case, hyphens, apostrophes,
    a leading article and ST/SAINT ignored; the exact name first, then the most populated.

    A postcode or a code INSEE gives its communes. With no match, a whole word with a typo
    ("sant jean") is replaced by the closest words of commune names.
    """
    fini = not texte[-1:].isalnum()  # before strip: "st " means SAINT, not ST(rasbourg)
    texte = texte.strip()
    if not texte or limite <= 0:
        return []
    if _CODE.fullmatch(texte.upper()):  # postcode first: 31400 is Toulouse's, and Nogaret's code
        trouves = communes_du_code_postal(texte)
        c = commune(texte)
        if c is not None and c not in trouves:
            trouves.append(c)
        if trouves:
            return trouves[:limite]
    mots = _mots(texte)
    if not mots:
        return []
    index = _index()
    rangs, exacts = _chercher(_prefixes(mots, fini), index)
    if not rangs:
        rangs, exacts = _chercher_proches(mots, fini, index)
    col = _colonnes()
    pop, noms = col.population, col.noms
    tries = sorted(rangs, key=lambda r: (r not in exacts, -pop[r], noms[r]))
    return [_commune(r) for r in tries[:limite]]


# --- countries --------------------------------------------------------------------------


@cache
def _pays() -> tuple[tuple[Pays, ...], Mapping[str, Pays], tuple[tuple[str, ...], ...]]:
    brut = json.loads(resources.files("data").joinpath("pays.json").read_text(encoding="utf-8"))
    liste = tuple(
        sorted(
            (Pays(code, nom, tuple(autres)) for code, nom, autres in brut["pays"]),
            key=lambda p: normaliser(p.nom),
        )
    )
    noms = tuple(tuple(normaliser(n) for n in (p.nom, *p.autres_noms)) for p in liste)
    return liste, MappingProxyType({p.code_insee: p for p in liste}), noms


def pays() -> list[Pays]:
    """INSEE countries and territories (former ones included), by name; France is 99100."""
    return list(_pays()[0])


def pays_par_code() -> Mapping[str, Pays]:
    """Read-only {code COG: Pays}: pays_par_code().get("99109") is Allemagne."""
    return _pays()[1]


def _commence(noms: Iterable[str], prefixe: str) -> tuple[bool, bool]:
    """(some name starts with prefixe, some word of a name does)."""
    debut = any(n.startswith(prefixe) for n in noms)
    mot = debut or any((" " + n).find(" " + prefixe) >= 0 for n in noms)
    return debut, mot


def chercher_pays(texte: str, limite: int = 20) -> list[Pays]:
    """Countries whose name (or a territory's, or one of its words) starts with texte, accents
    and case ignored; names starting with it first. A 99XXX code gives its country."""
    fini = not texte[-1:].isalnum()
    texte = texte.strip()
    if not texte or limite <= 0:
        return []
    liste, par_code, noms = _pays()
    if texte in par_code:
        return [par_code[texte]]
    mots = _mots(texte)
    if not mots:
        return []
    prefixes = _prefixes(mots, fini)
    debuts, dans_un_mot = [], []
    for p, n in zip(liste, noms, strict=True):
        debut, mot = map(any, zip(*(_commence(n, prefixe) for prefixe in prefixes), strict=True))
        if debut:
            debuts.append(p)
        elif mot:
            dans_un_mot.append(p)
    return (debuts + dans_un_mot)[:limite]
