"""Demandes: what a family (or an agent on its behalf) asks to change or book, and its fate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, SQLModel, col, func, or_, select

from modele.agents import exiger
from modele.base import Canal, Contexte, ErreurMetier, fin_de_mois
from modele.famille import BLOC_ADRESSE, designer_payeur, payeur
from modele.formulaires import FORMULAIRES, ErreursSaisie, detail_demande, en_texte
from modele.inscriptions import appliquer_personne, creer_enfant
from modele.journal import journaliser, libelle_action
from modele.quotient import decider_qf
from modele.recherche import indexer_famille
from modele.reservations import annuler_cellules, appliquer_decision
from modele.tables.agents import Agent
from modele.tables.demandes import (  # noqa: F401  (re-exported: the area's tables)
    LIBELLES_TYPES,
    TYPES_ENFANTS,
    Appel,
    Demande,
    StatutDemande,
    TypeDemande,
)
from modele.tables.famille import Enfant, Famille, Responsable, RoleResponsable
from modele.tables.journal import Journal
from modele.tables.planning import Activite
from modele.tables.quotient import QuotientFamilial, StatutQF
from modele.tables.structure import Regie
from modele.validation import LONGUEUR_COMMENTAIRE, LONGUEUR_MOTIF, LONGUEUR_VALEUR, verifier_texte

# Which record a family-file request changes.
CIBLES = {
    TypeDemande.RESPONSABLE: "responsable",
    TypeDemande.CONJOINT: "conjoint",
    TypeDemande.FISCALES: "famille",
    TypeDemande.CAF: "famille",
    TypeDemande.BANCAIRES: "famille",
    TypeDemande.AUTORISATIONS: "enfant",
    TypeDemande.SANITAIRES: "enfant",
}


def _cible(session: Session, demande: Demande) -> SQLModel:
    """The record a request changes (see _fiche)."""
    return _fiche(session, TypeDemande(demande.type), demande.famille_id, demande.enfant_id)


def _fiche(
    session: Session, type_demande: TypeDemande, famille_id: int, enfant_id: int | None
) -> SQLModel:
    """The record a request of this type changes, for this family (and child); a conjoint
    not yet recorded is a new, blank one."""
    nature = CIBLES.get(type_demande)
    if nature == "famille":
        return session.get_one(Famille, famille_id)
    if nature in ("responsable", "conjoint"):
        role = RoleResponsable.RESPONSABLE if nature == "responsable" else RoleResponsable.CONJOINT
        cible = session.exec(
            select(Responsable).where(
                Responsable.famille_id == famille_id, Responsable.role == role
            )
        ).first()
        if cible is None:
            cible = Responsable(
                famille_id=famille_id, role=role.value, nom="", prenoms="", payeur=False
            )
        return cible
    if nature == "enfant" and enfant_id is not None:
        return session.get_one(Enfant, enfant_id)
    raise ErreurMetier(
        f"Une demande « {type_demande.libelle} » ne modifie pas directement la fiche."
    )


def verifier_inchange(
    session,
    type_demande: TypeDemande,
    famille_id: int,
    enfant_id: int | None,
    vues: dict[str, str | bool],
) -> None:
    """Optimistic locking of a form: the fields the agent changed must still hold the values
    shown when the form opened; otherwise say, field by field, what another counter saved
    meanwhile (ErreursSaisie), so that nothing is overwritten silently."""
    cible = _fiche(session, type_demande, famille_id, enfant_id)
    champs = {c.nom: c for c in FORMULAIRES[type_demande][1]}
    erreurs, actuelles = {}, {}
    for nom, vue in vues.items():
        actuel = en_texte(champs[nom], getattr(cible, nom, None))
        if actuel != vue:
            actuelles[nom] = actuel
            affiche = (
                {True: "Oui", False: "Non"}.get(actuel, actuel)
                if isinstance(actuel, bool)
                else (actuel or "vide")
            )
            erreurs[nom] = (
                f"Modifié par un autre poste pendant la saisie : c'est maintenant "
                f"« {affiche} ». Vérifiez, puis enregistrez à nouveau."
            )
    if erreurs:
        raise ErreursSaisie(erreurs, actuelles)


def enregistrer_demande(
    session,
    contexte,
    famille_id: int,
    type_demande: TypeDemande,
    valeurs: dict[str, Any],
    *,
    enfant_id: int | None = None,
    commentaire: str = "",
    vues: dict[str, str | bool] | None = None,
):
    """A request from the form; `vues` (a change form: the values shown when it opened) is
    checked first, so that another counter's change meanwhile is not overwritten."""
    exiger(session, contexte, "servir_famille")
    if vues is not None:
        verifier_inchange(session, type_demande, famille_id, enfant_id, vues)
    return creer_demande(
        session,
        contexte,
        famille_id,
        type_demande,
        valeurs,
        enfant_id=enfant_id,
        commentaire=commentaire,
    )


