"""Test set-up: a fresh PostgreSQL database per test run, migrated with alembic, emptied per test.

The environment is fixed here, before any service module reads its settings. Every fixture module
in tests/fixtures/ is loaded as a plugin, so each room adds its own fixtures without editing this file.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

RUN_ID = f"{os.getpid()}_{uuid.uuid4().hex[:6]}"
PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
TEST_DB_NAME = f"barby_test_{RUN_ID}"
TEST_DATABASE_URL = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + TEST_DB_NAME

os.environ["ENVIRONMENT"] = "test"
os.environ["DATABASE_URL"] = TEST_DATABASE_URL
os.environ.setdefault("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
os.environ["RQ_QUEUE"] = f"barby-test-{RUN_ID}"
os.environ.pop("REDIS_URL", None)  # tests that want rq ask for the `redis_url` fixture

pytest_plugins = sorted(
    f"tests.fixtures.{path.stem}" for path in (Path(__file__).parent / "fixtures").glob("*.py") if path.stem != "__init__"
)
