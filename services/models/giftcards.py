"""Gift cards, their ledger, and what each order reserved on them.

The balance is the sum of the ledger, kept on the card for speed (and a CHECK keeps it from going below
zero). Spending is two steps: a reservation when the order is created lowers the balance at once (so two
checkouts can never spend the same shekel), then the reservation is captured when the order is paid or
released (money back on the card) when it fails, is cancelled or its hold expires.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from services.models.base import StrEnum, UTCDateTime, enum_field, utcnow


class GiftCardStatus(StrEnum):
    PENDING = "pending"  # bought, not paid yet: no balance, not spendable
    ACTIVE = "active"
    VOID = "void"


class GiftCard(SQLModel, table=True):
    __table_args__ = (CheckConstraint("balance >= 0", name="giftcard_balance_nonnegative"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True, index=True)
    initial_amount: int
    balance: int
    status: GiftCardStatus = enum_field(GiftCardStatus, GiftCardStatus.ACTIVE)
    purchase_order_id: int | None = Field(default=None, foreign_key="order.id", index=True)
    buyer_customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    recipient_name: str = Field(default="", max_length=200)
    recipient_email: str = Field(default="", max_length=254, index=True)
    recipient_phone: str = Field(default="", max_length=20)
    message: str = ""
    language: str = Field(default="he", max_length=2)
    send_at: datetime | None = Field(default=None, sa_type=UTCDateTime, description="deliver to the recipient then")
    issued_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class GiftCardTransaction(SQLModel, table=True):
    """A signed movement on a card: issue (+), reserve (-), release (+), refund (+), adjust (±), void (-)."""

    id: int | None = Field(default=None, primary_key=True)
    gift_card_id: int = Field(foreign_key="giftcard.id", index=True)
    order_id: int | None = Field(default=None, foreign_key="order.id", index=True)
    kind: str = Field(max_length=20)
    amount: int
    balance_after: int
    staff_user_id: int | None = Field(default=None, foreign_key="staffuser.id")
    note: str = ""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RedemptionStatus(StrEnum):
    RESERVED = "reserved"
    CAPTURED = "captured"
    RELEASED = "released"


class GiftCardRedemption(SQLModel, table=True):
    """What one order takes from one card: reserved at order creation, captured when paid.

    `refunded` counts what a refund of the order has put back on the card since it was captured.
    """

    __table_args__ = (
        UniqueConstraint("gift_card_id", "order_id", name="uq_redemption_card_order"),
        CheckConstraint("amount > 0", name="redemption_amount_positive"),
        CheckConstraint("refunded >= 0 AND refunded <= amount", name="redemption_refunded_bounds"),
    )

    id: int | None = Field(default=None, primary_key=True)
    gift_card_id: int = Field(foreign_key="giftcard.id", index=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    amount: int
    refunded: int = 0
    status: RedemptionStatus = enum_field(RedemptionStatus, RedemptionStatus.RESERVED)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
