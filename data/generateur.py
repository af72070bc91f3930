"""Generated demo families: identities, planning, QF, invoices, payments, requests, messages.

Families, children and planning cells are inserted in bulk (a demo of 50,000 families must
stay possible); everything with a business rule (billing, payments, requests) goes through
the model's own functions, so that the demo shows what the app would have produced.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from faker import Faker
from sqlmodel import Session, col, select

from data import noms
from data.reference import CSP
from modele.base import (
    Canal,
    Contexte,
    Progression,
    annee_scolaire,
    bornes_annee_scolaire,
    fin_de_mois,
)
from modele.calendrier import enregistrer_periode
from modele.demandes import (
    TypeDemande,
    accepter_demande,
    creer_demande,
    refuser_demande,
    retirer_demande,
)
from modele.facturation import Facture, inserer_lignes
from modele.facturation import factures as factures_par_id
from modele.famille import (
    Enfant,
    Famille,
    NiveauScolaire,
    PersonneAutorisee,
    Responsable,
    RoleResponsable,
    designer_payeur,
)
from modele.journal import Journal
from modele.messages import Message, Sens
from modele.planning import (
    Activite,
    Consommation,
    EtatConsommation,
    Inscription,
    PeriodeCalendrier,
    TypeCalendrier,
    jour_ouvert,
)
from modele.quotient import QuotientFamilial, StatutQF, TrancheQF, tranche_pour_valeur
from modele.recherche import IndexRecherche, TriRecherche, nom_de_tri, termes
from modele.reglements import (
    ModeReglement,
    Paiement,
    credit_disponible,
    encaisser_en_masse,
    facturer_mois,
    rembourser_credit,
)
from modele.reservations import demander_reservation
from modele.structure import Regie
from modele.validation import telephone_canonique

E = EtatConsommation
LOT = 20_000  # rows per bulk insert
LOT_FAMILLES = 500  # families whose planning is drawn and inserted at once
PAS_PROGRESSION = 100  # families drawn between two progress reports

# The generator's steps, as its progress shows them (data.demo names the others).
ETAPE_FAMILLES = "Familles"
ETAPE_PLANNING = "Planning"
ETAPE_RESERVATIONS = "Réservations et absences"
ETAPE_QUOTIENTS = "Quotients familiaux"
ETAPE_FACTURATION = "Facturation (mois)"


@dataclass
class EnfantGen:
    id: int
    famille_id: int
    naissance: dt.date
    prenom: str


@dataclass
class FamilleGen:
    id: int
    numero: str
    nom: str  # the responsable's "NOM PRÉNOM", as a payer
    responsable_id: int
    conjoint: bool
    organisme: str
    prelevement: bool
    mandat: str
    profil: str  # payment behaviour: prelevement, ponctuel, retard, difficile, trop
    mode: ModeReglement
    intensite: float  # 0..1, how much the family uses the services
    qf: int  # cents, the family's usual quotient
    cree_le: dt.date
    enfants: list[EnfantGen] = field(default_factory=list)
    qf_auto: bool = True  # False for the seed family whose QF is the guide's


def _pondere(rng: random.Random, choix: Iterable[tuple[Any, float]]) -> Any:
    valeurs, poids = zip(*choix, strict=True)
    return rng.choices(valeurs, weights=poids)[0]


def _ascii(texte: str) -> str:
    decompose = unicodedata.normalize("NFKD", texte)
    return "".join(c for c in decompose if c.isascii() and (c.isalnum() or c in "-.")).lower()


def _jour_ouvre_suivant(jour: dt.date, feries: set[dt.date]) -> dt.date:
    while jour.isoweekday() > 5 or jour in feries:
        jour += dt.timedelta(days=1)
    return jour


class Generateur:
    """Builds the generated part of the demo on one session, on the demo's clock."""

    progression: Progression | None = None  # told of each step's advance (data.demo sets it)

    def _avancer(self, etape: str, fait: int, total: int | None) -> None:
        if self.progression is not None:
            self.progression(etape, fait, total)

    def __init__(
        self,
        session: Session,
        rng: random.Random,
        faker: Faker,
        reference: dt.date,
        contexte: Callable[..., Contexte],
        regie: Regie,
        activites: dict[str, Activite],
        tranches: list[TrancheQF],
        agents: dict[str, int],
        hash_portail: str,
    ) -> None:
        self.session = session
        self.rng = rng
        self.faker = faker
        self.reference = reference
        self.contexte = contexte
        self.regie = regie
        self.activites = activites
        self.tranches = tranches
        self.agents = agents
        self.hash_portail = hash_portail
        self.annee = annee_scolaire(reference)
        self.debut = dt.date(self.annee - 1, 9, 1)
        suivant = reference.replace(day=1) + dt.timedelta(days=32)
        self.fin = fin_de_mois(suivant.year, suivant.month)

    # ------------------------------------------------------------------ families
    def _telephone(self, prefixe: str) -> str:
        """A real French number in the stored form ("07 31 22 45 67"). A drawn number of an
        unallocated block ("07 15…") moves to the next allocated one, with no other draw
        (the rest of the demo stays the same for a seed)."""
        r = self.rng
        paires = [r.randint(0, 99) for _ in range(4)]
        for decalage in range(100):
            bloc = (paires[0] + decalage) % 100
            numero = f"{prefixe} {bloc:02d} " + " ".join(f"{p:02d}" for p in paires[1:])
            if telephone_canonique(numero) == numero:
                return numero
        raise ValueError(f"aucun numéro valide pour le préfixe {prefixe}")

    def _email(self, prenom: str, nom: str) -> str:
        r = self.rng
        local = f"{_ascii(prenom.split()[0])}.{_ascii(nom.replace(' ', '-'))}"
        if r.random() < 0.3:
            local += str(r.randint(1, 99))
        return f"{local}@{r.choice(noms.DOMAINES_EMAIL)}"

    def _adresse(self, dans_la_commune: bool) -> dict[str, str]:
        code_postal, ville = (
            noms.VILLE_COMMUNE if dans_la_commune else self.rng.choice(noms.VILLES_VOISINES)
        )
        return dict(
            adresse=self.faker.street_address().replace(",", "").upper(),
            code_postal=code_postal,
            ville=ville,
        )

    def _naissance_lieu(self) -> dict[str, str]:
        r = self.rng.random()
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
            pays, lieu = self.rng.choice(noms.NAISSANCES_ETRANGER)
            return vide | dict(pays_naissance=pays, lieu_naissance_etranger=lieu)
        dep, commune, insee = self.rng.choice(noms.COMMUNES_NAISSANCE)
        return vide | dict(
            pays_naissance="FRANCE",
            departement_naissance=dep,
            commune_naissance=commune,
            code_insee_naissance=insee,
        )

    def _metier(self, sexe: str) -> tuple[dict[str, str], int]:
        r = self.rng
        masc, fem, groupe, _ = _pondere(r, ((p, p[3]) for p in noms.PROFESSIONS))
        if groupe == 7:
            employeur = adresse = ""
        elif groupe in (0, 1):
            employeur, adresse = "À son compte", ""
        else:
            employeur = (
                r.choice(noms.EMPLOYEURS_PUBLICS) if r.random() < 0.4 else self.faker.company()
            )
            code_postal, ville = r.choice(noms.VILLES_VOISINES)
            adresse = f"{self.faker.street_address()}, {code_postal} {ville}"
        return dict(
            profession=fem if sexe == "F" else masc,
            csp=CSP[groupe],
            employeur=employeur,
            adresse_employeur=adresse,
        ), groupe

    def _personne(
        self,
        famille: dict,
        role: str,
        sexe: str,
        qualite: str,
        nom: str,
        nom_naissance: str,
        naissance_annee: int,
        adresse: dict[str, str],
        payeur: bool,
    ) -> tuple[dict, int]:
        r, f = self.rng, self.faker
        prenom = f.first_name_female() if sexe == "F" else f.first_name_male()
        if r.random() < 0.35:
            prenom += " " + (f.first_name_female() if sexe == "F" else f.first_name_male())
        metier, groupe = self._metier(sexe)
        email = self._email(prenom, nom) if r.random() < (0.92 if payeur else 0.6) else ""
        personne = dict(
            famille_id=famille["id"],
            role=role,
            civilite="Madame" if sexe == "F" else "Monsieur",
            nom=nom,
            nom_naissance=nom_naissance,
            prenoms=prenom,
            sexe=sexe,
            qualite=qualite,
            date_naissance=dt.date(naissance_annee, r.randint(1, 12), r.randint(1, 28)),
            **self._naissance_lieu(),
            **adresse,
            telephone_domicile=self._telephone("05") if r.random() < 0.55 else "",
            telephone_professionnel=(
                self._telephone(r.choice(("05", "09")))
                if groupe not in (7,) and r.random() < 0.3
                else ""
            ),
            mobile=self._telephone(r.choice(("06", "07"))) if r.random() < 0.95 else "",
            email=email,
            **metier,
            autorisation_sms=r.random() < 0.6,
            autorisation_courriel=bool(email) and r.random() < 0.9,
            payeur=payeur,
        )
        return personne, groupe

    def _tirer_famille(self, numero: str) -> tuple[dict, list[dict], list[dict], list[dict], dict]:
        """One family as plain rows (without ids) and its generation traits."""
        r, f, annee = self.rng, self.faker, self.annee
        situation = _pondere(
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

        # Children: the eldest is at school (3–10 this school year), siblings every 1–4 years.
        nombre = _pondere(r, ((1, 35), (2, 40), (3, 18), (4, 7)))
        ages = [r.randint(3, 10)]
        while len(ages) < nombre and ages[-1] - 1 >= 0:
            ages.append(ages[-1] - r.randint(1, 4))
        ages = [a for a in ages if a >= 3 or (a >= 0 and r.random() < 0.5)]
        annee_aine = annee - ages[0]

        mere_annee = annee_aine - r.randint(23, 38)
        pere_annee = mere_annee - r.randint(-3, 6)
        nom_pere, nom_mere = f.last_name().upper(), f.last_name().upper()
        premier = "F" if r.random() < (0.55 if avec_conjoint else 0.82) else "M"
        tuteur = not avec_conjoint and r.random() < 0.03
        meme_sexe = avec_conjoint and r.random() < 0.02
        dans_commune = r.random() < 0.85
        adresse = self._adresse(dans_commune)
        famille = dict(id=None, numero=numero, situation=situation)
        personnes, groupes = [], []
        autre = premier if meme_sexe else ("M" if premier == "F" else "F")
        for role, sexe in (("responsable", premier), ("conjoint", autre)):
            if role == "conjoint" and not avec_conjoint:
                break
            if sexe == "M":
                nom = nom_naissance = nom_pere
                naissance = pere_annee
            else:
                nom_naissance = nom_mere
                nom = (
                    nom_pere
                    if situation == "Marié" and not meme_sexe and r.random() < 0.6
                    else nom_mere
                )
                naissance = mere_annee
            if meme_sexe and role == "conjoint":
                nom = nom_naissance = f.last_name().upper()
            qualite = (
                ("Tutrice" if sexe == "F" else "Tuteur")
                if tuteur
                else ("Mère" if sexe == "F" else "Père")
            )
            ici = adresse if role == "responsable" or en_couple else self._adresse(r.random() < 0.4)
            personne, groupe = self._personne(
                famille,
                role,
                sexe,
                qualite,
                nom,
                nom_naissance,
                naissance,
                ici,
                payeur=role == "responsable",
            )
            personnes.append(personne)
            groupes.append(groupe)
        responsable = personnes[0]
        nom_enfants = (
            nom_pere
            if avec_conjoint or premier == "M"
            else (responsable["nom"] if r.random() < 0.6 else nom_pere)
        )
        if avec_conjoint and not meme_sexe and r.random() < 0.08:
            nom_enfants = f"{nom_pere} {nom_mere}"
        if tuteur:
            nom_enfants = f.last_name().upper()

        # Organisme, fiscal data, bank details.
        organisme = _pondere(r, (("CAF", 78), ("MSA", 15 if 0 in groupes else 4), ("", 15)))
        demi_parts = 2 * len(personnes) + (0 if avec_conjoint else 1)
        demi_parts += sum(1 if i < 2 else 2 for i in range(len(ages)))
        revenu = sum(noms.REVENUS_CSP[g] for g in groupes) * r.randint(75, 130) // 100
        revenu = revenu // 100 * 100
        qf = max(revenu // 12 * 2 // demi_parts + r.randint(0, 60) * 100, 15000)
        fiscal = r.random() < 0.8
        parts = f"{demi_parts // 2}" + (",5" if demi_parts % 2 else "")
        banque = r.random() < 0.45
        prelevement = banque and r.random() < 0.65
        titulaire = responsable["nom"] + " " + responsable["prenoms"].upper()
        iban = bic = nom_banque = mandat = ""
        if banque:
            from schwifty import IBAN

            code, guichet, nom_banque = r.choice(noms.BANQUES)
            compte = IBAN.generate(
                "FR", bank_code=code + guichet, account_code=f"{r.randrange(10**11):011d}"
            )
            iban, bic = str(compte), str(compte.bic or "")
        cree_le = min(
            dt.date(annee_aine + 3, 5, 15) + dt.timedelta(days=r.randint(0, 100)),
            self.reference - dt.timedelta(days=60),
        )
        cree_le = max(cree_le, dt.date(2015, 9, 1))
        if prelevement:
            mandat = f"SJ-AL-{numero}"
        famille.update(
            identifiant_portail=numero,
            mot_de_passe_hash=self.hash_portail,
            mot_de_passe_a_changer=r.random() < 0.03,
            organisme=organisme,
            numero_allocataire=f"{r.randrange(10**6, 10**7)}" if organisme else "",
            numero_fiscal=f"{r.randint(0, 3)}{r.randrange(10**12):012d}" if fiscal else "",
            revenu_fiscal_reference=revenu if fiscal else None,
            nombre_parts=parts if fiscal else "",
            annee_revenus=annee - 1 if fiscal else None,
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
        del famille["id"]

        # Children rows.
        ecoles = r.randrange(2)
        medecin = f"Dr {f.first_name()} {f.last_name().upper()}"
        tel_medecin = self._telephone("05")
        enfants = []
        for age in ages:
            sexe = r.choice("MF")
            liste = noms.PRENOMS_FILLES if sexe == "F" else noms.PRENOMS_GARCONS
            prenom = r.choice(liste)
            if r.random() < 0.3:
                prenom += " " + r.choice(liste)
            naissance = dt.date(annee - age, r.randint(1, 12), r.randint(1, 28))
            if naissance > self.reference - dt.timedelta(days=90):
                continue
            if age < 3:
                niveau, ecole, classe = NiveauScolaire.CRECHE, "", ""
            elif age <= 5:
                niveau, ecole, classe = (
                    NiveauScolaire.MATERNELLE,
                    noms.ECOLES_MATERNELLES[ecoles],
                    noms.CLASSES[age],
                )
            else:
                niveau, ecole, classe = (
                    NiveauScolaire.ELEMENTAIRE,
                    noms.ECOLES_ELEMENTAIRES[ecoles],
                    noms.CLASSES[age],
                )
            allergie = r.choice(noms.ALLERGIES) if r.random() < 0.09 else ""
            enfants.append(
                dict(
                    nom=nom_enfants,
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
        autorisees = []
        for _ in range(_pondere(r, ((0, 25), (1, 35), (2, 28), (3, 12)))):
            autorisees.append(
                dict(
                    nom=f.last_name().upper(),
                    prenom=f.first_name(),
                    lien=r.choice(noms.LIENS),
                    telephone=self._telephone(r.choice(("06", "07"))),
                )
            )

        travaillent = sum(1 for g in groupes if g != 7)
        traits = dict(
            organisme=organisme,
            prelevement=prelevement,
            mandat=mandat,
            qf=qf,
            nom=titulaire,
            cree_le=cree_le,
            conjoint=avec_conjoint,
            intensite=min(1.0, 0.15 + 0.4 * travaillent / len(groupes) + r.random() * 0.45),
            profil="prelevement"
            if prelevement
            else _pondere(r, (("ponctuel", 75), ("retard", 14), ("difficile", 8), ("trop", 3))),
            mode=_pondere(
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
        return famille, personnes, enfants, autorisees, traits

    def _inserer(self, modele: type, lignes: list[dict], retour: bool = False) -> list[int]:
        """Bulk insert (Core, no ORM objects); with `retour`, the new ids in the rows' order."""
        return inserer_lignes(self.session, modele, lignes, retour, LOT)

    def _inserer_cellules(self, cellules: list[dict]) -> None:
        """Planning cells, the bulk of a town (20 million): on SQLite as plain tuples through
        the driver, since SQLAlchemy's per-row processing would be most of the build."""
        connexion = self.session.connection()
        if connexion.dialect.name != "sqlite":
            self._inserer(Consommation, cellules)
            return
        connexion.exec_driver_sql(
            "INSERT INTO consommation (enfant_id, activite_id, jour, etat, motif_absence, "
            "certificat, demande_id, gratuit) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
            [
                (
                    c["enfant_id"],
                    c["activite_id"],
                    c["jour"].isoformat(),
                    c["etat"],
                    c["motif_absence"],
                    int(c["certificat"]),
                    c["demande_id"],
                )
                for c in cellules
            ],
        )

    def familles(self, nombre: int, exclus: set[str]) -> list[FamilleGen]:
        """Draw and insert `nombre` families (with their people, children and journal)."""
        r = self.rng
        tirage = r.sample(range(10**7), nombre + len(exclus))
        numeros = [n for n in (f"100100{t:07d}" for t in tirage) if n not in exclus][:nombre]
        lignes_f, lignes_p, lignes_e, lignes_a, traits = [], [], [], [], []
        for rang, numero in enumerate(numeros):
            if rang % PAS_PROGRESSION == 0:
                self._avancer(ETAPE_FAMILLES, rang, len(numeros))
            famille, personnes, enfants, autorisees, trait = self._tirer_famille(numero)
            lignes_f.append(famille)
            lignes_p.append(personnes)
            lignes_e.append(enfants)
            lignes_a.append(autorisees)
            traits.append(trait)
        ids = self._inserer(Famille, lignes_f, retour=True)
        personnes_plates = []
        for fid, personnes in zip(ids, lignes_p, strict=True):
            for p in personnes:
                p["famille_id"] = fid
                personnes_plates.append(p)
        ids_p = self._inserer(Responsable, personnes_plates, retour=True)
        enfants_plats = []
        for fid, enfants in zip(ids, lignes_e, strict=True):
            for e in enfants:
                e["famille_id"] = fid
                enfants_plats.append(e)
        ids_e = self._inserer(Enfant, enfants_plats, retour=True)
        for e, eid in zip(enfants_plats, ids_e, strict=True):
            e["id"] = eid
        for p, pid in zip(personnes_plates, ids_p, strict=True):
            p["id"] = pid
        self._inserer(
            PersonneAutorisee,
            [
                dict(enfant_id=e["id"], **a)
                for enfants, autorisees in zip(lignes_e, lignes_a, strict=True)
                for e in enfants
                for a in autorisees
            ],
        )

        resultat, journal, index, tris = [], [], [], []
        admin = self.agents["admin"]
        for i, (fid, f, personnes, enfants, trait) in enumerate(
            zip(ids, lignes_f, lignes_p, lignes_e, traits, strict=True)
        ):
            journal.append(
                dict(
                    horodatage=dt.datetime.combine(f["cree_le"], dt.time(9))
                    + dt.timedelta(seconds=i),
                    agent_id=admin,
                    canal=Canal.SYSTEME.value,
                    action="creation",
                    objet="famille",
                    objet_id=fid,
                    famille_id=fid,
                    avant=None,
                    apres=None,
                    detail="Reprise des données",
                )
            )
            gens = [SimpleNamespace(**p) for p in personnes]
            mots = termes(SimpleNamespace(**f), gens, [SimpleNamespace(**e) for e in enfants])
            index.extend(dict(terme=t, famille_id=fid, qualite=q) for t, q in sorted(mots.items()))
            tris.append(dict(famille_id=fid, nom=nom_de_tri(gens), numero=f["numero"]))
            resultat.append(
                FamilleGen(
                    id=fid,
                    numero=f["numero"],
                    responsable_id=personnes[0]["id"],
                    enfants=[
                        EnfantGen(e["id"], fid, e["date_naissance"], e["prenoms"].split()[0])
                        for e in enfants
                    ],
                    **trait,
                )
            )
        self._inserer(Journal, journal)
        self._inserer(IndexRecherche, index)
        self._inserer(TriRecherche, tris)
        return resultat

    def famille_graine(
        self, famille: Famille, responsable: Responsable, enfants: list[Enfant]
    ) -> FamilleGen:
        """A seed family joining the generated years: its children's class follows the date."""
        for enfant in enfants:
            age = self.annee - enfant.date_naissance.year
            if 3 <= age <= 10:
                enfant.niveau = (
                    NiveauScolaire.MATERNELLE if age <= 5 else NiveauScolaire.ELEMENTAIRE
                ).value
                enfant.ecole = (
                    noms.ECOLES_MATERNELLES[0] if age <= 5 else noms.ECOLES_ELEMENTAIRES[0]
                )
                enfant.classe = noms.CLASSES[age]
            self.session.add(enfant)
        return FamilleGen(
            id=famille.id,
            numero=famille.numero,
            nom=f"{responsable.nom} {responsable.prenoms}",
            responsable_id=responsable.id,
            conjoint=True,
            organisme=famille.organisme,
            prelevement=False,
            mandat="",
            profil="ponctuel",
            mode=ModeReglement.CARTE,
            intensite=0.8,
            qf=30000,
            cree_le=famille.cree_le,
            enfants=[
                EnfantGen(e.id, famille.id, e.date_naissance, e.premier_prenom) for e in enfants
            ],
            qf_auto=False,
        )

    # ------------------------------------------------------------------ planning
    def _jours_ouverts(
        self,
        periodes: list[PeriodeCalendrier],
    ) -> dict[tuple[str, int], list[dt.date]]:
        ouverts: dict[tuple[str, int], list[dt.date]] = defaultdict(list)
        jour = self.debut
        while jour <= self.fin:
            proches = [p for p in periodes if p.debut <= jour <= p.fin]
            for code, activite in self.activites.items():
                if jour_ouvert(activite, jour, proches):
                    ouverts[(code, annee_scolaire(jour))].append(jour)
            jour += dt.timedelta(days=1)
        return ouverts

    def _choix_activites(self, intensite: float, elementaire: bool) -> list[tuple[str, str, Any]]:
        """(code, mode, parameter) of the activities a child uses one school year."""
        r = self.rng
        choix: list[tuple[str, str, Any]] = []

        def jours(minimum: int) -> frozenset[int]:
            k = 4 if r.random() < 0.6 else r.randint(minimum, 3)
            return frozenset(r.sample((1, 2, 4, 5), k))

        if r.random() < 0.6 + 0.35 * intensite:
            choix.append(("GP-REST", "regulier", jours(2)))
        if r.random() < 0.1 + 0.5 * intensite:
            choix.append(("GP-MATIN", "regulier", jours(1)))
        if elementaire and r.random() < 0.15 + 0.55 * intensite:
            choix.append(("GP-TL" if r.random() < 0.7 else "GP-AD", "regulier", jours(1)))
        if r.random() < 0.15 + 0.45 * intensite:
            code = "ALSH-MER-J" if r.random() < 0.6 else "ALSH-MER-AM"
            if r.random() < 0.65:
                choix.append((code, "regulier", frozenset({3})))
            else:
                choix.append((code, "occasionnel", 0.45))
        if r.random() < 0.15 + 0.5 * intensite:
            code = _pondere(r, (("ALSH-VAC-J", 70), ("ALSH-VAC-M", 15), ("ALSH-VAC-AM", 15)))
            choix.append((code, "vacances", 0.2 + 0.4 * intensite))
        return choix

    def _etat_passe(self) -> tuple[E, str, bool]:
        x = self.rng.random()
        if x < 0.035:
            return E.ABSENT_EXCUSE, "maladie", True
        if x < 0.05:
            return E.ABSENT_FACTURE, "convenance personnelle", False
        if x < 0.065:
            return E.CONGE, "congés", False
        if x < 0.068:
            return E.ERREUR, "", False
        return E.PRESENT, "", False

    def planning(self, familles: list[FamilleGen], periodes: list[PeriodeCalendrier]) -> None:
        """Enrolments and planning cells of the previous and current school years, up to the
        end of next month; then booking and absence requests in every status, made through
        the planning rules (modele.reservations) on the capacities sized to the demo."""
        ref = self.reference
        ouverts = self._jours_ouverts(periodes)
        annees = range(self.annee - 1, annee_scolaire(self.fin) + 1)
        semaines = {k: sorted({d.isocalendar()[:2] for d in v}) for k, v in ouverts.items()}
        # A strike closes the school restaurant for a day: its cells show "Fermeture".
        cantine = ouverts.get(("GP-REST", self.annee - 1), [])
        greve = next(
            (
                d
                for d in cantine
                if d >= dt.date(self.annee, 3, 10) and d.isoweekday() == 2 and d < ref
            ),
            cantine[0] if cantine else None,
        )
        # By batches of families, so that a large town's demo stays within memory; the
        # cells' secondary indexes are built once, after the load.
        candidats = []
        with self._index_apres("ix_consommation_enfant_jour", "ix_consommation_jour_activite"):
            self._cellules_par_lots(familles, annees, ouverts, semaines, greve, candidats)
        self._capacites()
        for rang, candidat in enumerate(candidats):
            self._avancer(ETAPE_RESERVATIONS, rang, len(candidats))
            self._demandes_planning(*candidat)
        self._avancer(ETAPE_RESERVATIONS, len(candidats), len(candidats))
        if greve is not None:
            self.session.add(
                PeriodeCalendrier(
                    type=TypeCalendrier.FERMETURE.value,
                    debut=greve,
                    fin=greve,
                    libelle="Fermeture exceptionnelle : grève du personnel de restauration",
                    activite_id=self.activites["GP-REST"].id,
                )
            )

    @contextmanager
    def _index_apres(self, *noms: str) -> Iterator[None]:
        """On SQLite, drop these indexes during a bulk load or update and build them again
        after it: far quicker than keeping them up to date row by row."""
        connexion = self.session.connection()
        if connexion.dialect.name != "sqlite":
            yield
            return
        definitions = [
            connexion.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name = ?", (nom,)
            ).one()
            for nom in noms
        ]
        for nom, _ in definitions:
            connexion.exec_driver_sql(f'DROP INDEX "{nom}"')
        try:
            yield
        finally:
            for _, sql in definitions:
                connexion.exec_driver_sql(sql)

    def _cellules_par_lots(
        self,
        familles: list[FamilleGen],
        annees: range,
        ouverts: dict[tuple[str, int], list[dt.date]],
        semaines: dict[tuple[str, int], list[tuple[int, int]]],
        greve: dt.date | None,
        candidats: list[tuple],
    ) -> None:
        for premier in range(0, len(familles), LOT_FAMILLES):
            self._avancer(ETAPE_PLANNING, premier, len(familles))
            lot = familles[premier : premier + LOT_FAMILLES]
            inscriptions: list[dict] = []
            cellules: list[dict] = []
            for famille in lot:
                for enfant in famille.enfants:
                    for annee in annees:
                        age = annee - enfant.naissance.year
                        if not 3 <= age <= 10:
                            continue
                        debut, fin = bornes_annee_scolaire(annee)
                        for code, mode, parametre in self._choix_activites(
                            famille.intensite, age >= 6
                        ):
                            activite = self.activites[code]
                            inscriptions.append(
                                dict(
                                    enfant_id=enfant.id,
                                    activite_id=activite.id,
                                    annee_scolaire=annee,
                                    date_debut=debut,
                                    date_fin=fin,
                                    responsable_id=famille.responsable_id,
                                )
                            )
                            self._cellules(
                                cellules,
                                enfant.id,
                                activite,
                                code,
                                mode,
                                parametre,
                                ouverts.get((code, annee), []),
                                semaines.get((code, annee), []),
                                greve,
                            )
            self._inserer(Inscription, inscriptions)
            self._inserer_cellules(cellules)
            candidats.append(self._candidats(lot, inscriptions, cellules, ouverts))
        self._avancer(ETAPE_PLANNING, len(familles), len(familles))

    def _cellules(
        self,
        cellules: list[dict],
        enfant_id: int,
        activite: Activite,
        code: str,
        mode: str,
        parametre: Any,
        jours: list[dt.date],
        semaines: list[tuple[int, int]],
        greve: dt.date | None,
    ) -> None:
        r, ref = self.rng, self.reference
        hors_contrat = code in ("GP-MATIN", "GP-TL", "GP-AD")
        retenues = {s for s in semaines if r.random() < parametre} if mode == "vacances" else set()
        for jour in jours:
            if mode == "regulier":
                if jour.isoweekday() not in parametre:
                    if hors_contrat and jour < ref and r.random() < 0.02:
                        cellules.append(
                            dict(
                                enfant_id=enfant_id,
                                activite_id=activite.id,
                                jour=jour,
                                etat=E.HORS_CONTRAT.value,
                                motif_absence="",
                                certificat=False,
                                demande_id=None,
                            )
                        )
                    continue
                futur = E.REGULIER
            elif mode == "occasionnel":
                if r.random() >= parametre:
                    continue
                futur = E.RESERVE
            else:
                if jour.isocalendar()[:2] not in retenues or r.random() < 0.1:
                    continue
                futur = E.RESERVE
            motif, certificat = "", False
            if code == "GP-REST" and jour == greve:
                etat = E.FERMETURE
            elif jour < ref:
                etat, motif, certificat = self._etat_passe()
            else:
                etat = futur
            cellules.append(
                dict(
                    enfant_id=enfant_id,
                    activite_id=activite.id,
                    jour=jour,
                    etat=etat.value,
                    motif_absence=motif,
                    certificat=certificat,
                    demande_id=None,
                )
            )

    def _candidats(
        self,
        lot: list[FamilleGen],
        inscriptions: list[dict],
        cellules: list[dict],
        ouverts: dict[tuple[str, int], list[dt.date]],
    ) -> tuple:
        """Days a few children of the batch could still book, and booked days they could
        declare absent (far enough ahead for the booking deadline)."""
        r = self.rng
        apres = self.reference + dt.timedelta(days=5)
        codes = {a.id: code for code, a in self.activites.items()}
        occupees = {(c["enfant_id"], c["activite_id"], c["jour"]) for c in cellules}
        libres = []
        for i in inscriptions:
            code = codes[i["activite_id"]]
            if not code.startswith("ALSH") or i["date_fin"] < apres:
                continue
            for jour in ouverts.get((code, i["annee_scolaire"]), []):
                if jour >= apres and (i["enfant_id"], i["activite_id"], jour) not in occupees:
                    libres.append((i["enfant_id"], i["activite_id"], jour))
        reserves = (E.RESERVE.value, E.REGULIER.value)
        absentables = [
            (c["enfant_id"], c["activite_id"], c["jour"])
            for c in cellules
            if c["jour"] >= apres and c["etat"] in reserves
        ]
        nombre = max(1, len({i["enfant_id"] for i in inscriptions}) // 40)
        libres = r.sample(libres, min(len(libres), 40 * nombre))
        absentables = r.sample(absentables, min(len(absentables), 40 * nombre))
        familles = {e.id: f for f in lot for e in f.enfants}
        return nombre, libres, absentables, familles

    def _capacites(self) -> None:
        """Places per day sized to the demo's population: the busiest day is nearly full."""
        from sqlalchemy import func

        from modele.reservations import OCCUPENT

        par_jour = (
            select(Consommation.activite_id, func.count().label("n"))
            .where(Consommation.etat.in_([e.value for e in OCCUPENT]))
            .group_by(Consommation.activite_id, Consommation.jour)
            .subquery()
        )
        pics = dict(
            self.session.exec(
                select(par_jour.c.activite_id, func.max(par_jour.c.n)).group_by(
                    par_jour.c.activite_id
                )
            ).all()
        )
        for activite in self.activites.values():
            pic = pics.get(activite.id, 0)
            activite.capacite = max(10, -(-pic * 105 // 100 // 5) * 5 + 5)
            self.session.add(activite)
        self.session.flush()

    def _demandes_planning(
        self,
        nombre: int,
        libres: list[tuple],
        absentables: list[tuple],
        familles: dict[int, FamilleGen],
    ) -> None:
        """Booking and absence requests of the last days, by the planning's own rules:
        pending, on the waiting list, accepted, refused or withdrawn."""
        from modele.base import ErreurMetier
        from modele.reservations import MotifAbsence, declarer_absence, demander_reservation

        r, ref, s = self.rng, self.reference, self.session
        taches = [
            ("reservation", issue)
            for issue in ("en_cours", "attente", "refusee", "acceptee", "retiree")
            for _ in range(nombre)
        ]
        taches += [
            ("absence", issue)
            for issue in ("en_cours", "acceptee", "refusee")
            for _ in range(nombre)
        ]
        datees = sorted(
            (
                (ref - dt.timedelta(days=r.randint(1, 10)), i, nature, issue)
                for i, (nature, issue) in enumerate(taches)
            )
        )
        for jour, _, nature, issue in datees:
            telephone = r.random() < 0.25
            contexte = self.contexte(
                jour,
                Canal.TELEPHONE if telephone else Canal.PORTAIL,
                self.agents["accueil"] if telephone else None,
                heure=r.randint(8, 19),
            )
            demande = None
            source = libres if nature == "reservation" else absentables
            while demande is None and source:
                enfant_id, activite_id, cible = source.pop()
                try:
                    if nature == "reservation":
                        demande = demander_reservation(s, contexte, enfant_id, activite_id, [cible])
                    else:
                        maladie = issue != "refusee" and r.random() < 0.7
                        demande = declarer_absence(
                            s,
                            contexte,
                            enfant_id,
                            activite_id,
                            [cible],
                            MotifAbsence.MALADIE if maladie else MotifAbsence.CONVENANCE,
                            certificat=maladie and issue == "acceptee",
                            confirme=True,
                        )
                except ErreurMetier:
                    continue  # full that day, or no longer bookable: another day
            if demande is None:
                continue
            decision = self.contexte(
                min(jour + dt.timedelta(days=r.randint(0, 2)), ref),
                Canal.GUICHET,
                self.agents["regie"],
                heure=14,
            )
            if issue == "attente":
                demande.commentaire = "Liste d'attente : l'accueil est complet ce jour-là."
                s.add(demande)
                for cellule in s.exec(
                    select(Consommation).where(Consommation.demande_id == demande.id)
                ):
                    cellule.etat = E.DEMANDE_ATTENTE.value
                    s.add(cellule)
            elif issue == "acceptee":
                accepter_demande(s, decision, demande)
            elif issue == "refusee":
                refuser_demande(
                    s,
                    decision,
                    demande,
                    r.choice(
                        ("Capacité d'accueil atteinte ce jour-là.", "Absence non justifiée.")
                        if nature == "absence"
                        else ("Capacité d'accueil atteinte ce jour-là.", "Encadrement insuffisant.")
                    ),
                )
            elif issue == "retiree":
                retirer_demande(
                    s, self.contexte(decision.aujourdhui, Canal.PORTAIL, None, heure=19), demande
                )

    # ------------------------------------------------------------------ quotient familial
    def _campagnes(self) -> list[tuple[dt.date, dt.date, dt.date]]:
        """(campaign start, valid from, valid to): September and February of each year."""
        campagnes = []
        for annee in range(self.annee - 1, self.annee + 1):
            septembre = dt.date(annee, 9, 1)
            campagnes.append((septembre, septembre, dt.date(annee + 1, 1, 31)))
            campagnes.append(
                (dt.date(annee + 1, 2, 1), dt.date(annee + 1, 2, 1), dt.date(annee + 1, 8, 31))
            )
        return [c for c in campagnes if c[0] <= self.reference]

    def quotients(self, familles: list[FamilleGen]) -> int:
        """QF declarations of each campaign: most validated, some refused, missing or pending."""
        r, ref = self.rng, self.reference
        lignes = []
        regie = self.agents["regie"]
        for rang, famille in enumerate(familles):
            if rang % PAS_PROGRESSION == 0:
                self._avancer(ETAPE_QUOTIENTS, rang, len(familles))
            if not famille.qf_auto:
                continue
            if famille.organisme:
                type_qf, origine = famille.organisme, "api_particulier"
                libelle = f"Quotient {famille.organisme}"
            elif r.random() < 0.4:
                type_qf, origine = "Manuel", "attestation"
                libelle = "Quotient calculé (avis d'imposition)"
            else:
                continue
            valeur = famille.qf
            for campagne, du, au in self._campagnes():
                if famille.cree_le > du:
                    continue
                x = r.random()
                if x < 0.06:
                    continue  # not updated: the maximum bracket applies (rule 9)
                valeur = max(valeur * r.randint(92, 108) // 100, 10000)
                declare = campagne + dt.timedelta(days=r.randint(0, 27))
                if r.random() < 0.1:
                    declare += dt.timedelta(days=30)  # late: counts from the month it is made
                if declare > ref:
                    continue
                debut = max(du, declare.replace(day=1))
                decision = declare + dt.timedelta(days=r.randint(1, 6))
                statut = StatutQF.VALIDE
                motif = ""
                if x < 0.09:
                    statut = StatutQF.REFUSE
                    motif = (
                        "Dossier allocataire inexistant"
                        if origine == "api_particulier"
                        else "Avis d'imposition illisible"
                    )
                if decision > ref:
                    statut = StatutQF.EN_COURS
                mois = debut.replace(day=1) - dt.timedelta(days=1)
                lignes.append(
                    dict(
                        famille_id=famille.id,
                        type=type_qf,
                        libelle_type=libelle,
                        valeur=valeur,
                        valide_du=debut,
                        valide_au=au,
                        tranche_id=tranche_pour_valeur(self.tranches, valeur).id,
                        statut=statut.value,
                        origine=origine,
                        annee_calcul=mois.year,
                        mois_calcul=mois.month,
                        commentaire="Changement de situation" if r.random() < 0.05 else "",
                        certifie=True,
                        reference_document=(
                            f"Avis d'imposition {du.year - 1}" if origine == "attestation" else ""
                        ),
                        declare_le=declare,
                        demande_id=None,
                        decide_par=None if statut == StatutQF.EN_COURS else regie,
                        decide_le=None
                        if statut == StatutQF.EN_COURS
                        else dt.datetime.combine(decision, dt.time(10, r.randint(0, 59))),
                        motif_refus=motif,
                    )
                )
        lignes.extend(self._declarations_spontanees(familles))
        self._inserer(QuotientFamilial, lignes)
        return len(lignes)

    def _declarations_spontanees(self, familles: list[FamilleGen]) -> list[dict]:
        """A few families declare a change of income on the portal: it counts from the month
        it is made; the latest ones are still waiting for the service (with their request)."""
        r, ref = self.rng, self.reference
        eligibles = [f for f in familles if f.qf_auto and f.organisme and f.cree_le < ref]
        lignes = []
        for i, famille in enumerate(
            r.sample(eligibles, min(len(eligibles), max(2, len(eligibles) // 25)))
        ):
            en_cours = i % 2 == 0
            declare = ref - dt.timedelta(days=r.randint(1, 9) if en_cours else r.randint(15, 45))
            debut = declare.replace(day=1)
            au = (
                dt.date(debut.year, 8, 31)
                if 2 <= debut.month <= 8
                else dt.date(debut.year + (debut.month >= 9), 1, 31)
            )
            valeur = max(famille.qf * r.randint(60, 90) // 100, 10000)
            mois = debut - dt.timedelta(days=1)
            demande_id = decide_par = decide_le = None
            if en_cours:
                demande = creer_demande(
                    self.session,
                    self.contexte(declare, Canal.PORTAIL, None, heure=20),
                    famille.id,
                    TypeDemande.QUOTIENT_FAMILIAL,
                    dict(
                        type=famille.organisme,
                        valeur=valeur,
                        valide_du=debut,
                        valide_au=au,
                        annee_calcul=mois.year,
                        mois_calcul=mois.month,
                    ),
                    commentaire="Perte d'emploi depuis le mois dernier.",
                )
                demande_id = demande.id
            else:
                decide_par = self.agents["regie"]
                decide_le = dt.datetime.combine(declare + dt.timedelta(days=2), dt.time(11, 5))
            lignes.append(
                dict(
                    famille_id=famille.id,
                    type=famille.organisme,
                    libelle_type=f"Quotient {famille.organisme}",
                    valeur=valeur,
                    valide_du=debut,
                    valide_au=au,
                    tranche_id=tranche_pour_valeur(self.tranches, valeur).id,
                    statut=(StatutQF.EN_COURS if en_cours else StatutQF.VALIDE).value,
                    origine="api_particulier",
                    annee_calcul=mois.year,
                    mois_calcul=mois.month,
                    commentaire="Déclaration spontanée : perte d'emploi",
                    certifie=True,
                    reference_document="",
                    declare_le=declare,
                    demande_id=demande_id,
                    decide_par=decide_par,
                    decide_le=decide_le,
                    motif_refus="",
                )
            )
        return lignes

    # ------------------------------------------------------------------ billing, payments
    def _mois_factures(self, feries: set[dt.date]) -> list[tuple[dt.date, dt.date, dt.date]]:
        mois, resultat = self.debut, []
        while mois < self.reference.replace(day=1):
            fin = fin_de_mois(mois.year, mois.month)
            emission = _jour_ouvre_suivant(fin + dt.timedelta(days=5), feries)
            if emission > self.reference:
                break
            resultat.append((mois, fin, emission))
            mois = fin + dt.timedelta(days=1)
        return resultat

    def facturation(self, familles: list[FamilleGen], feries: set[dt.date]) -> None:
        """Each past month billed by the model's billing run on the 5th or so of the next
        month, then paid (or not) by each family after its habits."""
        par_id = {f.id: f for f in familles}
        mois = self._mois_factures(feries)
        with self._index_apres("ix_jourfacture_facture_id"):
            for rang, (debut, fin, emission) in enumerate(mois):
                if rang and rang == len(mois) - 1:
                    # a booking of the month before, accepted once that month was issued:
                    # this last run bills it as a regularisation (issue #14)
                    self._acceptation_tardive(familles, *mois[rang - 1])
                self._avancer(ETAPE_FACTURATION, rang, len(mois))
                self._facturer_mois(par_id, debut, fin, emission, feries)
        self._avancer(ETAPE_FACTURATION, len(mois), len(mois))

    def _acceptation_tardive(
        self, familles: list[FamilleGen], debut: dt.date, fin: dt.date, emission: dt.date
    ) -> None:
        """A school-restaurant day of a past month, asked on the phone in time, left pending
        at that month's run and accepted a few days after it."""
        cantine = self.activites["GP-REST"]
        periodes = list(
            self.session.exec(
                select(PeriodeCalendrier).where(
                    PeriodeCalendrier.debut <= fin, PeriodeCalendrier.fin >= debut
                )
            )
        )
        jours = [
            debut + dt.timedelta(days=i)
            for i in range((fin - debut).days + 1)
            if jour_ouvert(cantine, debut + dt.timedelta(days=i), periodes)
        ]
        for famille in familles:
            for enfant in famille.enfants:
                inscrit = self.session.exec(
                    select(Inscription).where(
                        Inscription.enfant_id == enfant.id,
                        Inscription.activite_id == cantine.id,
                        Inscription.date_debut <= debut,
                        Inscription.date_fin >= fin,
                    )
                ).first()
                if inscrit is None:
                    continue
                pris = set(
                    self.session.exec(
                        select(Consommation.jour).where(
                            Consommation.enfant_id == enfant.id,
                            Consommation.activite_id == cantine.id,
                            Consommation.jour >= debut,
                            Consommation.jour <= fin,
                        )
                    )
                )
                libre = next((j for j in reversed(jours) if j not in pris), None)
                if libre is None:
                    continue
                regie = self.agents["regie"]
                demande = demander_reservation(
                    self.session,
                    self.contexte(libre - dt.timedelta(days=7), Canal.TELEPHONE, regie, 10),
                    enfant.id,
                    cantine.id,
                    [libre],
                    derogation=True,  # (the demo sizes capacities to the bookings drawn)
                )
                accepter_demande(
                    self.session,
                    self.contexte(emission + dt.timedelta(days=2), Canal.GUICHET, regie, 9),
                    demande.id,
                )
                return

    def vitrine_regie(self, familles: list[FamilleGen], feries: set[dt.date]) -> None:
        """After the billing: a closure recorded on a booked day two weeks ahead (its cells
        turn to « Fermeture », not billed) and a credit paid back to a family that
        overpaid (issue #14)."""
        cantine = self.activites["GP-REST"]
        booke = self.session.exec(
            select(Consommation.jour)
            .where(
                Consommation.activite_id == cantine.id,
                # two weeks ahead: the days the counters book this week stay as they are
                Consommation.jour >= self.reference + dt.timedelta(days=14),
                col(Consommation.etat).in_([E.RESERVE.value, E.REGULIER.value]),
            )
            .order_by(Consommation.jour)
        ).first()
        if booke is not None:  # announced today for a booked day to come
            enregistrer_periode(
                self.session,
                self.contexte(self.reference, Canal.GUICHET, self.agents["admin"], 7),
                TypeCalendrier.FERMETURE,
                "Fermeture exceptionnelle : panne de la cuisine centrale",
                booke,
                booke,
                cantine.id,
            )
        for famille in reversed(familles):
            if famille.profil != "trop":
                continue
            credit = credit_disponible(self.session, famille.id, self.regie.id)
            if credit <= 0:
                continue
            jour = _jour_ouvre_suivant(self.reference - dt.timedelta(days=6), feries)
            rembourser_credit(
                self.session,
                self.contexte(jour, Canal.GUICHET, self.agents["regie"], 11),
                famille.id,
                self.regie.id,
                credit,
                "Remboursement du trop-perçu demandé par la famille",
                f"VIR-{famille.numero[-6:]}",
                ModeReglement.VIREMENT,
            )
            return

    def payeur_conjoint(self, familles: list[FamilleGen]) -> None:
        """A family whose invoices go to the conjoint, not the first responsable: designated
        before the first month billed, so every invoice shows it (issue #14)."""
        for famille in familles:
            if not famille.conjoint:
                continue
            conjoint = self.session.exec(
                select(Responsable).where(
                    Responsable.famille_id == famille.id,
                    Responsable.role == RoleResponsable.CONJOINT,
                )
            ).first()
            if conjoint is None or not (conjoint.adresse and conjoint.code_postal):
                continue
            designer_payeur(
                self.session,
                self.contexte(self.debut - dt.timedelta(days=10), Canal.GUICHET, None, 9),
                famille.id,
                self.regie.id,
                conjoint.id,
            )
            return

    def _facturer_mois(
        self,
        par_id: dict[int, FamilleGen],
        debut: dt.date,
        fin: dt.date,
        emission: dt.date,
        feries: set[dt.date],
    ) -> None:
        contexte = self.contexte(emission, Canal.GUICHET, self.agents["regie"], heure=9)
        emises = facturer_mois(self.session, contexte, self.regie.id, debut, fin, emission)
        factures = factures_par_id(self.session, [e.id for e in emises])
        reglements = []
        for facture in factures:
            famille = par_id.get(facture.famille_id)
            if famille is not None:
                reglements.extend(self._reglements(famille, facture, feries))
        # The month's payments through the model's batch path (same rules as encaisser),
        # each at its own time on the demo's clock.
        paiements = []
        for jour, _, famille, facture, montant, mode, reference in sorted(
            reglements, key=lambda t: (t[0], t[1])
        ):
            canal = (
                Canal.SYSTEME
                if mode
                in (
                    ModeReglement.PRELEVEMENT,
                    ModeReglement.PAIEMENT_EN_LIGNE,
                    ModeReglement.VIREMENT,
                )
                else Canal.GUICHET
            )
            agent = None if mode == ModeReglement.PAIEMENT_EN_LIGNE else self.agents["regie"]
            moment = self.contexte(jour, canal, agent, heure=10).maintenant()
            paiements.append(
                Paiement(
                    Contexte(
                        agent_id=agent,
                        canal=canal,
                        aujourdhui=jour,
                        horloge=lambda moment=moment: moment,
                        tache="" if agent else "paiement en ligne",
                    ),
                    famille.id,
                    montant,
                    mode,
                    jour,
                    reference_paiement=reference,
                    banque=self.rng.choice(noms.BANQUES)[2] if mode == ModeReglement.CHEQUE else "",
                    payeur=famille.nom,
                    factures=(facture.id,),
                )
            )
        encaisser_en_masse(self.session, self.regie.id, paiements)

    def _reglements(
        self, famille: FamilleGen, facture: Facture, feries: set[dt.date]
    ) -> list[tuple]:
        r = self.rng
        total = facture.total
        mode = famille.mode
        if famille.profil == "prelevement":
            issue, mode = "total", ModeReglement.PRELEVEMENT
            delai = (facture.date_echeance - facture.date_emission).days - 3
        else:
            issue = _pondere(
                r,
                {
                    "ponctuel": (("total", 95), ("impaye", 3), ("trop", 2)),
                    "retard": (("total", 70), ("partiel", 20), ("impaye", 10)),
                    "difficile": (("total", 20), ("partiel", 35), ("impaye", 45)),
                    "trop": (("total", 50), ("trop", 50)),
                }[famille.profil],
            )
            en_retard = famille.profil in ("retard", "difficile")
            delai = r.randint(10, 24) if en_retard else r.randint(2, 15)
        jour = _jour_ouvre_suivant(facture.date_emission + dt.timedelta(days=delai), feries)
        if issue == "impaye" or jour > self.reference:
            return []
        montant = total
        if issue == "partiel" and total >= 1000:
            montant = total * r.randint(30, 80) // 100 // 10 * 10
        elif issue == "trop":
            montant = (total // 500 + 1) * 500  # a round amount: the rest is a credit
        if mode == ModeReglement.CHEQUE:
            reference = f"{r.randrange(10**7):07d}"
        elif mode == ModeReglement.PRELEVEMENT:
            reference = famille.mandat
        elif mode == ModeReglement.PAIEMENT_EN_LIGNE:
            reference = f"PAYFIP-{r.randrange(10**10):010d}"
        elif mode == ModeReglement.CESU:
            reference = f"CESU {r.randrange(10**8):08d}"
        else:
            reference = ""
        return [(jour, facture.numero, famille, facture, montant, mode, reference)]

    # ------------------------------------------------------------------ family-file requests
    def demandes_fiche(self, familles: list[FamilleGen]) -> int:
        """Requests on the family file and the children, of the last weeks, in every status."""
        r, ref = self.rng, self.reference
        if not familles:
            return 0
        nombre = max(8, len(familles) * 6 // 100)
        statuts = (
            "acceptee",
            "en_attente",
            "refusee",
            "retiree",
            "acceptee",
            "en_attente",
            "acceptee",
            "refusee",
        )
        types = (
            TypeDemande.RESPONSABLE,
            TypeDemande.BANCAIRES,
            TypeDemande.SANITAIRES,
            TypeDemande.CONJOINT,
            TypeDemande.AUTORISATIONS,
            TypeDemande.FISCALES,
            TypeDemande.CAF,
            TypeDemande.AJOUT_ENFANT,
        )
        choisies = r.sample(familles, min(len(familles), nombre))
        taches = []
        for i in range(nombre):
            famille = choisies[i % len(choisies)]
            type_demande = types[i % len(types)]
            if type_demande == TypeDemande.CONJOINT and not famille.conjoint:
                type_demande = TypeDemande.FISCALES
            if (
                type_demande in (TypeDemande.SANITAIRES, TypeDemande.AUTORISATIONS)
                and not famille.enfants
            ):
                type_demande = TypeDemande.CAF
            creee = ref - dt.timedelta(days=r.randint(1, 27))
            taches.append((creee, famille, type_demande, statuts[i % len(statuts)]))
        faites = set()
        total = 0
        for creee, famille, type_demande, statut in sorted(taches, key=lambda t: (t[0], t[1].id)):
            if (famille.id, type_demande) in faites:
                continue
            faites.add((famille.id, type_demande))
            nouvelles, enfant_id, motif = self._nouvelles_valeurs(famille, type_demande)
            telephone = r.random() < 0.2
            contexte = self.contexte(
                creee,
                Canal.TELEPHONE if telephone else Canal.PORTAIL,
                self.agents["accueil"] if telephone else None,
                heure=r.randint(8, 20),
            )
            demande = creer_demande(
                self.session, contexte, famille.id, type_demande, nouvelles, enfant_id=enfant_id
            )
            total += 1
            decision = min(creee + dt.timedelta(days=r.randint(0, 4)), ref)
            # Health data is decided by the administrator (the régisseur may not see it).
            qui = "admin" if type_demande == TypeDemande.SANITAIRES else "regie"
            decideur = self.contexte(decision, Canal.GUICHET, self.agents[qui], heure=15)
            if statut == "acceptee" and type_demande != TypeDemande.AJOUT_ENFANT:
                accepter_demande(self.session, decideur, demande)  # re-indexes names, phones
            elif statut == "refusee":
                refuser_demande(self.session, decideur, demande, motif)
            elif statut == "retiree":
                retirer_demande(
                    self.session, self.contexte(decision, Canal.PORTAIL, None, heure=18), demande
                )
        return total

    def _nouvelles_valeurs(
        self, famille: FamilleGen, type_demande: TypeDemande
    ) -> tuple[dict, int | None, str]:
        r, f, s = self.rng, self.faker, self.session
        if type_demande in (TypeDemande.RESPONSABLE, TypeDemande.CONJOINT):
            personne = s.exec(
                select(Responsable).where(
                    Responsable.famille_id == famille.id, Responsable.role == type_demande.value
                )
            ).one()
            if type_demande == TypeDemande.RESPONSABLE:
                nouvelles = self._adresse(r.random() < 0.7) | dict(
                    telephone_domicile=self._telephone("05")
                )
                return nouvelles, None, "Justificatif de domicile manquant."
            nouvelles = dict(
                mobile=self._telephone("07"),
                email=self._email(personne.prenoms, personne.nom + "-pro"),
            )
            return nouvelles, None, "Adresse e-mail invalide."
        if type_demande == TypeDemande.BANCAIRES:
            from schwifty import IBAN

            code, guichet, banque = r.choice(noms.BANQUES)
            compte = IBAN.generate(
                "FR", bank_code=code + guichet, account_code=f"{r.randrange(10**11):011d}"
            )
            return (
                dict(
                    titulaire_compte=famille.nom,
                    iban=str(compte),
                    bic=str(compte.bic or ""),
                    nom_banque=banque,
                    prelevement=True,
                ),
                None,
                "RIB illisible : merci de joindre un RIB au format PDF.",
            )
        if type_demande == TypeDemande.FISCALES:
            return (
                dict(
                    revenu_fiscal_reference=r.randint(150, 900) * 10000,
                    nombre_parts=r.choice(("2", "2,5", "3", "3,5")),
                    annee_revenus=self.annee,
                ),
                None,
                "Avis d'imposition manquant.",
            )
        if type_demande == TypeDemande.CAF:
            return (
                dict(
                    organisme="MSA" if famille.organisme == "CAF" else "CAF",
                    numero_allocataire=f"{r.randrange(10**6, 10**7)}",
                ),
                None,
                "Le numéro d'allocataire ne correspond à aucun dossier.",
            )
        if type_demande == TypeDemande.AJOUT_ENFANT:
            sexe = r.choice("MF")
            prenom = r.choice(noms.PRENOMS_FILLES if sexe == "F" else noms.PRENOMS_GARCONS)
            naissance = self.reference - dt.timedelta(days=r.randint(800, 1100))
            return (
                dict(
                    nom=famille.nom.split()[0], prenoms=prenom, sexe=sexe, date_naissance=naissance
                ),
                None,
                "Merci de prendre rendez-vous avec le service pour l'inscription.",
            )
        enfant = famille.enfants[r.randrange(len(famille.enfants))]
        actuel = s.get(Enfant, enfant.id)
        if type_demande == TypeDemande.AUTORISATIONS:
            return (
                dict(autorisation_photo=not actuel.autorisation_photo),
                enfant.id,
                "Autorisation signée des deux parents requise.",
            )
        allergie = next(a for a in noms.ALLERGIES if a != actuel.allergies)
        return (
            dict(allergies=allergie, pai=True, medecin=f"Dr {f.last_name().upper()}"),
            enfant.id,
            "Le PAI doit être signé par le médecin scolaire.",
        )

    # ------------------------------------------------------------------ messages
    def messages(self, familles: list[FamilleGen]) -> int:
        """Messages both ways, read and unread, answered or not, some deleted."""
        r, ref = self.rng, self.reference
        premiers, reponses = [], []
        debut = self.debut

        def instant(jour: dt.date, famille: bool) -> dt.datetime:
            heure = r.randint(7, 22) if famille else r.randint(8, 17)
            return dt.datetime.combine(jour, dt.time(heure, r.randint(0, 59)))

        etendue = (ref - debut).days
        for famille in familles:
            if r.random() >= 0.4:
                continue
            for _ in range(r.randint(1, 3)):
                recent = r.random() < 0.5
                recul = r.randint(1, 30) if recent else r.randint(1, etendue)
                jour = ref - dt.timedelta(days=recul)
                prenom = famille.enfants[0].prenom if famille.enfants else ""
                if r.random() < 0.7:
                    sujet, corps, reponse = r.choice(noms.SUJETS_FAMILLE)
                    envoye = instant(jour, True)
                    repondu = (ref - jour).days > 2 and r.random() < 0.7
                    lu = repondu or (ref - jour).days > 7 or r.random() < 0.3
                    supprime = lu and r.random() < 0.05
                    premiers.append(
                        dict(
                            famille_id=famille.id,
                            sens=Sens.DE_LA_FAMILLE.value,
                            sujet=sujet.format(enfant=prenom),
                            corps=corps.format(enfant=prenom),
                            envoye_le=envoye,
                            lu=lu,
                            lu_le=envoye + dt.timedelta(hours=r.randint(1, 40)) if lu else None,
                            supprime=supprime,
                            supprime_le=envoye + dt.timedelta(days=3) if supprime else None,
                            reponse_a_id=None,
                            agent_id=None,
                            canal=Canal.PORTAIL.value,
                        )
                    )
                    if repondu:
                        rendu = envoye + dt.timedelta(hours=r.randint(2, 44))
                        rendu = rendu.replace(hour=max(8, min(rendu.hour, 17)))
                        lu_famille = r.random() < 0.8
                        reponses.append(
                            (
                                len(premiers) - 1,
                                dict(
                                    famille_id=famille.id,
                                    sens=Sens.DU_SERVICE.value,
                                    sujet="RE: " + sujet.format(enfant=prenom),
                                    corps=reponse,
                                    envoye_le=rendu,
                                    lu=lu_famille,
                                    lu_le=rendu + dt.timedelta(hours=5) if lu_famille else None,
                                    supprime=False,
                                    supprime_le=None,
                                    agent_id=self.agents["accueil"],
                                    canal=Canal.GUICHET.value,
                                ),
                            )
                        )
                else:
                    sujet, corps = r.choice(noms.SUJETS_SERVICE)
                    envoye = instant(jour, False)
                    lu = r.random() < 0.7
                    supprime = lu and r.random() < 0.1
                    premiers.append(
                        dict(
                            famille_id=famille.id,
                            sens=Sens.DU_SERVICE.value,
                            sujet=sujet,
                            corps=corps,
                            envoye_le=envoye,
                            lu=lu,
                            lu_le=envoye + dt.timedelta(hours=6) if lu else None,
                            supprime=supprime,
                            supprime_le=envoye + dt.timedelta(days=2) if supprime else None,
                            reponse_a_id=None,
                            agent_id=self.agents["accueil"],
                            canal=Canal.GUICHET.value,
                        )
                    )
        limite = dt.datetime.combine(ref, dt.time(7))  # nothing is read after "today"
        for ligne in premiers + [ligne for _, ligne in reponses]:
            if ligne["lu_le"] is not None and ligne["lu_le"] > limite:
                ligne["lu"], ligne["lu_le"] = False, None
            if ligne["supprime_le"] is not None and ligne["supprime_le"] > limite:
                ligne["supprime"], ligne["supprime_le"] = False, None
        ids = self._inserer(Message, premiers, retour=True)
        self._inserer(Message, [dict(ligne, reponse_a_id=ids[i]) for i, ligne in reponses])
        return len(premiers) + len(reponses)
