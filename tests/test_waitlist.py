"""Waiting lists and sale-opening registrations, through the service the show page calls."""

from __future__ import annotations

import pytest
from sqlmodel import select

from services.db import read_session
from services.errors import NotAllowed, ValidationFailed
from services.models import Show, WaitingListEntry
from services.waitlist import join


def _show(slug: str) -> int:
    with read_session() as session:
        return session.exec(select(Show).where(Show.slug == slug)).one().id


def test_sold_out_show_takes_waiting_list_entries_once_per_email(seeded) -> None:
    show_id = _show("noga-erez")
    join(show_id=show_id, name="Dana", email="Dana@Example.com", phone="050-987-6543", quantity=2)
    join(show_id=show_id, name="Dana M", email="dana@example.com", quantity=3, language="en")
    with read_session() as session:
        entry = session.exec(select(WaitingListEntry)).one()
    assert (entry.kind, entry.email, entry.name, entry.quantity, entry.language) == (
        "waiting_list", "dana@example.com", "Dana M", 3, "en")


def test_sale_not_open_yet_takes_registrations(seeded) -> None:
    entry = join(show_id=_show("shlomo-artzi-intimate"), name="Yossi", email="yossi@example.com")
    assert entry.kind == "registration"


def test_a_show_on_sale_has_no_list_and_bad_input_changes_nothing(seeded) -> None:
    with pytest.raises(NotAllowed):
        join(show_id=_show("hadag-nahash-live"), name="Noa", email="noa@example.com")
    for bad in ({"name": " ", "email": "a@example.com"}, {"name": "A", "email": "a@example"},
                {"name": "A", "email": "a@example.com", "phone": "12"}):
        with pytest.raises(ValidationFailed):
            join(show_id=_show("noga-erez"), **bad)
    with read_session() as session:
        assert session.exec(select(WaitingListEntry)).all() == []
