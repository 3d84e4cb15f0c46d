"""Shared bench set-up: a scratch PostgreSQL database, migrated and seeded, dropped afterwards."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@contextmanager
def scratch_database(prefix: str) -> Iterator[str]:
    """Create `<prefix>_<random>`, point DATABASE_URL at it, migrate and seed it; drop it at the end."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    try:
        from alembic import command
        from alembic.config import Config

        from services.seed import seed
        from services.settings import PROJECT_ROOT, get_settings

        get_settings.cache_clear()
        config = Config(str(PROJECT_ROOT / "alembic.ini"))
        config.attributes["configure_logger"] = False
        command.upgrade(config, "head")
        seed()
        yield url
    finally:
        from services.db import reset_engine

        reset_engine()
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
