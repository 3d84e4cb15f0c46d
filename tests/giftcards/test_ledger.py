"""Gift-card money rules on real PostgreSQL: codes, reserve / capture / release / refund, and no double spend."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlmodel import func, select

from services.db import read_session, transaction
from services.errors import BarbyError
from services.giftcards import GiftCardRefused, expiry_for, format_code, issue_for_order, normalize_code
from services.giftcards.cards import Recipient, create_pending
from services.giftcards.redemption import capture, plan, refund, release, reserve
from services.models import GiftCard, GiftCardStatus, GiftCardTransaction, Order, OrderKind, utcnow
from services.orders.numbering import assign_order_number


def make_order(total: int, kind: OrderKind = OrderKind.TICKETS) -> int:
    with transaction() as session:
        order = Order(kind=kind, total=total, amount_due=total, name="Dana", email="dana@example.com")
        assign_order_number(session, order)
        return order.id


def make_card(amount: int, **fields) -> str:
    """An issued card, the way a paid gift-card order issues it."""
    order_id = make_order(amount, OrderKind.GIFT_CARD)
    now = fields.pop("issued_at", utcnow())
    with transaction() as session:
        card = create_pending(session, order_id=order_id, amount=amount, language="he", now=now,
                              recipient=Recipient("Noa", "noa@example.com", "", "Happy birthday", None))
        issue_for_order(session, order_id, buyer_customer_id=None, now=now)
        for name, value in fields.items():
            setattr(card, name, value)
        return card.code


def card(code: str) -> GiftCard:
    with read_session() as session:
        return session.exec(select(GiftCard).where(GiftCard.code == code)).one()


def ledger_sum(code: str) -> int:
    with read_session() as session:
        return session.exec(select(func.sum(GiftCardTransaction.amount)).join(GiftCard).where(GiftCard.code == code)).one()


def test_codes_are_unambiguous_and_typed_any_way():
    code = make_card(20000)
    assert len(code) == 16 and not set(code) & set("0O1IL")
    shown = format_code(code)
    assert shown.count("-") == 3
    for typed in (shown, shown.lower(), " ".join(shown.split("-")), f"  {code.lower()} "):
        assert normalize_code(typed) == code
    assert [use.take for use in plan([shown.lower()], 5000, now=utcnow())] == [5000]


def test_a_card_is_valid_five_years_from_issue():
    issued = utcnow()
    code = make_card(10000, issued_at=issued)
    assert card(code).expires_at == expiry_for(issued)
    assert card(code).expires_at.year == issued.year + 5


def test_reserve_capture_release_refund_keep_the_ledger_equal_to_the_balance():
    code = make_card(20000)
    first, second = make_order(15000), make_order(9000)
    with transaction() as session:
        assert reserve(session, order_id=first, uses=[(code, 15000)], now=utcnow()) == 15000
    assert card(code).balance == 5000
    with transaction() as session:
        assert capture(session, first, now=utcnow())
    with transaction() as session:
        reserve(session, order_id=second, uses=[(code, 5000)], now=utcnow())
    assert card(code).balance == 0
    with transaction() as session:
        assert release(session, second, now=utcnow(), reason="expired") == 5000
        assert release(session, second, now=utcnow(), reason="expired again") == 0  # nothing twice
    assert card(code).balance == 5000
    with transaction() as session:
        assert refund(session, first, 4000, now=utcnow()) == 4000
        assert refund(session, first, None, now=utcnow()) == 11000
        assert refund(session, first, None, now=utcnow()) == 0  # never more than was taken
    assert card(code).balance == 20000 == ledger_sum(code)


@pytest.mark.parametrize("situation, message", [
    ("unknown", "could not find"),
    ("expired", "expired on"),
    ("void", "cancelled"),
    ("used", "no balance left"),
])
def test_unusable_cards_are_refused_clearly_and_nothing_changes(situation, message):
    code = make_card(10000)
    with transaction() as session:
        row = session.exec(select(GiftCard).where(GiftCard.code == code)).one()
        if situation == "expired":
            row.expires_at = utcnow() - timedelta(days=1)
        if situation == "void":
            row.status = GiftCardStatus.VOID
    if situation == "used":
        with transaction() as session:
            reserve(session, order_id=make_order(10000), uses=[(code, 10000)], now=utcnow())
    typed = "ABCD-EFGH-JKMN-PQRS" if situation == "unknown" else code
    before = (card(code).balance, ledger_sum(code))
    with pytest.raises(GiftCardRefused, match=message):
        plan([typed], 5000, now=utcnow())
    with pytest.raises(GiftCardRefused, match=message), transaction() as session:
        reserve(session, order_id=make_order(5000), uses=[(typed, 5000)], now=utcnow())
    assert (card(code).balance, ledger_sum(code)) == before


def test_twenty_checkouts_racing_for_one_card_spend_it_once():
    """₪200 card, twenty ₪150 orders at once on real connections: exactly one wins, the balance never dips."""
    code = make_card(20000)
    orders = [make_order(15000) for _ in range(20)]
    barrier = threading.Barrier(20)

    def spend(order_id: int) -> str:
        barrier.wait(timeout=30)
        try:
            with transaction() as session:
                reserve(session, order_id=order_id, uses=[(code, 15000)], now=utcnow())
            return "won"
        except BarbyError:
            return "refused"

    with ThreadPoolExecutor(20) as pool:
        outcomes = list(pool.map(spend, orders))
    assert outcomes.count("won") == 1 and outcomes.count("refused") == 19
    assert card(code).balance == 5000 == ledger_sum(code)


def test_a_late_payment_takes_a_released_reservation_again_or_reports_it_cannot():
    code = make_card(10000)
    late, later = make_order(10000), make_order(10000)
    for order_id in (late, later):
        with transaction() as session:
            reserve(session, order_id=order_id, uses=[(code, 10000)], now=utcnow())
        with transaction() as session:
            release(session, order_id, now=utcnow(), reason="expired")
    with transaction() as session:
        assert capture(session, late, now=utcnow())  # the money was still on the card: taken again
    assert card(code).balance == 0
    with transaction() as session:
        assert not capture(session, later, now=utcnow())  # spent meanwhile: the caller flags the order
    assert card(code).balance == 0 == ledger_sum(code)
