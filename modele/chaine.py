"""The régie's ledger no one can alter unseen: every accounting record is chained by hash.

Each accounting record of a régie (invoice, credit note, payment, cancellation, refund, cash
closing, deposit slip) gets one link (`Maillon`) in the régie's single sequence, numbered
without gaps. A link's hash is the SHA-256 of the canonical serialisation of the record's
accounting fields, its place in the sequence and the previous link's hash: changing a
record, removing one, or inserting one by SQL shows at the next check (`verifier_chaine`).

Writers register what they create (`a_sceller`); the links are written when the session
commits, under the régie's chain lock (the `Compteur` row "chaine": FOR UPDATE on
PostgreSQL, the write lock of BEGIN IMMEDIATE on SQLite), so that concurrent writers append
one after the other and the chain never forks. Taking that lock last, at commit, keeps lock
order the same for every transaction (no deadlock with the numbering sequences).

It reads the records through their table names, so that billing and payments, above it,
can register their rows without an import cycle. The table is in modele/tables/chaine.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import event, func, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session as SessionORM
from sqlmodel import Session, SQLModel, col

from modele.base import ErreurMetier, colonne_id
from modele.formats import compte
from modele.structure import Compteur, Regie, verrouiller_sequence
from modele.tables.chaine import Maillon

NATURE_COMPTEUR = "chaine"  # the Compteur row that holds the chain's lock and its last number
DEBUT = "0" * 64  # the "previous hash" of a régie's first link
VERSION = "v1"  # of the canonical serialisation, hashed with every link

# What is hashed, per table: the accounting fields (never a column that changes by design).
CHAMPS: dict[str, tuple[str, ...]] = {
    "facture": (
        "regie_id",
        "nature",
        "numero",
        "reference",
        "famille_id",
        "date_emission",
        "date_echeance",
        "periode_debut",
        "periode_fin",
        "total",
        "facture_origine_id",
        "motif",
        "emise_par",
        "cree_le",
    ),
    "reglement": (
        "regie_id",
        "numero",
        "reference",
        "famille_id",
        "date",
        "mode",
        "reference_paiement",
        "banque",
        "payeur",
        "montant",
        "annule_reglement_id",
        "motif",
        "saisi_par",
        "cree_le",
    ),
    "cloture": (
        "regie_id",
        "numero",
        "reference",
        "jour",
        "comptages",
        "enregistre",
        "compte",
        "ecart",
        "motif",
        "cloturee_par",
        "cree_le",
    ),
    "bordereau": (
        "regie_id",
        "numero",
        "reference",
        "nature",
        "jour",
        "nombre",
        "total",
        "cree_par",
        "cree_le",
    ),
}
# A slip's content is its list of payments (a child table), hashed with it.
CONTENU = {"bordereau": ("lignebordereau", "bordereau_id", "reglement_id")}
# Order of records of one day when an existing base is chained (deterministic).
RANG = {"facture": 0, "reglement": 1, "cloture": 2, "bordereau": 3}
LIBELLES_NATURES = {
    "facture": "facture",
    "avoir": "avoir",
    "reglement": "règlement",
    "annulation": "annulation de règlement",
    "remboursement": "remboursement",
    "cloture": "clôture de caisse",
    "bordereau": "bordereau de remise",
}
FEMININS = {"facture", "annulation", "cloture"}


def _accord(nature: str, participe: str) -> str:
    return participe + ("e" if nature in FEMININS else "")


DATES = {"facture": "date_emission", "reglement": "date", "cloture": "jour", "bordereau": "jour"}


def _nature(objet: str, ligne: Any) -> str:
    if objet == "facture":
        return ligne.nature
    if objet == "reglement":
        if ligne.annule_reglement_id is not None:
            return "annulation"
        return "remboursement" if ligne.mode == "remboursement" else "reglement"
    return objet


def _valeur(v: Any) -> Any:
    return v.isoformat() if isinstance(v, dt.date) else v  # (a datetime is a date)


# The canonical serialisation (json.dumps with these options, one encoder for all links).
_JSON = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def empreinte(
    sequence: int, precedente: str, objet: str, objet_id: int, valeurs: dict[str, Any]
) -> str:
    """SHA-256 of the link: version, place, previous hash, and the record's fields."""
    texte = _JSON.encode(
        [
            VERSION,
            sequence,
            precedente,
            objet,
            objet_id,
            {k: _valeur(v) for k, v in valeurs.items()},
        ]
    )
    return hashlib.sha256(texte.encode()).hexdigest()


