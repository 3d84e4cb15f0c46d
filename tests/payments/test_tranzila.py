"""The Tranzila adapter against a local HTTP server that answers as Tranzila's documented API.

The fake checks the documented authentication headers (HMAC-SHA256 of the app key with
secret + request time + nonce) on every API call, reports transactions from /v1/transactions and
records credit (refund) transactions from /v1/transaction/credit_card/create. A test-only route
plays the customer on the iframe page and posts the notify form to our notify URL.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from services.models import HoldStatus, OrderStatus, PaymentStatus, TicketStatus
from services.orders import reconcile_pending, refund_order, start_payment
from services.payments.tranzila import access_headers
from services.settings import get_settings
from tests.fixtures.http import ServedApp, free_port
from tests.payments.conftest import callbacks, deliveries, hold, order_row, payments, tickets

TERMINAL, APP_KEY, SECRET = "barbytest", "app-key-public", "app-secret-private"


class FakeTranzila:
    def __init__(self) -> None:
        self.transactions: list[dict] = []
        self.credits: list[dict] = []
        self.api_calls = 0
        self.indexes = itertools.count(1001)

    def authentic(self, request: Request) -> bool:
        h = request.headers
        key = SECRET + h.get("x-tranzila-api-request-time", "") + h.get("x-tranzila-api-nonce", "")
        expected = hmac.new(key.encode(), APP_KEY.encode(), hashlib.sha256).hexdigest()
        return h.get("x-tranzila-api-app-key") == APP_KEY and hmac.compare_digest(
            expected, h.get("x-tranzila-api-access-token", ""))

    async def report(self, request: Request) -> JSONResponse:
        if not self.authentic(request):
            return JSONResponse({"error_code": 401, "message": "Unauthorized"}, 401)
        self.api_calls += 1
        body = await request.json()
        rows = [t for t in self.transactions if body.get("terminal_name") == TERMINAL]
        if "transaction_index" in body:
            rows = [t for t in rows if t["index"] == body["transaction_index"]]
        return JSONResponse({"error_code": 0, "message": "Success", "transactions": rows})

    async def credit(self, request: Request) -> JSONResponse:
        if not self.authentic(request):
            return JSONResponse({"error_code": 401, "message": "Unauthorized"}, 401)
        body = await request.json()
        original = next((t for t in self.transactions if t["index"] == body.get("reference_txn_id")), None)
        if original is None or body.get("txn_type") != "credit":
            return JSONResponse({"error_code": 20000, "message": "Reference transaction not found"})
        self.credits.append(body)
        return JSONResponse({"error_code": 0, "message": "Success", "transaction_result": {
            "processor_response_code": "000", "transaction_id": next(self.indexes)}})

    async def customer_pays(self, request: Request) -> JSONResponse:
        """Test control: the customer pays on the iframe page; Tranzila records it and (maybe) notifies."""
        wish = await request.json()
        page = {k: v[-1] for k, v in parse_qs(urlparse(wish["page_url"]).query).items()}
        index = next(self.indexes)
        code = "000" if wish.get("approve", True) else "033"
        self.transactions.append({"index": index, "amount": float(page["sum"]), "currency": "1",
                                  "processor_response_code": code, "authorization_number": "0123456",
                                  "order_id": page["orderid"], "last_4": "4580",
                                  **({"payment_method": wish["wallet"]} if wish.get("wallet") else {})})
        form = {"Response": code, "index": str(index), "sum": page["sum"], "currency": page["currency"],
                "ConfirmationCode": "0123456", "orderid": page["orderid"], "ccno": "4580"}
        form.update(wish.get("override", {}))
        status = None
        if wish.get("notify", True):
            async with httpx.AsyncClient() as client:
                status = (await client.post(page["notify_url_address"], data=form)).status_code
        return JSONResponse({"index": index, "notify_status": status})

    def app(self) -> Starlette:
        return Starlette(routes=[
            Route("/v1/transactions", self.report, methods=["POST"]),
            Route("/v1/transaction/credit_card/create", self.credit, methods=["POST"]),
            Route("/test/customer-pays", self.customer_pays, methods=["POST"]),
        ])


@pytest.fixture
def tranzila(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FakeTranzila, str]]:
    fake = FakeTranzila()
    with ServedApp(fake.app(), free_port()) as served:
        for name, value in {"PAYMENT_PROVIDER": "tranzila", "TRANZILA_BASE_URL": served.url,
                            "TRANZILA_TERMINAL": TERMINAL, "TRANZILA_APP_KEY": APP_KEY,
                            "TRANZILA_SECRET": SECRET}.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        yield fake, served.url


def customer_pays(fake_url: str, page_url: str, **wish) -> dict:
    return httpx.post(f"{fake_url}/test/customer-pays", json={"page_url": page_url, **wish}, timeout=30).json()


def test_access_token_is_the_documented_hmac():
    headers = access_headers("key", "secret", now=1700000000, nonce="ab" * 40)
    expected = hmac.new(b"secret1700000000" + b"ab" * 40, b"key", hashlib.sha256).hexdigest()
    assert headers["X-tranzila-api-access-token"] == expected
    assert headers["X-tranzila-api-request-time"] == "1700000000" and len(headers["X-tranzila-api-nonce"]) == 80


def test_notify_confirmed_by_the_transactions_api_pays_once(tranzila, http, buy):
    fake, fake_url = tranzila
    bought = buy(quantity=2)
    page_url = start_payment(bought.order.number)
    query = {k: v[-1] for k, v in parse_qs(urlparse(page_url).query).items()}
    assert page_url.startswith(f"https://direct.tranzila.com/{TERMINAL}/iframenew.php?")
    assert (query["sum"], query["currency"], query["orderid"]) == ("241.00", "1", bought.order.number)
    assert query["notify_url_address"].startswith(f"{http.base_url}/api/payments/tranzila/notify?")
    paid = customer_pays(fake_url, page_url)
    assert paid["notify_status"] == 200 and fake.api_calls == 1
    order = order_row(bought.order.id)
    assert order.status == OrderStatus.PAID and tickets(order.id) == 2 and deliveries(order.id) == 1
    (payment,) = payments(order.id)
    assert (payment.provider, payment.provider_transaction_id, payment.amount) == ("tranzila", str(paid["index"]), 24100)
    assert hold(bought.hold.id).status == HoldStatus.CONVERTED
    stored = callbacks(bought.order.number)[0]
    assert stored.signature_valid and stored.outcome == "paid" and "sig" in json.loads(stored.headers)["query"]
    again = httpx.post(query["notify_url_address"], content=stored.raw_body,
                       headers={"content-type": "application/x-www-form-urlencoded"})
    assert again.json()["outcome"] == "duplicate" and tickets(order.id) == 2


def test_a_wallet_payment_is_recorded_as_such(tranzila, http, buy):
    _fake, fake_url = tranzila
    bought = buy(quantity=1)
    customer_pays(fake_url, start_payment(bought.order.number), wallet="GooglePay")
    assert [(p.method, p.card_last4) for p in payments(bought.order.id)] == [("google_pay", "4580")]
    card = buy(quantity=1, email="card@example.com")
    customer_pays(fake_url, start_payment(card.order.number))
    assert [p.method for p in payments(card.order.id)] == ["card"]


def test_notify_with_a_wrong_token_or_an_unpaid_index_changes_nothing(tranzila, http, buy):
    _fake, fake_url = tranzila
    bought = buy(quantity=1)
    page_url = start_payment(bought.order.number)
    notify = parse_qs(urlparse(page_url).query)["notify_url_address"][0]
    forged = httpx.post(notify.split("&sig=")[0] + "&sig=" + "0" * 64,
                        data={"Response": "000", "index": "1", "sum": "120.50", "orderid": bought.order.number})
    invented = httpx.post(notify, data={"Response": "000", "index": "999", "sum": "120.50", "currency": "1",
                                        "orderid": bought.order.number})
    tampered = customer_pays(fake_url, page_url, override={"sum": "1.00"})
    assert (forged.status_code, invented.status_code, tampered["notify_status"]) == (401, 409, 400)
    assert [c.outcome for c in callbacks()] == ["rejected_signature", "rejected_unconfirmed", "rejected_amount"]
    assert order_row(bought.order.id).status == OrderStatus.PENDING_PAYMENT and tickets(bought.order.id) == 0


def test_lost_notify_is_recovered_from_the_transactions_report(tranzila, http, buy):
    _fake, fake_url = tranzila
    bought = buy(quantity=1)
    customer_pays(fake_url, start_payment(bought.order.number), notify=False)
    assert order_row(bought.order.id).status == OrderStatus.PENDING_PAYMENT
    assert reconcile_pending(older_than=timedelta(0)) == 1
    assert order_row(bought.order.id).status == OrderStatus.PAID and tickets(bought.order.id) == 1


def test_a_declined_payment_is_recorded_and_the_order_expires_with_its_hold(tranzila, http, buy):
    _fake, fake_url = tranzila
    bought = buy(quantity=1)
    assert customer_pays(fake_url, start_payment(bought.order.number), approve=False)["notify_status"] == 200
    assert order_row(bought.order.id).status == OrderStatus.PENDING_PAYMENT
    assert payments(bought.order.id)[0].status == PaymentStatus.DECLINED
    later = bought.hold.expires_at + timedelta(minutes=1)
    assert reconcile_pending(older_than=timedelta(0), now=later) == 1
    assert order_row(bought.order.id).status == OrderStatus.EXPIRED
    assert hold(bought.hold.id).status == HoldStatus.RELEASED


def test_refund_is_a_credit_transaction_referencing_the_charge(tranzila, http, buy):
    fake, fake_url = tranzila
    bought = buy(quantity=2)
    paid = customer_pays(fake_url, start_payment(bought.order.number))
    refund = refund_order(bought.order.id, staff_user_id=None, reason="show cancelled")
    assert refund.status == "done" and refund.amount == 24100
    (credit,) = fake.credits
    assert (credit["txn_type"], credit["reference_txn_id"], credit["terminal_name"]) == ("credit", paid["index"], TERMINAL)
    assert credit["items"][0]["unit_price"] == 241.0
    assert order_row(bought.order.id).status == OrderStatus.REFUNDED
    assert tickets(bought.order.id, TicketStatus.VOID) == 2
    assert payments(bought.order.id)[0].status == PaymentStatus.REFUNDED
