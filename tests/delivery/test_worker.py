"""The issue's acceptance: paid orders reach a real SMTP inbox through real rq worker processes on
Redis, exactly once, whether the job is queued twice, the worker is killed mid-send or SMTP is down."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import httpx
from rq import Queue, Worker
from rq.registry import ScheduledJobRegistry
from sqlmodel import select

from services import clock
from services.db import read_session
from services.delivery import dispatch, sweep_undelivered
from services.delivery.config import get_config
from services.delivery.queueing import rq_queue
from services.models import Delivery, DeliveryAttempt, Ticket
from tests.delivery.checks import body_html, body_text, pdf_attachment, pdf_pages_text, qr_codes_per_page
from tests.delivery.factory import make_paid_order, make_show
from tests.fixtures.delivery import WorkerProcess


def _delivery(delivery_id: int) -> Delivery:
    with read_session() as session:
        return session.get(Delivery, delivery_id)


def _outcomes(delivery_id: int) -> list[str]:
    with read_session() as session:
        rows = session.exec(select(DeliveryAttempt).where(DeliveryAttempt.delivery_id == delivery_id)
                            .order_by(DeliveryAttempt.id)).all()
        return [row.outcome for row in rows]


def _wait_until(condition, what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def _idle_once(queue: Queue, workers: list[WorkerProcess]) -> bool:
    live = {worker.process.pid for worker in workers}
    states = [w.get_state() for w in Worker.all(queue=queue) if w.pid in live]
    return (queue.count == 0 and ScheduledJobRegistry(queue=queue).count == 0
            and len(states) == len(live) and all(state == "idle" for state in states))


def _wait_for_idle(*workers: WorkerProcess) -> None:
    """Nothing queued or scheduled and our live workers idle, twice a second apart: every job has run.

    (A killed worker's job stays in rq's started registry until rq expires it, so that is not consulted.)
    """
    queue = rq_queue()
    _wait_until(lambda: _idle_once(queue, list(workers)) and not time.sleep(1) and _idle_once(queue, list(workers)),
                "the queue to drain")


def test_paid_order_reaches_the_inbox_through_a_real_worker(rq_worker, smtp_server, http) -> None:
    order, ids = make_paid_order(make_show(), quantity=3, language="he")
    dispatch(ids)
    [message] = smtp_server.wait_for(1)

    assert order.number in message["Subject"] and "רביד פלוטניק – הופעה חיה" in message["Subject"]
    text, html = body_text(message), body_html(message)
    for fact in (order.number, "רביד פלוטניק – הופעה חיה", "יום חמישי 03.12.2026", "20:00", "הוראות כניסה"):
        assert fact in text and fact in html
    link = re.search(r"https?://\S+/api/tickets/\S+", text).group(0)
    assert link in html

    pdf = pdf_attachment(message)
    with read_session() as session:
        barcodes = [t.barcode for t in session.exec(select(Ticket).where(Ticket.order_id == order.id).order_by(Ticket.id))]
    pages = pdf_pages_text(pdf)
    assert len(pages) == 3
    for page, barcode in zip(pages, barcodes, strict=True):
        assert barcode in page and order.number in page and "₪169" in page
        # pypdf reads right-to-left runs back into logical order: these only match if laid out RTL
        assert "רביד פלוטניק – הופעה חיה" in page and "הוראות כניסה" in page and "נועה לוי" in page
    assert qr_codes_per_page(pdf) == [[barcode] for barcode in barcodes]

    download = http.get(link.replace(link.split("/api/")[0], ""))
    assert download.status_code == 200 and download.headers["content-type"] == "application/pdf"
    assert download.content == pdf  # the link serves the very document that was attached

    delivery = _delivery(ids[0])
    assert (delivery.status, delivery.attempts, delivery.message_id) == ("sent", 1, message["Message-ID"])
    assert _outcomes(ids[0]) == ["sent"]


def test_a_job_enqueued_twice_emails_once(rq_worker, smtp_server, redis_url, tmp_path) -> None:
    second = WorkerProcess(redis_url, rq_worker.queue, tmp_path / "second-worker.log").start()
    try:
        orders = [make_paid_order(make_show(), quantity=1) for _ in range(3)]
        ids = [delivery_id for _order, order_ids in orders for delivery_id in order_ids]
        for _ in range(3):  # the payment callback, the return page and a retry all dispatch
            dispatch(ids)
        _wait_until(lambda: all(_delivery(i).status == "sent" for i in ids), "all deliveries sent")
        _wait_for_idle(rq_worker, second)
    finally:
        second.kill()
    messages = smtp_server.messages()
    assert sorted(m["X-Barby-Order"] for m in messages) == sorted(order.number for order, _ids in orders)
    assert all(_delivery(i).attempts == 1 for i in ids)


def test_worker_killed_before_smtp_accepted_delivers_exactly_once(rq_worker, smtp_server, redis_url, tmp_path) -> None:
    gate = smtp_server.hold("RCPT")
    order, [delivery_id] = make_paid_order(make_show(), quantity=2)
    dispatch([delivery_id])
    assert gate.entered.wait(90), rq_worker.log()
    assert _delivery(delivery_id).status == "sending"

    rq_worker.kill()  # mid-job: the SMTP conversation is open, the message not yet accepted
    gate.release()
    assert smtp_server.messages() == []
    assert sweep_undelivered() == 0, "a live-looking lease is not taken back early"

    later = clock.now() + timedelta(seconds=get_config().lease_seconds + 1)
    assert sweep_undelivered(now=later) == 1
    restarted = WorkerProcess(redis_url, rq_worker.queue, tmp_path / "restarted.log").start()
    try:
        _wait_until(lambda: _delivery(delivery_id).status == "sent", "the re-queued delivery")
        _wait_for_idle(restarted)
    finally:
        restarted.kill()
    [message] = smtp_server.messages()
    assert message["X-Barby-Order"] == order.number
    assert _outcomes(delivery_id) == ["abandoned", "sent"]


def test_worker_killed_after_smtp_accepted_never_emails_twice(rq_worker, smtp_server, redis_url, tmp_path) -> None:
    gate = smtp_server.hold("QUIT")
    order, [delivery_id] = make_paid_order(make_show(), quantity=1)
    dispatch([delivery_id])
    assert gate.entered.wait(90), rq_worker.log()
    assert _delivery(delivery_id).status == "sent"  # recorded before the polite QUIT

    rq_worker.kill()  # after sending, before rq records the job as finished
    gate.release()
    later = clock.now() + timedelta(seconds=get_config().lease_seconds + 1)
    assert sweep_undelivered(now=later) == 0
    dispatch([delivery_id])  # and a stray duplicate job, for good measure
    restarted = WorkerProcess(redis_url, rq_worker.queue, tmp_path / "restarted.log").start()
    try:
        _wait_for_idle(restarted)
    finally:
        restarted.kill()
    assert [m["X-Barby-Order"] for m in smtp_server.messages()] == [order.number]
    assert _delivery(delivery_id).attempts == 1


def test_smtp_outage_is_retried_with_backoff_and_recorded_per_attempt(rq_worker, smtp_server) -> None:
    smtp_server.fail_next(2)  # 451 twice: the server is down for a while
    order, [delivery_id] = make_paid_order(make_show(), quantity=1)
    dispatch([delivery_id])
    _wait_until(lambda: _delivery(delivery_id).status == "sent", "delivery after the outage", timeout=120)
    assert [m["X-Barby-Order"] for m in smtp_server.messages()] == [order.number]
    delivery = _delivery(delivery_id)
    assert delivery.attempts == 3 and delivery.last_error == ""
    assert _outcomes(delivery_id) == ["failed", "failed", "sent"]


def test_download_link_is_refused_when_tampered(rq_worker, smtp_server, http) -> None:
    _order, ids = make_paid_order(make_show(), quantity=1)
    dispatch(ids)
    [message] = smtp_server.wait_for(1)
    path = "/api/tickets/" + re.search(r"/api/tickets/(\S+)", body_text(message)).group(1)
    assert http.get(path[:-2] + ("AA" if not path.endswith("AA") else "BB")).status_code == 403
    assert httpx.get(http.base_url.join(path)).status_code == 200
