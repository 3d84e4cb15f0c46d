"""Customers, orders and the tickets they hold."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from services.models.base import StrEnum, UTCDateTime, enum_field, trigram_index, utcnow


class Customer(SQLModel, table=True):
    """A buyer. Email is the natural key; phone is stored normalised (e.g. 0521234567)."""

    __table_args__ = (trigram_index("ix_customer_name_trgm", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(max_length=200, index=True)
    phone: str = Field(default="", max_length=20, index=True)
    id_number: str = Field(default="", max_length=9)
    language: str = Field(default="he", max_length=2)
    password_hash: str | None = Field(default=None, max_length=200)
    marketing_opt_in: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CustomerNote(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    staff_user_id: int | None = Field(default=None, foreign_key="staffuser.id")
    body: str
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class OrderKind(StrEnum):
    TICKETS = "tickets"
    GIFT_CARD = "gift_card"


class OrderStatus(StrEnum):
    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"
    NEEDS_ATTENTION = "needs_attention"  # paid, but tickets could not be issued: staff act
    FAILED = "failed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"


class DeliveryMethod(StrEnum):
    EMAIL = "email"
    SMS = "sms"


class Order(SQLModel, table=True):
    """One purchase. Contact details are a snapshot: what the customer typed for this order."""

    __table_args__ = (
        Index("ix_order_created_at", "created_at"),
        Index("ix_order_show_status", "show_id", "status"),
        # Back-office search: every filtered list read newest-first from an index; partial names.
        Index("ix_order_show_created", "show_id", "created_at"),
        Index("ix_order_customer_created", "customer_id", "created_at"),
        Index("ix_order_status_created", "status", "created_at"),
        trigram_index("ix_order_name_trgm", "name"),
        # "Starts with" email search (a half-remembered address) straight from an index.
        Index("ix_order_email_prefix", "email", postgresql_ops={"email": "varchar_pattern_ops"}),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True, index=True)
    kind: OrderKind = enum_field(OrderKind, OrderKind.TICKETS)
    status: OrderStatus = enum_field(OrderStatus, OrderStatus.PENDING_PAYMENT)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    show_id: int | None = Field(default=None, foreign_key="show.id")
    tier_id: int | None = Field(default=None, foreign_key="tickettier.id")
    hold_id: int | None = Field(default=None, foreign_key="hold.id", index=True)
    secret_link_id: int | None = Field(default=None, foreign_key="secretlink.id", index=True)
    quantity: int = 0
    unit_price: int = 0
    total: int = Field(default=0, description="agorot, before gift cards")
    gift_card_amount: int = Field(default=0, description="agorot paid by gift card")
    amount_due: int = Field(default=0, description="agorot to charge the card")
    currency: str = Field(default="ILS", max_length=3)
    name: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=254, index=True)
    phone: str = Field(default="", max_length=20, index=True)
    id_number: str = Field(default="", max_length=9)
    delivery_method: DeliveryMethod = enum_field(DeliveryMethod, DeliveryMethod.EMAIL)
    language: str = Field(default="he", max_length=2)
    idempotency_key: str | None = Field(default=None, max_length=64, unique=True)
    attention_reason: str = ""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    paid_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TicketStatus(StrEnum):
    VALID = "valid"
    USED = "used"
    VOID = "void"


class Ticket(SQLModel, table=True):
    """One entry. The barcode is unguessable; voiding or reissuing gives a new one."""

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    show_id: int = Field(foreign_key="show.id", index=True)
    tier_id: int | None = Field(default=None, foreign_key="tickettier.id")
    barcode: str = Field(max_length=64, unique=True, index=True)
    status: TicketStatus = enum_field(TicketStatus, TicketStatus.VALID)
    price: int = 0
    seat_label: str = Field(default="", max_length=40)
    replaces_ticket_id: int | None = Field(default=None, foreign_key="ticket.id")
    issued_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    voided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