def _en_json(valeur: Any) -> Any:
    return valeur.isoformat() if isinstance(valeur, dt.date) else valeur


def _depuis_json(modele: type[SQLModel], champ: str, valeur: Any) -> Any:
    annotation = str(modele.model_fields[champ].annotation)
    if valeur and "date" in annotation and isinstance(valeur, str):
        return dt.date.fromisoformat(valeur)
    return valeur


def creer_demande(
    session: Session,
    contexte: Contexte,
    famille_id: int,
    type: TypeDemande,
    nouvelles: dict[str, Any],
    enfant_id: int | None = None,
    commentaire: str = "",
) -> Demande:
    """Record a request holding only the fields that change (old and new value)."""
    exiger(session, contexte, "servir_famille")
    if type == TypeDemande.SANITAIRES:
        exiger(session, contexte, "voir_donnees_sante")
    commentaire = verifier_texte(
        commentaire, "commentaire", LONGUEUR_COMMENTAIRE, libelle="Le commentaire", multiligne=True
    )
    # The forms check each field with its own label first (modele.formulaires); this is the
    # writer's guard for any caller.
    nouvelles = {
        champ: verifier_texte(
            valeur, champ, LONGUEUR_VALEUR, libelle=f"« {champ.replace('_', ' ').capitalize()} »"
        )
        if isinstance(valeur, str)
        else valeur
        for champ, valeur in nouvelles.items()
    }
    if session.get(Famille, famille_id) is None:
        raise ErreurMetier("Cette famille n'existe plus.")
    demande = Demande(
        famille_id=famille_id,
        enfant_id=enfant_id,
        type=type.value,
        canal=str(contexte.canal),
        saisie_par=contexte.agent_id,
        cree_le=contexte.maintenant(),
        commentaire=commentaire,
    )
    if type in CIBLES:
        cible = _cible(session, demande)
        changes = {
            champ: [_en_json(getattr(cible, champ)), _en_json(valeur)]
            for champ, valeur in nouvelles.items()
            if getattr(cible, champ) != valeur
        }
        if not changes:
            raise ErreurMetier("Aucune modification : la demande n'a pas été enregistrée.")
        if isinstance(cible, Responsable) and set(changes) & set(BLOC_ADRESSE):
            # the whole address as it was, and as it will be
            bloc = {
                champ: changes.get(champ, [_en_json(getattr(cible, champ))] * 2)
                for champ in BLOC_ADRESSE
            }
            changes = bloc | {k: v for k, v in changes.items() if k not in bloc}
        demande.valeurs = changes
    elif type == TypeDemande.PAYEUR:
        demande.valeurs = _valeurs_payeur(session, contexte, famille_id, nouvelles)
    else:
        demande.valeurs = {k: _en_json(v) for k, v in nouvelles.items()}
        if type == TypeDemande.AJOUT_ENFANT and nouvelles.get("activites"):
            noms = session.exec(
                select(Activite.libelle)
                .where(col(Activite.id).in_(nouvelles["activites"]))
                .order_by(col(Activite.ordre))
            ).all()
            demande.valeurs["activites_souhaitees"] = ", ".join(noms)
    session.add(demande)
    session.flush()
    journaliser(
        session,
        contexte,
        "demande creee",
        "demande",
        demande.id,
        famille_id,
        apres={"type": type.value, "valeurs": demande.valeurs},
    )
    return demande


def _valeurs_payeur(
    session: Session, contexte: Contexte, famille_id: int, nouvelles: dict[str, Any]
) -> dict[str, Any]:
    """A payer request: the régie, the responsable chosen, and who pays today (to show
    "ancien → nouveau")."""

    try:
        regie_id, responsable_id = int(nouvelles["regie_id"]), int(nouvelles["responsable_id"])
    except (KeyError, TypeError, ValueError):
        raise ErreurMetier("Choisissez la régie et le payeur.", "responsable_id") from None
    regie = session.get(Regie, regie_id)
    personne = session.get(Responsable, responsable_id)
    if regie is None:
        raise ErreurMetier("Choisissez la régie.", "regie_id")
    if personne is None or personne.famille_id != famille_id:
        raise ErreurMetier("Le payeur doit être un responsable de la famille.", "responsable_id")
    actuel = payeur(session, famille_id, regie_id, contexte.maintenant())
    if actuel is not None and actuel.id == personne.id:
        raise ErreurMetier("Aucune modification : la demande n'a pas été enregistrée.")
    return {
        "regie_id": regie_id,
        "responsable_id": responsable_id,
        "regie": regie.libelle,
        "payeur": [actuel.nom_prenom if actuel else "", personne.nom_prenom],
    }


