"""PDF exports read back as text (pypdf), file writing and printing. No database: the seed's
DUPONT JEAN is built from plain model instances."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pypdf
import pytest

from exports.facture import FactureAImprimer, facture_pdf, factures_pdf
from exports.fiche_inscription import fiche_inscription_pdf
from exports.fichiers import ecrire, imprimer, nom_sur
from exports.lettres import montant_en_lettres, nombre_en_lettres
from exports.recu import recu_pdf
from exports.releve import releve_pdf
from modele.facturation import Facture, LigneFacture
from modele.famille import Enfant, Famille, PersonneAutorisee, Responsable
from modele.planning import Activite
from modele.reglements import Affectation, Operation, Reglement, Releve
from modele.structure import Collectivite, Regie

J = dt.date
EDITE_LE = dt.datetime(2015, 5, 4, 10, 32)


def texte(data: bytes) -> str:
    lecteur = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in lecteur.pages)


def pages(data: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


# -- the seed, in memory ------------------------------------------------------------------

COMMUNE = Collectivite(
    id=1,
    nom="Commune de Sant-Jean",
    adresse="Place de la Mairie, 31400 SANT - JEAN",
    contact_factures="04.68.57.95.96 - regie@sant-jean.fr",
    contact_inscriptions="Accueil de Loisirs 05.61.00.12.34",
)
REGIE = Regie(id=1, collectivite_id=1, code="AL", libelle="Régie garderie ALSH")
FAMILLE = Famille(id=7, numero="1001001818331", situation="Séparé")
JEAN = Responsable(
    id=1,
    famille_id=7,
    civilite="Monsieur",
    nom="DUPONT",
    prenoms="JEAN",
    qualite="Père",
    adresse="12 RUE DES BONBONS",
    code_postal="31400",
    ville="SANT - JEAN",
    telephone_domicile="01.02.03.04.05",
    email="jean.dupont@wanadoo.fr",
)
JEANNE = Responsable(
    id=2,
    famille_id=7,
    role="conjoint",
    civilite="Madame",
    nom="DUPONT",
    prenoms="JEANNE",
    qualite="Mère",
    adresse="Lotissement les bons bonbons",
    code_postal="31400",
    ville="SANT - JEAN",
)
LUCAS = Enfant(
    id=3,
    famille_id=7,
    nom="DUPONT",
    prenoms="Lucas",
    sexe="M",
    date_naissance=J(2007, 6, 14),
    niveau="elementaire",
    ecole="École élémentaire Jules Ferry",
    classe="CE2",
    medecin="Dr Martine FABRE",
    telephone_medecin="05 61 40 22 18",
    autorisation_photo=True,
)
ALSH, GARDERIE = "Accueil de Loisirs ALSH", "Garderie périscolaire"
TOUS = "maternelle,elementaire"
ACTIVITES = [
    Activite(
        id=i + 1,
        regie_id=1,
        code=code,
        structure=structure,
        libelle=libelle,
        ordre=i + 1,
        niveaux=niveaux,
        groupe_exclusif=groupe,
    )
    for i, (code, structure, libelle, niveaux, groupe) in enumerate(
        [
            ("ALSH-MER-AM", ALSH, "Mercredi après-midi", TOUS, ""),
            ("ALSH-MER-J", ALSH, "Mercredi journée", TOUS, ""),
            ("ALSH-VAC-AM", ALSH, "Vacances après-midi", TOUS, ""),
            ("ALSH-VAC-J", ALSH, "Vacances journée", TOUS, ""),
            ("ALSH-VAC-M", ALSH, "Vacances matin", TOUS, ""),
            ("GP-MATIN", GARDERIE, "Garderie matin", TOUS, ""),
            ("GP-REST", GARDERIE, "Restauration scolaire", TOUS, ""),
            ("GP-TL", GARDERIE, "Temps libre", "elementaire", "soir"),
            ("GP-AD", GARDERIE, "Aide aux devoirs", "elementaire", "soir"),
        ]
    )
]
PAR_CODE = {a.code: a for a in ACTIVITES}


def facture(
    reference: str,
    numero: int,
    debut: dt.date,
    fin: dt.date,
    jours: dict[str, tuple[int, int]],
    id_: int,
) -> tuple[Facture, list[LigneFacture]]:
    lignes = [
        LigneFacture(
            id=id_ * 10 + i,
            facture_id=id_,
            enfant_id=LUCAS.id,
            activite_id=PAR_CODE[code].id,
            libelle=f"Lucas — {PAR_CODE[code].nom}",
            quantite=n,
            prix_unitaire=pu,
            montant=n * pu,
        )
        for i, (code, (n, pu)) in enumerate(jours.items())
    ]
    f = Facture(
        id=id_,
        regie_id=1,
        numero=numero,
        reference=reference,
        famille_id=7,
        date_emission=J(2015, 4, 8),
        date_echeance=J(2015, 4, 30),
        periode_debut=debut,
        periode_fin=fin,
        total=sum(ligne.montant for ligne in lignes),
        cree_le=dt.datetime(2015, 4, 8, 9),
    )
    return f, lignes


AL36, LIGNES_AL36 = facture(
    "AL-36",
    36,
    J(2015, 4, 1),
    J(2015, 4, 30),
    {"ALSH-MER-AM": (2, 800), "ALSH-VAC-J": (4, 1600), "GP-MATIN": (7, 160), "GP-REST": (7, 420)},
    36,
)
AL12, LIGNES_AL12 = facture(
    "AL-12",
    12,
    J(2015, 2, 1),
    J(2015, 3, 31),
    {"ALSH-MER-AM": (5, 800), "ALSH-VAC-J": (4, 1600), "GP-MATIN": (24, 160), "GP-REST": (24, 420)},
    12,
)
AL228 = Reglement(
    id=228,
    regie_id=1,
    numero=228,
    reference="AL-228",
    famille_id=7,
    date=J(2015, 4, 8),
    mode="cheque",
    reference_paiement="0004512",
    banque="La Banque Postale",
    payeur="DUPONT JEAN",
    montant=24320,
    cree_le=dt.datetime(2015, 4, 8, 9, 1),
)


def a_imprimer(
    f: Facture = AL36, lignes: list[LigneFacture] = LIGNES_AL36, **autres
) -> FactureAImprimer:
    return FactureAImprimer(
        collectivite=COMMUNE,
        regie=REGIE,
        famille=FAMILLE,
        responsable=JEAN,
        facture=f,
        lignes=lignes,
        enfants={LUCAS.id: LUCAS},
        activites={a.id: a for a in ACTIVITES},
        **autres,
    )


# -- invoice ------------------------------------------------------------------------------


def test_les_totaux_du_seed():
    assert AL36.total == 12060
    assert AL12.total == 24320


def test_facture_al36():
    data = facture_pdf(a_imprimer(deja_paye=0, reste_du=12060), edite_le=EDITE_LE)
    assert data.startswith(b"%PDF")
    lu = texte(data)
    for attendu in (
        "FACTURE",
        "AL-36",
        "08/04/2015",
        "30/04/2015",
        "120,60",
        "DUPONT",
        "1001001818331",
        "€",
        "Monsieur DUPONT JEAN",
        "12 RUE DES BONBONS",
        "31400 SANT - JEAN",
        "du 01/04/2015 au 30/04/2015",
        "Régie garderie ALSH",
        "Commune de Sant-Jean",
        "Lucas DUPONT",
        "Garderie périscolaire",
        "Restauration scolaire",
        "4,20",
        "29,40",
        "Reste à payer",
        "Déjà réglé",
        "Trésor public",
        "Portail Famille",
        "Page 1 / 1",
        "Édité le 04/05/2015",
    ):
        assert attendu in lu, attendu
    assert pages(data) == 1


def test_facture_deja_payee_en_partie_et_modalites_de_la_regie():
    regie = REGIE.model_copy(update={"modalites_paiement": "Chèque, espèces, CESU"})
    data = facture_pdf(
        FactureAImprimer(
            COMMUNE,
            regie,
            FAMILLE,
            JEAN,
            AL36,
            LIGNES_AL36,
            {LUCAS.id: LUCAS},
            {a.id: a for a in ACTIVITES},
            deja_paye=2060,
            reste_du=10000,
        ),
        edite_le=EDITE_LE,
    )
    lu = texte(data)
    assert "20,60" in lu and "100,00" in lu
    assert "Chèque, espèces, CESU" in lu


def test_avoir():
    avoir = Facture(
        id=50,
        regie_id=1,
        nature="avoir",
        numero=1,
        reference="AL-AV1",
        famille_id=7,
        date_emission=J(2015, 4, 20),
        date_echeance=J(2015, 4, 20),
        periode_debut=J(2015, 4, 1),
        periode_fin=J(2015, 4, 30),
        total=1600,
        facture_origine_id=36,
        motif="Journée de vacances annulée (fermeture)",
        cree_le=dt.datetime(2015, 4, 20, 9),
    )
    ligne = LigneFacture(
        id=500,
        facture_id=50,
        enfant_id=LUCAS.id,
        activite_id=PAR_CODE["ALSH-VAC-J"].id,
        libelle="Lucas",
        quantite=1,
        prix_unitaire=1600,
        montant=1600,
    )
    lu = texte(facture_pdf(a_imprimer(avoir, [ligne], facture_origine=AL36), edite_le=EDITE_LE))
    assert "AVOIR" in lu and "AL-AV1" in lu
    assert "Journée de vacances annulée" in lu
    assert "AL-36" in lu and "16,00" in lu
    assert "Reste à payer" not in lu


def test_facture_longue_sur_plusieurs_pages_et_plusieurs_enfants():
    emma = Enfant(id=4, famille_id=7, nom="DUPONT", prenoms="Emma", date_naissance=J(2010, 1, 2))
    lignes = [
        LigneFacture(
            id=i,
            facture_id=36,
            enfant_id=(LUCAS.id if i % 2 else emma.id),
            activite_id=None,
            libelle=f"Prestation n° {i} " + "très longue " * 8,
            quantite=1,
            prix_unitaire=100,
            montant=100,
        )
        for i in range(60)
    ]
    f = AL36.model_copy(update={"total": 6000})
    data = facture_pdf(
        FactureAImprimer(COMMUNE, REGIE, FAMILLE, JEAN, f, lignes, {LUCAS.id: LUCAS, 4: emma}, {}),
        edite_le=EDITE_LE,
    )
    n = pages(data)
    assert n >= 2
    lu = texte(data)
    assert f"Page {n} / {n}" in lu and "Sous-total Emma" in lu and "60,00" in lu


def test_un_caractere_hors_latin1_ne_devient_pas_un_carre():
    jean = JEAN.model_copy(update={"prenoms": "Ștefan Łukasz"})
    lu = texte(
        facture_pdf(
            FactureAImprimer(COMMUNE, REGIE, FAMILLE, jean, AL36, LIGNES_AL36), edite_le=EDITE_LE
        )
    )
    assert "Stefan Lukasz" in lu and "■" not in lu


def test_facture_d_une_regie_recouvree_par_la_tresorerie():
    regie = REGIE.model_copy(update={"encaissement_tresorerie": True})
    lu = texte(
        facture_pdf(
            FactureAImprimer(COMMUNE, regie, FAMILLE, JEAN, AL36, LIGNES_AL36), edite_le=EDITE_LE
        )
    )
    assert "Trésorerie" in lu and "TALON" not in lu


def test_factures_dans_un_seul_pdf():
    liste = [a_imprimer(reste_du=12060), a_imprimer(AL12, LIGNES_AL12, reste_du=0)] * 5
    data = factures_pdf(iter(liste), edite_le=EDITE_LE)
    assert pages(data) == 10
    lecteur = pypdf.PdfReader(io.BytesIO(data))
    assert "AL-12" in lecteur.pages[1].extract_text()
    assert "Page 1 / 1" in lecteur.pages[9].extract_text()
    with pytest.raises(ValueError):
        factures_pdf([], edite_le=EDITE_LE)


# -- relevé, reçu, fiche ------------------------------------------------------------------


def releve_seed() -> Releve:
    operations = [
        Operation(
            "AL-36",
            J(2015, 4, 8),
            "Facture : 01/04/2015 - 30/04/2015",
            "Régie garderie ALSH",
            12060,
            0,
            facture_id=36,
        ),
        Operation(
            "AL-228",
            J(2015, 4, 8),
            "Règlement : Chèque",
            "Régie garderie ALSH",
            0,
            24320,
            reglement_id=228,
        ),
        Operation(
            "AL-12",
            J(2015, 4, 8),
            "Facture : 01/02/2015 - 31/03/2015",
            "Régie garderie ALSH",
            24320,
            0,
            facture_id=12,
        ),
    ]
    return Releve(2014, operations, 0, 36380, 24320)


def test_releve_2014_2015():
    data = releve_pdf(COMMUNE, FAMILLE, JEAN, releve_seed(), edite_le=EDITE_LE)
    lu = texte(data)
    for attendu in (
        "RELEVÉ DE COMPTE",
        "Année scolaire : 2014-2015",
        "Relevé des opérations",
        "N° opération",
        "Date",
        "Description",
        "Régie",
        "Débit",
        "Crédit",
        "AL-36",
        "AL-228",
        "Règlement : Chèque",
        "AL-12",
        "Ancien solde",
        "0,00",
        "363,80",
        "243,20",
        "120,60",
        "Solde du compte pour l'année scolaire",
        "1001001818331",
        "Facture : 01/04/2015 - 30/04/2015",
    ):
        assert attendu in lu, attendu
    assert lu.index("AL-36") < lu.index("AL-228") < lu.index("AL-12")


def test_releve_vide_et_titre_ormc():
    vide = texte(
        releve_pdf(COMMUNE, FAMILLE, JEAN, Releve(2015, [], 12060, 0, 0), edite_le=EDITE_LE)
    )
    assert "Aucune opération" in vide and "120,60" in vide
    ormc = Releve(
        2015,
        [Operation("TR-4", J(2015, 10, 1), "Titre émis (ORMC n°12)", "Régie cantine", 0, 5000)],
        0,
        0,
        5000,
    )
    assert "Trésorerie" in texte(releve_pdf(COMMUNE, FAMILLE, JEAN, ormc, edite_le=EDITE_LE))


def test_recu_al228():
    affectations = [Affectation(id=1, reglement_id=228, facture_id=12, montant=24320)]
    data = recu_pdf(
        COMMUNE, REGIE, FAMILLE, JEAN, AL228, affectations, {12: AL12}, edite_le=EDITE_LE
    )
    lu = texte(data)
    for attendu in (
        "REÇU DE PAIEMENT",
        "AL-228",
        "243,20",
        "Chèque",
        "0004512",
        "La Banque Postale",
        "DUPONT JEAN",
        "AL-12",
        "08/04/2015",
        "deux cent quarante-trois euros et vingt centimes",
        "Régie garderie ALSH",
        "Fait à SANT - JEAN",
    ):
        assert attendu in lu, attendu
    assert "Reste en crédit" not in lu


def test_recu_d_un_reglement_pris_apres_la_cloture_signe_le_jour_meme():
    """Taken on Friday after the closing, dated the next cash day: the receipt handed over
    on Friday is signed that day (it said « Fait … le » the Saturday); the payment's date
    stays the Saturday."""
    apres_cloture = AL228.model_copy(
        update={"date": J(2015, 4, 11), "cree_le": dt.datetime(2015, 4, 10, 18, 5)}
    )
    lu = texte(
        recu_pdf(COMMUNE, REGIE, FAMILLE, JEAN, apres_cloture, [], {}, edite_le=J(2015, 4, 10))
    )
    assert "Fait à SANT - JEAN, le 10/04/2015" in lu
    assert "Date du règlement" in lu and "11/04/2015" in lu


def test_releve_sur_plusieurs_pages():
    operations = [
        Operation(
            f"AL-{i}",
            J(2015, 4, 8),
            "Facture : 01/04/2015 - 30/04/2015",
            "Régie garderie ALSH",
            1000,
            0,
        )
        for i in range(80)
    ]
    data = releve_pdf(
        COMMUNE, FAMILLE, JEAN, Releve(2014, operations, 0, 80000, 0), edite_le=EDITE_LE
    )
    n = pages(data)
    assert n >= 2
    dernier = pypdf.PdfReader(io.BytesIO(data)).pages[-1].extract_text()
    assert f"Page {n} / {n}" in dernier and "800,00" in dernier and "N° opération" in dernier


def test_avis_d_annulation():
    annule = AL228.model_copy(
        update={
            "id": 229,
            "reference": "AL-229",
            "montant": -24320,
            "annule_reglement_id": 228,
            "motif": "Chèque impayé",
        }
    )
    lu = texte(recu_pdf(COMMUNE, REGIE, FAMILLE, JEAN, annule, [], {}, edite_le=EDITE_LE))
    assert "ANNULATION" in lu and "Chèque impayé" in lu and "243,20" in lu


def test_recu_avec_credit():
    reglement = AL228.model_copy(update={"montant": 30000, "mode": "especes"})
    affectations = [Affectation(id=1, reglement_id=228, facture_id=12, montant=24320)]
    lu = texte(
        recu_pdf(
            COMMUNE, REGIE, FAMILLE, JEAN, reglement, affectations, {12: AL12}, edite_le=EDITE_LE
        )
    )
    assert "Espèces" in lu and "Reste en crédit sur votre compte : 56,80" in lu


def test_fiche_vierge():
    data = fiche_inscription_pdf(COMMUNE, 2015, ACTIVITES, edite_le=EDITE_LE)
    lu = texte(data)
    for attendu in (
        "FICHE D'INSCRIPTION",
        "Année scolaire 2015-2016",
        "L'enfant",
        "Nom",
        "Date de naissance",
        "Responsable 1",
        "Responsable 2",
        "Allergies",
        "PAI",
        "Médecin traitant",
        "Autorisations",
        "quitter seul",
        "Personnes autorisées à venir chercher l'enfant",
        "Activités souhaitées",
        "Mercredi après-midi",
        "Restauration scolaire",
        "Signature",
    ):
        assert attendu in lu, attendu
    assert "DUPONT" not in lu
    assert "Temps libre" in lu and "OU" in lu


def test_fiche_pre_remplie():
    grand_mere = PersonneAutorisee(
        id=1,
        enfant_id=3,
        nom="MARTIN",
        prenom="Odette",
        lien="Grand-mère",
        telephone="05 61 00 00 01",
    )
    data = fiche_inscription_pdf(
        COMMUNE,
        2015,
        ACTIVITES,
        enfant=LUCAS,
        famille=FAMILLE,
        responsables=[JEAN, JEANNE],
        personnes=[grand_mere],
        activites_choisies={PAR_CODE["GP-REST"].id},
        edite_le=EDITE_LE,
    )
    lu = texte(data)
    for attendu in (
        "DUPONT",
        "Lucas",
        "14/06/2007",
        "École élémentaire Jules Ferry",
        "CE2",
        "JEAN",
        "JEANNE",
        "12 RUE DES BONBONS",
        "Lotissement les bons bonbons",
        "01.02.03.04.05",
        "jean.dupont@wanadoo.fr",
        "Dr Martine FABRE",
        "MARTIN",
        "Grand-mère",
        "1001001818331",
    ):
        assert attendu in lu, attendu
    assert pages(data) in (1, 2, 3)


# -- amounts in words ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "n, mots",
    [
        (0, "zéro"),
        (1, "un"),
        (17, "dix-sept"),
        (21, "vingt et un"),
        (71, "soixante et onze"),
        (80, "quatre-vingts"),
        (81, "quatre-vingt-un"),
        (91, "quatre-vingt-onze"),
        (99, "quatre-vingt-dix-neuf"),
        (100, "cent"),
        (200, "deux cents"),
        (243, "deux cent quarante-trois"),
        (1000, "mille"),
        (80_000, "quatre-vingt mille"),
        (200_000, "deux cent mille"),
        (1_000_000, "un million"),
        (200_000_000, "deux cents millions"),
    ],
)
def test_nombre_en_lettres(n, mots):
    assert nombre_en_lettres(n) == mots


def test_montant_en_lettres():
    assert montant_en_lettres(24320) == "deux cent quarante-trois euros et vingt centimes"
    assert montant_en_lettres(100) == "un euro"
    assert montant_en_lettres(5) == "cinq centimes"
    assert montant_en_lettres(0) == "zéro euro"
    assert montant_en_lettres(100_000_000) == "un million d'euros"


# -- files and printer --------------------------------------------------------------------


def test_nom_sur():
    assert nom_sur("Facture AL-36 DUPONT Hélène.pdf") == "Facture_AL-36_DUPONT_Helene.pdf"
    assert nom_sur("../../etc/passwd") == "etc_passwd"
    assert nom_sur("") == "document"
    assert nom_sur("CON.pdf") == "_CON.pdf"


def test_ecrire_ne_remplace_jamais(tmp_path):
    dossier = tmp_path / "exports" / "2015"
    premier = ecrire(b"un", dossier, "Facture AL-36.pdf")
    second = ecrire(b"deux", dossier, "Facture AL-36.pdf")
    troisieme = ecrire(b"trois", dossier, "Facture AL-36.pdf")
    assert premier.name == "Facture_AL-36.pdf"
    assert second.name == "Facture_AL-36-2.pdf" and troisieme.name == "Facture_AL-36-3.pdf"
    assert premier.read_bytes() == b"un" and second.read_bytes() == b"deux"


def test_imprimer_sans_imprimante(tmp_path):
    assert imprimer(tmp_path / "x.pdf", "") is None
    assert imprimer(tmp_path / "x.pdf", "  ") is None


def _faux_lp(dossier: Path, code: int) -> None:
    lp = dossier / "lp"
    lp.write_text(
        f'#!/bin/sh\necho "$@" > {dossier}/appel\n'
        f"[ {code} = 0 ] || echo 'lp: The printer or class does not exist.' >&2\n"
        f"exit {code}\n"
    )
    lp.chmod(0o755)


def test_imprimer_avec_lp(tmp_path, monkeypatch):
    fichier = ecrire(b"%PDF", tmp_path, "f.pdf")
    _faux_lp(tmp_path, 0)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    assert imprimer(fichier, "Accueil") == "Envoyé à l'imprimante Accueil"
    assert "-d Accueil" in (tmp_path / "appel").read_text()
    _faux_lp(tmp_path, 1)
    message = imprimer(fichier, "Inconnue")
    assert message.startswith("Échec de l'impression sur Inconnue")
    assert "does not exist" in message


def test_imprimer_sans_lp(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert "lp" in imprimer(tmp_path / "f.pdf", "Accueil")


def _modules_charges(imports: str) -> set[str]:
    code = f"import sys, {imports}; print(' '.join(sys.modules))"
    sortie = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent.parent,
    )
    return {nom.split(".")[0] for nom in sortie.stdout.split()}


def test_le_paquet_ne_charge_pas_reportlab():
    assert "reportlab" not in _modules_charges("exports, exports.fichiers, exports.lettres")


def test_les_exports_ignorent_l_ecran():
    charges = _modules_charges(
        "exports.facture, exports.releve, exports.recu, exports.fiche_inscription, exports.fichiers"
    )
    assert not charges & {"textual", "ecrans", "tui"}


# -- speed (printed, not asserted: the machine is noisy) ----------------------------------


def test_vitesse(tmp_path, capsys):
    facture = a_imprimer(reste_du=12060)
    n = 200
    debut = time.perf_counter()
    for i in range(n):
        ecrire(facture_pdf(facture, edite_le=EDITE_LE), tmp_path, f"AL-{i}.pdf")
    fichiers = n / (time.perf_counter() - debut)
    debut = time.perf_counter()
    data = factures_pdf([facture] * n, edite_le=EDITE_LE)
    un_pdf = n / (time.perf_counter() - debut)
    assert pages(data) == n
    with capsys.disabled():
        print(f"\nfactures : {fichiers:.0f}/s en fichiers séparés, {un_pdf:.0f}/s dans un PDF")
