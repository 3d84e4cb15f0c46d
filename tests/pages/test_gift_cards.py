"""A gift card's whole life in the browser: bought with Google Pay, received, spent across two orders, refunded.

Steps the issue names: buy a card → the recipient's email with the PDF arrives → part of it pays for
tickets with the rest by credit card → the rest covers another order entirely with no payment page →
balance 0 → a refund of the first order puts its share back on the card.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from services.db import read_session
from services.models import GiftCard, Order, OrderStatus, Payment
from services.orders import refund_order
from services.settings import get_settings
from tests.fixtures.browser import screenshot
from tests.pages.steps import confirmed_order_number, fill_purchase_form, pay_by_card

pytestmark = pytest.mark.browser
CODE = re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}")


def _hold(page, slug: str, quantity: str) -> None:
    page.goto(f"/shows/{slug}")
    page.wait_for_selector("#ticket-action[data-action=buy]")
    page.select_option("#quantity", quantity)
    page.click("#buy-button")
    page.wait_for_url(re.compile(r"/checkout/"))
    page.wait_for_selector("#hold-countdown")


def _apply(page, code: str, amount: str = "") -> None:
    page.fill("#field-gift-card-code", code.lower().replace("-", " "))  # typed any way: still the card
    if amount:
        page.fill("#field-gift-card-amount", amount)
    page.click("#apply-gift-card")


def _expect_balance(page, code: str, email: str, balance: str) -> None:
    page.goto("/gift-cards/balance")
    expect(page.locator("#card-balance")).to_have_count(0)  # a fresh page: no earlier answer on it
    page.fill("#field-code", code)
    page.fill("#field-email", email)
    page.click("#check-balance")
    expect(page.locator("#card-balance")).to_have_text(balance)


def test_buy_receive_spend_twice_and_refund_a_gift_card(seeded, browser_page, app_server, show_factory,
                                                      monkeypatch) -> None:
    page = browser_page
    page.goto("/gift-cards")
    page.click("#amount-200")
    page.fill("#field-recipient_name", "Noa Cohen")
    page.fill("#field-recipient_email", "noa.gift@example.com")
    page.fill("#field-message", "Happy birthday!")
    page.fill("#field-buyer_name", "Dana Levi")
    page.fill("#field-buyer_email", "dana.gift@example.com")
    page.fill("#field-buyer_phone", "052-123-4567")
    page.click("#field-terms")
    screenshot(page, "gift-card-form")
    page.click("#buy-gift-card")
    page.wait_for_selector("#google-pay-button")
    page.click("#google-pay-button")
    page.wait_for_selector("#gift-card-confirmed", timeout=60000)

    letter = app_server.inbox.wait_for(lambda m: m["To"] == "noa.gift@example.com")
    pdf = [p for p in letter.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert pdf and pdf[0].get_content().startswith(b"%PDF")
    code = CODE.search(letter.get_body(preferencelist=("plain",)).get_content()).group(0)

    # Part of the card (₪100) and the rest (₪59) by credit card.
    _hold(page, "hadag-nahash-live", "1")
    _apply(page, code, "100")
    expect(page.locator("#left-to-pay")).to_have_text("₪59")
    fill_purchase_form(page, email="dana.gift@example.com", name="Dana Levi")
    screenshot(page, "checkout-with-gift-card")
    pay_by_card(page)
    first_number = confirmed_order_number(page)

    # The other ₪100 covers a whole order: no payment page at all.
    cheap = show_factory(capacity=20, tiers={"regular": {"price": 5000}}, slug="gift-card-evening")
    assert cheap.show.slug == "gift-card-evening"
    _hold(page, "gift-card-evening", "2")
    _apply(page, code)
    expect(page.locator("#left-to-pay")).to_have_text("₪0")
    fill_purchase_form(page, email="dana.gift@example.com", name="Dana Levi")
    page.click("#pay-button")
    page.wait_for_selector("#order-confirmed", timeout=60000)
    second_number = page.inner_text("#order-number")
    _expect_balance(page, code, "noa.gift@example.com", "₪0")

    with read_session() as session:
        first = session.exec(select(Order).where(Order.number == first_number)).one()
        second = session.exec(select(Order).where(Order.number == second_number)).one()
        assert (first.status, first.gift_card_amount, first.amount_due) == (OrderStatus.PAID, 10000, 5900)
        assert (second.status, second.gift_card_amount, second.amount_due) == (OrderStatus.PAID, 10000, 0)
        assert session.exec(select(Payment).where(Payment.order_id == second.id)).first() is None
    monkeypatch.setenv("BACKEND_BASE_URL", app_server.url)  # the sandbox provider is served by the app under test
    get_settings.cache_clear()
    outcome = refund_order(first.id, staff_user_id=None, reason="the show moved")
    monkeypatch.delenv("BACKEND_BASE_URL")
    get_settings.cache_clear()
    assert (outcome.provider_amount, outcome.gift_card_amount) == (5900, 10000)
    _expect_balance(page, code, "noa.gift@example.com", "₪100")
    with read_session() as session:
        assert session.exec(select(GiftCard).where(GiftCard.code == code.replace("-", ""))).one().balance == 10000
    screenshot(page, "gift-card-balance")