def conflits(session: Session, demande: Demande) -> dict[str, tuple[Any, Any, Any]]:
    """Fields whose current value is no longer the one the request started from:
    {champ: (ancienne valeur de la demande, valeur actuelle, nouvelle valeur demandée)}."""
    cible = _cible(session, demande)
    trouves = {}
    for champ, (ancien, nouveau) in demande.valeurs.items():
        actuel = _en_json(getattr(cible, champ))
        if actuel != ancien:
            trouves[champ] = (ancien, actuel, nouveau)
    if set(trouves) & set(BLOC_ADRESSE):
        # one part of the address changed: the whole block is to decide
        for champ in BLOC_ADRESSE:
            if champ in demande.valeurs and champ not in trouves:
                ancien, nouveau = demande.valeurs[champ]
                trouves[champ] = (ancien, _en_json(getattr(cible, champ)), nouveau)
    return trouves


def _verifier_bloc(en_conflit: dict[str, tuple[Any, Any, Any]], retenus: dict[str, Any]) -> None:
    """An address in conflict is kept or replaced whole, never mixed."""
    bloc = [c for c in BLOC_ADRESSE if c in en_conflit and c in retenus]
    if not bloc:
        return
    tout_nouveau = all(retenus[c] == en_conflit[c][2] for c in bloc)
    tout_actuel = all(retenus[c] == en_conflit[c][1] for c in bloc)
    if not (tout_nouveau or tout_actuel):
        raise ErreurMetier(
            "L'adresse se garde ou se remplace en entier (rue, complément, "
            "code postal, ville, pays).",
            "adresse",
        )


def _doit_etre_en_attente(demande: Demande) -> None:
    if demande.statut != StatutDemande.EN_ATTENTE:
        raise ErreurMetier(
            f"Cette demande est déjà {StatutDemande(demande.statut).libelle.lower()}."
        )


def _demande(session: Session, demande: Demande | int) -> Demande:
    """The request itself, given or by id (a screen passes the id: the row is read again
    in the action's own transaction)."""
    if isinstance(demande, Demande):
        return demande
    trouvee = session.get(Demande, demande)
    if trouvee is None:
        raise ErreurMetier("Cette demande n'existe plus.")
    return trouvee


