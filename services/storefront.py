"""What the public show page and purchase form display, as plain data in the visitor's language.

The ticket engine (services.ticketing) decides; this module only loads and words its answer, so the
page state holds strings and numbers ready to render.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlmodel import select

from services.catalog import artist_name
from services.clock import format_date, format_money, format_time, local, now
from services.db import read_session
from services.errors import BarbyError, NotFound
from services.models import (
    Delivery,
    DeliveryStatus,
    Hold,
    HoldStatus,
    OrderKind,
    OrderStatus,
    SecretLink,
    Show,
    TicketTier,
)
from services.order_access import valid_order_key
from services.ticketing import TierOffer, show_state

FEW_LEFT = 10  # "only N left" at or below this many, so a buyer knows to hurry without inventing scarcity


@dataclass
class OfferLine:
    """One tier a visitor may buy now: name, price, how many per order, and a hint when few are left.

    `secret` marks the offer a secret link opened (its own price and allocation), so the page can say so.
    """

    tier_id: int = 0
    name: str = ""
    price: str = ""
    few_left: str = ""
    quantities: list[str] = field(default_factory=list)
    secret: bool = False


FEW_LEFT_TEXT = {"he": "נותרו {n} כרטיסים בלבד", "en": "Only {n} left"}
ONE_LEFT_TEXT = {"he": "נותר כרטיס אחד בלבד", "en": "Only 1 left"}


def few_left_hint(left: int, language: str) -> str:
    """The "only N left" line, or "" while more than FEW_LEFT remain."""
    if left > FEW_LEFT:
        return ""
    return (ONE_LEFT_TEXT if left == 1 else FEW_LEFT_TEXT)["he" if language == "he" else "en"].format(n=left)


def _offer_lines(offers: Sequence[TierOffer], language: str) -> list[OfferLine]:
    """One line per tier, in the engine's order.

    A secret link's holder may be offered the link's tier twice (at the link's price, and publicly);
    the link's offer comes first and is the one `take_hold` picks for that tier, so it is the one shown.
    """
    lines: list[OfferLine] = []
    for offer in offers:
        if offer.max_quantity <= 0 or any(line.tier_id == offer.tier_id for line in lines):
            continue
        lines.append(OfferLine(tier_id=offer.tier_id, name=offer.name_he if language == "he" else offer.name_en,
                               price=format_money(offer.price), few_left=few_left_hint(offer.left, language),
                               quantities=[str(n) for n in range(1, offer.max_quantity + 1)],
                               secret=offer.secret_link_id is not None))
    return lines


@dataclass
class ShowPage:
    """A show page: the show's details and the one action the engine decided for this visitor."""

    slug: str = ""
    show_id: int = 0
    title: str = ""
    artist: str = ""
    description: str = ""
    image: str = ""
    date: str = ""
    doors: str = ""
    starts: str = ""
    seating: str = ""
    age_limit: str = ""  # "18+", or "" when the show has none
    action: str = "unavailable"
    message: str = ""
    tier_id: int = 0
    tier_name: str = ""
    price: str = ""
    max_quantity: int = 0
    opens_at: str = ""
    via_secret_link: bool = False
    link_problem: str = ""
    quantities: list[str] = field(default_factory=list)
    offers: list[OfferLine] = field(default_factory=list)  # every tier the engine allows this visitor now


def _title(show: Show, language: str) -> str:
    return show.title_he if language == "he" else show.title_en


def show_page(*, slug: str | None = None, secret_token: str | None = None, language: str = "he") -> ShowPage:
    """The page for a public slug, or for the show a secret link opens (with the link's offer)."""
    with read_session() as session:
        if secret_token is not None:
            link = session.exec(select(SecretLink).where(SecretLink.token == secret_token)).first()
            if link is None:
                raise NotFound("This link is not valid.", "הקישור אינו תקף.")
            show = session.get(Show, link.show_id)
        else:
            show = session.exec(select(Show).where(Show.slug == slug)).first()
            if show is not None and not show.is_public:
                show = None
        if show is None:
            raise NotFound("We could not find this show.", "לא מצאנו את ההופעה.")
    state = show_state(show.id, secret_token=secret_token)
    return ShowPage(
        slug=show.slug, show_id=show.id, title=_title(show, language), artist=artist_name(show, language),
        description=show.description_he if language == "he" else show.description_en, image=show.image,
        age_limit=f"{show.min_age}+" if show.min_age else "",
        date=format_date(show.starts_at, language), doors=format_time(show.doors_at),
        starts=format_time(show.starts_at), seating=show.seating.value,
        action=state.action, message=state.message(language), tier_id=state.tier_id or 0,
        tier_name=state.tier_name_he if language == "he" else state.tier_name_en,
        price=format_money(state.price) if state.price is not None else "",
        max_quantity=state.max_quantity,
        opens_at=f"{format_date(state.opens_at, language)} {local(state.opens_at):%H:%M}" if state.opens_at else "",
        via_secret_link=state.via == "secret_link" and state.action == "buy",
        link_problem=state.link_problem,
        quantities=[str(n) for n in range(1, state.max_quantity + 1)],
        offers=_offer_lines(state.offers, language) if state.action == "buy" else [],
    )


@dataclass
class CheckoutSummary:
    """The purchase form's header: what is held, for how long, and the total."""

    hold_token: str = ""
    show_slug: str = ""
    title: str = ""
    date: str = ""
    doors: str = ""
    tier_name: str = ""
    unit_price: str = ""
    quantity: int = 0
    total: str = ""
    total_agorot: int = 0
    expires_at_ms: int = 0
    active: bool = False


def checkout_summary(hold_token: str, language: str = "he") -> CheckoutSummary:
    """The hold behind a purchase form; `active` is False once it expired or was released."""
    with read_session() as session:
        hold = session.exec(select(Hold).where(Hold.token == hold_token)).first()
        if hold is None:
            raise NotFound("This reservation does not exist.", "ההזמנה לא נמצאה.")
        show = session.get(Show, hold.show_id)
        tier = session.get(TicketTier, hold.tier_id)
    active = hold.status == HoldStatus.ACTIVE and hold.expires_at > now()
    return CheckoutSummary(
        hold_token=hold.token, show_slug=show.slug, title=_title(show, language),
        date=format_date(show.starts_at, language), doors=format_time(show.doors_at),
        tier_name=tier.name_he if language == "he" else tier.name_en, unit_price=format_money(hold.unit_price),
        quantity=hold.quantity, total=format_money(hold.unit_price * hold.quantity),
        total_agorot=hold.unit_price * hold.quantity, expires_at_ms=int(hold.expires_at.timestamp() * 1000), active=active,
    )


@dataclass
class OrderProgress:
    """What the return page shows: the order's real state, and whether the tickets have gone out."""

    number: str = ""
    found: bool = True
    paid: bool = False
    failed: bool = False
    attention: bool = False
    email: str = ""
    sent: bool = False
    download: str = ""
    gift_card: bool = False  # a gift-card purchase: a receipt went to the buyer, the card to its recipient

    @property
    def final(self) -> bool:
        return not self.found or self.failed or self.attention or (self.paid and self.sent)


FAILED_STATUSES = ("failed", "expired", "cancelled")


def order_progress(number: str, key: str | None) -> OrderProgress:
    """The order's status (asking the provider when still pending) and its confirmation delivery.

    Without the order's return key the answer is "not found", exactly as for a number that does not exist.
    """
    from services.delivery import download_url
    from services.orders import current_order, shows_as_paid

    if not valid_order_key(number, key):
        return OrderProgress(number=number, found=False)
    try:
        order = current_order(number)  # polled every 1.5 s per waiting customer: one read of the order
    except BarbyError:
        return OrderProgress(number=number, found=False)
    with read_session() as session:
        sent = session.exec(select(Delivery.id).where(
            Delivery.order_id == order.id, Delivery.purpose == "confirmation",
            Delivery.status == DeliveryStatus.SENT)).first() is not None
    paid, attention = shows_as_paid(order), bool(order.attention_reason)
    gift_card = order.kind == OrderKind.GIFT_CARD
    return OrderProgress(
        number=number, paid=paid, failed=order.status in FAILED_STATUSES, attention=attention,
        email=order.email, sent=sent, download=download_url(order) if paid and not attention and not gift_card else "",
        gift_card=gift_card,
    )


def abandon_payment(number: str, key: str | None) -> None:
    """The customer came back from the payment page without paying: release the tickets now.

    Only the holder of the return key may do this. If the provider approved meanwhile, cancel_order finds
    the order settled and leaves it; if it approves later, mark-paid still issues the tickets (or flags
    the order for staff when the capacity has gone), so a payment is never lost. A provider outage leaves
    the order to the hold's expiry and the reconciliation job.
    """
    from services.orders import cancel_order, order_by_number
    from services.payments import ProviderError

    order = order_by_number(number) if valid_order_key(number, key) else None
    if order is None or order.status != OrderStatus.PENDING_PAYMENT:
        return
    try:
        cancel_order(order.id, reason="the customer left the payment page without paying")
    except ProviderError:
        return
