"""What the public site lists: upcoming public shows, as plain data ready to show in either language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz
from sqlmodel import select

from services.clock import VENUE_TZ, format_date, format_money, format_time, now
from services.db import read_session
from services.models import Show, ShowStatus, TicketTier

LISTED_STATUSES = (ShowStatus.ACTIVE, ShowStatus.CLOSED)


@dataclass(frozen=True)
class ShowCard:
    """One show as a card on the homepage."""

    slug: str
    title: str
    artist: str
    image: str
    date: str
    doors: str
    starts: str
    seating: str
    price_from: str
    featured: bool
    search_text: str = ""


def artist_name(show: Show, language: str) -> str:
    """Artists are stored as "עברית / English"; each language shows its own half."""
    he, _, en = show.artist.partition(" / ")
    return (he if language == "he" else en or he).strip()


def upcoming_shows(language: str = "he", *, at: datetime | None = None) -> list[ShowCard]:
    """Public, not-yet-started shows in date order, with their lowest public price."""
    moment = at or now()
    with read_session() as session:
        shows = session.exec(
            select(Show)
            .where(Show.is_public, Show.starts_at > moment, Show.status.in_(LISTED_STATUSES))
            .order_by(Show.starts_at)
        ).all()
        tiers = session.exec(
            select(TicketTier).where(TicketTier.show_id.in_([s.id for s in shows]), TicketTier.is_public)
        ).all()
    lowest: dict[int, int] = {}
    for tier in tiers:
        lowest[tier.show_id] = min(tier.price, lowest.get(tier.show_id, tier.price))
    return [
        ShowCard(
            slug=show.slug,
            title=show.title_he if language == "he" else show.title_en,
            artist=artist_name(show, language),
            image=show.image,
            date=format_date(show.starts_at, language),
            doors=format_time(show.doors_at),
            starts=format_time(show.starts_at),
            seating=show.seating.value,
            price_from=format_money(lowest[show.id]) if show.id in lowest else "",
            featured=show.featured,
            search_text=_search_text(show),
        )
        for show in shows
    ]


def _search_text(show: Show) -> str:
    """Everything a visitor might type to find a show, in both languages, lower-cased."""
    starts = show.starts_at.astimezone(VENUE_TZ)
    return " ".join([show.title_he, show.title_en, show.artist, f"{starts:%d.%m.%Y}", f"{starts:%d/%m}"]).lower()


SEARCH_THRESHOLD = 75


def filter_shows(cards: list[ShowCard], query: str) -> list[ShowCard]:
    """The cards matching `query`: typo-tolerant (rapidfuzz partial ratio), best match first.

    rapidfuzz rather than hand-written edit distance: fast C++ and Unicode-clean, so Hebrew works too.
    """
    needle = " ".join(query.lower().split())
    if not needle:
        return cards
    scored = [(fuzz.partial_ratio(needle, card.search_text), index, card) for index, card in enumerate(cards)]
    return [card for score, _index, card in sorted(scored, key=lambda item: (-item[0], item[1]))
            if score >= SEARCH_THRESHOLD]
