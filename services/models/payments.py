"""Payments, every provider callback as received, and refunds."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from services.models.base import StrEnum, UTCDateTime, enum_field, utcnow


class PaymentStatus(StrEnum):
    CREATED = "created"  # hosted page requested
    APPROVED = "approved"
    DECLINED = "declined"
    ABANDONED = "abandoned"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"


class Payment(SQLModel, table=True):
    """One attempt to charge an order through a provider. The provider's transaction id is unique."""

    __table_args__ = (
        UniqueConstraint("provider", "provider_transaction_id", name="uq_payment_provider_txn"),
        Index("ix_payment_status_created", "status", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    provider: str = Field(max_length=20)
    page_request_uid: str = Field(default="", max_length=100, index=True)
    provider_transaction_id: str | None = Field(default=None, max_length=100, index=True)
    approval_number: str = Field(default="", max_length=40)
    amount: int = Field(description="agorot")
    refunded_amount: int = 0
    currency: str = Field(default="ILS", max_length=3)
    method: str = Field(default="", max_length=30, description="card / google_pay / gift_card")
    card_last4: str = Field(default="", max_length=4)
    status: PaymentStatus = enum_field(PaymentStatus, PaymentStatus.CREATED)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PaymentCallback(SQLModel, table=True):
    """A provider callback exactly as it arrived, stored before anything else is decided."""

    id: int | None = Field(default=None, primary_key=True)
    provider: str = Field(max_length=20)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    raw_body: str
    headers: str = Field(default="{}", description="JSON of the headers that matter")
    remote_addr: str = Field(default="", max_length=64)
    signature_valid: bool = False
    order_number: str = Field(default="", max_length=40, index=True)
    provider_transaction_id: str = Field(default="", max_length=100, index=True)
    outcome: str = Field(default="received", max_length=40)
    detail: str = ""


class Refund(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    payment_id: int | None = Field(default=None, foreign_key="payment.id")
    amount: int
    provider_reference: str = Field(default="", max_length=100)
    status: str = Field(default="done", max_length=20)
    reason: str = ""
    staff_user_id: int | None = Field(default=None, foreign_key="staffuser.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
