"""rq cron configuration: the periodic delivery sweep, when running on Redis.

    rq cron services/delivery/cron.py --url $REDIS_URL      # beside `make worker`

Without Redis the dev server calls services.delivery.start_inprocess_sweeper() instead.
"""

from __future__ import annotations

from rq import cron

from services.delivery.config import get_config
from services.delivery.queueing import sweep_undelivered
from services.settings import get_settings

cron.register(sweep_undelivered, get_settings().rq_queue, interval=get_config().sweep_every_seconds,
              job_timeout=get_config().job_timeout)
