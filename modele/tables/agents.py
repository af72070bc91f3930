"""Staff accounts and their roles.

Tables and enums only: the rules that use them are in modele/agents.py."""

from __future__ import annotations

from enum import StrEnum

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel


class Role(StrEnum):
    ACCUEIL = "accueil"
    REGISSEUR = "regisseur"
    ADMIN = "admin"

    @property
    def libelle(self) -> str:
        return {"accueil": "Agent d'accueil", "regisseur": "Régisseur", "admin": "Administrateur"}[
            self.value
        ]


class Agent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    identifiant: str = Field(unique=True)
    nom: str
    prenom: str
    role: str = Role.ACCUEIL.value
    mot_de_passe_hash: str
    actif: bool = True
    echecs_connexion: int = 0
    verrouille_jusqu_a: NaiveDatetime | None = None
    dernier_canal: str = "guichet"
    # Set by an administrator's reset: the login asks for a new password before going on.
    mot_de_passe_a_changer: bool = False
    derniere_connexion: NaiveDatetime | None = None

    @property
    def nom_complet(self) -> str:
        return f"{self.prenom} {self.nom}"