def accepter_demande(
    session: Session,
    contexte: Contexte,
    demande: Demande | int,
    champs_retenus: dict[str, Any] | None = None,
) -> None:
    """Apply the request's new values to the record and stamp who and when.

    `champs_retenus` is the agent's decision on conflicting fields; without it, any
    conflict refuses the action so that nothing is overwritten silently.
    """
    exiger(session, contexte, "decider_demande")  # (before reading the request)
    demande = _demande(session, demande)
    if demande.type == TypeDemande.SANITAIRES:
        exiger(session, contexte, "voir_donnees_sante")
    _doit_etre_en_attente(demande)
    if demande.type in (TypeDemande.RESERVATION, TypeDemande.ABSENCE):
        appliquer_decision(session, demande, acceptee=True)
        _decidee(session, contexte, demande, StatutDemande.ACCEPTEE)
        return
    if demande.type == TypeDemande.QUOTIENT_FAMILIAL:
        decider_qf(session, contexte, demande, acceptee=True)
        _decidee(session, contexte, demande, StatutDemande.ACCEPTEE)
        return
    if demande.type == TypeDemande.PAYEUR:
        designer_payeur(
            session,
            contexte,
            demande.famille_id,
            demande.valeurs["regie_id"],
            demande.valeurs["responsable_id"],
        )
        _decidee(session, contexte, demande, StatutDemande.ACCEPTEE)
        return
    if demande.type in (TypeDemande.AJOUT_ENFANT, TypeDemande.PERSONNES_AUTORISEES):
        if demande.type == TypeDemande.AJOUT_ENFANT:
            enfant = creer_enfant(session, contexte, demande.famille_id, demande.valeurs)
            demande.enfant_id = enfant.id
        elif demande.enfant_id is None:
            raise ErreurMetier("Cette demande ne désigne pas d'enfant.")
        else:
            appliquer_personne(session, contexte, demande.enfant_id, demande.valeurs)
        _decidee(session, contexte, demande, StatutDemande.ACCEPTEE)
        return
    cible = _cible(session, demande)
    en_conflit = conflits(session, demande)
    retenus = champs_retenus or {}
    non_tranches = set(en_conflit) - set(retenus)
    if non_tranches:
        raise ErreurMetier(
            "La fiche a changé depuis la demande : " + ", ".join(sorted(non_tranches)) + "."
        )
    _verifier_bloc(en_conflit, retenus)
    avant = {}
    for champ, (_ancien, nouveau) in demande.valeurs.items():
        valeur = retenus.get(champ, nouveau)
        avant[champ] = _en_json(getattr(cible, champ))
        setattr(cible, champ, _depuis_json(type(cible), champ, valeur))
    session.add(cible)
    session.flush()
    if isinstance(cible, Responsable):
        indexer_famille(session, demande.famille_id)  # names and phones are searched
    famille = session.get_one(Famille, demande.famille_id)
    famille.version += 1
    session.add(famille)
    demande.statut = StatutDemande.ACCEPTEE.value
    demande.decide_par = contexte.agent_id
    demande.decide_le = contexte.maintenant()
    session.add(demande)
    journaliser(
        session,
        contexte,
        "demande acceptee",
        "demande",
        demande.id,
        demande.famille_id,
        avant=avant,
        apres={k: _en_json(getattr(cible, k)) for k in avant},
    )


def _decidee(session: Session, contexte: Contexte, demande: Demande, statut: StatutDemande) -> None:
    demande.statut = statut.value
    demande.decide_par = contexte.agent_id
    demande.decide_le = contexte.maintenant()
    session.add(demande)
    journaliser(
        session, contexte, f"demande {statut.value}", "demande", demande.id, demande.famille_id
    )


def refuser_demande(
    session: Session, contexte: Contexte, demande: Demande | int, motif: str
) -> None:
    exiger(session, contexte, "decider_demande")  # (before reading the request)
    demande = _demande(session, demande)
    if demande.type == TypeDemande.SANITAIRES:
        exiger(session, contexte, "voir_donnees_sante")
    _doit_etre_en_attente(demande)
    if not (motif or "").strip():
        raise ErreurMetier("Le motif du refus est obligatoire.", "motif")
    motif = verifier_texte(motif, "motif", LONGUEUR_MOTIF, libelle="Le motif")
    if demande.type in (TypeDemande.RESERVATION, TypeDemande.ABSENCE):
        appliquer_decision(session, demande, acceptee=False)
    if demande.type == TypeDemande.QUOTIENT_FAMILIAL:
        decider_qf(session, contexte, demande, acceptee=False, motif=motif.strip())
    demande.statut = StatutDemande.REFUSEE.value
    demande.motif_refus = motif.strip()
    demande.decide_par = contexte.agent_id
    demande.decide_le = contexte.maintenant()
    session.add(demande)
    journaliser(
        session,
        contexte,
        "demande refusee",
        "demande",
        demande.id,
        demande.famille_id,
        detail=demande.motif_refus,
    )


def retirer_demande(session: Session, contexte: Contexte, demande: Demande | int) -> None:
    """Withdraw a pending request at the parent's wish."""
    exiger(session, contexte, "servir_famille")
    demande = _demande(session, demande)
    _doit_etre_en_attente(demande)
    if demande.type in (TypeDemande.RESERVATION, TypeDemande.ABSENCE):
        annuler_cellules(session, demande)
    if demande.type == TypeDemande.QUOTIENT_FAMILIAL:
        # The declared QF goes with its request: not left « en cours » with no request.
        qf = session.get(QuotientFamilial, (demande.valeurs or {}).get("qf_id"))
        if qf is not None and qf.statut == StatutQF.EN_COURS:
            qf.statut = StatutQF.RETIRE.value
            qf.decide_par = contexte.agent_id
            qf.decide_le = contexte.maintenant()
            session.add(qf)
    demande.statut = StatutDemande.RETIREE.value
    demande.decide_le = contexte.maintenant()
    demande.decide_par = contexte.agent_id
    session.add(demande)
    journaliser(session, contexte, "demande retiree", "demande", demande.id, demande.famille_id)


