"""Order creation (idempotent), refunds and cancellations through the sandbox, and the production guard."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from pydantic import ValidationError
from sqlmodel import select

from services.db import read_session
from services.errors import ValidationFailed
from services.models import HoldStatus, Order, OrderStatus, PaymentStatus, Refund, Show, Ticket, TicketStatus
from services.orders import cancel_order, create_ticket_order, refund_order, start_payment
from services.payments import ProviderError, ProviderOutcomeUnknown, get_provider
from services.payments.sandbox import sandbox_allowed
from services.settings import Settings
from services.ticketing import take_hold
from tests.payments.conftest import callbacks, count, hold, order_row, payments, tickets, tier
from tests.payments.test_payplus_sandbox import APPROVE, pay


def paid(http, buy, quantity: int = 2):
    bought = buy(quantity=quantity)
    pay(http, start_payment(bought.order.number), APPROVE)
    assert order_row(bought.order.id).status == OrderStatus.PAID
    return bought


def test_same_key_or_same_hold_gives_the_same_order(show_factory):
    made = show_factory(capacity=10)
    held = take_hold(show_id=made.show.id, tier_id=made.tiers["regular"].id, quantity=2, customer_key="x@example.com")
    fields = dict(hold_token=held.token, name="Dana Levi", email="X@Example.com ", phone="+972 52-123-4567",
                  id_number="", delivery_method="email", language="en")

    def create(key: str) -> Order:
        return create_ticket_order(**fields, idempotency_key=key)

    with ThreadPoolExecutor(max_workers=5) as pool:
        orders = list(pool.map(create, ["k1"] * 5))
    assert {o.id for o in orders} == {orders[0].id}
    assert create("k2").id == orders[0].id  # a double-click with a fresh key: still one order
    order = order_row(orders[0].id)
    assert (order.email, order.phone, order.quantity, order.total, order.amount_due) == (
        "x@example.com", "0521234567", 2, 2 * 10000, 2 * 10000)
    assert order.status == OrderStatus.PENDING_PAYMENT and order.number.startswith("B-")
    assert count(Order) == 1


def test_bad_contact_details_are_refused(show_factory):
    made = show_factory(capacity=10)
    held = take_hold(show_id=made.show.id, tier_id=made.tiers["regular"].id, quantity=1)
    with pytest.raises(ValidationFailed) as refused:
        create_ticket_order(hold_token=held.token, name="Dana", email="not-an-email", phone="0521234567",
                            id_number="", delivery_method="email", language="he", idempotency_key="k")
    assert refused.value.field == "email"
    with pytest.raises(ValidationFailed):
        create_ticket_order(hold_token=held.token, name="Dana", email="d@example.com", phone="0521234567",
                            id_number="123456789", delivery_method="email", language="he", idempotency_key="k")
    assert count(Order) == 0


def test_partial_then_full_refund_through_the_provider(http, buy):
    bought = paid(http, buy, quantity=2)
    with read_session() as session:
        first = session.exec(select(Ticket).where(Ticket.order_id == bought.order.id).order_by(Ticket.id)).first()
    part = refund_order(bought.order.id, staff_user_id=None, reason="one guest cannot come", ticket_ids=[first.id])
    assert part.status == "done" and part.amount == 12050 and part.provider_reference
    assert order_row(bought.order.id).status == OrderStatus.PARTIALLY_REFUNDED
    assert (tickets(bought.order.id), tickets(bought.order.id, TicketStatus.VOID)) == (1, 1)
    assert tier(bought.tier_id).sold == 1  # the refunded seat is back on sale
    with pytest.raises(ValidationFailed):
        refund_order(bought.order.id, 999999, staff_user_id=None, reason="too much")
    rest = refund_order(bought.order.id, staff_user_id=None, reason="show moved")
    assert rest.amount == 12050
    assert order_row(bought.order.id).status == OrderStatus.REFUNDED
    assert tickets(bought.order.id) == 0 and tier(bought.tier_id).sold == 0
    with read_session() as session:
        assert session.get(Show, session.get(Order, bought.order.id).show_id).sold == 0
    (payment,) = payments(bought.order.id)
    assert (payment.status, payment.refunded_amount) == (PaymentStatus.REFUNDED, 24100)
    assert count(Refund, Refund.order_id == bought.order.id, Refund.status == "done") == 2
    notices = [c.outcome for c in callbacks(bought.order.number)]
    assert notices.count("refund_notice") <= 2  # the sandbox's refund callbacks change nothing


def test_cancel_a_paid_order_refunds_and_voids(http, buy):
    bought = paid(http, buy, quantity=2)
    cancelled = cancel_order(bought.order.id, staff_user_id=None, reason="customer asked")
    assert cancelled.status == OrderStatus.CANCELLED
    assert tickets(bought.order.id) == 0 and tickets(bought.order.id, TicketStatus.VOID) == 2
    assert payments(bought.order.id)[0].refunded_amount == 24100


def test_cancel_a_pending_order_releases_the_hold(http, buy):
    bought = buy(quantity=2)
    start_payment(bought.order.number)
    assert cancel_order(bought.order.id, staff_user_id=None, reason="duplicate").status == OrderStatus.CANCELLED
    assert hold(bought.hold.id).status == HoldStatus.RELEASED and tier(bought.tier_id).held == 0


def test_a_refund_the_provider_refuses_is_recorded_as_failed(http, buy):
    bought = paid(http, buy, quantity=1)
    from services.payments.sandbox import BANK

    BANK.forget_all()  # the sandbox forgets the transaction (as after a restart): refund is refused
    with pytest.raises(ProviderError):
        refund_order(bought.order.id, staff_user_id=None, reason="x")
    assert count(Refund, Refund.status == "failed") == 1
    assert order_row(bought.order.id).status == OrderStatus.PAID and tickets(bought.order.id) == 1


def test_a_refund_without_an_answer_stays_reserved_and_is_flagged_for_staff(http, buy, monkeypatch):
    """A timeout or 5xx after the request left may mean the money went back: never refund it twice."""
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    from services.settings import get_settings
    from tests.fixtures.http import ServedApp, free_port

    bought = paid(http, buy, quantity=1)
    broken = Starlette(routes=[Route("/{path:path}", lambda _request: PlainTextResponse("bad gateway", 502),
                                     methods=["POST"])])
    port = free_port()
    with ServedApp(broken, port):
        monkeypatch.setenv("PAYPLUS_BASE_URL", f"http://127.0.0.1:{port}")
        get_settings.cache_clear()
        with pytest.raises(ProviderOutcomeUnknown):
            refund_order(bought.order.id, staff_user_id=None, reason="customer asked")
    monkeypatch.delenv("PAYPLUS_BASE_URL")
    get_settings.cache_clear()
    (refund,) = session_refunds()
    assert refund.status == "unknown"
    order = order_row(bought.order.id)
    assert "may have gone through" in order.attention_reason and order.status == OrderStatus.PAID
    with pytest.raises(ValidationFailed):  # the whole amount is still reserved by the unanswered refund
        refund_order(bought.order.id, staff_user_id=None, reason="again")


def session_refunds() -> list[Refund]:
    with read_session() as session:
        return list(session.exec(select(Refund)))


def test_the_sandbox_cannot_be_enabled_in_production():
    production = dict(environment="production", jwt_secret="x" * 40, database_url="postgresql://db/barby",
                      payplus_api_key="live-key", payplus_secret_key="live-secret", sms_provider="http")
    with pytest.raises(ValidationError):
        Settings(**production, payment_provider="sandbox", sandbox_enabled=False)
    with pytest.raises(ValidationError):
        Settings(**production, payment_provider="payplus", sandbox_enabled=True)
    live = Settings(**production, payment_provider="payplus", sandbox_enabled=False)
    assert not sandbox_allowed(live)
    with pytest.raises(ProviderError):  # no PAYPLUS_BASE_URL: never falls back to a sandbox
        get_provider(settings=live)
    assert get_provider(settings=Settings(**production, payment_provider="payplus", sandbox_enabled=False,
                                          payplus_base_url="https://restapi.payplus.co.il/api/v1.0")).base_url


def test_refunding_a_double_charge_keeps_the_tickets(http, buy):
    """Two payment pages both paid: staff refund the duplicate, and the customer keeps the tickets."""
    bought = buy(quantity=2)
    first, second = start_payment(bought.order.number), start_payment(bought.order.number)
    pay(http, first, APPROVE)
    pay(http, second, APPROVE)
    order = order_row(bought.order.id)
    assert order.status == OrderStatus.PAID and "second successful payment" in order.attention_reason
    refund = refund_order(bought.order.id, staff_user_id=None, reason="charged twice")
    assert refund.amount == order.amount_due
    order = order_row(bought.order.id)
    assert order.status == OrderStatus.PAID and order.attention_reason == "" and tickets(order.id) == 2
    assert sorted(p.status for p in payments(order.id)) == [PaymentStatus.APPROVED, PaymentStatus.REFUNDED]
    refund_order(bought.order.id, staff_user_id=None, reason="show cancelled")  # and then the real refund
    assert order_row(bought.order.id).status == OrderStatus.REFUNDED and tickets(bought.order.id) == 0
