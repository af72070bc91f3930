"""Attestations fiscales from the screens: the year asked in a short form, then the PDF of
one family (Relevé, t) or of every family (F6, t) drawn in the printing worker."""

from __future__ import annotations

from ecrans.formulaire_champs import Champ, FormulaireChamps
from ecrans.impression import imprimer_nomme
from ecrans.widgets import Confirmation
from modele.attestations import attestation_famille
from modele.base import ErreurMetier
from modele.formats import date_courte


def _annee(texte: str) -> int:
    texte = texte.strip()
    if not (texte.isascii() and texte.isdigit() and len(texte) == 4):
        raise ErreurMetier("Année invalide : saisissez AAAA (ex. 2025).", "annee")
    return int(texte)


async def demander_attestations(app, famille_id: int | None) -> None:
    """Ask the calendar year (the last one by default), then print; for one family, a year
    without care paid is refused at the field."""
    from exports.documents import document_attestations

    jour = app.aujourdhui

    def verifier(valeurs: dict[str, str]) -> int:
        annee = _annee(valeurs["annee"])
        if annee > jour.year:
            raise ErreurMetier(f"L'année {annee} n'a pas commencé.", "annee")
        if famille_id is not None:
            try:
                app.lire(attestation_famille, famille_id, annee)
            except ErreurMetier as e:
                raise ErreurMetier(e.message, "annee") from None
        return annee

    titre = (
        "Attestation fiscale de la famille"
        if famille_id is not None
        else "Attestations fiscales de toutes les familles (un PDF)"
    )
    annee = await app.push_screen_wait(
        FormulaireChamps(
            titre,
            [Champ("annee", "Année civile", str(jour.year - 1), "AAAA", 4)],
            verifier,
            aide="Frais de garde des enfants de moins de 6 ans au 1er janvier, repas exclus.",
            bouton="Imprimer",
        )
    )
    if annee is None:
        return
    if annee == jour.year and not await app.push_screen_wait(
        Confirmation(
            f"L'année {annee} n'est pas terminée : "
            f"{'l’attestation ne comptera' if famille_id else 'les attestations ne compteront'} "
            f"que les frais payés jusqu'au {date_courte(jour)}. Imprimer quand même ?"
        )
    ):
        return
    imprimer_nomme(app, lambda: app.lire(document_attestations, annee, jour, famille_id))
