"""Payments test set-up: a show, a buyer with a hold and an order, rq for deliveries, DB probes.

Deliveries go to rq (Redis, no worker) so the mark-paid transaction's queued rows are asserted
without background senders touching the database between tests.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from sqlmodel import func, select

from services.db import read_session
from services.models import Delivery, Hold, Order, Payment, PaymentCallback, Ticket, TicketStatus, TicketTier
from services.settings import get_settings

_keys = itertools.count(1)


@pytest.fixture(autouse=True)
def rq_deliveries(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    import os

    monkeypatch.setenv("REDIS_URL", os.environ["TEST_REDIS_URL"])
    get_settings.cache_clear()
    yield
    from services.delivery.queueing import rq_queue
    from services.payments.sandbox import BANK

    rq_queue().empty()
    BANK.forget_all()  # the sandbox's books in Redis, under this run's namespace
    get_settings.cache_clear()


@dataclass
class Bought:
    order: Order
    hold: Hold
    tier_id: int


@pytest.fixture
def buy(show_factory) -> Callable[..., Bought]:
    """`buy(quantity=2)`: a hold on a fresh show and a PENDING_PAYMENT order for it."""
    from services.orders import create_ticket_order
    from services.ticketing import take_hold

    def make(quantity: int = 2, email: str = "dana@example.com") -> Bought:
        made = show_factory(capacity=50, tiers={"regular": {"price": 12050}})
        tier = made.tiers["regular"]
        hold = take_hold(show_id=made.show.id, tier_id=tier.id, quantity=quantity, customer_key=email)
        order = create_ticket_order(
            hold_token=hold.token, name="Dana Levi", email=email, phone="052-123-4567", id_number="",
            delivery_method="email", language="he", idempotency_key=f"key-{next(_keys)}",
        )
        return Bought(order=order, hold=hold, tier_id=tier.id)

    return make


def order_row(order_id: int) -> Order:
    with read_session() as session:
        return session.get(Order, order_id)


def count(model, *conditions) -> int:
    with read_session() as session:
        return int(session.exec(select(func.count()).select_from(model).where(*conditions)).one())


def tickets(order_id: int, status: TicketStatus = TicketStatus.VALID) -> int:
    return count(Ticket, Ticket.order_id == order_id, Ticket.status == status)


def payments(order_id: int) -> list[Payment]:
    with read_session() as session:
        return list(session.exec(select(Payment).where(Payment.order_id == order_id).order_by(Payment.id)).all())


def deliveries(order_id: int) -> int:
    return count(Delivery, Delivery.order_id == order_id)


def callbacks(order_number: str | None = None) -> list[PaymentCallback]:
    with read_session() as session:
        query = select(PaymentCallback).order_by(PaymentCallback.id)
        if order_number is not None:
            query = query.where(PaymentCallback.order_number == order_number)
        return list(session.exec(query).all())


def tier(tier_id: int) -> TicketTier:
    with read_session() as session:
        return session.get(TicketTier, tier_id)


def hold(hold_id: int) -> Hold:
    with read_session() as session:
        return session.get(Hold, hold_id)
