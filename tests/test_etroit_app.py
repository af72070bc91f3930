"""Every screen whole in an 80×24 terminal (issue #15): tables leave columns out by
priority, never the figures, and show what they leave out for the cursor's row; dialogs
keep their buttons on screen, their fields scrolling; ctrl+s saves a form."""

from __future__ import annotations

import pytest
from textual.widget import Widget
from textual.widgets import Button, DataTable, Footer, Input

from ecrans.decision import EcranDecision
from ecrans.encaissement import FormulaireEncaissement
from ecrans.file_demandes import EcranDemandesATraiter
from ecrans.pied import PiedDePage
from ecrans.table import TableLignes
from ecrans.widgets import Confirmation, SaisieMotif
from modele.demandes import CIBLES, TypeDemande
from tests.conftest import JOUR_SEED
from tests.pilote import attendre, connecter, lignes, ouvrir_famille, saisir, texte

PETIT = (80, 24)
GRAND = (120, 40)


def table(app, selecteur: str) -> TableLignes:
    return app.screen.query_one(selecteur, TableLignes)


def dessin(liste: TableLignes) -> list[str]:
    """The lines the list draws, header first, as text."""
    return [liste.render_line(y).text.rstrip() for y in range(liste.content_size.height)]


def ligne_du_curseur(liste: TableLignes) -> str:
    return dessin(liste)[1 + liste.cursor_row - liste._haut]


def rien_de_coupe(liste: TableLignes) -> None:
    """Every cell of the cursor's row shows whole: in its column or in the detail drawn."""
    vu = "\n".join(dessin(liste))
    debut = liste._y_detail
    detail = " ".join(ligne.strip() for ligne in dessin(liste)[debut : debut + liste._detail])
    ligne = ligne_du_curseur(liste)
    for colonne, cellule in zip(liste.colonnes, liste.get_row_at(liste.cursor_row), strict=True):
        if not cellule:
            continue
        if colonne in liste.colonnes_visibles and cellule in ligne:
            continue
        assert f"{colonne} : {cellule}" in " ".join(detail.split()), (colonne, cellule, vu)


@pytest.mark.parametrize("taille", [PETIT, GRAND])
async def test_recherche_etroite_garde_le_solde(fabrique_app, taille):
    app = fabrique_app()
    async with app.run_test(size=taille) as pilot:
        await connecter(pilot)
        await saisir(pilot, "a")
        resultats = table(app, "#resultats")
        await attendre(pilot, lambda: resultats.row_count > 5)
        assert "Solde" in resultats.colonnes_visibles
        assert "Responsable" in resultats.colonnes_visibles
        vus = dessin(resultats)
        assert vus[0].endswith("Solde"), vus[0]
        for rang, cellules in enumerate(lignes(app, "#resultats")):
            assert vus[1 + rang].endswith(cellules[5]), (vus[1 + rang], cellules)
        assert all(len(v) <= resultats.content_size.width for v in vus)
        if taille == PETIT:
            assert "Ville" not in resultats.colonnes_visibles
        # The cursor's row shows whole, its left-out columns in the detail line.
        await pilot.press("down", "down", "down")
        assert resultats.has_focus and resultats.cursor_row == 2
        rien_de_coupe(resultats)
        if "Ville" not in resultats.colonnes_visibles:
            ville = resultats.get_row_at(2)[4]
            assert ville and f"Ville : {ville}" in resultats.detail


async def test_liste_plus_longue_que_l_ecran_et_detail(fabrique_app):
    """Rows scrolled with their cursor: the detail line stays under the rows shown and
    follows the cursor; the header and the detail are never taken for a row."""
    app = fabrique_app()
    async with app.run_test(size=(80, 16)) as pilot:
        await connecter(pilot)
        await saisir(pilot, "a")
        resultats = table(app, "#resultats")
        await attendre(pilot, lambda: resultats.row_count > resultats._hauteur_page)
        page = resultats._hauteur_page
        assert resultats.content_size.height == 1 + page + 1  # header, rows, detail
        await pilot.press("down", "end")
        dernier = resultats.row_count - 1
        assert resultats.cursor_row == dernier
        vus = dessin(resultats)
        assert vus[page].startswith(f" {resultats.get_row_at(dernier)[0]}")
        assert vus[page + 1].strip().startswith(resultats.detail[:20])
        rien_de_coupe(resultats)
        await pilot.press("home")
        assert dessin(resultats)[1].startswith(f" {resultats.get_row_at(0)[0]}")
        rien_de_coupe(resultats)
        # A click on the detail line neither moves the cursor nor opens a family.
        await pilot.click("#resultats", offset=(4, page + 1))
        await pilot.click("#resultats", offset=(4, page + 1))
        assert resultats.cursor_row == 0 and resultats.has_focus


