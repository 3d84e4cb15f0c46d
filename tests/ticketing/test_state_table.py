"""The state function, table-driven: every row of the product's presale/regular table and every scenario
of its ticketing list, by name. Pure: no database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from services.ticketing import Access, public_state
from tests.ticketing.shapes import DAY, NOW, link, show, tier


@dataclass
class Case:
    name: str
    tiers: list
    expect: dict
    show: dict = field(default_factory=dict)
    access: Access | None = None


def presale(**kw):
    return tier(1, "presale", price=12900, allocation=200, limit=4, **kw)


def regular(**kw):
    kw.setdefault("allocation", 450)
    return tier(2, "regular", price=15900, **kw)


def internal(**kw):
    kw.setdefault("allocation", 40)
    return tier(3, "internal", price=14000, public=False, **kw)


SECRET = link(tier_id=3, allocation=40, max_per_order=2)

CASES = [
    # --- The product's "Presale and Regular Sale States" table, row by row -------------------------------
    Case("table: presale available + regular not open yet -> show presale tickets",
         [presale(), regular(opens=5 * DAY)],
         {"action": "buy", "tier_id": 1, "price": 12900, "max_quantity": 4, "code": "on_sale_presale"}),
    Case("table: presale sold out + regular available -> show regular tickets",
         [presale(sold=200), regular()], {"action": "buy", "tier_id": 2, "price": 15900, "max_quantity": 6},
         show={"sold": 200}),
    Case("table: presale sold out + regular sold out -> sold-out state",
         [presale(sold=200), regular(sold=450)], {"action": "sold_out", "code": "tiers_sold_out"},
         show={"sold": 650}),
    Case("table: presale closed + regular through secret link -> public sees no sale",
         [presale(closes=-DAY), regular(public=False)], {"action": "closed", "code": "sale_closed"}),
    Case("table: presale closed + regular through secret link -> link holder buys",
         [presale(closes=-DAY), regular(public=False)],
         {"action": "buy", "tier_id": 2, "price": 15900, "via": "secret_link", "secret_link_id": 1, "max_quantity": 2},
         access=Access.secret(link(tier_id=2, allocation=30))),
    Case("table: presale closed + regular closed -> closed-sale state",
         [presale(closes=-DAY), regular(closes=-DAY)], {"action": "closed", "code": "sale_closed"}),
    Case("table: presale closed + regular closed -> waiting-list state when the show keeps one",
         [presale(closes=-DAY), regular(closes=-DAY)], {"action": "waiting_list", "code": "sale_closed"},
         show={"waiting_list_enabled": True}),
    # --- The product's ticketing list ------------------------------------------------------------------
    Case("regular tickets", [regular()], {"action": "buy", "tier_id": 2, "code": "on_sale_regular"}),
    Case("presale tickets with their own window", [presale(opens=-DAY, closes=DAY), regular(opens=DAY)],
         {"action": "buy", "tier_id": 1}),
    Case("early-bird price first", [tier(1, "early_bird", price=8900, closes=7 * DAY, limit=4), regular()],
         {"action": "buy", "tier_id": 1, "price": 8900, "offers": [1, 2]}),
    Case("early-bird sold out moves to regular", [tier(1, "early_bird", price=8900, sold=100, allocation=100), regular()],
         {"action": "buy", "tier_id": 2, "offers": [2]}, show={"sold": 100}),
    Case("early-bird window over moves to regular", [tier(1, "early_bird", price=8900, closes=-DAY), regular()],
         {"action": "buy", "tier_id": 2, "offers": [2]}),
    Case("sale not open yet -> registration", [regular(opens=10 * DAY)],
         {"action": "registration", "code": "not_open_yet", "opens_at": NOW + 10 * DAY}),
    Case("presale sold out, regular not open yet -> registration for regular",
         [presale(sold=200), regular(opens=3 * DAY)], {"action": "registration", "opens_at": NOW + 3 * DAY},
         show={"sold": 200}),
    Case("presale sold out while regular remains available", [presale(sold=200), regular(sold=100)],
         {"action": "buy", "tier_id": 2}, show={"sold": 300}),
    Case("regular sold out while secret links are still active -> public sold out",
         [tier(2, "regular", allocation=560, sold=560), internal()], {"action": "sold_out", "code": "tiers_sold_out"},
         show={"capacity": 600, "sold": 560}),
    Case("regular sold out while secret links are still active -> link holder buys",
         [tier(2, "regular", allocation=560, sold=560), internal()],
         {"action": "buy", "tier_id": 3, "price": 14000, "max_quantity": 2, "code": "secret_link"},
         show={"capacity": 600, "sold": 560}, access=Access.secret(SECRET)),
    Case("secret link at its own price", [regular(), internal()], {"action": "buy", "tier_id": 3, "price": 9900,
         "offers": [3, 2]}, access=Access.secret(link(tier_id=3, price=9900))),
    Case("secret link with a limited allocation nearly used", [internal()], {"action": "buy", "max_quantity": 1},
         show={"is_public": False}, access=Access.secret(link(tier_id=3, allocation=10, sold=8, held=1))),
    Case("secret link allocation used up and public sold out -> sold out",
         [tier(2, "regular", allocation=560, sold=560), internal(sold=10)],
         {"action": "sold_out", "code": "link_sold_out", "link_problem": "link_sold_out"},
         show={"capacity": 600, "sold": 570}, access=Access.secret(link(tier_id=3, allocation=10, sold=10))),
    Case("secret link allocation used up while public sells -> public offer",
         [regular(), internal(sold=10)], {"action": "buy", "tier_id": 2, "link_problem": "link_sold_out"},
         show={"sold": 10}, access=Access.secret(link(tier_id=3, allocation=10, sold=10))),
    Case("secret link expired -> public state", [regular(sold=450)],
         {"action": "sold_out", "link_problem": "link_expired"}, show={"sold": 450},
         access=Access.secret(link(tier_id=2, valid_until=-DAY))),
    Case("secret link not valid yet -> public state", [regular()], {"action": "buy", "via": "public",
         "link_problem": "link_not_yet_valid"}, access=Access.secret(link(tier_id=2, valid_from=DAY))),
    Case("secret link switched off -> public state", [regular()], {"action": "buy", "link_problem": "link_inactive"},
         access=Access.secret(link(tier_id=2, active=False))),
    Case("secret link of another show -> public state", [regular()], {"action": "buy", "link_problem": "other_show"},
         access=Access.secret(link(tier_id=2, show_id=99))),
    Case("unknown secret token -> public state", [regular()], {"action": "buy", "link_problem": "unknown_link"},
         access=Access.secret(None)),
    Case("secret link sells a show hidden from the public", [regular()], {"action": "buy", "via": "secret_link"},
         show={"is_public": False}, access=Access.secret(link(tier_id=2))),
    Case("secret link campaign for presale access before the public sale", [presale(opens=3 * DAY)],
         {"action": "buy", "tier_id": 1, "price": 9900, "via": "secret_link"},
         access=Access.secret(link(tier_id=1, price=9900, campaign="Fan club presale"))),
    Case("secret link does not get past a staff closure", [internal()], {"action": "closed",
         "link_problem": "show_not_selling"}, show={"status": "closed"}, access=Access.secret(SECRET)),
    Case("different price tiers (hall and balcony)",
         [tier(1, "regular", price=17900, allocation=300), tier(2, "regular", price=14900, allocation=80)],
         {"action": "buy", "tier_id": 1, "price": 17900, "offers": [1, 2]}, show={"capacity": 380, "seating": "seated"}),
    Case("per-customer limit caps the quantity", [presale()], {"action": "buy", "max_quantity": 3},
         access=Access.public({1: 1})),
    Case("per-customer limit reached -> nothing more for this customer", [presale()],
         {"action": "unavailable", "code": "customer_limit_reached"}, access=Access.public({1: 4})),
    Case("per-customer limit reached on presale -> regular offered", [presale(), regular()],
         {"action": "buy", "tier_id": 2, "offers": [2]}, access=Access.public({1: 4})),
    Case("per-order maximum caps the quantity", [regular()], {"action": "buy", "max_quantity": 4},
         show={"max_per_order": 4}),
    Case("few left caps the quantity", [regular(sold=448)], {"action": "buy", "max_quantity": 2}, show={"sold": 448}),
    Case("internal-only tier is never offered to the public", [internal()],
         {"action": "unavailable", "code": "no_public_tiers"}),
    Case("internal-only tier sold by staff", [internal()],
         {"action": "buy", "tier_id": 3, "via": "internal", "max_quantity": 40}, access=Access.staff()),
    Case("internal staff sale ignores windows and staff closure", [regular(closes=-DAY), internal(sold=40)],
         {"action": "buy", "tier_id": 2, "code": "internal_sale"}, show={"status": "closed", "sold": 40},
         access=Access.staff()),
    Case("internal staff sale stops at the show capacity", [regular(sold=450), internal()],
         {"action": "sold_out", "code": "show_full"}, show={"capacity": 450, "sold": 450}, access=Access.staff()),
    Case("closed sales (closed by staff)", [regular()], {"action": "closed", "code": "closed_by_staff"},
         show={"status": "closed"}),
    Case("closed sales with a waiting list", [regular()], {"action": "waiting_list", "code": "closed_by_staff"},
         show={"status": "closed", "waiting_list_enabled": True}),
    Case("waiting list when sold out", [regular(sold=450)], {"action": "waiting_list", "code": "tiers_sold_out"},
         show={"sold": 450, "waiting_list_enabled": True}),
    Case("standing show", [regular()], {"action": "buy", "tier_id": 2}, show={"seating": "standing"}),
    Case("seated show", [regular()], {"action": "buy", "tier_id": 2}, show={"seating": "seated"}),
    Case("show-wide capacity caps all tiers together", [presale(sold=50), regular(sold=47)],
         {"action": "buy", "tier_id": 1, "max_quantity": 3, "offers": [1, 2]}, show={"capacity": 100, "sold": 97}),
    Case("show-wide capacity reached although tiers have room -> sold out", [presale(sold=50), regular(sold=50)],
         {"action": "sold_out", "code": "show_full"}, show={"capacity": 100, "sold": 100}),
    Case("held tickets count as taken", [regular(sold=440, held=10)], {"action": "sold_out"},
         show={"sold": 440, "held": 10}),
    Case("presale sold out + regular window over -> closed", [presale(sold=200), regular(closes=-DAY)],
         {"action": "closed", "code": "sale_closed"}, show={"sold": 200}),
    Case("cancelled show -> unavailable", [regular()], {"action": "unavailable", "code": "show_cancelled"},
         show={"status": "cancelled"}),
    Case("draft show -> unavailable", [regular()], {"action": "unavailable", "code": "show_draft"},
         show={"status": "draft"}),
    Case("hidden show -> unavailable to the public", [regular()], {"action": "unavailable", "code": "hidden"},
         show={"is_public": False}),
    Case("show already started -> closed", [regular()], {"action": "closed", "code": "show_started"},
         show={"starts_at": NOW - timedelta(minutes=1)}),
    Case("show without tiers -> unavailable", [], {"action": "unavailable", "code": "no_public_tiers"}),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_state(case: Case) -> None:
    state = public_state(show(**case.show), case.tiers, now=NOW, access=case.access)
    expect = dict(case.expect)
    offers = expect.pop("offers", None)
    got = {key: getattr(state, key) for key in expect}
    assert got == expect, state.reason
    if offers is not None:
        assert [o.tier_id for o in state.offers] == offers
    assert state.reason, "staff always get a reason"
    assert (state.action == "buy") == bool(state.offers) == (state.max_quantity > 0)


def test_every_action_has_a_case_and_messages_in_both_languages() -> None:
    actions = {public_state(show(**c.show), c.tiers, now=NOW, access=c.access).action for c in CASES}
    assert actions == {"buy", "sold_out", "registration", "waiting_list", "closed", "unavailable"}
    state = public_state(show(), [regular()], now=NOW)
    assert state.message("he") != state.message("en")
