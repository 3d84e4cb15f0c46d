"""In-memory shows, tiers and links for the pure state function (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.models import SecretLink, Show, TicketTier

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def show(**overrides) -> Show:
    values = {"id": 1, "slug": "test-show", "title_he": "מופע", "title_en": "Show", "artist": "Artist",
              "starts_at": NOW + 30 * DAY, "doors_at": NOW + 30 * DAY - timedelta(hours=1), "capacity": 700,
              "sold": 0, "held": 0, "is_public": True, "status": "active", "waiting_list_enabled": False,
              "max_per_order": 6, "seating": "standing"}
    values.update(overrides)
    return Show(**values)


def tier(tier_id: int, kind: str = "regular", *, price: int = 15900, allocation: int = 100, sold: int = 0,
         held: int = 0, opens: timedelta | None = None, closes: timedelta | None = None, public: bool = True,
         limit: int | None = None, order: int | None = None, show_id: int = 1) -> TicketTier:
    """A tier whose window opens/closes at NOW + the given offsets (None = open-ended)."""
    return TicketTier(id=tier_id, show_id=show_id, kind=kind, name_he=f"כרטיס {kind}", name_en=kind.title(),
                      price=price, allocation=allocation, sold=sold, held=held,
                      sale_starts_at=None if opens is None else NOW + opens,
                      sale_ends_at=None if closes is None else NOW + closes,
                      per_customer_limit=limit, is_public=public, sort_order=tier_id if order is None else order)


def link(link_id: int = 1, *, tier_id: int, price: int | None = None, allocation: int = 40, sold: int = 0,
         held: int = 0, max_per_order: int = 2, valid_from: timedelta | None = None,
         valid_until: timedelta | None = None, active: bool = True, show_id: int = 1,
         campaign: str = "Partners") -> SecretLink:
    return SecretLink(id=link_id, token=f"token-{link_id}", show_id=show_id, tier_id=tier_id, price=price,
                      allocation=allocation, sold=sold, held=held, max_per_order=max_per_order,
                      valid_from=None if valid_from is None else NOW + valid_from,
                      valid_until=None if valid_until is None else NOW + valid_until, active=active,
                      campaign=campaign)
