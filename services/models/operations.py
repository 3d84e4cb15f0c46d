"""Staff users, deliveries, the audit log and legacy identifiers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from services.models.base import StrEnum, UTCDateTime, enum_field, utcnow


class StaffRole(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    BOX_OFFICE = "box_office"
    SUPPORT = "support"


class StaffUser(SQLModel, table=True):
    """A back-office account, separate from customers."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(max_length=200)
    role: StaffRole = enum_field(StaffRole)
    password_hash: str = Field(max_length=200)
    active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class DeliveryChannel(StrEnum):
    EMAIL = "email"
    SMS = "sms"


class DeliveryStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class Delivery(SQLModel, table=True):
    """One message an order must get (confirmation, resend, gift card), sent exactly once."""

    __table_args__ = (
        UniqueConstraint("idempotency_key", name="uq_delivery_idempotency"),
        Index("ix_delivery_status", "status", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    channel: DeliveryChannel = enum_field(DeliveryChannel)
    purpose: str = Field(default="confirmation", max_length=30)
    recipient: str = Field(max_length=254)
    idempotency_key: str = Field(max_length=100)
    status: DeliveryStatus = enum_field(DeliveryStatus, DeliveryStatus.QUEUED)
    attempts: int = 0
    last_error: str = ""
    message_id: str = Field(default="", max_length=200)
    # Not sent before this moment (a gift card scheduled for a birthday); None: at once.
    not_before: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class DeliveryAttempt(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="delivery.id", index=True)
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    outcome: str = Field(default="started", max_length=20)
    error: str = ""


class AuditEntry(SQLModel, table=True):
    """Who did what to which thing, and when."""

    __table_args__ = (Index("ix_audit_entity", "entity_type", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    actor_type: str = Field(max_length=20, description="staff / customer / system / provider")
    actor_id: str = Field(default="", max_length=64)
    action: str = Field(max_length=60)
    entity_type: str = Field(max_length=30)
    entity_id: str = Field(max_length=64)
    detail: str = Field(default="{}", description="JSON")


class LegacyId(SQLModel, table=True):
    """An identifier a record had in an older system (old SQL since 2009, later MongoDB)."""

    __table_args__ = (
        UniqueConstraint("source", "entity_type", "legacy_id", name="uq_legacy_source_entity_id"),
        Index("ix_legacy_lookup", "legacy_id"),
        Index("ix_legacy_entity", "entity_type", "entity_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=20, description="old_sql / mongo")
    entity_type: str = Field(max_length=20, description="order / customer / show / ticket / gift_card")
    entity_id: int
    legacy_id: str = Field(max_length=64)
    imported_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
