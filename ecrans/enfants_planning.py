"""Mes enfants, the actions on the grid's cells: booking, absence, medical certificate,
presence, and the cell's menu (Entrée or a right click).

Each chain of dialogs is one worker that reads top to bottom: the dialog is awaited
(`push_screen_wait`), then the rule is called through `app.agir`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from textual import work

from ecrans.grille_planning import GrillePlanning
from ecrans.planning_actions import DeclarationAbsence, MenuCellule, Pointage
from ecrans.widgets import Confirmation, SaisieMotif, ouvre_un_dialogue
from modele.agents import PERMISSIONS, peut
from modele.base import ErreurMetier
from modele.formats import date_courte
from modele.planning import EtatConsommation
from modele.reservations import (
    CHAMP_AVOIR,
    CHAMP_EXCLUSIF,
    declarer_absence,
    demander_reservation,
    enregistrer_certificats,
    exiger_jours_passes,
    jours_absentables,
    jours_reservables,
    pointer_jours,
)


def resume_jours(jours: list[dt.date]) -> str:
    if len(jours) == 1:
        return f"le {date_courte(jours[0])}"
    return f"{len(jours)} jours : " + ", ".join(f"{j:%d/%m}" for j in jours)


def laisses_de_cote(exclus: dict[str, list[dt.date]], debut: str = " Laissés de côté") -> str:
    """« Laissés de côté : le 03/12 (délai dépassé…) ; 2 jours : 07/12, 14/12 (déjà
    « Régulier »). », each day with why (empty when none)."""
    if not exclus:
        return ""
    return (
        f"{debut} : "
        + " ; ".join(f"{resume_jours(sorted(js))} ({raison})" for raison, js in exclus.items())
        + "."
    )


class ActionsPlanning:
    """The cell actions of OngletEnfants (which provides enfant_id, notify, app and
    _apres(message): say it, repaint the month and the counters)."""

    def _cible(self) -> tuple[int, str, list[dt.date]] | None:
        grille_widget = self.query_one(GrillePlanning)
        if not grille_widget.lignes_actives:
            self.notify(
                "Aucune activité à cette date : inscrivez d'abord l'enfant.", severity="warning"
            )
            return None
        activite = grille_widget.grille.lignes[grille_widget.ligne].activite
        return activite.id, activite.nom, grille_widget.jours_choisis()

    @ouvre_un_dialogue
    @work
    async def action_reservation(self) -> None:
        """A booking request; past the deadline or the capacity, the régisseur may book by
        derogation after a confirmation."""
        cible = self._cible()
        if cible is None:
            return
        activite_id, nom, jours = cible
        app = self.app
        exclus: dict[str, list[dt.date]] = {}
        if len(jours) > 1:  # (one day: modele says why it cannot be, if it cannot)
            possibles, exclus = app.lire(
                jours_reservables, app.contexte(), self.enfant_id, activite_id, jours
            )
            if not possibles:  # (every day chosen: each with why)
                self.notify(
                    laisses_de_cote(exclus, "Aucun de ces jours ne peut être réservé"),
                    severity="error",
                    timeout=10,
                )
                return
            jours = possibles
        derogation = False
        while True:
            try:
                app.agir(
                    demander_reservation,
                    app.contexte(),
                    self.enfant_id,
                    activite_id,
                    jours,
                    derogation,
                )
                break
            except ErreurMetier as e:
                depassement = e.message.startswith(("Délai dépassé", "Complet"))
                if depassement and not derogation and peut(app.agent, "deroger_reservation"):
                    question = f"{e.message}\nRéserver quand même, par dérogation du régisseur ?"
                    if await app.push_screen_wait(Confirmation(question)):
                        derogation = True
                        continue
                    # Declined: the days in time and with room, if there are (nothing was
                    # booked at all, where an agent d'accueil had those booked).
                    possibles, autres = app.lire(
                        jours_reservables,
                        app.contexte(),
                        self.enfant_id,
                        activite_id,
                        jours,
                        sans_derogation=True,
                    )
                    if not possibles or len(jours) < 2:
                        return
                    jours = possibles
                    for raison, laisses in autres.items():
                        exclus.setdefault(raison, []).extend(laisses)
                    continue
                self.notify(e.message, severity="error", timeout=8)
                return
        self._apres(
            f"Demande de réservation « {nom} » {resume_jours(jours)} : en cours de traitement."
            + laisses_de_cote(exclus)
        )

    @ouvre_un_dialogue
    @work
    async def action_absence(self) -> None:
        cible = self._cible()
        if cible is None:
            return
        activite_id, nom, jours = cible
        app = self.app
        exclus: list[dt.date] = []
        if len(jours) > 1:  # (one day: modele says why it cannot be, if it cannot)
            possibles, exclus = app.lire(jours_absentables, self.enfant_id, activite_id, jours)
            if possibles:
                jours = possibles
            else:
                exclus = []
        laisses = (
            f" — laissé de côté (pas réservé, ou déjà facturé) : {resume_jours(exclus)}"
            if exclus
            else ""
        )
        absence = await app.push_screen_wait(
            DeclarationAbsence(f"{nom}, {resume_jours(jours)}{laisses}")
        )
        if absence is None:
            return
        fait, _ = app.agir_ou_signaler(
            declarer_absence,
            app.contexte(),
            self.enfant_id,
            activite_id,
            jours,
            absence.motif,
            absence.certificat,
            confirme=True,
        )
        if fait:
            self._apres(
                f"Absence « {nom} » {resume_jours(jours)} déclarée : en cours de traitement."
                + (f" Laissés de côté : {resume_jours(exclus)}." if exclus else "")
            )

    @ouvre_un_dialogue
    @work
    async def action_certificat(self) -> None:
        """On a day already invoiced, the credit note is part of the action: asked first."""
        cible = self._cible()
        if cible is None:
            return
        activite_id, _nom, jours = cible
        app = self.app
        avec_avoir = False
        while True:
            try:
                app.agir(
                    enregistrer_certificats,
                    app.contexte(),
                    self.enfant_id,
                    activite_id,
                    jours,
                    avec_avoir,
                )
                break
            except ErreurMetier as e:
                if e.champ == CHAMP_AVOIR and not peut(app.agent, "avoir"):
                    self.notify(
                        f"{e.message.rsplit('. ', 1)[0]}. {PERMISSIONS['avoir'].refus}",
                        severity="error",
                        timeout=8,
                    )
                    return
                if e.champ == CHAMP_AVOIR and not avec_avoir:
                    if not await app.push_screen_wait(Confirmation(e.message)):
                        return
                    avec_avoir = True
                    continue
                self.notify(e.message, severity="error", timeout=8)
                return
        suite = " Avoir émis pour le jour facturé." if avec_avoir else ""
        self._apres(f"Certificat médical enregistré {resume_jours(jours)}.{suite}")

    @ouvre_un_dialogue
    @work
    async def action_pointage(self) -> None:
        """Presence, absence…; the exclusive pair is forced only with a reason, kept in the
        journal."""
        cible = self._cible()
        if cible is None:
            return
        activite_id, nom, jours = cible
        app = self.app
        try:
            exiger_jours_passes(jours, app.aujourdhui)
        except ErreurMetier as e:
            self.notify(e.message, severity="error", timeout=8)
            return
        etat = await app.push_screen_wait(Pointage(f"{nom}, {resume_jours(jours)}"))
        if etat is None:
            return
        derogation = ""
        while True:
            try:
                app.agir(
                    pointer_jours,
                    app.contexte(),
                    self.enfant_id,
                    activite_id,
                    jours,
                    etat,
                    derogation,
                )
                break
            except ErreurMetier as e:
                if e.champ == CHAMP_EXCLUSIF and not derogation:
                    derogation = await app.push_screen_wait(
                        SaisieMotif(
                            e.message,
                            "Motif de la dérogation (gardé au journal) *",
                            "Pointer quand même",
                        )
                    )
                    if not derogation:
                        return
                    continue
                self.notify(e.message, severity="error", timeout=8)
                return
        suite = " par dérogation" if derogation else ""
        self._apres(f"{EtatConsommation(etat).libelle} pointé {resume_jours(jours)}{suite}.")

    def actions_cellule(self) -> dict[str, Callable[[], object]]:
        """The cell menu's choices (planning_actions.ACTIONS_CELLULE), by name."""
        return {
            "reservation": self.action_reservation,
            "absence": self.action_absence,
            "certificat": self.action_certificat,
            "pointage": self.action_pointage,
        }

    @ouvre_un_dialogue
    @work
    async def action_menu(self) -> None:
        cible = self._cible()
        if cible is None:
            return
        _, nom, jours = cible
        choix = await self.app.push_screen_wait(MenuCellule(f"{nom}, {resume_jours(jours)}"))
        if choix:
            self.actions_cellule()[choix]()
