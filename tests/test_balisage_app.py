"""Text a person typed is data, never markup (issue 13, point 5): square brackets and angle
brackets in names, addresses, messages, reasons, payments, health data and the journal show
as typed on every screen, in the palette and in the notifications, and never crash the app."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select
from textual.geometry import Region
from textual.widget import Widget

from ecrans.table import TableLignes
from modele.agents import Agent
from modele.base import Canal, Contexte
from modele.db import session as ouvrir
from modele.demandes import TypeDemande, creer_demande, refuser_demande
from modele.famille import Enfant, Famille, PersonneAutorisee, Responsable, RoleResponsable
from modele.journal import journaliser
from modele.messages import envoyer
from modele.quotient import QuotientFamilial
from modele.recherche import indexer_famille
from modele.reglements import ModeReglement, encaisser
from modele.structure import Regie
from tests.conftest import REFERENCE
from tests.pilote import connecter, saisir

TAILLE = (200, 60)
KG = "Tarif cantine [/kg] : 3 €"  # a closing tag with no opening one: MarkupError
CLIC = "[@click=app.quit]"  # an action link
GRAS = "[b]gras[/b]"  # a style that would swallow its tags
ROUGE = "[red]"
PDF = "<b>&amp;</b>"  # reportlab's markup
TOUS = (KG, CLIC, GRAS, ROUGE, PDF)


def contexte(agent_id: int | None = None) -> Contexte:
    return Contexte(
        agent_id=agent_id,
        tache="" if agent_id else "tests",  # without an agent: the tests' system context
        canal=Canal.GUICHET,
        aujourdhui=REFERENCE,
        horloge=lambda: dt.datetime.combine(REFERENCE, dt.time(9)),
    )


def semer(engine) -> dict[str, int]:
    """DUPONT JEAN's file, with hostile text wherever a person types some."""
    with ouvrir(engine) as s:
        famille = s.exec(
            select(Famille)
            .join(Responsable)
            .where(Responsable.nom == "DUPONT", Responsable.prenoms == "JEAN")
        ).one()
        responsable = s.exec(
            select(Responsable).where(
                Responsable.famille_id == famille.id,
                Responsable.role == RoleResponsable.RESPONSABLE.value,
            )
        ).one()
        responsable.prenoms = f"JEAN {GRAS}"
        responsable.adresse = f"{CLIC} {PDF}"
        responsable.profession = KG
        responsable.employeur = ROUGE
        famille.nom_banque = KG
        famille.titulaire_compte = GRAS
        enfant = s.exec(select(Enfant).where(Enfant.famille_id == famille.id)).first()
        enfant.allergies = KG
        enfant.medecin = f"{CLIC} {ROUGE}"
        s.add(PersonneAutorisee(enfant_id=enfant.id, nom=GRAS, prenom=ROUGE, lien=KG))
        admin = s.exec(select(Agent).where(Agent.identifiant == "admin")).one()
        admin.nom = f"LEFEBVRE {ROUGE}"
        s.flush()
        indexer_famille(s, famille.id)
        c = contexte()
        message = envoyer(
            s, c, famille.id, KG, f"{KG}\n{CLIC} {GRAS} {ROUGE} {PDF}", de_la_famille=True
        )
        message.lu = False  # in the service's inbox (F3)
        creer_demande(
            s,
            c,
            famille.id,
            TypeDemande.RESPONSABLE,
            {"adresse": f"{CLIC} {ROUGE}"},
            commentaire=KG,
        )
        refusee = creer_demande(
            s, c, famille.id, TypeDemande.RESPONSABLE, {"employeur": PDF}, commentaire=CLIC
        )
        refuser_demande(s, c, refusee, GRAS)
        regie = s.exec(select(Regie)).first()
        reglement = encaisser(
            s,
            c,
            famille.id,
            regie.id,
            1234,
            ModeReglement.CHEQUE,
            REFERENCE,
            reference_paiement="0012345",
            banque=GRAS,
            payeur=KG,
            garder_en_avoir=True,
        )
        journaliser(
            s,
            contexte(admin.id),
            "note",
            "famille",
            famille.id,
            famille.id,
            avant={"note": CLIC},
            apres={"note": GRAS},
            detail=KG,
        )
        qf = s.exec(
            select(QuotientFamilial).where(QuotientFamilial.famille_id == famille.id)
        ).first()
        if qf is not None:
            qf.commentaire = ROUGE
        s.commit()
        return {"famille": famille.id, "message": message.id, "reglement": reglement.id}


