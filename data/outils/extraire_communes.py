"""Extract the French communes and départements the app needs into data/communes.json.gz.

Source: the npm package ``@etalab/decoupage-administratif`` version 6.0.0 (millésime 2026),
data from INSEE's Code officiel géographique (COG) with La Poste's postcodes. Code under the
MIT licence, data under the Licence Ouverte / Open Licence (Etalab): reuse allowed with
attribution, which data/SOURCES.md gives.

Kept: the "commune-actuelle" entries only (34,969 in 6.0.0; délégées, associées and the
municipal arrondissements of Paris, Lyon and Marseille are left out), with code INSEE, nom,
code département, codes postaux and population (used only to rank search results); and every
département / collectivité d'outre-mer with its name.

Re-run, from the repository root::

    cd "$(mktemp -d)" && npm pack @etalab/decoupage-administratif@6.0.0 \
        && tar xzf etalab-decoupage-administratif-6.0.0.tgz && cd -
    .venv/bin/python data/outils/extraire_communes.py /tmp/tmp.XXXX/package

The output is deterministic (sorted, no timestamp in the gzip header), so an unchanged source
gives an unchanged file.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

PAQUET = "@etalab/decoupage-administratif"
VERSION = "6.0.0"
SORTIE = Path(__file__).resolve().parent.parent / "communes.json.gz"


def extraire(dossier: Path) -> dict:
    meta = json.loads((dossier / "package.json").read_text(encoding="utf-8"))
    if meta.get("name") != PAQUET:
        raise SystemExit(f"{dossier}: not {PAQUET}")
    if meta.get("version") != VERSION:
        print(f"warning: version {meta.get('version')}, expected {VERSION}", file=sys.stderr)
    brut = json.loads((dossier / "data" / "communes.json").read_text(encoding="utf-8"))
    deps = json.loads((dossier / "data" / "departements.json").read_text(encoding="utf-8"))

    communes = sorted(
        [
            c["code"],
            c["nom"],
            c["departement"],
            " ".join(c.get("codesPostaux") or ()),
            int(c.get("population") or 0),
        ]
        for c in brut
        if c["type"] == "commune-actuelle"
    )
    departements = sorted([d["code"], d["nom"]] for d in deps)
    connus = {d[0] for d in departements}
    orphelins = {c[2] for c in communes} - connus
    if orphelins:
        raise SystemExit(f"communes in unknown départements: {sorted(orphelins)}")
    noms_colonnes = ["code_insee", "nom", "departement", "codes_postaux", "population"]
    return {
        "source": f"{PAQUET} {meta.get('version')} (INSEE COG; Licence Ouverte)",
        "departements": departements,
        # by column, which loads twice as fast as a list of rows; codes_postaux space-separated
        "communes": {nom: [c[i] for c in communes] for i, nom in enumerate(noms_colonnes)},
    }


def ecrire(donnees: dict, sortie: Path) -> None:
    texte = json.dumps(donnees, ensure_ascii=False, separators=(",", ":"))
    with (
        open(sortie, "wb") as f,
        gzip.GzipFile(filename="", mode="wb", fileobj=f, compresslevel=9, mtime=0) as gz,
    ):
        gz.write(texte.encode("utf-8"))


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("paquet", type=Path, help="the unpacked npm package folder (package/)")
    p.add_argument("-o", "--sortie", type=Path, default=SORTIE)
    args = p.parse_args(argv)
    donnees = extraire(args.paquet)
    ecrire(donnees, args.sortie)
    print(
        f"{args.sortie}: {len(donnees['communes']['code_insee'])} communes, "
        f"{len(donnees['departements'])} départements, {args.sortie.stat().st_size} bytes"
    )


if __name__ == "__main__":
    main()
