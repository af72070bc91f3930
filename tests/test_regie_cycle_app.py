"""The régie's cycle (issue 17) from the keyboard, at 80×24: F6 then r (Relances) or p
(Prélèvements), on the demo base: reminders sent and printed, the level on Accueil; the
month's remise and its pain.008 file, the debits passed on their date, a reject entered
with its code that shows on the Relevé."""

from __future__ import annotations

import datetime as dt
import os

import pypdf
import sepaxml
import xmlschema

from ecrans.compat_textual import notifications
from ecrans.facturation import EcranFacturation
from ecrans.famille import EcranFamille
from ecrans.formulaire_champs import FormulaireChamps
from ecrans.prelevements import EcranPrelevements
from ecrans.relances import EcranRelances
from ecrans.widgets import Confirmation
from tests.conftest import REFERENCE
from tests.pilote import attendre, connecter, lignes, ouvrir_famille, saisir, texte
from tui.config import dossier_donnees

TAILLE = (80, 24)
REGIE = ("regie", "Regie2026")
SCHEMA = os.path.join(os.path.dirname(sepaxml.__file__), "schemas", "pain.008.001.02.xsd")


def messages(app) -> list[str]:
    return list(notifications(app))


def exports(suffixe: str) -> list:
    dossier = dossier_donnees() / "exports"
    return sorted(dossier.glob(f"*{suffixe}")) if dossier.exists() else []


async def ouvrir_f6(pilot) -> None:
    await pilot.press("f6")
    await attendre(pilot, lambda: isinstance(pilot.app.screen, EcranFacturation))
    await attendre(pilot, lambda: pilot.app.screen.en_cours == "")


async def test_relances_envoyees_imprimees_et_niveau_sur_l_accueil(fabrique_app):
    app = fabrique_app(REFERENCE)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, *REGIE)
        await ouvrir_f6(pilot)
        await pilot.press("r")
        await attendre(pilot, lambda: isinstance(app.screen, EcranRelances))
        await attendre(pilot, lambda: app.screen.vue is not None)
        liste = lignes(app, "#relances-liste")
        a_envoyer = [ligne for ligne in liste if ligne[4] != ligne[5].rsplit(" ", 1)[0]]
        assert a_envoyer, liste
        assert "À envoyer : " in texte(app, "#relances-totaux")
        await pilot.press("c")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        # Letters and titles counted apart: a title is recorded, no letter goes for it.
        titres = sum("Titre" in ligne[4] for ligne in a_envoyer)
        lettres = len(a_envoyer) - titres
        assert lettres, a_envoyer
        question = app.screen.question
        assert f"nvoyer {lettres} relance" in question, question
        assert (f"enregistrer {titres} titre" in question) is bool(titres), question
        await pilot.press("o")
        attendu = f"Enregistré : {lettres} relance{'s' if lettres > 1 else ''} (Courrier)"
        await attendre(pilot, lambda: any(attendu in m for m in messages(app)))
        await attendre(pilot, lambda: any("PDF enregistré" in m for m in messages(app)))
        [fichier] = exports(".pdf")
        texte_pdf = "".join(p.extract_text() for p in pypdf.PdfReader(fichier).pages)
        assert all(ligne[4].startswith("→ ") for ligne in a_envoyer)  # (to send: marked)
        facture, numero_famille = a_envoyer[0][0], a_envoyer[0][6]
        niveau = a_envoyer[0][4].removeprefix("→ ")
        assert facture in texte_pdf and niveau.upper() in texte_pdf
        await attendre(pilot, lambda: "À envoyer : 0." in texte(app, "#relances-totaux"))
        # Sent twice? Nothing left to send.
        await pilot.press("c")
        assert any("Aucune relance à envoyer" in m for m in messages(app))
        # The family's Accueil shows the level of the invoice.
        await pilot.press("escape")
        await pilot.press("escape")
        await ouvrir_famille(pilot, numero_famille)
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))
        await attendre(
            pilot, lambda: any(r[0] == facture for r in lignes(app, "#accueil-impayees"))
        )
        [ligne] = [r for r in lignes(app, "#accueil-impayees") if r[0] == facture]
        assert ligne[5] == niveau


