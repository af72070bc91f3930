"""Field checks with French messages: phone, postcode, e-mail, IBAN, BIC, dates.

Each `verifier_*` returns the normalised value or raises ErreurMetier naming the field.
"""

from __future__ import annotations

import datetime as dt
import re

from modele.base import ErreurMetier
from modele.communes import code_postal_valide

# Metropolitan France first, then the overseas departments and collectivities that share
# the French numbering plan (a Réunion landline is dialled 02 62… from France).
REGIONS_TELEPHONE = ("FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF")


# The one stored form of a phone: French national, in pairs ("06 12 34 56 78"). It is what
# the portal prints, what the agent reads back to a parent on the phone, and what a parent
# dictates; every French number (overseas included) has it. E.164 ("+33612345678") would
# be formatted back to this on every screen and PDF. The search finds any typed form
# (0612…, 06 12…, +33 6…, 0033 6…) by its digits either way.


def telephone_canonique(valeur: str) -> str | None:
    """`valeur` in the stored form, "" for blank, None when it is no French number."""
    import phonenumbers

    if not valeur.strip():
        return ""
    for region in REGIONS_TELEPHONE:
        try:
            numero = phonenumbers.parse(valeur, region)
        except phonenumbers.NumberParseException:
            return None
        # (a foreign number, "+44 20…", is not made into a French-looking one)
        if (
            phonenumbers.is_valid_number(numero)
            and phonenumbers.region_code_for_number(numero) in REGIONS_TELEPHONE
        ):
            chiffres = "0" + str(numero.national_number)
            return " ".join(chiffres[i : i + 2] for i in range(0, len(chiffres), 2))
    return None


def verifier_telephone(valeur: str, champ: str = "telephone") -> str:
    """A French phone number (landline, mobile, overseas) as "01 02 03 04 05"; "" stays ""."""
    canonique = telephone_canonique(valeur)
    if canonique is None:
        raise ErreurMetier("Numéro de téléphone invalide (10 chiffres, ex. 01 02 03 04 05).", champ)
    return canonique


def verifier_code_postal(valeur: str, champ: str = "code_postal") -> str:
    """Five digits, and a postcode that exists (metropolitan or overseas)."""
    cp = valeur.strip().replace(" ", "")
    if not cp:
        return ""
    if not re.fullmatch(r"\d{5}", cp):
        raise ErreurMetier("Code postal invalide : 5 chiffres (ex. 31400).", champ)
    try:
        existe = code_postal_valide(cp)
    except ImportError:  # reference data not installed: the format check alone
        return cp
    if not existe:
        raise ErreurMetier(f"Le code postal {cp} n'existe pas.", champ)
    return cp


_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$"
)


def verifier_email(valeur: str, champ: str = "email") -> str:
    email = valeur.strip()
    if not email:
        return ""
    if len(email) > 254 or not _EMAIL.match(email):
        raise ErreurMetier("Adresse e-mail invalide (ex. prenom.nom@exemple.fr).", champ)
    return email.lower()


def verifier_iban(valeur: str, champ: str = "iban") -> str:
    """An IBAN with a valid checksum (schwifty), printed in groups of four."""
    from schwifty import IBAN
    from schwifty.exceptions import SchwiftyException

    if not valeur.strip():
        return ""
    try:
        return IBAN(valeur).formatted
    except SchwiftyException as e:
        if "checksum" in str(e).lower():
            raise ErreurMetier(
                "IBAN invalide : la clé de contrôle ne correspond pas.", champ
            ) from None
        raise ErreurMetier(
            "IBAN invalide : vérifiez le pays, la longueur et les caractères.", champ
        ) from None


def verifier_bic(valeur: str, champ: str = "bic") -> str:
    from schwifty import BIC
    from schwifty.exceptions import SchwiftyException

    if not valeur.strip():
        return ""
    try:
        return str(BIC(valeur.strip().upper().replace(" ", "")))
    except SchwiftyException:
        raise ErreurMetier("BIC invalide (8 ou 11 caractères, ex. AGRIFRPP).", champ) from None


def bic_de_l_iban(iban: str) -> str:
    """The BIC a French IBAN's bank code points to, when the registry knows it."""
    from schwifty import IBAN

    try:
        bic = IBAN(iban).bic
    except Exception:
        return ""
    return str(bic) if bic else ""


def verifier_date(valeur: str, champ: str = "date") -> dt.date | None:
    """A date typed as JJ/MM/AAAA (31/02 refused)."""
    texte = valeur.strip()
    if not texte:
        return None
    trouve = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", texte)
    if not trouve:
        raise ErreurMetier("Date invalide : saisissez JJ/MM/AAAA.", champ)
    jour, mois, annee = (int(x) for x in trouve.groups())
    try:
        return dt.date(annee, mois, jour)
    except ValueError:
        raise ErreurMetier(f"Le {texte} n'existe pas.", champ) from None


