"""Buying a gift card: an order of kind gift card, paid through the same provider path as tickets.

The card row is created with the order (pending, no balance) so the code, the recipient and the
delivery date travel with it; paying issues it exactly once (services.orders.settlement._fulfil).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from services import audit
from services.clock import local, venue_datetime
from services.customers import normalize_email, normalize_phone, upsert_customer
from services.db import transaction
from services.errors import ValidationFailed
from services.giftcards import Recipient, create_pending
from services.models import DeliveryMethod, Order, OrderKind, utcnow
from services.orders.creation import Contact, create_once, validated_contact
from services.orders.numbering import assign_order_number
from services.settings import get_settings

MESSAGE_LIMIT = 500
LATEST_SEND = timedelta(days=366)


@dataclass(frozen=True)
class GiftCardRequest:
    """What the gift-card form sends, as typed."""

    amount: str
    buyer_name: str
    buyer_email: str
    buyer_phone: str
    recipient_name: str
    recipient_email: str = ""
    recipient_phone: str = ""
    message: str = ""
    send_at: datetime | None = None  # None: now (or `send_on`)
    send_on: str = ""  # a venue date as the form sends it (YYYY-MM-DD): delivered that morning at 09:00
    delivery: str = "email"  # how the recipient gets it: email, or sms (then email too when given)
    language: str = "he"


def valid_amount(typed: str | int) -> int:
    """Whole shekels within the settings' bounds, as agorot."""
    settings = get_settings()
    low, high = settings.gift_card_min_amount, settings.gift_card_max_amount
    text = str(typed).strip().replace("₪", "").replace(",", "")
    if not (text.isascii() and text.isdigit()) or not low <= int(text) * 100 <= high:
        raise ValidationFailed("amount", f"Choose an amount between ₪{low // 100} and ₪{high // 100}.",
                               f"יש לבחור סכום בין ₪{low // 100} ל־₪{high // 100}.")
    return int(text) * 100


def _recipient(request: GiftCardRequest, now: datetime) -> Recipient:
    name = " ".join((request.recipient_name or "").split())
    if not 2 <= len(name) <= 200:
        raise ValidationFailed("recipient_name", "Please enter the recipient's name.", "נא להזין את שם מקבל/ת המתנה.")
    email = normalize_email(request.recipient_email) if (request.recipient_email or "").strip() else ""
    phone = normalize_phone(request.recipient_phone) if (request.recipient_phone or "").strip() else ""
    if request.delivery == "sms" and not phone:
        raise ValidationFailed("recipient_phone", "Please enter the recipient's mobile number.",
                               "נא להזין את מספר הנייד של מקבל/ת המתנה.")
    if request.delivery != "sms" and not email:
        raise ValidationFailed("recipient_email", "Please enter the recipient's email address.",
                               "נא להזין את כתובת הדוא״ל של מקבל/ת המתנה.")
    message = (request.message or "").strip()
    if len(message) > MESSAGE_LIMIT or "\x00" in message:
        raise ValidationFailed("message", f"The message can be up to {MESSAGE_LIMIT} characters.",
                               f"ההקדשה יכולה להכיל עד {MESSAGE_LIMIT} תווים.")
    send_at = request.send_at or _morning_of(request.send_on)
    if send_at is not None and send_at < now - timedelta(minutes=5):
        raise ValidationFailed("send_at", "The delivery date has already passed: choose today or a later date.",
                               "מועד השליחה כבר עבר: יש לבחור היום או מועד מאוחר יותר.")
    if send_at is not None and send_at > now + LATEST_SEND:
        raise ValidationFailed("send_at", "The card can be scheduled up to a year ahead.",
                               "ניתן לתזמן את הכרטיס עד שנה מראש.")
    return Recipient(name=name, email=email, phone=phone, message=message,
                     send_at=send_at if send_at is not None and send_at > now else None)


def _morning_of(send_on: str) -> datetime | None:
    """09:00 at the venue on the chosen day; today (or a past morning of today) means now."""
    if not (send_on or "").strip():
        return None
    try:
        day = date.fromisoformat(send_on.strip()[:10])
    except ValueError as error:
        raise ValidationFailed("send_at", "Choose a delivery date.", "יש לבחור תאריך שליחה.") from error
    if day == local(utcnow()).date():
        return None
    return venue_datetime(day.year, day.month, day.day, 9, 0)


def create_gift_card_order(request: GiftCardRequest, *, idempotency_key: str) -> Order:
    """A PENDING_PAYMENT gift-card order with its pending card; the same key gives back the same order."""
    amount = valid_amount(request.amount)
    now = utcnow()
    recipient = _recipient(request, now)
    buyer = validated_contact(request.buyer_name, request.buyer_email, request.buyer_phone, "", "email",
                               request.language)
    return create_once(idempotency_key, lambda: _insert(amount, buyer, recipient, idempotency_key, now))


def _insert(amount: int, buyer: Contact, recipient: Recipient, key: str, now: datetime) -> Order:
    with transaction() as session:
        customer = upsert_customer(session, email=buyer.email, name=buyer.name, phone=buyer.phone, id_number="",
                                   language=buyer.language)
        order = Order(kind=OrderKind.GIFT_CARD, customer_id=customer.id, quantity=1, unit_price=amount, total=amount,
                      amount_due=amount, currency="ILS", name=buyer.name, email=buyer.email, phone=buyer.phone,
                      delivery_method=DeliveryMethod.EMAIL, language=buyer.language, idempotency_key=key,
                      created_at=now, updated_at=now)
        assign_order_number(session, order)
        create_pending(session, order_id=order.id, amount=amount, recipient=recipient, language=buyer.language,
                       now=now)
        audit.record(session, actor_type="customer", action="order.created", entity_type="order", entity_id=order.id,
                     number=order.number, total=amount, kind="gift_card")
        return order