async def test_delais_de_la_regie_refuses_puis_enregistres(fabrique_app):
    app = fabrique_app(REFERENCE)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, *REGIE)
        await ouvrir_f6(pilot)
        await pilot.press("r")
        await attendre(pilot, lambda: isinstance(app.screen, EcranRelances))
        await pilot.press("d")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireChamps))
        formulaire = app.screen
        formulaire.query_one("#champ-relance2").value = "10"
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: "croître" in texte(app, "#formulaire-erreur"))
        assert app.screen is formulaire  # what was typed is kept
        # A number past SQLite's integers: « Erreur inattendue » before, now the field's.
        formulaire.query_one("#champ-titre").value = "9" * 20
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: "au plus 365 jours" in texte(app, "#formulaire-erreur"))
        assert app.focused is formulaire.query_one("#champ-titre")
        formulaire.query_one("#champ-titre").value = "60"
        formulaire.query_one("#champ-relance2").value = "25"
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: isinstance(app.screen, EcranRelances))
        await attendre(pilot, lambda: "25 j" in texte(app, "#relances-titre"))


async def test_l_accueil_n_ouvre_ni_relances_ni_prelevements(fabrique_app):
    app = fabrique_app(REFERENCE)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await ouvrir_f6(pilot)
        # not offered (footer, F1): the keys do nothing, the screen stays
        actives = {b.binding.action for b in app.screen.active_bindings.values() if b.enabled}
        assert not actives & {"relances", "prelevements"}
        await pilot.press("r")
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, EcranFacturation)
        assert not any("Seul un régisseur" in m for m in messages(app))


async def test_remise_fichier_prelevee_puis_rejet_sur_le_releve(fabrique_app):
    decembre = dt.date(2026, 12, 7)
    app = fabrique_app(decembre)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, *REGIE)
        await ouvrir_f6(pilot)  # November: issue the month's invoices first
        await pilot.press("e")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        await pilot.press("o")
        await attendre(pilot, lambda: any("émise" in m for m in messages(app)))
        await attendre(pilot, lambda: app.screen.en_cours == "")
        await pilot.press("p")
        await attendre(pilot, lambda: isinstance(app.screen, EcranPrelevements))
        await attendre(pilot, lambda: app.screen.apercu is not None)
        a_prelever = lignes(app, "#prelevements-apercu")
        assert a_prelever and all(r[4] in ("FRST", "RCUR") for r in a_prelever)
        await pilot.press("c")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireChamps))
        champ = app.screen.query_one("#champ-echeance")
        # Proposed: 14 days after the invoices issued today (their pre-notification).
        assert champ.value == "21/12/2026"
        for refusee, motif in (("07/12/2026", "après aujourd'hui"), ("12/12/2026", "un samedi")):
            champ.value = ""
            await saisir(pilot, refusee)
            await pilot.press("enter")
            await attendre(pilot, lambda motif=motif: motif in texte(app, "#formulaire-erreur"))
        champ.value = ""
        await saisir(pilot, "15/12/2026")  # a shorter notice: asked, then kept
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        assert "vient 8 jours après l'émission des factures (le 07/12/2026)" in (
            app.screen.question
        )
        await pilot.press("o")
        await attendre(pilot, lambda: isinstance(app.screen, EcranPrelevements))
        await attendre(pilot, lambda: len(lignes(app, "#prelevements-lignes")) == len(a_prelever))
        assert lignes(app, "#prelevements-apercu") == []
        await attendre(pilot, lambda: exports(".xml"))
        [fichier] = exports(".xml")
        xmlschema.XMLSchema(SCHEMA).validate(fichier.read_text())
        assert all(r[4] == "À prélever le 15/12/2026" for r in lignes(app, "#prelevements-lignes"))
        # A mandate: refused for a family without bank details, then a new one replaces.
        debitee = lignes(app, "#prelevements-lignes")[0][1]
        await pilot.press("m")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireChamps))
        formulaire = app.screen
        formulaire.query_one("#champ-famille").value = "1001002460917"  # no IBAN
        formulaire.query_one("#champ-date").value = "01/12/2026"
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: "coordonnées bancaires" in texte(app, "#formulaire-erreur"))
        formulaire.query_one("#champ-famille").value = debitee
        formulaire.query_one("#champ-rum").value = "AL-NOUVEAU-1"
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: isinstance(app.screen, EcranPrelevements))
        await attendre(
            pilot, lambda: any("Mandat AL-NOUVEAU-1 enregistré" in m for m in messages(app))
        )
    # On the collection date: the debits are passed, then a reject comes back.
    app = fabrique_app(dt.date(2026, 12, 16))
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, *REGIE)
        await ouvrir_f6(pilot)
        await pilot.press("p")
        await attendre(pilot, lambda: isinstance(app.screen, EcranPrelevements))
        await attendre(pilot, lambda: app.screen.apercu is not None)
        await pilot.press("v")
        await attendre(
            pilot, lambda: all(r[4] == "Prélevé" for r in lignes(app, "#prelevements-lignes"))
        )
        # The second debit, the cursor moved to it: the one under the cursor is rejected.
        await pilot.press("down")
        assert app.screen.query_one("#prelevements-lignes").cursor_row == 1
        facture, numero_famille = lignes(app, "#prelevements-lignes")[1][:2]
        await pilot.press("j")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireChamps))
        await saisir(pilot, "ZZ99")
        await pilot.press("enter")
        await attendre(pilot, lambda: "Code de rejet inconnu" in texte(app, "#formulaire-erreur"))
        app.screen.query_one("#champ-code").value = ""
        await saisir(pilot, "AM04")
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, EcranPrelevements))
        await attendre(
            pilot,
            lambda: (
                [r[4] for r in lignes(app, "#prelevements-lignes")[:2]]
                == ["Prélevé", "Rejeté (AM04)"]
            ),
        )
        await pilot.press("escape")
        await pilot.press("escape")
        await ouvrir_famille(pilot, numero_famille)
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))
        await attendre(
            pilot, lambda: any(r[0] == facture for r in lignes(app, "#accueil-impayees"))
        )
        await pilot.press("4")
        await attendre(
            pilot,
            lambda: any(
                "Rejet de prélèvement AM04 : Provision insuffisante" in r[2]
                for r in lignes(app, "#releve-operations")
            ),
        )


