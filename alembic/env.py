"""Alembic runs against whatever DATABASE_URL the settings name: PostgreSQL or SQLite."""

from logging.config import fileConfig

from alembic import context
from sqlmodel import SQLModel

import services.models  # noqa: F401 - registers every table on the metadata
from services.db import get_engine

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    """Migrate over the app's own engine; batch mode lets SQLite alter tables too."""
    connectable = config.attributes.get("connection") or get_engine()
    if hasattr(connectable, "connect"):
        with connectable.connect() as connection:
            _migrate(connection)
    else:
        _migrate(connectable)


def _include(connection):
    """Compare trigram indexes only on PostgreSQL: SQLite (the quick local run) has no pg_trgm."""

    def include(obj, _name, type_, _reflected, _compare_to) -> bool:
        return not (type_ == "index" and obj.info.get("trigram") and connection.dialect.name != "postgresql")

    return include


def _migrate(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=_include(connection),
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
