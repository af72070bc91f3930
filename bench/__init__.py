"""Benchmarks at "grande ville" scale (50,000 families): `python -m bench --base FICHIER.db`.

Not part of the test suite. Each figure is a median over repeated runs, measured beside a
bare floor in the same run (raw SQL on the same file, a bare Textual app, bare reportlab),
and written to bench/RESULTS.md.
"""
