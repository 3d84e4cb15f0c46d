"""The customer journey in headless Chromium, from a freshly seeded database to the ticket in the inbox.

Screenshots of every screen, at phone and desktop width, land in test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from services.clock import now
from services.db import read_session, transaction
from services.models import Hold, HoldStatus, Order, OrderStatus, Show, Ticket, TicketTier, WaitingListEntry
from tests.fixtures.browser import screenshot
from tests.pages.steps import confirmed_order_number, fill_purchase_form, pay_by_card

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def _shots(page, name: str) -> None:
    """The current screen at desktop and phone width."""
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.wait_for_timeout(150)
        screenshot(page, f"{name}-{label}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], f"{name} scrolls sideways at {label} width ({width}px)"
    page.set_viewport_size(DESKTOP)


def _open_show_and_hold(page, *, search: str, title: str, quantity: str) -> None:
    page.goto("/")
    page.get_by_test_id("show-card").first.wait_for()
    page.fill("#show-search", search)
    cards = page.get_by_test_id("show-card")
    expect(cards).to_have_count(1)
    expect(cards).to_contain_text(title)
    cards.click()
    page.wait_for_selector("#show-title")
    expect(page.locator("#show-title")).to_have_text(title)
    page.select_option("#quantity", quantity)
    page.click("#buy-button")
    page.wait_for_url(re.compile(r"/checkout/"))
    page.wait_for_selector("#hold-countdown")


def _assert_paid(order_number: str, quantity: int) -> Order:
    with read_session() as session:
        order = session.exec(select(Order).where(Order.number == order_number)).one()
        tickets = session.exec(select(Ticket).where(Ticket.order_id == order.id)).all()
    assert order.status == OrderStatus.PAID
    assert len(tickets) == quantity
    return order


def _wait_for_ticket_email(app_server, order_number: str, to: str) -> None:
    # Order numbers repeat across tests (each test starts from empty tables) while the inbox lasts the whole
    # run, so the recipient tells this order's email apart from an earlier test's.
    email = app_server.inbox.wait_for(lambda m: order_number in (m["Subject"] or "") and m["To"] == to)
    attachments = [part for part in email.iter_attachments() if part.get_content_type() == "application/pdf"]
    assert attachments and attachments[0].get_content().startswith(b"%PDF")


def test_search_buy_two_with_google_pay_and_by_card(seeded, browser_page, app_server) -> None:
    page = browser_page
    _open_show_and_hold(page, search="hadag nahsh", title="הדג נחש – הופעה חיה", quantity="2")
    expect(page.locator("#order-total")).to_have_text("₪318")
    fill_purchase_form(page, email="noa.buyer@example.com")
    _shots(page, "checkout-form")
    page.click("#pay-button")
    page.wait_for_selector("#google-pay-button")
    _shots(page, "payment-page")
    page.click("#google-pay-button")
    page.wait_for_selector("#order-confirmed", timeout=60000)
    number = page.inner_text("#order-number")
    expect(page.locator("#tickets-sent")).to_contain_text("noa.buyer@example.com")
    _shots(page, "order-success")
    _assert_paid(number, 2)
    _wait_for_ticket_email(app_server, number, "noa.buyer@example.com")

    # The same journey on a phone, paying by card.
    page.set_viewport_size(PHONE)
    _open_show_and_hold(page, search="טונה", title="טונה – סיבוב חורף", quantity="2")
    fill_purchase_form(page, email="card.buyer@example.com", phone="+972 54 765 4321")
    pay_by_card(page)
    number = confirmed_order_number(page)
    order = _assert_paid(number, 2)
    assert order.phone == "0547654321"
    _wait_for_ticket_email(app_server, number, "card.buyer@example.com")


def test_secret_link_buys_when_the_public_sale_is_sold_out(seeded, browser_page, app_server) -> None:
    page = browser_page
    page.goto("/shows/ravid-plotnik")
    page.wait_for_selector("#ticket-action[data-action=sold_out]")
    _shots(page, "show-sold-out")
    page.goto("/s/ravid-friends-2026")
    page.wait_for_selector("#ticket-action[data-action=buy]")
    expect(page.locator("#ticket-price")).to_have_text("₪140")
    _shots(page, "show-secret-link")
    page.select_option("#quantity", "2")
    page.click("#buy-button")
    page.wait_for_url(re.compile(r"/checkout/"))
    fill_purchase_form(page, email="partner@example.com")
    page.click("#pay-button")
    page.click("#google-pay-button")
    page.wait_for_selector("#order-confirmed", timeout=60000)
    order = _assert_paid(page.inner_text("#order-number"), 2)
    assert order.secret_link_id is not None and order.unit_price == 14000


def test_join_the_waiting_list_of_a_sold_out_show(seeded, browser_page) -> None:
    page = browser_page
    page.goto("/shows/noga-erez")
    page.wait_for_selector("#ticket-action[data-action=waiting_list]")
    _shots(page, "show-waiting-list")
    page.fill("#field-name", "Dana Mizrahi")
    page.fill("#field-email", "dana@example")  # the browser accepts it; the server does not
    page.click("#list-submit")
    page.wait_for_selector("#field-email-error")
    page.fill("#field-email", "dana.wait@example.com")
    page.fill("#field-phone", "050 987 6543")
    page.click("#list-submit")
    page.wait_for_selector("#list-joined")
    _shots(page, "waiting-list-joined")
    with read_session() as session:
        entry = session.exec(select(WaitingListEntry)).one()
    assert (entry.email, entry.phone, entry.kind) == ("dana.wait@example.com", "0509876543", "waiting_list")


def test_an_expired_hold_releases_the_tickets_and_the_customer_can_try_again(seeded, browser_page) -> None:
    page = browser_page
    _open_show_and_hold(page, search="el khat", title="אל ח'את", quantity="3")
    token = page.url.rsplit("/", 1)[-1]
    with transaction() as session:  # let the clock run out: the hold now ends in three seconds
        hold = session.exec(select(Hold).where(Hold.token == token)).one()
        hold.expires_at = now() + timedelta(seconds=3)
    page.reload()
    page.wait_for_selector("#hold-expired", timeout=20000)
    _shots(page, "checkout-hold-expired")
    with read_session() as session:
        hold = session.exec(select(Hold).where(Hold.token == token)).one()
        tier = session.get(TicketTier, hold.tier_id)
        show = session.get(Show, hold.show_id)
    assert hold.status == HoldStatus.EXPIRED
    assert tier.held == 0 and show.held == 0
    page.get_by_role("button", name="לנסות שוב").click()
    page.wait_for_selector("#ticket-action[data-action=buy]")


def test_a_declined_card_and_a_cancelled_payment_release_the_tickets(seeded, browser_page) -> None:
    page = browser_page
    for leave in ("decline", "cancel"):
        _open_show_and_hold(page, search="marina", title="מרינה מקסימיליאן", quantity="2")
        fill_purchase_form(page, email=f"{leave}@example.com")
        page.click("#pay-button")
        page.wait_for_selector("#card-number")
        if leave == "decline":
            page.fill("#card-number", "4000 0000 0000 0002")
            page.fill("#card-expiry", "12/30")
            page.fill("#card-cvv", "123")
            page.click("#pay-button")
        else:
            page.click("#cancel-payment")
        page.wait_for_selector("#order-failed", timeout=60000)
        _shots(page, f"order-failed-{leave}")
        with read_session() as session:
            order = session.exec(select(Order).where(Order.email == f"{leave}@example.com")).one()
            hold = session.get(Hold, order.hold_id)
        assert order.status in (OrderStatus.FAILED, OrderStatus.CANCELLED)
        assert hold.status == HoldStatus.RELEASED
    with read_session() as session:
        assert sum(t.held for t in session.exec(select(TicketTier))) == 0


def test_a_double_click_or_coming_back_never_holds_twice(seeded, browser_page) -> None:
    page = browser_page
    page.goto("/shows/hadag-nahash-live")
    page.wait_for_selector("#ticket-action[data-action=buy]")
    page.select_option("#quantity", "2")
    page.dblclick("#buy-button")
    page.wait_for_url(re.compile(r"/checkout/"))
    page.wait_for_selector("#hold-countdown")
    with read_session() as session:
        assert len(session.exec(select(Hold).where(Hold.status == HoldStatus.ACTIVE)).all()) == 1
    page.go_back()
    page.wait_for_selector("#ticket-action[data-action=buy]")
    page.select_option("#quantity", "3")
    page.click("#buy-button")
    page.wait_for_url(re.compile(r"/checkout/"))
    expect(page.locator("#order-total")).to_have_text("₪477")
    with read_session() as session:
        active = session.exec(select(Hold).where(Hold.status == HoldStatus.ACTIVE)).all()
        tier = session.get(TicketTier, active[0].tier_id)
    assert [hold.quantity for hold in active] == [3]
    assert tier.held == 3
