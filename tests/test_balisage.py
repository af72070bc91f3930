"""Text a person typed is data, never markup (issue 13, point 5): the screens take their text
widgets from ecrans.texte and ecrans.table, and every PDF prints brackets as typed."""

from __future__ import annotations

import ast
import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from exports.facture import facture_pdf
from exports.fiche_inscription import fiche_inscription_pdf
from exports.recu import recu_pdf
from exports.releve import releve_pdf
from modele.famille import PersonneAutorisee
from modele.reglements import Affectation
from tests import test_exports as seed

RACINE = Path(__file__).resolve().parent.parent
# Textual reads a str as markup in these; ours do not (ecrans/texte.py, ecrans/table.py).
LISEUSES = {"Static", "Label", "DataTable", "OptionList", "Select"}
HOSTILES = ("[/kg]", "[@click=app.quit]", "[b]gras[/b]", "[red]", "<b>&amp;</b>", "a < b & c")

JOUR = dt.date(2015, 5, 4)


def test_les_ecrans_prennent_les_widgets_qui_ne_lisent_pas_de_balises():
    fautes = []
    for chemin in sorted([*RACINE.glob("ecrans/*.py"), *RACINE.glob("tui/*.py")]):
        if chemin.name in ("texte.py", "table.py"):
            continue
        for noeud in ast.walk(ast.parse(chemin.read_text())):
            if isinstance(noeud, ast.ImportFrom) and noeud.module == "textual.widgets":
                fautes += [f"{chemin.name}: {a.name}" for a in noeud.names if a.name in LISEUSES]
    assert not fautes, fautes


def _hostile(texte: str) -> str:
    return f"x {texte} y"


@pytest.mark.parametrize("valeur", HOSTILES)
def test_les_pdf_impriment_le_texte_tel_quel(valeur):
    jean = seed.JEAN.model_copy(update={"prenoms": _hostile(valeur), "adresse": _hostile(valeur)})
    lucas = seed.LUCAS.model_copy(
        update={
            "prenoms": _hostile(valeur),
            "allergies": _hostile(valeur),
            "medecin": _hostile(valeur),
        }
    )
    lignes = [ligne.model_copy(update={"libelle": _hostile(valeur)}) for ligne in seed.LIGNES_AL36]
    facture = replace(
        seed.a_imprimer(lignes=lignes, deja_paye=0, reste_du=seed.AL36.total),
        responsable=jean,
        enfants={lucas.id: lucas},
    )
    cheque = seed.AL228.model_copy(
        update={
            "payeur": _hostile(valeur),
            "banque": _hostile(valeur),
            "reference_paiement": _hostile(valeur),
        }
    )
    annulation = seed.AL228.model_copy(
        update={
            "id": 229,
            "reference": "AL-229",
            "montant": -24320,
            "annule_reglement_id": 228,
            "motif": _hostile(valeur),
        }
    )
    affectations = [Affectation(id=1, reglement_id=228, facture_id=12, montant=24320)]
    personne = PersonneAutorisee(
        id=1, enfant_id=3, nom=_hostile(valeur), prenom="Odette", lien=_hostile(valeur)
    )
    pdfs = {
        "facture": facture_pdf(facture, edite_le=JOUR),
        "relevé": releve_pdf(seed.COMMUNE, seed.FAMILLE, jean, seed.releve_seed(), edite_le=JOUR),
        "reçu": recu_pdf(
            seed.COMMUNE,
            seed.REGIE,
            seed.FAMILLE,
            jean,
            cheque,
            affectations,
            {12: seed.AL12},
            edite_le=JOUR,
        ),
        "annulation": recu_pdf(
            seed.COMMUNE, seed.REGIE, seed.FAMILLE, jean, annulation, [], {}, edite_le=JOUR
        ),
        "fiche": fiche_inscription_pdf(
            seed.COMMUNE,
            2015,
            seed.ACTIVITES,
            enfant=lucas,
            famille=seed.FAMILLE,
            responsables=[jean, seed.JEANNE],
            personnes=[personne],
            edite_le=JOUR,
        ),
    }
    for nom, data in pdfs.items():
        assert _hostile(valeur) in seed.texte(data), nom


async def test_les_widgets_de_texte_montrent_les_crochets():
    from textual.app import App
    from textual.widgets import Checkbox

    from ecrans.table import DataTable
    from ecrans.texte import Label, OptionList, Select, Static, brut

    texte = "[/kg] [b]g[/b] [@click=app.quit]"

    class Essai(App[None]):
        def compose(self):
            yield Static(texte, id="static")
            yield Label(texte, id="label")
            yield OptionList(texte, id="options")
            yield Select([(texte, 1)], value=1, id="select")
            yield Checkbox(brut(texte), id="case")
            yield DataTable(id="table")

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("Colonne")
            table.add_row(texte, key="1")
            table.update_cell_at((0, 0), texte + " !")

    app = Essai()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        from tests.test_balisage_app import affiche

        vu = affiche(app)
        assert vu.count(texte) >= 5, vu  # static, label, option, select, checkbox
        assert texte + " !" in vu
