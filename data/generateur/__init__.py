"""The demo's steps, one module each, in the order data.demo.construire_demo runs them:

| step (StatsDemo.etapes) | module |
|---|---|
| reference | `commune` (the commune, régie, staff; `data.reference`'s installers) |
| graines | `data.graines` (the guides' families), `familles.famille_graine` |
| familles | `familles` (bulk insert, journal, search index), `tirage` (one family drawn) |
| planning | `planning` (enrolments, cells), `reservations` (requests of the last days) |
| quotients | `quotients` |
| facturation | `facturation` (billing runs, payments, a refund) |
| relances, mandats | `data.regie_cycle` |
| caisse | `data.caisse` |
| demandes, messages | `demandes`, `messages` |

Every step takes the `atelier.Atelier` (session, draws, clock, régie). Families, children
and planning cells are inserted in bulk (a demo of 50,000 families must stay possible);
everything with a business rule (billing, payments, requests) goes through the model's own
functions, so that the demo shows what the app would have produced.
"""
