"""The dialogs of the family file that the app builds ahead after login (tui/app.py
`_preparer_dialogues`), each kept and filled at each opening (ecrans.widgets.Modale.GARDEE)."""

from __future__ import annotations

from ecrans.aide_touches import AideTouches
from ecrans.encaissement import FormulaireEncaissement
from ecrans.facture_detail import EcranFacture
from ecrans.formulaire_demande import FormulaireDemande
from ecrans.planning_actions import MenuCellule
from ecrans.redaction import Redaction
from modele.demandes import TypeDemande

# Each: app -> a new dialog, in the forme its openings will ask for; the most used first.
A_L_AVANCE = (
    FormulaireEncaissement.d_avance,
    FormulaireDemande.d_avance(TypeDemande.RESPONSABLE),
    AideTouches.d_avance,
    MenuCellule.d_avance,
    EcranFacture.d_avance,
    Redaction.d_avance,
)
