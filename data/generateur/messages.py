"""Step « messages »: messages both ways between the families and the service, read and
unread, answered or not, some deleted; nothing read or deleted after the demo's today."""

from __future__ import annotations

import datetime as dt

from data import noms
from data.generateur.atelier import Atelier, FamilleGen
from modele.base import Canal
from modele.messages import Message, Sens


def generer_messages(a: Atelier, familles: list[FamilleGen]) -> int:
    """Two families in five wrote or were written to; returns how many messages."""
    r, ref = a.rng, a.reference
    premiers: list[dict] = []
    reponses: list[tuple[int, dict]] = []  # (the message answered, in premiers; the answer)
    etendue = (ref - a.debut).days
    for famille in familles:
        if r.random() >= 0.4:
            continue
        for _ in range(r.randint(1, 3)):
            recent = r.random() < 0.5
            recul = r.randint(1, 30) if recent else r.randint(1, etendue)
            jour = ref - dt.timedelta(days=recul)
            prenom = famille.enfants[0].prenom if famille.enfants else ""
            if r.random() < 0.7:
                message, reponse = _de_la_famille(a, famille, jour, prenom)
                premiers.append(message)
                if reponse is not None:
                    reponses.append((len(premiers) - 1, reponse))
            else:
                premiers.append(_du_service(a, famille, jour))
    limite = dt.datetime.combine(ref, dt.time(7))  # nothing is read after "today"
    for ligne in premiers + [ligne for _, ligne in reponses]:
        if ligne["lu_le"] is not None and ligne["lu_le"] > limite:
            ligne["lu"], ligne["lu_le"] = False, None
        if ligne["supprime_le"] is not None and ligne["supprime_le"] > limite:
            ligne["supprime"], ligne["supprime_le"] = False, None
    ids = a.inserer(Message, premiers, retour=True)
    a.inserer(Message, [dict(ligne, reponse_a_id=ids[i]) for i, ligne in reponses])
    return len(premiers) + len(reponses)


def _instant(a: Atelier, jour: dt.date, famille: bool) -> dt.datetime:
    """When a message is sent: a family writes in the evening too, the service in office
    hours."""
    heure = a.rng.randint(7, 22) if famille else a.rng.randint(8, 17)
    return dt.datetime.combine(jour, dt.time(heure, a.rng.randint(0, 59)))


def _de_la_famille(
    a: Atelier, famille: FamilleGen, jour: dt.date, prenom: str
) -> tuple[dict, dict | None]:
    """A family's message on the portal and, mostly after two days, the counter's answer."""
    r, ref = a.rng, a.reference
    sujet, corps, texte_reponse = r.choice(noms.SUJETS_FAMILLE)
    envoye = _instant(a, jour, True)
    repondu = (ref - jour).days > 2 and r.random() < 0.7
    lu = repondu or (ref - jour).days > 7 or r.random() < 0.3
    supprime = lu and r.random() < 0.05
    message = dict(
        famille_id=famille.id,
        sens=Sens.DE_LA_FAMILLE.value,
        sujet=sujet.format(enfant=prenom),
        corps=corps.format(enfant=prenom),
        envoye_le=envoye,
        lu=lu,
        lu_le=envoye + dt.timedelta(hours=r.randint(1, 40)) if lu else None,
        supprime=supprime,
        supprime_le=envoye + dt.timedelta(days=3) if supprime else None,
        reponse_a_id=None,
        agent_id=None,
        canal=Canal.PORTAIL.value,
    )
    if not repondu:
        return message, None
    rendu = envoye + dt.timedelta(hours=r.randint(2, 44))
    rendu = rendu.replace(hour=max(8, min(rendu.hour, 17)))
    lu_famille = r.random() < 0.8
    reponse = dict(
        famille_id=famille.id,
        sens=Sens.DU_SERVICE.value,
        sujet="RE : " + sujet.format(enfant=prenom),
        corps=texte_reponse,
        envoye_le=rendu,
        lu=lu_famille,
        lu_le=rendu + dt.timedelta(hours=5) if lu_famille else None,
        supprime=False,
        supprime_le=None,
        agent_id=a.agents["accueil"],
        canal=Canal.GUICHET.value,
    )
    return message, reponse


def _du_service(a: Atelier, famille: FamilleGen, jour: dt.date) -> dict:
    """A message from the service to the family (news, a reminder)."""
    r = a.rng
    sujet, corps = r.choice(noms.SUJETS_SERVICE)
    envoye = _instant(a, jour, False)
    lu = r.random() < 0.7
    supprime = lu and r.random() < 0.1
    return dict(
        famille_id=famille.id,
        sens=Sens.DU_SERVICE.value,
        sujet=sujet,
        corps=corps,
        envoye_le=envoye,
        lu=lu,
        lu_le=envoye + dt.timedelta(hours=6) if lu else None,
        supprime=supprime,
        supprime_le=envoye + dt.timedelta(days=2) if supprime else None,
        reponse_a_id=None,
        agent_id=a.agents["accueil"],
        canal=Canal.GUICHET.value,
    )
