"""The family search returns the same 50 families on SQLite and PostgreSQL, and they are the
best 50 of all the families that match, as a brute-force reading of every family ranks them
(issue #23): over prefixes that match far more families than are shown."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session, select

from data.copie import copier_base
from modele.db import creer_engine, migrer
from modele.famille import Enfant, Famille, Responsable, RoleResponsable
from modele.recherche import chiffres, mots, normaliser, rechercher, termes_requete
from tests.conftest import PG_URL, REFERENCE, _url_pg
from tui.config import url_sqlite

# Enough families for a dozen of the inputs below to match more than 200 (the old search
# read 200 in no order); few enough to build in seconds.
FAMILLES = 1000
SAISIES = [
    "a",
    "b",
    "l",
    "m",
    "bo",
    "gu",
    "la",
    "ma",
    "le",
    "mar",  # first names and surnames alike
    "jean",  # a first name
    "marie m",  # two words: the worst-matched one ranks first
    "l a",
    "06",  # a phone prefix
    "07 5",  # a phone prefix typed with a space
    "0033 1 02 03 04 05",  # Dupont's phone typed from abroad
    "1001",  # a family number by any part of it (every one holds it)
    "0010",
    "0",
    "dupont",
    "clémé",
]


@pytest.fixture(scope="module")
def sqlite(tmp_path_factory):
    """The demo's families (names, phones, children) on a SQLite file, built once."""
    from data.demo import construire_demo

    moteur = creer_engine(url_sqlite(tmp_path_factory.mktemp("moteurs") / "demo.db"))
    migrer(moteur)
    with pytest.MonkeyPatch.context() as patch:
        # The demo's staff and portal passwords are of no use here: argon2 takes seconds.
        patch.setattr("data.demo.hacher_mot_de_passe", lambda _mot: "x")
        patch.setattr("modele.agents.hacher_mot_de_passe", lambda _mot: "x")
        construire_demo(
            moteur, familles=FAMILLES, graine=0, reference=REFERENCE, familles_seules=True
        )
    yield moteur
    moteur.dispose()


