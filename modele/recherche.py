"""Family search: one normalised term table, prefix queries on an index, ranked in SQL.

Accents and case are ignored ("clemé", "CLEME" and "Clémé" are the same term); a phone
number is searched by its digits, whatever the separators typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, String, Subquery, and_, bindparam, case, func
from sqlalchemy import Select as SelectSQL
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, delete, select
from sqlmodel.sql.expression import Select, SelectOfScalar

from modele.base import colonne_id
from modele.reglements import soldes
from modele.requetes import figee
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
LIMITE_RESULTATS = 50  # families listed for one search: the best matches
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


def _par_numero(mots_cherches: list[str]) -> bool:
    """Digits alone, 4 or more: they also find a family number by any part of it."""
    return len(mots_cherches) == 1 and mots_cherches[0].isdigit() and len(mots_cherches[0]) >= 4


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
    texte: str, moteur: str, limite: int = LIMITE_RESULTATS
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
    niveaux: list[Any]
    requete: Any
    numero: Any  # a column, or its collation on PostgreSQL (below)
    if _par_numero(mots_cherches):
        # A family number by any part of it: families without any term of those digits too.
        niveaux = [func.coalesce(premier.c.niveau, AUTRE)]
        requete = (
            select(col(Famille.id).label("famille_id"), Famille.numero)
            .outerjoin(premier, premier.c.famille_id == Famille.id)
            .outerjoin(TriRecherche, col(TriRecherche.famille_id) == col(Famille.id))
            .where(
                premier.c.famille_id.is_not(None)
                | col(Famille.numero).contains(mot, autoescape=True)
            )
        )
        numero = col(Famille.numero)
    elif max(len(m) for m in mots_cherches) < 4:
        # Short words only (3 letters match thousands of families): their groups joined.
        niveaux = [n.c.niveau for n in par_mot]
        requete = select(premier.c.famille_id, TriRecherche.numero)
        for autre in par_mot[1:]:
            requete = requete.join(autre, autre.c.famille_id == premier.c.famille_id)
        requete = requete.join(TriRecherche, col(TriRecherche.famille_id) == premier.c.famille_id)
        numero = col(TriRecherche.numero)
    else:
        # The longest word (the rarest, as a rule) finds the families; each other word's
        # level is read in those families' own terms (index (famille_id, qualite, terme)),
        # grouped by family: "martin m" reads MARTIN's few thousand families, not M's
        # tens of thousands.
        guide = max(range(len(mots_cherches)), key=lambda r: (len(mots_cherches[r]), -r))
        familles = par_mot[guide]
        requete = select(familles.c.famille_id, TriRecherche.numero).join(
            TriRecherche, col(TriRecherche.famille_id) == familles.c.famille_id
        )
        niveaux = []
        for rang, cherche in enumerate(mots_cherches):
            if rang == guide:
                niveaux.append(familles.c.niveau)
                continue
            terme = aliased(IndexRecherche, name=f"t{rang}")
            requete = requete.join(
                terme,
                and_(
                    col(terme.famille_id) == familles.c.famille_id,
                    col(terme.terme) >= cherche,
                    col(terme.terme) < cherche + "\uffff",
                ),
            )
            niveaux.append(
                func.min(
                    case(
                        (and_(col(terme.qualite) == NOM, col(terme.terme) == cherche), NOM),
                        (col(terme.qualite) == NOM, NOM + 1),
                        else_=col(terme.qualite),
                    )
                )
            )
        requete = requete.group_by(
            familles.c.famille_id, familles.c.niveau, TriRecherche.numero, TriRecherche.nom
        )
        numero = col(TriRecherche.numero)
    pire = niveaux[0]
    if len(niveaux) > 1:
        # the worst-matched word: min() of several values on SQLite, least() elsewhere
        pire = (func.min if moteur == "sqlite" else func.least)(*niveaux)
    somme = sum(niveaux[1:], niveaux[0])
    nom: Any = func.coalesce(TriRecherche.nom, "")
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


# A tier with more candidate rows than this is read in the families' name order, each family
# probed, until the page is full (its matches are spread over every name); fewer are read
# whole and sorted. Either way the same families: a bound on the work, not on the result.
SEUIL_PARCOURS = 2000


@figee
def _palier(niveau: int, exclure: bool, moteur: str, parcours: bool, numero: bool) -> Select:
    """The best :limite families whose best match of :mot (:fin = mot + U+FFFF) is `niveau`
    (NOM: the surname typed whole; NOM + 1: a surname's start; PRENOM, CONJOINT, AUTRE), by
    name then number, leaving out :exclues if `exclure` (every family of a better level,
    all of them known: see _classer_mot). `parcours`: read trirecherche in its (nom,
    numero) order, probing each family, instead of sorting every candidate. `numero`
    (digits that may be part of a family number, _par_numero, at AUTRE): the families
    whose number holds them (:motif, "%digits%") too."""
    terme, qualite = col(IndexRecherche.terme), col(IndexRecherche.qualite)
    mot, fin = bindparam("mot", type_=String), bindparam("fin", type_=String)
    if niveau == NOM:
        condition = and_(terme == mot, qualite == NOM)
    else:
        condition = and_(
            terme >= mot, terme < fin, qualite == (NOM if niveau == NOM + 1 else niveau)
        )
    famille = col(TriRecherche.famille_id)
    nom: Any = col(TriRecherche.nom)
    numero_tri: Any = col(TriRecherche.numero)
    if moteur == "postgresql":
        nom, numero_tri = nom.collate("C"), numero_tri.collate("C")
    filtre: Any
    if parcours:
        filtre = (
            select(IndexRecherche.famille_id)
            .where(col(IndexRecherche.famille_id) == famille, condition)
            .exists()
        )
    else:
        filtre = famille.in_(select(IndexRecherche.famille_id).where(condition))
    if numero:
        # (digits only: nothing to escape in the pattern)
        filtre = filtre | col(TriRecherche.numero).like(bindparam("motif", type_=String))
    requete = select(famille, TriRecherche.numero, TriRecherche.nom).where(filtre)
    if exclure:
        requete = requete.where(famille.not_in(bindparam("exclues", expanding=True)))
    return requete.order_by(nom, numero_tri).limit(bindparam("limite", type_=Integer))


@figee
def _candidats() -> Any:
    """How many index rows a tier (:qualite) of :mot reads, counted up to :seuil (index
    only)."""
    terme, qualite = col(IndexRecherche.terme), col(IndexRecherche.qualite)
    lignes = (
        select(IndexRecherche.famille_id)
        .where(
            terme >= bindparam("mot", type_=String),
            terme < bindparam("fin", type_=String),
            qualite == bindparam("qualite", type_=Integer),
        )
        .limit(bindparam("seuil", type_=Integer))
        .subquery()
    )
    return SelectSQL(func.count()).select_from(lignes)


@figee
def _groupe(qualites: tuple[int, ...], exclure: bool, moteur: str) -> Select:
    """Several tiers in one statement (a server charges each round trip): the families
    having a term of one of `qualites` that starts with :mot (:fin = mot + U+FFFF), each
    at its best level (as requete_classee's), by level, name, number, at most :limite,
    leaving out :exclues if `exclure`. Reads every such term: for the surnames (a few
    thousand for a first letter at 50,000 families), or the other levels of a word that is
    not digits, once no surname matches it 50 times."""
    terme, qualite = col(IndexRecherche.terme), col(IndexRecherche.qualite)
    mot, fin = bindparam("mot", type_=String), bindparam("fin", type_=String)
    niveau = case(
        (and_(qualite == NOM, terme == mot), NOM),
        (qualite == NOM, NOM + 1),
        else_=qualite,
    )
    niveaux = (
        select(col(IndexRecherche.famille_id).label("famille_id"), func.min(niveau).label("n"))
        .where(qualite.in_(qualites), terme >= mot, terme < fin)
        .group_by(col(IndexRecherche.famille_id))
        .subquery("niveaux")
    )
    nom: Any = col(TriRecherche.nom)
    numero: Any = col(TriRecherche.numero)
    if moteur == "postgresql":
        nom, numero = nom.collate("C"), numero.collate("C")
    requete = select(niveaux.c.famille_id, TriRecherche.numero, niveaux.c.n).join(
        TriRecherche, col(TriRecherche.famille_id) == niveaux.c.famille_id
    )
    if exclure:
        requete = requete.where(niveaux.c.famille_id.not_in(bindparam("exclues", expanding=True)))
    return requete.order_by(niveaux.c.n, nom, numero).limit(bindparam("limite", type_=Integer))


def _classer_mot(session: Session, mot: str, limite: int) -> list[tuple[int, str]]:
    """The ranking of requete_classee for one word, read tier by tier, best first: the
    surnames (typed whole, then started) in one statement; if they do not fill the page, a
    first name, the conjoint, the rest: in one statement for letters; for digits (a
    phone's first ones match every family) tier by tier, each sorted by name then number
    or, when dense, read in name order (_palier). A tier is only read when every better
    one was read whole, so leaving out the families already found leaves out exactly the
    better ones. Returns (famille_id, numero), best first."""
    moteur = session.get_bind().dialect.name
    valeurs: dict[str, Any] = {"mot": mot, "fin": mot + "\uffff", "limite": limite}
    trouvees = [
        (fid, numero)
        for fid, numero, _n in session.execute(_groupe((NOM,), False, moteur), valeurs)
    ]
    if len(trouvees) >= limite:
        return trouvees
    if not mot.isdigit():
        valeurs["exclues"] = [fid for fid, _ in trouvees]
        valeurs["limite"] = limite - len(trouvees)
        requete = _groupe((PRENOM, CONJOINT, AUTRE), bool(trouvees), moteur)
        return trouvees + [(fid, numero) for fid, numero, _n in session.execute(requete, valeurs)]
    par_numero = _par_numero([mot])
    for niveau in (PRENOM, CONJOINT, AUTRE):
        reste = limite - len(trouvees)
        if reste <= 0:
            break
        compte = {"mot": mot, "fin": mot + "\uffff", "qualite": niveau, "seuil": SEUIL_PARCOURS}
        parcours = session.execute(_candidats(), compte).scalar_one() >= SEUIL_PARCOURS
        valeurs = {
            "mot": mot,
            "fin": mot + "\uffff",
            "limite": reste,
            "exclues": [fid for fid, _ in trouvees],
            "motif": f"%{mot}%",
        }
        requete = _palier(niveau, bool(trouvees), moteur, parcours, par_numero and niveau == AUTRE)
        trouvees += [(fid, numero) for fid, numero, _nom in session.execute(requete, valeurs)]
    return trouvees


def classer(session: Session, texte: str, limite: int = LIMITE_RESULTATS) -> list[tuple[int, str]]:
    """The best `limite` families for what was typed, best first, as requete_classee ranks
    them: (famille_id, numero). One word (the first keys of a name, at 50,000 families
    tens of thousands of matches) is read tier by tier (_classer_mot); several words by
    requete_classee."""
    mots_cherches = termes_requete(texte)
    if not mots_cherches:
        return []
    if len(mots_cherches) == 1:
        return _classer_mot(session, mots_cherches[0], limite)
    requete = requete_classee(texte, session.get_bind().dialect.name, limite)
    assert requete is not None
    return [(ligne[0], ligne[1]) for ligne in session.execute(requete)]


@figee
def _gens() -> Any:
    """The :ids families' people in one statement (on a server each query is a round trip;
    a keystroke makes a few: the ranking, this, the children, the balances)."""
    responsable, conjoint = _RESPONSABLE, _CONJOINT
    return (
        SelectSQL(
            col(Famille.id),
            col(responsable.nom),
            col(responsable.prenoms),
            col(responsable.ville),
            col(conjoint.nom),
            col(conjoint.prenoms),
        )
        .outerjoin(
            responsable,
            (col(responsable.famille_id) == Famille.id)
            & (col(responsable.role) == RoleResponsable.RESPONSABLE),
        )
        .outerjoin(
            conjoint,
            (col(conjoint.famille_id) == Famille.id)
            & (col(conjoint.role) == RoleResponsable.CONJOINT),
        )
        .where(col(Famille.id).in_(bindparam("ids", expanding=True)))
        .order_by(col(Famille.id), col(responsable.id), col(conjoint.id))
    )


@figee
def _petits() -> Any:
    """The :ids families' active children's first names, eldest first."""
    return (
        SelectSQL(col(Enfant.famille_id), col(Enfant.prenoms))
        .where(
            col(Enfant.famille_id).in_(bindparam("ids", expanding=True)), col(Enfant.actif) == True
        )
        .order_by(col(Enfant.date_naissance))
    )


def rechercher(
    session: Session, texte: str, limite: int = LIMITE_RESULTATS
) -> list[ResultatRecherche]:
    """Families whose terms start with every word typed, at most `limite`, best match
    first: a surname typed whole, then a surname's start, a first name, the conjoint, a
    child or a phone; ties by name, then by number (see requete_classee)."""
    classees = classer(session, texte, limite)
    if not classees:
        return []
    ids = [fid for fid, _ in classees]
    gens: dict[int, tuple] = {}
    for ligne in session.execute(_gens(), {"ids": ids}):
        gens.setdefault(ligne[0], tuple(ligne[1:]))  # the first responsable and conjoint
    petits: dict[int, list[str]] = {}
    for famille_id, prenoms in session.execute(_petits(), {"ids": ids}):
        petits.setdefault(famille_id, []).append(prenoms.split()[0] if prenoms else "")
    balances = soldes(session, ids)
    resultats = []
    for fid, numero_famille in classees:
        nom_r, prenoms_r, ville, nom_c, prenoms_c = gens.get(fid, (None,) * 5)
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
