"""The PayPlus adapter end to end against the sandbox over real HTTP, with the database asserted."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.parse import urlparse

import httpx
import pytest

from services.models import HoldStatus, OrderStatus, PaymentStatus
from services.order_access import order_key, return_url
from services.orders import order_status, reconcile_pending, start_payment
from services.payments.payplus import sign_body
from services.payments.sandbox import BANK
from services.settings import get_settings
from services.storefront import abandon_payment
from tests.payments.conftest import callbacks, deliveries, hold, order_row, payments, tickets, tier

APPROVE, DECLINE, LATE, TWICE, NEVER = (
    "4111111111111111", "4000000000000002", "4000000000000010", "4000000000000028", "4000000000000036")


def pay(http: httpx.Client, page_url: str, card: str | None = None) -> httpx.Response:
    """What the customer does on the hosted page: open it, then Google Pay or the card form."""
    path = urlparse(page_url).path
    page = http.get(path)
    assert page.status_code == 200
    for element_id in ('id="google-pay-button"', 'id="card-form"', 'id="card-number"', 'id="pay-button"'):
        assert element_id in page.text
    form = {"method": "google_pay"} if card is None else {
        "method": "card", "card_number": card, "card_expiry": "12/30", "card_cvv": "123", "card_holder": "Dana Levi"}
    return http.post(path, data=form, follow_redirects=False)


def signed(body: dict, secret: str | None = None) -> tuple[bytes, dict[str, str]]:
    raw = json.dumps(body, separators=(",", ":")).encode()
    secret = secret or get_settings().payplus_secret_key
    return raw, {"hash": sign_body(raw, secret), "user-agent": "PayPlus", "content-type": "application/json"}


def held_callback(page_url: str) -> tuple[bytes, dict[str, str]]:
    """The genuine signed callback the sandbox is holding back for a "late" card."""
    (delivery,) = BANK.release(urlparse(page_url).path.rsplit("/", 1)[-1])
    return delivery.body, delivery.headers


def assert_paid_once(bought, *, deliveries_expected: int = 1) -> None:
    order = order_row(bought.order.id)
    assert order.status == OrderStatus.PAID and order.paid_at is not None
    assert tickets(order.id) == bought.order.quantity
    approved = [p for p in payments(order.id) if p.status == PaymentStatus.APPROVED]
    assert len(approved) == 1 and approved[0].amount == order.amount_due and approved[0].provider_transaction_id
    assert deliveries(order.id) == deliveries_expected
    assert hold(bought.hold.id).status == HoldStatus.CONVERTED
    assert (tier(bought.tier_id).sold, tier(bought.tier_id).held) == (bought.order.quantity, 0)


def assert_untouched(bought) -> None:
    order = order_row(bought.order.id)
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert tickets(order.id) == 0 and deliveries(order.id) == 0
    assert all(p.status == PaymentStatus.CREATED for p in payments(order.id))
    assert hold(bought.hold.id).status == HoldStatus.ACTIVE


def test_approve_by_card_pays_the_order_with_the_callback_before_the_redirect(http, buy):
    bought = buy(quantity=2)
    page_url = start_payment(bought.order.number)
    assert page_url.startswith(f"{http.base_url}/sandbox/payplus/page/")
    response = pay(http, page_url, APPROVE)
    assert response.status_code == 303
    assert response.headers["location"].startswith(return_url(bought.order.number, "success"))
    assert_paid_once(bought)  # before the browser even followed the redirect
    assert [(p.method, p.card_last4) for p in payments(bought.order.id)] == [("card", "1111")]
    (stored,) = callbacks(bought.order.number)
    assert stored.signature_valid and stored.outcome == "paid" and json.loads(stored.headers)["user-agent"] == "PayPlus"
    view = http.get(f"/api/payments/orders/{bought.order.number}", params={"key": order_key(bought.order.number)}).json()
    assert view["status"] == "paid" and view["tickets"] == 2 and view["paid"] is True


def test_google_pay_approves(http, buy):
    bought = buy(quantity=1)
    assert pay(http, start_payment(bought.order.number)).status_code == 303
    assert_paid_once(bought)
    assert [p.method for p in payments(bought.order.id)] == ["google_pay"]  # PayPlus IPN data.method


def test_a_decline_is_recorded_and_the_buyer_keeps_the_tickets_until_leaving(http, buy):
    """One declined card does not throw the tickets back into a drop; going back without paying does."""
    bought = buy(quantity=2)
    page_url = start_payment(bought.order.number)
    response = pay(http, page_url, DECLINE)
    assert "result=failure" in response.headers["location"]
    order = order_row(bought.order.id)
    assert order.status == OrderStatus.PENDING_PAYMENT and tickets(order.id) == 0 and deliveries(order.id) == 0
    assert [p.status for p in payments(order.id)] == [PaymentStatus.DECLINED]
    assert hold(bought.hold.id).status == HoldStatus.ACTIVE
    assert [c.outcome for c in callbacks(bought.order.number)] == ["declined"]
    assert reconcile_pending(older_than=timedelta(0)) == 0  # the decline settles nothing; the hold is live

    abandon_payment(bought.order.number, order_key(bought.order.number))  # the failure return page
    assert order_row(bought.order.id).status == OrderStatus.CANCELLED
    assert hold(bought.hold.id).status == HoldStatus.RELEASED and tier(bought.tier_id).held == 0
    assert order_status(bought.order.number).status == "cancelled"


def test_duplicate_callbacks_in_sequence_change_nothing(http, buy):
    bought = buy(quantity=2)
    pay(http, start_payment(bought.order.number), TWICE)
    assert [c.outcome for c in callbacks(bought.order.number)] == ["paid", "duplicate"]
    first = callbacks(bought.order.number)[0]
    again = http.post("/api/payments/payplus/callback", content=first.raw_body.encode(),
                      headers={"hash": json.loads(first.headers)["hash"], "user-agent": "PayPlus"})
    assert again.status_code == 200 and again.json()["outcome"] == "duplicate"
    assert_paid_once(bought)


def test_ten_concurrent_callbacks_make_one_order_one_set_of_tickets_one_delivery(http, buy):
    bought = buy(quantity=3)
    page_url = start_payment(bought.order.number)
    pay(http, page_url, LATE)
    body, headers = held_callback(page_url)
    gate = threading.Barrier(10)

    def fire(_: int) -> httpx.Response:
        with httpx.Client(base_url=str(http.base_url), timeout=30) as client:
            gate.wait()
            return client.post("/api/payments/payplus/callback", content=body, headers=headers)

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(fire, range(10)))
    assert [r.status_code for r in results] == [200] * 10
    outcomes = sorted(r.json()["outcome"] for r in results)
    assert outcomes == ["duplicate"] * 9 + ["paid"]
    assert_paid_once(bought)
    assert len(callbacks(bought.order.number)) == 10


def test_callback_after_the_redirect_return_page_asks_the_provider(http, buy):
    bought = buy(quantity=2)
    page_url = start_payment(bought.order.number)
    response = pay(http, page_url, LATE)
    assert "result=success" in response.headers["location"]
    assert order_row(bought.order.id).status == OrderStatus.PENDING_PAYMENT and callbacks() == []
    view = http.get(f"/api/payments/orders/{bought.order.number}", params={"key": order_key(bought.order.number)}).json()
    assert view["status"] == "paid" and view["tickets"] == 2
    released = http.post(f"/sandbox/payplus/control/release/{urlparse(page_url).path.rsplit('/', 1)[-1]}")
    assert released.json() == {"delivered": [200]}
    assert [c.outcome for c in callbacks(bought.order.number)] == ["duplicate"]
    assert_paid_once(bought)


def test_lost_callback_is_recovered_by_reconciliation(http, buy):
    bought = buy(quantity=2)
    pay(http, start_payment(bought.order.number), NEVER)
    assert order_row(bought.order.id).status == OrderStatus.PENDING_PAYMENT
    assert reconcile_pending(older_than=timedelta(0)) == 1
    assert_paid_once(bought)
    assert callbacks() == []
    assert reconcile_pending(older_than=timedelta(0)) == 0


def test_abandoned_payment_expires_and_releases_the_hold(http, buy):
    bought = buy(quantity=2)
    start_payment(bought.order.number)  # the customer never pays
    assert reconcile_pending(older_than=timedelta(0)) == 0  # hold still live: wait
    later = bought.hold.expires_at + timedelta(minutes=1)
    assert reconcile_pending(older_than=timedelta(0), now=later) == 1
    order = order_row(bought.order.id)
    assert order.status == OrderStatus.EXPIRED and tickets(order.id) == 0
    assert [p.status for p in payments(order.id)] == [PaymentStatus.ABANDONED]
    assert hold(bought.hold.id).status == HoldStatus.RELEASED and tier(bought.tier_id).held == 0


def test_forged_signature_is_stored_rejected_and_changes_nothing(http, buy):
    bought = buy(quantity=2)
    page_url = start_payment(bought.order.number)
    pay(http, page_url, LATE)
    body, headers = held_callback(page_url)
    forged = http.post("/api/payments/payplus/callback", content=body,
                       headers={**headers, "hash": sign_body(body, "not-our-secret")})
    unsigned = http.post("/api/payments/payplus/callback", content=body, headers={"user-agent": "PayPlus"})
    assert (forged.status_code, unsigned.status_code) == (401, 401)
    stored = callbacks()
    assert [(c.signature_valid, c.outcome) for c in stored] == [(False, "rejected_signature")] * 2
    assert stored[0].raw_body == body.decode()
    assert_untouched(bought)


def test_tampered_amount_is_rejected(http, buy):
    bought = buy(quantity=2)
    page_url = start_payment(bought.order.number)
    pay(http, page_url, LATE)
    body, headers = held_callback(page_url)
    cheaper = json.loads(body)
    cheaper["transaction"]["amount"] = 1.0
    tampered = json.dumps(cheaper, separators=(",", ":")).encode()
    unsigned = http.post("/api/payments/payplus/callback", content=tampered, headers=headers)
    resigned = http.post("/api/payments/payplus/callback", content=tampered, headers=signed(cheaper)[1])
    assert (unsigned.status_code, resigned.status_code) == (401, 400)
    assert [c.outcome for c in callbacks()] == ["rejected_signature", "rejected_amount"]
    assert_untouched(bought)


def test_replay_for_another_order_is_rejected(http, buy):
    first, second = buy(quantity=1, email="a@example.com"), buy(quantity=2, email="b@example.com")
    first_page = start_payment(first.order.number)
    pay(http, first_page, APPROVE)
    start_payment(second.order.number)
    genuine = callbacks(first.order.number)[0]
    replayed = http.post("/api/payments/payplus/callback", content=genuine.raw_body.encode(),
                         headers={"hash": json.loads(genuine.headers)["hash"], "user-agent": "PayPlus"})
    assert replayed.json()["outcome"] == "duplicate"  # it can only ever speak for the first order
    aimed = json.loads(genuine.raw_body)
    aimed["transaction"]["more_info"] = second.order.number
    raw = json.dumps(aimed, separators=(",", ":")).encode()
    unsigned = http.post("/api/payments/payplus/callback", content=raw,
                         headers={"hash": json.loads(genuine.headers)["hash"], "user-agent": "PayPlus"})
    resigned = http.post("/api/payments/payplus/callback", content=raw, headers=signed(aimed)[1])
    assert (unsigned.status_code, resigned.status_code) == (401, 409)
    assert callbacks()[-1].outcome == "rejected_page_mismatch"
    assert_untouched(second)
    assert_paid_once(first)


def test_unknown_order_is_rejected(http, buy):
    body, headers = signed({"transaction_type": "Charge", "transaction": {
        "uid": "x1", "payment_page_request_uid": "nope", "status_code": "000", "amount": 10.0,
        "currency": "ILS", "more_info": "B-999999"}})
    response = http.post("/api/payments/payplus/callback", content=body, headers=headers)
    assert response.status_code == 404 and callbacks()[0].outcome == "rejected_unknown_order"


def test_sandbox_authenticates_the_merchant(http):
    answer = http.post("/sandbox/payplus/api/v1.0/PaymentPages/generateLink",
                       json={"payment_page_uid": "x", "amount": 10, "currency_code": "ILS"},
                       headers={"api-key": "wrong", "secret-key": "wrong"})
    assert answer.status_code == 401


@pytest.mark.parametrize("card", [APPROVE, TWICE])
def test_a_used_page_cannot_be_paid_again(http, buy, card):
    bought = buy(quantity=1)
    page_url = start_payment(bought.order.number)
    pay(http, page_url, card)
    again = http.post(urlparse(page_url).path, data={"method": "card", "card_number": APPROVE})
    assert again.status_code == 409
    assert_paid_once(bought)


def test_a_payment_after_the_order_expired_is_found_even_when_its_callback_is_lost(http, buy):
    bought = buy(quantity=2)
    page_url = start_payment(bought.order.number)
    later = bought.hold.expires_at + timedelta(minutes=1)
    assert reconcile_pending(older_than=timedelta(0), now=later) == 1
    assert order_row(bought.order.id).status == OrderStatus.EXPIRED
    pay(http, page_url, NEVER)  # the page was still open: the customer pays, and the callback is lost
    assert order_row(bought.order.id).status == OrderStatus.EXPIRED
    assert reconcile_pending(older_than=timedelta(0), now=later + timedelta(minutes=5)) == 0  # asked within the hour
    assert reconcile_pending(older_than=timedelta(0), now=later + timedelta(hours=2)) == 1
    order = order_row(bought.order.id)
    assert order.status == OrderStatus.PAID and tickets(order.id) == 2  # the capacity was still there
    assert reconcile_pending(older_than=timedelta(0), now=later + timedelta(hours=4)) == 0
