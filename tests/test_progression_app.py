"""F6's long actions show their progress in the screen and stop with s where it is safe: the
month's PDF batch (nothing written once stopped) and the preview (a read)."""

from __future__ import annotations

import threading

from textual.widgets import ProgressBar

from ecrans.compat_textual import notifications
from modele.facturation import ETAPE_JOURS
from tests.conftest import REFERENCE
from tests.pilote import attendre, connecter, emettre_mois_en_cours, texte
from tui.config import dossier_donnees

TAILLE = (150, 50)
REGIE = ("regie", "Regie2026")


class Verrou:
    """Holds a worker thread at a point until the test lets it go on."""

    def __init__(self) -> None:
        self.arme = False
        self.arrive = threading.Event()
        self.reprise = threading.Event()

    def attendre_ici(self) -> None:
        if self.arme:
            self.arme = False
            self.arrive.set()
            assert self.reprise.wait(60), "the test never let the worker go on"

    def armer(self) -> None:
        self.arme = True
        self.arrive.clear()
        self.reprise.clear()


def barre(app) -> ProgressBar:
    return app.screen.query_one("#facturation-progression", ProgressBar)


def pdfs() -> list[str]:
    dossier = dossier_donnees() / "exports"
    return sorted(p.name for p in dossier.glob("*.pdf")) if dossier.exists() else []


async def test_impression_du_mois_progresse_puis_s_l_arrete_sans_pdf(fabrique_app, monkeypatch):
    import exports.documents

    verrou = Verrou()
    vraie = exports.documents.a_imprimer
    dessinees = []

    def a_imprimer(*args, **kwargs):
        dessinees.append(1)
        if len(dessinees) == 2:
            verrou.attendre_ici()  # the second invoice: the first is drawn
        return vraie(*args, **kwargs)

    monkeypatch.setattr(exports.documents, "a_imprimer", a_imprimer)
    app = fabrique_app(REFERENCE)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, *REGIE)
        await pilot.press("f6")
        await attendre(pilot, lambda: texte(app, "#facturation-etat").startswith("Rien à"))
        assert "Octobre 2026" in texte(app, "#facturation-titre")  # issued in the demo

        # A whole print: the bar follows the invoices drawn.
        verrou.armer()
        await pilot.press("i")
        await attendre(pilot, verrou.arrive.is_set)
        await attendre(pilot, lambda: barre(app).progress == 1)
        total = barre(app).total
        assert total and total >= 2 and barre(app).display
        assert texte(app, "#facturation-etat") == (
            f"Factures mises en page : 1 / {total:g}… (s pour arrêter : aucun PDF ne sera écrit)"
        )
        await pilot.press("pagedown")  # the month stays while it prints
        assert "Impression en cours : attendez ou arrêtez-la (s)." in notifications(app)
        assert "Octobre 2026" in texte(app, "#facturation-titre")
        verrou.reprise.set()
        await attendre(pilot, lambda: any("PDF enregistré" in m for m in notifications(app)))
        await attendre(pilot, lambda: not barre(app).display)
        assert app.screen.en_cours == ""
        ecrits = pdfs()
        assert ecrits == ["Factures_AL_2026-10.pdf"]

        # Stopped half-way: no file, and the screen says so.
        dessinees.clear()
        verrou.armer()
        await pilot.press("i")
        await attendre(pilot, verrou.arrive.is_set)
        await pilot.press("s")
        assert texte(app, "#facturation-etat").startswith("Arrêt demandé : l'impression")
        verrou.reprise.set()
        await attendre(
            pilot,
            lambda: "Impression arrêtée : aucun PDF n'a été écrit." in notifications(app),
        )
        await attendre(pilot, lambda: not barre(app).display)
        assert texte(app, "#facturation-etat") == (
            "Impression arrêtée : aucun PDF n'a été écrit. i : relancer."
        )
        assert len(dessinees) == 2  # stopped at the next invoice, not drawn to the end
        assert pdfs() == ecrits


async def test_apercu_montre_son_etape_et_s_l_arrete(fabrique_app, monkeypatch):
    import ecrans.facturation

    verrou = Verrou()
    vrai = ecrans.facturation.apercu_facturation

    def apercu(session, regie_id, debut, fin, progression=None):
        if progression is not None and verrou.arme:
            progression(ETAPE_JOURS, 0, None)
            verrou.attendre_ici()
        return vrai(session, regie_id, debut, fin, progression)

    monkeypatch.setattr(ecrans.facturation, "apercu_facturation", apercu)
    app = fabrique_app(REFERENCE)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, *REGIE)
        await pilot.press("f6")
        await attendre(pilot, lambda: texte(app, "#facturation-etat").startswith("Rien à"))
        verrou.armer()
        await pilot.press("pagedown")  # November 2026: families to bill
        await attendre(pilot, verrou.arrive.is_set)
        await attendre(
            pilot,
            lambda: texte(app, "#facturation-etat") == "Jours à facturer… (s pour arrêter)",
        )
        assert barre(app).display and barre(app).total is None
        await pilot.press("s")
        assert texte(app, "#facturation-etat") == "Aperçu arrêté. a : relancer."
        assert not barre(app).display
        verrou.reprise.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        # The stopped preview ended at its next report: nothing shown, the state unchanged.
        assert app.screen.apercu is None
        assert texte(app, "#facturation-etat") == "Aperçu arrêté. a : relancer."
        await pilot.press("a")  # again, to the end
        await attendre(pilot, lambda: app.screen.apercu is not None)
        assert "factures à émettre" in texte(app, "#facturation-etat")