async def releve_de_dupont(pilot, operations: int) -> TableLignes:
    """DUPONT's Relevé, logged in as accueil, once its operations are shown and focused."""
    await connecter(pilot)
    await ouvrir_famille(pilot, "dupont")
    await pilot.press("4")
    liste = table(pilot.app, "#releve-operations")
    await attendre(pilot, lambda: liste.row_count == operations and liste.has_focus)
    return liste


async def test_releve_etroit_garde_debit_et_credit(fabrique_app):
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=PETIT) as pilot:
        operations = await releve_de_dupont(pilot, 3)
        assert operations.colonnes_visibles[-2:] == ["Débit", "Crédit"]
        assert "Régie" not in operations.colonnes_visibles
        vus = dessin(operations)
        assert vus[0].split()[-2:] == ["Débit", "Crédit"]
        # AL-36's debit under "Débit", the payment's credit under "Crédit".
        assert vus[1].index("120,60") + len("120,60") == vus[0].index("Débit") + len("Débit")
        credit = operations.get_row_at(1)[5]
        assert vus[2].endswith(credit) and vus[0].endswith("Crédit")
        assert "Régie : " in vus[1 + operations.row_count]
        rien_de_coupe(operations)
        await pilot.press("down")
        rien_de_coupe(operations)


async def test_releve_long_garde_ses_totaux_a_l_ecran(fabrique_app, engine):
    """A year of many operations at 80×24: the balance and the totals stay on screen under
    the operations, which scroll (they were below the screen, out of any key's reach), and
    the last operation is reached with Fin."""
    from sqlmodel import select

    from modele.base import Contexte
    from modele.db import session as ouvrir
    from modele.famille import Famille
    from modele.reglements import ModeReglement, encaisser
    from modele.structure import Regie

    with ouvrir(engine) as s:
        dupont = s.exec(select(Famille).where(Famille.numero == "1001001818331")).one()
        regie = s.exec(select(Regie).where(Regie.code == "AL")).one()
        for _ in range(12):
            encaisser(
                s,
                Contexte.systeme("tests", JOUR_SEED),
                dupont.id,
                regie.id,
                100,
                ModeReglement.ESPECES,
                JOUR_SEED,
                garder_en_avoir=True,
            )
        s.commit()
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=PETIT) as pilot:
        operations = await releve_de_dupont(pilot, 15)
        totaux = app.screen.query_one("#releve-totaux")
        await attendre(pilot, lambda: "Solde du compte" in texte(app, "#releve-totaux"))
        assert visible(app, totaux)
        assert visible(app, operations)
        await pilot.press("end")
        assert operations.cursor_row == 14
        assert operations.get_row_at(14)[0] in ligne_du_curseur(operations)
        assert visible(app, totaux)


@pytest.mark.parametrize("taille", [PETIT, GRAND])
async def test_file_des_demandes_etroite(fabrique_app, taille):
    app = fabrique_app()
    async with app.run_test(size=taille) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await pilot.press("f2")
        await attendre(pilot, lambda: isinstance(app.screen, EcranDemandesATraiter))
        file = table(app, "#file-demandes")
        await attendre(pilot, lambda: file.row_count > 0 and file.has_focus)
        visibles = file.colonnes_visibles
        assert {"Demandée le", "Famille", "Type", "Enfant"} <= set(visibles), visibles
        assert all(len(v) <= file.content_size.width for v in dessin(file))
        if taille == PETIT:
            assert "Saisie par" not in visibles
        # A booking: its days in the detail, nothing cut, "Saisie par" whole.
        rang = next(i for i in range(file.row_count) if file.get_row_at(i)[4] == "Réservations")
        for _ in range(rang):
            await pilot.press("down")
        assert file.cursor_row == rang
        rien_de_coupe(file)
        jours = file.get_row_at(rang)[8].split("Jours : ")[1]
        assert f"Jours : {jours}" in " ".join(" ".join(dessin(file)).split())
        # Its detail, then a request that changes the record, five columns: every column and
        # every row on screen, long values wrapped (at 80 the new value was cut off).
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, EcranDecision))
        tout_a_l_ecran(app.screen.query_one("#decision-champs", DataTable))
        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, EcranDemandesATraiter))
        fiches = {TypeDemande(t).libelle for t in CIBLES}
        rang = next(i for i in range(file.row_count) if file.get_row_at(i)[4] in fiches)
        file.move_cursor(row=rang)
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, EcranDecision))
        champs = app.screen.query_one("#decision-champs", DataTable)
        assert len(champs.columns) == 5
        tout_a_l_ecran(champs)