def demandes_famille(
    session: Session, famille_id: int, depuis: dt.datetime | None = None
) -> list[Demande]:
    requete = select(Demande).where(Demande.famille_id == famille_id)
    if depuis is not None:
        requete = requete.where(Demande.cree_le >= depuis)
    return list(session.exec(requete.order_by(col(Demande.cree_le).desc())).all())


def debuter_appel(session: Session, contexte: Contexte, famille_id: int) -> Appel:
    exiger(session, contexte, "servir_famille")
    appel = Appel(famille_id=famille_id, agent_id=contexte.agent_id, debut=contexte.maintenant())
    session.add(appel)
    session.flush()
    journaliser(
        session, contexte.avec(canal=Canal.TELEPHONE), "appel debute", "appel", appel.id, famille_id
    )
    return appel


def terminer_appel(session: Session, contexte: Contexte, appel_id: int) -> list[str]:
    """End the call and return what was recorded during it, to read back to the parent."""
    exiger(session, contexte, "servir_famille")

    appel = session.get_one(Appel, appel_id)
    appel.fin = contexte.maintenant()
    lignes = session.exec(
        select(Journal)
        .where(
            Journal.famille_id == appel.famille_id,
            Journal.horodatage >= appel.debut,
            Journal.canal == Canal.TELEPHONE,
            Journal.action != "appel debute",
        )
        .order_by(col(Journal.id))
    ).all()
    # A child's request names the child: with two children, « Réservation : Garderie, 25/01 »
    # read back to the parent did not say whose.
    ids = [ligne.objet_id for ligne in lignes if ligne.objet == "demande" and ligne.objet_id]
    prenoms = {
        demande_id: enfant.premier_prenom
        for demande_id, enfant in session.exec(
            select(Demande.id, Enfant)
            .join(Enfant, col(Enfant.id) == Demande.enfant_id)
            .where(col(Demande.id).in_(ids))
        )
    }
    recap = []
    for ligne in lignes:
        texte = f"{ligne.horodatage:%H:%M} {libelle_action(ligne.action)}"
        apres = ligne.apres or {}
        if "type" in apres:
            libelle = TypeDemande(apres["type"]).libelle
            prenom = prenoms.get(ligne.objet_id) if ligne.objet == "demande" else None
            pour = f" pour {prenom}" if prenom else ""
            texte = f"{ligne.horodatage:%H:%M} Demande « {libelle} »{pour} enregistrée"
            if details := detail_demande(apres["type"], apres.get("valeurs", {}), nouvelles=True):
                texte += f" — {details}"
        elif ligne.detail:
            texte += f" — {ligne.detail}"
        recap.append(texte)
    appel.recapitulatif = "\n".join(recap)
    session.add(appel)
    journaliser(
        session,
        contexte.avec(canal=Canal.TELEPHONE),
        "appel termine",
        "appel",
        appel.id,
        appel.famille_id,
        apres={"debut": appel.debut.isoformat(), "fin": appel.fin.isoformat()},
        detail=appel.recapitulatif,
    )
    return recap


def nombre_en_attente(session: Session) -> int:
    return session.exec(
        select(func.count()).select_from(Demande).where(Demande.statut == StatutDemande.EN_ATTENTE)
    ).one()


@dataclass(frozen=True)
class LigneDemande:
    """A request with what the lists show beside it."""

    demande: Demande
    famille_numero: str
    famille_nom: str
    enfant: str
    saisie_par: str
    decide_par: str

    @property
    def type(self) -> TypeDemande:
        return TypeDemande(self.demande.type)


def _lignes(session: Session, requete) -> list[LigneDemande]:

    demandes = list(session.exec(requete))
    familles = {d.famille_id for d in demandes}
    enfants_ids = {d.enfant_id for d in demandes if d.enfant_id}
    agents_ids = {a for d in demandes for a in (d.saisie_par, d.decide_par) if a}
    numeros = dict(
        session.exec(select(Famille.id, Famille.numero).where(col(Famille.id).in_(familles))).all()
    )
    noms = {
        r.famille_id: r.nom_prenom
        for r in session.exec(
            select(Responsable).where(
                col(Responsable.famille_id).in_(familles),
                Responsable.role == RoleResponsable.RESPONSABLE,
            )
        )
    }
    prenoms = {
        e.id: e.premier_prenom
        for e in session.exec(select(Enfant).where(col(Enfant.id).in_(enfants_ids)))
    }
    agents = {
        a.id: a.nom_complet
        for a in session.exec(select(Agent).where(col(Agent.id).in_(agents_ids)))
    }
    return [
        LigneDemande(
            d,
            numeros.get(d.famille_id, ""),
            noms.get(d.famille_id, ""),
            prenoms.get(d.enfant_id, ""),
            agents.get(d.saisie_par, "La famille (portail)"),
            agents.get(d.decide_par, ""),
        )
        for d in demandes
    ]


