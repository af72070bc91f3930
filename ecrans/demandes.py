"""Demandes: the family's requests and their fate (read-only here)."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.widgets import DataTable, Static
from sqlmodel import select

from ecrans.widgets import Onglet
from modele.demandes import Demande, StatutDemande, TypeDemande
from modele.famille import Enfant
from modele.formats import date_courte


def detail(d: Demande) -> str:
    """The changed fields, "champ : ancien → nouveau", or the booking's detail."""
    morceaux = []
    for champ, valeur in d.valeurs.items():
        if isinstance(valeur, list) and len(valeur) == 2:
            morceaux.append(f"{champ} : {valeur[0] or '∅'} → {valeur[1] or '∅'}")
        else:
            morceaux.append(f"{champ} : {valeur}")
    return "; ".join(morceaux)


class OngletDemandes(Onglet):
    def compose(self) -> ComposeResult:
        yield Static("Liste des demandes", classes="titre-section")
        table = DataTable(id="demandes-liste", cursor_type="row")
        table.add_columns("Date demande", "Type", "Enfant", "Canal", "Statut", "Date décision",
                          "Motif refus", "Détail")
        yield table

    def charger(self) -> None:
        with self.app.session() as session:
            demandes = list(session.exec(select(Demande).where(
                Demande.famille_id == self.famille_id).order_by(Demande.cree_le.desc())))
            prenoms = {e.id: e.premier_prenom for e in session.exec(
                select(Enfant).where(Enfant.famille_id == self.famille_id))}
        table = self.query_one("#demandes-liste", DataTable)
        table.clear()
        for d in demandes:
            decision = d.decide_le.date() if isinstance(d.decide_le, dt.datetime) else None
            table.add_row(date_courte(d.cree_le.date()), TypeDemande(d.type).libelle,
                          prenoms.get(d.enfant_id, ""), d.canal.capitalize(),
                          StatutDemande(d.statut).libelle, date_courte(decision),
                          d.motif_refus, detail(d)[:80], key=str(d.id))
