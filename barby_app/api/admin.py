"""The back office's internal JSON API under /api/admin: every route needs a staff token
(`Authorization: Bearer <jwt>`, as issued by POST /api/admin/session) and checks the role on the
server through the same permission-checked services the pages call.

Errors are JSON {"error": code, "message": ...}: 401 no/expired token, 403 role, 404, 422 bad input,
423 account locked, 409 any other refusal.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from barby_app.api.bodies import BadBody, read_capped, read_json_object
from services.backoffice import customers, links, orders, search, shows
from services.backoffice.shows import MAX_IMAGE_BYTES
from services.errors import BarbyError, NotFound, ValidationFailed
from services.staff import auth, users
from services.staff.access import RoleRefused, require
from services.staff.auth import NotSignedIn
from services.staff.roles import powers

STATUS = {NotSignedIn: 401, RoleRefused: 403, NotFound: 404, ValidationFailed: 422, auth.SignInFailed: 401,
          auth.AccountLocked: 423}
Handler = Callable[[Request, str | None, dict[str, Any]], Any]


def _json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _json(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    return value


def _token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else None


def error_response(error: BarbyError) -> JSONResponse:
    status = next((code for kind, code in STATUS.items() if isinstance(error, kind)), 409)
    body = {"error": error.code, "message": error.message_en, "message_he": error.message_he}
    if isinstance(error, ValidationFailed):
        body["field"] = error.field
    return JSONResponse(body, status_code=status)


def endpoint(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Run a synchronous handler off the event loop with the token and JSON body; map refusals to HTTP."""
    async def route(request: Request) -> Response:
        body: dict[str, Any] = {}
        token = _token(request)
        try:
            if handler is not _sign_in:  # who is asking, before a byte of the body is read
                await run_in_threadpool(auth.current_staff, token)
            if request.method in {"POST", "PUT", "PATCH"}:
                body = await read_json_object(request)
        except BadBody as bad:
            return bad.response()
        except BarbyError as error:
            return error_response(error)
        try:
            result = await run_in_threadpool(handler, request, token, body)
        except BarbyError as error:
            return error_response(error)
        return JSONResponse(_json(result) if result is not None else {"ok": True})

    return route


def _int(request: Request, name: str) -> int:
    value = request.path_params[name]
    if not str(value).isdigit():
        raise NotFound("Not found.")
    return int(value)


def _sign_in(request: Request, _token: str | None, body: dict[str, Any]) -> dict[str, Any]:
    signed = auth.sign_in(str(body.get("email", "")), str(body.get("password", "")),
                          remote_addr=request.client.host if request.client else "")
    return {"token": signed.token, "name": signed.name, "role": signed.role, "expires_at": signed.expires_at.isoformat()}


def _me(_r: Request, token: str | None, _b: dict) -> dict[str, Any]:
    staff = require(token, "orders.search")
    return {"id": staff.id, "name": staff.name, "email": staff.email, "role": str(staff.role), "powers": powers(staff.role)}


def _search(request: Request, token: str | None, _b: dict) -> Any:
    p = request.query_params
    filters = search.parse_filters(p.get("show_id", ""), p.get("status", ""), p.get("date_from", ""), p.get("date_to", ""))
    page = int(p["page"]) if p.get("page", "").isdigit() else 1
    return search.search_orders(token, p.get("q", ""), filters, page=page)


def _show_values(body: dict[str, Any]) -> dict[str, str]:
    return {str(k): "" if v is None else ("true" if v is True else "" if v is False else str(v)) for k, v in body.items()}


def _r(request: Request) -> str:
    return request.path_params["ref"]