def verifier_mois(valeur: str, champ: str = "mois") -> dt.date | None:
    """A month typed as MM/AAAA: its first day (13/2026 refused as a month, not as a
    date the agent never typed)."""
    texte = valeur.strip()
    if not texte:
        return None
    trouve = re.fullmatch(r"(\d{1,2})[/.-](\d{4})", texte)
    if not trouve:
        raise ErreurMetier("Mois invalide : saisissez MM/AAAA (ex. 11/2026).", champ)
    mois, annee = (int(x) for x in trouve.groups())
    if not 1 <= mois <= 12 or annee < 1:
        raise ErreurMetier(f"Le mois {texte} n'existe pas : de 01 à 12.", champ)
    return dt.date(annee, mois, 1)


# Lengths of the free texts, in characters (one place, so that a screen can cap its input).
LONGUEUR_COURTE = 80  # a bank, a payer, a filter
LONGUEUR_REFERENCE = 35  # a cheque or ORMC title number, an attestation reference (SEPA: 35)
LONGUEUR_SUJET = 200
LONGUEUR_MOTIF = 300  # a refusal, a cancellation, a credit note's reason
LONGUEUR_VALEUR = 300  # one field of a request (the longest form field: allergies)
LONGUEUR_COMMENTAIRE = 2000
LONGUEUR_CORPS = 4000  # a message's body: about two printed pages


def caractere_interdit(texte: str, multiligne: bool = False) -> str | None:
    """The first character that no text field may hold, or None.

    Control characters (NUL included: PostgreSQL refuses it), lone surrogates (they cannot be
    encoded, so neither SQLite nor PostgreSQL can store them); a multi-line text keeps its
    line breaks and tabs."""
    for c in texte:
        code = ord(c)
        if multiligne and c in "\n\t":
            continue
        if code < 32 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF:
            return c
    return None


def texte_de_recherche(valeur: str | None, longueur_max: int = 100) -> str:
    """A search text as a query may use it: the characters no field may hold dropped (they
    cannot be in the base anyway), cut to a length. A read refuses nothing."""
    texte = "".join(
        " " if caractere_interdit(c) is not None else c for c in (valeur or "")[: longueur_max * 10]
    )
    return " ".join(texte.split())[:longueur_max]


def verifier_texte(
    valeur: str | None,
    champ: str,
    longueur_max: int = 200,
    obligatoire: bool = False,
    libelle: str = "Ce champ",
    multiligne: bool = False,
) -> str:
    """Free text as every writer stores it: trimmed, within its length, with no control
    character nor lone surrogate; ErreurMetier naming the field otherwise."""
    texte = (valeur or "").strip()
    if multiligne:
        texte = texte.replace("\r\n", "\n").replace("\r", "\n")
    if obligatoire and not texte:
        raise ErreurMetier(f"{libelle} est obligatoire.", champ)
    if caractere_interdit(texte, multiligne) is not None:
        raise ErreurMetier(f"{libelle} contient des caractères non imprimables.", champ)
    if len(texte) > longueur_max:
        raise ErreurMetier(
            f"{libelle} est trop long ({longueur_max:_} caractères au plus).".replace(
                "_", "\u202f"
            ),
            champ,
        )
    return texte


_NOM = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿŒœ' .\-]+$")


def verifier_nom(
    valeur: str, champ: str, libelle: str = "Ce nom", obligatoire: bool = False
) -> str:
    """A name (person, town): letters, spaces, hyphens, apostrophes; no digits or symbols."""
    texte = " ".join(valeur.split())
    if not texte:
        if obligatoire:
            raise ErreurMetier(f"{libelle} est obligatoire.", champ)
        return ""
    if len(texte) > 80:
        raise ErreurMetier(f"{libelle} est trop long (80 caractères au plus).", champ)
    if not _NOM.match(texte):
        raise ErreurMetier(
            f"{libelle} ne peut contenir que des lettres, espaces, tirets et apostrophes.", champ
        )
    return texte


def verifier_rum(rum: str) -> str:
    """A mandate reference: 1 to 35 characters of the SEPA set, no space."""
    rum = (rum or "").strip().upper()
    permis = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+?/-:().,'")
    if not rum or len(rum) > 35 or not set(rum) <= permis:
        raise ErreurMetier(
            "La référence du mandat (RUM) compte 1 à 35 lettres, chiffres ou + ? / - : ( ) . , '",
            "rum",
        )
    return rum
