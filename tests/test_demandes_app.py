"""Mon compte requests, the Demandes tab and the service's queue, driven from the keyboard."""

from __future__ import annotations

from sqlmodel import select
from textual.widgets import Checkbox, Input

from ecrans.decision import ChoixConflits, EcranDecision
from ecrans.famille import EcranFamille
from ecrans.file_demandes import EcranDemandesATraiter
from ecrans.formulaire_demande import FormulaireDemande
from ecrans.widgets import Confirmation
from modele.demandes import Demande, StatutDemande
from modele.famille import Famille, Responsable, RoleResponsable
from modele.journal import Journal
from tests.pilote import attendre, connecter, lignes, ouvrir_famille, saisir, texte

TAILLE = (150, 50)


async def remplacer(pilot, champ: str, valeur: str) -> None:
    """Focus a form field, clear it and type the new value as an agent would."""
    widget = pilot.app.screen.query_one(f"#champ-{champ}", Input)
    widget.focus()
    await pilot.pause()
    widget.value = ""
    await saisir(pilot, valeur)


def responsable_dupont(session) -> Responsable:
    famille = session.exec(select(Famille).where(Famille.numero == "1001001818331")).one()
    return session.exec(
        select(Responsable).where(
            Responsable.famille_id == famille.id, Responsable.role == RoleResponsable.RESPONSABLE
        )
    ).one()


def demandes_dupont(session) -> list[Demande]:
    famille = session.exec(select(Famille).where(Famille.numero == "1001001818331")).one()
    return list(
        session.exec(select(Demande).where(Demande.famille_id == famille.id).order_by(Demande.id))
    )


async def test_changement_d_adresse_par_telephone_puis_accepte_par_le_regisseur(
    fabrique_app, engine
):
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont")
        await pilot.press("ctrl+t")  # the parent is on the phone
        assert "Appel téléphonique en cours" in texte(app, "#bienvenue")
        await pilot.press("2", "r")
        assert isinstance(app.screen, FormulaireDemande)
        await remplacer(pilot, "adresse", "5 place du Capitole")
        await remplacer(pilot, "code_postal", "31000")
        await remplacer(pilot, "ville", "TOULOUSE")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EcranFamille)
        # Not applied yet: Mon compte still shows the old address; the request is pending.
        assert "12 RUE DES BONBONS" in texte(app, "#compte-responsable")
        await pilot.press("6")
        [attente] = lignes(app, "#demandes-attente")
        assert "5 place du Capitole" in " ".join(attente)
        assert "Téléphone" in attente
        await pilot.press("ctrl+t")  # end of the call: the recap to read back
        await pilot.pause()
        recap = texte(app, "#recap-appel")
        assert "Demande « Responsable » enregistrée" in recap
        assert "Adresse : 5 place du Capitole" in recap
        await pilot.press("escape")
    from modele.db import session as ouvrir

    with ouvrir(engine) as s:
        [demande] = [
            d
            for d in demandes_dupont(s)
            if d.statut == StatutDemande.EN_ATTENTE and d.type == "responsable"
        ]
        assert demande.canal == "telephone"
        # the whole address block, the unchanged parts included
        assert set(demande.valeurs) == {
            "adresse",
            "complement_adresse",
            "code_postal",
            "ville",
            "pays",
        }
        assert responsable_dupont(s).adresse == "12 RUE DES BONBONS"
        actions = [j.action for j in s.exec(select(Journal).where(Journal.objet == "appel"))]
        assert actions == ["appel debute", "appel termine"]

    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        assert "à traiter" in app.sub_title
        await pilot.press("f2")
        assert isinstance(app.screen, EcranDemandesATraiter)
        rang = next(
            i
            for i, ligne in enumerate(lignes(app, "#file-demandes"))
            if ligne[2] == "1001001818331" and "Capitole" in ligne[8]
        )
        table = app.screen.query_one("#file-demandes")
        table.move_cursor(row=rang)
        await pilot.press("enter")
        assert isinstance(app.screen, EcranDecision)
        champs = lignes(app, "#decision-champs")
        assert [
            "Adresse",
            "12 RUE DES BONBONS",
            "12 RUE DES BONBONS",
            "5 place du Capitole",
            "",
        ] in champs
        await pilot.press("a")
        await pilot.pause()
        assert "Acceptée le" in texte(app, "#decision-statut")
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, EcranFamille)
        await pilot.press("2")
        assert "Adresse : 5 place du Capitole" in texte(app, "#compte-responsable")
        await pilot.press("6")
        acceptees = lignes(app, "#demandes-acceptees")
        assert any("5 place du Capitole" in " ".join(ligne) for ligne in acceptees)


