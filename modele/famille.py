"""The family file: the family, its responsables (responsable and conjoint), its children."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Integer, bindparam
from sqlmodel import Session, col, select

from modele.agents import (
    exiger,
    hacher_mot_de_passe,
    mot_de_passe_temporaire,
    peut,
    verifier_politique,
)
from modele.base import Contexte, ErreurMetier
from modele.communes import commune, departement, pays_par_code
from modele.journal import journaliser
from modele.requetes import figee
from modele.tables.agents import Agent
from modele.tables.famille import (  # noqa: F401  (re-exported: the area's tables)
    Enfant,
    Famille,
    NiveauScolaire,
    Payeur,
    PersonneAutorisee,
    Responsable,
    RoleResponsable,
)
from modele.validation import verifier_texte

# An address is one block: a request on any part carries all of it, and is accepted or
# kept whole, so that two requests never mix into an address nobody asked for.
BLOC_ADRESSE = ("adresse", "complement_adresse", "code_postal", "ville", "pays")


def payeur_par_defaut(personnes: list[Responsable]) -> Responsable | None:
    """With no designation: the responsable marked payeur (the responsable before the
    conjoint), else the responsable."""
    ordre = sorted(personnes, key=lambda r: (r.role != RoleResponsable.RESPONSABLE, r.id or 0))
    return next((r for r in ordre if r.payeur), ordre[0] if ordre else None)


@dataclass
class CarnetPayeurs:
    """The payers of some families, to address many documents with one read."""

    designations: dict[tuple[int, int], list[tuple[dt.datetime, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    personnes: dict[int, list[Responsable]] = field(default_factory=lambda: defaultdict(list))

    def pour(self, famille_id: int, regie_id: int, moment: dt.datetime) -> Responsable | None:
        """The payer of a document of that régie issued at `moment`."""
        personnes = self.personnes.get(famille_id, [])
        par_id = {r.id: r for r in personnes}
        choisi = None
        for depuis, responsable_id in self.designations.get((famille_id, regie_id), []):
            if depuis <= moment and responsable_id in par_id:
                choisi = par_id[responsable_id]
        return choisi or payeur_par_defaut(personnes)


def carnet_payeurs(session: Session, famille_ids: list[int]) -> CarnetPayeurs:
    carnet = CarnetPayeurs()
    ids = sorted(set(famille_ids))
    for i in range(0, len(ids), 5_000):
        lot = ids[i : i + 5_000]
        for r in session.exec(select(Responsable).where(col(Responsable.famille_id).in_(lot))):
            carnet.personnes[r.famille_id].append(r)
        for p in session.exec(
            select(Payeur)
            .where(col(Payeur.famille_id).in_(lot))
            .order_by(col(Payeur.depuis), col(Payeur.id))
        ):
            carnet.designations[(p.famille_id, p.regie_id)].append((p.depuis, p.responsable_id))
    return carnet


def payeur(
    session: Session, famille_id: int, regie_id: int, moment: dt.datetime
) -> Responsable | None:
    """Who a document of that régie issued at `moment` is addressed to."""
    return carnet_payeurs(session, [famille_id]).pour(famille_id, regie_id, moment)


def designer_payeur(
    session: Session, contexte: Contexte, famille_id: int, regie_id: int, responsable_id: int
) -> Payeur:
    """The payer of a régie's invoices from now on (the next invoice; never issued ones)."""
    exiger(session, contexte, "modifier_fiche")
    personne = session.get(Responsable, responsable_id)
    if personne is None or personne.famille_id != famille_id:
        raise ErreurMetier("Ce payeur n'est pas un responsable de la famille.", "responsable")
    avant = payeur(session, famille_id, regie_id, contexte.maintenant())
    designation = Payeur(
        famille_id=famille_id,
        regie_id=regie_id,
        responsable_id=responsable_id,
        depuis=contexte.maintenant(),
    )
    session.add(designation)
    session.flush()
    journaliser(
        session,
        contexte,
        "payeur designe",
        "payeur",
        designation.id,
        famille_id,
        avant={"payeur": avant.nom_prenom if avant else ""},
        apres={"payeur": personne.nom_prenom, "regie_id": regie_id},
    )
    return designation


def age(naissance: dt.date, jour: dt.date) -> int:
    return jour.year - naissance.year - ((jour.month, jour.day) < (naissance.month, naissance.day))


def famille_par_numero(session: Session, numero: str) -> Famille:
    numero = verifier_texte(numero, "numero", 20, libelle="Le n° de famille")
    famille = session.exec(select(Famille).where(Famille.numero == numero)).first()
    if famille is None:
        raise ErreurMetier(f"Aucune famille n° {numero}.")
    return famille


def famille(session: Session, famille_id: int) -> Famille:
    trouvee = session.get(Famille, famille_id)
    if trouvee is None:
        raise ErreurMetier("Cette famille n'existe plus.")
    return trouvee


def responsables(
    session: Session, famille_id: int
) -> tuple[Responsable | None, Responsable | None]:
    """(responsable, conjoint) of a family, either may be missing."""
    lignes = session.exec(_responsables(), params={"famille": famille_id}).all()
    par_role = {r.role: r for r in lignes}
    return par_role.get(RoleResponsable.RESPONSABLE), par_role.get(RoleResponsable.CONJOINT)


