"""The periodic jobs that keep money and tickets honest when nobody is clicking.

- release expired holds, so tickets a buyer walked away from go back on sale;
- reconcile payments still pending after a few minutes, so a lost callback never loses a paid order;
- sweep deliveries of paid orders that are not sent yet, so every order reaches its customer.

Each job is idempotent and safe in several processes at once. With Redis they run under `rq cron`
(`make cron`, see services/cron.py); without it (the embedded run) the app starts them in a thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from services.delivery import sweep_undelivered
from services.orders import reconcile_pending
from services.ticketing import release_expired_holds

log = logging.getLogger("barby.periodic")


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    run: Callable[[], object]
    every_seconds: int


JOBS = (
    PeriodicJob("release expired holds", release_expired_holds, 30),
    PeriodicJob("reconcile pending payments", reconcile_pending, 60),
    PeriodicJob("sweep undelivered tickets", sweep_undelivered, 60),
)


def run_all_once() -> None:
    """Run every job now (used at start-up and by operators); one failing job does not stop the rest."""
    for job in JOBS:
        _run(job)


def _run(job: PeriodicJob) -> None:
    try:
        job.run()
    except Exception:
        log.exception("periodic job failed: %s", job.name)


def start_in_process() -> threading.Event:
    """For the embedded run: each job on its own daemon thread. Returns the event that stops them."""
    stop = threading.Event()
    for job in JOBS:
        def loop(job: PeriodicJob = job) -> None:
            while not stop.wait(job.every_seconds):
                _run(job)

        threading.Thread(target=loop, name=f"barby-{job.name}", daemon=True).start()
    return stop
