"""Gift cards in the back office: search, the card page, and every staff action, each checked per role."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from services.backoffice import giftcards as bo
from services.db import read_session
from services.errors import ValidationFailed
from services.giftcards import format_code
from services.models import AuditEntry, Delivery, GiftCard, GiftCardStatus, GiftCardTransaction
from services.orders import mark_paid
from services.orders.giftcard_orders import GiftCardRequest, create_gift_card_order
from services.payments import TxnState, TxnStatus
from services.staff.access import RoleRefused
from tests.backoffice.conftest import ROLES

ALLOWED = {
    "search": ROLES, "page": ROLES, "resend": ROLES, "recipient": ROLES,
    "adjust": ("admin", "manager"), "void": ("admin", "manager"), "extend": ("admin", "manager"),
    "liability": ("admin", "manager"),
}


@pytest.fixture
def card(tokens) -> GiftCard:
    order = create_gift_card_order(GiftCardRequest(
        amount="200", buyer_name="Dana Levi", buyer_email="dana@example.com", buyer_phone="0521234567",
        recipient_name="Noa Cohen", recipient_email="noa@example.com"), idempotency_key="bo-gift")
    mark_paid(order.id, TxnStatus(TxnState.APPROVED, transaction_id="bo-1", amount=20000, currency="ILS"),
              provider="sandbox", source="test")
    with read_session() as session:
        return session.exec(select(GiftCard).where(GiftCard.purchase_order_id == order.id)).one()


def reload(card_id: int) -> GiftCard:
    with read_session() as session:
        return session.get(GiftCard, card_id)


def ledger_sum(card_id: int) -> int:
    with read_session() as session:
        return int(session.exec(select(func.sum(GiftCardTransaction.amount))
                                .where(GiftCardTransaction.gift_card_id == card_id)).one())


def audits(action: str) -> int:
    with read_session() as session:
        return int(session.exec(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)).one())


ACTIONS = {
    "search": lambda token, card: bo.search_gift_cards(token, "noa@"),
    "page": lambda token, card: bo.gift_card_page(token, card.id),
    "resend": lambda token, card: bo.resend_gift_card(token, card.id),
    "recipient": lambda token, card: bo.change_recipient_email(token, card.id, "noa.cohen@example.com"),
    "adjust": lambda token, card: bo.adjust_balance(token, card.id, "10", "goodwill after a late show"),
    "void": lambda token, card: bo.void_card(token, card.id, "reported stolen"),
    "extend": lambda token, card: bo.extend_expiry(token, card.id, "2035-12-31", "venue closed for renovation"),
    "liability": lambda token, card: bo.liability(token),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_each_gift_card_action_is_allowed_exactly_to_its_roles(tokens, card, role, action):
    if role in ALLOWED[action]:
        assert ACTIONS[action](tokens[role], card) is not None
    else:
        with pytest.raises(RoleRefused):
            ACTIONS[action](tokens[role], card)
        assert reload(card.id).balance == 20000 and reload(card.id).status == GiftCardStatus.ACTIVE


def test_support_sees_a_cards_state_but_never_its_code(tokens, card):
    (row,) = bo.search_gift_cards(tokens["support"], "noa@example")
    assert row.code.endswith(card.code[-4:]) and card.code[:4] not in row.code and row.balance == "₪200"
    assert bo.gift_card_page(tokens["support"], card.id).code == row.code
    assert bo.gift_card_page(tokens["box_office"], card.id).code == format_code(card.code)
    assert [r.id for r in bo.search_gift_cards(tokens["box_office"], card.code.lower())] == [card.id]


def test_staff_actions_move_money_only_through_the_ledger_and_are_audited(tokens, card):
    before = bo.liability(tokens["admin"]).outstanding  # the demo season's cards count too
    bo.adjust_balance(tokens["manager"], card.id, "-50", "partly used at the bar by mistake")
    assert reload(card.id).balance == 15000 == ledger_sum(card.id)
    with pytest.raises(ValidationFailed):
        bo.adjust_balance(tokens["manager"], card.id, "-500", "too much")
    with pytest.raises(ValidationFailed):
        bo.adjust_balance(tokens["manager"], card.id, "10", "")  # a reason is required
    with pytest.raises(ValidationFailed):
        bo.extend_expiry(tokens["admin"], card.id, "2027-01-01", "earlier than five years")
    bo.change_recipient_email(tokens["support"], card.id, "Noa.Cohen@Example.com")
    assert reload(card.id).recipient_email == "noa.cohen@example.com"
    with read_session() as session:
        assert session.exec(select(Delivery).where(Delivery.recipient == "noa.cohen@example.com")).first()
    assert bo.liability(tokens["admin"]).outstanding == before - 5000
    bo.void_card(tokens["admin"], card.id, "fraud")
    assert (reload(card.id).status, reload(card.id).balance, ledger_sum(card.id)) == (GiftCardStatus.VOID, 0, 0)
    assert bo.liability(tokens["admin"]).outstanding == before - 20000
    assert [audits(a) for a in ("gift_card.adjusted", "gift_card.recipient_changed", "gift_card.voided")] == [1, 1, 1]