async def test_refus_avec_motif(fabrique_app, engine):
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await ouvrir_famille(pilot, "dupont")
        await pilot.press("2", "a")  # Informations CAF
        await remplacer(pilot, "numero_allocataire", "1234567")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("6", "t", "t", "t", "t")  # filter: CAF
        assert "type : CAF" in texte(app, "#demandes-vue")
        app.screen.query_one("#demandes-attente").focus()
        await pilot.press("enter")
        assert isinstance(app.screen, EcranDecision)
        await pilot.press("r")
        await pilot.press("enter")  # empty reason refused at the field
        assert texte(app, "#erreur-motif") == "Le motif du refus est obligatoire."
        await saisir(pilot, "Attestation CAF manquante")
        await pilot.press("enter")
        await pilot.pause()
        assert "Refusée le" in texte(app, "#decision-statut")
        await pilot.press("escape")
        await pilot.pause()
        [refusee] = lignes(app, "#demandes-refusees")
        assert "Attestation CAF manquante" in refusee


async def test_champs_invalides_refuses_au_champ_rien_enregistre(fabrique_app, engine):
    from modele.db import session as ouvrir

    with ouvrir(engine) as s:
        avant = len(demandes_dupont(s))
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont")
        await pilot.press("2", "b")
        await remplacer(pilot, "iban", "FR76 3000 6000 0112 3456 7890 188")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormulaireDemande)
        assert "clé de contrôle" in texte(app, "#erreur-iban")
        assert (
            app.screen.query_one("#champ-iban", Input).value == "FR76 3000 6000 0112 3456 7890 188"
        )
        await pilot.press("escape")  # what was typed is lost only once the agent says so
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        await pilot.press("o")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))
        await pilot.press("r")
        await remplacer(pilot, "telephone_domicile", "01 02 03")
        await remplacer(pilot, "code_postal", "3140")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Numéro de téléphone invalide" in texte(app, "#erreur-telephone_domicile")
        assert "Code postal invalide" in texte(app, "#erreur-code_postal")
        assert "rien n'a été enregistré" in texte(app, "#form-erreur")
        # Correct the fields: « Corrigez les champs signalés » goes with the last message
        # (it stayed under a form with nothing left signalled); the phone is normalised,
        # and the request is saved.
        await remplacer(pilot, "telephone_domicile", "0561000000")
        await attendre(pilot, lambda: texte(app, "#erreur-telephone_domicile") == "")
        assert "rien n'a été enregistré" in texte(app, "#form-erreur")
        await remplacer(pilot, "code_postal", "31400")
        await attendre(pilot, lambda: texte(app, "#form-erreur") == "")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EcranFamille)
        # A form without change saves nothing and says so.
        await pilot.press("f", "ctrl+s")
        await pilot.pause()
        assert "Aucune modification" in texte(app, "#form-erreur")
        # A filled field left unchanged: the message, not a field's, stays.
        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))
        await pilot.press("r")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireDemande))
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: "Aucune modification" in texte(app, "#form-erreur"))
        rempli = next(
            i for i in app.screen.query(Input) if (i.id or "").startswith("champ-") and i.value
        )
        rempli.focus()
        await pilot.pause()
        await pilot.press("tab")
        await attendre(pilot, lambda: not rempli.has_focus)
        await pilot.pause()
        assert "Aucune modification" in texte(app, "#form-erreur")
    with ouvrir(engine) as s:
        nouvelles = demandes_dupont(s)[avant:]
        assert [d.valeurs for d in nouvelles] == [
            {"telephone_domicile": ["01 02 03 04 05", "05 61 00 00 00"]}
        ]


