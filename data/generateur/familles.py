"""Step « familles »: the generated families inserted in bulk, with their people, children,
authorised people, creation in the journal and search index; and the guides' seed family
joining the generated years."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from data import noms
from data.generateur.atelier import PAS_PROGRESSION, Atelier, EnfantGen, FamilleGen
from data.generateur.tirage import Tirage, tirer_famille
from modele.base import Canal
from modele.famille import Enfant, Famille, NiveauScolaire, PersonneAutorisee, Responsable
from modele.journal import Journal
from modele.recherche import IndexRecherche, TriRecherche, nom_de_tri, termes
from modele.reglements import ModeReglement

ETAPE_FAMILLES = "Familles"


def generer_familles(a: Atelier, nombre: int, exclus: set[str]) -> list[FamilleGen]:
    """Draw and insert `nombre` families (with their people, children and journal); their
    numbers avoid `exclus` (the seed families')."""
    tirage = a.rng.sample(range(10**7), nombre + len(exclus))
    numeros = [n for n in (f"100100{t:07d}" for t in tirage) if n not in exclus][:nombre]
    tirees: list[Tirage] = []
    for rang, numero in enumerate(numeros):
        if rang % PAS_PROGRESSION == 0:
            a.avancer(ETAPE_FAMILLES, rang, len(numeros))
        tirees.append(tirer_famille(a, numero))
    ids = _inserer_tirees(a, tirees)
    return _journaliser_et_indexer(a, ids, tirees)


def _inserer_tirees(a: Atelier, tirees: list[Tirage]) -> list[int]:
    """Insert the drawn rows; each person and child row gets its new id (and its
    family's); returns the families' ids."""
    ids = a.inserer(Famille, [t.famille for t in tirees], retour=True)
    personnes = [p for fid, t in zip(ids, tirees, strict=True) for p in _de(fid, t.personnes)]
    ids_p = a.inserer(Responsable, personnes, retour=True)
    enfants = [e for fid, t in zip(ids, tirees, strict=True) for e in _de(fid, t.enfants)]
    ids_e = a.inserer(Enfant, enfants, retour=True)
    for e, eid in zip(enfants, ids_e, strict=True):
        e["id"] = eid
    for p, pid in zip(personnes, ids_p, strict=True):
        p["id"] = pid
    a.inserer(
        PersonneAutorisee,
        [dict(enfant_id=e["id"], **p) for t in tirees for e in t.enfants for p in t.autorisees],
    )
    return ids


def _de(famille_id: int, lignes: list[dict]) -> list[dict]:
    """The rows, now of that family."""
    for ligne in lignes:
        ligne["famille_id"] = famille_id
    return lignes


def _journaliser_et_indexer(a: Atelier, ids: list[int], tirees: list[Tirage]) -> list[FamilleGen]:
    """Each family's creation in the journal (a data take-over by the administrator), its
    search terms and sort name; returns the families as the later steps need them."""
    resultat, journal, index, tris = [], [], [], []
    admin = a.agents["admin"]
    for i, (fid, t) in enumerate(zip(ids, tirees, strict=True)):
        journal.append(
            dict(
                horodatage=dt.datetime.combine(t.famille["cree_le"], dt.time(9))
                + dt.timedelta(seconds=i),
                agent_id=admin,
                canal=Canal.SYSTEME.value,
                action="creation",
                objet="famille",
                objet_id=fid,
                famille_id=fid,
                avant=None,
                apres=None,
                detail="Reprise des données",
            )
        )
        gens = [SimpleNamespace(**p) for p in t.personnes]
        enfants = [SimpleNamespace(**e) for e in t.enfants]
        mots = termes(SimpleNamespace(**t.famille), gens, enfants)
        index.extend(dict(terme=m, famille_id=fid, qualite=q) for m, q in sorted(mots.items()))
        tris.append(dict(famille_id=fid, nom=nom_de_tri(gens), numero=t.famille["numero"]))
        resultat.append(
            FamilleGen(
                id=fid,
                numero=t.famille["numero"],
                responsable_id=t.personnes[0]["id"],
                enfants=[
                    EnfantGen(e["id"], fid, e["date_naissance"], e["prenoms"].split()[0])
                    for e in t.enfants
                ],
                **t.traits,
            )
        )
    a.inserer(Journal, journal)
    a.inserer(IndexRecherche, index)
    a.inserer(TriRecherche, tris)
    return resultat


def famille_graine(
    a: Atelier, famille: Famille, responsable: Responsable, enfants: list[Enfant]
) -> FamilleGen:
    """A seed family joining the generated years: its children's class follows the date."""
    for enfant in enfants:
        age = a.annee - enfant.date_naissance.year
        if 3 <= age <= 10:
            maternelle = age <= 5
            niveau = NiveauScolaire.MATERNELLE if maternelle else NiveauScolaire.ELEMENTAIRE
            enfant.niveau = niveau.value
            ecoles = noms.ECOLES_MATERNELLES if maternelle else noms.ECOLES_ELEMENTAIRES
            enfant.ecole = ecoles[0]
            enfant.classe = noms.CLASSES[age]
        a.session.add(enfant)
    return FamilleGen(
        id=famille.id,
        numero=famille.numero,
        nom=f"{responsable.nom} {responsable.prenoms}",
        responsable_id=responsable.id,
        conjoint=True,
        organisme=famille.organisme,
        prelevement=False,
        mandat="",
        profil="ponctuel",
        mode=ModeReglement.CARTE,
        intensite=0.8,
        qf=30000,
        cree_le=famille.cree_le,
        enfants=[EnfantGen(e.id, famille.id, e.date_naissance, e.premier_prenom) for e in enfants],
        qf_auto=False,
    )
