"""One family drawn as plain rows: the household, its responsables, fiscal and bank data,
children and people allowed to collect them, and the habits the later steps follow.

The draws are made in a fixed order (the household, then each responsable, the family's
file, the children, the authorised people, the habits): a seed always gives the same
families.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from data import noms
from data.generateur.atelier import Atelier, pondere
from data.generateur.identites import adresse, compte_bancaire, email, telephone
from data.reference import CSP
from modele.famille import NiveauScolaire
from modele.reglements import ModeReglement

# Groupe PCS 7: "autres personnes sans activité professionnelle" (no employer, no work phone).
SANS_ACTIVITE = 7


@dataclass
class Tirage:
    """A drawn family: its rows (without ids) and its habits (FamilleGen's fields)."""

    famille: dict
    personnes: list[dict]
    enfants: list[dict]
    autorisees: list[dict]
    traits: dict


@dataclass
class _Foyer:
    """The household being drawn: who lives in it and under which names."""

    situation: str
    en_couple: bool
    avec_conjoint: bool
    ages: list[int]  # the children's ages this school year, eldest first
    nom_pere: str = ""
    nom_mere: str = ""
    premier: str = "F"  # the first responsable's sex
    tuteur: bool = False
    meme_sexe: bool = False


def tirer_famille(a: Atelier, numero: str) -> Tirage:
    """One family as plain rows (without ids) and its generation traits."""
    foyer = _foyer(a)
    personnes, groupes = _responsables(a, foyer)
    nom_enfants = _nom_enfants(a, foyer, personnes[0])
    famille, traits = _famille(a, numero, foyer, personnes, groupes)
    enfants = _enfants(a, foyer.ages, nom_enfants)
    autorisees = _autorisees(a)
    traits.update(_habitudes(a, groupes, foyer.ages, traits["prelevement"]))
    return Tirage(famille, personnes, enfants, autorisees, traits)


def _foyer(a: Atelier) -> _Foyer:
    """The situation, whether a conjoint is on the file, and the children's ages: the
    eldest is at school (3–10 this school year), siblings every 1–4 years."""
    r = a.rng
    situation = pondere(
        r,
        (
            ("Marié", 38),
            ("Pacsé", 13),
            ("Vie maritale", 12),
            ("Séparé", 11),
            ("Divorcé", 11),
            ("Célibataire", 13),
            ("Veuf", 2),
        ),
    )
    en_couple = situation in ("Marié", "Pacsé", "Vie maritale")
    avec_conjoint = en_couple or (situation in ("Séparé", "Divorcé") and r.random() < 0.35)
    nombre = pondere(r, ((1, 35), (2, 40), (3, 18), (4, 7)))
    ages = [r.randint(3, 10)]
    while len(ages) < nombre and ages[-1] - 1 >= 0:
        ages.append(ages[-1] - r.randint(1, 4))
    ages = [age for age in ages if age >= 3 or (age >= 0 and r.random() < 0.5)]
    return _Foyer(situation, en_couple, avec_conjoint, ages)


def _responsables(a: Atelier, foyer: _Foyer) -> tuple[list[dict], list[int]]:
    """The responsable and, in a couple (or sometimes after a separation), the conjoint:
    their rows and their PCS groups."""
    r, f = a.rng, a.faker
    annee_aine = a.annee - foyer.ages[0]
    mere_annee = annee_aine - r.randint(23, 38)
    pere_annee = mere_annee - r.randint(-3, 6)
    foyer.nom_pere, foyer.nom_mere = f.last_name().upper(), f.last_name().upper()
    foyer.premier = "F" if r.random() < (0.55 if foyer.avec_conjoint else 0.82) else "M"
    foyer.tuteur = not foyer.avec_conjoint and r.random() < 0.03
    foyer.meme_sexe = foyer.avec_conjoint and r.random() < 0.02
    commune = adresse(a, r.random() < 0.85)
    personnes, groupes = [], []
    autre = foyer.premier if foyer.meme_sexe else ("M" if foyer.premier == "F" else "F")
    for role, sexe in (("responsable", foyer.premier), ("conjoint", autre)):
        if role == "conjoint" and not foyer.avec_conjoint:
            break
        if sexe == "M":
            nom = nom_naissance = foyer.nom_pere
            naissance = pere_annee
        else:
            nom_naissance = foyer.nom_mere
            marie = foyer.situation == "Marié" and not foyer.meme_sexe
            nom = foyer.nom_pere if marie and r.random() < 0.6 else foyer.nom_mere
            naissance = mere_annee
        if foyer.meme_sexe and role == "conjoint":
            nom = nom_naissance = f.last_name().upper()
        if foyer.tuteur:
            qualite = "Tutrice" if sexe == "F" else "Tuteur"
        else:
            qualite = "Mère" if sexe == "F" else "Père"
        ici = commune if role == "responsable" or foyer.en_couple else adresse(a, r.random() < 0.4)
        personne, groupe = _personne(
            a, role, sexe, qualite, nom, nom_naissance, naissance, ici, role == "responsable"
        )
        personnes.append(personne)
        groupes.append(groupe)
    return personnes, groupes


def _personne(
    a: Atelier,
    role: str,
    sexe: str,
    qualite: str,
    nom: str,
    nom_naissance: str,
    naissance_annee: int,
    ici: dict[str, str],
    payeur: bool,
) -> tuple[dict, int]:
    """One responsable's row (its family's id still to come) and its PCS group."""
    r, f = a.rng, a.faker
    prenom = f.first_name_female() if sexe == "F" else f.first_name_male()
    if r.random() < 0.35:
        prenom += " " + (f.first_name_female() if sexe == "F" else f.first_name_male())
    metier, groupe = _metier(a, sexe)
    courriel = email(a, prenom, nom) if r.random() < (0.92 if payeur else 0.6) else ""
    personne = dict(
        famille_id=None,
        role=role,
        civilite="Madame" if sexe == "F" else "Monsieur",
        nom=nom,
        nom_naissance=nom_naissance,
        prenoms=prenom,
        sexe=sexe,
        qualite=qualite,
        date_naissance=dt.date(naissance_annee, r.randint(1, 12), r.randint(1, 28)),
        **_naissance_lieu(a),
        **ici,
        telephone_domicile=telephone(a, "05") if r.random() < 0.55 else "",
        telephone_professionnel=(
            telephone(a, r.choice(("05", "09")))
            if groupe != SANS_ACTIVITE and r.random() < 0.3
            else ""
        ),
        mobile=telephone(a, r.choice(("06", "07"))) if r.random() < 0.95 else "",
        email=courriel,
        **metier,
        autorisation_sms=r.random() < 0.6,
        autorisation_courriel=bool(courriel) and r.random() < 0.9,
        payeur=payeur,
    )
    return personne, groupe


def _naissance_lieu(a: Atelier) -> dict[str, str]:
    """Birthplace columns: in France, abroad, or not filled yet."""
    r = a.rng.random()
    vide = dict(
        pays_naissance="",
        departement_naissance="",
        commune_naissance="",
        code_insee_naissance="",
        lieu_naissance_etranger="",
    )
    if r < 0.12:  # not filled yet: the QF declaration will ask for it (rule 9)
        return vide
    if r < 0.22:
        pays, lieu = a.rng.choice(noms.NAISSANCES_ETRANGER)
        return vide | dict(pays_naissance=pays, lieu_naissance_etranger=lieu)
    dep, commune, insee = a.rng.choice(noms.COMMUNES_NAISSANCE)
    return vide | dict(
        pays_naissance="FRANCE",
        departement_naissance=dep,
        commune_naissance=commune,
        code_insee_naissance=insee,
    )


def _metier(a: Atelier, sexe: str) -> tuple[dict[str, str], int]:
    """Profession, CSP and employer columns, and the PCS group drawn."""
    r = a.rng
    masc, fem, groupe, _ = pondere(r, ((p, p[3]) for p in noms.PROFESSIONS))
    if groupe == SANS_ACTIVITE:
        employeur = adresse_employeur = ""
    elif groupe in (0, 1):
        employeur, adresse_employeur = "À son compte", ""
    else:
        employeur = r.choice(noms.EMPLOYEURS_PUBLICS) if r.random() < 0.4 else a.faker.company()
        code_postal, ville = r.choice(noms.VILLES_VOISINES)
        adresse_employeur = f"{a.faker.street_address()}, {code_postal} {ville}"
    return dict(
        profession=fem if sexe == "F" else masc,
        csp=CSP[groupe],
        employeur=employeur,
        adresse_employeur=adresse_employeur,
    ), groupe


def _nom_enfants(a: Atelier, foyer: _Foyer, responsable: dict) -> str:
    """The children's name: the father's most often, sometimes both, a ward's own."""
    r, f = a.rng, a.faker
    nom = (
        foyer.nom_pere
        if foyer.avec_conjoint or foyer.premier == "M"
        else (responsable["nom"] if r.random() < 0.6 else foyer.nom_pere)
    )
    if foyer.avec_conjoint and not foyer.meme_sexe and r.random() < 0.08:
        nom = f"{foyer.nom_pere} {foyer.nom_mere}"
    if foyer.tuteur:
        nom = f.last_name().upper()
    return nom


def _famille(
    a: Atelier, numero: str, foyer: _Foyer, personnes: list[dict], groupes: list[int]
) -> tuple[dict, dict[str, Any]]:
    """The family's row (organisme, fiscal data, bank details, portal) and the traits it
    decides: organisme, direct debit, mandate, usual QF, payer's name, creation date."""
    r = a.rng
    organisme = pondere(r, (("CAF", 78), ("MSA", 15 if 0 in groupes else 4), ("", 15)))
    demi_parts = 2 * len(personnes) + (0 if foyer.avec_conjoint else 1)
    demi_parts += sum(1 if i < 2 else 2 for i in range(len(foyer.ages)))
    revenu = sum(noms.REVENUS_CSP[g] for g in groupes) * r.randint(75, 130) // 100
    revenu = revenu // 100 * 100
    qf = max(revenu // 12 * 2 // demi_parts + r.randint(0, 60) * 100, 15000)
    fiscal = r.random() < 0.8
    parts = f"{demi_parts // 2}" + (",5" if demi_parts % 2 else "")
    banque = r.random() < 0.45
    prelevement = banque and r.random() < 0.65
    titulaire = personnes[0]["nom"] + " " + personnes[0]["prenoms"].upper()
    iban, bic, nom_banque = compte_bancaire(a) if banque else ("", "", "")
    annee_aine = a.annee - foyer.ages[0]
    cree_le = min(
        dt.date(annee_aine + 3, 5, 15) + dt.timedelta(days=r.randint(0, 100)),
        a.reference - dt.timedelta(days=60),
    )
    cree_le = max(cree_le, dt.date(2015, 9, 1))
    mandat = f"SJ-AL-{numero}" if prelevement else ""
    famille = dict(
        numero=numero,
        situation=foyer.situation,
        identifiant_portail=numero,
        mot_de_passe_hash=a.hash_portail,
        mot_de_passe_a_changer=r.random() < 0.03,
        organisme=organisme,
        numero_allocataire=f"{r.randrange(10**6, 10**7)}" if organisme else "",
        numero_fiscal=f"{r.randint(0, 3)}{r.randrange(10**12):012d}" if fiscal else "",
        revenu_fiscal_reference=revenu if fiscal else None,
        nombre_parts=parts if fiscal else "",
        annee_revenus=a.annee - 1 if fiscal else None,
        titulaire_compte=titulaire if banque else "",
        iban=iban,
        bic=bic,
        nom_banque=nom_banque,
        prelevement=prelevement,
        mandat_sepa_reference=mandat,
        mandat_sepa_date=cree_le + dt.timedelta(days=r.randint(0, 30)) if prelevement else None,
        cree_le=cree_le,
        version=1,
    )
    traits = dict(
        organisme=organisme,
        prelevement=prelevement,
        mandat=mandat,
        qf=qf,
        nom=titulaire,
        cree_le=cree_le,
        conjoint=foyer.avec_conjoint,
    )
    return famille, traits


def _enfants(a: Atelier, ages: list[int], nom: str) -> list[dict]:
    """The children's rows: school, class, health data, authorisations (one family doctor,
    one of the two school groups)."""
    r, f = a.rng, a.faker
    ecoles = r.randrange(2)
    medecin = f"Dr {f.first_name()} {f.last_name().upper()}"
    tel_medecin = telephone(a, "05")
    enfants = []
    for age in ages:
        sexe = r.choice("MF")
        liste = noms.PRENOMS_FILLES if sexe == "F" else noms.PRENOMS_GARCONS
        prenom = r.choice(liste)
        if r.random() < 0.3:
            prenom += " " + r.choice(liste)
        naissance = dt.date(a.annee - age, r.randint(1, 12), r.randint(1, 28))
        if naissance > a.reference - dt.timedelta(days=90):
            continue
        if age < 3:
            niveau, ecole, classe = NiveauScolaire.CRECHE, "", ""
        elif age <= 5:
            niveau, ecole = NiveauScolaire.MATERNELLE, noms.ECOLES_MATERNELLES[ecoles]
            classe = noms.CLASSES[age]
        else:
            niveau, ecole = NiveauScolaire.ELEMENTAIRE, noms.ECOLES_ELEMENTAIRES[ecoles]
            classe = noms.CLASSES[age]
        allergie = r.choice(noms.ALLERGIES) if r.random() < 0.09 else ""
        enfants.append(
            dict(
                nom=nom,
                prenoms=prenom,
                sexe=sexe,
                date_naissance=naissance,
                niveau=niveau.value,
                ecole=ecole,
                classe=classe,
                lunettes=age >= 4 and r.random() < 0.08,
                allergies=allergie,
                pai=allergie in ("Arachide", "Fruits à coque", "Pollens (asthme)")
                and r.random() < 0.7,
                regime_alimentaire=r.choice(noms.REGIMES) if r.random() < 0.12 else "",
                medecin=medecin,
                telephone_medecin=tel_medecin,
                autorisation_photo=r.random() < 0.82,
                autorisation_sortie_seul=age >= 9 and r.random() < 0.25,
                autorisation_soins=r.random() < 0.97,
                actif=True,
            )
        )
    return enfants


def _autorisees(a: Atelier) -> list[dict]:
    """People allowed to collect the children (the same for every child of the family)."""
    r, f = a.rng, a.faker
    return [
        dict(
            nom=f.last_name().upper(),
            prenom=f.first_name(),
            lien=r.choice(noms.LIENS),
            telephone=telephone(a, r.choice(("06", "07"))),
        )
        for _ in range(pondere(r, ((0, 25), (1, 35), (2, 28), (3, 12))))
    ]


def _habitudes(
    a: Atelier, groupes: list[int], ages: list[int], prelevement: bool
) -> dict[str, Any]:
    """How much the family uses the services (more when both parents work) and pays."""
    r = a.rng
    travaillent = sum(1 for g in groupes if g != SANS_ACTIVITE)
    return dict(
        intensite=min(1.0, 0.15 + 0.4 * travaillent / len(groupes) + r.random() * 0.45),
        profil="prelevement"
        if prelevement
        else pondere(r, (("ponctuel", 75), ("retard", 14), ("difficile", 8), ("trop", 3))),
        mode=pondere(
            r,
            (
                (ModeReglement.CHEQUE, 30),
                (ModeReglement.PAIEMENT_EN_LIGNE, 28),
                (ModeReglement.CARTE, 18),
                (ModeReglement.ESPECES, 8),
                (ModeReglement.VIREMENT, 12),
                (ModeReglement.CESU, 4 if min(ages) <= 5 else 0),
            ),
        ),
    )
