"""The sandbox's HTTP face: PayPlus's API paths, its hosted page and its signed callbacks.

Plain server-rendered HTML from Starlette (it stands in for a third-party site, so not Reflex).
`routes` is empty unless the sandbox is allowed (never in production), and every handler checks
again at request time, so a stray mount cannot turn it on.
"""

from __future__ import annotations

import asyncio
import html
import logging
from urllib.parse import parse_qs

import httpx
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from barby_app.api.bodies import BadBody, read_capped, read_json_object
from services.clock import format_money
from services.payments.base import decimal_to_agorot
from services.payments.sandbox import API_PREFIX, BANK, PAGE_PREFIX, TEST_CARDS, Delivery, SandboxPage, sandbox_allowed
from services.settings import get_settings

log = logging.getLogger("barby.sandbox")
LATE_CALLBACK_SECONDS = 5.0  # how late a "late" callback is when nobody releases it sooner
_background: set[asyncio.Task] = set()


def _gone() -> Response:
    return JSONResponse({"error": "the payment sandbox is disabled"}, status_code=404)


def _merchant_secret(request: Request) -> str | None:
    """The merchant's secret key when its api-key / secret-key headers are right (as PayPlus checks)."""
    api_key, secret = request.headers.get("api-key", ""), request.headers.get("secret-key", "")
    return secret if BANK.authenticate(api_key, secret) else None


async def _json_body(request: Request) -> dict:
    try:
        return await read_json_object(request)
    except BadBody:
        return {}


async def generate_link(request: Request) -> Response:
    if not sandbox_allowed():
        return _gone()
    secret = _merchant_secret(request)
    if secret is None:
        return JSONResponse({"results": {"status": "error", "code": 401, "description": "unauthorized"}}, 401)
    answer = BANK.generate_link(secret, await _json_body(request), get_settings().backend_base_url)
    return JSONResponse(answer, status_code=200 if answer["results"]["status"] == "success" else 422)


async def ipn(request: Request) -> Response:
    if not sandbox_allowed():
        return _gone()
    if _merchant_secret(request) is None:
        return JSONResponse({"results": {"status": "error", "code": 401, "description": "unauthorized"}}, 401)
    return JSONResponse(BANK.ipn(await _json_body(request)))


async def refund(request: Request) -> Response:
    if not sandbox_allowed():
        return _gone()
    if _merchant_secret(request) is None:
        return JSONResponse({"results": {"status": "error", "code": 401, "description": "unauthorized"}}, 401)
    answer, delivery = BANK.refund(await _json_body(request))
    if delivery is not None:
        _spawn(_deliver([delivery]))
    return JSONResponse(answer, status_code=200 if answer["results"]["status"] == "success" else 422)


async def hosted_page(request: Request) -> Response:
    if not sandbox_allowed():
        return _gone()
    page = BANK.page(request.path_params["uid"])
    if page is None:
        return HTMLResponse(_layout("Payment page not found", "<p>This payment link is not valid.</p>"), 404)
    return HTMLResponse(_render_page(page))


async def submit_payment(request: Request) -> Response:
    """The customer paid (or tried to): callbacks go out as the test card says, then the redirect."""
    if not sandbox_allowed():
        return _gone()
    uid = request.path_params["uid"]
    try:
        raw = await read_capped(request, 16 * 1024)
    except BadBody as bad:
        return bad.response()
    form = {key: values[-1] for key, values in parse_qs(raw.decode(errors="replace")).items()}
    outcome = BANK.pay(uid, method=form.get("method", "card"), card_number=form.get("card_number", ""))
    if outcome is None:
        return HTMLResponse(_layout("Already used", "<p>This payment page was already used.</p>"), 409)
    await _deliver(outcome.deliver_now)
    if outcome.held:
        _spawn(_release_later(uid))
    if not outcome.redirect_url:
        return HTMLResponse(_layout("Done", "<p id='payment-done'>Payment processed.</p>"))
    return RedirectResponse(outcome.redirect_url, status_code=303)


async def release_callbacks(request: Request) -> Response:
    """Deliver a page's held ("late") callbacks now: for tests and for trying the flow by hand."""
    if not sandbox_allowed():
        return _gone()
    delivered = await _deliver(BANK.release(request.path_params["uid"]))
    return JSONResponse({"delivered": delivered})


async def _release_later(uid: str) -> None:
    await asyncio.sleep(LATE_CALLBACK_SECONDS)
    await _deliver(BANK.release(uid))


def _spawn(coroutine) -> None:
    task = asyncio.get_running_loop().create_task(coroutine)
    _background.add(task)
    task.add_done_callback(_background.discard)


async def _deliver(deliveries: list[Delivery]) -> list[int]:
    """POST each signed callback, one after the other, as PayPlus would; returns their HTTP statuses."""
    statuses = []
    async with httpx.AsyncClient(timeout=30) as client:
        for delivery in deliveries:
            try:
                response = await client.post(delivery.url, content=delivery.body, headers=delivery.headers)
                statuses.append(response.status_code)
            except httpx.HTTPError as exc:
                log.warning("sandbox callback to %s failed: %s", delivery.url, type(exc).__name__)
                statuses.append(0)
    return statuses


