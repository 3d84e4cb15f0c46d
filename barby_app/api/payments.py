"""Payment HTTP routes: provider callbacks (PayPlus, Tranzila) and the return page's status check.

POST /api/payments/payplus/callback   PayPlus (and the sandbox) transaction callback
POST /api/payments/tranzila/notify    Tranzila notify
GET  /api/payments/orders/{number}?key=…   the order's real state for the success / failure page
The services do the deciding (services.payments.callbacks, services.orders); these only translate HTTP.
"""

from __future__ import annotations

from dataclasses import asdict

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from barby_app.api.bodies import BadBody, read_capped
from services.errors import NotFound
from services.order_access import valid_order_key
from services.orders import order_status
from services.payments import CallbackRequest
from services.payments.callbacks import process_callback

MAX_CALLBACK_BYTES = 64 * 1024


async def _callback(request: Request, protocol: str) -> JSONResponse:
    try:
        body = await read_capped(request, MAX_CALLBACK_BYTES)
    except BadBody:
        return JSONResponse({"outcome": "rejected_size"}, status_code=413)
    callback = CallbackRequest(body=body, headers=dict(request.headers), query=dict(request.query_params))
    remote = request.client.host if request.client else ""
    result = await run_in_threadpool(process_callback, protocol, callback, remote)
    return JSONResponse({"outcome": result.outcome}, status_code=result.http_status)


async def payplus_callback(request: Request) -> JSONResponse:
    return await _callback(request, "payplus")


async def tranzila_notify(request: Request) -> JSONResponse:
    return await _callback(request, "tranzila")


async def order_state(request: Request) -> JSONResponse:
    """Only for the holder of the order's return key (order numbers are guessable)."""
    number = request.path_params["number"]
    if not valid_order_key(number, request.query_params.get("key")):
        return JSONResponse({"error": "not_found"}, status_code=404)
    try:
        view = await run_in_threadpool(order_status, request.path_params["number"])
    except NotFound:
        return JSONResponse({"error": "not_found"}, status_code=404)
    return JSONResponse(asdict(view), headers={"Cache-Control": "no-store"})


routes = [
    Route("/api/payments/payplus/callback", payplus_callback, methods=["POST"]),
    Route("/api/payments/tranzila/notify", tranzila_notify, methods=["POST"]),
    Route("/api/payments/orders/{number}", order_state, methods=["GET"]),
]
