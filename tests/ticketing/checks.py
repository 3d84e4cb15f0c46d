"""Invariants the inventory must keep: counters equal to the hold rows, never past an allocation."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import select

from services.db import read_session
from services.models import Hold, HoldStatus, SecretLink, Show, TicketTier


def counters_from_rows(presold: dict[tuple[str, int], int] | None = None) -> dict[tuple[str, int], tuple[int, int]]:
    """(sold, held) per ("show"|"tier"|"link", id) recomputed from the hold rows (plus tickets sold before)."""
    sums: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    with read_session() as session:
        for hold in session.exec(select(Hold)):
            column = {HoldStatus.CONVERTED: 0, HoldStatus.ACTIVE: 1}.get(hold.status)
            if column is None:
                continue
            keys = [("show", hold.show_id), ("tier", hold.tier_id)]
            if hold.secret_link_id is not None:
                keys.append(("link", hold.secret_link_id))
            for key in keys:
                sums[key][column] += hold.quantity
    for key, sold in (presold or {}).items():
        sums[key][0] += sold
    return {key: (value[0], value[1]) for key, value in sums.items()}


def stored_counters() -> dict[tuple[str, int], tuple[int, int, int]]:
    """(sold, held, limit) per row as stored."""
    with read_session() as session:
        rows = {("show", s.id): (s.sold, s.held, s.capacity) for s in session.exec(select(Show))}
        rows |= {("tier", t.id): (t.sold, t.held, t.allocation) for t in session.exec(select(TicketTier))}
        rows |= {("link", lk.id): (lk.sold, lk.held, lk.allocation) for lk in session.exec(select(SecretLink))}
    return rows


def assert_consistent(presold: dict[tuple[str, int], int] | None = None) -> None:
    """Every show, tier and link: counters equal the rows, and sold + held within the limit."""
    expected = counters_from_rows(presold)
    for key, (sold, held, limit) in stored_counters().items():
        assert (sold, held) == expected.get(key, (0, 0)), key
        assert 0 <= sold + held <= limit, key