def _render_page(page: SandboxPage) -> str:
    request = page.request
    amount = decimal_to_agorot(request.get("amount")) or 0
    customer = request.get("customer") or {}
    if page.status != "open":
        return _layout("Already used", "<p>This payment page was already used.</p>")
    uid = html.escape(page.uid)
    cards = "".join(
        f"<tr><td><code>{number[:4]} {number[4:8]} {number[8:12]} {number[12:]}</code></td><td>{html.escape(text)}</td></tr>"
        for number, (_behaviour, text) in TEST_CARDS.items()
    )
    body = f"""
<p class="merchant">Barby · {html.escape(str(request.get('more_info', '')))}</p>
<p class="amount" id="amount">{format_money(amount)} <small>{html.escape(str(request.get('currency_code', '')))}</small></p>
<form method="post" action="{PAGE_PREFIX}/{uid}" id="google-pay-form">
  <input type="hidden" name="method" value="google_pay">
  <button type="submit" id="google-pay-button" class="gpay" aria-label="Google Pay">Google Pay</button>
</form>
<div class="divider">or pay by card · או בכרטיס אשראי</div>
<form method="post" action="{PAGE_PREFIX}/{uid}" id="card-form">
  <input type="hidden" name="method" value="card">
  <label for="card-holder">Card holder · שם בעל הכרטיס</label>
  <input id="card-holder" name="card_holder" autocomplete="cc-name" value="{html.escape(str(customer.get('customer_name', '')))}">
  <label for="card-number">Card number · מספר כרטיס</label>
  <input id="card-number" name="card_number" inputmode="numeric" autocomplete="cc-number" required placeholder="4111 1111 1111 1111">
  <div class="row">
    <div><label for="card-expiry">Expiry · תוקף</label>
    <input id="card-expiry" name="card_expiry" placeholder="MM/YY" autocomplete="cc-exp" required></div>
    <div><label for="card-cvv">CVV</label>
    <input id="card-cvv" name="card_cvv" inputmode="numeric" autocomplete="cc-csc" required placeholder="123"></div>
  </div>
  <button type="submit" id="pay-button">Pay {format_money(amount)} · לתשלום</button>
</form>
<p><a id="cancel-payment" href="{html.escape(str(request.get('refURL_failure', '/')))}">Cancel and return to the shop · ביטול וחזרה לאתר</a></p>
<details><summary>Sandbox test cards</summary><table id="test-cards">{cards}</table>
<p>Any future expiry and any CVV. Google Pay always approves.</p></details>"""
    return _layout("PayPlus sandbox · payment", body)


def _layout(title: str, body: str) -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{html.escape(title)}</title>
<style>
body{{font-family:system-ui,sans-serif;background:#f3f4f6;margin:0;padding:2rem 1rem;color:#111}}
main{{max-width:26rem;margin:auto;background:#fff;border-radius:12px;padding:1.5rem;box-shadow:0 2px 12px #0001}}
.banner{{background:#fde68a;border-radius:6px;padding:.4rem .6rem;font-size:.85rem;margin-bottom:1rem}}
.amount{{font-size:2rem;font-weight:700;margin:.2rem 0 1rem}} label{{display:block;font-size:.85rem;margin:.7rem 0 .2rem}}
input{{width:100%;box-sizing:border-box;padding:.6rem;border:1px solid #ccc;border-radius:6px;font-size:1rem}}
button{{width:100%;padding:.8rem;border:0;border-radius:6px;font-size:1rem;margin-top:1rem;cursor:pointer}}
.gpay{{background:#000;color:#fff}} #pay-button{{background:#2563eb;color:#fff}}
.row{{display:flex;gap:.8rem}} .row>div{{flex:1}} .divider{{text-align:center;color:#666;margin:1rem 0 0;font-size:.85rem}}
table{{font-size:.8rem;border-collapse:collapse}} td{{padding:.2rem .4rem}}
</style></head><body><main><div class="banner" role="note">Sandbox: no real money moves.</div>
<h1 style="font-size:1.1rem">{html.escape(title)}</h1>{body}</main></body></html>"""


def _routes() -> list[Route]:
    if not sandbox_allowed():
        return []
    return [
        Route(f"{API_PREFIX}/PaymentPages/generateLink", generate_link, methods=["POST"]),
        Route(f"{API_PREFIX}/PaymentPages/ipn", ipn, methods=["POST"]),
        Route(f"{API_PREFIX}/Transactions/RefundByTransactionUID", refund, methods=["POST"]),
        Route(f"{PAGE_PREFIX}/{{uid}}", hosted_page, methods=["GET"]),
        Route(f"{PAGE_PREFIX}/{{uid}}", submit_payment, methods=["POST"]),
        Route("/sandbox/payplus/control/release/{uid}", release_callbacks, methods=["POST"]),
    ]


routes = _routes()