def _lire(connexion: Connection, objet: str, ids: list[int]) -> dict[int, tuple[str, str, dict]]:
    """Records by id: (nature, reference, hashed fields), read as the database returns them
    (the writer and the check then hash the very same values)."""
    table = SQLModel.metadata.tables[objet]
    colonnes = [table.c.id, *(table.c[c] for c in CHAMPS[objet])]
    lus: dict[int, tuple[str, str, dict]] = {}
    for i in range(0, len(ids), 5_000):
        lot = ids[i : i + 5_000]
        contenus: dict[int, list[int]] = {}
        if objet in CONTENU:
            nom, cle, valeur = CONTENU[objet]
            enfant = SQLModel.metadata.tables[nom]
            for parent, v in connexion.execute(
                select(enfant.c[cle], enfant.c[valeur])
                .where(enfant.c[cle].in_(lot))
                .order_by(enfant.c[valeur])
            ):
                contenus.setdefault(parent, []).append(v)
        for ligne in connexion.execute(select(*colonnes).where(table.c.id.in_(lot))):
            valeurs = {c: getattr(ligne, c) for c in CHAMPS[objet]}
            if objet in CONTENU:
                valeurs["contenu"] = contenus.get(ligne.id, [])
            lus[ligne.id] = (_nature(objet, ligne), valeurs["reference"], valeurs)
    return lus


# --- writing: registered by the writers, sealed at commit ------------------------------------

_CLE = "chaine_a_sceller"
_CLE_VALEURS = "chaine_valeurs"  # (objet, id) -> the hashed fields, as written


def a_sceller(
    session: Session,
    regie_id: int,
    objet: str,
    ids: Iterable[int],
    valeurs: Iterable[dict[str, Any]] | None = None,
) -> None:
    """Register new records of a régie; their links are written when the session commits.

    `valeurs`: each record's hashed fields (CHAMPS), in the ids' order, as the database will
    return them (a date, a naive datetime, an int, a str: what a read gives back); the links
    then hash them without reading the records back (a town's billing run: 50,000 invoices).
    Only whether each record still exists is read."""
    ids = list(ids)
    attente = session.info.setdefault(_CLE, {})
    attente.setdefault(regie_id, []).extend((objet, i) for i in ids)
    if valeurs is not None:
        assert objet not in CONTENU  # a slip's content is read with it
        connus = session.info.setdefault(_CLE_VALEURS, {})
        for i, v in zip(ids, valeurs, strict=True):
            connus[(objet, i)] = {c: v[c] for c in CHAMPS[objet]}


def sceller_en_attente(session: Session) -> None:
    """Write the links of what was registered, régie by régie (in id order: one lock order)."""
    attente: dict[int, list[tuple[str, int]]] = session.info.pop(_CLE, {})
    connus: dict[tuple[str, int], dict[str, Any]] = session.info.pop(_CLE_VALEURS, {})
    if not attente:
        return
    session.flush()
    connexion = session.connection()
    for regie_id in sorted(attente):
        _ajouter(session, connexion, regie_id, attente[regie_id], connus)


def _existants(connexion: Connection, objet: str, ids: list[int]) -> set[int]:
    table = SQLModel.metadata.tables[objet]
    trouves: set[int] = set()
    for i in range(0, len(ids), 5_000):
        lot = ids[i : i + 5_000]
        trouves.update(connexion.execute(select(table.c.id).where(table.c.id.in_(lot))).scalars())
    return trouves


def _verrouiller(session: Session, regie_id: int) -> Compteur:
    compteur = verrouiller_sequence(session, regie_id, NATURE_COMPTEUR)
    # A long-lived session may hold the row from an earlier transaction: read it afresh.
    session.refresh(compteur)
    return compteur


