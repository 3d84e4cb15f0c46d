"""Property tests of the pure state function: whatever the counters, windows and access, it never offers
more than is left (tier, show and link together) and never offers a tier outside its sale window.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from services.ticketing import Access, public_state
from services.ticketing.state import is_public_tier, link_left, show_left, tier_left, tier_window
from tests.ticketing.shapes import NOW, link, show, tier

mostly = st.sampled_from([True, True, True, False])
offsets = st.one_of(st.none(), st.integers(-20, 20).map(lambda days: timedelta(days=days)))


@st.composite
def tiers_of(draw, count: int):
    made = []
    for tier_id in range(1, count + 1):
        allocation = draw(st.integers(0, 60))
        sold = draw(st.integers(0, allocation))
        held = draw(st.integers(0, allocation - sold))
        made.append(tier(tier_id, draw(st.sampled_from(["presale", "early_bird", "regular", "internal"])),
                         price=draw(st.integers(0, 30000)), allocation=allocation, sold=sold, held=held,
                         opens=draw(offsets), closes=draw(offsets), public=draw(mostly),
                         limit=draw(st.one_of(st.none(), st.integers(1, 8))), order=draw(st.integers(0, 3))))
    return made


@st.composite
def situations(draw):
    tiers = draw(st.integers(0, 4).flatmap(tiers_of))
    capacity = draw(st.integers(0, 150))
    sold = draw(st.integers(0, capacity // 2) | st.integers(0, capacity))
    the_show = show(capacity=capacity, sold=sold, held=draw(st.integers(0, (capacity - sold) // 4) | st.integers(0, capacity - sold)),
                    status=draw(st.sampled_from(["active"] * 6 + ["closed", "cancelled", "draft"])),
                    is_public=draw(mostly), waiting_list_enabled=draw(st.booleans()),
                    max_per_order=draw(st.integers(1, 10)),
                    starts_at=NOW + timedelta(days=draw(st.integers(-2, 40))))
    taken = {t.id: draw(st.just(0) | st.integers(0, 6)) for t in tiers}
    kind = draw(st.sampled_from(["public", "secret_link", "internal"]))
    if kind == "internal":
        return the_show, tiers, Access.staff()
    if kind == "public" or not tiers:
        return the_show, tiers, Access.public(taken)
    allocation = draw(st.integers(0, 30))
    sold_link = draw(st.integers(0, allocation))
    secret = link(tier_id=draw(st.sampled_from([t.id for t in tiers])), allocation=allocation, sold=sold_link,
                  held=draw(st.integers(0, allocation - sold_link)), max_per_order=draw(st.integers(1, 6)),
                  valid_from=draw(offsets), valid_until=draw(offsets), active=draw(mostly),
                  show_id=draw(st.sampled_from([1, 1, 1, 2])), price=draw(st.one_of(st.none(), st.integers(0, 9999))))
    return the_show, tiers, Access.secret(secret, taken)


@settings(max_examples=600, deadline=None)
@given(situations())
def test_never_offers_more_than_is_left(situation) -> None:
    the_show, tiers, access = situation
    state = public_state(the_show, tiers, now=NOW, access=access)
    by_id = {t.id: t for t in tiers}
    for offer in state.offers:
        the_tier = by_id[offer.tier_id]
        assert 1 <= offer.max_quantity <= min(tier_left(the_tier), show_left(the_show))
        if offer.secret_link_id is not None:
            assert offer.max_quantity <= min(link_left(access.link), access.link.max_per_order)
        if access.kind != "internal":
            assert offer.max_quantity <= the_show.max_per_order or offer.secret_link_id is not None
            if the_tier.per_customer_limit is not None:
                assert offer.max_quantity <= the_tier.per_customer_limit - access.taken[the_tier.id]


@settings(max_examples=600, deadline=None)
@given(situations())
def test_never_offers_a_tier_outside_its_window_or_to_the_wrong_visitor(situation) -> None:
    the_show, tiers, access = situation
    state = public_state(the_show, tiers, now=NOW, access=access)
    if the_show.status in ("cancelled", "draft"):
        assert state.action == "unavailable"
    if access.kind == "internal":
        return
    assert not state.offers or (the_show.status == "active" and the_show.starts_at > NOW)
    for offer in state.offers:
        the_tier = next(t for t in tiers if t.id == offer.tier_id)
        if offer.secret_link_id is None:
            assert the_show.is_public and is_public_tier(the_tier) and tier_window(the_tier, NOW) == "open"
        else:
            secret = access.link
            assert secret.active and secret.show_id == the_show.id and secret.tier_id == the_tier.id
            assert (secret.valid_from is None or secret.valid_from <= NOW)
            assert (secret.valid_until is None or secret.valid_until > NOW)


@settings(max_examples=300, deadline=None)
@given(situations())
def test_the_answer_is_consistent(situation) -> None:
    the_show, tiers, access = situation
    state = public_state(the_show, tiers, now=NOW, access=access)
    assert state == public_state(the_show, tiers, now=NOW, access=access)
    assert (state.action == "buy") == bool(state.offers)
    assert state.reason and state.code
    if state.offers:
        first = state.offers[0]
        assert (state.tier_id, state.price, state.max_quantity) == (first.tier_id, first.price, first.max_quantity)
    assert (state.action == "registration") == (state.opens_at is not None)
    if state.opens_at is not None:
        assert state.opens_at > NOW
