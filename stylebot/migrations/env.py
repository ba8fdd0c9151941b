"""Alembic environment: the models' metadata and DATABASE_URL from the one settings object."""

from __future__ import annotations

import sys
from logging.config import fileConfig

from alembic import context
from pydantic import ValidationError

from stylebot.database import make_engine
from stylebot.models import Base
from stylebot.settings import Settings, describe_errors

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _database_url() -> str:
    """Tests and stylebot.migrate pass the URL in; the command line reads it from the settings."""
    if config.attributes.get("database_url"):
        return str(config.attributes["database_url"])
    try:
        return Settings().database_url
    except ValidationError as exc:  # e.g. a mistyped token in .env: say what, never echo it
        print(describe_errors(exc), file=sys.stderr)
        raise SystemExit(2) from None


url = _database_url()


def run_migrations_offline() -> None:
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(url)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A batch migration copies a table and drops the old one. With foreign keys on, SQLite
            # would first delete every row referring to the old one (ON DELETE CASCADE): altering
            # users would take every request with it. Off for the migration, checked after it.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            compare_type=True,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"rows refer to rows that are gone after the migration: {broken[:5]}")
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
