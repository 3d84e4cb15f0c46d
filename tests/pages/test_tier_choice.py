"""A customer picks the second tier of a two-tier show (the balcony), and the whole chain carries it:
the purchase form, the order, the PDF ticket and the back-office order page."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlmodel import select

from services.backoffice.orders import order_page
from services.db import read_session
from services.models import Order, OrderStatus, Ticket, TicketTier
from services.staff.auth import sign_in
from tests.backoffice.conftest import PASSWORDS
from tests.fixtures.browser import screenshot

pytestmark = pytest.mark.browser


def test_buy_the_balcony_of_a_hall_and_balcony_show(seeded, browser_page, app_server) -> None:
    page = browser_page
    page.goto("/shows/marina-maximilian")
    page.wait_for_selector("#ticket-action[data-action=buy]")
    expect(page.locator(".tier-option")).to_have_count(2)
    balcony = page.locator(".tier-option", has_text="יציע")
    expect(balcony).to_contain_text("₪149")
    balcony.click()
    expect(balcony).to_have_attribute("aria-checked", "true")
    screenshot(page, "show-two-tiers")
    page.select_option("#quantity", "2")
    page.click("#buy-button")
    page.wait_for_url(re.compile(r"/checkout/"))
    expect(page.locator("#order-total")).to_have_text("₪298")
    page.fill("#field-name", "נועה לוי")
    page.fill("#field-id_number", "000000018")
    page.fill("#field-phone", "052-123-4567")
    page.fill("#field-email", "balcony.buyer@example.com")
    page.click("#field-terms")
    page.click("#pay-button")
    page.wait_for_selector("#google-pay-button")
    page.click("#google-pay-button")
    page.wait_for_selector("#order-confirmed", timeout=60000)
    number = page.inner_text("#order-number")

    with read_session() as session:
        order = session.exec(select(Order).where(Order.number == number)).one()
        tier = session.get(TicketTier, order.tier_id)
        tickets = session.exec(select(Ticket).where(Ticket.order_id == order.id)).all()
    assert (order.status, tier.name_en, order.unit_price) == (OrderStatus.PAID, "Balcony", 14900)
    assert {t.tier_id for t in tickets} == {tier.id} and {t.price for t in tickets} == {14900}

    email = app_server.inbox.wait_for(lambda m: number in (m["Subject"] or "") and m["To"] == "balcony.buyer@example.com")
    pdf = next(p for p in email.iter_attachments() if p.get_content_type() == "application/pdf").get_content()
    text = "".join(page_.extract_text() for page_ in PdfReader(io.BytesIO(pdf)).pages)
    assert "149" in text and ("יציע" in text or "עיצי" in text)  # Hebrew is drawn in visual order
    staff_page = order_page(sign_in(*PASSWORDS["box_office"]).token, number)
    assert {t.tier for t in staff_page.tickets} == {"Balcony"} and {t.price for t in staff_page.tickets} == {"₪149"}
