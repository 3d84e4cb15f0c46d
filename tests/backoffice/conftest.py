"""Back-office test helpers: the seeded demo season and a signed-in token per demo role."""

from __future__ import annotations

import pytest
from sqlmodel import select

from services.db import read_session
from services.demo_data import DEMO_STAFF
from services.models import Customer, Order, SecretLink, Show, Ticket, TicketTier
from services.staff.auth import sign_in

ROLES = ("admin", "manager", "box_office", "support")
PASSWORDS = {role: (email, password) for email, _name, role, password in DEMO_STAFF}


@pytest.fixture
def tokens(seeded) -> dict[str, str]:
    """A fresh session token for each demo role."""
    return {role: sign_in(*PASSWORDS[role]).token for role in ROLES}


@pytest.fixture
def world(seeded) -> dict[str, object]:
    """Ids of seeded things the actions act on."""
    with read_session() as session:
        order = session.exec(select(Order).order_by(Order.id)).first()
        ticket = session.exec(select(Ticket).where(Ticket.order_id == order.id)).first()
        link = session.exec(select(SecretLink)).first()
        show = session.get(Show, order.show_id)
        tier = session.exec(select(TicketTier).where(TicketTier.show_id == show.id)).first()
        customer = session.get(Customer, order.customer_id)
    return {"order": order.number, "order_id": order.id, "ticket": ticket.id, "link": link.id, "show": show.id,
            "tier": tier.id, "customer": customer.id, "phone": customer.phone, "email": customer.email}
