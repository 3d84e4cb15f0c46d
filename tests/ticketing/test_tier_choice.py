"""The show page offers every tier the engine allows, with its price, per-tier quantities and a "few left" hint."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from services import clock
from services.db import read_session, transaction
from services.errors import BarbyError, NotAllowed, SoldOut, ValidationFailed
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


def _counters(made) -> tuple[int, ...]:
    """Every counter a hold would move: the show's and each tier's `held` and `sold`."""
    with read_session() as session:
        show = session.get(Show, made.show.id)
        tiers = [session.get(TicketTier, t.id) for t in made.tiers.values()]
        return (show.held, show.sold, *(n for t in tiers for n in (t.held, t.sold)))


def test_a_tier_outside_its_window_is_not_offered_and_choosing_it_names_it(show_factory) -> None:
    now = clock.now()
    made = show_factory(capacity=300, tiers={
        "Early bird": {"kind": "early_bird", "name_he": "ציפור מוקדמת", "allocation": 100,
                       "sale_ends_at": now - timedelta(days=1)},
        "Hall": {"name_he": "אולם", "allocation": 100},
        "VIP": {"name_he": "VIP", "price": 30000, "allocation": 100, "sale_starts_at": now + timedelta(days=2)},
    })
    assert [o.name for o in show_page(slug=made.show.slug, language="en").offers] == ["Hall"]
    before = _counters(made)
    with pytest.raises(NotAllowed) as refused:
        take_hold(show_id=made.show.id, tier_id=made.tiers["Early bird"].id, quantity=2)
    assert refused.value.message_en == "Early bird tickets are not on sale right now; please choose another ticket type."
    assert refused.value.message_he == "כרטיסים מסוג ציפור מוקדמת אינם במכירה כרגע; נא לבחור סוג כרטיס אחר."
    with pytest.raises(NotAllowed, match="VIP tickets are not on sale right now"):
        take_hold(show_id=made.show.id, tier_id=made.tiers["VIP"].id, quantity=1)
    assert _counters(made) == before
    with read_session() as session:
        assert session.exec(select(Hold)).first() is None


def test_choosing_a_sold_out_tier_names_it_and_changes_nothing(show_factory) -> None:
    made = show_factory(capacity=200, tiers={"Hall": {"name_he": "אולם", "allocation": 120},
                                             "Balcony": {"name_he": "יציע", "allocation": 80, "sold": 80}})
    assert [o.name for o in show_page(slug=made.show.slug, language="en").offers] == ["Hall"]
    before = _counters(made)
    with pytest.raises(SoldOut) as refused:
        take_hold(show_id=made.show.id, tier_id=made.tiers["Balcony"].id, quantity=1)
    assert refused.value.message_en == "Balcony tickets are sold out; please choose another ticket type."
    assert refused.value.message_he == "הכרטיסים מסוג יציע אזלו; נא לבחור סוג כרטיס אחר."
    assert _counters(made) == before


def test_quantity_is_bounded_per_tier(seeded) -> None:
    """The demo's early bird (8 left, 4 per customer) beside the regular tier (6 per order)."""
    en = {o.name: o for o in show_page(slug="red-axes-night", language="en").offers}
    assert [(name, o.price, o.few_left) for name, o in en.items()] == [
        ("Early bird", "₪89", "Only 8 left"), ("Regular", "₪119", "")]
    assert en["Early bird"].quantities == ["1", "2", "3", "4"]
    assert en["Regular"].quantities == ["1", "2", "3", "4", "5", "6"]
    he = show_page(slug="red-axes-night", language="he").offers
    assert [(o.name, o.few_left) for o in he] == [("ציפור מוקדמת", "נותרו 8 כרטיסים בלבד"), ("כרטיס רגיל", "")]

    early, regular = (_tier("red-axes-night", name) for name in ("Early bird", "Regular"))
    with pytest.raises(ValidationFailed, match="at most 4"):
        take_hold(show_id=early.show_id, tier_id=early.id, quantity=5)
    with pytest.raises(ValidationFailed, match="at most 6"):
        take_hold(show_id=regular.show_id, tier_id=regular.id, quantity=7)
    with transaction() as session:  # three early-bird tickets left: asking for four says how many, of which tier
        row = session.get(TicketTier, early.id)
        session.get(Show, row.show_id).sold += 5
        row.sold += 5
    with pytest.raises(SoldOut) as refused:
        take_hold(show_id=early.show_id, tier_id=early.id, quantity=4)
    assert refused.value.message_en == "Only 3 Early bird tickets are left."
    assert refused.value.message_he == "נותרו 3 כרטיסים בלבד מסוג ציפור מוקדמת."
    hold = take_hold(show_id=regular.show_id, tier_id=regular.id, quantity=6)
    assert (hold.tier_id, hold.unit_price, hold.quantity) == (regular.id, 11900, 6)


def test_a_secret_link_on_a_public_tier_lists_that_tier_once_at_the_link_price(show_factory) -> None:
    made = show_factory(capacity=200, tiers={"Hall": {"name_he": "אולם", "allocation": 120},
                                             "Balcony": {"name_he": "יציע", "allocation": 80, "price": 14900}},
                        link={"tier": "Balcony", "token": "balcony-friends", "price": 9900, "allocation": 5,
                              "max_per_order": 2, "campaign": "Friends"})
    public = show_page(slug=made.show.slug, language="en")
    assert [(o.name, o.price, o.secret) for o in public.offers] == [("Hall", "₪100", False), ("Balcony", "₪149", False)]
    linked = show_page(secret_token="balcony-friends", language="en")
    assert [(o.name, o.price, o.secret, o.few_left, o.quantities) for o in linked.offers] == [
        ("Balcony", "₪99", True, "Only 5 left", ["1", "2"]), ("Hall", "₪100", False, "", [str(n) for n in range(1, 7)])]
    hold = take_hold(show_id=made.show.id, tier_id=made.tiers["Balcony"].id, quantity=2, secret_token="balcony-friends")
    assert (hold.unit_price, hold.secret_link_id) == (9900, made.link.id)
    hall = take_hold(show_id=made.show.id, tier_id=made.tiers["Hall"].id, quantity=1, secret_token="balcony-friends")
    assert (hall.unit_price, hall.secret_link_id) == (10000, None)
