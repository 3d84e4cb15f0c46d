"""Gift cards through the real payment path: buying one, paying tickets with it, refunds, bad input.

Everything goes through the PayPlus-compatible sandbox over real HTTP and real PostgreSQL, exactly as
ticket orders do, so the same callback verification and exactly-once settlement cover gift cards.
"""

from __future__ import annotations

import itertools
import json
from datetime import timedelta

import pytest
from sqlmodel import func, select

from services.db import read_session, transaction
from services.errors import BarbyError, ValidationFailed
from services.giftcards import GiftCardRefused
from services.giftcards.redemption import plan
from services.models import (
    Delivery,
    GiftCard,
    GiftCardStatus,
    GiftCardTransaction,
    HoldStatus,
    Order,
    OrderKind,
    OrderStatus,
    utcnow,
)
from services.orders import cancel_order, create_ticket_order, refund_order, start_payment
from services.orders.giftcard_orders import GiftCardRequest, create_gift_card_order
from services.orders.reconciliation import reconcile_pending
from services.orders.settlement import complete_with_gift_cards
from services.payments.payplus import sign_body
from services.ticketing import take_hold
from tests.payments.conftest import callbacks, count, hold, order_row, payments, tickets
from tests.payments.test_payplus_sandbox import APPROVE, LATE, held_callback, pay, signed

_keys = itertools.count(1)


def buy_card(amount: str = "200", **fields) -> Order:
    request = GiftCardRequest(amount=amount, buyer_name="Dana Levi", buyer_email="dana@example.com",
                              buyer_phone="052-123-4567", recipient_name="Noa Cohen",
                              recipient_email=fields.pop("recipient_email", "noa@example.com"),
                              message="Happy birthday!", **fields)
    return create_gift_card_order(request, idempotency_key=f"gc-{next(_keys)}")


def card_of(order_id: int) -> GiftCard:
    with read_session() as session:
        return session.exec(select(GiftCard).where(GiftCard.purchase_order_id == order_id)).one()


def card_by_code(code: str) -> GiftCard:
    with read_session() as session:
        return session.exec(select(GiftCard).where(GiftCard.code == code)).one()


def ledger(code: str) -> int:
    with read_session() as session:
        return int(session.exec(select(func.sum(GiftCardTransaction.amount)).join(GiftCard)
                                .where(GiftCard.code == code)).one())


def paid_card(http, amount: str = "200") -> GiftCard:
    order = buy_card(amount)
    pay(http, start_payment(order.number))  # Google Pay
    assert order_row(order.id).status == OrderStatus.PAID
    return card_of(order.id)


def ticket_order(show_factory, *, price: int = 7500, quantity: int = 2, cards: list[tuple[str, int]] | None = None):
    made = show_factory(capacity=50, tiers={"regular": {"price": price}})
    held = take_hold(show_id=made.show.id, tier_id=made.tiers["regular"].id, quantity=quantity,
                     customer_key="fan@example.com")
    order = create_ticket_order(hold_token=held.token, name="Fan Levi", email="fan@example.com", phone="0521234567",
                                id_number="", delivery_method="email", language="en",
                                idempotency_key=f"t-{next(_keys)}", gift_cards=cards)
    return order, held


def test_buying_a_gift_card_issues_it_exactly_once_with_its_deliveries(http):
    order = buy_card("250")
    pending = card_of(order.id)
    assert (order.kind, order.amount_due, pending.status, pending.balance) == (
        OrderKind.GIFT_CARD, 25000, GiftCardStatus.PENDING, 0)
    with pytest.raises(GiftCardRefused):  # not spendable before it is paid
        plan([pending.code], 1000, now=utcnow())
    page = start_payment(order.number)
    pay(http, page)
    card = card_of(order.id)
    assert (card.status, card.balance, card.initial_amount) == (GiftCardStatus.ACTIVE, 25000, 25000)
    assert card.expires_at.year == card.issued_at.year + 5 and ledger(card.code) == 25000
    with read_session() as session:
        sent = {(d.purpose, d.recipient) for d in session.exec(select(Delivery).where(Delivery.order_id == order.id))}
    assert sent == {("confirmation", "dana@example.com"), ("gift_card", "noa@example.com")}
    # The same approval again (a duplicate callback) issues nothing more.
    genuine = callbacks(order.number)[0]
    again = http.post("/api/payments/payplus/callback", content=genuine.raw_body.encode(),
                      headers={"hash": json.loads(genuine.headers)["hash"], "user-agent": "PayPlus"})
    assert again.json()["outcome"] == "duplicate"
    assert ledger(card.code) == 25000 and count(Delivery, Delivery.order_id == order.id) == 2


def test_forged_and_tampered_callbacks_never_issue_a_gift_card(http):
    order = buy_card("300")
    page = start_payment(order.number)
    pay(http, page, LATE)
    body, headers = held_callback(page)
    forged = http.post("/api/payments/payplus/callback", content=body,
                       headers={**headers, "hash": sign_body(body, "not-our-secret")})
    cheaper = json.loads(body)
    cheaper["transaction"]["amount"] = 1.0
    tampered = http.post("/api/payments/payplus/callback", content=json.dumps(cheaper).encode(),
                         headers=signed(cheaper)[1])
    assert (forged.status_code, tampered.status_code) == (401, 400)
    card = card_of(order.id)
    assert (card.status, card.balance) == (GiftCardStatus.PENDING, 0)
    assert order_row(order.id).status == OrderStatus.PENDING_PAYMENT


