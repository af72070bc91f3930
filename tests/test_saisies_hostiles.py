"""Every field of every form against hostile input: a French message at the field, no
crash, nothing stored; what is accepted is stored as typed (parameters, never SQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from modele.base import ErreurMetier
from modele.demandes import Demande, TypeDemande, creer_demande
from modele.formulaires import FORMULAIRES, Genre, lire_champ
from modele.messages import Message, envoyer
from modele.validation import LONGUEUR_CORPS, verifier_date
from tests import fabrique

HOSTILES = {
    "vide": "",
    "tres_long": "x" * 5000,
    "controle": "abc\x00def\x1b[31m",
    "emoji": "Zoé 😀",
    "sql": "'); DROP TABLE famille; --",
    "date_impossible": "31/02/2024",
    "espaces": "   ",
}
CHAMPS = [
    (type_, champ)
    for type_, (_, champs) in FORMULAIRES.items()
    for champ in champs
    if champ.genre != Genre.BOOLEEN
]


@pytest.mark.parametrize("nom_valeur", list(HOSTILES))
@pytest.mark.parametrize("type_champ", CHAMPS, ids=lambda tc: f"{tc[0].value}-{tc[1].nom}")
def test_champ_hostile(type_champ, nom_valeur):
    _, champ = type_champ
    valeur = HOSTILES[nom_valeur]
    try:
        lu = lire_champ(champ, valeur)
    except ErreurMetier as e:
        assert e.champ == champ.nom and e.message.strip("« ")[0].isupper()
        return
    # Accepted: only harmless values get through, never control characters or overflow.
    if isinstance(lu, str):
        assert "\x00" not in lu and "\x1b" not in lu
        assert len(lu) <= max(champ.longueur_max, 80) + 40
    if nom_valeur in ("controle", "tres_long"):
        pytest.fail(f"{champ.nom} accepte {nom_valeur!r}")
    if nom_valeur == "date_impossible" and champ.genre == Genre.DATE:
        pytest.fail("31/02 accepté")
    if champ.genre in (
        Genre.NOM,
        Genre.TELEPHONE,
        Genre.EMAIL,
        Genre.CODE_POSTAL,
        Genre.IBAN,
        Genre.BIC,
        Genre.DATE,
        Genre.MONTANT,
        Genre.ANNEE,
    ) and nom_valeur in ("emoji", "sql"):
        pytest.fail(f"{champ.nom} ({champ.genre}) accepte {nom_valeur!r}")


def test_texte_sql_stocke_tel_quel(s):
    fabrique.structure(s)
    famille, _ = fabrique.famille(s)
    creer_demande(
        s, fabrique.contexte(), famille.id, TypeDemande.RESPONSABLE, {"profession": HOSTILES["sql"]}
    )
    s.commit()
    demande = s.exec(select(Demande)).one()
    assert demande.valeurs["profession"][1] == HOSTILES["sql"]
    assert s.exec(select(Demande)).all()  # the tables are all still there


def test_message_vide_refuse_et_long_garde_entier(s):
    fabrique.structure(s)
    famille, _ = fabrique.famille(s)
    for sujet, corps, champ in (
        ("", "texte", "sujet"),
        ("Objet", "  ", "corps"),
        ("a\x07b", "texte", "sujet"),
        ("x" * 300, "texte", "sujet"),
    ):
        with pytest.raises(ErreurMetier) as e:
            envoyer(s, fabrique.contexte(), famille.id, sujet, corps)
        assert e.value.champ == champ
    # The longest body allowed is kept whole (lines, tabs, emoji); one more character is not.
    long = ("Bonjour 😀\n\t" + "ligne\n" * 700)[: LONGUEUR_CORPS - 1] + "."
    with pytest.raises(ErreurMetier) as e:
        envoyer(s, fabrique.contexte(), famille.id, "Objet", long + "x")
    assert e.value.champ == "corps" and "4\u202f000" in e.value.message
    envoyer(s, fabrique.contexte(), famille.id, "Objet", long)
    s.commit()
    assert s.exec(select(Message)).one().corps == long


@pytest.mark.parametrize(
    "texte", ["31/02/2024", "29/02/2023", "00/01/2024", "12/13/2024", "2024-02-30", "aujourd'hui"]
)
def test_dates_impossibles(texte):
    with pytest.raises(ErreurMetier):
        verifier_date(texte, "date")


# --- every writer of free text, on SQLite and PostgreSQL ---------------------------------------
# A lone surrogate cannot be encoded (UnicodeEncodeError on both), PostgreSQL refuses a NUL
# (psycopg.DataError), and 5,000 characters are over every short field's length: each is
# refused by the model with the field's name, before the database sees it.

TEXTES_HOSTILES = {
    "surrogate": "a\ud800b",
    "nul": "a\x00b",
    "escape": "a\x1b[31mb",
    "tres_long": "x" * 5000,
}


def _ecrivains():
    """(name, field, call(session, context, world, text)) for every writer of free text."""
    import datetime as dt

    from modele.agents import verifier_politique
    from modele.calendrier import enregistrer_periode
    from modele.demandes import refuser_demande
    from modele.facturation import emettre_avoir
    from modele.famille import renseigner_lieu_naissance, valeurs_lieu_naissance
    from modele.journal import FiltreJournal, lire_journal
    from modele.messages import envoyer_a_plusieurs
    from modele.planning import TypeCalendrier
    from modele.quotient import declarer_qf, saisir_attestation
    from modele.reglements import (
        ModeReglement,
        Paiement,
        annuler_reglement,
        encaisser,
        encaisser_en_masse,
    )

    jour = dt.date(2026, 11, 20)

    def payer(**textes):
        def appel(s, ctx, m, v):
            valeurs = {"reference_paiement": "1234567"} | {k: v for k in textes}
            return encaisser(
                s,
                ctx,
                m["famille"].id,
                m["regie"].id,
                1000,
                ModeReglement.CHEQUE,
                jour,
                garder_en_avoir=True,
                **valeurs,
            )

        return appel

    def en_masse(s, ctx, m, v):
        return encaisser_en_masse(
            s,
            m["regie"].id,
            [Paiement(ctx, m["famille"].id, 1000, ModeReglement.CHEQUE, jour, "1234567", payeur=v)],
        )

    def demande(s, ctx, m):
        return creer_demande(s, ctx, m["famille"].id, TypeDemande.CAF, {"organisme": "CAF"})

    def qf(s, ctx, m, v):
        from modele.api_particulier import QuotientCaf

        return declarer_qf(
            s,
            ctx,
            m["famille"].id,
            QuotientCaf([], [], "", "CNAF", 30000, 2026, 10),
            v,
            certifie=True,
        )

    def attestation(champ):
        def appel(s, ctx, m, v):
            textes = {"reference_document": "ATT-1", "commentaire": ""}
            textes["reference_document" if champ == "reference" else champ] = v
            return saisir_attestation(
                s, ctx, m["famille"].id, "CAF", 50000, dt.date(2026, 10, 1), **textes
            )

        return appel

    def lieu(s, ctx, m, v):
        from modele.famille import Responsable

        personne = s.exec(select(Responsable)).first()
        return renseigner_lieu_naissance(s, ctx, personne.id, {"lieu_naissance_etranger": v})

    return [
        ("envoyer-sujet", "sujet", lambda s, c, m, v: envoyer(s, c, m["famille"].id, v, "Texte")),
        (
            "envoyer-corps",
            "corps",
            lambda s, c, m, v: envoyer(s, c, m["famille"].id, "Objet", "Bonjour\n" + v * 2),
        ),
        (
            "envoyer_a_plusieurs",
            "corps",
            lambda s, c, m, v: envoyer_a_plusieurs(
                s, c, [m["famille"].id], "Objet", "Bonjour\n" + v * 2
            ),
        ),
        ("encaisser-cheque", "reference_paiement", payer(reference_paiement=1)),
        ("encaisser-banque", "banque", payer(banque=1)),
        ("encaisser-payeur", "payeur", payer(payeur=1)),
        ("encaisser_en_masse", "payeur", en_masse),
        (
            "annuler_reglement",
            "motif",
            lambda s, c, m, v: annuler_reglement(s, c, payer()(s, c, m, "").id, v),
        ),
        ("emettre_avoir", "motif", lambda s, c, m, v: emettre_avoir(s, c, 1, v)),
        (
            "creer_demande-commentaire",
            "commentaire",
            lambda s, c, m, v: creer_demande(
                s, c, m["famille"].id, TypeDemande.CAF, {"organisme": "CAF"}, commentaire=v * 2
            ),
        ),
        (
            "creer_demande-valeur",
            "adresse",
            lambda s, c, m, v: creer_demande(
                s, c, m["famille"].id, TypeDemande.RESPONSABLE, {"adresse": v}
            ),
        ),
        ("refuser_demande", "motif", lambda s, c, m, v: refuser_demande(s, c, demande(s, c, m), v)),
        ("declarer_qf", "commentaire", lambda s, c, m, v: qf(s, c, m, v * 2)),
        ("saisir_attestation-reference", "reference", attestation("reference")),
        (
            "saisir_attestation-commentaire",
            "commentaire",
            lambda s, c, m, v: attestation("commentaire")(s, c, m, v * 2),
        ),
        (
            "journal-famille",
            "famille",
            lambda s, c, m, v: lire_journal(s, c, FiltreJournal(numero_famille=v)),
        ),
        (
            "journal-agent",
            "agent",
            lambda s, c, m, v: lire_journal(s, c, FiltreJournal(identifiant=v)),
        ),
        (
            "calendrier",
            "libelle",
            lambda s, c, m, v: enregistrer_periode(s, c, TypeCalendrier.FERMETURE, v, jour, jour),
        ),
        (
            "lieu_de_naissance",
            "lieu",
            lambda s, c, m, v: valeurs_lieu_naissance(code_pays="99109", lieu_etranger=v),
        ),
        ("renseigner_lieu_naissance", "lieu_naissance_etranger", lieu),
        ("mot_de_passe", "mot_de_passe", lambda s, c, m, v: verifier_politique("Abcdefg1" + v)),
    ]


ECRIVAINS = _ecrivains()


@pytest.mark.parametrize("ecrivain", ECRIVAINS, ids=[e[0] for e in ECRIVAINS])
def test_ecrivain_de_texte_libre_hostile(s, ecrivain):
    from modele.messages import Message
    from modele.reglements import Reglement

    _, champ, appel = ecrivain
    regie, _, _ = fabrique.structure(s)
    famille, _ = fabrique.famille(s)
    s.commit()
    monde = {"regie": regie, "famille": famille}
    avant = (len(s.exec(select(Message)).all()), len(s.exec(select(Reglement)).all()))
    for nom_texte, texte in TEXTES_HOSTILES.items():
        if nom_texte == "tres_long" and champ == "mot_de_passe":
            continue  # a long password is a strong one
        with pytest.raises(ErreurMetier) as e:
            appel(s, fabrique.contexte(), monde, texte)
        assert e.value.champ == champ, (nom_texte, e.value.message)
        assert e.value.message[0].isupper() or e.value.message.startswith("« ")
        s.rollback()
        assert (
            len(s.exec(select(Message)).all()),
            len(s.exec(select(Reglement)).all()),
        ) == avant, nom_texte


def test_textes_acceptes_tels_quels(s):
    """What a person may type goes through: accents, emoji, quotes, tabs and lines in a body."""
    from modele.reglements import ModeReglement, encaisser

    regie, _, _ = fabrique.structure(s)
    famille, _ = fabrique.famille(s)
    ctx = fabrique.contexte()
    corps = "Bonjour,\r\n\tLa cantine [/kg] coûte 3 € 😀 — « merci » ; 'ok'\r\nCordialement"
    message = envoyer(s, ctx, famille.id, "  Objet é 😀  ", corps)
    assert (message.sujet, message.corps) == ("Objet é 😀", corps.replace("\r\n", "\n"))
    reglement = encaisser(
        s,
        ctx,
        famille.id,
        regie.id,
        500,
        ModeReglement.CHEQUE,
        ctx.aujourdhui,
        " 0012345 ",
        "Crédit Agricole",
        "Zoé L'Hôpital",
        garder_en_avoir=True,
    )
    s.commit()
    s.refresh(reglement)
    assert (reglement.reference_paiement, reglement.banque, reglement.payeur) == (
        "0012345",
        "Crédit Agricole",
        "Zoé L'Hôpital",
    )


def test_lectures_de_texte_hostile(s):
    """A search or a login reads with what was typed: no crash, no result, no database error."""
    from modele.agents import authentifier
    from modele.messages import boite_du_service
    from modele.recherche import rechercher

    fabrique.structure(s)
    fabrique.famille(s)
    s.commit()
    # a control character separates words, as a space would
    assert [r.responsable for r in rechercher(s, "martin\x00élodie\ud800")] == ["MARTIN Élodie"]
    for texte in [*TEXTES_HOSTILES.values(), "dupont " * 800]:
        assert rechercher(s, texte) == []
        assert boite_du_service(s, texte) == []
        with pytest.raises(ErreurMetier) as e:
            authentifier(s, texte, texte, dt.datetime(2026, 11, 27, 9))
        assert e.value.message == "Identifiant ou mot de passe incorrect."
        s.rollback()


MONTANTS_HOSTILES = [
    "nan",
    "NaN",
    "sNaN",
    "inf",
    "Infinity",
    "-inf",
    "-Infinity",
    "1e400",
    "1E2",
    "1e-400",
    "١٢٣",
    "1_000",
    "0x10",
    "12,3,4",
    "1" * 400,
    "+",
    ".",
]


@pytest.mark.parametrize("texte", MONTANTS_HOSTILES)
def test_montant_hostile_refuse_en_francais(texte):
    """Decimal reads "nan", "inf" or "1e400": the amount is refused as the forms expect
    (ValueError), with a French message, and as an ErreurMetier at a request's field."""
    from modele.formats import centimes
    from modele.formulaires import Champ, Genre, lire_champ

    with pytest.raises(ValueError) as e:
        centimes(texte)
    assert e.value.args[0].startswith(("Montant", "Pas plus"))
    champ = Champ("revenu_fiscal_reference", "Revenu fiscal de référence", Genre.MONTANT)
    with pytest.raises(ErreurMetier) as e:
        lire_champ(champ, texte)
    assert e.value.champ == "revenu_fiscal_reference"


