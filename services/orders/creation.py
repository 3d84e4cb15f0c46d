"""Creating an order from a hold (one order per request key and per hold), and opening its payment page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from services import audit
from services.customers import normalize_email, normalize_phone, upsert_customer, validate_israeli_id
from services.db import read_session, transaction
from services.errors import NotAllowed, NotFound, ValidationFailed
from services.giftcards import redemption
from services.models import (
    DeliveryMethod,
    Hold,
    HoldStatus,
    Order,
    OrderKind,
    OrderStatus,
    Payment,
    Show,
    utcnow,
)
from services.order_access import return_url
from services.orders.common import (
    get_order_by_number,
)
from services.orders.numbering import assign_order_number
from services.payments import (
    PageRequest,
    callback_url,
    get_provider,
)
from services.ticketing import claim_hold_for_customer


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    phone: str
    id_number: str
    delivery_method: DeliveryMethod
    language: str


def create_ticket_order(
    *,
    hold_token: str,
    name: str,
    email: str,
    phone: str,
    id_number: str,
    delivery_method: str,
    language: str,
    idempotency_key: str,
    gift_cards: list[tuple[str, int]] | None = None,
) -> Order:
    """A PENDING_PAYMENT order for the hold's tickets; the same key (or hold) gives back the same order.

    `gift_cards` is the split the buyer was shown, (code, agorot) per card: those amounts are reserved on
    the cards in the order's transaction and only the rest is left for the payment provider.
    """
    contact = validated_contact(name, email, phone, id_number, delivery_method, language)
    return create_once(idempotency_key, lambda: _insert_order(hold_token, contact, idempotency_key, gift_cards or []))


def create_once(idempotency_key: str, insert: Callable[[], Order]) -> Order:
    """Run `insert` at most once per request key: a repeat (or a concurrent twin) gets the first order back."""
    if not idempotency_key or len(idempotency_key) > 64:
        raise ValidationFailed("idempotency_key", "A request key of up to 64 characters is required.")
    for _attempt in range(2):  # a concurrent twin may win the insert; then we return its order
        existing = _order_by_key(idempotency_key)
        if existing is not None:
            return existing
        try:
            return insert()
        except IntegrityError:
            continue
    existing = _order_by_key(idempotency_key)
    if existing is None:
        raise NotAllowed("The order could not be created; please try again.", "לא ניתן ליצור את ההזמנה, נסו שוב.")
    return existing


def validated_contact(
    name: str, email: str, phone: str, id_number: str, delivery_method: str, language: str
) -> Contact:
    clean_name = " ".join((name or "").split())
    if len(clean_name) < 2 or len(clean_name) > 200:
        raise ValidationFailed("name", "Please enter your full name.", "נא להזין שם מלא.")
    try:
        method = DeliveryMethod(delivery_method)
    except ValueError as exc:
        raise ValidationFailed("delivery_method", "Choose email or SMS.", "יש לבחור דוא״ל או SMS.") from exc
    return Contact(
        name=clean_name,
        email=normalize_email(email),
        phone=normalize_phone(phone),
        id_number=validate_israeli_id(id_number) if (id_number or "").strip() else "",
        delivery_method=method,
        language=language if language in ("he", "en") else "he",
    )


def _order_by_key(key: str) -> Order | None:
    with read_session() as session:
        return session.exec(select(Order).where(Order.idempotency_key == key)).first()


def _insert_order(hold_token: str, contact: Contact, key: str, gift_cards: list[tuple[str, int]]) -> Order:
    now = utcnow()
    with transaction() as session:
        hold = session.exec(select(Hold).where(Hold.token == hold_token).with_for_update()).first()
        if hold is None:
            raise NotFound("Your reservation was not found.", "ההזמנה השמורה לא נמצאה.")
        same_hold = session.exec(
            select(Order).where(Order.hold_id == hold.id, Order.status == OrderStatus.PENDING_PAYMENT)
        ).first()
        if same_hold is not None:
            return same_hold  # a double-click with a fresh key: still one order per hold
        if hold.status != HoldStatus.ACTIVE or hold.expires_at <= now:
            raise NotAllowed("Your reservation has expired.", "זמן שמירת הכרטיסים הסתיים.")
        if session.exec(select(Order.id).where(Order.hold_id == hold.id)).first() is not None:
            # One hold backs one order, ever: after a failed or cancelled order the buyer takes a new hold.
            raise NotAllowed("Your reservation was already used; please choose your tickets again.",
                             "ההזמנה השמורה כבר נוצלה; נא לבחור כרטיסים מחדש.")
        claim_hold_for_customer(session, hold, contact.email, now=now)
        customer = upsert_customer(
            session, email=contact.email, name=contact.name, phone=contact.phone,
            id_number=contact.id_number, language=contact.language,
        )
        total = hold.quantity * hold.unit_price
        order = Order(
            kind=OrderKind.TICKETS, customer_id=customer.id, show_id=hold.show_id, tier_id=hold.tier_id,
            hold_id=hold.id, secret_link_id=hold.secret_link_id, quantity=hold.quantity,
            unit_price=hold.unit_price, total=total, amount_due=total, currency="ILS",
            name=contact.name, email=contact.email, phone=contact.phone, id_number=contact.id_number,
            delivery_method=contact.delivery_method, language=contact.language, idempotency_key=key,
        )
        assign_order_number(session, order)
        apply_gift_cards(session, order, gift_cards, now)
        audit.record(session, actor_type="customer", action="order.created", entity_type="order",
                     entity_id=order.id, number=order.number, total=total, gift_cards=order.gift_card_amount)
        return order


def apply_gift_cards(session: Session, order: Order, uses: list[tuple[str, int]], now: datetime) -> None:
    """Reserve the buyer's gift-card split on a new order; the provider is asked only for the rest."""
    if sum(amount for _code, amount in uses) > order.total:
        raise ValidationFailed("gift_card", "The gift cards cover more than the order's total.",
                               "כרטיסי המתנה מכסים יותר מסכום ההזמנה.")
    reserved = redemption.reserve(session, order_id=order.id, uses=uses, now=now)
    order.gift_card_amount, order.amount_due = reserved, order.total - reserved
    session.add(order)