async def test_conflit_champ_par_champ(fabrique_app, engine):
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await ouvrir_famille(pilot, "dupont")
        for adresse in ("1 rue Alpha", "2 rue Beta"):
            await pilot.press("2", "r")
            await remplacer(pilot, "adresse", adresse)
            await pilot.press("ctrl+s")
            await pilot.pause()
        await pilot.press("6")
        app.screen.query_one("#demandes-attente").focus()
        attente = lignes(app, "#demandes-attente")
        premiere = next(i for i, ligne in enumerate(attente) if "1 rue Alpha" in " ".join(ligne))
        seconde = next(i for i, ligne in enumerate(attente) if "2 rue Beta" in " ".join(ligne))
        app.screen.query_one("#demandes-attente").move_cursor(row=premiere)
        await pilot.press("enter", "a", "escape")
        await pilot.pause()
        attente = lignes(app, "#demandes-attente")
        seconde = next(i for i, ligne in enumerate(attente) if "2 rue Beta" in " ".join(ligne))
        app.screen.query_one("#demandes-attente").focus()
        app.screen.query_one("#demandes-attente").move_cursor(row=seconde)
        await pilot.press("enter")
        champs = lignes(app, "#decision-champs")
        assert [
            "Adresse",
            "1 rue Alpha",
            "12 RUE DES BONBONS",
            "2 rue Beta",
            "modifié depuis",
        ] in champs
        await pilot.press("a")
        assert isinstance(app.screen, ChoixConflits)
        app.screen.query_one("#conflit-bloc-adresse", Checkbox).value = True
        await pilot.click("#valider")
        await pilot.pause()
        assert "Acceptée le" in texte(app, "#decision-statut")
    from modele.db import session as ouvrir

    with ouvrir(engine) as s:
        assert responsable_dupont(s).adresse == "2 rue Beta"


async def test_agent_d_accueil_ne_peut_pas_decider(fabrique_app, engine):
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)  # accueil
        await pilot.press("f2")
        assert "Lecture seule" in texte(app, "#file-lecture-seule")
        await pilot.press("enter")
        assert isinstance(app.screen, EcranDecision)
        await pilot.press("a")
        await pilot.pause()
        assert "Lecture seule" in texte(app, "#decision-lecture-seule")
        assert "Statut : En attente" in texte(app, "#decision-infos")


async def test_mot_de_passe_portail(fabrique_app, engine):
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont")
        await pilot.press("2", "m")
        app.screen.query_one("#mdp-saisi", Input).focus()
        await saisir(pilot, "abc")
        assert "8 caractères minimum" in texte(app, "#mdp-erreur")
        await pilot.press("enter")
        assert "Mot de passe refusé" in texte(app, "#mdp-erreur")
        await pilot.click("#generer")
        affiche = texte(app, "#mdp-temporaire")
        assert "affiché une seule fois" in affiche
        await pilot.press("escape")  # "abc" typed and not saved: lost once the agent says so
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        await pilot.press("o")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))
        assert "Mot de passe à changer : Oui" in texte(app, "#compte-portail")


async def test_deux_postes_sur_la_meme_fiche(fabrique_app, engine):
    """Another counter changes the phone while this agent types: told at the field, what was
    typed is kept, and a second save confirms it."""
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont")
        await pilot.press("2", "r")
        await remplacer(pilot, "telephone_domicile", "05 61 11 22 33")
        from modele.db import session as ouvrir

        with ouvrir(engine) as s:  # the other counter, meanwhile
            r = responsable_dupont(s)
            r.telephone_domicile = "05 61 99 99 99"
            s.add(r)
            s.commit()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormulaireDemande)
        assert "c'est maintenant « 05 61 99 99 99 »" in texte(app, "#erreur-telephone_domicile")
        assert app.screen.query_one("#champ-telephone_domicile", Input).value == "05 61 11 22 33"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, FormulaireDemande)
    with ouvrir(engine) as s:
        derniere = demandes_dupont(s)[-1]
        assert derniere.valeurs == {"telephone_domicile": ["05 61 99 99 99", "05 61 11 22 33"]}


