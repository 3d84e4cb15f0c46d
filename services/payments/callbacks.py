"""Provider callbacks: stored as received first, then authenticated, matched, confirmed, applied.

Every callback is written to PaymentCallback in its own committed transaction before anything is
decided, so even a forged or rejected one is visible to staff. A callback never marks an order paid
by itself: after its signature, order, amount and currency check out, the provider's status API is
asked, and only that answer is applied (services.orders.settle_payment), exactly once per
provider transaction id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlmodel import select

from services.db import read_session, transaction
from services.models import Order, Payment, PaymentCallback
from services.payments import CallbackCheck, CallbackRequest, ProviderError, TxnState, provider_for_callback

# Headers worth keeping for staff; nothing here is a credential (the `hash` is a signature of the body).
KEPT_HEADERS = ("content-type", "content-length", "user-agent", "hash", "x-forwarded-for", "x-real-ip")


@dataclass(frozen=True)
class CallbackResult:
    http_status: int
    outcome: str
    callback_id: int


def process_callback(protocol: str, request: CallbackRequest, remote_addr: str = "") -> CallbackResult:
    """Handle one provider callback end to end; the HTTP status tells the provider whether to retry."""
    callback_id = _store(protocol, request, remote_addr)
    provider = provider_for_callback(protocol)
    if provider is None:
        return _finish(callback_id, 404, "rejected_provider", f"{protocol} is not the configured provider")
    check = provider.verify_callback(request)
    if not check.authentic:
        return _finish(callback_id, 401, "rejected_signature", check.detail)
    _annotate(callback_id, check)
    if check.is_refund:
        return _finish(callback_id, 200, "refund_notice", "refunds are recorded when we make them")
    rejection = _match(check)
    if rejection is not None:
        return _finish(callback_id, *rejection)
    order, expected = _order_and_amount(check)
    try:
        status = provider.query_status(page_request_uid=check.page_request_uid,
                                       transaction_id=check.transaction_id, order_number=order.number)
    except ProviderError as exc:
        return _finish(callback_id, 503, "unconfirmed", str(exc))
    if not _confirms(check, status, order.number, expected):
        return _finish(callback_id, 409, "rejected_unconfirmed",
                       f"status API says {status.state.value} txn={status.transaction_id} amount={status.amount}")
    from services.orders import settle_payment  # imported here: orders imports this package

    settlement = settle_payment(order.id, status, provider=provider.name, source="callback")
    return _finish(callback_id, 200, settlement.outcome, f"order is {settlement.order_status.value}")


def _store(protocol: str, request: CallbackRequest, remote_addr: str) -> int:
    lowered = {key.lower(): value for key, value in request.headers.items()}
    kept = {key: lowered[key] for key in KEPT_HEADERS if key in lowered}
    if request.query:
        kept["query"] = {key: ("…" if key == "sig" else value) for key, value in request.query.items()}
    with transaction() as session:
        callback = PaymentCallback(
            provider=protocol, raw_body=request.body.decode("utf-8", "replace"),
            headers=json.dumps(kept, ensure_ascii=False), remote_addr=remote_addr[:64],
        )
        session.add(callback)
        session.flush()
        return callback.id


def _annotate(callback_id: int, check: CallbackCheck) -> None:
    with transaction() as session:
        callback = session.get(PaymentCallback, callback_id)
        callback.signature_valid = True
        callback.order_number = check.order_number[:40]
        callback.provider_transaction_id = check.transaction_id[:100]


def _finish(callback_id: int, http_status: int, outcome: str, detail: str = "") -> CallbackResult:
    with transaction() as session:
        callback = session.get(PaymentCallback, callback_id)
        callback.outcome, callback.detail = outcome[:40], detail
    return CallbackResult(http_status, outcome, callback_id)


def _match(check: CallbackCheck) -> tuple[int, str, str] | None:
    """(status, outcome, detail) when the callback does not fit a known order exactly; else None."""
    order, expected = _order_and_amount(check)
    if order is None:
        return 404, "rejected_unknown_order", f"no order {check.order_number!r}"
    if expected is None:
        return 409, "rejected_page_mismatch", f"page request {check.page_request_uid!r} is not this order's"
    if check.currency != order.currency:
        return 400, "rejected_currency", f"{check.currency!r} instead of {order.currency}"
    if check.amount != expected:
        return 400, "rejected_amount", f"{check.amount} agorot instead of {expected}"
    if check.state == TxnState.APPROVED and not check.transaction_id:
        return 400, "rejected_no_transaction", "approved without a transaction id"
    return None


def _order_and_amount(check: CallbackCheck) -> tuple[Order | None, int | None]:
    """The order named by the callback and the amount its page request was opened for."""
    with read_session() as session:
        order = session.exec(select(Order).where(Order.number == check.order_number)).first()
        if order is None:
            return None, None
        payment = session.exec(select(Payment).where(
            Payment.order_id == order.id, Payment.page_request_uid == check.page_request_uid)).first()
    return order, (payment.amount if payment is not None else None)


def _confirms(check: CallbackCheck, status, order_number: str, expected: int) -> bool:
    """The provider's own answer agrees with the callback on what matters."""
    if status.state == TxnState.PENDING:
        return False
    if status.order_number and status.order_number != order_number:
        return False
    if status.state == TxnState.APPROVED:
        same_txn = not check.transaction_id or status.transaction_id == check.transaction_id
        return same_txn and status.amount == expected and status.currency in ("", "ILS")
    return True