@pytest.mark.parametrize(
    "texte, attendu",
    [
        ("120,60", 12060),
        ("-5", -500),
        (".5", 50),
        ("12.", 1200),
        ("1 000 000,00 €", 100_000_000),
        ("99999999,99", 9_999_999_999),
    ],
)
def test_montant_accepte(texte, attendu):
    from modele.formats import centimes

    assert centimes(texte) == attendu


def test_date_de_naissance_a_venir_refusee_et_niveau_lisible():
    """A child added with a date of birth to come is refused at its field (29/02/2028 was
    taken); the request's detail shows the level as the form does (« Crèche », not the
    code)."""
    from ecrans.demandes import detail
    from modele.formulaires import ErreursSaisie, lire_saisie

    aujourdhui = dt.date(2026, 12, 4)
    saisie = {
        "nom": "DURAND",
        "prenoms": "Léa",
        "sexe": "F",
        "date_naissance": "29/02/2028",
        "niveau": "creche",
        "ecole": "",
        "classe": "",
    }
    with pytest.raises(ErreursSaisie) as refus:
        lire_saisie(TypeDemande.AJOUT_ENFANT, saisie, aujourdhui=aujourdhui)
    assert refus.value.erreurs == {
        "date_naissance": "« Date de naissance » ne peut pas être une date à venir."
    }
    saisie["date_naissance"] = "04/12/2026"  # born today: taken
    valeurs = lire_saisie(TypeDemande.AJOUT_ENFANT, saisie, aujourdhui=aujourdhui)
    assert valeurs["date_naissance"] == aujourdhui
    demande = Demande(famille_id=1, type=TypeDemande.AJOUT_ENFANT, valeurs={"niveau": "creche"})
    assert detail(demande) == "Niveau scolaire : Crèche"