async def test_formulaire_ouvert_sans_erreur_avant_la_saisie(fabrique_app):
    """A request form opens with no message under its fields: « obligatoire » is said when
    the agent saves (or empties a field he typed in), not because the focus moved at the
    opening (« Ajouter une personne autorisée » opened with « « Nom » est obligatoire. »)."""
    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "1001001818331")
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireDemande))
        for _ in range(5):
            await pilot.pause()
        erreurs = [
            e for e in app.screen.query(".champs Static") if (e.id or "").startswith("erreur-")
        ]
        assert erreurs and not any(e.display and str(e.content) for e in erreurs)
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: "obligatoire" in texte(app, "#erreur-nom"))
        assert isinstance(app.screen, FormulaireDemande)


async def test_le_canal_d_une_demande_ne_devient_pas_celui_des_suivantes(fabrique_app, engine):
    """« Téléphone » chosen in one form, no call in progress: that request only. The next
    form opens on « Guichet », and a booking from the planning grid (which asks no
    channel) is recorded at the counter, not by phone without anyone seeing it."""
    from textual.widgets import RadioButton

    from modele.db import session as ouvrir

    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont")
        await pilot.press("2", "r")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireDemande))
        await remplacer(pilot, "ville", "TOULOUSE")
        app.screen.query_one("#canal-telephone", RadioButton).value = True
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))
        assert app.contexte().canal == "guichet"
        await pilot.press("f")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireDemande))
        assert app.screen.query_one("#canal-guichet", RadioButton).value
    with ouvrir(engine) as s:
        canaux = [d.canal for d in demandes_dupont(s) if d.type == "responsable"]
        assert canaux[-1] == "telephone"


async def test_apres_une_decision_la_file_reste_a_sa_place(fabrique_app):
    """F2: the third request refused, back in the queue the cursor is on the request that
    took its place, not on the first one."""
    from ecrans.widgets import SaisieMotif

    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await pilot.press("f2")
        await attendre(pilot, lambda: isinstance(app.screen, EcranDemandesATraiter))
        file = app.screen.query_one("#file-demandes")
        await attendre(pilot, lambda: file.row_count > 4 and file.has_focus)
        avant = [ligne[:5] for ligne in lignes(app, "#file-demandes")[:5]]
        await pilot.press("down", "down")
        assert file.cursor_row == 2
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, EcranDecision))
        await pilot.press("r")
        await attendre(pilot, lambda: isinstance(app.screen, SaisieMotif))
        await saisir(pilot, "Pièce justificative manquante")
        await pilot.press("enter")
        await attendre(pilot, lambda: "Refusée le" in texte(app, "#decision-statut"))
        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, EcranDemandesATraiter))
        await attendre(pilot, lambda: file.get_row_at(2)[:5] == avant[3])
        assert file.cursor_row == 2


async def test_retirer_nomme_la_demande(fabrique_app):
    """x in Demandes: the question names the request to withdraw (it said « cette
    demande »), then withdraws it."""
    from ecrans.compat_textual import notifications

    app = fabrique_app()
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))
        await pilot.press("2", "r")  # a request to withdraw
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireDemande))
        await remplacer(pilot, "ville", "TOULOUSE")
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))
        await pilot.press("6")
        attente = app.screen.query_one("#demandes-attente")
        await attendre(pilot, lambda: attente.row_count > 0)
        attente.focus()
        await pilot.pause()
        ligne = dict(zip(attente.colonnes, attente.get_row_at(attente.cursor_row), strict=False))
        await pilot.press("x")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        question = app.screen.question
        assert question.startswith(f"Retirer la demande « {ligne['Type']} » du "), question
        assert ligne["Date demande"] in question
        await pilot.press("o")
        await attendre(
            pilot, lambda: "Demande retirée à la demande du parent." in notifications(app)
        )
