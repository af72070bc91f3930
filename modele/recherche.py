"""Family search: one normalised term table, prefix queries on an index, ranked in SQL.

Accents and case are ignored ("clemé", "CLEME" and "Clémé" are the same term); a phone
number is searched by its digits, whatever the separators typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, SQLColumnExpression, Subquery, and_, case, func
from sqlalchemy import Select as SelectSQL
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, delete, select
from sqlmodel.sql.expression import Select, SelectOfScalar

from modele.base import colonne_id
from modele.reglements import soldes
from modele.tables.famille import Enfant, Famille, Responsable, RoleResponsable
from modele.tables.recherche import IndexRecherche, TriRecherche


def normaliser(texte: str) -> str:
    """Upper-case ASCII, accents removed: "Clémé" → "CLEME"."""
    decompose = unicodedata.normalize("NFKD", texte)
    return "".join(c for c in decompose if not unicodedata.combining(c)).upper()


_MOTS = re.compile(r"[A-Z0-9]+")


def mots(texte: str) -> list[str]:
    return _MOTS.findall(normaliser(texte))


def chiffres(texte: str) -> str:
    return re.sub(r"\D", "", texte)


# How well a term names its family, best first (issue #15's ranking): a word of the
# responsable's surname (NOM when typed whole, NOM + 1 when only its start is), of the
# responsable's first names, of the conjoint's names, anything else (a child, a birth name,
# a phone, the family number).
NOM, PRENOM, CONJOINT, AUTRE = 0, 2, 3, 4


def termes(famille: Famille, personnes: list[Responsable], enfants: list[Enfant]) -> dict[str, int]:
    """Every term a family can be found by, with how well it names the family (the best
    of its sources)."""
    trouves: dict[str, int] = {}

    def ajouter(quels: list[str], qualite: int) -> None:
        for terme in quels:
            if terme:
                trouves[terme] = min(qualite, trouves.get(terme, AUTRE))

    ajouter([famille.numero], AUTRE)
    for personne in personnes:
        responsable = personne.role == RoleResponsable.RESPONSABLE
        ajouter(mots(f"{personne.nom} {personne.nom_naissance}"), AUTRE)
        ajouter(mots(personne.nom), NOM if responsable else CONJOINT)
        ajouter(mots(personne.prenoms), PRENOM if responsable else CONJOINT)
        for telephone in (
            personne.telephone_domicile,
            personne.telephone_professionnel,
            personne.mobile,
        ):
            ajouter([chiffres(telephone)], AUTRE)
    for enfant in enfants:
        ajouter(mots(f"{enfant.nom} {enfant.prenoms}"), AUTRE)
    return trouves


def nom_de_tri(personnes: list[Responsable]) -> str:
    """The responsable's "NOM PRÉNOMS" as search results sort it ("" when there is none)."""
    for personne in personnes:
        if personne.role == RoleResponsable.RESPONSABLE:
            return normaliser(f"{personne.nom} {personne.prenoms}")
    return ""


def indexer_famille(session: Session, famille_id: int) -> None:
    """Rebuild a family's search terms (after any change of a name, number or phone)."""
    famille = session.get_one(Famille, famille_id)
    personnes = list(session.exec(select(Responsable).where(Responsable.famille_id == famille_id)))
    petits = list(session.exec(select(Enfant).where(Enfant.famille_id == famille_id)))
    session.exec(delete(IndexRecherche).where(col(IndexRecherche.famille_id) == famille_id))
    for terme, qualite in termes(famille, personnes, petits).items():
        session.add(IndexRecherche(terme=terme, famille_id=famille_id, qualite=qualite))
    tri = session.get(TriRecherche, famille_id) or TriRecherche(famille_id=famille_id)
    tri.nom = nom_de_tri(personnes)
    tri.numero = famille.numero
    session.add(tri)


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


def familles_correspondantes(texte: str) -> SelectOfScalar[int] | None:
    """The ids of the families having a term that starts with every word typed, in no
    order (the service inbox's filter). Digits also find a family number by any part."""
    mots_cherches = termes_requete(texte)
    if not mots_cherches:
        return None
    requete = select(colonne_id(Famille))
    for mot in mots_cherches:
        sous = select(IndexRecherche.famille_id).where(
            IndexRecherche.terme >= mot, IndexRecherche.terme < mot + "\uffff"
        )
        if len(mots_cherches) == 1 and mot.isdigit() and len(mot) >= 4:
            requete = requete.where(
                col(Famille.id).in_(sous) | col(Famille.numero).contains(mot, autoescape=True)
            )
        else:
            requete = requete.where(col(Famille.id).in_(sous))
    return requete


def _niveaux(mot: str, nom: str) -> Subquery:
    """The families having a term that starts with `mot`, each with how well it matches:
    0 a surname typed whole, 1 a surname's start, then PRENOM, CONJOINT, AUTRE."""
    qualite = col(IndexRecherche.qualite)
    niveau = case(
        (and_(qualite == NOM, col(IndexRecherche.terme) == mot), NOM),
        (qualite == NOM, NOM + 1),
        else_=qualite,
    )
    return (
        select(
            col(IndexRecherche.famille_id).label("famille_id"),
            func.min(niveau).label("niveau"),
        )
        # A range on the terms' index (level included) is a prefix search on every engine.
        .where(IndexRecherche.terme >= mot, IndexRecherche.terme < mot + "\uffff")
        .group_by(col(IndexRecherche.famille_id))
        .subquery(nom)
    )