@pytest.mark.parametrize(
    "texte, message",
    [
        ("13/2026", "Le mois 13/2026 n'existe pas : de 01 à 12."),
        ("00/2026", "Le mois 00/2026 n'existe pas : de 01 à 12."),
        ("11-2026-01", "Mois invalide : saisissez MM/AAAA (ex. 11/2026)."),
        ("😀", "Mois invalide : saisissez MM/AAAA (ex. 11/2026)."),
    ],
)
def test_mois_du_quotient_refuse_comme_un_mois(texte, message):
    """The QF's month: 13/2026 said « Le 01/13/2026 n'existe pas », a date never typed."""
    from modele.validation import verifier_mois

    with pytest.raises(ErreurMetier) as refus:
        verifier_mois(texte, "mois")
    assert (refus.value.message, refus.value.champ) == (message, "mois")
    assert verifier_mois(" 2/2028 ") == dt.date(2028, 2, 1)
    assert verifier_mois("") is None


@pytest.mark.parametrize("texte", ["10000,01", "5000000", "99999999999999", "-1"])
def test_valeur_de_qf_une_seule_borne(texte):
    """Too large, however large, or negative: the one message of the QF's bounds (a huge
    value spoke of 100 million euros, a large one of 10 000 €)."""
    from modele.quotient import lire_valeur_qf

    with pytest.raises(ErreurMetier, match=r"^Valeur de QF invalide \(0 à 10 000 €\)\.$"):
        lire_valeur_qf(texte)


