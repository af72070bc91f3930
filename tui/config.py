"""Configuration in one place: database URL, data and exports folders, today's date.

Environment variables override the defaults (tests use them): GUICHET_DATA_DIR,
GUICHET_DB_URL, GUICHET_DATE, GUICHET_IMPRIMANTE, GUICHET_VERROUILLAGE_MINUTES.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path


def dossier_donnees() -> Path:
    if os.environ.get("GUICHET_DATA_DIR"):
        return Path(os.environ["GUICHET_DATA_DIR"])
    from platformdirs import user_data_path

    return user_data_path("guichet-famille", appauthor=False)


def url_sqlite(fichier: Path | str) -> str:
    return f"sqlite:///{Path(fichier).expanduser().resolve()}"


def minutes_verrouillage() -> float:
    """Idle minutes before the counter locks itself (default 5, 0 never); a bad value keeps 5."""
    try:
        minutes = float(os.environ.get("GUICHET_VERROUILLAGE_MINUTES", "5").replace(",", "."))
    except ValueError:
        return 5.0
    return minutes if minutes >= 0 else 5.0


@dataclass
class Reglages:
    db_url: str
    date_fixe: dt.date | None = None
    dossier: Path = field(default_factory=dossier_donnees)
    imprimante: str = field(default_factory=lambda: os.environ.get("GUICHET_IMPRIMANTE", ""))
    # API Particulier: "local" runs the loopback stand-in (demo, tests), never the real API.
    api_url: str = field(default_factory=lambda: os.environ.get("GUICHET_API_PARTICULIER_URL", ""))
    api_jeton: str = field(
        default_factory=lambda: os.environ.get("GUICHET_API_PARTICULIER_JETON", "")
    )
    # Idle time at the counter before the app locks itself (0: never); tests set a fraction.
    verrouillage_minutes: float = field(default_factory=minutes_verrouillage)
    # The dialogs and F-screens built ahead after login (GUICHET_PREPARER_ECRANS=1 or 0);
    # unset: in a terminal, not headless (tests run many logins that open none of them).
    preparer_ecrans: bool | None = field(
        default_factory=lambda: {"1": True, "0": False}.get(
            os.environ.get("GUICHET_PREPARER_ECRANS", "")
        )
    )

    # modele is imported on use: the package loads SQLAlchemy, which the login screen
    # does not wait for.
    @property
    def aujourdhui(self) -> dt.date:
        from modele.base import horloge_reelle

        return self.date_fixe or horloge_reelle().date()

    def maintenant(self) -> dt.datetime:
        """The app's clock: today (or --date) at the wall-clock time of day."""
        from modele.base import maintenant_le

        return maintenant_le(self.aujourdhui)

    @property
    def dossier_exports(self) -> Path:
        return self.dossier / "exports"

    @property
    def fichier_sqlite(self) -> Path | None:
        prefixe = "sqlite:///"
        return Path(self.db_url[len(prefixe) :]) if self.db_url.startswith(prefixe) else None


def base_demo() -> Path:
    return dossier_donnees() / "demo.db"


def base_par_defaut() -> Path:
    return dossier_donnees() / "guichet.db"


def date_env() -> dt.date | None:
    valeur = os.environ.get("GUICHET_DATE")
    return dt.date.fromisoformat(valeur) if valeur else None
