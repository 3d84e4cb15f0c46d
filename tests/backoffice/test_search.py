"""Order search: every kind of reference staff are given finds the order, filters narrow it, pages page,
and support sees no amounts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from services.backoffice.search import Filters, parse_filters, search_orders
from services.clock import local
from services.db import transaction
from services.errors import ValidationFailed
from services.models import GiftCard, GiftCardTransaction, LegacyId, Order, Payment, Show, Ticket


@pytest.fixture
def target(seeded) -> dict[str, str]:
    """One seeded order given a legacy number, a payment, a gift-card redemption and a known barcode."""
    with transaction() as session:
        order = session.exec(select(Order).where(Order.email == "noa.levi@example.com").order_by(Order.id)).first()
        show = session.get(Show, order.show_id)
        ticket = session.exec(select(Ticket).where(Ticket.order_id == order.id)).first()
        session.add(LegacyId(source="old_sql", entity_type="order", entity_id=order.id, legacy_id="2011-004417"))
        session.add(Payment(order_id=order.id, provider="payplus", page_request_uid="page-uid-77",
                            provider_transaction_id="txn-abc-123", amount=order.total, status="approved"))
        card = session.exec(select(GiftCard).where(GiftCard.balance > 0).order_by(GiftCard.id)).first()
        card.balance -= 1000  # the ledger row a redemption writes (services.giftcards.redemption.reserve)
        session.add(GiftCardTransaction(gift_card_id=card.id, order_id=order.id, kind="reserve", amount=-1000,
                                        balance_after=card.balance))
        return {"number": order.number, "show_id": str(show.id), "show_title": show.title_en[:6],
                "barcode": ticket.barcode, "gift": card.code}


@pytest.mark.parametrize(("query", "kind"), [
    ("{number}", "order number"),
    ("{number_lower}", "order number"),
    ("2011-004417", "legacy order number"),
    ("נועה", "name"),
    ("לוי", "name"),
    ("NOA.LEVI@example.com", "email"),
    ("noa.lev", "email (starts with)"),
    ("Noa.Levi@exa", "email (starts with)"),
    ("+972 52-123-4567", "phone"),
    ("052.123.4567", "phone"),
    ("{barcode_lower}", "ticket barcode"),
    ("txn-abc-123", "payment reference"),
    ("page-uid-77", "payment reference"),
    ("{gift_lower}", "gift card"),
    ("{gift_grouped}", "gift card"),
])
def test_each_kind_of_reference_finds_the_order(tokens, target, query: str, kind: str) -> None:
    text = query.format(number_lower=target["number"].lower().replace("-", ""), barcode_lower=target["barcode"].lower(),
                        gift_lower=target["gift"].lower(),
                        gift_grouped=" ".join(target["gift"][i:i + 4] for i in range(0, 16, 4)), **target)
    result = search_orders(tokens["box_office"], text)
    assert target["number"] in [hit.number for hit in result.hits], (text, result)
    assert kind in " ".join(result.kinds)


def test_show_id_and_show_name_list_the_shows_orders(tokens, target) -> None:
    by_id = search_orders(tokens["admin"], target["show_id"])
    by_name = search_orders(tokens["admin"], target["show_title"])
    assert target["number"] in [h.number for h in by_id.hits]
    assert target["number"] in [h.number for h in by_name.hits]
    assert {h.show for h in by_id.hits} == {by_id.hits[0].show}


def test_support_sees_no_amounts_and_others_do(tokens, target) -> None:
    assert search_orders(tokens["support"], target["number"]).hits[0].total == ""
    assert search_orders(tokens["box_office"], target["number"]).hits[0].total.startswith("₪")


def test_filters_and_paging(tokens, target) -> None:
    token = tokens["admin"]
    everything = search_orders(token, "", page_size=6)  # 11 demo orders: 6 of tickets, 5 of gift cards
    assert len(everything.hits) == 6 and everything.has_next
    rest = search_orders(token, "", page=2, page_size=6)
    assert not rest.has_next and {h.number for h in rest.hits}.isdisjoint({h.number for h in everything.hits})
    assert search_orders(token, "", Filters(status="refunded")).hits == []
    assert search_orders(token, "נועה", Filters(show_id=int(target["show_id"]))).hits[0].number == target["number"]
    with transaction() as session:
        first = session.exec(select(Order).order_by(Order.created_at)).first()
        day = local(first.created_at)  # date filters are venue (Tel Aviv) calendar days
    one_day = search_orders(token, "", parse_filters(date_from=f"{day:%Y-%m-%d}", date_to=f"{day:%Y-%m-%d}"))
    before = search_orders(token, "", parse_filters(date_to=f"{day - timedelta(days=1):%Y-%m-%d}"))
    assert first.number in [h.number for h in one_day.hits]
    assert first.number not in [h.number for h in before.hits]


def test_nothing_found_and_bad_filters(tokens, target) -> None:
    assert search_orders(tokens["admin"], "B-999999").hits == []
    assert search_orders(tokens["admin"], "zzzz-no-such-name").hits == []
    with pytest.raises(ValidationFailed, match="Dates must look like"):
        parse_filters(date_from="31/12/2026")
    with pytest.raises(ValidationFailed, match="Status must be one of"):
        parse_filters(status="lost")
