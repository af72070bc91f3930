"""Command palette providers: jump to a family, and the app's own actions."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ecrans.texte import brut


class FamillesProvider(Provider):
    """Type a name, a family number, a child or a phone: open the family file."""

    async def search(self, query: str) -> Hits:
        app = self.app
        if getattr(app, "agent", None) is None or len(query.strip()) < 2:
            return
        from modele.recherche import rechercher

        resultats = app.lire(rechercher, query, limite=10)
        for r in resultats:
            texte = f"Famille {r.responsable} — n° {r.numero}"
            # Names are data: Content, since a hit's str text and help are read as markup.
            yield Hit(
                100,
                brut(texte),
                partial(app.ouvrir_famille, r.famille_id),
                text=texte,
                help=brut(f"{r.conjoint}  {r.enfants}  {r.ville}".strip()),
            )


class CommandesGuichet(Provider):
    """The app's actions, by name, in French; a role sees only what it may do.

    Textual's own entries (Keys, Quit, Theme, Screenshot…) are not offered: the app's
    palette is this provider and the family search (GuichetApp.COMMANDS)."""

    def _commandes(self) -> list[tuple[str, object, str]]:
        """(name, action, help), for the agent logged in."""
        from ecrans.famille import EcranFamille
        from modele.agents import peut

        app = self.app
        communes = [
            ("Touches de l'écran", app.action_aide_touches, "Toutes les touches de l'écran (F1)"),
            ("Quitter", app.action_quit, "Fermer Guichet Famille (ctrl+q)"),
        ]
        agent = getattr(app, "agent", None)
        if agent is None:
            return communes
        # The palette is itself a screen: the family file, if open, is just beneath it.
        ecran = next((e for e in reversed(app.screen_stack) if isinstance(e, EcranFamille)), None)
        # (name, action, help, offered to this agent): a service screen as its F-key
        commandes: list[tuple[str, object, str, bool]] = []
        if ecran is not None:
            commandes += [
                (
                    "Appel téléphonique : terminer"
                    if app.appel_id is not None
                    else "Appel téléphonique : commencer",
                    ecran.action_appel,
                    "Ce qui est saisi pendant l'appel a le canal Téléphone (ctrl+t ou F10)",
                    True,
                ),
                (
                    "RGPD : exporter les données de la famille",
                    ecran.action_rgpd_export,
                    "Tout ce qui est détenu sur la famille, en JSON",
                    peut(agent, "rgpd"),
                ),
                (
                    "RGPD : anonymiser la famille",
                    ecran.action_rgpd_anonymiser,
                    "Famille partie : effacer l'identité, garder la comptabilité",
                    peut(agent, "rgpd"),
                ),
            ]
        commandes += [
            (
                "Rechercher une famille",
                app.action_recherche,
                "Retour à la recherche de familles",
                True,
            ),
            (
                "Demandes à traiter",
                app.action_demandes_a_traiter,
                "Les demandes en attente de toutes les familles (F2)",
                True,
            ),
            (
                "Messages non lus du service",
                app.action_boite_service,
                "Les messages non lus de toutes les familles (F3)",
                True,
            ),
            (
                "Caisse",
                app.action_caisse,
                "Clôture de la caisse du jour, bordereaux de remise, par régie (F4)",
                app.peut_ouvrir("caisse"),
            ),
            (
                "Calendrier",
                app.action_calendrier,
                "Jours fériés, vacances scolaires et fermetures (F5)",
                app.peut_ouvrir("calendrier"),
            ),
            (
                "Facturation du mois",
                app.action_facturation,
                "Aperçu et émission des factures d'un mois, par régie (F6)",
                True,
            ),
            (
                "Campagne quotient familial",
                app.action_campagne_qf,
                "Familles à relancer pour la mise à jour du QF (F7)",
                True,
            ),
            (
                "Tableau de bord",
                app.action_tableau_de_bord,
                "Fréquentation, argent, familles, statistiques CAF (F11)",
                app.peut_ouvrir("tableau_de_bord"),
            ),
            (
                "Agents",
                app.action_agents,
                "Comptes des agents, mots de passe, rôles ; droits par rôle (F8)",
                app.peut_ouvrir("agents"),
            ),
            (
                "Journal",
                app.action_journal,
                "Qui a fait quoi, quand : par famille, par agent, par date (F9)",
                app.peut_ouvrir("journal"),
            ),
            (
                "Verrouiller le guichet",
                app.action_verrouiller,
                "Reprendre avec son mot de passe, rien n'est perdu (F12)",
                True,
            ),
            ("Se déconnecter", app.action_deconnexion, "Fermer la session de l'agent", True),
        ]
        return [(nom, action, aide) for nom, action, aide, offert in commandes if offert] + communes

    async def discover(self) -> Hits:
        for nom, action, aide in self._commandes():
            yield DiscoveryHit(nom, action, help=aide)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for nom, action, aide in self._commandes():
            score = matcher.match(nom)
            if score > 0:
                yield Hit(score, matcher.highlight(nom), action, help=aide)
