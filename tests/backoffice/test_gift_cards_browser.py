"""Gift cards in the back office, in a real browser: a manager finds a card, sees its ledger and adjusts it;
support finds the same card but sees only the last four characters of its code and no money actions."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from services.db import read_session
from services.models import GiftCard
from tests.backoffice.test_support_browser import _sign_in
from tests.fixtures.browser import screenshot

pytestmark = pytest.mark.browser


def test_manager_adjusts_a_card_and_support_sees_it_masked(seeded, browser_page, app_server) -> None:
    page = browser_page
    _sign_in(page, "manager")
    page.wait_for_url("**/admin/orders")
    page.click("text=Gift cards")
    page.wait_for_url("**/admin/gift-cards")
    expect(page.locator("#liability")).to_contain_text("₪")  # the page has loaded
    page.fill("#card-search", "yossi.cohen@")
    page.click("#card-search-button")
    page.locator(".card-link", has_text="BRBY-GFT2-PART-8888").click()
    page.wait_for_url("**/admin/gift-cards/*")
    expect(page.locator("#card-balance")).to_have_text("₪80")
    page.fill("#field-amount", "20")
    page.locator("#field-reason").first.fill("goodwill: the show started late")
    page.click("#adjust-card")
    expect(page.locator("#card-balance")).to_have_text("₪100")
    expect(page.get_by_text("goodwill: the show started late")).to_be_visible()
    screenshot(page, "admin-gift-card")
    with read_session() as session:
        assert session.exec(select(GiftCard).where(GiftCard.code == "BRBYGFT2PART8888")).one().balance == 10000

    page.click("#sign-out")
    page.wait_for_url("**/admin")
    _sign_in(page, "support")
    page.wait_for_url("**/admin/orders")
    page.click("text=Gift cards")
    page.wait_for_url("**/admin/gift-cards")
    expect(page.locator("#signed-in-as")).to_contain_text("Support")  # the page's session check has run
    page.fill("#card-search", "yossi.cohen@")
    page.click("#card-search-button")
    expect(page.locator("#card-results")).to_contain_text("••••-8888")
    expect(page.locator("#card-results")).not_to_contain_text("BRBY-GFT2")
    page.locator(".card-link", has_text="••••-8888").click()
    page.wait_for_url("**/admin/gift-cards/*")
    expect(page.locator("#card-code")).to_have_text("••••-8888")
    expect(page.locator("#adjust-card")).to_have_count(0)
    expect(page.locator("#resend-card")).to_be_visible()
