"""rq cron configuration for the production shape: `rq cron services/cron.py --url $REDIS_URL` (`make cron`).

Every periodic job of services.periodic, on the app's queue, at its own interval.
"""

from __future__ import annotations

from rq import cron

from services.periodic import JOBS
from services.settings import get_settings

for _job in JOBS:
    cron.register(_job.run, get_settings().rq_queue, interval=_job.every_seconds, job_timeout=300)