async def test_attestation_fiscale_d_une_famille_puis_de_toutes(fabrique_app):
    app = fabrique_app(REFERENCE)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot)
        await ouvrir_famille(pilot, "1001002460917")  # BERTRAND: Emma, born 2021
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))
        await pilot.press("4")
        await attendre(pilot, lambda: app.screen.query_one("#releve-operations").row_count > 0)
        await pilot.press("t")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireChamps))
        champ = app.screen.query_one("#champ-annee")
        assert champ.value == "2025"  # the last calendar year
        champ.value = ""
        await saisir(pilot, "2012")
        await pilot.press("enter")
        await attendre(pilot, lambda: "Aucun frais de garde" in texte(app, "#formulaire-erreur"))
        champ.value = ""
        await saisir(pilot, str(REFERENCE.year + 1))  # a year to come: refused
        await pilot.press("enter")
        await attendre(pilot, lambda: "n'a pas commencé" in texte(app, "#formulaire-erreur"))
        champ.value = ""
        await saisir(pilot, str(REFERENCE.year))  # this year: asked, « Non » prints nothing
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        assert f"L'année {REFERENCE.year} n'est pas terminée" in app.screen.question
        await pilot.press("n")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFamille))
        assert not exports(".pdf")
        await pilot.press("t")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireChamps))
        champ = app.screen.query_one("#champ-annee")
        champ.value = ""
        await saisir(pilot, "2025")
        await pilot.press("enter")
        await attendre(pilot, lambda: any("PDF enregistré" in m for m in messages(app)))
        [fichier] = exports(".pdf")
        assert fichier.name == "Attestation_fiscale_2025_1001002460917.pdf"
        contenu = "".join(p.extract_text() for p in pypdf.PdfReader(fichier).pages)
        assert "BERTRAND Emma Lucie" in contenu and "ATTESTATION FISCALE" in contenu
        # Every family's, from F6.
        await pilot.press("escape")
        await ouvrir_f6(pilot)
        await pilot.press("t")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireChamps))
        await pilot.press("enter")
        await attendre(pilot, lambda: len(exports(".pdf")) == 2)
        lot = [f for f in exports(".pdf") if f.name.startswith("Attestations")]
        assert len(pypdf.PdfReader(lot[0]).pages) > 1


DECEMBRE = dt.date(2026, 12, 7)


def _facture_prelevee(engine) -> tuple[str, str, int]:
    """November billed on 7 December and its direct debits sent for the 15th: the first
    debited invoice's family number, reference and total."""
    from sqlmodel import select

    from modele.base import Contexte
    from modele.db import session as ouvrir
    from modele.facturation import Facture
    from modele.famille import Famille
    from modele.reglements import facturer_mois
    from modele.sepa import Prelevement, creer_remise
    from modele.structure import Regie

    with ouvrir(engine) as s:
        regie = s.exec(select(Regie).where(Regie.code == "AL")).one()
        contexte = Contexte.systeme("tests", DECEMBRE)
        novembre = dt.date(2026, 11, 1)
        facturer_mois(s, contexte, regie.id, novembre, dt.date(2026, 11, 30), DECEMBRE)
        creer_remise(s, contexte, regie.id, novembre, dt.date(2026, 12, 15))
        s.commit()
        prelevement = s.exec(select(Prelevement).order_by(Prelevement.id)).first()
        facture = s.get(Facture, prelevement.facture_id)
        return s.get(Famille, facture.famille_id).numero, facture.reference, facture.total


