"""Paid orders for delivery tests, written the way mark-paid leaves them (tickets issued, rows queued)."""

from __future__ import annotations

import itertools
from datetime import timedelta

from services import clock
from services.db import transaction
from services.delivery import queue_order_delivery
from services.models import Order, OrderStatus, Show, TicketTier
from services.orders.numbering import assign_order_number
from services.tickets import issue_tickets

_counter = itertools.count(1)


def make_show(*, title_he: str = "רביד פלוטניק – הופעה חיה", title_en: str = "Ravid Plotnik Live",
              slug: str = "ravid-plotnik", price: int = 16900) -> tuple[int, int]:
    """A show (with a real image from assets/shows) and one tier; returns (show id, tier id)."""
    starts = clock.venue_datetime(2026, 12, 3, 21, 0).astimezone(clock.VENUE_TZ)
    with transaction() as session:
        show = Show(slug=f"{slug}-{next(_counter)}", title_he=title_he, title_en=title_en, artist="Ravid Plotnik",
                    image=f"/shows/{slug}.jpg", starts_at=starts, doors_at=starts - timedelta(hours=1), capacity=500)
        session.add(show)
        session.flush()
        tier = TicketTier(show_id=show.id, name_he="כרטיס רגיל", name_en="Regular", price=price, allocation=500)
        session.add(tier)
        session.flush()
        return show.id, tier.id


def make_paid_order(show: tuple[int, int], *, quantity: int = 2, language: str = "he", method: str = "email",
                    email: str | None = None, name: str = "נועה לוי") -> tuple[Order, list[int]]:
    """A paid order with its tickets and queued deliveries (not yet dispatched): (order, delivery ids)."""
    show_id, tier_id = show
    with transaction() as session:
        tier = session.get(TicketTier, tier_id)
        order = Order(show_id=show_id, tier_id=tier_id, quantity=quantity, unit_price=tier.price,
                      total=quantity * tier.price, amount_due=quantity * tier.price, name=name,
                      email=email or f"customer{next(_counter)}@example.com", phone="0521234567",
                      delivery_method=method, language=language, status=OrderStatus.PAID, paid_at=clock.now())
        assign_order_number(session, order)
        issue_tickets(session, order)
        ids = queue_order_delivery(session, order)
    return order, ids