def tout_a_l_ecran(grille: DataTable) -> None:
    """The table's columns and rows within its region: nothing to scroll to."""
    zone = grille.scrollable_content_region
    assert grille.virtual_size.width <= zone.width, (grille.virtual_size, zone)
    assert grille.virtual_size.height <= zone.height, (grille.virtual_size, zone)


def visible(app, widget) -> bool:
    """The widget whole on the screen, above the footer, and not cut by its containers."""
    ecran = app.screen.region
    pieds = [p.region for p in app.screen.query(Footer)] + [
        p.region for p in app.screen.query(PiedDePage)
    ]
    region = widget.region
    return (
        bool(region)
        and ecran.contains_region(region)
        and not any(region.overlaps(p) for p in pieds)
        and all(
            a.region.contains_region(region)
            for a in widget.ancestors
            if isinstance(a, Widget) and a is not app.screen
        )
    )


async def test_connexion_tient_en_80x24(fabrique_app):
    app = fabrique_app()
    async with app.run_test(size=PETIT) as pilot:
        await attendre(pilot, lambda: app.screen.query("#se-connecter"))
        for selecteur in ("#boite-connexion", "#mot_de_passe", "#se-connecter"):
            widget = app.screen.query_one(selecteur)
            await attendre(pilot, lambda w=widget: visible(app, w))


async def test_attestation_qf_tient_en_80x24(fabrique_app):
    """Quotient familial, `s`: every field, the error and the buttons in 80×24 (its fields
    took three lines each: the error and the buttons were below the screen)."""
    from ecrans.declaration_qf import SaisieAttestation

    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=PETIT) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await ouvrir_famille(pilot, "dupont")
        await pilot.press("7", "s")
        await attendre(pilot, lambda: isinstance(app.screen, SaisieAttestation))
        await saisir(pilot, "abc")
        await pilot.press("ctrl+s")
        erreur = app.screen.query_one("#erreur-attestation")
        await attendre(pilot, lambda: "Quotient familial invalide" in str(erreur.content))
        for selecteur in ("#type", "#valeur", "#mois", "#valide_au", "#reference"):
            assert visible(app, app.screen.query_one(selecteur)), selecteur
        for selecteur in ("#erreur-attestation", "#enregistrer", "#annuler"):
            widget = app.screen.query_one(selecteur)
            await attendre(pilot, lambda w=widget: visible(app, w))


async def ouvrir_demande_responsable(pilot):
    """Family 1001001818331, Mon compte, `r`: the change of the responsable's details."""
    from ecrans.formulaire_demande import FormulaireDemande

    await connecter(pilot)
    await ouvrir_famille(pilot, "1001001818331")
    await pilot.press("2", "r")
    await attendre(pilot, lambda: isinstance(pilot.app.screen, FormulaireDemande))
    return pilot.app.screen


async def test_erreur_d_une_demande_en_vue_en_80x24(fabrique_app):
    """A change of the responsable's details refused at a field low in the form: the field
    and its message under it both in view (the message was just below the screen)."""

    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=PETIT) as pilot:
        formulaire = await ouvrir_demande_responsable(pilot)
        formulaire.query_one("#champ-telephone_domicile", Input).value = "05 43 84 97 1"
        await pilot.press("ctrl+s")
        erreur = formulaire.query_one("#erreur-telephone_domicile")
        await attendre(pilot, lambda: erreur.display and visible(app, erreur))
        assert visible(app, formulaire.query_one("#champ-telephone_domicile", Input))
        assert formulaire.query_one("#champ-telephone_domicile", Input).has_focus


async def test_erreur_d_un_reglement_en_vue_en_80x24(fabrique_app):
    """A cheque without its number, as the régisseur (every mode listed): the field and its
    message under it both in view (the message was just below the screen)."""
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=PETIT) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await ouvrir_famille(pilot, "1001001818331")
        await pilot.press("p")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireEncaissement))
        ecran = app.screen
        ecran.query_one("#champ-montant", Input).value = "50"
        await pilot.press("ctrl+s")
        erreur = ecran.query_one("#erreur-reference_paiement")
        await attendre(pilot, lambda: erreur.display and visible(app, erreur))
        assert "obligatoire" in str(erreur.content)
        assert ecran.query_one("#champ-reference_paiement", Input).has_focus


async def test_encaissement_tient_en_80x24(fabrique_app):
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=PETIT) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont")
        await pilot.press("p")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireEncaissement))
        ecran = app.screen
        for bouton in ("#enregistrer", "#annuler"):
            widget = ecran.query_one(bouton, Button)
            await attendre(pilot, lambda w=widget: visible(app, w))
        # The fields scroll: the last one, focused, comes into view; the buttons stay.
        payeur = ecran.query_one("#champ-payeur", Input)
        assert not visible(app, payeur)
        payeur.focus()
        await attendre(pilot, lambda: visible(app, payeur))
        assert visible(app, ecran.query_one("#enregistrer", Button))
        # ctrl+s saves from any field.
        ecran.query_one("#champ-reference_paiement", Input).value = "0004512"
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        assert "Imprimer le reçu" in app.screen.question


