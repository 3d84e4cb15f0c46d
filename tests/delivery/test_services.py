"""Delivery services without a worker: records, resend, sweep, SMS gateways, links, tickets, mail sink."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import func, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from services import clock
from services.db import read_session, transaction
from services.delivery import dispatch, download_url, queue_order_delivery, resend_order, sweep_undelivered
from services.delivery.config import get_config
from services.delivery.inprocess import runner
from services.delivery.mailsink import list_messages, message_attachment, read_message, start_mailsink
from services.errors import NotAllowed
from services.models import AuditEntry, Delivery, DeliveryAttempt, Order, OrderStatus, Ticket
from services.tickets import admissible_ticket, reissue_ticket, void_ticket
from tests.delivery.checks import qr_codes_per_page
from tests.delivery.factory import make_paid_order, make_show
from tests.fixtures.delivery import free_port
from tests.fixtures.http import ServedApp


def _deliveries(order_id: int) -> list[Delivery]:
    with read_session() as session:
        return session.exec(select(Delivery).where(Delivery.order_id == order_id).order_by(Delivery.id)).all()


def _run(ids: list[int]) -> None:
    dispatch(ids)
    assert runner().drain(60)


def test_queue_order_delivery_twice_creates_nothing_new() -> None:
    order, ids = make_paid_order(make_show(), method="sms")
    with transaction() as session:
        again = queue_order_delivery(session, session.get(Order, order.id))
    assert again == ids and len(ids) == 2
    assert [(d.channel, d.recipient) for d in _deliveries(order.id)] == [("email", order.email), ("sms", "0521234567")]


def test_sms_customers_get_a_short_message_with_the_link_in_the_delivery_log(smtp_server) -> None:
    order, ids = make_paid_order(make_show(), method="sms")
    _run(ids)
    [entry] = [json.loads(line) for line in (get_config().log_dir / "sms.log").read_text().splitlines()]
    assert entry["to"] == "0521234567" and order.number in entry["body"] and "/api/tickets/" in entry["body"]
    assert len(smtp_server.wait_for(1)) == 1
    assert [d.status for d in _deliveries(order.id)] == ["sent", "sent"]


def test_http_sms_gateway_is_retried_on_5xx_and_gets_the_idempotency_key(smtp_server, monkeypatch) -> None:
    received: list[dict] = []

    async def provider(request: Request) -> JSONResponse:
        received.append({"body": await request.json(), "key": request.headers.get("idempotency-key"),
                         "auth": request.headers.get("authorization")})
        if len(received) == 1:
            return JSONResponse({"error": "busy"}, 503)
        return JSONResponse({"id": "sms-42"})

    port = free_port()
    with ServedApp(Starlette(routes=[Route("/send", provider, methods=["POST"])]), port):
        monkeypatch.setenv("SMS_PROVIDER", "http")
        monkeypatch.setenv("SMS_GATEWAY_URL", f"http://127.0.0.1:{port}/send")
        monkeypatch.setenv("SMS_GATEWAY_TOKEN", "secret-token")
        from services.settings import get_settings

        get_settings.cache_clear()
        order, ids = make_paid_order(make_show(), method="sms")
        _run(ids)
    sms = _deliveries(order.id)[1]
    assert (sms.status, sms.attempts, sms.message_id) == ("sent", 2, "sms-42")
    assert [r["key"] for r in received] == [sms.idempotency_key] * 2
    assert received[0]["auth"] == "Bearer secret-token" and received[0]["body"]["to"] == "0521234567"


def test_resend_to_a_corrected_address_is_audited_and_sent(smtp_server) -> None:
    order, ids = make_paid_order(make_show(), email="typo@exampel.com")
    _run(ids)
    resent = resend_order(order.id, email=" Noa@Example.com ", actor_type="staff", actor_id="7")
    assert runner().drain(60)
    first, second = smtp_server.wait_for(2)
    assert first["To"].endswith("typo@exampel.com") and second["To"].endswith("noa@example.com")
    assert first["Message-ID"] != second["Message-ID"]
    with read_session() as session:
        assert session.get(Order, order.id).email == "noa@example.com"
        assert session.get(Delivery, resent).status == "sent"
        [audit] = session.exec(select(AuditEntry).where(AuditEntry.action == "order.tickets_resent")).all()
    assert (audit.actor_id, audit.entity_id) == ("7", str(order.id))
    assert json.loads(audit.detail)["previous_email"] == "typo@exampel.com"


def test_resend_of_a_refunded_order_is_refused() -> None:
    order, _ids = make_paid_order(make_show())
    with transaction() as session:
        session.get(Order, order.id).status = OrderStatus.REFUNDED
    with pytest.raises(NotAllowed):
        resend_order(order.id)


def test_a_rejected_address_fails_permanently_and_the_sweep_leaves_it(smtp_server) -> None:
    smtp_server.fail_next(1, "550 5.1.1 No such user")
    order, ids = make_paid_order(make_show())
    _run(ids)
    [delivery] = _deliveries(order.id)
    assert delivery.status == "failed" and delivery.last_error.startswith("permanent: smtp 550")
    assert sweep_undelivered(now=clock.now() + timedelta(days=1)) == 0
    assert smtp_server.messages() == []


def test_sweep_requeues_lost_dispatches_and_backfills_missing_confirmations(smtp_server) -> None:
    lost, _ids = make_paid_order(make_show())  # committed, never dispatched (the process died)
    bare, _ = make_paid_order(make_show())
    with transaction() as session:  # a paid order whose confirmation row is missing altogether
        session.delete(session.exec(select(Delivery).where(Delivery.order_id == bare.id)).one())
    refunded, _ = make_paid_order(make_show())
    with transaction() as session:
        session.get(Order, refunded.id).status = OrderStatus.REFUNDED

    assert sweep_undelivered() == 1  # the fresh queued row is left to its own job; the backfill goes now
    assert runner().drain(60)
    later = clock.now() + timedelta(seconds=get_config().queued_grace_seconds + 1)
    assert sweep_undelivered(now=later) == 1  # the lost dispatch, once it is clearly not on its way
    assert runner().drain(60)
    received = sorted(m["X-Barby-Order"] for m in smtp_server.wait_for(2))
    assert received == sorted([lost.number, bare.number])
    with read_session() as session:
        assert session.exec(select(func.count()).select_from(DeliveryAttempt)).one() == 2


def test_download_link_serves_the_pdf_and_refuses_bad_expired_and_refunded(http, smtp_server) -> None:
    order, _ids = make_paid_order(make_show())
    with read_session() as session:
        current = session.get(Order, order.id)
    path = download_url(current).split("/api/", 1)[1]
    good = http.get(f"/api/{path}")
    assert good.status_code == 200 and good.content.startswith(b"%PDF")
    assert http.get(f"/api/{path[:-3]}xyz").status_code == 403
    old = download_url(current, now=clock.now() - timedelta(days=400)).split("/api/", 1)[1]
    assert http.get(f"/api/{old}").status_code == 410
    with transaction() as session:
        session.get(Order, order.id).status = OrderStatus.REFUNDED
    assert http.get(f"/api/{path}").status_code == 410


def test_void_and_reissue_change_the_barcode_and_the_pdf(http) -> None:
    order, _ids = make_paid_order(make_show(), quantity=2)
    with transaction() as session:
        first, second = session.exec(select(Ticket).where(Ticket.order_id == order.id).order_by(Ticket.id)).all()
        replacement = reissue_ticket(session, first, actor_id="3", reason="code posted online")
        void_ticket(session, second, reason="refunded seat")
        old_codes, new_code = (first.barcode, second.barcode), replacement.barcode
        assert replacement.replaces_ticket_id == first.id and new_code not in old_codes
    with read_session() as session:
        assert admissible_ticket(session, old_codes[0]) is None and admissible_ticket(session, old_codes[1]) is None
        assert admissible_ticket(session, new_code.lower()).id == replacement.id
        link = download_url(session.get(Order, order.id)).split("/api/", 1)[1]
    pdf = http.get(f"/api/{link}").content
    assert qr_codes_per_page(pdf) == [[new_code]]


def test_the_dev_mail_sink_keeps_messages_for_the_dev_page(http, monkeypatch, tmp_path) -> None:
    port = free_port()
    monkeypatch.setenv("SMTP_PORT", str(port))
    from services.settings import get_settings

    get_settings.cache_clear()
    sink = start_mailsink(port=port)  # the same call the dev server makes, on var/mailsink (here: tmp)
    try:
        order, ids = make_paid_order(make_show(), language="en")
        _run(ids)
    finally:
        sink.stop()
    [summary] = list_messages()
    assert order.number in summary.subject and summary.to.endswith(order.email)
    message = read_message(summary.id)
    assert "Doors open" in message.text and message.attachments[0]["filename"] == f"barby-{order.number}.pdf"
    _name, content_type, data = message_attachment(summary.id, 0)
    assert content_type == "application/pdf" and data.startswith(b"%PDF")
    listing = http.get("/api/dev/mail").json()
    assert [item["id"] for item in listing] == [summary.id]
    assert http.get(f"/api/dev/mail/{summary.id}").json()["subject"] == summary.subject
    assert http.get(f"/api/dev/mail/{summary.id}/attachments/0").content == data
    assert http.get("/api/dev/mail/..%2F..%2Fetc%2Fpasswd").status_code == 404