def requete_classee(
    texte: str, moteur: str, limite: int = 50
) -> SelectSQL[*tuple[Any, ...]] | None:
    """The best `limite` families for what was typed, best first: those having a term that
    starts with every word typed (digits also find a family number by any part of it),
    ranked by their worst-matched word's level, then the sum of the levels, then the
    responsable's name, then the family number: a total order, the same on every engine
    (`moteur`: the dialect's name). Columns: famille_id, numero, pire, somme, nom."""
    mots_cherches = termes_requete(texte)
    if not mots_cherches:
        return None
    par_mot = [_niveaux(mot, f"n{rang}") for rang, mot in enumerate(mots_cherches)]
    premier = par_mot[0]
    mot = mots_cherches[0]
    if len(mots_cherches) == 1 and mot.isdigit() and len(mot) >= 4:
        # A family number by any part of it: families without any term of those digits too.
        niveaux: list[ColumnElement[int]] = [func.coalesce(premier.c.niveau, AUTRE)]
        requete: Select[*tuple[Any, ...]] = (
            select(col(Famille.id).label("famille_id"), Famille.numero)
            .outerjoin(premier, premier.c.famille_id == Famille.id)
            .outerjoin(TriRecherche, col(TriRecherche.famille_id) == col(Famille.id))
            .where(
                premier.c.famille_id.is_not(None)
                | col(Famille.numero).contains(mot, autoescape=True)
            )
        )
        numero: SQLColumnExpression[str] = col(Famille.numero)
    else:
        niveaux = [n.c.niveau for n in par_mot]
        requete = select(premier.c.famille_id, TriRecherche.numero)
        for autre in par_mot[1:]:
            requete = requete.join(autre, autre.c.famille_id == premier.c.famille_id)
        requete = requete.join(TriRecherche, col(TriRecherche.famille_id) == premier.c.famille_id)
        numero = col(TriRecherche.numero)
    pire: ColumnElement[int] = niveaux[0]
    if len(niveaux) > 1:
        # the worst-matched word: min() of several values on SQLite, least() elsewhere
        pire = (func.min if moteur == "sqlite" else func.least)(*niveaux)
    somme = sum(niveaux[1:], niveaux[0])
    nom: SQLColumnExpression[str] = func.coalesce(TriRecherche.nom, "")
    if moteur == "postgresql":
        # Code point order, as SQLite's and Python's, whatever the server's locale.
        nom, numero = nom.collate("C"), numero.collate("C")
    return (
        requete.add_columns(pire.label("pire"), somme.label("somme"), nom.label("nom"))
        .order_by(pire, somme, nom, numero)
        .limit(limite)
    )


@dataclass(frozen=True)
class ResultatRecherche:
    famille_id: int
    numero: str
    responsable: str
    conjoint: str
    enfants: str
    ville: str
    solde: int


# Made once: an alias costs more to build than the query it serves.
_RESPONSABLE = aliased(Responsable, name="responsable_")
_CONJOINT = aliased(Responsable, name="conjoint_")


def rechercher(session: Session, texte: str, limite: int = 50) -> list[ResultatRecherche]:
    """Families whose terms start with every word typed, at most `limite`, best match
    first: a surname typed whole, then a surname's start, a first name, the conjoint, a
    child or a phone; ties by name, then by number (see requete_classee)."""

    requete = requete_classee(texte, session.get_bind().dialect.name, limite)
    if requete is None:
        return []
    # The families ranked and their people in one statement: on a server each query is a
    # round trip, and a keystroke makes three (this, the children, the balances).
    classees = requete.subquery("classees")
    responsable, conjoint = _RESPONSABLE, _CONJOINT
    nom: SQLColumnExpression[str] = classees.c.nom
    numero: SQLColumnExpression[str] = classees.c.numero
    if session.get_bind().dialect.name == "postgresql":
        nom, numero = nom.collate("C"), numero.collate("C")
    # Select itself, as select() does: SQLModel types select() up to four columns only.
    avec_personnes: Select[*tuple[Any, ...]] = (
        Select(
            classees.c.famille_id,
            classees.c.numero,
            col(responsable.nom),
            col(responsable.prenoms),
            col(responsable.ville),
            col(conjoint.nom),
            col(conjoint.prenoms),
        )
        .select_from(classees)
        .outerjoin(
            responsable,
            (col(responsable.famille_id) == classees.c.famille_id)
            & (col(responsable.role) == RoleResponsable.RESPONSABLE),
        )
        .outerjoin(
            conjoint,
            (col(conjoint.famille_id) == classees.c.famille_id)
            & (col(conjoint.role) == RoleResponsable.CONJOINT),
        )
        .order_by(classees.c.pire, classees.c.somme, nom, numero)
    )
    lignes = session.exec(avec_personnes).all()
    familles: dict[int, tuple] = {}
    for ligne in lignes:
        familles.setdefault(ligne[0], ligne)  # best first
    ids = list(familles)
    if not ids:
        return []
    petits: dict[int, list[str]] = {}
    for famille_id, prenoms in session.exec(
        select(Enfant.famille_id, Enfant.prenoms)
        .where(col(Enfant.famille_id).in_(ids), Enfant.actif == True)
        .order_by(col(Enfant.date_naissance))
    ):
        petits.setdefault(famille_id, []).append(prenoms.split()[0] if prenoms else "")
    balances = soldes(session, ids)
    resultats = []
    for fid, numero_famille, nom_r, prenoms_r, ville, nom_c, prenoms_c in familles.values():
        resultats.append(
            ResultatRecherche(
                famille_id=fid,
                numero=numero_famille,
                responsable=f"{nom_r} {prenoms_r}" if nom_r is not None else "",
                conjoint=f"{nom_c} {prenoms_c}" if nom_c is not None else "",
                enfants=", ".join(petits.get(fid, [])),
                ville=ville if nom_r is not None else "",
                solde=balances[fid],
            )
        )
    return resultats
