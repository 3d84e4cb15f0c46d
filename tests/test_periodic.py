"""The periodic jobs run as the scheduler calls them: with no arguments."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from services import clock
from services.db import read_session, transaction
from services.models import Hold, HoldStatus
from services.periodic import JOBS, run_all_once
from services.ticketing import take_hold


def test_every_job_runs_without_arguments_and_releases_lapsed_holds(show_factory, caplog) -> None:
    made = show_factory(capacity=10)
    hold = take_hold(show_id=made.show.id, tier_id=None, quantity=2)
    with transaction() as session:
        session.get(Hold, hold.id).expires_at = clock.now() - timedelta(seconds=1)
    run_all_once()
    assert not [record for record in caplog.records if "periodic job failed" in record.getMessage()]
    with read_session() as session:
        assert session.exec(select(Hold)).one().status == HoldStatus.EXPIRED
    assert {job.name for job in JOBS} == {"release expired holds", "reconcile pending payments",
                                          "sweep undelivered tickets"}
