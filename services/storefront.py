"""What the public show page and purchase form display, as plain data in the visitor's language.

The ticket engine (services.ticketing) decides; this module only loads and words its answer, so the
page state holds strings and numbers ready to render.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import select

from services.catalog import artist_name
from services.clock import format_date, format_money, format_time, local, now
from services.db import read_session
from services.errors import NotFound
from services.models import Hold, HoldStatus, SecretLink, Show, TicketTier
from services.ticketing import show_state


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
        expires_at_ms=int(hold.expires_at.timestamp() * 1000), active=active,
    )
