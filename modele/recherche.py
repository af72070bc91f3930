"""Family search: one normalised term table, prefix queries on an index.

Accents and case are ignored ("clemé", "CLEME" and "Clémé" are the same term); a phone
number is searched by its digits, whatever the separators typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from sqlmodel import Session, col, delete, select
from sqlmodel.sql.expression import Select

from modele.reglements import soldes
from modele.tables.famille import Enfant, Famille, Responsable, RoleResponsable
from modele.tables.recherche import IndexRecherche


@lru_cache(maxsize=8192)  # a keystroke sorts up to 200 names, mostly the last key's
def normaliser(texte: str) -> str:
    """Upper-case ASCII, accents removed: "Clémé" → "CLEME"."""
    decompose = unicodedata.normalize("NFKD", texte)
    return "".join(c for c in decompose if not unicodedata.combining(c)).upper()


_MOTS = re.compile(r"[A-Z0-9]+")


def mots(texte: str) -> list[str]:
    return _MOTS.findall(normaliser(texte))


def chiffres(texte: str) -> str:
    return re.sub(r"\D", "", texte)


def termes(famille: Famille, personnes: list[Responsable], enfants: list[Enfant]) -> set[str]:
    """Every term a family can be found by."""
    trouves = {famille.numero}
    for personne in personnes:
        trouves.update(mots(f"{personne.nom} {personne.nom_naissance} {personne.prenoms}"))
        for telephone in (
            personne.telephone_domicile,
            personne.telephone_professionnel,
            personne.mobile,
        ):
            if chiffres(telephone):
                trouves.add(chiffres(telephone))
    for enfant in enfants:
        trouves.update(mots(f"{enfant.nom} {enfant.prenoms}"))
    return {t for t in trouves if t}


def indexer_famille(session: Session, famille_id: int) -> None:
    """Rebuild a family's search terms (after any change of a name, number or phone)."""
    famille = session.get(Famille, famille_id)
    personnes = list(session.exec(select(Responsable).where(Responsable.famille_id == famille_id)))
    petits = list(session.exec(select(Enfant).where(Enfant.famille_id == famille_id)))
    session.exec(delete(IndexRecherche).where(IndexRecherche.famille_id == famille_id))
    for terme in termes(famille, personnes, petits):
        session.add(IndexRecherche(terme=terme, famille_id=famille_id))


# Bounds on what a search looks for, whatever is typed or pasted: each word is one nested
# query, and SQLite refuses an expression deeper than 1,000. Fewer or shorter words only
# widen a prefix search, so the families found still include those asked for.
LONGUEUR_SAISIE = 100  # the search field's cap
MOTS_MAX = 6
LONGUEUR_MOT = 30  # longer than a family number, a phone number or most names


def termes_requete(texte: str) -> list[str]:
    """What the agent typed, as terms: digits typed with separators make one number.
    At most the first MOTS_MAX distinct words, each cut to LONGUEUR_MOT characters."""
    texte = texte[: LONGUEUR_SAISIE * 10]  # a paste: enough to find the words, no more
    if re.fullmatch(r"[\d\s.\-+/]+", texte.strip() or "x"):
        numero = chiffres(texte)
        if numero.startswith("0033") and len(numero) == 13:  # typed from abroad
            numero = "0" + numero[4:]
        elif numero.startswith("33") and len(numero) == 11:  # +33
            numero = "0" + numero[2:]
        return [numero[:LONGUEUR_MOT]] if numero else []
    termes = list(dict.fromkeys(m[:LONGUEUR_MOT] for m in mots(texte)))
    return termes[:MOTS_MAX]


def familles_correspondantes(texte: str, exact: bool = False) -> Select | None:
    """The ids of the families having a term that starts with every word typed (`exact`:
    whose first word is a whole term, e.g. a surname typed whole). Digits also find a
    family number by any part of it."""
    mots_cherches = termes_requete(texte)
    if not mots_cherches:
        return None
    requete = select(Famille.id)
    for rang, mot in enumerate(mots_cherches):
        # A range on the primary key index is a prefix search on every backend.
        condition = (
            IndexRecherche.terme == mot
            if exact and rang == 0
            else (IndexRecherche.terme >= mot) & (IndexRecherche.terme < mot + "\uffff")
        )
        sous = select(IndexRecherche.famille_id).where(condition)
        if len(mots_cherches) == 1 and mot.isdigit() and len(mot) >= 4 and not exact:
            requete = requete.where(
                col(Famille.id).in_(sous) | col(Famille.numero).contains(mot, autoescape=True)
            )
        else:
            requete = requete.where(col(Famille.id).in_(sous))
    return requete


