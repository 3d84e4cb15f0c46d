"""The inventory's SQL: loading what the state function needs and moving the `sold`/`held` counters.

Counters move only through the conditional UPDATEs here. Each UPDATE checks the allocation in its
WHERE clause, so PostgreSQL decides under the row lock whether the tickets exist: no read-then-write
race, and once a row is full a later attempt fails without even waiting for the lock.

Lock order, everywhere, to rule out deadlocks: hold rows (ascending id) → show rows (ascending id) →
tier rows (ascending id) → secret-link rows (ascending id). `take_hold` touches no existing hold rows
and takes its advisory per-customer lock before any row lock.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlmodel import Session, select

from services.db import transaction
from services.models import Hold, HoldStatus, SecretLink, Show, TicketTier

EXPIRY_BATCH = 500

_TABLES = (("show", '"show"', "capacity"), ("tier", "tickettier", "allocation"), ("link", "secretlink", "allocation"))


def _take_sql(table: str, limit: str, column: str) -> str:
    return (f"UPDATE {table} SET {column} = {column} + :n "
            f"WHERE id = :id AND sold + held + :n <= {limit} RETURNING id")


# The statements a hold is made of (bench/ticket_drop.py issues the same ones directly through psycopg).
TAKE_HELD = {name: text(_take_sql(table, limit, "held")) for name, table, limit in _TABLES}
TAKE_SOLD = {name: text(_take_sql(table, limit, "sold")) for name, table, limit in _TABLES}
HELD_TO_SOLD = {name: text(f"UPDATE {table} SET held = held - :n, sold = sold + :n WHERE id = :id")
                for name, table, _ in _TABLES}
RETURN_HELD = {name: text(f"UPDATE {table} SET held = held - :n WHERE id = :id") for name, table, _ in _TABLES}

_TAKEN_SQL = text(
    "SELECT COALESCE((SELECT SUM(quantity) FROM hold WHERE tier_id = :tier AND customer_key = :key "
    "AND (status = 'converted' OR (status = 'active' AND expires_at > :now))), 0) + "
    "COALESCE((SELECT SUM(quantity) FROM \"order\" WHERE tier_id = :tier AND email = :key AND hold_id IS NULL "
    "AND status IN ('paid', 'needs_attention', 'partially_refunded')), 0)"
)


@dataclass(frozen=True)
class Target:
    """The rows one hold counts against."""

    show_id: int
    tier_id: int
    link_id: int | None
    quantity: int


def load_show(session: Session, show: int | str) -> Show | None:
    """A show by id or slug."""
    query = select(Show).where(Show.id == show) if isinstance(show, int) else select(Show).where(Show.slug == show)
    return session.exec(query).first()


def load_tiers(session: Session, show_id: int) -> list[TicketTier]:
    return list(session.exec(select(TicketTier).where(TicketTier.show_id == show_id)).all())


def load_link(session: Session, token: str | None) -> SecretLink | None:
    if not token:
        return None
    return session.exec(select(SecretLink).where(SecretLink.token == token)).first()


def customer_taken(session: Session, tier_id: int, customer_key: str, now: datetime) -> int:
    """Tickets of the tier this customer holds (unexpired) or bought: what counts toward the per-customer limit."""
    if not customer_key:
        return 0
    params = {"tier": tier_id, "key": customer_key, "now": now}
    return int(session.connection().execute(_TAKEN_SQL, params).scalar_one())


def lock_customer(session: Session, tier_id: int, customer_key: str) -> None:
    """Serialise one customer's attempts on one tier, so two tabs cannot both pass the per-customer limit.

    A transaction-scoped advisory lock on PostgreSQL (released at commit); SQLite serialises writers anyway.
    """
    if session.get_bind().dialect.name != "postgresql" or not customer_key:
        return
    digest = hashlib.blake2b(f"hold:{tier_id}:{customer_key}".encode(), digest_size=8).digest()
    key = int.from_bytes(digest, "big", signed=True)
    session.connection().execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


def take(session: Session, target: Target, *, as_sold: bool = False) -> bool:
    """Count the target's tickets as held (or sold) on show, tier and link, in lock order; False if any is full.

    On False some rows may already be updated: the caller rolls back (its transaction or a savepoint).
    """
    statements = TAKE_SOLD if as_sold else TAKE_HELD
    connection = session.connection()
    steps = [("show", target.show_id), ("tier", target.tier_id), ("link", target.link_id)]
    for name, row_id in steps:
        if row_id is None:
            continue
        if connection.execute(statements[name], {"n": target.quantity, "id": row_id}).first() is None:
            return False
    return True


def held_to_sold(session: Session, target: Target) -> None:
    """Turn a live hold's tickets from held into sold (the capacity is already reserved)."""
    connection = session.connection()
    for name, row_id in (("show", target.show_id), ("tier", target.tier_id), ("link", target.link_id)):
        if row_id is not None:
            connection.execute(HELD_TO_SOLD[name], {"n": target.quantity, "id": row_id})


def return_held(session: Session, targets: Iterable[Target]) -> None:
    """Give held tickets back, summed per row and applied in lock order (shows, tiers, links; by id)."""
    sums: dict[str, dict[int, int]] = {"show": defaultdict(int), "tier": defaultdict(int), "link": defaultdict(int)}
    for target in targets:
        sums["show"][target.show_id] += target.quantity
        sums["tier"][target.tier_id] += target.quantity
        if target.link_id is not None:
            sums["link"][target.link_id] += target.quantity
    connection = session.connection()
    for name in ("show", "tier", "link"):
        for row_id in sorted(sums[name]):
            connection.execute(RETURN_HELD[name], {"n": sums[name][row_id], "id": row_id})


def target_of(hold: Hold) -> Target:
    return Target(hold.show_id, hold.tier_id, hold.secret_link_id, hold.quantity)


def _expired_batch(session: Session, now: datetime, show_id: int | None) -> Sequence[Hold]:
    """Active holds past their expiry, locked; rows another transaction is busy with are skipped, not awaited."""
    query = select(Hold).where(Hold.status == HoldStatus.ACTIVE, Hold.expires_at <= now)
    if show_id is not None:
        query = query.where(Hold.show_id == show_id)
    query = query.order_by(Hold.id).limit(EXPIRY_BATCH).with_for_update(skip_locked=True)
    return session.exec(query).all()


def release_expired_holds(now: datetime, *, show_id: int | None = None) -> int:
    """Expire every active hold past its time (of one show, or all) and give its tickets back; returns how many.

    Runs from the periodic job, before a hold attempt answers "sold out", and when a page reads a show.
    Batches commit separately so a large backlog never holds locks for long.
    """
    released = 0
    while True:
        with transaction() as session:
            holds = _expired_batch(session, now, show_id)
            if holds:
                return_held(session, (target_of(h) for h in holds))
                for hold in holds:
                    hold.status, hold.ended_at = HoldStatus.EXPIRED, now
                    session.add(hold)
        released += len(holds)
        if len(holds) < EXPIRY_BATCH:
            return released


def has_expired_holds(session: Session, show_id: int, now: datetime) -> bool:
    """Whether the show's counters include holds whose time is up (so a read should release them first)."""
    query = select(Hold.id).where(Hold.show_id == show_id, Hold.status == HoldStatus.ACTIVE, Hold.expires_at <= now)
    return session.exec(query.limit(1)).first() is not None