def _ajouter(
    session: Session,
    connexion: Connection,
    regie_id: int,
    records: list[tuple[str, int]],
    connus: dict[tuple[str, int], dict[str, Any]] | None = None,
) -> None:
    compteur = _verrouiller(session, regie_id)
    precedente = DEBUT
    if compteur.dernier:
        precedente = connexion.execute(
            select(col(Maillon.empreinte)).where(
                col(Maillon.regie_id) == regie_id, col(Maillon.sequence) == compteur.dernier
            )
        ).scalar_one()
    par_objet: dict[str, list[int]] = {}
    ecrits: dict[str, list[int]] = {}  # given as written: only their existence is read
    for objet, i in records:
        (ecrits if connus and (objet, i) in connus else par_objet).setdefault(objet, []).append(i)
    lus = {objet: _lire(connexion, objet, ids) for objet, ids in par_objet.items()}
    for objet, ids in ecrits.items():
        assert connus is not None
        dans = lus.setdefault(objet, {})
        for i in _existants(connexion, objet, ids):
            valeurs = connus[(objet, i)]
            dans[i] = (_nature(objet, SimpleNamespace(**valeurs)), valeurs["reference"], valeurs)
    lignes = []
    sequence = compteur.dernier
    vus: set[tuple[str, int]] = set()
    for objet, i in records:
        if (objet, i) in vus:
            continue
        vus.add((objet, i))
        if i not in lus[objet]:
            continue  # created then removed in the same transaction (rolled-back savepoint)
        nature, reference, valeurs = lus[objet][i]
        sequence += 1
        h = empreinte(sequence, precedente, objet, i, valeurs)
        lignes.append(
            dict(
                regie_id=regie_id,
                sequence=sequence,
                objet=objet,
                nature=nature,
                objet_id=i,
                reference=reference,
                empreinte=h,
                precedente=precedente,
            )
        )
        precedente = h
    if lignes:
        connexion.execute(insert(Maillon), lignes)
        compteur.dernier = sequence
        session.flush()


@event.listens_for(SessionORM, "before_commit")
def _sceller_au_commit(session: SessionORM) -> None:
    if session.info.get(_CLE):
        sceller_en_attente(session)  # type: ignore[arg-type]


@event.listens_for(SessionORM, "after_rollback")
def _oublier(session: SessionORM) -> None:
    session.info.pop(_CLE, None)
    session.info.pop(_CLE_VALEURS, None)


def manquants(connexion: Connection, regie_id: int) -> list[tuple[str, int]]:
    """The régie's records without a link, in a deterministic order (day, kind, id)."""
    trouves = []
    for objet in CHAMPS:
        table = SQLModel.metadata.tables[objet]
        scelles = select(col(Maillon.objet_id)).where(
            col(Maillon.regie_id) == regie_id, col(Maillon.objet) == objet
        )
        for i, jour in connexion.execute(
            select(table.c.id, table.c[DATES[objet]]).where(
                table.c.regie_id == regie_id, table.c.id.not_in(scelles)
            )
        ):
            trouves.append((jour, RANG[objet], i, objet))
    trouves.sort()
    return [(objet, i) for _, _, i, objet in trouves]


def chainer_existants(session: Session, regie_id: int | None = None) -> int:
    """Chain the records that have no link yet (a base from before the chain, a history
    taken over from another software), in the order of `manquants`; returns how many."""
    connexion = session.connection()
    ids = (
        [regie_id]
        if regie_id is not None
        else list(
            connexion.execute(select(colonne_id(Regie)).order_by(colonne_id(Regie))).scalars()
        )
    )
    total = 0
    for r in ids:
        records = manquants(connexion, r)
        if records:
            _ajouter(session, connexion, r, records)
            total += len(records)
    return total


# --- checking --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """The outcome of `verifier_chaine`: `probleme` is None when the chain is whole."""

    regie: str
    maillons: int
    probleme: str | None = None
    sequence: int | None = None  # where the first problem is
    reference: str | None = None  # the record it names

    @property
    def intacte(self) -> bool:
        return self.probleme is None