def affiche(app) -> str:
    """What the current screen's shown widgets draw, each whole (scrolled out or not)."""
    lignes = []
    for widget in app.screen.query("*").results(Widget):
        if widget.children or not all(
            n.display for n in widget.ancestors_with_self if isinstance(n, Widget)
        ):
            continue
        # its borders included, and the rows of a table below its height
        largeur = widget.outer_size.width
        hauteur = widget.outer_size.height + max(0, widget.virtual_size.height - widget.size.height)
        if largeur and hauteur:
            lignes += [
                strip.text.rstrip() for strip in widget.render_lines(Region(0, 0, largeur, hauteur))
            ]
    return "\n".join(ligne for ligne in lignes if ligne.strip())


async def attendre(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def verifier(app, *attendus: str) -> None:
    vu = affiche(app)
    for attendu in attendus:
        assert attendu in vu, f"{attendu!r} absent de {type(app.screen).__name__} :\n{vu}"


async def test_le_texte_saisi_s_affiche_tel_quel(fabrique_app, engine):
    ids = semer(engine)
    app = fabrique_app()
    async with app.run_test(size=TAILLE, notifications=True) as pilot:
        await connecter(pilot, "admin", "Admin2026")
        await pilot.press("f3")  # the service's inbox, before the message is read
        await attendre(pilot)
        verifier(app, KG, GRAS)
        await pilot.press("escape")
        await attendre(pilot)

        await saisir(pilot, "dupont jean")
        await attendre(pilot)
        verifier(app, GRAS)  # the search results
        await pilot.press("enter")
        await attendre(pilot)
        verifier(app, GRAS)  # the header and the Accueil
        attendus = {
            "2": (GRAS, CLIC, PDF, KG, ROUGE),  # Mon compte
            "3": (KG, CLIC, ROUGE, GRAS),  # Mes enfants: health, people allowed
            "4": (),  # Relevé: the payment's detail below
            "5": (KG,),  # Boîte de réception
            "6": (GRAS, CLIC, PDF),  # Demandes: refusal reason, the new values
            "7": (),  # Quotient familial
        }
        for touche, textes in attendus.items():
            await pilot.press(touche)
            await attendre(pilot)
            verifier(app, *textes)
        await pilot.press("5")
        await attendre(pilot)
        await pilot.press("enter")  # read the message
        await attendre(pilot)
        verifier(app, KG, CLIC, GRAS, ROUGE, PDF)

        await pilot.press("4")
        await attendre(pilot)

        operations = app.screen.query_one("#releve-operations", TableLignes)
        rang = next(
            i for i in range(operations.row_count) if operations.cle_de(i) == f"r{ids['reglement']}"
        )
        operations.focus()
        operations.move_cursor(rang)
        await attendre(pilot)
        await pilot.press("enter")
        await attendre(pilot)
        assert type(app.screen).__name__ == "DetailReglement"
        verifier(app, KG, GRAS)  # payer and bank
        await pilot.press("escape")
        await attendre(pilot)

        await pilot.press("f2")  # the queue of requests
        await attendre(pilot)
        verifier(app, GRAS, CLIC, ROUGE)
        file = app.screen.query_one("#file-demandes", TableLignes)
        file.move_cursor(row=file.row_count - 1)  # the newest: DUPONT's
        await pilot.press("enter")  # the request's decision screen
        await attendre(pilot)
        verifier(app, KG, CLIC, ROUGE)
        await pilot.press("escape")
        await attendre(pilot)
        await pilot.press("escape")
        await attendre(pilot)

        await pilot.press("f9")  # the journal
        await attendre(pilot)
        verifier(app, KG, ROUGE)
        await pilot.press("escape")
        await attendre(pilot)

        await pilot.press("ctrl+p")  # the palette's family search
        await attendre(pilot)
        await saisir(pilot, "dupont")
        await attendre(pilot)
        for _ in range(50):
            if GRAS in affiche(app):
                break
            await pilot.pause()
        verifier(app, GRAS)
        await pilot.press("escape")
        await attendre(pilot)

        app.screen.notify(f"Message « {KG} » {CLIC}")  # a notification quoting typed text
        await attendre(pilot)
        verifier(app, KG, CLIC)
    assert app.return_code in (None, 0)
