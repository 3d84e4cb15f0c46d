"""The database engine and the one way services open a transaction.

Every state-changing operation that money or tickets depend on runs inside `transaction()`:
it commits on success and rolls back on any exception, so a half-done purchase never lands.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from services.settings import get_settings


@lru_cache
def get_engine() -> Engine:
    """One engine per process, built from the settings' DATABASE_URL."""
    settings = get_settings()
    url = settings.sqlalchemy_url
    if url.startswith("sqlite"):
        _ensure_sqlite_folder(url)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True, pool_recycle=1800)


def _ensure_sqlite_folder(url: str) -> None:
    from pathlib import Path

    path = url.removeprefix("sqlite:///")
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite is only the quick local run: WAL lets the app and a job share the file."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def reset_engine() -> None:
    """Forget the cached engine (tests switch databases between sessions)."""
    if get_engine.cache_info().currsize:
        get_engine().dispose()
    get_engine.cache_clear()


@contextmanager
def transaction() -> Iterator[Session]:
    """A session whose work commits together or not at all."""
    with Session(get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def read_session() -> Iterator[Session]:
    """A session for reads: nothing is committed."""
    with Session(get_engine(), expire_on_commit=False) as session:
        yield session
