"""Column types and helpers shared by every table."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Index, String
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field


def utcnow() -> datetime:
    """Now, as an aware UTC datetime: the only kind of time we store."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back as an aware UTC datetime.

    PostgreSQL keeps the zone; SQLite (the quick local run) does not, so values are normalised
    on the way in and re-tagged on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: pass an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class StrEnum(enum.StrEnum):
    """Enums stored as plain strings (see EnumText), so a new value never needs a database migration."""


class EnumText(TypeDecorator):
    """A StrEnum stored as its plain value in a VARCHAR, read back as the enum member."""

    impl = String
    cache_ok = True

    def __init__(self, enum_class: type[StrEnum], length: int = 30) -> None:
        super().__init__(length)
        self.enum_class = enum_class

    def process_bind_param(self, value: StrEnum | str | None, dialect) -> str | None:
        return None if value is None else self.enum_class(value).value

    def process_result_value(self, value: str | None, dialect) -> StrEnum | None:
        return None if value is None else self.enum_class(value)


def enum_field(enum_class: type[StrEnum], default: StrEnum | None = None, **kwargs: Any) -> Any:
    """A model field holding a StrEnum as text (see EnumText)."""
    if default is None:
        return Field(sa_type=EnumText(enum_class), **kwargs)
    return Field(default=default, sa_type=EnumText(enum_class), **kwargs)


def trigram_index(name: str, column: str) -> Index:
    """A PostgreSQL trigram (pg_trgm) GIN index for partial, any-language text search.

    Declared on the model so autogenerate keeps it; created by migration 0002 on PostgreSQL only
    (alembic/env.py leaves it out when comparing against SQLite).
    """
    return Index(name, column, postgresql_using="gin", postgresql_ops={column: "gin_trgm_ops"}, info={"trigram": True})