async def s_trop_tard(pilot, verrou: Verrou, touche: str, etape: str, quoi: str) -> None:
    """`touche` starts the work, held by `verrou` in its last step (`etape`): the state line
    says it can no longer be stopped, and s says so too."""
    app = pilot.app
    verrou.armer()
    await pilot.press(touche)
    await attendre(pilot, verrou.arrive.is_set)
    attendu = f"{etape}… (ne peut plus être arrêtée)"
    await attendre(pilot, lambda: texte(app, "#facturation-etat") == attendu)
    await pilot.press("s")
    assert f"{quoi} s'enregistre : elle ne peut plus être arrêtée." in notifications(app)


async def test_impression_arretee_trop_tard_dit_le_pdf_ecrit(fabrique_app, monkeypatch):
    """Once the month's PDF is drawn whole, its writing cannot be stopped: s says so; a stop
    asked by a screen that had not yet heard of that step (its reports came late, 25 s at
    50,000 families) ends with the PDF written, and the screen does not say « aucun PDF »."""
    import exports.facture

    verrou = Verrou()
    vraie = exports.facture.Document.octets

    def octets(document):
        verrou.attendre_ici()
        return vraie(document)

    monkeypatch.setattr(exports.facture.Document, "octets", octets)
    app = fabrique_app(REFERENCE)
    async with app.run_test(size=TAILLE, notifications=True) as pilot:
        await connecter(pilot, *REGIE)
        await pilot.press("f6")
        await attendre(pilot, lambda: texte(app, "#facturation-etat").startswith("Rien à"))
        await s_trop_tard(pilot, verrou, "i", "Écriture du PDF", "L'impression")
        # A screen behind the work: the stop is asked, and comes too late.
        app.screen.sans_arret = False
        await pilot.press("s")
        assert texte(app, "#facturation-etat").startswith("Arrêt demandé : l'impression")
        verrou.reprise.set()
        await attendre(pilot, lambda: any("PDF enregistré" in m for m in notifications(app)))
        await attendre(pilot, lambda: not barre(app).display)
        assert "aucun PDF" not in texte(app, "#facturation-etat")
        assert "Impression arrêtée : aucun PDF n'a été écrit." not in notifications(app)
        assert pdfs() == ["Factures_AL_2026-10.pdf"]


async def test_emission_ne_s_arrete_plus_une_fois_qu_elle_s_enregistre(fabrique_app, monkeypatch):
    """The invoices numbered, their links, lettering and commit are written at once: s then
    says the emission can no longer be stopped, and the invoices are issued."""
    import modele.facturation

    verrou = Verrou()
    vraie = modele.facturation._lier_consommations

    def lier(session):
        verrou.attendre_ici()
        return vraie(session)

    monkeypatch.setattr(modele.facturation, "_lier_consommations", lier)
    app = fabrique_app(REFERENCE)
    async with app.run_test(size=TAILLE, notifications=True) as pilot:
        await connecter(pilot, *REGIE)
        await pilot.press("f6")
        await attendre(pilot, lambda: texte(app, "#facturation-etat").startswith("Rien à"))
        await pilot.press("pagedown")  # November 2026
        await attendre(pilot, lambda: "factures à émettre" in texte(app, "#facturation-etat"))
        await emettre_mois_en_cours(pilot)
        await s_trop_tard(pilot, verrou, "o", "Enregistrement des factures", "L'émission")
        verrou.reprise.set()
        await attendre(pilot, lambda: "Plus rien à facturer." in texte(app, "#facturation-etat"))
        assert any("factures émises" in m for m in notifications(app))


def test_un_seul_avancement_en_attente_a_la_fois():
    """A worker's reports post one message while none waits; the screen reads the last."""
    from ecrans.facturation import DernierAvancement

    postes = []
    avancement = DernierAvancement(postes.append)
    for fait in range(1000):
        avancement("Factures", fait, 999)
    assert postes == [avancement]  # one message for 1,000 reports
    assert avancement.lire() == ("Factures", 999, 999)
    avancement("Écriture du PDF", 0, None)
    assert len(postes) == 2 and avancement.lire() == ("Écriture du PDF", 0, None)
