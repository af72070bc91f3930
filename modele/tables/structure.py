"""The collectivité, its documents, the régies and their number sequences.

Tables and enums only: the rules that use them are in modele/structure.py."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class Collectivite(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    nom: str
    adresse: str = ""
    siret: str = ""
    message_accueil: str = "Bienvenue sur le Portail Famille"
    zone_scolaire: str = "C"
    contact_portail: str = ""  # "l'utilisation du Portail Famille"
    contact_factures: str = ""  # "votre facture"
    contact_inscriptions: str = ""  # "vos inscriptions et réservations"
    # A medical certificate recorded within N working days after the absent day excuses a
    # late-declared absence (modele/reservations.py's table).
    delai_certificat_jours_ouvres: int = 2
    # A QF runs to the end of the month this many months after its first (modele.quotient).
    qf_validite_mois: int = 12
    # The CAF's daily caps on a child's "heures réalisées" (prestation de service): a day
    # with a meal, a half-day without one (modele/statistiques.py).
    caf_plafond_journee_minutes: int = 540
    caf_plafond_demi_journee_minutes: int = 240


class Document(SQLModel, table=True):
    """A downloadable document: "Infos./Documents" or "Formulaires"."""

    id: int | None = Field(default=None, primary_key=True)
    collectivite_id: int = Field(foreign_key="collectivite.id", index=True)
    categorie: str  # "Infos./Documents" | "Formulaires"
    titre: str
    description: str = ""
    lien: str = ""


class Regie(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    collectivite_id: int = Field(foreign_key="collectivite.id", index=True)
    code: str = Field(unique=True)  # invoice prefix, e.g. "AL"
    libelle: str  # "Régie garderie ALSH"
    # True when the Trésorerie collects: payments are "Titre émis (ORMC n°X)"
    # and the balance is not followed here.
    encaissement_tresorerie: bool = False
    jours_echeance: int = 22  # due date = issue date + N days
    modalites_paiement: str = ""
    # Plausibility of a payment at the counter: its maximum (cents) and how many digits a
    # cheque number has as the bank prints it.
    montant_max_reglement: int = 500_000
    chiffres_cheque: int = 7
    # The counter opens on Saturdays: a payment taken after Friday's closing is dated then,
    # or else on Monday (modele.caisse.prochain_jour_de_caisse).
    caisse_samedi: bool = True
    # Reminders of unpaid invoices: days after the due date for the 1st reminder, the 2nd,
    # then the title of revenue to issue (modele/relances.py).
    relance1_jours: int = 15
    relance2_jours: int = 30
    titre_jours: int = 60
    # SEPA direct debit: the creditor identifier (ICS) and the régie's account.
    ics: str = ""
    iban_creancier: str = ""
    bic_creancier: str = ""


class Compteur(SQLModel, table=True):
    """Last number used in one sequence of a régie (facture, reglement, avoir)."""

    regie_id: int = Field(foreign_key="regie.id", primary_key=True)
    nature: str = Field(primary_key=True)
    dernier: int = 0
