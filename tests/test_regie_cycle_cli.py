"""`guichet relances` and `guichet prelevements` (issue 17) on a copy of the demo base."""

from __future__ import annotations

import os
import re

import sepaxml
import xmlschema
from pypdf import PdfReader

from tui.cli import main

SCHEMA = os.path.join(os.path.dirname(sepaxml.__file__), "schemas", "pain.008.001.02.xsd")


def test_cli_relances_liste_puis_envoi(base, tmp_path, capsys):
    options = ["--base", base.removeprefix("sqlite:///"), "--date", "2026-11-27"]
    assert main(["relances", "--regie", "AL", *options]) == 0
    liste = capsys.readouterr().out
    assert liste.startswith("Régie garderie ALSH (AL) — factures impayées au 27/11/2026")
    assert "2e relance" in liste and "Liste seulement" in liste
    sortie = tmp_path / "relances.pdf"
    assert main(["relances", "--regie", "AL", "--envoyer", "--sortie", str(sortie), *options]) == 0
    assert re.search(r"\d+ relances? enregistrées? \(Courrier\)", capsys.readouterr().out)
    assert "2E RELANCE" in "".join(p.extract_text() for p in PdfReader(sortie).pages)
    assert main(["relances", "--regie", "AL", "--envoyer", *options]) == 0
    assert "Aucune relance à envoyer." in capsys.readouterr().out
    assert main(["relances", "--regie", "ZZ", *options]) != 0


def test_cli_prelevements_fichier_valide(base, tmp_path, capsys):
    options = ["--base", base.removeprefix("sqlite:///"), "--date", "2026-12-07"]
    emission = ["--date-emission", "2026-12-05", "--emettre"]
    assert main(["facturer", "--regie", "AL", "--mois", "2026-11", *emission, *options]) == 0
    capsys.readouterr()
    sortie = tmp_path / "prlv.xml"
    commande = ["prelevements", "--regie", "AL", "--mois", "2026-11"]
    assert main([*commande, "--echeance", "2026-12-15", "--sortie", str(sortie), *options]) == 0
    assert re.search(r"\d+ prélèvements?,", capsys.readouterr().out)
    xmlschema.XMLSchema(SCHEMA).validate(sortie.read_text())
    # Nothing left to debit for that month: refused, with the reason.
    assert main([*commande, "--echeance", "2026-12-15", *options]) == 1
    assert "Aucune facture à prélever" in capsys.readouterr().err


def test_cli_attestations_une_famille_et_toutes(base, tmp_path, capsys):
    options = ["--base", base.removeprefix("sqlite:///"), "--date", "2026-11-27"]
    une = tmp_path / "une.pdf"
    commande = ["attestations", "--annee", "2025"]
    assert main([*commande, "--famille", "1001002460917", "--sortie", str(une), *options]) == 0
    assert "BERTRAND Emma Lucie" in "".join(p.extract_text() for p in PdfReader(une).pages)
    toutes = tmp_path / "toutes.pdf"
    assert main([*commande, "--sortie", str(toutes), *options]) == 0
    assert len(PdfReader(toutes).pages) > 1
    assert main(["attestations", "--annee", "2012", *options]) == 1
    assert "Aucun frais de garde" in capsys.readouterr().err