def _niveau(mot: str, responsable: tuple[str, str] | None, conjoint: tuple[str, str] | None) -> int:
    """How well a word typed matches a family: 0 the responsable's surname whole, 1 its
    start, 2 the responsable's first name, 3 the conjoint, 4 a child, a phone, a number."""
    if responsable:
        noms = mots(responsable[0])
        if mot in noms:
            return 0
        if any(n.startswith(mot) for n in noms):
            return 1
        if any(p.startswith(mot) for p in mots(responsable[1])):
            return 2
    if conjoint and any(m.startswith(mot) for m in mots(f"{conjoint[0]} {conjoint[1]}")):
        return 3
    return 4


@dataclass(frozen=True)
class ResultatRecherche:
    famille_id: int
    numero: str
    responsable: str
    conjoint: str
    enfants: str
    ville: str
    solde: int


def rechercher(session: Session, texte: str, limite: int = 50) -> list[ResultatRecherche]:
    """Families whose terms start with every word typed, at most `limite`, best match
    first: a surname typed whole, then a surname's start, a first name, the conjoint, a
    child or a phone; ties by name."""

    requete = familles_correspondantes(texte)
    if requete is None:
        return []
    # Those of a surname typed whole first (at 50,000 families a prefix finds thousands,
    # and only some are read), then the others.
    exacts = familles_correspondantes(texte, exact=True)
    ids = list(
        dict.fromkeys(
            [*session.exec(exacts.limit(limite * 4)), *session.exec(requete.limit(limite * 4))]
        )
    )[: limite * 4]
    if not ids:
        return []
    # Plain columns, not ORM objects: a keystroke reads up to 200 families.
    personnes: dict[int, dict[str, tuple[str, str]]] = {}
    noms: dict[int, dict[str, tuple[str, str]]] = {}
    for famille_id, role, nom, prenoms, ville in session.exec(
        select(
            Responsable.famille_id,
            Responsable.role,
            Responsable.nom,
            Responsable.prenoms,
            Responsable.ville,
        ).where(col(Responsable.famille_id).in_(ids))
    ):
        personnes.setdefault(famille_id, {})[role] = (f"{nom} {prenoms}", ville)
        noms.setdefault(famille_id, {})[role] = (nom, prenoms)
    numeros = dict(
        session.exec(select(Famille.id, Famille.numero).where(col(Famille.id).in_(ids))).all()
    )
    cherches = termes_requete(texte)

    def cle(fid: int) -> tuple[int, int, str, str]:
        r = personnes.get(fid, {}).get(RoleResponsable.RESPONSABLE)
        n = noms.get(fid, {})
        niveaux = [
            _niveau(m, n.get(RoleResponsable.RESPONSABLE), n.get(RoleResponsable.CONJOINT))
            for m in cherches
        ]
        return (min(niveaux), sum(niveaux), normaliser(r[0]) if r else "", numeros[fid])

    ids = sorted(ids, key=cle)[:limite]
    petits: dict[int, list[str]] = {}
    for famille_id, prenoms in session.exec(
        select(Enfant.famille_id, Enfant.prenoms)
        .where(col(Enfant.famille_id).in_(ids), Enfant.actif == True)
        .order_by(Enfant.date_naissance)
    ):
        petits.setdefault(famille_id, []).append(prenoms.split()[0] if prenoms else "")
    balances = soldes(session, ids)
    resultats = []
    for fid in ids:
        r = personnes.get(fid, {}).get(RoleResponsable.RESPONSABLE)
        c = personnes.get(fid, {}).get(RoleResponsable.CONJOINT)
        resultats.append(
            ResultatRecherche(
                famille_id=fid,
                numero=numeros[fid],
                responsable=r[0] if r else "",
                conjoint=c[0] if c else "",
                enfants=", ".join(petits.get(fid, [])),
                ville=r[1] if r else "",
                solde=balances[fid],
            )
        )
    return resultats
