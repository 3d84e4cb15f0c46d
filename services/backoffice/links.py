"""Secret links: private ways into a show with their own tier or price, quantity, allocation,
validity and campaign label. Staff get the URL to copy and the sales each link made."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlmodel import func, select

from services import audit
from services.backoffice import forms
from services.clock import format_money
from services.db import read_session, transaction
from services.errors import NotFound, ValidationFailed
from services.models import Order, OrderStatus, SecretLink, Show, StaffUser, TicketTier
from services.settings import get_settings
from services.staff.access import guarded

PAID = (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED)


@dataclass(frozen=True)
class LinkRow:
    id: int
    url: str
    tier: str
    price: str
    max_per_order: int
    allocation: int
    sold: int
    held: int
    orders: int
    revenue: str
    valid_from: str
    valid_until: str
    campaign: str
    active: bool


def link_url(token: str) -> str:
    return f"{get_settings().public_base_url.rstrip('/')}/s/{token}"


@guarded("links.manage")
def list_links(staff: StaffUser, show_id: int) -> list[LinkRow]:
    """Every link of a show with its URL and its sales so far (paid orders through it)."""
    with read_session() as session:
        links = session.exec(select(SecretLink).where(SecretLink.show_id == show_id).order_by(SecretLink.id)).all()
        tiers = {t.id: t for t in session.exec(select(TicketTier).where(TicketTier.show_id == show_id))}
        sales = dict.fromkeys([link.id for link in links], (0, 0))
        if links:
            rows = session.exec(
                select(Order.secret_link_id, func.count(), func.coalesce(func.sum(Order.total), 0))
                .where(Order.secret_link_id.in_(list(sales)), Order.status.in_(PAID))
                .group_by(Order.secret_link_id)
            ).all()
            sales.update({link_id: (count, total) for link_id, count, total in rows})
    return [
        LinkRow(
            id=link.id, url=link_url(link.token), tier=tiers[link.tier_id].name_en if link.tier_id in tiers else "?",
            price=format_money(link.price if link.price is not None else tiers[link.tier_id].price),
            max_per_order=link.max_per_order, allocation=link.allocation, sold=link.sold, held=link.held,
            orders=sales[link.id][0], revenue=format_money(sales[link.id][1]),
            valid_from=forms.venue_input(link.valid_from), valid_until=forms.venue_input(link.valid_until),
            campaign=link.campaign, active=link.active,
        )
        for link in links
    ]


@guarded("links.manage")
def create_link(staff: StaffUser, show_id: int, values: dict[str, str]) -> str:
    """A new active link with an unguessable token; returns the URL to copy."""
    valid_from = forms.venue_moment(values.get("valid_from"), "valid_from", "Valid from", optional=True)
    valid_until = forms.venue_moment(values.get("valid_until"), "valid_until", "Valid until", optional=True)
    if valid_from and valid_until and valid_until <= valid_from:
        raise ValidationFailed("valid_until", "A link must end after it starts.", "הקישור חייב להסתיים אחרי שהוא מתחיל.")
    price_text = (values.get("price") or "").strip()
    allocation = forms.whole_number(values.get("allocation"), "allocation", "Allocation", minimum=1)
    max_per_order = forms.whole_number(values.get("max_per_order") or "2", "max_per_order", "Max per order", minimum=1)
    campaign = forms.text(values.get("campaign"), "campaign", "Campaign label", required=False, max_length=120)
    tier_id = forms.whole_number(values.get("tier_id"), "tier_id", "Tier", minimum=1)
    with transaction() as session:
        show = session.get(Show, show_id)
        tier = session.get(TicketTier, tier_id)
        if show is None:
            raise NotFound("This show does not exist.", "המופע אינו קיים.")
        if tier is None or tier.show_id != show_id:
            raise ValidationFailed("tier_id", "Choose one of this show's tiers.", "נא לבחור סוג כרטיס של מופע זה.")
        if allocation > show.capacity:
            raise ValidationFailed("allocation", f"The allocation cannot exceed the show's capacity ({show.capacity}).")
        link = SecretLink(
            token=secrets.token_urlsafe(12), show_id=show_id, tier_id=tier_id,
            price=forms.agorot(price_text, "price") if price_text else None, max_per_order=max_per_order,
            allocation=allocation, valid_from=valid_from, valid_until=valid_until or show.starts_at,
            campaign=campaign, created_by_id=staff.id,
        )
        session.add(link)
        session.flush()
        audit.record(session, actor_type="staff", actor_id=staff.id, action="link.create", entity_type="show",
                     entity_id=show_id, link_id=link.id, campaign=campaign, allocation=allocation)
        return link_url(link.token)


@guarded("links.manage")
def set_link_active(staff: StaffUser, link_id: int, active: bool) -> None:
    """Disable (or re-enable) a link; tickets already bought through it stay valid."""
    with transaction() as session:
        link = session.get(SecretLink, link_id)
        if link is None:
            raise NotFound("This secret link does not exist.", "הקישור אינו קיים.")
        link.active = active
        audit.record(session, actor_type="staff", actor_id=staff.id, action="link.enable" if active else "link.disable",
                     entity_type="show", entity_id=link.show_id, link_id=link_id)