def _maillons(connexion: Connection, regie_id: int, lot: int = 5_000) -> Iterator[list[Any]]:
    dernier = 0
    while True:
        morceau = list(
            connexion.execute(
                select(Maillon)
                .where(col(Maillon.regie_id) == regie_id, col(Maillon.sequence) > dernier)
                .order_by(col(Maillon.sequence))
                .limit(lot)
            )
        )
        if not morceau:
            return
        yield morceau
        dernier = morceau[-1].sequence


def verifier_chaine(session: Session, regie_id: int) -> Verification:
    """Recompute the régie's chain from its records; name the first one changed, removed or
    added outside the app."""
    connexion = session.connection()
    regie = connexion.execute(select(Regie).where(col(Regie.id) == regie_id)).first()
    if regie is None:
        raise ErreurMetier("Régie introuvable.")
    code = regie.code
    attendu, precedente = 1, DEBUT
    for morceau in _maillons(connexion, regie_id):
        par_objet: dict[str, list[int]] = {}
        for m in morceau:
            par_objet.setdefault(m.objet, []).append(m.objet_id)
        lus = {objet: _lire(connexion, objet, ids) for objet, ids in par_objet.items()}
        for m in morceau:
            quoi = f"{LIBELLES_NATURES.get(m.nature, m.nature)} {m.reference}"
            if m.sequence != attendu:
                return Verification(
                    code,
                    attendu - 1,
                    f"Chaîne de la régie {code} rompue : le maillon n° {attendu} a été "
                    f"supprimé (l'enregistrement suivant est {quoi}).",
                    attendu,
                    m.reference,
                )
            trouve = lus[m.objet].get(m.objet_id)
            if trouve is None:
                return Verification(
                    code,
                    attendu - 1,
                    f"Chaîne de la régie {code} rompue au maillon n° {m.sequence} : "
                    f"{quoi} a été {_accord(m.nature, 'supprimé')}.",
                    m.sequence,
                    m.reference,
                )
            nature, _, valeurs = trouve
            h = empreinte(m.sequence, precedente, m.objet, m.objet_id, valeurs)
            if h != m.empreinte or m.precedente != precedente or nature != m.nature:
                return Verification(
                    code,
                    attendu - 1,
                    f"Chaîne de la régie {code} rompue au maillon n° {m.sequence} : "
                    f"{quoi} a été {_accord(m.nature, 'modifié')} après son enregistrement.",
                    m.sequence,
                    m.reference,
                )
            precedente = h
            attendu += 1
    nombre = attendu - 1
    dernier = connexion.execute(
        select(col(Compteur.dernier)).where(
            col(Compteur.regie_id) == regie_id, col(Compteur.nature) == NATURE_COMPTEUR
        )
    ).scalar()
    if (dernier or 0) > nombre:
        return Verification(
            code,
            nombre,
            f"Chaîne de la régie {code} rompue : les maillons n° {nombre + 1} à {dernier} "
            "ont été supprimés (les derniers enregistrements).",
            nombre + 1,
        )
    hors = manquants(connexion, regie_id)
    if hors:
        objet, i = hors[0]
        _, reference, _ = _lire(connexion, objet, [i])[i]
        return Verification(
            code,
            nombre,
            f"Chaîne de la régie {code} : {LIBELLES_NATURES[objet]} {reference} a été "
            f"{_accord(objet, 'ajouté')} hors de l'application (aucun maillon) ; "
            f"{compte(len(hors), 'enregistrement')} dans ce cas.",
            None,
            reference,
        )
    return Verification(code, nombre)


def derniere_empreinte(session: Session, regie_id: int) -> tuple[int, str]:
    """The chain's last number and hash (printed on the journal de caisse and the slips)."""
    ligne = (
        session.connection()
        .execute(
            select(col(Maillon.sequence), col(Maillon.empreinte))
            .where(col(Maillon.regie_id) == regie_id)
            .order_by(col(Maillon.sequence).desc())
            .limit(1)
        )
        .first()
    )
    return (ligne[0], ligne[1]) if ligne else (0, DEBUT)


def nombre_maillons(session: Session, regie_id: int) -> int:
    return (
        session.connection()
        .execute(select(func.count()).select_from(Maillon).where(col(Maillon.regie_id) == regie_id))
        .scalar_one()
    )