ROUTES: list[tuple[str, str, Handler]] = [
    ("POST", "/api/admin/session", _sign_in),
    ("DELETE", "/api/admin/session", lambda r, t, b: auth.sign_out(t)),
    ("GET", "/api/admin/me", _me),
    # orders
    ("GET", "/api/admin/orders", _search),
    ("GET", "/api/admin/orders/{ref}", lambda r, t, b: orders.order_page(t, _r(r))),
    ("POST", "/api/admin/orders/{ref}/resend", lambda r, t, b: {"message": orders.resend_tickets(t, _r(r))}),
    ("POST", "/api/admin/orders/{ref}/email",
     lambda r, t, b: {"message": orders.correct_email_and_resend(t, _r(r), str(b.get("email", "")))}),
    ("POST", "/api/admin/orders/{ref}/recheck", lambda r, t, b: {"message": orders.recheck_payment(t, _r(r))}),
    ("POST", "/api/admin/orders/{ref}/refund",
     lambda r, t, b: {"message": orders.refund(t, _r(r), str(b.get("amount", "")), str(b.get("reason", "")))}),
    ("POST", "/api/admin/orders/{ref}/cancel", lambda r, t, b: {"message": orders.cancel(t, _r(r), str(b.get("reason", "")))}),
    ("POST", "/api/admin/orders/{ref}/tickets/{ticket}/void",
     lambda r, t, b: {"message": orders.void_ticket(t, _r(r), _int(r, "ticket"), str(b.get("reason", "")))}),
    ("POST", "/api/admin/orders/{ref}/tickets/{ticket}/reissue",
     lambda r, t, b: {"message": orders.reissue_ticket(t, _r(r), _int(r, "ticket"), str(b.get("reason", "")))}),
    # customers
    ("GET", "/api/admin/customers/{id}", lambda r, t, b: customers.customer_page(t, _int(r, "id"))),
    ("POST", "/api/admin/customers/{id}/notes", lambda r, t, b: customers.add_note(t, _int(r, "id"), str(b.get("body", "")))),
    # shows, tiers, links
    ("GET", "/api/admin/shows", lambda r, t, b: shows.list_shows(t, query=r.query_params.get("q", ""),
                                                                 include_past=r.query_params.get("past") == "1")),
    ("POST", "/api/admin/shows", lambda r, t, b: {"id": shows.save_show(t, None, _show_values(b))}),
    ("GET", "/api/admin/shows/{id}", lambda r, t, b: shows.show_form(t, _int(r, "id"))),
    ("PUT", "/api/admin/shows/{id}", lambda r, t, b: {"id": shows.save_show(t, _int(r, "id"), _show_values(b))}),
    ("POST", "/api/admin/shows/{id}/duplicate", lambda r, t, b: {"id": shows.duplicate_show(t, _int(r, "id"))}),
    ("POST", "/api/admin/shows/{id}/hide", lambda r, t, b: shows.set_public(t, _int(r, "id"), False)),
    ("POST", "/api/admin/shows/{id}/unhide", lambda r, t, b: shows.set_public(t, _int(r, "id"), True)),
    ("POST", "/api/admin/shows/{id}/cancel", lambda r, t, b: shows.cancel_show(t, _int(r, "id"), str(b.get("reason", "")))),
    ("GET", "/api/admin/shows/{id}/preview", lambda r, t, b: shows.preview(t, _int(r, "id"))),
    ("GET", "/api/admin/shows/{id}/tiers", lambda r, t, b: shows.list_tiers(t, _int(r, "id"))),
    ("POST", "/api/admin/shows/{id}/tiers", lambda r, t, b: {"id": shows.save_tier(t, _int(r, "id"), None, _show_values(b))}),
    ("PUT", "/api/admin/shows/{id}/tiers/{tier}",
     lambda r, t, b: {"id": shows.save_tier(t, _int(r, "id"), _int(r, "tier"), _show_values(b))}),
    ("DELETE", "/api/admin/tiers/{tier}", lambda r, t, b: shows.delete_tier(t, _int(r, "tier"))),
    ("GET", "/api/admin/shows/{id}/links", lambda r, t, b: links.list_links(t, _int(r, "id"))),
    ("POST", "/api/admin/shows/{id}/links", lambda r, t, b: {"url": links.create_link(t, _int(r, "id"), _show_values(b))}),
    ("POST", "/api/admin/links/{link}/disable", lambda r, t, b: links.set_link_active(t, _int(r, "link"), False)),
    ("POST", "/api/admin/links/{link}/enable", lambda r, t, b: links.set_link_active(t, _int(r, "link"), True)),
    # staff accounts
    ("GET", "/api/admin/staff", lambda r, t, b: users.list_staff(t)),
    ("POST", "/api/admin/staff", lambda r, t, b: {"id": users.create_staff(
        t, str(b.get("email", "")), str(b.get("name", "")), str(b.get("role", "")), str(b.get("password", "")))}),
    ("PATCH", "/api/admin/staff/{id}", lambda r, t, b: users.update_staff(
        t, _int(r, "id"), role=b.get("role"), active=b.get("active"), password=b.get("password"),
        unlock=bool(b.get("unlock")))),
]


async def _image(request: Request) -> Response:
    """POST /api/admin/shows/{id}/image with the raw image bytes as the body (X-Filename header optional)."""
    try:
        await run_in_threadpool(auth.current_staff, _token(request))  # authenticate before reading the image
        data = await read_capped(request, MAX_IMAGE_BYTES + 1024)
    except BadBody as bad:
        return bad.response()
    except BarbyError as error:
        return error_response(error)
    try:
        show_id = _int(request, "id")
        url = await run_in_threadpool(shows.upload_image, _token(request), show_id,
                                      request.headers.get("x-filename", "upload"), data)
    except BarbyError as error:
        return error_response(error)
    return JSONResponse({"image": url})


def _grouped() -> list[Route]:
    """One Starlette Route per path, dispatching on method (Starlette matches the first path only)."""
    by_path: dict[str, dict[str, Callable]] = {}
    for method, path, handler in ROUTES:
        by_path.setdefault(path, {})[method] = endpoint(handler)

    def dispatcher(handlers: dict[str, Callable]) -> Callable[[Request], Awaitable[Response]]:
        async def route(request: Request) -> Response:
            return await handlers[request.method](request)
        return route

    return [Route(path, dispatcher(handlers), methods=list(handlers)) for path, handlers in by_path.items()]


routes = [*_grouped(), Route("/api/admin/shows/{id}/image", _image, methods=["POST"])]