async def test_ctrl_s_valide_un_motif(fabrique_app):
    app = fabrique_app()
    async with app.run_test(size=PETIT) as pilot:
        await connecter(pilot)
        rendus: list[str | None] = []
        app.push_screen(SaisieMotif("Refuser", "Motif *", "Refuser"), rendus.append)
        await attendre(pilot, lambda: isinstance(app.screen, SaisieMotif))
        await pilot.press("ctrl+s")  # empty: refused at the field
        await attendre(
            pilot, lambda: "obligatoire" in str(app.screen.query_one("#erreur-motif").content)
        )
        await saisir(pilot, "Pièce manquante")
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: rendus == ["Pièce manquante"])


def contexte_du_jour(canal):
    """The tests' writer on the seeded base's day, at 9:00, by `canal`."""
    import datetime as dt

    from modele.base import Contexte
    from tests.conftest import REFERENCE

    return Contexte(
        agent_id=None,
        tache="tests",
        canal=canal,
        aujourdhui=REFERENCE,
        horloge=lambda: dt.datetime.combine(REFERENCE, dt.time(9)),
    )


def semer_demandes(engine) -> None:
    """DUPONT JEAN: a mobile phone change accepted, one refused, one withdrawn, today."""

    from sqlmodel import select

    from modele.base import Canal
    from modele.db import session as ouvrir
    from modele.demandes import (
        TypeDemande,
        accepter_demande,
        creer_demande,
        refuser_demande,
        retirer_demande,
    )
    from modele.famille import Famille

    c = contexte_du_jour(Canal.GUICHET)
    with ouvrir(engine) as s:
        famille = s.exec(select(Famille).where(Famille.numero == "1001001818331")).one()
        for numero, suite in (
            ("06 11 22 33 44", accepter_demande),
            ("06 55 66 77 88", refuser_demande),
            ("06 99 00 11 22", retirer_demande),
        ):
            d = creer_demande(s, c, famille.id, TypeDemande.RESPONSABLE, {"mobile": numero})
            if suite is refuser_demande:
                suite(s, c, d, "Numéro injoignable")
            else:
                suite(s, c, d)
        s.commit()


async def test_demandes_mon_compte_dessinees_en_80x24(fabrique_app, engine):
    semer_demandes(engine)
    app = fabrique_app()
    async with app.run_test(size=PETIT) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont jean")
        await pilot.press("6")
        for statut, numero in (
            ("acceptees", "06 11 22 33 44"),
            ("refusees", "06 55 66 77 88"),
            ("retirees", "06 99 00 11 22"),
        ):
            liste = table(app, f"#demandes-{statut}")
            await attendre(pilot, lambda liste=liste: liste.row_count == 1)
            # Drawn at once: header, row and detail, each within the width.
            assert liste.size.height >= 2, (statut, liste.size)
            vus = dessin(liste)
            assert numero.replace(" ", "") in "".join(vus).replace(" ", ""), (statut, vus)
            assert vus[0].split()[:2] == ["Date", "demande"]
            assert all(len(v) <= liste.content_size.width for v in vus)
        assert "Numéro injoignable" in " ".join(dessin(table(app, "#demandes-refusees")))


def dessin_statique(statique) -> list[str]:
    """The lines a Static draws at its width (the part scrolled off screen too)."""
    import io

    from rich.console import Console

    console = Console(width=statique.content_size.width, file=io.StringIO(), record=True)
    console.print(statique.content)
    return console.export_text().splitlines()


@pytest.mark.parametrize("taille", [PETIT, GRAND])
async def test_mon_compte_valeurs_entieres(fabrique_app, taille):
    """At 80 columns Mon compte is one column of label : value, every value whole; at 120
    the two columns stay."""
    from ecrans.texte import Static as StaticTexte

    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=taille) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "1001001818331")
        await pilot.press("2")
        responsable = app.screen.query_one("#compte-responsable", StaticTexte)
        await attendre(pilot, lambda: responsable.content_size.width > 0)
        await pilot.pause()
        lignes_vues = dessin_statique(responsable)
        assert all(len(ligne.rstrip()) <= responsable.content_size.width for ligne in lignes_vues)
        vu = [" ".join(ligne.split()) for ligne in lignes_vues]
        for attendu in (
            "Adresse : 12 RUE DES BONBONS",
            "Email : jean.dupont@wanadoo.fr",
            "Ville : SANT - JEAN",
        ):
            assert any(attendu in ligne for ligne in vu), (attendu, lignes_vues)
        deux = any("Civilité :" in ligne and "Nom :" in ligne for ligne in vu)
        assert deux == (taille == GRAND), lignes_vues