def test_valeur_de_qf_lue():
    from modele.quotient import lire_valeur_qf

    assert lire_valeur_qf("850,5") == 85050
    assert lire_valeur_qf("10 000") == 10_000_00
    with pytest.raises(ErreurMetier, match="Quotient familial invalide : saisissez par exemple"):
        lire_valeur_qf("abc")


def test_mandat_sepa_reference_et_date_verifiees_au_champ():
    """The bank details request: a mandate reference outside the SEPA characters, and a
    signature date to come, are refused at their field (both were saved as typed)."""
    import datetime as dt

    from modele.base import ErreurMetier
    from modele.demandes import TypeDemande
    from modele.formulaires import ErreursSaisie, lire_saisie

    aujourdhui = dt.date(2026, 12, 4)
    saisie = {"mandat_sepa_reference": "RUM-[b]x[/b]", "mandat_sepa_date": "15/12/2026"}
    try:
        lire_saisie(TypeDemande.BANCAIRES, saisie, aujourdhui=aujourdhui)
    except ErreursSaisie as e:
        erreurs = e.erreurs
    else:
        raise AssertionError("accepted")
    assert erreurs["mandat_sepa_reference"].startswith("La référence du mandat (RUM)")
    assert erreurs["mandat_sepa_date"].endswith("ne peut pas être une date à venir.")
    valeurs = lire_saisie(
        TypeDemande.BANCAIRES,
        {"mandat_sepa_reference": " rum-2026/01 ", "mandat_sepa_date": "01/12/2026"},
        aujourdhui=aujourdhui,
    )
    assert valeurs == {
        "mandat_sepa_reference": "RUM-2026/01",
        "mandat_sepa_date": dt.date(2026, 12, 1),
    }
    assert lire_saisie(TypeDemande.BANCAIRES, {"mandat_sepa_reference": ""}) == {
        "mandat_sepa_reference": ""
    }
    assert issubclass(ErreursSaisie, ErreurMetier)
    # A reference stored before the check, left as it is: the new IBAN goes through.
    ancienne = {"mandat_sepa_reference": "rum 2024 n°1", "mandat_sepa_date": "15/12/2026"}
    valeurs = lire_saisie(
        TypeDemande.BANCAIRES,
        {**ancienne, "iban": "FR76 3000 6000 0112 3456 7890 189", "prelevement": True},
        aujourdhui=aujourdhui,
        inchangees=set(ancienne),
    )
    assert valeurs["mandat_sepa_reference"] == "rum 2024 n°1"
    assert valeurs["iban"].startswith("FR76")