def nom_et_enfant(session: Session, famille_id: int) -> tuple[str, str]:
    """What a message template fills in: how the responsable is greeted (« Bonjour Monsieur
    GUICHARD, », not the file's « GUICHARD Jean Thomas »), the only child's first name."""
    responsable, _ = responsables(session, famille_id)
    petits = enfants(session, famille_id)
    if responsable is None:
        salut = ""
    elif responsable.civilite:
        salut = f"{responsable.civilite} {responsable.nom}"
    else:
        salut = f"{responsable.premier_prenom} {responsable.nom}"
    return salut, petits[0].premier_prenom if len(petits) == 1 else ""


@figee
def _responsables() -> Any:
    return select(Responsable).where(
        col(Responsable.famille_id) == bindparam("famille", type_=Integer)
    )


@figee
def _enfants(actifs_seulement: bool) -> Any:
    requete = select(Enfant).where(col(Enfant.famille_id) == bindparam("famille", type_=Integer))
    if actifs_seulement:
        requete = requete.where(Enfant.actif == True)
    return requete.order_by(col(Enfant.date_naissance))


def enfants(session: Session, famille_id: int, actifs_seulement: bool = True) -> list[Enfant]:
    return list(session.exec(_enfants(actifs_seulement), params={"famille": famille_id}).all())


def definir_mot_de_passe_portail(
    session: Session, contexte: Contexte, famille_id: int, mot_de_passe: str, a_changer: bool = True
) -> None:
    """Set the family's portal password (policy of rule 1); the family must change it at
    next login unless `a_changer` is False."""
    exiger(session, contexte, "servir_famille")

    verifier_politique(mot_de_passe)
    famille = session.get_one(Famille, famille_id)
    famille.mot_de_passe_hash = hacher_mot_de_passe(mot_de_passe)
    famille.mot_de_passe_a_changer = a_changer
    if not famille.identifiant_portail:
        famille.identifiant_portail = famille.numero
    session.add(famille)
    journaliser(
        session,
        contexte,
        "mot de passe portail",
        "famille",
        famille_id,
        famille_id,
        apres={"mot_de_passe_a_changer": a_changer},
    )


def reinitialiser_mot_de_passe_portail(
    session: Session, contexte: Contexte, famille_id: int
) -> str:
    """A temporary password meeting the policy, to read to the parent once."""
    exiger(session, contexte, "servir_famille")

    temporaire = mot_de_passe_temporaire()
    definir_mot_de_passe_portail(session, contexte, famille_id, temporaire, a_changer=True)
    return temporaire


def valeurs_lieu_naissance(
    code_insee_commune: str = "", code_pays: str = "", lieu_etranger: str = ""
) -> dict[str, str]:
    """The birthplace fields of a responsable: a French commune, or a country and a place."""

    if code_insee_commune:
        trouvee = commune(code_insee_commune)
        if trouvee is None:
            raise ErreurMetier("Commune de naissance inconnue.", "commune")
        dep = departement(trouvee.departement)
        return {
            "pays_naissance": "FRANCE",
            "departement_naissance": dep.nom if dep else "",
            "commune_naissance": trouvee.nom,
            "code_insee_naissance": trouvee.code_insee,
            "lieu_naissance_etranger": "",
        }
    pays = pays_par_code().get(code_pays)
    if pays is None or code_pays == "99100":
        raise ErreurMetier("Choisissez le pays de naissance.", "pays")
    if not (lieu_etranger or "").strip():
        raise ErreurMetier("Le lieu de naissance est obligatoire.", "lieu")
    lieu = verifier_texte(lieu_etranger, "lieu", 100, libelle="Le lieu de naissance")
    return {
        "pays_naissance": pays.nom,
        "departement_naissance": "",
        "commune_naissance": "",
        "code_insee_naissance": code_pays,
        "lieu_naissance_etranger": lieu,
    }


def renseigner_lieu_naissance(
    session: Session, contexte: Contexte, responsable_id: int, valeurs: dict[str, str]
) -> None:
    """Fill a birthplace directly (a régisseur, at the counter, with the papers)."""

    exiger(session, contexte, "modifier_fiche")
    valeurs = {
        champ: verifier_texte(valeur, champ, 100, libelle="Le lieu de naissance")
        for champ, valeur in valeurs.items()
    }
    personne = session.get_one(Responsable, responsable_id)
    avant = {k: getattr(personne, k) for k in valeurs}
    for champ, valeur in valeurs.items():
        setattr(personne, champ, valeur)
    session.add(personne)
    famille = session.get_one(Famille, personne.famille_id)
    famille.version += 1
    session.add(famille)
    journaliser(
        session,
        contexte,
        "lieu de naissance",
        "responsable",
        responsable_id,
        personne.famille_id,
        avant=avant,
        apres=valeurs,
    )


CHAMPS_SANTE = (
    "lunettes",
    "allergies",
    "pai",
    "regime_alimentaire",
    "medecin",
    "telephone_medecin",
)
MASQUE = "(réservé)"


def enfants_visibles(
    session: Session, agent_id: int | None, enfants_: list[Enfant]
) -> list[Enfant]:
    """The children as this agent may see them: health data masked when the role does not
    allow it (copies; the records are untouched)."""

    agent = session.get(Agent, agent_id) if agent_id is not None else None
    if peut(agent, "voir_donnees_sante"):
        return enfants_
    masques = []
    for enfant in enfants_:
        copie = enfant.model_copy()
        copie.allergies = copie.regime_alimentaire = copie.medecin = MASQUE
        copie.telephone_medecin = MASQUE
        copie.lunettes = copie.pai = False
        masques.append(copie)
    return masques