def ligne_ecran(app, debut: str) -> str:
    """The first line of the screen that has `debut` (a field's label), as text."""
    from ecrans.compat_textual import texte_ecran

    return next(ligne for ligne in texte_ecran(app).splitlines() if debut in ligne)


async def test_encaissement_aide_entiere_et_montant_lisible_en_80x24(fabrique_app):
    """The help above the invoices wraps instead of being cut; the focused amount shows
    its figures (a compact field marks its focus with side bars, not a frame)."""
    from ecrans.compat_textual import texte_ecran

    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=PETIT) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont")
        await pilot.press("p")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireEncaissement))
        montant = app.screen.query_one("#champ-montant", Input)
        await attendre(pilot, lambda: montant.has_focus and montant.value == "120,60")
        await pilot.pause()
        ecran = " ".join(" ".join(texte_ecran(app).replace("█", " ").split()).split())
        assert "aucune cochée : les plus anciennes d'abord)" in ecran
        assert "┃120,60" in ligne_ecran(app, "Montant (€) *")
        await pilot.press("end", "backspace", "backspace", "9", "9")
        await attendre(pilot, lambda: "┃120,99" in ligne_ecran(app, "Montant (€) *"))


async def test_champ_actif_d_une_demande_montre_sa_saisie_en_80x24(fabrique_app):

    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=PETIT) as pilot:
        await ouvrir_demande_responsable(pilot)
        nom = app.screen.query_one("#champ-nom", Input)
        nom.focus()
        await attendre(pilot, lambda: nom.has_focus)
        await pilot.press("end")
        await saisir(pilot, "-MARTIN")
        assert nom.value == "DUPONT-MARTIN"
        await attendre(pilot, lambda: "┃DUPONT-MARTIN" in ligne_ecran(app, "Nom *"))


async def test_calendrier_s_ouvre_en_haut_en_80x24(fabrique_app):
    """F5 shows its title (the table takes the room left), PgSuiv changes the year even
    from the table, and no one-day end of summer is listed."""
    from ecrans.calendrier import EcranCalendrier
    from ecrans.compat_textual import texte_ecran

    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=PETIT) as pilot:
        await connecter(pilot, "admin", "Admin2026")
        await pilot.press("f5")
        await attendre(pilot, lambda: isinstance(app.screen, EcranCalendrier))
        await pilot.pause()
        ecran = texte_ecran(app)
        assert "Calendrier 2014-2015 — zone" in ecran.splitlines()[2]
        assert "05/07/2014  01/09/2014" in ecran and "01/09/2014  01/09/2014" not in ecran
        assert app.screen.query_one("#calendrier").has_focus
        await pilot.press("pagedown")
        await attendre(pilot, lambda: "Calendrier 2015-2016" in texte_ecran(app))
        assert "Calendrier 2015-2016 — zone" in texte_ecran(app).splitlines()[2]


async def test_facturation_lignes_de_la_famille_en_80x24(fabrique_app):
    """F6 at 80×24, November's preview: the family's lines under the families, every column
    within the width (the amounts ran off the right edge, the lines below the screen)."""
    app = fabrique_app()
    async with app.run_test(size=PETIT) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await pilot.press("f6")
        await app.workers.wait_for_complete()
        await pilot.press("pagedown")  # November 2026: families to bill
        await app.workers.wait_for_complete()
        familles = app.screen.query_one("#facturation-familles", DataTable)
        lignes_famille = app.screen.query_one("#facturation-lignes", DataTable)
        await attendre(pilot, lambda: familles.row_count > 0 and lignes_famille.row_count > 0)
        assert familles.has_focus
        for selecteur in ("#facturation-familles", "#facturation-lignes"):
            assert visible(app, app.screen.query_one(selecteur)), selecteur
        zone = lignes_famille.scrollable_content_region
        assert lignes_famille.virtual_size.width <= zone.width, (lignes_famille.virtual_size, zone)


async def test_boite_ses_cinq_colonnes_a_80_colonnes(fabrique_app):
    """The family's inbox at 80×24: a long subject is cut with « … », and « Lu » and the
    start of the message stay on screen (they were pushed off the right edge)."""
    from ecrans.compat_textual import texte_ecran

    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=PETIT) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont")
        await pilot.press("5")
        await attendre(pilot, lambda: "Début du message" in texte_ecran(app))
        table = app.screen.query_one("#boite-messages", DataTable)
        await attendre(pilot, lambda: table.row_count > 0)
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= table.size.width
        ecran = texte_ecran(app)
        assert "Lu" in ecran and "…" in ecran


