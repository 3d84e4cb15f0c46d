"""The staff show list: what the public sees per show in a constant number of statements, and a search
that takes % and _ literally (on PostgreSQL and on SQLite, which `make run` uses)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from alembic import command
from sqlmodel import select

from services.backoffice import shows
from services.clock import now
from services.db import reset_engine, transaction
from services.models import Hold, Show
from services.seed import seed
from services.settings import get_settings
from services.staff.auth import current_staff, sign_in
from services.ticketing import show_state, take_hold
from tests.backoffice.conftest import PASSWORDS
from tests.fixtures.database import alembic_config


def _variety(show_factory, count: int, prefix: str) -> list[int]:
    """Shows in different public states: on sale, sold out, presale not open yet, hidden, waiting list."""
    later = now() + timedelta(days=3)
    kinds = [
        {"tiers": {"regular": {}}},
        {"capacity": 10, "tiers": {"regular": {"allocation": 10, "sold": 10}}},
        {"tiers": {"presale": {"kind": "presale", "sale_starts_at": later}}},
        {"is_public": False, "tiers": {"regular": {}}},
        {"capacity": 5, "waiting_list_enabled": True, "tiers": {"regular": {"allocation": 5, "sold": 5}}},
    ]
    return [show_factory(slug=f"{prefix}-{i}", **kinds[i % len(kinds)]).show.id for i in range(count)]


def test_the_list_reads_every_show_in_a_constant_number_of_statements(tokens, show_factory, sql_statements) -> None:
    manager = tokens["manager"]
    made = _variety(show_factory, 1, "first")
    sql_statements.clear()
    shows.list_shows(manager)
    with_one = len(sql_statements)

    made += _variety(show_factory, 30, "more")
    sql_statements.clear()
    rows = shows.list_shows(manager)
    assert len(sql_statements) == with_one, "the list must not query per show"
    sql_statements.clear()
    current_staff(manager)  # the staff check every back-office call makes: not the list's own reading
    assert with_one - len(sql_statements) <= 3
    # ... and each row says exactly what the ticket engine says when asked about that one show.
    listed = {row.id: row.public_action for row in rows}
    assert {show_id: listed[show_id] for show_id in made} == {show_id: show_state(show_id).action for show_id in made}
    assert {"buy", "sold_out", "registration", "unavailable", "waiting_list"} <= set(listed.values())


def test_a_lapsed_hold_is_given_back_before_the_list_says_sold_out(tokens, show_factory) -> None:
    made = show_factory(capacity=2, slug="last-two")
    hold = take_hold(show_id=made.show.id, tier_id=made.tiers["regular"].id, quantity=2, customer_key="a@example.com")
    assert show_state(made.show.id).action == "sold_out"
    with transaction() as session:
        session.exec(select(Hold).where(Hold.token == hold.token)).one().expires_at = now() - timedelta(minutes=1)
    row = next(r for r in shows.list_shows(tokens["manager"]) if r.id == made.show.id)
    assert row.public_action == "buy"


@pytest.fixture(params=["postgresql", "sqlite"])
def manager_on(request, tmp_path, monkeypatch) -> Iterator[str]:
    """A signed-in manager on the test's PostgreSQL database, or on a fresh migrated SQLite file (`make run`)."""
    if request.param == "sqlite":
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'barby.db'}")
        get_settings.cache_clear()
        reset_engine()
        command.upgrade(alembic_config(), "head")
    try:
        seed()
        yield sign_in(*PASSWORDS["manager"]).token
    finally:
        if request.param == "sqlite":
            monkeypatch.undo()
            get_settings.cache_clear()
            reset_engine()


def test_percent_and_underscore_in_the_show_search_are_plain_characters(manager_on, show_factory) -> None:
    titles = {"percent": "100% Rock", "plain": "100 Rock", "snake": "snake_case night"}
    ids = {}
    for slug, title in titles.items():
        ids[slug] = show_factory(slug=slug).show.id
        with transaction() as session:
            session.get(Show, ids[slug]).title_en = title

    def found(query: str) -> list[shows.ShowRow]:
        return shows.list_shows(manager_on, query=query)

    assert [row.id for row in found("100%")] == [ids["percent"]]
    assert {row.id for row in found("100")} >= {ids["percent"], ids["plain"]}
    underscored = found("_")
    assert ids["snake"] in {row.id for row in underscored}
    assert all("_" in row.title + row.title_he + row.artist for row in underscored)
    assert [row.id for row in found("E_C")] == [ids["snake"]]  # case-insensitive still
    assert found("e%c") == []
