"""Reference data (activities, QF brackets, tariffs, calendar) and the demo data set.

`data.reference` is reusable by the app; `data.demo.construire_demo` builds the demo:
the commune of Sant-Jean, the portal guides' families and N generated ones.
"""