@pytest.fixture(scope="module")
def postgresql(sqlite):
    """The same rows copied into a PostgreSQL database of its own, analysed."""
    if not PG_URL:
        pytest.skip("GUICHET_TEST_PG_URL absent : pas de PostgreSQL pour ce lancement")
    nom = f"guichet_recherche_{os.environ.get('PYTEST_XDIST_WORKER', 'seul')}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connexion:
        connexion.execute(text(f'DROP DATABASE IF EXISTS "{nom}"'))
        connexion.execute(text(f'CREATE DATABASE "{nom}"'))
    moteur = creer_engine(_url_pg(nom))
    migrer(moteur)
    copier_base(sqlite, moteur)
    yield moteur
    moteur.dispose()
    with admin.connect() as connexion:
        connexion.execute(text(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)'))
    admin.dispose()


def _niveau(mot: str, responsable: tuple[str, str] | None, conjoint: tuple[str, str] | None) -> int:
    """Issue #15's ranking of one word, as the search ranked it in Python before #23."""
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


@dataclass
class Familles:
    """Every family as the brute-force reference reads it, once."""

    numeros: dict[int, str]
    termes: dict[int, set[str]]
    gens: dict[int, dict[str, tuple[str, str]]]


def lire_tout(session: Session) -> Familles:
    numeros = dict(session.exec(select(Famille.id, Famille.numero)).all())
    termes: dict[int, set[str]] = {fid: {numero} for fid, numero in numeros.items()}
    gens: dict[int, dict[str, tuple[str, str]]] = {}
    for p in session.exec(select(Responsable)):
        termes[p.famille_id].update(mots(f"{p.nom} {p.nom_naissance} {p.prenoms}"))
        for telephone in (p.telephone_domicile, p.telephone_professionnel, p.mobile):
            termes[p.famille_id].add(chiffres(telephone))
        gens.setdefault(p.famille_id, {})[p.role] = (p.nom, p.prenoms)
    for e in session.exec(select(Enfant)):
        termes[e.famille_id].update(mots(f"{e.nom} {e.prenoms}"))
    return Familles(numeros, termes, gens)


def reference(tout: Familles, saisie: str) -> tuple[list[str], int]:
    """Every family ranked in Python: the best 50 numbers, and how many families match."""
    cherches = termes_requete(saisie)
    numeros = tout.numeros

    def trouvee(fid: int) -> bool:
        if len(cherches) == 1 and cherches[0].isdigit() and len(cherches[0]) >= 4:
            if cherches[0] in numeros[fid]:
                return True
        return all(any(t and t.startswith(m) for t in tout.termes[fid]) for m in cherches)

    def cle(fid: int) -> tuple[int, int, str, str]:
        r = tout.gens.get(fid, {}).get(RoleResponsable.RESPONSABLE)
        c = tout.gens.get(fid, {}).get(RoleResponsable.CONJOINT)
        niveaux = [_niveau(m, r, c) for m in cherches]
        return (min(niveaux), sum(niveaux), normaliser(f"{r[0]} {r[1]}") if r else "", numeros[fid])

    trouvees = sorted((f for f in numeros if trouvee(f)), key=cle)
    return [numeros[f] for f in trouvees[:50]], len(trouvees)


@pytest.fixture(scope="module")
def attendus(sqlite):
    with Session(sqlite) as session:
        tout = lire_tout(session)
    return {saisie: reference(tout, saisie) for saisie in SAISIES}


def test_les_saisies_trouvent_plus_que_la_page(attendus):
    """The comparison means something: most inputs match far more than 200 families."""
    nombreux = [s for s, (_meilleures, n) in attendus.items() if n > 200]
    assert len(nombreux) >= 10, {s: n for s, (_m, n) in attendus.items()}
    assert all(meilleures for meilleures, _n in attendus.values()), [
        s for s, (m, _n) in attendus.items() if not m
    ]


@pytest.mark.parametrize("moteur", ["sqlite", "postgresql"])
def test_les_50_meilleures_sur_chaque_moteur(request, moteur, attendus):
    engine = request.getfixturevalue(moteur)
    with Session(engine) as session:
        for saisie in SAISIES:
            trouvees = [r.numero for r in rechercher(session, saisie)]
            assert trouvees == attendus[saisie][0], saisie


def test_memes_resultats_sur_les_deux_moteurs(sqlite, postgresql):
    """What the agent sees, line for line (name, conjoint, town, balance)."""
    with Session(sqlite) as s1, Session(postgresql) as s2:
        for saisie in SAISIES:
            assert [
                (r.numero, r.responsable, r.conjoint, r.ville, r.solde)
                for r in rechercher(s1, saisie)
            ] == [
                (r.numero, r.responsable, r.conjoint, r.ville, r.solde)
                for r in rechercher(s2, saisie)
            ], saisie


@pytest.mark.parametrize("moteur", ["sqlite", "postgresql"])
def test_le_classement_lit_l_index_des_termes(request, moteur):
    """The ranking of several words reads the terms' (terme, qualite, famille_id) index for
    the longest word, a prefix range on both engines (PostgreSQL's in collation "C"), and
    each other word in the families' own terms (the (famille_id, qualite, terme) index, or
    a range of its own for short words): never the whole table."""
    from modele.recherche import requete_classee

    engine = request.getfixturevalue(moteur)
    for saisie in ("dup", "martin elo", "ma le"):
        sql = str(
            requete_classee(saisie, engine.dialect.name).compile(
                engine, compile_kwargs={"literal_binds": True}
            )
        )
        with engine.connect() as connexion:
            if moteur == "sqlite":
                plan = [r[3] for r in connexion.execute(text("EXPLAIN QUERY PLAN " + sql))]
                lectures = [p for p in plan if "indexrecherche" in p or " t1 " in p]
                assert lectures and all(
                    "COVERING INDEX ix_indexrecherche_terme_qualite (terme>? AND terme<?)" in p
                    or "COVERING INDEX ix_indexrecherche_famille_qualite_terme (famille_id=?)" in p
                    for p in lectures
                ), plan
            else:
                plan = [r[0] for r in connexion.execute(text("EXPLAIN " + sql))]
                texte_plan = "\n".join(plan)
                assert "Seq Scan on indexrecherche" not in texte_plan, texte_plan
                assert " ix_indexrecherche_terme_qualite" in texte_plan, texte_plan


# Every first letter and digit, the surnames' first two and three letters, whole surnames and
# first names, phones' and family numbers' starts: the tiers of a one-word search (an
# equality, a surname's start, first names, conjoints, the rest; dense ones read in name
# order) give the ranking of every family, read whole.
def _prefixes(tout: Familles) -> list[str]:
    noms = sorted({n for gens in tout.gens.values() for n, _p in gens.values()})
    prenoms = sorted({p for gens in tout.gens.values() for _n, p in gens.values()})
    saisies = list("abcdefghijklmnopqrstuvwxyz0123456789")
    saisies += sorted({n[:2] for n in noms if len(n) >= 2})[:60]
    saisies += sorted({n[:3] for n in noms if len(n) >= 3})[::7]
    saisies += noms[::40] + prenoms[::40]
    saisies += ["06", "07", "061", "1001", "10010", "0005", "1001000", "0033"]
    return saisies


@pytest.fixture(scope="module")
def attendus_paliers(sqlite):
    with Session(sqlite) as session:
        tout = lire_tout(session)
    return {saisie: reference(tout, saisie)[0] for saisie in _prefixes(tout)}


@pytest.mark.parametrize("seuil", [1, 2000])
@pytest.mark.parametrize("moteur", ["sqlite", "postgresql"])
def test_paliers_comme_le_classement_complet(request, moteur, seuil, attendus_paliers):
    """`seuil` 1: every tier after the surnames read in name order, family by family;
    2000: every tier of this base read whole and sorted."""
    engine = request.getfixturevalue(moteur)
    with pytest.MonkeyPatch.context() as patch, Session(engine) as session:
        patch.setattr("modele.recherche.SEUIL_PARCOURS", seuil)
        differents = [
            saisie
            for saisie, meilleures in attendus_paliers.items()
            if [r.numero for r in rechercher(session, saisie)] != meilleures
        ]
    assert differents == []
    assert len(attendus_paliers) > 150
