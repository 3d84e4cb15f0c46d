"""The inventory's SQL: loading what the state function needs and moving the `sold`/`held` counters.

Counters move only through the conditional UPDATEs here. Each UPDATE checks the allocation in its
WHERE clause, so PostgreSQL decides under the row lock whether the tickets still exist: no read-then-write
race, and once a row is full a later attempt fails without even waiting for the lock.

Lock order, everywhere, to rule out deadlocks: hold rows (ascending id) → show rows (ascending id) →
tier rows (ascending id) → secret-link rows (ascending id). `take_hold` touches no existing hold rows
and takes its advisory per-customer lock before any row lock.

The hold path is the hottest code in a ticket drop, so it runs on SQLAlchemy Core (one query loads the
show, its tiers and whether any of its holds lapsed) into small read-only snapshots, not ORM objects.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import Connection, bindparam, exists, select, text
from sqlmodel import Session
from sqlmodel import select as orm_select

from services.db import transaction
from services.models import Hold, HoldStatus, SecretLink, Show, TicketTier, utcnow

EXPIRY_BATCH = 500

_SHOW, _TIER, _LINK, _HOLD = Show.__table__, TicketTier.__table__, SecretLink.__table__, Hold.__table__
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
RETURN_SOLD = {name: text(f"UPDATE {table} SET sold = sold - :n WHERE id = :id") for name, table, _ in _TABLES}
LOCK_CUSTOMER = text("SELECT pg_advisory_xact_lock(hashtext(:k))")
CUSTOMER_TAKEN = text(
    "SELECT COALESCE((SELECT SUM(quantity) FROM hold WHERE tier_id = :tier AND customer_key = :key "
    "AND (status = 'converted' OR (status = 'active' AND expires_at > :now))), 0) + "
    "COALESCE((SELECT SUM(quantity) FROM \"order\" WHERE tier_id = :tier AND email = :key AND hold_id IS NULL "
    "AND status IN ('paid', 'needs_attention', 'partially_refunded')), 0)"
)
INSERT_HOLD = _HOLD.insert().returning(_HOLD.c.id)


@dataclass(frozen=True, slots=True)
class ShowFacts:
    """What the state function reads of a show (an ORM Show works just as well)."""

    id: int
    capacity: int
    sold: int
    held: int
    status: str
    is_public: bool
    starts_at: datetime
    waiting_list_enabled: bool
    max_per_order: int


@dataclass(frozen=True, slots=True)
class TierFacts:
    """What the state function reads of a tier (an ORM TicketTier works just as well)."""

    id: int
    show_id: int
    kind: str
    name_he: str
    name_en: str
    price: int
    allocation: int
    sold: int
    held: int
    sale_starts_at: datetime | None
    sale_ends_at: datetime | None
    per_customer_limit: int | None
    is_public: bool
    sort_order: int


@dataclass(frozen=True, slots=True)
class LinkFacts:
    """What the state function reads of a secret link (an ORM SecretLink works just as well)."""

    id: int
    token: str
    show_id: int
    tier_id: int
    price: int | None
    max_per_order: int
    allocation: int
    sold: int
    held: int
    valid_from: datetime | None
    valid_until: datetime | None
    campaign: str
    active: bool


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A show with its tiers (and the presented link) as one statement saw them."""

    show: ShowFacts
    tiers: list[TierFacts]
    link: LinkFacts | None
    has_expired_holds: bool


def _names(facts: type) -> list[str]:
    return [f.name for f in fields(facts)]


_SHOW_COLUMNS = [_SHOW.c[name] for name in _names(ShowFacts)]
_TIER_COLUMNS = [_TIER.c[name] for name in _names(TierFacts)]
_LAPSED = exists().where(_HOLD.c.show_id == _SHOW.c.id, _HOLD.c.status == HoldStatus.ACTIVE.value,
                         _HOLD.c.expires_at <= bindparam("now", type_=_HOLD.c.expires_at.type))
_SNAPSHOT = (select(*_SHOW_COLUMNS, _LAPSED.label("lapsed"), *_TIER_COLUMNS)
             .select_from(_SHOW.outerjoin(_TIER, _TIER.c.show_id == _SHOW.c.id)))
_SNAPSHOT_BY_ID = _SNAPSHOT.where(_SHOW.c.id == bindparam("show"))
_SNAPSHOT_BY_SLUG = _SNAPSHOT.where(_SHOW.c.slug == bindparam("show"))
_LINK_BY_TOKEN = select(*[_LINK.c[name] for name in _names(LinkFacts)]).where(_LINK.c.token == bindparam("token"))