def start_payment(order_number: str) -> str:
    """The provider's hosted page for this order; a new page request each time it is asked."""
    order = get_order_by_number(order_number)
    if order.status != OrderStatus.PENDING_PAYMENT or order.amount_due <= 0:
        raise NotAllowed("This order is not waiting for payment.", "ההזמנה אינה ממתינה לתשלום.")
    _require_live_hold(order)
    provider = get_provider()
    page = provider.create_payment_page(PageRequest(
        order_number=order.number, amount=order.amount_due, currency=order.currency,
        customer_name=order.name, email=order.email, phone=order.phone, language=order.language,
        description=_description(order), success_url=return_url(order.number, "success"),
        failure_url=return_url(order.number, "failure"), callback_url=callback_url(provider.name),
    ))
    with transaction() as session:
        known = session.exec(select(Payment).where(
            Payment.order_id == order.id, Payment.page_request_uid == page.page_request_uid)).first()
        if known is None:
            session.add(Payment(order_id=order.id, provider=provider.name, page_request_uid=page.page_request_uid,
                                amount=order.amount_due, currency=order.currency))
    return page.url


def _require_live_hold(order: Order) -> None:
    with read_session() as session:
        hold = session.get(Hold, order.hold_id) if order.hold_id else None
    if order.kind == OrderKind.TICKETS and (hold is None or hold.status != HoldStatus.ACTIVE or hold.expires_at <= utcnow()):
        raise NotAllowed("Your reservation has expired.", "זמן שמירת הכרטיסים הסתיים.")


def _description(order: Order) -> str:
    with read_session() as session:
        show = session.get(Show, order.show_id) if order.show_id else None
    title = (show.title_he if order.language == "he" else show.title_en) if show else "Barby"
    return f"{title} × {order.quantity}"
