"""Gift cards and their ledger: the balance is the sum of the ledger, kept on the card for speed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from services.models.base import StrEnum, UTCDateTime, enum_field, utcnow


class GiftCardStatus(StrEnum):
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
    message: str = ""
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class GiftCardTransaction(SQLModel, table=True):
    """A signed movement on a card: issue (+), redeem (-), refund (+), adjust (±)."""

    id: int | None = Field(default=None, primary_key=True)
    gift_card_id: int = Field(foreign_key="giftcard.id", index=True)
    order_id: int | None = Field(default=None, foreign_key="order.id", index=True)
    kind: str = Field(max_length=20)
    amount: int
    balance_after: int
    staff_user_id: int | None = Field(default=None, foreign_key="staffuser.id")
    note: str = ""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
