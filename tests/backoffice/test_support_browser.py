"""The support desk in a real browser: "I paid but did not get my ticket", answered in seconds.

Support signs in, finds the order by the customer's phone number typed differently from how it is
stored, opens it, resends the tickets, and the email arrives in the app's SMTP sink. Also: a wrong
password is refused with a message, and a support account sees no amounts and no refund buttons.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from services.db import read_session
from services.models import AuditEntry, Order, StaffUser
from tests.backoffice.conftest import PASSWORDS
from tests.fixtures.browser import screenshot

pytestmark = pytest.mark.browser


def _sign_in(page, role: str, password: str | None = None) -> None:
    email, real = PASSWORDS[role]
    page.goto("/admin")
    page.fill("#staff-email", email)
    page.fill("#staff-password", password or real)
    page.click("#sign-in")


def test_support_finds_an_order_by_phone_and_resends_the_tickets(seeded, browser_page, app_server) -> None:
    page = browser_page
    with read_session() as session:
        stored = session.exec(select(Order).where(Order.phone == "0521234567").order_by(Order.id)).all()
    assert stored, "the demo season has orders for 052-123-4567"

    _sign_in(page, "support", "wrong-password")
    expect(page.locator("#sign-in-error")).to_contain_text("Wrong email or password")
    _sign_in(page, "support")
    page.wait_for_url("**/admin/orders")
    expect(page.locator("#signed-in-as")).to_contain_text("Support")

    page.fill("#order-search", "+972 52-123-4567")
    page.click("#search-button")
    rows = page.locator(".order-hit")
    expect(rows).to_have_count(len(stored))
    expect(page.locator("#search-results")).to_contain_text("phone")
    expect(page.locator("#search-results")).to_contain_text("נועה לוי")
    screenshot(page, "admin-search-by-phone")

    order = stored[-1]  # newest first: it is the first row
    page.locator(".order-link", has_text=order.number).click()
    page.wait_for_url(f"**/admin/orders/{order.number}")
    expect(page.locator("#order-number")).to_have_text(order.number)
    expect(page.get_by_text("Refund", exact=True)).to_have_count(0)  # support: no refunds
    expect(page.get_by_text("Total —")).to_be_visible()  # support: no prices

    page.click("#resend-tickets")
    expect(page.locator("#admin-notice")).to_contain_text("on their way")
    email = app_server.inbox.wait_for(lambda m: order.number in (m["Subject"] or "") and order.email in (m["To"] or ""))
    assert any(part.get_content_type() == "application/pdf" for part in email.iter_attachments())
    expect(page.locator("#audit-timeline")).to_contain_text("order.tickets_resent")
    expect(page.locator("#audit-timeline")).to_contain_text("Sagi Support")
    screenshot(page, "admin-order-resent")

    with read_session() as session:
        support = session.exec(select(StaffUser).where(StaffUser.role == "support")).one()
        resent = session.exec(select(AuditEntry).where(AuditEntry.action == "order.tickets_resent",
                                                       AuditEntry.entity_id == str(order.id))).one()
    assert resent.actor_type == "staff" and resent.actor_id == str(support.id)

    page.click("#sign-out")
    page.wait_for_url("**/admin")
    page.goto(f"/admin/orders/{order.number}")
    page.wait_for_url("**/admin")  # the old session is gone: back to sign-in
    expect(page.locator("#staff-email")).to_be_visible()
