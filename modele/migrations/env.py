"""Alembic environment: runs on the connection given by modele.db.migrer (or a URL)."""

from alembic import context
from sqlmodel import SQLModel

import modele.tables  # noqa: F401  (registers the tables)
from modele.db import creer_engine

config = context.config
cible = SQLModel.metadata


def run() -> None:
    connexion = config.attributes.get("connection")
    if connexion is None:
        with creer_engine(config.get_main_option("sqlalchemy.url")).begin() as connexion:
            _migrer(connexion)
    else:
        _migrer(connexion)


def _migrer(connexion) -> None:
    context.configure(
        connection=connexion,
        target_metadata=cible,
        render_as_batch=connexion.dialect.name == "sqlite",
        on_version_apply=config.attributes.get("on_version_apply"),  # modele.db.migrer
    )
    with context.begin_transaction():
        context.run_migrations()


run()
