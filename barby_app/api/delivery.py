"""Ticket downloads by signed link, and the development mail sink as JSON.

GET /api/tickets/{token}                        the order's PDF (403 bad token, 410 expired or no longer valid)
GET /api/dev/mail                               messages in the dev mail sink (not in production)
GET /api/dev/mail/{id}                          one message: headers, text, html, attachment list
GET /api/dev/mail/{id}/attachments/{index}      an attachment (the ticket PDF)
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from services.db import read_session
from services.delivery import LinkExpired, LinkInvalid, read_download_token
from services.delivery.content import load_order_view, pdf_filename, render_order_pdf
from services.delivery.mailsink import list_messages, message_attachment, read_message
from services.delivery.records import DELIVERABLE
from services.errors import NotFound
from services.settings import get_settings


def _order_pdf(token: str) -> Response:
    try:
        order_id = read_download_token(token)
    except LinkExpired:
        return JSONResponse({"error": "expired", "message": "This link has expired: ask us to resend your tickets."}, 410)
    except LinkInvalid:
        return JSONResponse({"error": "invalid", "message": "This link is not valid."}, 403)
    try:
        with read_session() as session:
            view = load_order_view(session, order_id)
    except NotFound:
        return JSONResponse({"error": "gone", "message": "This order no longer exists."}, 410)
    if view.status not in DELIVERABLE or not (view.tickets or view.gift_cards):
        return JSONResponse({"error": "gone", "message": "These tickets are no longer valid."}, 410)
    headers = {"Content-Disposition": f'inline; filename="{pdf_filename(view)}"', "Cache-Control": "private, no-store"}
    return Response(render_order_pdf(view), media_type="application/pdf", headers=headers)


async def ticket_pdf(request: Request) -> Response:
    return await run_in_threadpool(_order_pdf, request.path_params["token"])


def _dev_only() -> Response | None:
    if not get_settings().dev_tools_allowed:
        return JSONResponse({"error": "not_found"}, 404)
    return None


async def mail_list(_request: Request) -> Response:
    if refused := _dev_only():
        return refused
    messages = await run_in_threadpool(list_messages)
    return JSONResponse([message.summary() for message in messages])


async def mail_detail(request: Request) -> Response:
    if refused := _dev_only():
        return refused
    try:
        message = await run_in_threadpool(read_message, request.path_params["message_id"])
    except FileNotFoundError:
        return JSONResponse({"error": "not_found"}, 404)
    return JSONResponse({**message.summary(), "message_id": message.message_id, "text": message.text,
                         "html": message.html, "attachments": message.attachments})


async def mail_attachment(request: Request) -> Response:
    if refused := _dev_only():
        return refused
    try:
        name, content_type, data = await run_in_threadpool(
            message_attachment, request.path_params["message_id"], request.path_params["index"])
    except FileNotFoundError:
        return JSONResponse({"error": "not_found"}, 404)
    return Response(data, media_type=content_type, headers={"Content-Disposition": f'inline; filename="{name}"'})


routes = [
    Route("/api/tickets/{token}", ticket_pdf, methods=["GET"]),
    Route("/api/dev/mail", mail_list, methods=["GET"]),
    Route("/api/dev/mail/{message_id}", mail_detail, methods=["GET"]),
    Route("/api/dev/mail/{message_id}/attachments/{index:int}", mail_attachment, methods=["GET"]),
]
