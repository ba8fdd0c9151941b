"""Runs the Alembic migrations from code (start-up, tests). They live inside the package
(stylebot/migrations), so an installed wheel migrates its database as a checkout does; the
alembic.ini at the project's root points the `alembic` command at the same folder."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().with_name("migrations")


def alembic_config(database_url: str) -> Config:
    config = Config()  # no ini file: everything it would say is set here
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    config.attributes["database_url"] = database_url
    config.attributes["configure_logger"] = False
    return config


def upgrade_to_head(database_url: str) -> None:
    command.upgrade(alembic_config(database_url), "head")
