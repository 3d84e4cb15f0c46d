"""A customer picks the second tier of a two-tier show (the balcony), and the whole chain carries it:
the purchase form, the order, the PDF ticket and the back-office order page. Also: the choice works from
the keyboard and on a phone, and each tier bounds its own quantity and says when few are left."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from services.db import read_session
from services.models import Order, OrderStatus, Show, Ticket, TicketTier
from tests.backoffice.conftest import PASSWORDS
from tests.delivery.checks import pdf_attachment, pdf_pages_text
from tests.fixtures.browser import screenshot
from tests.pages.steps import confirmed_order_number, fill_purchase_form, pay_with_google_pay

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def _tiers(slug: str) -> dict[str, TicketTier]:
    with read_session() as session:
        show = session.exec(select(Show).where(Show.slug == slug)).one()
        return {t.name_en: t for t in session.exec(select(TicketTier).where(TicketTier.show_id == show.id))}


def _no_sideways_scroll(page, name: str) -> None:
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(150)
    screenshot(page, f"{name}-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], f"{name} scrolls sideways"
    page.set_viewport_size(DESKTOP)


def _pay_with_google_pay(page, email: str) -> str:
    fill_purchase_form(page, email=email)
    pay_with_google_pay(page)
    return confirmed_order_number(page)


def test_buy_the_balcony_of_a_hall_and_balcony_show(seeded, browser_page, app_server) -> None:
    page = browser_page
    tiers = _tiers("marina-maximilian")
    hall, balcony = f"#tier-{tiers['Hall'].id}", f"#tier-{tiers['Balcony'].id}"
    page.goto("/shows/marina-maximilian")
    page.wait_for_selector("#ticket-action[data-action=buy]")
    options = page.locator(".tier-option")
    expect(options).to_have_count(2)
    expect(options.nth(0)).to_contain_text("אולם")
    expect(options.nth(0)).to_contain_text("₪179")
    expect(options.nth(1)).to_contain_text("יציע")
    expect(options.nth(1)).to_contain_text("₪149")
    expect(page.get_by_role("group", name="סוג כרטיס")).to_be_visible()  # the fieldset's legend names it
    expect(page.locator(hall)).to_be_checked()

    # From the keyboard: the arrow key moves the choice to the balcony, as in any radio group.
    page.focus(hall)
    page.keyboard.press("ArrowDown")
    expect(page.locator(balcony)).to_be_checked()
    expect(options.nth(1)).to_have_attribute("data-checked", "true")
    screenshot(page, "show-two-tiers-desktop")
    _no_sideways_scroll(page, "show-two-tiers")
    page.select_option("#quantity", "2")
    page.click("#buy-button")
    page.wait_for_url(re.compile(r"/checkout/"))
    expect(page.locator("main")).to_contain_text("יציע")
    expect(page.locator("main")).to_contain_text("₪149")
    expect(page.locator("#order-total")).to_have_text("₪298")
    number = _pay_with_google_pay(page, "balcony.buyer@example.com")

    with read_session() as session:
        order = session.exec(select(Order).where(Order.number == number)).one()
        tickets = session.exec(select(Ticket).where(Ticket.order_id == order.id)).all()
    assert (order.status, order.tier_id, order.unit_price, order.total) == (
        OrderStatus.PAID, tiers["Balcony"].id, 14900, 29800)
    assert [(t.tier_id, t.price) for t in tickets] == [(tiers["Balcony"].id, 14900)] * 2

    email = app_server.inbox.wait_for(lambda m: number in (m["Subject"] or "") and m["To"] == "balcony.buyer@example.com")
    pages = pdf_pages_text(pdf_attachment(email))
    assert len(pages) == 2
    for text in pages:  # pypdf reads the right-to-left lines back in logical order
        assert "יציע" in text and "₪149" in text and "אולם" not in text

    # The back office, as the box office sees it: the tier on the order and on each ticket, with its price.
    email_address, password = PASSWORDS["box_office"]
    page.goto("/admin")
    page.fill("#staff-email", email_address)
    page.fill("#staff-password", password)
    page.click("#sign-in")
    page.wait_for_url("**/admin/orders")
    page.goto(f"/admin/orders/{number}")
    expect(page.locator("#order-number")).to_have_text(number)
    expect(page.locator("#order-tier")).to_have_text("2 × Balcony · יציע")
    expect(page.locator("#order-unit-price")).to_have_text("Unit price ₪149")
    rows = page.locator("table").first.locator("tbody tr")
    expect(rows).to_have_count(2)
    for index in range(2):
        expect(rows.nth(index)).to_contain_text("Balcony")
        expect(rows.nth(index)).to_contain_text("₪149")
    screenshot(page, "admin-order-balcony")


def test_each_tier_bounds_its_quantity_and_says_when_few_are_left(seeded, browser_page) -> None:
    """Red Axes: 8 early-bird tickets left (4 per customer) beside the regular tier (6 per order)."""
    page = browser_page
    tiers = _tiers("red-axes-night")
    page.goto("/shows/red-axes-night")
    page.wait_for_selector("#ticket-action[data-action=buy]")
    early = page.locator(".tier-option").nth(0)
    expect(early.locator(".few-left")).to_have_text("נותרו 8 כרטיסים בלבד")
    expect(page.locator(".tier-option").nth(1).locator(".few-left")).to_have_count(0)
    expect(page.locator("#quantity option")).to_have_count(4)
    page.click(f"#tier-{tiers['Regular'].id}")
    expect(page.locator("#quantity option")).to_have_count(6)
    page.select_option("#quantity", "6")
    page.click(f"#tier-{tiers['Early bird'].id}")  # back to the early bird: six is more than it allows
    expect(page.locator("#quantity option")).to_have_count(4)
    expect(page.locator("#quantity")).to_have_value("4")
    page.click("#language-switch")
    expect(early.locator(".few-left")).to_have_text("Only 8 left")
    expect(early).to_contain_text("Early bird")
    _no_sideways_scroll(page, "show-few-left-en")
