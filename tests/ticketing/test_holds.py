"""Holds on the real database: taken against tier, show, link and customer limit together; released on
abandonment or expiry; converted on payment, including a hold that lapsed before the payment landed.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from services import clock
from services.db import read_session, transaction
from services.errors import NotAllowed, SoldOut, ValidationFailed
from services.models import Hold, HoldStatus, Order, OrderStatus, SecretLink, Show, TicketTier
from services.orders.numbering import assign_order_number
from services.settings import get_settings
from services.ticketing import convert_hold, release_expired_holds, release_hold, show_state, take_hold
from tests.ticketing.checks import assert_consistent

LATER = timedelta(minutes=11)  # past the default 10-minute hold


def counters(model, row_id: int) -> tuple[int, int]:
    with read_session() as session:
        row = session.get(model, row_id)
        return row.sold, row.held


def pay(hold: Hold, now=None) -> bool:
    """What mark-paid does: convert inside its own transaction."""
    with transaction() as session:
        return convert_hold(session, hold, now=now)


def test_a_hold_reserves_the_offered_tier_for_the_hold_time(show_factory) -> None:
    made = show_factory(capacity=100, tiers={"presale": {"kind": "presale", "price": 12900, "allocation": 40},
                                             "regular": {"price": 15900, "allocation": 60}})
    now = clock.now()
    hold = take_hold(show_id=made.show.id, tier_id=None, quantity=2, customer_key=" Noa@Example.com ", now=now)
    assert (hold.tier_id, hold.unit_price, hold.quantity) == (made.tiers["presale"].id, 12900, 2)
    assert hold.customer_key == "noa@example.com" and hold.status == HoldStatus.ACTIVE
    assert hold.expires_at == now + timedelta(minutes=10)
    assert len(hold.token) >= 32 and hold.token.replace("-", "").replace("_", "").isalnum()
    assert counters(Show, made.show.id) == (0, 2) and counters(TicketTier, hold.tier_id) == (0, 2)
    assert_consistent()


def test_the_hold_time_is_a_setting(show_factory, monkeypatch) -> None:
    made = show_factory()
    monkeypatch.setenv("HOLD_MINUTES", "3")
    get_settings.cache_clear()
    try:
        now = clock.now()
        hold = take_hold(show_id=made.show.id, tier_id=None, quantity=1, now=now)
        assert hold.expires_at == now + timedelta(minutes=3)
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


@pytest.mark.parametrize("quantity", [0, -1, 7])
def test_bad_quantities_are_refused_in_both_languages(show_factory, quantity) -> None:
    made = show_factory()
    with pytest.raises(ValidationFailed) as refused:
        take_hold(show_id=made.show.id, tier_id=None, quantity=quantity)
    assert refused.value.field == "quantity" and refused.value.message_he != refused.value.message_en
    assert_consistent()


def test_sold_out_is_a_clear_refusal(show_factory) -> None:
    made = show_factory(capacity=3)
    take_hold(show_id=made.show.id, tier_id=None, quantity=2)
    with pytest.raises(SoldOut) as fewer:
        take_hold(show_id=made.show.id, tier_id=None, quantity=2)
    assert "1" in fewer.value.message_en and fewer.value.message_he != fewer.value.message_en
    take_hold(show_id=made.show.id, tier_id=None, quantity=1)
    with pytest.raises(SoldOut) as gone:
        take_hold(show_id=made.show.id, tier_id=None, quantity=1)
    assert gone.value.code == "sold_out" and gone.value.message_he != gone.value.message_en
    assert counters(Show, made.show.id) == (0, 3)


def test_the_show_capacity_caps_every_tier_together(show_factory) -> None:
    made = show_factory(capacity=5, tiers={"hall": {"allocation": 4}, "balcony": {"allocation": 4}})
    take_hold(show_id=made.show.id, tier_id=made.tiers["hall"].id, quantity=4)
    take_hold(show_id=made.show.id, tier_id=made.tiers["balcony"].id, quantity=1)
    with pytest.raises(SoldOut):
        take_hold(show_id=made.show.id, tier_id=made.tiers["balcony"].id, quantity=1)
    assert counters(Show, made.show.id) == (0, 5)
    assert_consistent()


@pytest.mark.parametrize(
    ("show_fields", "tiers", "code"),
    [({"status": "closed"}, {"regular": {}}, "closed_by_staff"),
     ({}, {"regular": {"sale_starts_at": clock.now() + timedelta(days=3)}}, "not_open_yet"),
     ({"is_public": False}, {"regular": {}}, "hidden"),
     ({}, {"partners": {"kind": "internal", "is_public": False}}, "no_public_tiers")],
    ids=["closed", "registration", "hidden", "internal-only"],
)
def test_a_sale_not_open_to_the_visitor_is_not_allowed(show_factory, show_fields, tiers, code) -> None:
    made = show_factory(tiers=tiers, **show_fields)
    with pytest.raises(NotAllowed) as refused:
        take_hold(show_id=made.show.id, tier_id=None, quantity=1)
    assert refused.value.code == code and refused.value.message_he != refused.value.message_en


def test_a_secret_link_to_a_show_closed_by_staff_gets_the_closure_refusal(show_factory) -> None:
    made = show_factory(status="closed", link={"tier": "regular", "token": "closed-link"})
    with pytest.raises(NotAllowed) as refused:
        take_hold(show_id=made.show.id, tier_id=None, quantity=1, secret_token="closed-link")
    assert refused.value.code == "closed_by_staff"
    with pytest.raises(NotAllowed) as expired:
        take_hold(show_id=made.show.id, tier_id=None, quantity=1, secret_token="no-such-link")
    assert expired.value.code == "unknown_link"


def test_a_tier_the_visitor_is_not_offered_is_refused(show_factory) -> None:
    made = show_factory(tiers={"regular": {"allocation": 50}, "partners": {"kind": "internal", "is_public": False,
                                                                          "allocation": 50}})
    with pytest.raises(NotAllowed):
        take_hold(show_id=made.show.id, tier_id=made.tiers["partners"].id, quantity=1)


def test_staff_sell_any_tier_without_per_order_caps(show_factory) -> None:
    made = show_factory(status="closed", tiers={"partners": {"kind": "internal", "is_public": False}})
    hold = take_hold(show_id=made.show.id, tier_id=made.tiers["partners"].id, quantity=20, internal=True)
    assert hold.quantity == 20


def test_a_secret_link_sells_from_its_own_allocation_at_its_price(show_factory) -> None:
    made = show_factory(capacity=600, tiers={"regular": {"allocation": 560, "sold": 560},
                                             "partners": {"kind": "internal", "is_public": False, "allocation": 40}},
                        link={"tier": "partners", "token": "ravid", "allocation": 3, "price": 9900, "max_per_order": 2})
    with pytest.raises(SoldOut):
        take_hold(show_id=made.show.id, tier_id=None, quantity=1)
    hold = take_hold(show_id=made.show.id, tier_id=None, quantity=2, secret_token="ravid")
    assert (hold.secret_link_id, hold.unit_price, hold.tier_id) == (made.link.id, 9900, made.tiers["partners"].id)
    with pytest.raises(ValidationFailed):
        take_hold(show_id=made.show.id, tier_id=None, quantity=3, secret_token="ravid")  # max 2 per order
    with pytest.raises(SoldOut) as fewer:
        take_hold(show_id=made.show.id, tier_id=None, quantity=2, secret_token="ravid")  # only 1 left
    assert "1" in fewer.value.message_en
    take_hold(show_id=made.show.id, tier_id=None, quantity=1, secret_token="ravid")
    with pytest.raises(SoldOut):
        take_hold(show_id=made.show.id, tier_id=None, quantity=1, secret_token="ravid")
    assert counters(SecretLink, made.link.id) == (0, 3)
    assert_consistent({("show", made.show.id): 560, ("tier", made.tiers["regular"].id): 560})


def test_an_unknown_secret_link_is_not_allowed_when_nothing_public_sells(show_factory) -> None:
    made = show_factory(is_public=False)
    with pytest.raises(NotAllowed) as refused:
        take_hold(show_id=made.show.id, tier_id=None, quantity=1, secret_token="guess")
    assert refused.value.code == "unknown_link"


def test_the_per_customer_limit_counts_holds_and_purchases(show_factory) -> None:
    made = show_factory(tiers={"presale": {"kind": "presale", "per_customer_limit": 4}})
    show_id, tier_id = made.show.id, made.tiers["presale"].id
    first = take_hold(show_id=show_id, tier_id=None, quantity=3, customer_key="noa@example.com")
    with pytest.raises(ValidationFailed) as refused:
        take_hold(show_id=show_id, tier_id=None, quantity=2, customer_key="NOA@example.com")
    assert "1" in refused.value.message_en
    assert show_state(show_id, customer_key="noa@example.com").max_quantity == 1
    assert pay(first)
    take_hold(show_id=show_id, tier_id=None, quantity=1, customer_key="noa@example.com")
    with pytest.raises(ValidationFailed):
        take_hold(show_id=show_id, tier_id=None, quantity=1, customer_key="noa@example.com")
    assert show_state(show_id, customer_key="noa@example.com").code == "customer_limit_reached"
    take_hold(show_id=show_id, tier_id=None, quantity=4, customer_key="dana@example.com")  # others unaffected
    with transaction() as session:  # a purchase made without a hold (e.g. imported history) counts too
        assign_order_number(session, Order(show_id=show_id, tier_id=tier_id, quantity=3, email="yossi@example.com",
                                           status=OrderStatus.PAID))
    with pytest.raises(ValidationFailed):
        take_hold(show_id=show_id, tier_id=None, quantity=2, customer_key="yossi@example.com")


def test_released_tickets_go_back_and_release_is_idempotent(show_factory) -> None:
    made = show_factory(capacity=2)
    hold = take_hold(show_id=made.show.id, tier_id=None, quantity=2)
    assert release_hold(hold.token) is True
    assert release_hold(hold.token) is False and release_hold("no-such-token") is False
    assert counters(Show, made.show.id) == (0, 0)
    with read_session() as session:
        row = session.exec(select(Hold).where(Hold.token == hold.token)).one()
        assert row.status == HoldStatus.RELEASED and row.ended_at is not None
    take_hold(show_id=made.show.id, tier_id=None, quantity=2)
    assert_consistent()


def test_the_periodic_job_releases_expired_holds(show_factory) -> None:
    made = show_factory(capacity=10)
    now = clock.now()
    old = take_hold(show_id=made.show.id, tier_id=None, quantity=3, now=now - LATER)
    fresh = take_hold(show_id=made.show.id, tier_id=None, quantity=2, now=now)
    assert release_expired_holds(now) == 1
    assert release_expired_holds(now) == 0
    assert counters(Show, made.show.id) == (0, 2)
    assert release_hold(old.token) is False and release_hold(fresh.token, reason="expired") is True
    with read_session() as session:
        statuses = {h.token: h.status for h in session.exec(select(Hold))}
    assert statuses == {old.token: HoldStatus.EXPIRED, fresh.token: HoldStatus.EXPIRED}
    assert_consistent()


def test_reading_the_state_releases_lapsed_holds(show_factory) -> None:
    made = show_factory(capacity=2)
    now = clock.now()
    take_hold(show_id=made.show.id, tier_id=None, quantity=2, now=now - LATER)
    assert show_state(made.show.id, now=now - LATER).action == "sold_out"
    state = show_state(made.show.id, now=now)
    assert state.action == "buy" and state.max_quantity == 2
    assert counters(Show, made.show.id) == (0, 0)


def test_a_sold_out_attempt_first_releases_lapsed_holds(show_factory) -> None:
    made = show_factory(capacity=2)
    now = clock.now()
    take_hold(show_id=made.show.id, tier_id=None, quantity=2, now=now - LATER)
    hold = take_hold(show_id=made.show.id, tier_id=None, quantity=2, now=now)
    assert hold.status == HoldStatus.ACTIVE
    assert_consistent()


def test_paying_converts_the_hold_once(show_factory) -> None:
    made = show_factory(capacity=10, link={"tier": "regular", "allocation": 5})
    hold = take_hold(show_id=made.show.id, tier_id=None, quantity=2, secret_token=made.link.token)
    assert pay(hold) and hold.status == HoldStatus.CONVERTED
    assert pay(hold)  # a repeated callback changes nothing
    for model, row_id in ((Show, made.show.id), (TicketTier, hold.tier_id), (SecretLink, made.link.id)):
        assert counters(model, row_id) == (2, 0)
    assert release_hold(hold.token) is False
    assert_consistent()


def test_converting_updates_rows_the_caller_already_loaded(show_factory) -> None:
    made = show_factory(capacity=10)
    hold = take_hold(show_id=made.show.id, tier_id=None, quantity=2)
    with transaction() as session:
        show = session.get(Show, made.show.id)
        assert (show.sold, show.held) == (0, 2)
        assert convert_hold(session, session.get(Hold, hold.id))
        assert (show.sold, show.held) == (2, 0)


def test_a_lapsed_hold_still_converts_while_capacity_remains(show_factory) -> None:
    made = show_factory(capacity=5)
    now = clock.now()
    hold = take_hold(show_id=made.show.id, tier_id=None, quantity=2, now=now - LATER)
    assert release_expired_holds(now) == 1
    assert pay(hold, now) and counters(Show, made.show.id) == (2, 0)
    abandoned = take_hold(show_id=made.show.id, tier_id=None, quantity=1)
    release_hold(abandoned.token)
    assert pay(abandoned) and counters(Show, made.show.id) == (3, 0)
    assert_consistent()


def test_an_unexpired_but_overdue_hold_converts_from_its_reservation(show_factory) -> None:
    made = show_factory(capacity=2)
    hold = take_hold(show_id=made.show.id, tier_id=None, quantity=2, now=clock.now() - LATER)
    assert pay(hold) and counters(Show, made.show.id) == (2, 0)


def test_a_lapsed_hold_whose_tickets_are_gone_changes_nothing_and_says_so(show_factory) -> None:
    made = show_factory(capacity=3)
    now = clock.now()
    late = take_hold(show_id=made.show.id, tier_id=None, quantity=2, now=now - LATER)
    assert release_expired_holds(now) == 1
    take_hold(show_id=made.show.id, tier_id=None, quantity=2, now=now)
    with transaction() as session:
        assert convert_hold(session, late, now=now) is False
        order = Order(show_id=made.show.id, hold_id=late.id, quantity=2, status=OrderStatus.NEEDS_ATTENTION,
                      attention_reason="paid after the hold lapsed and the tickets were resold: refund or seat")
        assign_order_number(session, order)
    assert counters(Show, made.show.id) == (0, 2)
    with read_session() as session:
        assert session.get(Hold, late.id).status == HoldStatus.EXPIRED
        assert session.exec(select(Order)).one().status == OrderStatus.NEEDS_ATTENTION
    assert_consistent()


def test_the_customer_limit_applies_when_an_anonymous_hold_becomes_an_order(show_factory) -> None:
    """The show page holds before it knows the buyer; naming the buyer on the order enforces the limit."""
    from services.orders import create_ticket_order

    made = show_factory(capacity=50, tiers={"presale": {"kind": "presale", "allocation": 20, "per_customer_limit": 4}})

    def order(quantity: int, key: str):
        hold = take_hold(show_id=made.show.id, tier_id=None, quantity=quantity)
        return hold, lambda: create_ticket_order(
            hold_token=hold.token, name="Dana Levi", email="Dana@Example.com", phone="0521234567", id_number="",
            delivery_method="email", language="he", idempotency_key=key)

    first, create_first = order(3, "first")
    create_first()
    second, create_second = order(2, "second")
    with pytest.raises(ValidationFailed) as refused:
        create_second()
    assert refused.value.field == "quantity" and "1 more" in refused.value.message_en
    with read_session() as session:
        assert session.get(Hold, first.id).customer_key == "dana@example.com"
        assert session.get(Hold, second.id).customer_key == ""
        assert session.exec(select(Order)).one().quantity == 3
    _third, create_third = order(1, "third")
    assert create_third().quantity == 1
