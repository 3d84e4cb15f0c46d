"""Show management in a real browser: a manager opens a show, sees what the public sees now, is refused
a capacity below what is sold (nothing changes), and support is kept out of show management."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from services.db import read_session
from services.models import Show, TicketTier
from tests.backoffice.conftest import PASSWORDS
from tests.fixtures.browser import screenshot

pytestmark = pytest.mark.browser


def _sign_in(page, role: str) -> None:
    email, password = PASSWORDS[role]
    page.goto("/admin")
    page.fill("#staff-email", email)
    page.fill("#staff-password", password)
    page.click("#sign-in")
    page.wait_for_url("**/admin/orders")


def test_manager_edits_a_show_and_is_refused_breaking_sold_tickets(seeded, browser_page) -> None:
    page = browser_page
    with read_session() as session:
        show = session.exec(select(Show).where(Show.slug == "noga-erez")).one()
    _sign_in(page, "manager")
    page.goto("/admin/shows")
    page.get_by_role("link", name=show.title_en).click()
    page.wait_for_url(f"**/admin/shows/{show.id}")
    expect(page.locator("#preview-action")).to_contain_text("Join the waiting list")  # sold out, waiting list on
    expect(page.locator("#field-title_he")).to_have_value(show.title_he)
    page.fill("#field-capacity", str(show.sold - 1))
    page.click("#save-show")
    expect(page.locator("#admin-error")).to_contain_text(f"below the {show.sold} tickets already sold")
    screenshot(page, "admin-show-capacity-refused")
    with read_session() as session:
        assert session.get(Show, show.id).capacity == show.capacity

    # Editing a tier starts from its current values; only the changed price moves.
    page.get_by_role("button", name="Edit").first.click()
    expect(page.get_by_label("English name")).to_have_value("Regular")
    expect(page.get_by_label("Allocation")).to_have_value("500")
    page.get_by_label("Price").fill("199")
    page.get_by_role("button", name=re.compile(r"Save tier")).click()
    expect(page.locator("#admin-notice")).to_contain_text("Tier saved")
    with read_session() as session:
        tier = session.exec(select(TicketTier).where(TicketTier.show_id == show.id)).one()
    assert (tier.name_en, tier.price, tier.allocation) == ("Regular", 19900, 500)


def test_support_cannot_open_show_management(seeded, browser_page) -> None:
    page = browser_page
    _sign_in(page, "support")
    expect(page.get_by_role("link", name="Shows")).to_have_count(0)
    page.goto("/admin/shows")
    expect(page.locator("#admin-error")).to_contain_text("may not do this")
    expect(page.locator("table tbody tr")).to_have_count(0)