def _a_traiter(requete, type: TypeDemande | None, canal: Canal | None):
    requete = requete.where(Demande.statut == StatutDemande.EN_ATTENTE)
    if type is not None:
        requete = requete.where(Demande.type == type)
    if canal is not None:
        requete = requete.where(Demande.canal == canal)
    return requete.order_by(col(Demande.cree_le), col(Demande.id))


def demandes_a_traiter(
    session: Session, type: TypeDemande | None = None, canal: Canal | None = None
) -> list[LigneDemande]:
    """Every pending request of every family, oldest first."""
    return _lignes(session, _a_traiter(select(Demande), type, canal))


def nombre_a_traiter(
    session: Session, type: TypeDemande | None = None, canal: Canal | None = None
) -> int:
    """How many requests `demandes_a_traiter` lists: a town's queue is thousands of
    requests, of which a screen reads a page at a time (`page_a_traiter`)."""
    requete = _a_traiter(select(func.count()).select_from(Demande), type, canal)
    return session.exec(requete.order_by(None)).one()


def page_a_traiter(
    session: Session,
    debut: int,
    nombre: int,
    type: TypeDemande | None = None,
    canal: Canal | None = None,
) -> list[LigneDemande]:
    """Rows debut… (`nombre` of them) of `demandes_a_traiter`."""
    return _lignes(session, _a_traiter(select(Demande), type, canal).offset(debut).limit(nombre))


def liste_demandes(
    session: Session,
    famille_id: int,
    depuis: dt.date | None,
    enfants: bool,
    type: TypeDemande | None = None,
) -> list[LigneDemande]:
    """The family's "Liste des demandes" (rule 7): those made since `depuis` (all when None),
    for the family file or for the children, newest first; pending ones whatever their age,
    and those decided since `depuis` (an old request accepted today was hidden)."""
    types = [t for t in TypeDemande if t.concerne_enfant == enfants]
    requete = select(Demande).where(Demande.famille_id == famille_id, col(Demande.type).in_(types))
    if type is not None:
        requete = requete.where(Demande.type == type)
    if depuis is not None:
        debut = dt.datetime.combine(depuis, dt.time())
        requete = requete.where(
            or_(
                col(Demande.cree_le) >= debut,
                col(Demande.statut) == StatutDemande.EN_ATTENTE,
                col(Demande.decide_le) >= debut,
            )
        )
    return _lignes(session, requete.order_by(col(Demande.cree_le).desc()))


def un_mois_avant(jour: dt.date) -> dt.date:
    """The same day a month earlier (31 March → 28/29 February)."""
    annee, mois = (jour.year, jour.month - 1) if jour.month > 1 else (jour.year - 1, 12)

    return dt.date(annee, mois, min(jour.day, fin_de_mois(annee, mois).day))


@dataclass(frozen=True)
class VueDecision:
    """A request as the deciding screen shows it: the line, the fields changed since it
    was made (pending changes to the file only), today's values of its fields."""

    ligne: LigneDemande
    conflits: dict[str, tuple[Any, Any, Any]]
    actuelles: dict[str, Any]


def conflits_a_trancher(session: Session, demande_id: int) -> dict[str, tuple[Any, Any, Any]]:
    demande = _demande(session, demande_id)
    if TypeDemande(demande.type) in CIBLES and demande.statut == StatutDemande.EN_ATTENTE:
        return conflits(session, demande)
    return {}


def vue_decision(session: Session, demande_id: int) -> VueDecision:
    [ligne] = _lignes(session, select(Demande).where(Demande.id == demande_id))
    d = ligne.demande
    actuelles = (
        {c: valeur_actuelle(session, d, c) for c in d.valeurs}
        if TypeDemande(d.type) in CIBLES
        else {}
    )
    return VueDecision(ligne, conflits_a_trancher(session, demande_id), actuelles)


def valeur_actuelle(session: Session, demande: Demande, champ: str) -> Any:
    """A field's value on the record today (JSON form, as stored in the request)."""
    return _en_json(getattr(_cible(session, demande), champ))
