"""Printed documents (PDF with reportlab) and files: pure, domain objects in, bytes out.

Import the submodules where they are used (`from exports.facture import facture_pdf`):
this package itself loads nothing, so the app only pays for reportlab when it prints.
"""
