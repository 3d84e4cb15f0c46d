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


def test_navigation_pages_and_keyboard_purchase(seeded, browser_page) -> None:
    """Every navigation target answers in both languages; a show can be bought with the keyboard alone."""
    page = browser_page
    for path, heading in (("/contact", "צור קשר"), ("/support", "עזרה"), ("/gift-cards", "כרטיסי מתנה"),
                          ("/account", "האזור האישי")):
        page.goto(path)
        page.get_by_role("heading", name=heading, level=1).wait_for()
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto("/")
    page.click("#mobile-menu")
    page.get_by_role("menuitem", name="צור קשר").click()
    page.wait_for_url("**/contact")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/shows/hadag-nahash-live")
    page.wait_for_selector("#ticket-action[data-action=buy]")
    page.locator("#quantity").wait_for()
    for _ in range(60):
        if page.evaluate("document.activeElement && document.activeElement.id") == "buy-button":
            break
        page.keyboard.press("Tab")
    else:
        raise AssertionError("the buy button is not reachable with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/checkout/**")
    page.wait_for_selector("#hold-countdown")
