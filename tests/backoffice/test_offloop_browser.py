"""A back-office refund in the embedded run (one process, no Redis, exactly `make run`) freezes nobody.

The refund calls the payment provider over HTTP; in the embedded run the provider is the sandbox,
served by the same event loop as every page. Called on that loop, the refund waited for the
provider's timeout (15 s) while every visitor's page hung, and then ended "unknown" because the
sandbox could never answer. Off the loop, the refund completes in seconds and a visitor who opens the
homepage meanwhile sees the shows at once.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from services.db import read_session
from services.models import Order, OrderStatus, Refund
from tests.backoffice.conftest import PASSWORDS
from tests.pages.steps import fill_purchase_form
from tests.pages.test_journey import _open_show_and_hold

pytestmark = pytest.mark.browser


def _new_page(chromium, app_server):
    context = chromium.new_context(base_url=app_server.url, viewport={"width": 1280, "height": 900}, locale="he-IL")
    page = context.new_page()
    page.set_default_timeout(20000)
    return context, page


def test_a_refund_in_the_back_office_completes_while_a_visitor_browses(seeded, chromium, app_server,
                                                                       browser_page) -> None:
    buyer = browser_page
    _open_show_and_hold(buyer, search="hadag nahsh", title="הדג נחש – הופעה חיה", quantity="2")
    fill_purchase_form(buyer, email="refund.me@example.com")
    buyer.click("#pay-button")
    buyer.click("#google-pay-button")
    buyer.wait_for_selector("#order-confirmed", timeout=60000)
    number = buyer.inner_text("#order-number")

    admin_context, admin = _new_page(chromium, app_server)
    visitor_context, visitor = _new_page(chromium, app_server)
    try:
        email, password = PASSWORDS["admin"]
        admin.goto("/admin")
        admin.fill("#staff-email", email)
        admin.fill("#staff-password", password)
        admin.click("#sign-in")
        admin.wait_for_url("**/admin/orders")
        admin.goto(f"/admin/orders/{number}")
        expect(admin.locator("#order-status")).to_have_text("paid")
        visitor.goto("/")  # a returning visitor: the app's scripts are already in the browser's cache
        visitor.get_by_test_id("show-card").first.wait_for()

        refund_form = admin.locator("form", has=admin.get_by_role("button", name="Refund", exact=True))
        refund_form.locator("input[name=reason]").fill("the customer cannot come")
        refund_form.get_by_role("button", name="Refund", exact=True).click()
        started = time.monotonic()
        visitor.goto("/")
        visitor.get_by_test_id("show-card").first.wait_for()
        homepage_seconds = time.monotonic() - started
        assert homepage_seconds < 2, f"the homepage took {homepage_seconds:.1f}s while the refund ran"

        expect(admin.locator("#order-status")).to_have_text("refunded", timeout=10000)
        refund_seconds = time.monotonic() - started
        expect(admin.locator("#admin-notice")).to_contain_text("Refunded")
    finally:
        admin_context.close()
        visitor_context.close()

    print(f"homepage with shows: {homepage_seconds:.2f}s; refund shown: {refund_seconds:.2f}s")
    with read_session() as session:
        order = session.exec(select(Order).where(Order.number == number)).one()
        refunds = session.exec(select(Refund).where(Refund.order_id == order.id)).all()
    assert order.status == OrderStatus.REFUNDED
    assert [r.status for r in refunds] == ["done"]
