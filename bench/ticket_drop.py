#!/usr/bin/env python
"""Ticket drop benchmark: N buyers race for M tickets over K parallel PostgreSQL connections.

It runs the drop twice on a fresh, migrated scratch database: once through the service layer
(`services.ticketing.take_hold`, what the shop calls) and once as the bare SQL statements a hold is made
of, issued directly through psycopg — the limit the service layer is measured against. For each it prints
holds/second (hold attempts answered per second: granted or "sold out"), p50/p95/p99 hold latency,
tickets sold (held by the drop), oversold (must be 0) and failed-with-error (must be 0), then
`ratio to bare SQL: X.XX` (service holds/second over bare holds/second).

Usage: python bench/ticket_drop.py [--buyers 5000] [--tickets 700] [--connections 16] [--limit 4]
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MAX_SERVICE_CONNECTIONS = 30  # services.db's pool: 10 + 20 overflow


@dataclass
class Run:
    """One drop's figures."""

    label: str
    seconds: float
    latencies: list[float]
    outcomes: Counter
    sold: int = 0
    oversold: int = 0
    consistent: bool = True

    @property
    def holds_per_second(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    def report(self) -> str:
        errors = sum(n for key, n in self.outcomes.items() if key.startswith("error"))
        return "\n".join([
            self.label,
            f"  holds/second:               {self.holds_per_second:9.1f}   "
            f"({len(self.latencies)} attempts in {self.seconds:.2f}s; {self.outcomes['held']} granted)",
            f"  hold latency p50/p95/p99:   {self.percentile(0.50):.2f} / {self.percentile(0.95):.2f} / "
            f"{self.percentile(0.99):.2f} ms",
            f"  tickets sold:               {self.sold}",
            f"  oversold:                   {self.oversold}",
            f"  failed with error:          {errors}",
            f"  answered sold out:          {self.outcomes['sold_out']}",
            f"  counters equal rows:        {'yes' if self.consistent else 'NO'}",
            *[f"  error sample: {key}" for key in list(k for k in self.outcomes if k.startswith("error"))[:3]],
        ])


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--buyers", type=int, default=5000, help="hold attempts, one ticket each (N)")
    parser.add_argument("--tickets", type=int, default=700, help="tickets on sale (M)")
    parser.add_argument("--connections", type=int, default=16, help=f"parallel connections (K, max {MAX_SERVICE_CONNECTIONS})")
    parser.add_argument("--limit", type=int, default=4, help="per-customer limit on the tier (0 = none)")
    parser.add_argument("--admin-url", default=os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    args = parser.parse_args()
    if not 1 <= args.connections <= MAX_SERVICE_CONNECTIONS:
        parser.error(f"--connections must be between 1 and {MAX_SERVICE_CONNECTIONS}")
    return args


def race(buyers: int, connections: int, attempt: Callable[[int], str]) -> tuple[float, list[float], Counter]:
    """Every buyer attempts once; K threads, released together; per-attempt latency and outcome."""
    latencies = [0.0] * buyers
    outcomes: list[str] = [""] * buyers
    barrier = threading.Barrier(connections + 1)
    cursor = iter(range(buyers))
    lock = threading.Lock()

    def worker() -> None:
        barrier.wait()
        while True:
            with lock:
                index = next(cursor, None)
            if index is None:
                return
            started = time.perf_counter()
            try:
                outcomes[index] = attempt(index)
            except Exception as crash:
                outcomes[index] = f"error {type(crash).__name__}: {str(crash)[:120]}"
            latencies[index] = time.perf_counter() - started

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, Counter(outcomes)


def create_database(admin_url: str) -> tuple[str, str]:
    name = f"barby_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return name, admin_url.rsplit("/", 1)[0] + "/" + name


def drop_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_drop(tickets: int, limit: int, slug: str) -> tuple[int, int]:
    """A show of `tickets` places with one open regular tier of all of them; returns (show id, tier id)."""
    from services.db import transaction
    from services.models import Show, TicketTier

    now = datetime.now(UTC)
    with transaction() as session:
        show = Show(slug=slug, title_he="דרופ", title_en="Drop", artist="Bench", capacity=tickets,
                    starts_at=now + timedelta(days=7), doors_at=now + timedelta(days=7, hours=-1))
        session.add(show)
        session.flush()
        tier = TicketTier(show_id=show.id, name_he="רגיל", name_en="Regular", price=15900, allocation=tickets,
                          per_customer_limit=limit or None)
        session.add(tier)
        session.flush()
        return show.id, tier.id


def check(show_id: int, tier_id: int, tickets: int) -> tuple[int, int, bool]:
    """Tickets taken according to the hold rows, how many beyond the allocation, and counters == rows."""
    from sqlalchemy import text

    from services.db import get_engine

    with get_engine().connect() as connection:
        rows = connection.execute(text("SELECT COALESCE(SUM(quantity), 0) FROM hold WHERE show_id = :s "
                                       "AND status IN ('active', 'converted')"), {"s": show_id}).scalar_one()
        show = connection.execute(text('SELECT sold + held FROM "show" WHERE id = :s'), {"s": show_id}).scalar_one()
        tier = connection.execute(text("SELECT sold + held FROM tickettier WHERE id = :t"), {"t": tier_id}).scalar_one()
    return int(rows), max(0, int(rows) - tickets, show - tickets), int(rows) == show == tier


def service_run(args: argparse.Namespace) -> Run:
    from services.errors import BarbyError
    from services.ticketing import show_state, take_hold

    show_id, tier_id = make_drop(args.tickets, args.limit, "drop-service")
    warm_id, _ = make_drop(10, args.limit, "warm-service")
    race(args.connections * 4, args.connections, lambda i: show_state(warm_id).action)  # open the pool

    def attempt(index: int) -> str:
        try:
            take_hold(show_id=show_id, tier_id=None, quantity=1, customer_key=f"buyer{index}@example.com")
        except BarbyError as refused:
            return refused.code
        return "held"

    seconds, latencies, outcomes = race(args.buyers, args.connections, attempt)
    run = Run("service layer: services.ticketing.take_hold", seconds, latencies, outcomes)
    run.sold, run.oversold, run.consistent = check(show_id, tier_id, args.tickets)
    return run


def bare_run(args: argparse.Namespace, url: str) -> Run:
    """The statements a hold is made of, straight through psycopg: per-customer lock and count (when the
    tier has a limit), the conditional UPDATEs on show and tier, the INSERT of the hold; one transaction.
    """
    from services.ticketing.store import CUSTOMER_TAKEN, TAKE_HELD

    def psycopg_sql(statement) -> str:
        return re.sub(r"(?<!:):(\w+)", r"%(\1)s", statement.text)

    take_show, take_tier, taken_sql = (psycopg_sql(TAKE_HELD["show"]), psycopg_sql(TAKE_HELD["tier"]),
                                       psycopg_sql(CUSTOMER_TAKEN))
    insert = ("INSERT INTO hold (token, show_id, tier_id, customer_key, quantity, unit_price, status, expires_at, "
              "created_at) VALUES (%s, %s, %s, %s, 1, 15900, 'active', %s, %s) RETURNING id")
    show_id, tier_id = make_drop(args.tickets, args.limit, "drop-bare")
    connections = [psycopg.connect(url) for _ in range(args.connections)]
    local = threading.local()
    pool = iter(connections)
    pool_lock = threading.Lock()

    def attempt(index: int) -> str:
        if not hasattr(local, "conn"):
            with pool_lock:
                local.conn = next(pool)
        conn, key, now = local.conn, f"buyer{index}@example.com", datetime.now(UTC)
        outcome = "held"
        with conn.transaction() as tx, conn.cursor() as cur:
            if args.limit:
                cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"{tier_id}:{key}",))
                cur.execute(taken_sql, {"tier": tier_id, "key": key, "now": now})
                if cur.fetchone()[0] + 1 > args.limit:
                    outcome = "limit"
                    raise psycopg.Rollback(tx)
            for statement, row_id in ((take_show, show_id), (take_tier, tier_id)):
                cur.execute(statement, {"n": 1, "id": row_id})
                if cur.fetchone() is None:
                    outcome = "sold_out"
                    raise psycopg.Rollback(tx)
            cur.execute(insert, (secrets.token_urlsafe(24), show_id, tier_id, key, now + timedelta(minutes=10), now))
        return outcome

    try:
        seconds, latencies, outcomes = race(args.buyers, args.connections, attempt)
    finally:
        for conn in connections:
            conn.close()
    run = Run("bare SQL through psycopg: the same statements, no service layer", seconds, latencies, outcomes)
    run.sold, run.oversold, run.consistent = check(show_id, tier_id, args.tickets)
    return run


def main() -> int:
    args = parse_args()
    name, url = create_database(args.admin_url)
    os.environ["DATABASE_URL"] = url
    try:
        from alembic import command
        from alembic.config import Config

        config = Config(str(ROOT / "alembic.ini"))
        config.attributes["configure_logger"] = False
        command.upgrade(config, "head")
        with psycopg.connect(url) as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
        print(f"Ticket drop: {args.buyers} buyers race for {args.tickets} tickets over {args.connections} "
              f"parallel connections (PostgreSQL {version}; per-customer limit {args.limit or 'none'})", flush=True)
        service = service_run(args)
        print(service.report(), flush=True)
        bare = bare_run(args, url)
        print(bare.report(), flush=True)
        print(f"ratio to bare SQL: {service.holds_per_second / bare.holds_per_second:.2f}")
        ok = service.oversold == bare.oversold == 0 and service.consistent and bare.consistent
        ok = ok and not any(k.startswith("error") for run in (service, bare) for k in run.outcomes)
        return 0 if ok else 1
    finally:
        from services.db import reset_engine

        reset_engine()
        drop_database(args.admin_url, name)


if __name__ == "__main__":
    sys.exit(main())
