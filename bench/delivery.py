"""Delivery benchmark: PDF rendering speed, and payment-callback-to-inbox latency on real infrastructure.

    .venv/bin/python bench/delivery.py [--orders 40] [--workers 2] [--pdfs 30]

1. PDFs per second per core: renders order PDFs (2 tickets each) in this process and divides by the
   CPU time used, so the figure does not depend on what else the machine is doing.
2. Callback-to-inbox: a throw-away PostgreSQL database, real Redis, `--workers` real `rq worker`
   processes and an aiosmtpd server. For each order, t0 is the start of the mark-paid transaction
   (order paid, tickets issued, delivery queued, then dispatch, as services/orders.py does);
   t1 is when the SMTP server accepted its email. The orders are paid in one burst, so the tail
   includes queueing behind the other orders.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from contextlib import suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
RUN = uuid.uuid4().hex[:8]
DB_NAME = f"barby_bench_delivery_{RUN}"
os.environ.update({
    "ENVIRONMENT": "test", "DATABASE_URL": PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + DB_NAME,
    "REDIS_URL": REDIS_URL, "RQ_QUEUE": f"barby-bench-{RUN}", "PYTHONPATH": str(ROOT),
})


class Inbox:
    """aiosmtpd handler recording when each order's email arrived."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}

    async def handle_DATA(self, server, session, envelope) -> str:
        at = time.time()
        for line in envelope.original_content.split(b"\r\n"):
            if line.lower().startswith(b"x-barby-order:"):
                self.arrived[line.split(b":", 1)[1].strip().decode()] = at
                break
        return "250 OK"


def create_database() -> None:
    import psycopg
    from alembic import command
    from alembic.config import Config

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{DB_NAME}"')
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")


def drop_database() -> None:
    import psycopg

    from services.db import reset_engine

    reset_engine()
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def make_show() -> tuple[int, int]:
    from datetime import timedelta

    from services import clock
    from services.db import transaction
    from services.models import Show, TicketTier

    starts = clock.now() + timedelta(days=20)
    with transaction() as session:
        show = Show(slug=f"bench-{RUN}", title_he="רביד פלוטניק", title_en="Ravid Plotnik", artist="Ravid Plotnik",
                    image="/shows/ravid-plotnik.jpg", starts_at=starts, doors_at=starts - timedelta(hours=1),
                    capacity=100000)
        session.add(show)
        session.flush()
        tier = TicketTier(show_id=show.id, name_he="רגיל", name_en="Regular", price=16900, allocation=100000)
        session.add(tier)
        session.flush()
        return show.id, tier.id


def pending_order(show: tuple[int, int], index: int) -> int:
    from services.db import transaction
    from services.models import Order
    from services.orders.numbering import assign_order_number

    with transaction() as session:
        order = Order(show_id=show[0], tier_id=show[1], quantity=2, unit_price=16900, total=33800, amount_due=33800,
                      name="נועה לוי", email=f"bench{index}@example.com", language="he" if index % 2 else "en")
        return assign_order_number(session, order).id


def mark_paid(order_id: int) -> tuple[str, list[int]]:
    """What the payment callback does on approval: paid, tickets, delivery rows; then dispatch."""
    from services import clock
    from services.db import transaction
    from services.delivery import dispatch, queue_order_delivery
    from services.models import Order, OrderStatus
    from services.tickets import issue_tickets

    with transaction() as session:
        order = session.get(Order, order_id, with_for_update=True)
        order.status, order.paid_at = OrderStatus.PAID, clock.now()
        issue_tickets(session, order)
        ids = queue_order_delivery(session, order)
        number = order.number
    dispatch(ids)
    return number, ids


def pdf_rate(show: tuple[int, int], count: int) -> tuple[float, float]:
    """(PDFs per CPU-second, mean wall ms per PDF) for 2-ticket orders."""
    from services.db import read_session, transaction
    from services.delivery.content import load_order_view, render_order_pdf
    from services.models import Order
    from services.tickets import issue_tickets

    order_id = pending_order(show, 0)
    with transaction() as session:
        issue_tickets(session, session.get(Order, order_id))
    with read_session() as session:
        view = load_order_view(session, order_id)
    render_order_pdf(view)  # warm caches (fonts on disk, banner crop)
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(count):
        render_order_pdf(view)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return count / cpu, wall / count * 1000


def start_workers(count: int, log: Path) -> list[subprocess.Popen]:
    command = [str(ROOT / ".venv" / "bin" / "rq"), "worker", "--with-scheduler", "--url", REDIS_URL,
               "--worker-class", "services.delivery.worker.DeliveryWorker",
               os.environ["RQ_QUEUE"]]
    handle = log.open("ab")
    return [subprocess.Popen(command, env=dict(os.environ), cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT,
                             start_new_session=True) for _ in range(count)]


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        with suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers:
        with suppress(subprocess.TimeoutExpired):
            worker.wait(timeout=20)


def purge_queue() -> None:
    from redis import Redis

    connection = Redis.from_url(REDIS_URL)
    keys = list(connection.scan_iter(match=f"rq:*{os.environ['RQ_QUEUE']}*", count=1000))
    if keys:
        connection.delete(*keys)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run(orders: int, workers_count: int, pdfs: int) -> None:
    from aiosmtpd.controller import Controller

    from tools.app_process import free_port

    inbox, port = Inbox(), free_port()
    os.environ.update({"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port)})
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    create_database()
    workers: list[subprocess.Popen] = []
    try:
        show = make_show()
        rate, ms = pdf_rate(show, pdfs)
        print(f"PDF rendering: {rate:.1f} PDFs/s per core (2 tickets each, {pdfs} renders, {ms:.0f} ms wall each)")
        workers = start_workers(workers_count, ROOT / "var" / f"bench-delivery-{RUN}.log")
        time.sleep(2)  # let the workers register before the burst (not part of any measurement)
        pending = [pending_order(show, index) for index in range(1, orders + 1)]
        started: dict[str, float] = {}
        for order_id in pending:
            at = time.time()
            number, _ids = mark_paid(order_id)
            started[number] = at
        deadline = time.time() + 300
        while len(inbox.arrived) < orders and time.time() < deadline:
            time.sleep(0.05)
        latencies = [(inbox.arrived[n] - t0) * 1000 for n, t0 in started.items() if n in inbox.arrived]
        print(f"Callback-to-inbox over {len(latencies)}/{orders} orders, {workers_count} rq workers, real Redis + SMTP: "
              f"p50 {percentile(latencies, 0.5):.0f} ms, p95 {percentile(latencies, 0.95):.0f} ms, "
              f"max {max(latencies):.0f} ms, mean {statistics.mean(latencies):.0f} ms")
    finally:
        stop_workers(workers)
        controller.stop()
        purge_queue()
        drop_database()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pdfs", type=int, default=30)
    args = parser.parse_args()
    run(args.orders, args.workers, args.pdfs)


if __name__ == "__main__":
    main()