async def test_payer_au_guichet_une_facture_deja_prelevee_demande_avant(fabrique_app, engine):
    """An invoice in a direct-debit batch (its file gone to the bank): the payment form marks
    it « prélevée le … » and asks before taking a payment that would pay it twice; « Non »
    saves nothing, « Oui » saves the payment."""
    from sqlmodel import func, select

    from ecrans.encaissement import FormulaireEncaissement
    from modele.db import session as ouvrir
    from modele.reglements import Reglement

    numero, reference, a_payer = _facture_prelevee(engine)
    with ouvrir(engine) as s:
        avant = s.exec(select(func.count()).select_from(Reglement)).one()
    app = fabrique_app(DECEMBRE)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, *REGIE)
        await ouvrir_famille(pilot, numero)
        await pilot.press("p")
        await attendre(pilot, lambda: isinstance(app.screen, FormulaireEncaissement))
        formulaire = app.screen
        options = formulaire.query_one("#champ-factures")
        await attendre(pilot, lambda: options.option_count > 0)
        libelles = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any(
            libelle.startswith(reference) and libelle.endswith("prélevée le 15/12")
            for libelle in libelles
        ), libelles
        formulaire.query_one("#champ-montant").value = f"{a_payer // 100},{a_payer % 100:02d}"
        formulaire.query_one("#mode-carte").value = True
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        question = app.screen.question
        assert f"Prélèvement déjà transmis à la banque : {reference} le 15/12/2026" in question
        assert "payée deux fois" in question
        await pilot.press("n")
        await attendre(pilot, lambda: app.screen is formulaire)
        with ouvrir(engine) as s:
            assert s.exec(select(func.count()).select_from(Reglement)).one() == avant
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        await pilot.press("o")
        await attendre(
            pilot, lambda: isinstance(app.screen, Confirmation) and "reçu" in app.screen.question
        )
    with ouvrir(engine) as s:
        assert s.exec(select(func.count()).select_from(Reglement)).one() == avant + 1


async def test_avoir_sur_une_facture_deja_prelevee_demande_avant(fabrique_app, engine):
    """A credit note on an invoice the bank is to debit: the whole invoice will still be
    debited, so the form is asked for first (« Non »: no form), as the payment is."""
    from ecrans.facture_detail import FormulaireAvoir

    numero, reference, _ = _facture_prelevee(engine)
    app = fabrique_app(DECEMBRE)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, *REGIE)
        await ouvrir_famille(pilot, numero)
        await pilot.press("4")
        liste = app.screen.query_one("#releve-operations")
        await attendre(pilot, lambda: liste.has_focus and reference in liste_des(app))
        await pilot.press("home", *["down"] * liste_des(app).index(reference))
        for reponse in ("n", "o"):
            await pilot.press("v")
            await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
            question = app.screen.question
            assert f"Prélèvement déjà transmis à la banque : {reference} le 15/12/2026" in (
                question
            )
            await pilot.press(reponse)
            await attendre(pilot, lambda: not isinstance(app.screen, Confirmation))
            assert isinstance(app.screen, FormulaireAvoir) is (reponse == "o")


def liste_des(app) -> list[str]:
    """The Relevé's operation numbers, in their order."""
    return [r[0] for r in lignes(app, "#releve-operations")]


async def test_regie_suivante_avec_une_seule_regie_le_dit(fabrique_app):
    """g (« Régie suivante ») with a single régie said nothing and did nothing in F6, the
    reminders and the direct debits (F4 already said why)."""
    from ecrans.caisse import EcranCaisse

    app = fabrique_app(REFERENCE)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, *REGIE)
        await ouvrir_f6(pilot)
        await pilot.press("g")
        await attendre(pilot, lambda: "Une seule régie facture ici" in " ".join(messages(app)))
        for touche, ecran, verbe in (
            ("r", EcranRelances, "relance"),
            ("p", EcranPrelevements, "prélève"),
        ):
            await pilot.press(touche)
            await attendre(pilot, lambda e=ecran: isinstance(app.screen, e))
            await pilot.press("g")
            await attendre(
                pilot, lambda v=verbe: f"Une seule régie {v} ici" in " ".join(messages(app))
            )
            await pilot.press("escape")
            await attendre(pilot, lambda: isinstance(app.screen, EcranFacturation))
        await pilot.press("escape")
        await pilot.press("f4")
        await attendre(pilot, lambda: isinstance(app.screen, EcranCaisse))
        await pilot.press("g")
        await attendre(pilot, lambda: "Une seule régie tient sa caisse" in " ".join(messages(app)))
