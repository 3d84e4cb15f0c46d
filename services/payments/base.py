"""The provider interface: what the order room needs from any card processor, and nothing more.

Four operations: open a hosted payment page for an order, judge an incoming callback, ask the
provider what really happened to a transaction, and refund it. Every adapter converts money at its
own edge: inside Barby amounts are integer agorot, always.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import Protocol

from services.errors import BarbyError


class ProviderError(BarbyError):
    """The provider could not be reached or refused the request; nothing was decided."""

    code = "provider_error"


class ProviderOutcomeUnknown(ProviderError):
    """The request may have reached the provider (a timeout or 5xx after sending): it may have happened."""

    code = "provider_outcome_unknown"


class TxnState(StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"
    PENDING = "pending"  # no final answer yet (page open, or unknown to the provider)


@dataclass(frozen=True)
class PageRequest:
    """What a hosted payment page needs to know about one order."""

    order_number: str
    amount: int  # agorot
    currency: str
    customer_name: str
    email: str
    phone: str
    language: str
    description: str
    success_url: str
    failure_url: str
    callback_url: str


@dataclass(frozen=True)
class PaymentPage:
    url: str
    page_request_uid: str


@dataclass(frozen=True)
class CallbackRequest:
    """An incoming callback exactly as received, so adapters can check what the provider signed."""

    body: bytes
    headers: Mapping[str, str]
    query: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CallbackCheck:
    """An adapter's reading of a callback. `authentic` False means: trust nothing else in it."""

    authentic: bool
    detail: str = ""
    order_number: str = ""
    transaction_id: str = ""
    page_request_uid: str = ""
    state: TxnState = TxnState.PENDING
    amount: int | None = None
    currency: str = ""
    approval_number: str = ""
    card_last4: str = ""
    is_refund: bool = False


@dataclass(frozen=True)
class TxnStatus:
    """The provider's own answer about a transaction: the only thing that marks an order paid."""

    state: TxnState
    transaction_id: str = ""
    page_request_uid: str = ""
    order_number: str = ""
    amount: int | None = None
    currency: str = ""
    approval_number: str = ""
    card_last4: str = ""
    detail: str = ""
    method: str = ""  # "card", "google_pay", "apple_pay"… (payment_method below); "" when not reported


def payment_method(*names: object) -> str:
    """The way a customer paid, from whatever a provider names it ("google-pay", "GooglePay", "credit-card").

    The first non-empty name wins; nothing named means a plain card payment.
    """
    for name in names:
        text = str(name or "").strip().lower().replace("-", "_").replace(" ", "_")
        if not text:
            continue
        if "google" in text:
            return "google_pay"
        if "apple" in text:
            return "apple_pay"
        if text == "bit" or text.startswith("bit_"):
            return "bit"
        return "card" if "card" in text or "credit" in text else text[:30]
    return "card"


@dataclass(frozen=True)
class RefundResult:
    reference: str
    detail: str = ""


class PaymentProvider(Protocol):
    """Implemented by PayPlusProvider (also used for the sandbox) and TranzilaProvider."""

    name: str

    def create_payment_page(self, request: PageRequest) -> PaymentPage: ...

    def verify_callback(self, callback: CallbackRequest) -> CallbackCheck: ...

    def query_status(
        self, *, page_request_uid: str = "", transaction_id: str = "", order_number: str = ""
    ) -> TxnStatus: ...

    def refund(self, *, transaction_id: str, amount: int, currency: str, approval_number: str = "") -> RefundResult: ...


def agorot_to_decimal(agorot: int) -> Decimal:
    """120.50 ILS from 12050 agorot: the providers speak shekels with two decimals."""
    return (Decimal(agorot) / 100).quantize(Decimal("0.01"))


def decimal_to_agorot(value: object) -> int | None:
    """12050 from 120.5 / "120.50"; None when the value is not an amount (never guessed)."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    if not amount.is_finite():
        return None
    agorot = (amount * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    if agorot != amount * 100:
        return None  # fractions of an agora: not a real charge, refuse to round it away
    return int(agorot)