def test_a_card_pays_part_of_a_ticket_order_and_the_provider_the_rest(http, show_factory):
    card = paid_card(http, "100")
    order, _held = ticket_order(show_factory, price=7500, cards=[(card.code.lower(), 10000)])
    assert (order.total, order.gift_card_amount, order.amount_due) == (15000, 10000, 5000)
    assert card_by_code(card.code).balance == 0  # reserved at once
    pay(http, start_payment(order.number), APPROVE)
    assert order_row(order.id).status == OrderStatus.PAID and tickets(order.id) == 2
    assert [p.amount for p in payments(order.id)] == [5000]
    # A refund gives each part back the way it was paid.
    outcome = refund_order(order.id, staff_user_id=None, reason="show moved")
    assert (outcome.amount, outcome.provider_amount, outcome.gift_card_amount) == (15000, 5000, 10000)
    assert card_by_code(card.code).balance == 10000 == ledger(card.code)
    assert order_row(order.id).status == OrderStatus.REFUNDED and tickets(order.id) == 0


def test_cards_covering_everything_complete_the_order_with_no_payment_page(http, show_factory):
    first, second = paid_card(http, "100"), paid_card(http, "100")
    order, held = ticket_order(show_factory, price=7500, cards=[(first.code, 10000), (second.code, 5000)])
    assert order.amount_due == 0
    with pytest.raises(BarbyError):
        start_payment(order.number)  # nothing to send to a provider
    assert complete_with_gift_cards(order.number).order_status == OrderStatus.PAID
    assert complete_with_gift_cards(order.number).outcome == "duplicate"
    assert tickets(order.id) == 2 and payments(order.id) == [] and hold(held.id).status == HoldStatus.CONVERTED
    assert (card_by_code(first.code).balance, card_by_code(second.code).balance) == (0, 5000)
    outcome = refund_order(order.id, 5000, staff_user_id=None, reason="one guest")
    assert outcome.gift_card_amount == 5000 and card_by_code(second.code).balance == 10000


def test_an_order_that_ends_unpaid_gives_the_card_its_money_back(http, show_factory):
    card = paid_card(http, "200")
    cancelled, _ = ticket_order(show_factory, cards=[(card.code, 5000)])
    expired, held = ticket_order(show_factory, cards=[(card.code, 5000)])
    assert card_by_code(card.code).balance == 10000
    start_payment(cancelled.number)
    cancel_order(cancelled.id, reason="left the payment page")
    with transaction() as session:
        session.get(type(held), held.id).expires_at = utcnow() - timedelta(minutes=1)
    reconcile_pending(older_than=timedelta(0), now=utcnow())
    assert order_row(expired.id).status == OrderStatus.EXPIRED
    assert card_by_code(card.code).balance == 20000 == ledger(card.code)


def test_refunding_a_gift_card_purchase_voids_an_unused_card_and_only_returns_what_is_left(http, show_factory):
    unused = paid_card(http, "100")
    refund_order(order_row(card_by_code(unused.code).purchase_order_id).id, staff_user_id=None, reason="changed mind")
    assert (card_by_code(unused.code).status, card_by_code(unused.code).balance) == (GiftCardStatus.VOID, 0)
    used = paid_card(http, "200")
    order, _ = ticket_order(show_factory, price=7500, quantity=1, cards=[(used.code, 7500)])
    complete_with_gift_cards(order.number)
    purchase = card_by_code(used.code).purchase_order_id
    with pytest.raises(ValidationFailed):
        refund_order(purchase, 20000, staff_user_id=None, reason="all of it")  # ₪75 was spent
    outcome = refund_order(purchase, staff_user_id=None, reason="the rest")
    assert outcome.provider_amount == 12500 and card_by_code(used.code).balance == 0
    assert order_row(purchase).status == OrderStatus.PARTIALLY_REFUNDED


@pytest.mark.parametrize("fields, field", [
    ({"amount": "10"}, "amount"),  # below the minimum
    ({"amount": "5000"}, "amount"),  # above the maximum
    ({"amount": "abc"}, "amount"),
    ({"amount": "²00"}, "amount"),  # a Unicode digit is not a number here
    ({"send_at": utcnow() - timedelta(days=2)}, "send_at"),  # a date in the past
    ({"recipient_email": "not-an-email"}, "email"),
])
def test_bad_gift_card_requests_are_refused_and_create_nothing(fields, field):
    with pytest.raises(ValidationFailed) as refused:
        buy_card(**fields)
    assert refused.value.field == field and refused.value.message_en and refused.value.message_he
    assert count(Order) == 0 and count(GiftCard) == 0


def test_a_scheduled_card_waits_for_its_date(http):
    from services.delivery import records

    order = buy_card("150", send_at=utcnow() + timedelta(days=3))
    pay(http, start_payment(order.number))
    with read_session() as session:
        scheduled = session.exec(select(Delivery).where(Delivery.purpose == "gift_card")).one()
        assert scheduled.not_before is not None
        assert scheduled.id not in records.due_for_retry(session, utcnow() + timedelta(hours=1))
        assert scheduled.id in records.due_for_retry(session, utcnow() + timedelta(days=3, minutes=5))
    assert records.claim(scheduled.id, "early") is None  # never sent before its day
