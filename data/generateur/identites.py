"""Drawn identities: phone numbers, e-mails, addresses and bank accounts that pass the
app's own checks (used when drawing the families and the requests that change them)."""

from __future__ import annotations

from schwifty import IBAN

from data import noms
from data.generateur.atelier import Atelier, ascii_minuscule
from modele.validation import telephone_canonique


def telephone(a: Atelier, prefixe: str) -> str:
    """A real French number in the stored form ("07 31 22 45 67"). A drawn number of an
    unallocated block ("07 15…") moves to the next allocated one, with no other draw
    (the rest of the demo stays the same for a seed)."""
    paires = [a.rng.randint(0, 99) for _ in range(4)]
    for decalage in range(100):
        bloc = (paires[0] + decalage) % 100
        numero = f"{prefixe} {bloc:02d} " + " ".join(f"{p:02d}" for p in paires[1:])
        if telephone_canonique(numero) == numero:
            return numero
    raise ValueError(f"aucun numéro valide pour le préfixe {prefixe}")


def email(a: Atelier, prenom: str, nom: str) -> str:
    """prenom.nom (sometimes with a number) at a common provider."""
    r = a.rng
    local = f"{ascii_minuscule(prenom.split()[0])}.{ascii_minuscule(nom.replace(' ', '-'))}"
    if r.random() < 0.3:
        local += str(r.randint(1, 99))
    return f"{local}@{r.choice(noms.DOMAINES_EMAIL)}"


def adresse(a: Atelier, dans_la_commune: bool) -> dict[str, str]:
    """A street address in the commune or in a neighbouring town (the address columns)."""
    code_postal, ville = (
        noms.VILLE_COMMUNE if dans_la_commune else a.rng.choice(noms.VILLES_VOISINES)
    )
    return dict(
        adresse=a.faker.street_address().replace(",", "").upper(),
        code_postal=code_postal,
        ville=ville,
    )


def compte_bancaire(a: Atelier) -> tuple[str, str, str]:
    """(IBAN, BIC, bank name) of an account at a real French bank branch."""
    code, guichet, nom_banque = a.rng.choice(noms.BANQUES)
    compte = IBAN.generate(
        "FR", bank_code=code + guichet, account_code=f"{a.rng.randrange(10**11):011d}"
    )
    return str(compte), str(compte.bic or ""), nom_banque