async def test_choix_sur_la_ligne_d_un_champ_entiers_a_80_colonnes(fabrique_app):
    """At 80×24 a choice on its field's line keeps every option whole on screen (the QF
    declaration's « Féminin » and « Depuis mes informations de naissance », the request
    forms' « Téléphone » ran off the right edge)."""
    from textual.widgets import RadioButton

    from ecrans.declaration_qf import EcranDeclarationQF

    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=PETIT) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont")
        await pilot.press("7", "d")
        await attendre(pilot, lambda: isinstance(app.screen, EcranDeclarationQF))
        app.screen.montrer("identite")
        for ident in ("#sexe-M", "#sexe-F", "#vitale", "#naissance"):
            bouton = app.screen.query_one(ident, RadioButton)
            await attendre(pilot, lambda b=bouton: b.region.width > 0)
            assert bouton.region.right <= PETIT[0], ident
            assert bouton.region.width >= len(str(bouton.label)) + 3, ident


def pied_entier(app) -> str:
    """The screen's footer is the app's own (Textual's cut the last key it showed, « f2
    Deman▏^p palette ») and every key it draws is whole, its description with it."""
    assert not app.screen.query(Footer), type(app.screen).__name__
    pied = app.screen.query_one(PiedDePage)
    ligne = pied.render_line(0).text
    montrees = pied._touches[: len(pied._positions)]
    assert montrees, ligne
    for _cle, affichage, libelle, _actif in montrees:
        assert f" {affichage} {libelle}".rstrip() in ligne, (affichage, libelle, ligne)
    return ligne


async def test_pieds_entiers_a_80_colonnes(fabrique_app):
    """The four screens that kept Textual's footer: a request's decision (F2), the QF
    declaration, the reminders and the direct debits (F6)."""
    from ecrans.declaration_qf import EcranDeclarationQF
    from ecrans.facturation import EcranFacturation
    from ecrans.prelevements import EcranPrelevements
    from ecrans.relances import EcranRelances

    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=PETIT) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await pilot.press("f2")
        await attendre(pilot, lambda: isinstance(app.screen, EcranDemandesATraiter))
        file = table(app, "#file-demandes")
        await attendre(pilot, lambda: file.row_count > 0 and file.has_focus)
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, EcranDecision))
        await attendre(pilot, lambda: "Refuser" in pied_entier(app))
        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, EcranDemandesATraiter))
        await pilot.press("escape")
        await pilot.press("f6")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFacturation))
        await attendre(pilot, lambda: app.screen.en_cours == "")
        for touche, ecran in (("r", EcranRelances), ("p", EcranPrelevements)):
            await pilot.press(touche)
            await attendre(pilot, lambda e=ecran: isinstance(app.screen, e))
            await attendre(pilot, lambda: "Retour" in pied_entier(app))
            await pilot.press("escape")
            await attendre(pilot, lambda: isinstance(app.screen, EcranFacturation))
        await pilot.press("escape")
        await ouvrir_famille(pilot, "dupont")
        await pilot.press("7", "d")
        await attendre(pilot, lambda: isinstance(app.screen, EcranDeclarationQF))
        await attendre(pilot, lambda: pied_entier(app).strip() != "")


async def test_prelevements_montants_entiers_a_80_colonnes(fabrique_app):
    """F6's direct debits at 80×24: the amount of every debit on screen, before and after
    the batch (« Montant » ran off the right edge, « Séq. » was cut to « Sé »); what is left
    out shows for the cursor's row."""
    import datetime as dt

    from ecrans.formulaire_champs import FormulaireChamps
    from ecrans.prelevements import EcranPrelevements
    from tests.test_regie_cycle_app import ouvrir_f6

    app = fabrique_app(dt.date(2026, 12, 7))
    async with app.run_test(size=PETIT) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await ouvrir_f6(pilot)
        await pilot.press("e")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        await pilot.press("o")
        await attendre(pilot, lambda: app.screen.en_cours == "" and app.screen.apercu.total == 0)
        await pilot.press("p")
        await attendre(pilot, lambda: isinstance(app.screen, EcranPrelevements))
        apercu = table(app, "#prelevements-apercu")
        await attendre(pilot, lambda: apercu.row_count > 0)
        assert {"Facture", "Séq.", "Montant"} <= set(apercu.colonnes_visibles)
        assert all(len(v) <= apercu.content_size.width for v in dessin(apercu))
        rien_de_coupe(apercu)
        await pilot.press("c")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireChamps))
        await pilot.press("enter")  # (the date proposed: 14 days after the invoices)
        await attendre(pilot, lambda: isinstance(app.screen, EcranPrelevements))
        debits = table(app, "#prelevements-lignes")
        await attendre(pilot, lambda: debits.row_count > 0)
        assert {"Facture", "Montant", "État"} <= set(debits.colonnes_visibles)
        rien_de_coupe(debits)
        assert visible(app, debits)


