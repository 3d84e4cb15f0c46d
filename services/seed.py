"""Fill the database with the demo season. Idempotent: a second run changes nothing.

Usage: python -m services.seed
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from services.clock import VENUE_TZ
from services.customers import upsert_customer
from services.db import transaction
from services.demo_data import DEMO_CUSTOMERS, DEMO_GIFT_CARDS, DEMO_SHOWS, DEMO_STAFF
from services.giftcards import expiry_for, format_code
from services.giftcards.ledger import move
from services.models import (
    GiftCard,
    GiftCardStatus,
    Order,
    OrderKind,
    OrderStatus,
    SecretLink,
    Show,
    StaffUser,
    TicketTier,
)
from services.orders.numbering import assign_order_number
from services.security import hash_password
from services.settings import get_settings
from services.tickets import issue_tickets


def _local_day(days: int, hour: int, now: datetime) -> datetime:
    day = (now.astimezone(VENUE_TZ) + timedelta(days=days)).date()
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=VENUE_TZ).astimezone(UTC)


def _offset(days: int | None, now: datetime) -> datetime | None:
    return None if days is None else now + timedelta(days=days)


def seed_shows(session: Session, now: datetime) -> int:
    created = 0
    for spec in DEMO_SHOWS:
        if session.exec(select(Show).where(Show.slug == spec["slug"])).first():
            continue
        starts = _local_day(spec["days"], spec["hour"], now)
        show = Show(
            slug=spec["slug"], title_he=spec["title_he"], title_en=spec["title_en"],
            artist=f"{spec['artist_he']} / {spec['artist_en']}",
            description_he=spec["description_he"], description_en=spec["description_en"],
            image=f"/shows/{spec['slug']}.jpg", starts_at=starts, doors_at=starts - timedelta(hours=1),
            seating=spec.get("seating", "standing"), capacity=spec["capacity"], is_public=spec.get("public", True),
            status=spec.get("status", "active"), featured=spec.get("featured", False),
            waiting_list_enabled=spec.get("waiting_list", False), max_per_order=6, min_age=spec["min_age"],
        )
        session.add(show)
        session.flush()
        tiers = {}
        for order, (kind, name_he, name_en, price, allocation, opens, closes, public) in enumerate(spec["tiers"]):
            tier = TicketTier(
                show_id=show.id, kind=kind, name_he=name_he, name_en=name_en, price=price * 100,
                allocation=allocation, sale_starts_at=_offset(opens, now),
                sale_ends_at=min(_offset(closes, now), starts) if closes is not None else starts,
                per_customer_limit=4 if kind in ("presale", "early_bird") else None,
                is_public=public, sort_order=order,
            )
            session.add(tier)
            tiers.setdefault(kind, tier)
        session.flush()
        for kind, count in spec.get("sold", {}).items():
            tiers[kind].sold += count
            show.sold += count
        if link := spec.get("secret_link"):
            session.add(SecretLink(
                token=link["token"], show_id=show.id, tier_id=tiers[link["tier"]].id,
                allocation=link["allocation"], max_per_order=link["max_per_order"], campaign=link["campaign"],
                valid_until=starts,
            ))
        created += 1
    return created


def seed_staff(session: Session) -> int:
    created = 0
    for email, name, role, password in DEMO_STAFF:
        if session.exec(select(StaffUser).where(StaffUser.email == email)).first():
            continue
        session.add(StaffUser(email=email, name=name, role=role, password_hash=hash_password(password)))
        created += 1
    return created


def seed_orders(session: Session, now: datetime) -> int:
    """Two paid orders per demo customer on shows with sales, so the back office has history."""
    if session.exec(select(Order).limit(1)).first():
        return 0
    sold_shows = [s for s in session.exec(select(Show).order_by(Show.starts_at)).all() if s.sold > 0]
    created = 0
    for index, (email, name, phone, id_number) in enumerate(DEMO_CUSTOMERS):
        customer = upsert_customer(session, email=email, name=name, phone=phone, id_number=id_number)
        for show in sold_shows[index : index + 2]:
            tier = session.exec(select(TicketTier).where(TicketTier.show_id == show.id, TicketTier.sold >= 2)).first()
            if tier is None:
                continue
            order = Order(
                customer_id=customer.id, show_id=show.id, tier_id=tier.id, quantity=2, unit_price=tier.price,
                total=2 * tier.price, amount_due=2 * tier.price, name=customer.name, email=email, phone=phone,
                id_number=id_number, status=OrderStatus.PAID, paid_at=now - timedelta(days=3 + index),
                created_at=now - timedelta(days=3 + index),
            )
            assign_order_number(session, order)
            issue_tickets(session, order)  # counted in the show's seeded `sold`
            created += 1
    return created


def seed_gift_cards(session: Session, now: datetime) -> int:
    """Cards fresh, partly used, fully used, expired and scheduled, each bought by a paid order.

    The money moves through the same ledger as real cards: an issue, then "reserve" rows for what
    orders took, so the balance always equals the ledger.
    """
    created = 0
    for spec in DEMO_GIFT_CARDS:
        if session.exec(select(GiftCard).where(GiftCard.code == spec["code"])).first():
            continue
        issued = now - timedelta(days=spec["issued_days"])
        buyer = upsert_customer(session, email="yossi.cohen@example.com", name="יוסי כהן", phone="0547654321",
                                id_number="", language="he")
        order = Order(kind=OrderKind.GIFT_CARD, status=OrderStatus.PAID, customer_id=buyer.id, quantity=1,
                      unit_price=spec["amount"], total=spec["amount"], amount_due=spec["amount"], name=buyer.name,
                      email=buyer.email, phone=buyer.phone, created_at=issued, paid_at=issued, updated_at=issued)
        assign_order_number(session, order)
        card = GiftCard(code=spec["code"], initial_amount=spec["amount"], balance=0, status=GiftCardStatus.ACTIVE,
                        purchase_order_id=order.id, buyer_customer_id=buyer.id, recipient_name=spec["recipient_name"],
                        recipient_email=spec["recipient_email"], message=spec["message"], language="he",
                        issued_at=issued, expires_at=expiry_for(issued), created_at=issued,
                        send_at=now + timedelta(days=spec["send_in_days"]) if spec.get("send_in_days") else None)
        session.add(card)
        session.flush()
        move(session, card, "issue", spec["amount"], now=issued, order_id=order.id, note="demo")
        if spec["spent"]:
            move(session, card, "reserve", -spec["spent"], now=issued + timedelta(days=1), note="demo: spent at the box office")
        created += 1
    return created


def seed(now: datetime | None = None) -> dict[str, int]:
    """Create whatever of the demo season is missing; returns how many of each were created.

    Refused in production: the demo staff accounts have passwords printed in this repository.
    """
    if get_settings().environment == "production":
        raise SystemExit("services.seed creates demo staff with published passwords: never run it in production")
    now = now or datetime.now(UTC)
    with transaction() as session:
        return {
            "shows": seed_shows(session, now),
            "staff": seed_staff(session),
            "orders": seed_orders(session, now),
            "gift_cards": seed_gift_cards(session, now),
        }


def main() -> None:
    created = seed()
    print("Demo data:", ", ".join(f"{count} new {what}" for what, count in created.items()))
    print("Staff sign-in at /admin (demo passwords):")
    for email, _name, role, password in DEMO_STAFF:
        print(f"  {role:<11} {email:<24} {password}")
    print("Demo gift cards (check at /gift-cards/balance with the recipient's email):")
    for spec in DEMO_GIFT_CARDS:
        print(f"  {format_code(spec['code'])}  ₪{(spec['amount'] - spec['spent']) // 100:<4} {spec['recipient_email']}")
    print("Secret link: /s/ravid-friends-2026")


if __name__ == "__main__":
    main()
