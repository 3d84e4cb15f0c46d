"""The demo season through `show_state`: each of the 12 shows answers its sale situation from the database,
including the product table's rows as the seed builds them.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from services import clock
from services.errors import NotFound
from services.ticketing import show_state

EXPECTED = {
    "hadag-nahash-live": ("buy", "regular", 15900),
    "ester-rada": ("buy", "presale", 12900),  # table: presale available + regular not open yet
    "tuna-winter-tour": ("buy", "regular", 14900),  # table: presale sold out + regular available
    "noga-erez": ("waiting_list", None, None),
    "jane-bordeaux": ("closed", None, None),
    "shlomo-artzi-intimate": ("registration", None, None),
    "red-axes-night": ("buy", "early_bird", 8900),
    "ravid-plotnik": ("sold_out", None, None),  # regular sold out while the secret link still sells
    "el-khat": ("buy", "regular", 13900),
    "marina-maximilian": ("buy", "regular", 17900),
    "teder-closing-party": ("unavailable", None, None),
    "balkan-beat-box": ("buy", "presale", 13900),
}


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_each_demo_show_answers_its_sale_situation(seeded, slug) -> None:
    action, kind, price = EXPECTED[slug]
    state = show_state(slug)
    assert (state.action, state.tier_kind, state.price) == (action, kind, price), state.reason


def test_the_secret_link_overrides_the_sold_out_page_for_its_holder_only(seeded) -> None:
    state = show_state("ravid-plotnik", secret_token="ravid-friends-2026")
    assert (state.action, state.tier_kind, state.price, state.max_quantity) == ("buy", "internal", 14000, 2)
    assert show_state("ravid-plotnik").action == "sold_out"


def test_registration_says_when_the_sale_opens(seeded) -> None:
    state = show_state("shlomo-artzi-intimate")
    assert state.opens_at is not None and state.opens_at - clock.now() > timedelta(days=9)


def test_presale_then_regular_as_the_season_moves_on(seeded) -> None:
    later = clock.now() + timedelta(days=15)
    assert show_state("balkan-beat-box", now=later).tier_kind == "regular"
    assert show_state("ester-rada", now=later).offers[0].kind == "presale"
    assert [o.kind for o in show_state("ester-rada", now=later).offers] == ["presale", "regular"]


def test_seated_show_offers_each_price_tier(seeded) -> None:
    state = show_state("marina-maximilian")
    assert [(o.name_en, o.price) for o in state.offers] == [("Hall", 17900), ("Balcony", 14900)]


def test_staff_can_sell_the_hidden_show(seeded) -> None:
    assert show_state("teder-closing-party", internal=True).action == "buy"


def test_an_unknown_show_is_not_found(seeded) -> None:
    with pytest.raises(NotFound):
        show_state("no-such-show")
