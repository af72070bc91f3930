"""The QF declaration, step by step as in seed 000: prerequisite, "J'ai lu…", identity,
source (carte Vitale or birth information), retrieval from the CAF or MSA through API
Particulier (in a worker: a slow answer never freezes the screen), récapitulatif, comment
and certification. Also: a QF typed from a paper attestation."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Header, Input, RadioButton, RadioSet, TextArea
from textual.worker import get_current_worker

from ecrans.pied import PiedDePage
from ecrans.texte import Label, Select, Static
from ecrans.widgets import Modale, SaisieGardee
from modele.api_particulier import CODE_FRANCE, ErreurAPI, Identite, QuotientCaf, lieu_depuis_nir
from modele.base import ErreurMetier
from modele.dossier import entete as entete_famille
from modele.famille import Responsable, responsables
from modele.formats import montant
from modele.quotient import (
    MOIS,
    declarer_qf,
    lieux_de_naissance_manquants,
    lire_valeur_qf,
    saisir_attestation,
)
from modele.validation import verifier_date, verifier_mois

ETAPES = ["prealable", "lecture", "identite", "recuperation", "recapitulatif"]


def recapitulatif(resultat: QuotientCaf, email: str) -> str:
    """The récapitulatif of seed 000."""
    lignes = [f"Allocataire {i} : {a.libelle}" for i, a in enumerate(resultat.allocataires, 1)]
    lignes.append(f"Adresse : {resultat.adresse}")
    if email:
        lignes.append(f"E-mail : {email}")
    lignes += [e.libelle for e in resultat.enfants]
    lignes.append(
        f"Quotient familial : {montant(resultat.valeur)}€ valide à partir de "
        f"{MOIS[resultat.mois - 1]} {resultat.annee}"
    )
    return "\n".join(lignes)


class EcranDeclarationQF(SaisieGardee, Screen[bool]):
    BINDINGS = [
        Binding("escape", "abandonner(False)", "Abandonner"),
        Binding("ctrl+r", "recuperer", "Réessayer", show=False),
    ]

    def __init__(self, famille_id: int) -> None:
        super().__init__()
        self.famille_id = famille_id
        self.resultat: QuotientCaf | None = None
        self.nombre_prenoms = 1
        self._verifiees: dict[str, str] = {}  # the identity's fields at its last check

    def compose(self) -> ComposeResult:
        from modele.famille import famille

        lire = self.app.lire
        self.personnes = [p for p in lire(responsables, self.famille_id) if p]
        self.manquants = lire(lieux_de_naissance_manquants, self.famille_id)
        self.famille = lire(famille, self.famille_id)
        yield Header()
        yield Static("Mise à jour du quotient familial", classes="titre-section")
        with VerticalScroll(id="etapes"):
            with Vertical(id="etape-prealable", classes="etape"):
                yield Static(id="prealable-texte")
                yield Button(
                    "Renseigner le lieu de naissance", id="prealable-ok", variant="primary"
                )
            with Vertical(id="etape-lecture", classes="etape"):
                yield Static(
                    "Les données d'identité saisies sont transmises à la CAF ou à la "
                    "MSA par API Particulier pour retrouver le quotient familial de la "
                    "famille. Les mises à jour sont à faire en septembre et en février ; "
                    "sans mise à jour, la tranche tarifaire maximale est appliquée. "
                    "Aucun effet rétroactif n'est possible sur les factures déjà éditées."
                )
                yield Checkbox("J'ai lu les informations ci-dessus", id="lu")
                yield Static(
                    "Cochez « J'ai lu les informations » (Espace) pour commencer.",
                    id="lu-aide",
                    classes="aide",
                )
                yield Button(
                    "Commencer ma déclaration", id="commencer", variant="primary", disabled=True
                )
            with Vertical(id="etape-identite", classes="etape"):
                yield Static(
                    "Renseigner vos informations d'identité — les champs qui contiennent "
                    "un astérisque (*) sont obligatoires",
                    classes="aide",
                )
                yield Label("Déclarant")
                yield Select(
                    [(f"{p.nom_prenom} ({p.role})", p.id) for p in self.personnes],
                    id="declarant",
                    allow_blank=False,
                )
                with Horizontal(classes="ligne-champ"):
                    yield Label("Nom de naissance *", classes="libelle")
                    yield Input(id="nom_naissance", compact=True)
                with Horizontal(classes="ligne-champ"):
                    yield Label("Nom d'usage", classes="libelle")
                    yield Input(id="nom_usage", compact=True)
                for i in range(3):
                    with Horizontal(classes="ligne-champ", id=f"ligne-prenom-{i}"):
                        yield Label(f"Prénom {i + 1}" + (" *" if i == 0 else ""), classes="libelle")
                        yield Input(id=f"prenom-{i}", compact=True)
                with Horizontal(classes="boutons-gauche"):
                    yield Button("Ajouter un prénom", id="ajouter-prenom")
                    yield Button("Supprimer", id="supprimer-prenom")
                with Horizontal(classes="ligne-champ"):
                    yield Label("Sexe *", classes="libelle")
                    with RadioSet(id="sexe", compact=True):
                        yield RadioButton("Masculin", id="sexe-M")
                        yield RadioButton("Féminin", id="sexe-F")
                with Horizontal(classes="ligne-champ"):
                    yield Label("Naissance : jour / mois / année *", classes="libelle")
                    yield Input(id="jour", compact=True, max_length=2, classes="court")
                    yield Input(id="mois", compact=True, max_length=2, classes="court")
                    yield Input(id="annee", compact=True, max_length=4, classes="court")
                with Horizontal(classes="ligne-champ"):
                    yield Label("Lieu de naissance", classes="libelle")
                    with RadioSet(id="source", compact=True):
                        yield RadioButton("Depuis ma carte Vitale", id="vitale", value=True)
                        yield RadioButton("Depuis mes informations de naissance", id="naissance")
                with Horizontal(classes="ligne-champ", id="ligne-nir"):
                    yield Label("N° de carte Vitale", classes="libelle")
                    yield Input(id="nir", compact=True, max_length=21)
                yield Static(id="naissance-texte", classes="aide")
                yield Static("", id="erreur-identite", classes="erreur")
                yield Button("Valider", id="valider-identite", variant="primary")
            with Vertical(id="etape-recuperation", classes="etape"):
                yield Static(id="recuperation-texte")
                with Horizontal(classes="boutons-gauche"):
                    yield Button("Réessayer", id="reessayer")
                    yield Button("Modifier l'identité", id="retour-identite")
                    yield Button("Saisir depuis l'attestation", id="vers-attestation")
            with Vertical(id="etape-recapitulatif", classes="etape"):
                yield Static("Données calculées par la CAF ou la MSA", classes="sous-titre")
                yield Static(id="recap")
                yield Label("Ajouter un commentaire")
                yield TextArea(id="commentaire", soft_wrap=True)
                yield Checkbox(
                    "Je certifie sur l'honneur l'exactitude des informations portées ci-dessus",
                    id="certifie",
                )
                yield Static("", id="erreur-recap", classes="erreur")
                yield Button("Valider la déclaration", id="valider-declaration", variant="success")
        yield PiedDePage()

    # --- navigation between steps ------------------------------------------------------------

    def on_mount(self) -> None:
        self.title = "Déclaration du quotient familial — famille " + (
            self.app.lire(entete_famille, self.famille_id, self.app.aujourdhui).designation
        )
        if self.app.appel_id is not None:  # (the file's banner is under this screen)
            self.title += "   ☎ Appel en cours"
        manquants = self.manquants
        if manquants:
            self.montrer_prealable()
        else:
            self.montrer("lecture")
        self.call_after_refresh(self.memoriser_saisie)

    def montrer(self, etape: str) -> None:
        for nom in ETAPES:
            self.query_one(f"#etape-{nom}").display = nom == etape
        premier = {
            "prealable": "#prealable-ok",
            "lecture": "#lu",
            "identite": "#nom_naissance",
            "recuperation": "#reessayer",
            "recapitulatif": "#commentaire",
        }[etape]
        self.query_one(premier).focus()

    def montrer_prealable(self) -> None:
        self.query_one("#prealable-texte", Static).update(
            "Prérequis : renseignez d'abord le lieu de naissance (pays, département, ville si "
            "né en France ; pays et lieu de naissance si né à l'étranger) de "
            + " et de ".join(p.nom_prenom for p in self.manquants)
            + "."
        )
        self.montrer("prealable")

    @on(Button.Pressed, "#prealable-ok")
    @work(group="dialogues")
    async def _prealable(self) -> None:
        from ecrans.lieu_naissance import saisir_lieu_naissance

        if not await saisir_lieu_naissance(self.app, self.famille_id, self.manquants):
            return
        self.manquants = self.app.lire(lieux_de_naissance_manquants, self.famille_id)
        self.personnes = [p for p in self.app.lire(responsables, self.famille_id) if p]
        if self.manquants:
            self.montrer_prealable()
        else:
            self.montrer("lecture")

    @on(Checkbox.Changed, "#lu")
    def _lu(self, event: Checkbox.Changed) -> None:
        self.query_one("#commencer", Button).disabled = not event.value
        # (the button stays unreachable until then: said, not left to guess)
        self.query_one("#lu-aide", Static).display = not event.value

    @on(Button.Pressed, "#commencer")
    def _commencer(self) -> None:
        self._preremplir()
        self.montrer("identite")

    # --- identity ----------------------------------------------------------------------------

    def declarant(self) -> Responsable:
        ident = self.query_one("#declarant", Select).value
        return next(p for p in self.personnes if p.id == ident)

    @on(Select.Changed, "#declarant")
    def _declarant(self) -> None:
        if self.query_one("#etape-identite").display:
            self._preremplir()

    def _preremplir(self) -> None:
        """Prefilled from the family file (seed 000: "Vérifier les données préremplies")."""
        p = self.declarant()
        self.query_one("#nom_naissance", Input).value = p.nom_naissance or p.nom
        self.query_one("#nom_usage", Input).value = (
            p.nom if p.nom_naissance and p.nom != p.nom_naissance else ""
        )
        prenoms = p.prenoms.split()[:3] or [""]
        for i in range(3):
            self.query_one(f"#prenom-{i}", Input).value = prenoms[i] if i < len(prenoms) else ""
        self.nombre_prenoms = max(1, len(prenoms))
        self._prenoms_visibles()
        sexe = p.sexe or ("F" if p.civilite == "Madame" else "M" if p.civilite else "")
        if sexe:
            self.query_one(f"#sexe-{sexe}", RadioButton).value = True
        d = p.date_naissance
        self.query_one("#jour", Input).value = f"{d.day:02d}" if d else ""
        self.query_one("#mois", Input).value = f"{d.month:02d}" if d else ""
        self.query_one("#annee", Input).value = str(d.year) if d else ""
        lieu = (
            f"{p.commune_naissance} ({p.departement_naissance})"
            if p.commune_naissance
            else f"{p.lieu_naissance_etranger} ({p.pays_naissance})"
        )
        self.query_one("#naissance-texte", Static).update(f"Lieu de naissance enregistré : {lieu}")
        self.memoriser_saisie()  # what the file holds is the start; what is typed, a change

    def _prenoms_visibles(self) -> None:
        for i in range(3):
            self.query_one(f"#ligne-prenom-{i}").display = i < self.nombre_prenoms

    @on(Button.Pressed, "#ajouter-prenom")
    def _ajouter_prenom(self) -> None:
        self.nombre_prenoms = min(3, self.nombre_prenoms + 1)
        self._prenoms_visibles()

    @on(Button.Pressed, "#supprimer-prenom")
    def _supprimer_prenom(self) -> None:
        if self.nombre_prenoms > 1:
            self.query_one(f"#prenom-{self.nombre_prenoms - 1}", Input).value = ""
            self.nombre_prenoms -= 1
            self._prenoms_visibles()

    @on(RadioSet.Changed, "#source")
    def _source(self, event: RadioSet.Changed) -> None:
        self.query_one("#ligne-nir").display = event.pressed.id == "vitale"
        # Another source: the last check's message was about the other (« Numéro de carte
        # Vitale invalide » stayed under « Depuis mes informations de naissance »).
        if self._verifiees:
            self.query_one("#erreur-identite", Static).update("")

    def identite(self) -> Identite:
        """The identity typed, checked; ErreurMetier names what is wrong."""
        valeur = lambda ident: self.query_one(ident, Input).value.strip()  # noqa: E731
        sexe = (
            "M"
            if self.query_one("#sexe-M", RadioButton).value
            else "F"
            if self.query_one("#sexe-F", RadioButton).value
            else ""
        )
        if not valeur("#nom_naissance"):
            raise ErreurMetier("Le nom de naissance est obligatoire.")
        if not valeur("#prenom-0"):
            raise ErreurMetier("Le premier prénom est obligatoire.")
        if not sexe:
            raise ErreurMetier("Indiquez le sexe.")
        annee = valeur("#annee")
        if not (annee.isdigit() and 1900 <= int(annee) <= self.app.aujourdhui.year):
            raise ErreurMetier("L'année de naissance est obligatoire (4 chiffres).")
        jour, mois = valeur("#jour"), valeur("#mois")
        if jour or mois:
            verifier_date(f"{jour}/{mois}/{annee}", "naissance")
        prenoms = tuple(
            valeur(f"#prenom-{i}") for i in range(self.nombre_prenoms) if valeur(f"#prenom-{i}")
        )
        if self.query_one("#vitale", RadioButton).value:
            commune, pays = lieu_depuis_nir(
                valeur("#nir"), sexe, int(annee), int(mois) if mois.isdigit() else None
            )
        else:
            p = self.declarant()
            pays = (
                CODE_FRANCE
                if p.pays_naissance.upper() in ("", "FRANCE")
                else p.code_insee_naissance
            )
            commune = p.code_insee_naissance if pays == CODE_FRANCE else ""
        return Identite(
            valeur("#nom_naissance"),
            prenoms,
            sexe,
            int(annee),
            int(mois) if mois.isdigit() else None,
            int(jour) if jour.isdigit() else None,
            nom_usage=valeur("#nom_usage"),
            code_insee_commune=commune,
            code_insee_pays=pays,
        )

    @on(Input.Changed)
    def _identite_changee(self, event: Input.Changed) -> None:
        """The identity step's message goes once the agent changes a field (it stayed: « Le
        31/02/2026 n'existe pas. » under a corrected date). A change typed before the last
        check, handled after it, leaves the check's message."""
        if self._verifiees.get(event.input.id or "") == event.value:
            return
        if event.input.id in self._verifiees:
            self.query_one("#erreur-identite", Static).update("")

    @on(Button.Pressed, "#valider-identite")
    def action_recuperer(self) -> None:
        erreur = self.query_one("#erreur-identite", Static)
        self._verifiees = {
            i.id: i.value for i in self.query("#etape-identite Input").results(Input) if i.id
        }
        try:
            identite = self.identite()
        except ErreurMetier as e:
            erreur.update(e.message)
            return
        erreur.update("")
        self.query_one("#recuperation-texte", Static).update(
            "Récupération des données auprès de la CAF ou de la MSA…"
        )
        for bouton in ("#reessayer", "#retour-identite", "#vers-attestation"):
            self.query_one(bouton).display = False
        self.montrer("recuperation")
        self.recuperer(identite)

    @work(thread=True, exclusive=True, group="api")
    def recuperer(self, identite: Identite) -> None:
        """The API call, off the UI thread; the answer comes back through call_from_thread."""
        client = self.app.client_api()
        try:
            resultat = client.quotient_familial(identite)
        except ErreurMetier as e:
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._echec, e)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._recu, resultat)

    def _echec(self, erreur: ErreurMetier) -> None:
        self.query_one("#recuperation-texte", Static).update(erreur.message)
        reessayable = isinstance(erreur, ErreurAPI) and erreur.reessayable
        self.query_one("#reessayer").display = reessayable
        self.query_one("#retour-identite").display = True
        self.query_one("#vers-attestation").display = True
        (
            self.query_one("#reessayer") if reessayable else self.query_one("#retour-identite")
        ).focus()

    def _recu(self, resultat: QuotientCaf) -> None:
        self.resultat = resultat
        email = next((p.email for p in self.personnes if p.email), "")
        self.query_one("#recap", Static).update(recapitulatif(resultat, email))
        self.montrer("recapitulatif")

    @on(Button.Pressed, "#reessayer")
    def _reessayer(self) -> None:
        self.action_recuperer()

    @on(Button.Pressed, "#retour-identite")
    def _retour_identite(self) -> None:
        self.montrer("identite")

    @on(Button.Pressed, "#vers-attestation")
    def _vers_attestation(self) -> None:
        def _fin(fait: bool | None) -> None:
            # (not returned: Textual would await the dismissal from this screen's handler)
            if fait:
                self.dismiss(True)

        self.app.push_screen(SaisieAttestation(self.famille_id), _fin)

    # --- récapitulatif and certification --------------------------------------------------

    @on(Button.Pressed, "#valider-declaration")
    def _valider(self) -> None:
        app = self.app
        commentaire = self.query_one("#commentaire", TextArea).text
        certifie = self.query_one("#certifie", Checkbox).value
        try:
            qf = app.agir(
                declarer_qf, app.contexte(), self.famille_id, self.resultat, commentaire, certifie
            )
        except ErreurMetier as e:
            self.query_one("#erreur-recap", Static).update(e.message)
            return
        app.notify(
            f"Quotient familial de {montant(qf.valeur)} € enregistré : en cours de "
            "traitement par le service."
        )
        app.rafraichir_compteurs()
        self.dismiss(True)

    def _abandonner(self, resultat: object) -> None:
        self.workers.cancel_group(self, "api")
        self.dismiss(False)