@pytest.mark.parametrize("taille", [PETIT, GRAND])
async def test_relances_montants_entiers_et_toute_la_hauteur(fabrique_app, taille):
    """F6's reminders: the amount due of every invoice on screen, what is left out shown for
    the cursor's row (« Envoyée » was cut at 80 columns, the payers mid-word at 120), and the
    list takes the screen's height (18 of 352 invoices showed at 120×40)."""
    from ecrans.relances import EcranRelances
    from tests.test_regie_cycle_app import ouvrir_f6

    app = fabrique_app()
    async with app.run_test(size=taille) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await ouvrir_f6(pilot)
        await pilot.press("r")
        await attendre(pilot, lambda: isinstance(app.screen, EcranRelances))
        liste = table(app, "#relances-liste")
        await attendre(pilot, lambda: liste.row_count > 0 and liste.size.height > 0)
        assert {"Facture", "Reste dû", "Niveau"} <= set(liste.colonnes_visibles)
        assert all(len(v) <= liste.content_size.width for v in dessin(liste))
        rien_de_coupe(liste)
        assert visible(app, liste)
        if liste.row_count > 30:
            assert liste.region.bottom >= app.screen.region.bottom - 3, liste.region


async def test_quotient_ouvert_large_puis_etroit_garde_ses_colonnes(fabrique_app, engine):
    """The QF tab opened at 120 columns, the terminal then narrowed to 80: its columns are
    shared again within the width (the bracket and the status ran off the right edge, the
    value cut « 1 300,0 »)."""
    from sqlmodel import func, select

    from modele.db import session as ouvrir
    from modele.famille import Famille
    from modele.quotient import QuotientFamilial

    with ouvrir(engine) as s:
        numero = s.exec(
            select(Famille.numero)
            .join(QuotientFamilial, QuotientFamilial.famille_id == Famille.id)
            .group_by(Famille.numero)
            .order_by(func.count().desc())
        ).first()
    app = fabrique_app()
    async with app.run_test(size=GRAND) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, numero)
        await pilot.press("7")
        liste = app.screen.query_one("#qf-liste", DataTable)
        await attendre(pilot, lambda: liste.row_count > 0 and liste.virtual_size.width > 80)
        await pilot.resize_terminal(*PETIT)
        await attendre(pilot, lambda: app.size.width == PETIT[0])
        await attendre(
            pilot,
            lambda: liste.virtual_size.width <= liste.scrollable_content_region.width,
        )


async def test_avoir_montant_de_chaque_ligne_a_80_colonnes(fabrique_app):
    """The credit note's lines at 80×24: each line's amount on screen (it came last, after
    the child and a long activity, and was cut: « 17 j × 4,25 = … »)."""
    from textual.widgets import SelectionList

    from ecrans.facture_detail import FormulaireAvoir

    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=PETIT) as pilot:
        await connecter(pilot, "regie", "Regie2026")
        await ouvrir_famille(pilot, "dupont")
        await pilot.press("4")
        liste = table(app, "#releve-operations")
        await attendre(pilot, lambda: liste.has_focus and liste.row_count > 0)
        rang = [r[0] for r in lignes(app, "#releve-operations")].index("AL-36")
        await pilot.press("home", *["down"] * rang, "v")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireAvoir))
        choix = app.screen.query_one("#champ-lignes", SelectionList)
        await attendre(pilot, lambda: choix.region.width > 0 and choix.option_count > 0)
        vues = [choix.render_line(y).text for y in range(choix.content_size.height)]
        for i in range(choix.option_count):
            invite = str(choix.get_option_at_index(i).prompt)
            montant_ligne = invite.split(" € ")[0]
            assert any(f"{montant_ligne} € (" in vue for vue in vues), (invite, vues)
        # Its buttons whole on screen, with the reason's message too (empty messages took
        # a line each, and the buttons were cut).
        bouton = app.screen.query_one("#enregistrer")
        assert visible(app, bouton)
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: "obligatoire" in texte(app, "#erreur-motif"))
        await attendre(pilot, lambda: visible(app, bouton))


