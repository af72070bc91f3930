"""Boîte de réception through the app (issue 6): read, answer, delete and restore, a message
left by phone, the service's inbox, a message to several families."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select
from textual.widgets import Input, Select, TextArea

from ecrans.boite_service import EcranBoiteService
from ecrans.compat_textual import notifications
from ecrans.envoi_groupe import EnvoiGroupe
from ecrans.famille import EcranFamille
from ecrans.redaction import Redaction
from modele.db import session as ouvrir
from modele.famille import Famille
from modele.messages import Message, Sens
from tests.pilote import attendre, connecter, lignes, ouvrir_famille, texte

TAILLE = (150, 45)
JOUR = dt.date(2015, 5, 4)


async def ecrire(pilot, sujet: str | None, corps: str) -> None:
    ecran = pilot.app.screen
    assert isinstance(ecran, Redaction)
    if sujet is not None:
        ecran.query_one("#sujet", Input).value = sujet
    ecran.query_one("#corps", TextArea).text = corps
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_lire_repondre_supprimer_restaurer(fabrique_app, engine):
    app = fabrique_app(JOUR)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont jean")
        assert "vous avez 1 nouveau message" in texte(app, "#accueil-bienvenue")
        await pilot.press("5")
        [recu] = lignes(app, "#boite-messages")
        assert recu[1] == "La famille" and recu[3] == "Non"
        await pilot.press("enter")  # read it
        await pilot.pause()
        assert "vous n'avez aucun nouveau message" in texte(app, "#bienvenue")
        assert lignes(app, "#boite-messages")[0][3] == "Oui"
        await pilot.press("r")  # answer with a template
        ecran = app.screen
        modeles = ecran.query_one("#modele", Select)
        modeles.value = next(v for _, v in modeles._options if v is not Select.NULL)
        await pilot.pause()
        # The parent greeted as a letter would (it read « Bonjour DUPONT JEAN, »).
        premiere = ecran.query_one("#corps", TextArea).text.splitlines()[0]
        assert premiere in ("Bonjour Monsieur DUPONT,", "Bonjour JEAN DUPONT,"), premiere
        await pilot.press("ctrl+s")
        await pilot.pause()
        fil = texte(app, "#boite-message")
        assert "La famille" in fil and "Le service" in fil  # the thread shows both
        # the reply, from Envoyés, signed by its agent in the received thread too
        assert "Le service (service)" not in fil and "Le service (Sophie MARTIN)" in fil, fil
        await pilot.press("1")
        assert "vous n'avez aucun nouveau message" in texte(app, "#accueil-bienvenue")
        await pilot.press("5", "d")  # Envoyés: the answer is the newest
        envoyes = lignes(app, "#boite-messages")
        assert envoyes[0][2].startswith("RE : ")
        assert envoyes[0][3] == "—"  # not known to be read by the family (it said « Oui »)
        await pilot.press("s")  # delete the answer
        await pilot.pause()
        assert len(lignes(app, "#boite-messages")) == len(envoyes) - 1
        await pilot.press("d")  # Supprimés
        assert [m[2] for m in lignes(app, "#boite-messages")] == [envoyes[0][2]]
        await pilot.press("u")
        await pilot.pause()
        assert lignes(app, "#boite-messages") == []
        await pilot.press("s")  # an empty folder says so
        await attendre(pilot, lambda: "Aucun message dans « Supprimés »." in notifications(app))
    with ouvrir(engine) as s:
        reponse = s.exec(
            select(Message)
            .where(Message.sens == Sens.DU_SERVICE, Message.reponse_a_id.is_not(None))
            .order_by(Message.id.desc())
        ).first()
        assert reponse.reponse_a_id is not None and not reponse.supprime


async def test_message_laisse_par_telephone_et_boite_du_service(fabrique_app, engine):
    app = fabrique_app(JOUR)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont jean")
        await pilot.press("5", "l")
        await attendre(pilot, lambda: isinstance(app.screen, Redaction))
        # The footer says what the button says.
        touches = {
            b.binding.key: b.binding.description for b in app.screen.active_bindings.values()
        }
        assert touches["ctrl+s"] == "Enregistrer"
        await ecrire(pilot, "", "Lucas sera absent lundi.")  # empty subject: refused
        assert "obligatoire" in texte(app, "#erreur-sujet")
        # Shown under the field (`.erreur-champ` is hidden while empty).
        erreur = app.screen.query_one("#erreur-sujet")
        await attendre(pilot, lambda: erreur.region.height > 0)
        assert erreur.display and app.screen.region.contains_region(erreur.region)
        await ecrire(pilot, "Absence de Lucas", "Lucas sera absent lundi.")
        assert not isinstance(app.screen, Redaction)
        await pilot.press("escape")
        await pilot.press("f3")
        assert isinstance(app.screen, EcranBoiteService)
        app.screen.query_one("#boite-recherche", Input).value = "absence de lucas"
        await pilot.pause()
        [trouve] = lignes(app, "#boite-service")
        assert trouve[1] == "1001001818331"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EcranFamille)
    with ouvrir(engine) as s:
        message = s.exec(select(Message).where(Message.sujet == "Absence de Lucas")).one()
        assert (message.sens, message.canal) == (Sens.DE_LA_FAMILLE, "telephone")


async def test_message_a_plusieurs_familles(fabrique_app, engine):
    app = fabrique_app(dt.date(2026, 11, 27))
    with ouvrir(engine) as s:
        total = len(s.exec(select(Famille)).all())
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await pilot.press("f3", "ctrl+e")
        assert isinstance(app.screen, EnvoiGroupe)
        assert texte(app, "#envoi-apercu") == f"{total} familles destinataires"
        app.screen.query_one("#sujet", Input).value = "Fermeture du 11 décembre"
        app.screen.query_one("#corps", TextArea).text = "L'accueil sera fermé le 11 décembre."
        await pilot.press("ctrl+s", "o")
        await pilot.pause()
    with ouvrir(engine) as s:
        envoyes = s.exec(select(Message).where(Message.sujet == "Fermeture du 11 décembre")).all()
        assert len(envoyes) == total


async def test_dossiers_changes_en_rafale_sans_erreur(fabrique_app):
    """`d` typed three times at once: the first folder's row, highlighted late, was looked
    up in the next folder's messages (KeyError, an unexpected error shown to the agent)."""
    from textual import events

    app = fabrique_app(JOUR)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont jean")
        await pilot.press("5")
        await attendre(pilot, lambda: "[Reçus" in texte(app, "#boite-dossier"))
        for _ in range(4):
            app.post_message(events.Key("d", "d"))
        await attendre(pilot, lambda: "[Envoyés" in texte(app, "#boite-dossier"))
        await pilot.pause()
        assert not [m for m in notifications(app) if "Erreur inattendue" in m]


async def test_la_redaction_nomme_la_famille(fabrique_app):
    """A message written for a family names it (« Nouveau message à la famille » did not),
    as the QF declaration's title does, with the call in progress."""
    from ecrans.declaration_qf import EcranDeclarationQF

    app = fabrique_app(JOUR)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont jean")
        famille = "DUPONT JEAN — n° 1001001818331"
        for touche in ("n", "l"):
            await pilot.press("5", touche)
            await attendre(pilot, lambda: isinstance(app.screen, Redaction))
            assert famille in app.screen.titre, app.screen.titre
            await pilot.press("escape")
            await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))
        await pilot.press("ctrl+t")
        await attendre(pilot, lambda: app.appel_id is not None)
        await pilot.press("7", "d")
        await attendre(pilot, lambda: isinstance(app.screen, EcranDeclarationQF))
        assert f"famille {famille}   ☎ Appel en cours" in app.screen.title, app.screen.title