def load_snapshot(conn: Connection, show: int | str, now: datetime, token: str | None = None) -> Snapshot | None:
    """The show (by id or slug), its tiers and whether it has lapsed holds, in one statement; then the link."""
    query = _SNAPSHOT_BY_ID if isinstance(show, int) else _SNAPSHOT_BY_SLUG
    rows = conn.execute(query, {"show": show, "now": now}).all()
    if not rows:
        return None
    split = len(_SHOW_COLUMNS)
    first = rows[0]
    tiers = [TierFacts(*row[split + 1:]) for row in rows if row[split + 1] is not None]
    link = None
    if token:
        found = conn.execute(_LINK_BY_TOKEN, {"token": token}).first()
        link = LinkFacts(*found) if found is not None else None
    return Snapshot(ShowFacts(*first[:split]), tiers, link, bool(first[split]))


def customer_taken(conn: Connection, tier_id: int, customer_key: str, now: datetime) -> int:
    """Tickets of the tier this customer holds (unexpired) or bought: what counts toward the per-customer limit."""
    if not customer_key:
        return 0
    return int(conn.execute(CUSTOMER_TAKEN, {"tier": tier_id, "key": customer_key, "now": now}).scalar_one())


def lock_customer(conn: Connection, tier_id: int, customer_key: str) -> None:
    """Serialise one customer's attempts on one tier, so two tabs cannot both pass the per-customer limit.

    A transaction-scoped advisory lock on PostgreSQL (released at commit); SQLite serialises writers anyway.
    """
    if conn.dialect.name == "postgresql" and customer_key:
        conn.execute(LOCK_CUSTOMER, {"k": f"hold:{tier_id}:{customer_key}"})


@dataclass(frozen=True)
class Target:
    """The rows one hold counts against."""

    show_id: int
    tier_id: int
    link_id: int | None
    quantity: int

    def rows(self) -> list[tuple[str, int]]:
        """(table, id) in lock order, skipping the link when there is none."""
        rows = [("show", self.show_id), ("tier", self.tier_id), ("link", self.link_id)]
        return [(name, row_id) for name, row_id in rows if row_id is not None]


def take(conn: Connection, target: Target, *, as_sold: bool = False) -> bool:
    """Count the target's tickets as held (or sold) on show, tier and link, in lock order; False if any is full.

    On False some rows may already be updated: the caller rolls back (its transaction or a savepoint).
    """
    statements = TAKE_SOLD if as_sold else TAKE_HELD
    for name, row_id in target.rows():
        if conn.execute(statements[name], {"n": target.quantity, "id": row_id}).first() is None:
            return False
    return True


def insert_hold(conn: Connection, values: dict) -> int:
    return conn.execute(INSERT_HOLD, values).scalar_one()


def held_to_sold(conn: Connection, target: Target) -> None:
    """Turn a live hold's tickets from held into sold (the capacity is already reserved)."""
    for name, row_id in target.rows():
        conn.execute(HELD_TO_SOLD[name], {"n": target.quantity, "id": row_id})


def return_held(conn: Connection, targets: Iterable[Target]) -> None:
    """Give held tickets back, summed per row and applied in lock order (shows, tiers, links; by id)."""
    sums: dict[str, dict[int, int]] = {"show": defaultdict(int), "tier": defaultdict(int), "link": defaultdict(int)}
    for target in targets:
        for name, row_id in target.rows():
            sums[name][row_id] += target.quantity
    for name in ("show", "tier", "link"):
        for row_id in sorted(sums[name]):
            conn.execute(RETURN_HELD[name], {"n": sums[name][row_id], "id": row_id})


def return_sold(conn: Connection, target: Target) -> None:
    """Put sold tickets back on sale (refunded or cancelled), in lock order."""
    for name, row_id in target.rows():
        conn.execute(RETURN_SOLD[name], {"n": target.quantity, "id": row_id})


def target_of(hold: Hold) -> Target:
    return Target(hold.show_id, hold.tier_id, hold.secret_link_id, hold.quantity)


def _expired_batch(session: Session, now: datetime, show_id: int | None) -> Sequence[Hold]:
    """Active holds past their expiry, locked; rows another transaction is busy with are skipped, not awaited."""
    query = orm_select(Hold).where(Hold.status == HoldStatus.ACTIVE, Hold.expires_at <= now)
    if show_id is not None:
        query = query.where(Hold.show_id == show_id)
    query = query.order_by(Hold.id).limit(EXPIRY_BATCH).with_for_update(skip_locked=True)
    return session.exec(query).all()


def release_expired_holds(now: datetime | None = None, *, show_id: int | None = None) -> int:
    """Expire every active hold past its time (of one show, or all) and give its tickets back; returns how many.

    Runs from the periodic job, before a hold attempt answers "sold out", and when a page reads a show.
    Batches commit separately so a large backlog never holds locks for long.
    """
    now = now or utcnow()
    released = 0
    while True:
        with transaction() as session:
            holds = _expired_batch(session, now, show_id)
            if holds:
                return_held(session.connection(), (target_of(h) for h in holds))
                for hold in holds:
                    hold.status, hold.ended_at = HoldStatus.EXPIRED, now
                    session.add(hold)
        released += len(holds)
        if len(holds) < EXPIRY_BATCH:
            return released