async def test_demande_longue_garde_canal_et_agent_a_80_colonnes(fabrique_app, engine):
    """A request whose detail is longer than its two lines at 80×24: the channel and who
    entered it still show whole (they came after the detail, cut off)."""

    from sqlmodel import select

    from modele.base import Canal
    from modele.db import session as ouvrir
    from modele.demandes import creer_demande
    from modele.famille import Famille

    c = contexte_du_jour(Canal.TELEPHONE)
    with ouvrir(engine) as s:
        famille = s.exec(select(Famille).where(Famille.numero == "1001001818331")).one()
        valeurs = {
            "titulaire_compte": "DUPONT JEAN-CHRISTOPHE ET MARIE-ÉLISABETH",
            "iban": "FR7630006000011234567890189",
            "bic": "AGRIFRPP",
            "nom_banque": "Crédit Agricole Toulouse 31 Agence du Capitole",
            "prelevement": True,
        }
        creer_demande(s, c, famille.id, TypeDemande.BANCAIRES, valeurs)
        s.commit()
    app = fabrique_app()
    async with app.run_test(size=PETIT) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont jean")
        await pilot.press("6")
        liste = table(app, "#demandes-attente")
        await attendre(pilot, lambda: liste.row_count == 1 and liste.size.height > 2)
        assert "Canal" not in liste.colonnes_visibles
        vus = " ".join(v.strip() for v in dessin(liste)[liste._y_detail :])
        assert "Canal : Téléphone" in vus and "Saisie par :" in vus, vus
        assert vus.endswith("…"), vus  # (the long detail last, cut)


async def test_accueil_defile_au_clavier_depuis_les_impayees(fabrique_app):
    """At 80×24 the Accueil opens on its unpaid invoices: Bas, PgSuiv and Fin past their
    last row scroll the tab down to « Fiche d'inscription » (they did nothing), PgPréc
    and Début bring it back."""
    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=PETIT) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "dupont")
        onglet = app.screen.query_one("#onglet-accueil")
        impayees = app.screen.query_one("#accueil-impayees")
        await attendre(pilot, lambda: impayees.has_focus and impayees.row_count == 1)
        await pilot.press("down")
        await attendre(pilot, lambda: onglet.scroll_y > 0)
        await pilot.press("pagedown")
        await attendre(pilot, lambda: onglet.scroll_y > 1)
        await pilot.press("end")
        fiches = app.screen.query_one("#accueil-fiches")
        await attendre(pilot, lambda: onglet.scroll_y == onglet.max_scroll_y)
        assert visible(app, fiches)
        await pilot.press("home")
        await attendre(pilot, lambda: onglet.scroll_y == 0)
        assert impayees.has_focus


async def test_calendrier_et_nouvelle_periode_a_80_colonnes(fabrique_app):
    """F5 at 80×24: the dates show beside a long label (they were pushed off the right
    edge), and the new period's form is whole, its error and buttons on screen (they were
    below it, the form unscrollable)."""
    from textual.widgets import Select

    from ecrans.calendrier import EcranCalendrier, FormulairePeriode

    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=PETIT) as pilot:
        await connecter(pilot, "admin", "Admin2026")
        await pilot.press("f5")
        await attendre(pilot, lambda: isinstance(app.screen, EcranCalendrier))
        liste = table(app, "#calendrier")
        await attendre(pilot, lambda: liste.row_count > 0)
        assert {"Du", "Au", "Jours"} <= set(liste.colonnes_visibles)
        # Entrée on a period opens its form (the list's own Entrée took the key).
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, FormulairePeriode))
        assert app.screen.periode is not None
        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, EcranCalendrier))
        await pilot.press("n")
        await attendre(pilot, lambda: isinstance(app.screen, FormulairePeriode))
        formulaire = app.screen
        formulaire.query_one("#type", Select).value = "fermeture"
        formulaire.query_one("#libelle", Input).value = "Grève"
        formulaire.query_one("#debut", Input).value = "31/02/2026"
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: "31/02/2026 n'existe pas" in texte(app, "#erreur-periode"))
        for ident in ("#erreur-periode", "#enregistrer", "#annuler", "#fin"):
            assert visible(app, formulaire.query_one(ident)), ident


async def test_entete_garde_l_agent_a_80_colonnes(fabrique_app):
    """At 80 columns, a long surname: the header kept the counts and dropped who is logged
    in (« Guichet Famille — 44 demandes, 15 non lus »); the name stays longest now."""
    from dataclasses import replace

    app = fabrique_app(JOUR_SEED)
    async with app.run_test(size=PETIT) as pilot:
        await connecter(pilot)
        await attendre(pilot, lambda: app.agent is not None)
        app.agent = replace(app.agent, nom="DUPRÉ-O'NEIL DE LA FONTAINE")
        app.rafraichir_compteurs()
        ligne = app.format_title(app.title, app.sub_title).plain
        assert "DUPRÉ-O'NEIL DE LA FONTAINE" in ligne, ligne
