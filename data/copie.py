"""A database's rows copied into another, empty and migrated, on any engine: the same demo
on SQLite and PostgreSQL, to compare what each returns (tests, bench)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

LOT = 5000


def copier_base(source: Engine, cible: Engine) -> int:
    """Every table's rows, parents first, ids kept; then the statistics. Returns the number
    of rows copied. On PostgreSQL the id sequences move past the copied ids."""
    import modele  # noqa: F401  (every table registered)

    total = 0
    with source.connect() as lecture, cible.begin() as ecriture:
        for table in SQLModel.metadata.sorted_tables:
            resultat = lecture.execute(table.select()).mappings()
            while lot := resultat.fetchmany(LOT):
                ecriture.execute(table.insert(), [dict(r) for r in lot])
                total += len(lot)
            if cible.dialect.name == "postgresql" and "id" in table.c:
                ecriture.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT max(id) FROM {table.name}), 0) + 1, false)"
                    )
                )
    with cible.connect().execution_options(isolation_level="AUTOCOMMIT") as connexion:
        connexion.execute(text("ANALYZE"))
    return total
