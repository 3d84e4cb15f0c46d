"""The homepage in a real browser: the seeded season in Hebrew (RTL), switchable to English."""

from __future__ import annotations

import pytest

from tests.fixtures.browser import screenshot

pytestmark = pytest.mark.browser


def test_homepage_lists_seeded_shows_in_hebrew_then_english(seeded, browser_page) -> None:
    page = browser_page
    page.goto("/")
    page.get_by_role("heading", name="ההופעות הקרובות").wait_for()
    cards = page.get_by_test_id("show-card")
    cards.first.wait_for()
    assert cards.count() == 11  # twelve demo shows, one of them hidden from the public
    assert page.get_by_text("הדג נחש – הופעה חיה").first.is_visible()
    assert page.get_by_text("מסיבת הנעילה של תדר").count() == 0
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "he"
    screenshot(page, "home-he-desktop")

    page.click("#language-switch")
    page.get_by_role("heading", name="Upcoming shows").wait_for()
    page.get_by_text("Hadag Nahash Live").first.wait_for()
    assert page.evaluate("document.documentElement.dir") == "ltr"
    assert page.evaluate("document.documentElement.lang") == "en"
    page.set_viewport_size({"width": 375, "height": 812})
    screenshot(page, "home-en-phone")