class SaisieAttestation(Modale[bool]):
    """A QF from a paper CAF/MSA attestation: value, month, validity, reference."""

    BINDINGS = [
        Binding("escape", "abandonner(False)", "Annuler"),
        Binding("ctrl+s", "enregistrer", "Enregistrer", priority=True),
    ]

    def __init__(self, famille_id: int) -> None:
        super().__init__()
        self.famille_id = famille_id

    def compose(self) -> ComposeResult:
        mois = self.app.aujourdhui
        with Vertical(classes="dialogue large"):
            yield Static("Quotient familial depuis une attestation", classes="titre-dialogue")
            # One line a field, as the other forms: the whole form and its error in 80×24.
            with Horizontal(classes="ligne-champ"):
                yield Label("Organisme", classes="libelle")
                yield Select(
                    [("CAF", "CAF"), ("MSA", "MSA"), ("Autre régime", "Autre")],
                    id="type",
                    value="CAF",
                    allow_blank=False,
                    compact=True,
                )
            with Horizontal(classes="ligne-champ"):
                yield Label("Valeur du quotient (€) *", classes="libelle")
                yield Input(id="valeur", placeholder="ex. 650,00", compact=True)
            with Horizontal(classes="ligne-champ"):
                yield Label("Mois du quotient *", classes="libelle")
                yield Input(f"{mois:%m/%Y}", id="mois", placeholder="MM/AAAA", compact=True)
            with Horizontal(classes="ligne-champ"):
                yield Label("Valide jusqu'au", classes="libelle")
                yield Input(
                    id="valide_au", placeholder="JJ/MM/AAAA (vide : fin de campagne)", compact=True
                )
            with Horizontal(classes="ligne-champ"):
                yield Label("Référence *", classes="libelle")
                yield Input(id="reference", max_length=60, compact=True)
            yield Static("", id="erreur-attestation", classes="erreur")
            with Horizontal(classes="boutons"):
                yield Button("Enregistrer", id="enregistrer", variant="primary")
                yield Button("Annuler", id="annuler")

    def on_mount(self) -> None:
        self.query_one("#valeur", Input).focus()

    @on(Button.Pressed, "#enregistrer")
    def action_enregistrer(self) -> None:
        erreur = self.query_one("#erreur-attestation", Static)
        texte = lambda ident: self.query_one(ident, Input).value.strip()  # noqa: E731
        try:
            valeur = lire_valeur_qf(texte("#valeur"))
            mois = verifier_mois(texte("#mois"), "mois")
            if mois is None:
                raise ErreurMetier("Le mois du quotient est obligatoire (MM/AAAA).", "mois")
            valide_au = verifier_date(texte("#valide_au"), "valide_au")
            app = self.app
            app.agir(
                saisir_attestation,
                app.contexte(),
                self.famille_id,
                self.query_one("#type", Select).value,
                valeur,
                mois,
                texte("#reference"),
                valide_au=valide_au,
            )
        except ErreurMetier as e:
            erreur.update(e.message)
            champ = {
                "valeur": "#valeur",
                "mois": "#mois",
                "valide_au": "#valide_au",
                "reference": "#reference",
            }.get(e.champ or "")
            if champ:
                self.query_one(champ, Input).focus()
            return
        app.notify("Quotient familial enregistré : en cours de traitement par le service.")
        app.rafraichir_compteurs()
        self.dismiss(True)
