"""Mon compte: "Informations famille" for the responsable and the conjoint, as the portal."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding

from ecrans.formulaire_demande import DemandeEnregistree, FormulaireDemande
from ecrans.mot_de_passe import AccesPortail
from ecrans.texte import Static
from ecrans.widgets import Onglet, dessin_fiche
from modele.demandes import TypeDemande
from modele.dossier import entete, payeurs_famille
from modele.famille import Famille, Responsable
from modele.formats import date_courte, euros, oui_non
from modele.formulaires import champs_payeur, valeurs_actuelles


def organisme(famille: Famille) -> str:
    """ "Organisme rattachement" as the portal prints it: 0 when there is none."""
    if not famille.organisme:
        return "0"
    if famille.numero_allocataire:
        return f"{famille.organisme} n° {famille.numero_allocataire}"
    return famille.organisme


def lignes_responsable(
    r: Responsable | None, famille: Famille | None = None
) -> list[tuple[str, str]]:
    if r is None:
        return []
    lignes = [
        ("Civilité", r.civilite),
        ("Nom", r.nom),
        ("Prénom", r.prenoms),
        ("Qualité", r.qualite),
    ]
    if famille is not None:
        lignes.append(("Situation", famille.situation))
    lignes += [
        ("Adresse", r.adresse),
        ("Complément d'adresse", r.complement_adresse),
        ("Code postal", r.code_postal),
        ("Ville", r.ville),
        ("Pays", r.pays),
        ("Téléphone domicile", r.telephone_domicile),
        ("Téléphone prof.", r.telephone_professionnel),
        ("Mobile", r.mobile),
        ("Email", r.email),
        ("Profession", r.profession),
        ("CSP", r.csp),
        ("Employeur", r.employeur),
        ("Adresse employeur", r.adresse_employeur),
        ("Autorisation SMS", oui_non(r.autorisation_sms)),
        ("Autorisation courriel", oui_non(r.autorisation_courriel)),
        ("Né(e) le", date_courte(r.date_naissance)),
        ("Lieu de naissance", lieu_naissance(r)),
    ]
    if famille is not None:
        lignes += [
            ("N° Famille", famille.numero),
            ("Nom banque", famille.nom_banque),
            ("Titulaire du compte", famille.titulaire_compte),
            ("Organisme rattachement", organisme(famille)),
        ]
    return lignes


def lieu_naissance(r: Responsable) -> str:
    if r.lieu_naissance_etranger:
        return f"{r.lieu_naissance_etranger} ({r.pays_naissance})"
    if r.commune_naissance:
        return f"{r.commune_naissance} ({r.departement_naissance})"
    return ""


class OngletMonCompte(Onglet):
    BINDINGS = [
        Binding("r", "demande('responsable')", "Infos Responsable"),
        Binding("c", "demande('conjoint')", "Infos Conjoint"),
        Binding("f", "demande('fiscales')", "Fiscales"),
        Binding("a", "demande('caf')", "CAF"),
        Binding("b", "demande('bancaires')", "Bancaires"),
        Binding("p", "payeur", "Payeur des factures"),
        Binding("m", "portail", "Mot de passe portail"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("Informations famille — Mon compte", classes="titre-section")
        yield Static(id="compte-responsable")
        yield Static("Mon conjoint", classes="titre-section")
        yield Static(id="compte-conjoint")
        yield Static("Informations fiscales, CAF et bancaires", classes="titre-section")
        yield Static(id="compte-famille")
        yield Static("Payeur des factures", classes="titre-section")
        yield Static(id="compte-payeurs")
        yield Static("Accès au portail", classes="titre-section")
        yield Static(id="compte-portail")

    # Below this width a value beside another pair would be cut ("12 RUE", "jean.du"):
    # the sheets go to one column, every value whole.
    LARGEUR_DEUX_COLONNES = 110

    def __init__(self, famille_id: int, **kwargs) -> None:
        super().__init__(famille_id, **kwargs)
        self._fiches: dict[str, list[tuple[str, str]] | str] = {}
        self._largeur = 0

    def colonnes(self) -> int:
        # (filled before it was ever shown: the screen's width, near enough)
        largeur = self.size.width or self.app.size.width
        return 2 if largeur >= self.LARGEUR_DEUX_COLONNES else 1

    def oublier(self) -> None:
        super().oublier()
        self._fiches = {}
        self._entete = None
        for fiche_ in self.query(
            "#compte-responsable, #compte-conjoint, #compte-famille, "
            "#compte-payeurs, #compte-portail"
        ).results(Static):
            fiche_.update("")

    def _dessiner(self) -> None:
        colonnes = self.colonnes()
        self._largeur = self.size.width or self.app.size.width  # (drawn hidden: the app's)
        for ident, contenu in self._fiches.items():
            self.query_one(f"#{ident}", Static).update(
                contenu if isinstance(contenu, str) else dessin_fiche(self, contenu, colonnes)
            )

    def on_resize(self) -> None:
        if self._fiches and self.size.width != self._largeur:
            self._dessiner()

    def charger(self) -> None:
        e = self.app.lire(entete, self.famille_id, self.app.aujourdhui)
        self._entete = e
        f = e.famille
        fiches = self._fiches
        fiches["compte-responsable"] = lignes_responsable(e.responsable, f)
        fiches["compte-conjoint"] = (
            lignes_responsable(e.conjoint) if e.conjoint else "Aucun conjoint enregistré."
        )
        revenu = euros(f.revenu_fiscal_reference) if f.revenu_fiscal_reference is not None else ""
        fiches["compte-famille"] = [
            ("N° fiscal", f.numero_fiscal),
            ("Revenu fiscal de référence", revenu),
            ("Nombre de parts", f.nombre_parts),
            ("Année des revenus", str(f.annee_revenus or "")),
            ("Organisme", f.organisme),
            ("N° allocataire", f.numero_allocataire),
            ("Titulaire du compte", f.titulaire_compte),
            ("IBAN", f.iban),
            ("BIC", f.bic),
            ("Nom banque", f.nom_banque),
            ("Prélèvement automatique", oui_non(f.prelevement)),
            ("Mandat SEPA", f.mandat_sepa_reference),
            ("Date du mandat", date_courte(f.mandat_sepa_date)),
        ]
        payeurs = self.app.lire(payeurs_famille, self.famille_id, self.app.contexte().maintenant())
        fiches["compte-payeurs"] = [
            (
                p.regie,
                (p.payeur.nom_prenom if p.payeur else "aucun")
                + (f" (depuis le {date_courte(p.depuis.date())})" if p.depuis else ""),
            )
            for p in payeurs
        ]
        fiches["compte-portail"] = [
            ("Identifiant", f.identifiant_portail),
            ("Mot de passe à changer", oui_non(f.mot_de_passe_a_changer)),
        ]
        self._dessiner()

    def action_demande(self, type_demande: str) -> None:
        """Open a request form prefilled with today's values."""
        type_ = TypeDemande(type_demande)
        e = self._entete
        source = {TypeDemande.RESPONSABLE: e.responsable, TypeDemande.CONJOINT: e.conjoint}.get(
            type_, e.famille
        )
        app = self.app
        formulaire = FormulaireDemande(
            self.famille_id,
            type_,
            valeurs_actuelles(type_, source),
            app.canal,
            app.appel_id is not None,
        )

        def _fin(resultat: DemandeEnregistree | None) -> None:
            if resultat is None:
                return
            app.notify(
                f"Demande « {resultat.type.libelle} » enregistrée ({resultat.canal.libelle}),"
                " en attente de traitement par le service."
            )
            self.screen.rafraichir()

        app.push_screen(formulaire, _fin)

    def action_payeur(self) -> None:
        """Ask for another payer of a régie's invoices (from the next invoice on)."""
        app = self.app
        champs, actuelles = app.lire(champs_payeur, self.famille_id, app.contexte().maintenant())
        formulaire = FormulaireDemande(
            self.famille_id,
            TypeDemande.PAYEUR,
            actuelles,
            app.canal,
            app.appel_id is not None,
            champs_en_plus=champs,
        )

        def _fin(resultat: DemandeEnregistree | None) -> None:
            if resultat is None:
                return
            app.notify(
                "Demande « Payeur des factures » enregistrée : elle s'appliquera à la "
                "prochaine facture une fois acceptée."
            )
            self.screen.rafraichir()

        app.push_screen(formulaire, _fin)

    def action_portail(self) -> None:
        def _fin(change: bool | None) -> None:
            if change:
                self.charger()

        self.app.push_screen(
            AccesPortail(self.famille_id, self._entete.famille.identifiant_portail), _fin
        )
