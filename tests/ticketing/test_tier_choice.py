"""The show page offers every tier the engine allows, with its price, per-tier quantities and a "few left" hint."""

from __future__ import annotations

import pytest
from sqlmodel import select

from services.db import read_session, transaction
from services.errors import BarbyError
from services.models import Hold, Show, TicketTier
from services.storefront import show_page
from services.ticketing import take_hold


def _tier(slug: str, name_en: str) -> TicketTier:
    with read_session() as session:
        show = session.exec(select(Show).where(Show.slug == slug)).one()
        return session.exec(select(TicketTier).where(TicketTier.show_id == show.id,
                                                     TicketTier.name_en == name_en)).one()


def test_hall_and_balcony_are_both_offered_with_their_prices(seeded) -> None:
    page = show_page(slug="marina-maximilian", language="en")
    assert [(o.name, o.price) for o in page.offers] == [("Hall", "₪179"), ("Balcony", "₪149")]
    assert all(o.quantities == [str(n) for n in range(1, 7)] and o.few_left == "" for o in page.offers)
    assert [o.name for o in show_page(slug="marina-maximilian", language="he").offers] == ["אולם", "יציע"]


def test_a_tier_with_few_left_says_so_and_bounds_the_quantity(seeded) -> None:
    balcony = _tier("marina-maximilian", "Balcony")
    with transaction() as session:
        row = session.get(TicketTier, balcony.id)
        row.sold = row.allocation - 3
        session.get(Show, row.show_id).sold += row.sold
    offers = {o.name: o for o in show_page(slug="marina-maximilian", language="en").offers}
    assert offers["Balcony"].few_left == "Only 3 left" and offers["Balcony"].quantities == ["1", "2", "3"]
    assert offers["Hall"].few_left == ""


def test_a_sold_out_tier_is_not_offered(seeded) -> None:
    balcony = _tier("marina-maximilian", "Balcony")
    with transaction() as session:
        row = session.get(TicketTier, balcony.id)
        row.sold = row.allocation
        session.get(Show, row.show_id).sold += row.sold
    assert [o.name for o in show_page(slug="marina-maximilian", language="en").offers] == ["Hall"]


def test_a_tier_the_engine_does_not_offer_is_refused_and_nothing_is_held(seeded) -> None:
    presale_closed = _tier("marina-maximilian", "Balcony")
    with transaction() as session:
        session.get(TicketTier, presale_closed.id).is_public = False  # not offered to the public any more
    assert [o.name for o in show_page(slug="marina-maximilian", language="en").offers] == ["Hall"]
    with pytest.raises(BarbyError) as refused:
        take_hold(show_id=presale_closed.show_id, tier_id=presale_closed.id, quantity=2)
    assert refused.value.message_en and refused.value.message_he
    with read_session() as session:
        assert session.exec(select(Hold)).first() is None
