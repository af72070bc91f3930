"""Printing from any screen: build the PDF in a worker thread, write it to the exports
folder and send it to the configured printer (in a web browser: download it there), and
tell the agent where it is."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App

from modele.base import Arret


def imprimer_document(
    app: App,
    nom_fichier: str,
    fabriquer: Callable[[], bytes],
    fini: Callable[[bool], None] | None = None,
) -> None:
    """`fabriquer` runs off the UI thread (reportlab is loaded there, on first use)."""
    imprimer_nomme(app, lambda: (nom_fichier, fabriquer()), nom_fichier, fini)


def imprimer_nomme(
    app: App,
    fabriquer: Callable[[], tuple[str, bytes]],
    nom: str = "document",
    fini: Callable[[bool], None] | None = None,
) -> None:
    """As `imprimer_document`, for a document that names its file itself (exports.documents:
    read and drawn in the worker). `fabriquer` may raise `Arret` (the agent stopped it):
    nothing is written. `fini`, if given, is called on the UI thread once it is over, told
    whether the PDF was written (a stop asked once it was drawn whole comes too late)."""

    def _travail() -> None:
        ecrit = False
        try:
            ecrit = _imprimer()
        finally:
            if fini is not None:
                app.call_from_thread(fini, ecrit)

    def _imprimer() -> bool:
        from ecrans.livraison import livrer_depuis_travail

        try:
            nom_fichier, contenu = fabriquer()
            livraison = livrer_depuis_travail(app, contenu, nom_fichier, a_imprimer=True)
        except Arret:
            app.call_from_thread(
                app.notify, "Impression arrêtée : aucun PDF n'a été écrit.", severity="warning"
            )
            return False
        except Exception as erreur:
            app.call_from_thread(
                app.notify, f"Impression impossible : {erreur}", severity="error", timeout=10
            )
            return False
        message = livraison.impression
        texte = f"PDF enregistré : {livraison.lieu}" + (f"\n{message}" if message else "")
        app.call_from_thread(app.notify, texte, timeout=10)
        return True

    app.notify("Préparation du PDF…")
    app.run_worker(_travail, thread=True, group="impression", name=nom)


def imprimer_fiche_inscription(app: App, famille_id: int | None, enfant_id: int | None) -> None:
    """The registration form, pre-filled for a child or blank."""
    from modele.dossier import donnees_fiche

    d = app.lire(
        donnees_fiche, famille_id, enfant_id, app.aujourdhui, app.agent.id if app.agent else None
    )

    def fabriquer() -> bytes:
        from exports.fiche_inscription import fiche_inscription_pdf

        return fiche_inscription_pdf(
            d.collectivite,
            d.annee,
            d.activites,
            enfant=d.enfant,
            famille=d.famille,
            responsables=d.responsables,
            personnes=d.personnes,
            activites_choisies=d.activites_choisies,
            edite_le=app.aujourdhui,
        )

    nom = (
        f"fiche-inscription-{d.enfant.nom}-{d.enfant.premier_prenom}"
        if d.enfant
        else "fiche-inscription-vierge"
    )
    imprimer_document(app, f"{nom}.pdf", fabriquer)
