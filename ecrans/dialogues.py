"""The dialogs of the family file that the app builds ahead after login (tui/app.py
`_preparer_dialogues`), each kept and filled at each opening (ecrans.widgets.Modale.GARDEE)."""

from __future__ import annotations

from ecrans.encaissement import FormulaireEncaissement

# Each: app -> a new dialog, in the forme its openings will ask for.
A_L_AVANCE = (FormulaireEncaissement.d_avance,)
