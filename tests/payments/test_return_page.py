"""The customer's return page answers only the browser the provider sent back (order numbers are guessable)."""

from __future__ import annotations

import httpx

from services.models import HoldStatus, OrderStatus
from services.order_access import order_key, return_url
from services.orders import start_payment
from services.storefront import abandon_payment, order_progress
from tests.payments.conftest import hold, order_row
from tests.payments.test_payplus_sandbox import pay


def test_return_urls_carry_the_order_key(buy, api_server) -> None:
    bought = buy()
    url = return_url(bought.order.number, "success")
    assert f"/order/{bought.order.number}?key={order_key(bought.order.number)}&result=success" in url


def test_without_the_key_the_page_shows_nothing_and_cannot_release_tickets(buy, api_server, http: httpx.Client) -> None:
    bought = buy()
    number = bought.order.number
    for key in (None, "", "0" * 32, order_key("B-999999")):
        assert order_progress(number, key).found is False
        abandon_payment(number, key)
    assert order_row(bought.order.id).status == OrderStatus.PENDING_PAYMENT
    assert hold(bought.hold.id).status == HoldStatus.ACTIVE
    assert http.get(f"/api/payments/orders/{number}").status_code == 404

    abandon_payment(number, order_key(number))  # the customer's own browser, back from the payment page
    assert order_row(bought.order.id).status == OrderStatus.CANCELLED
    assert hold(bought.hold.id).status == HoldStatus.RELEASED


def test_a_paid_order_is_never_cancelled_by_the_return_page(buy, api_server, http: httpx.Client) -> None:
    bought = buy()
    number = bought.order.number
    pay(http, start_payment(number))
    abandon_payment(number, order_key(number))  # e.g. an old "failure" tab reloaded after paying
    assert order_row(bought.order.id).status == OrderStatus.PAID
    progress = order_progress(number, order_key(number))
    assert progress.paid and progress.download.startswith("http")
