"""The rq worker class for delivery: the stock forking Worker with the delivery code preloaded.

rq forks a fresh work horse per job; without this, every horse imports SQLAlchemy, fpdf2, the
models and the fonts' code again (about a second per job). Importing them here, in the parent,
means each fork starts warm. Start with:

    rq worker --with-scheduler --worker-class services.delivery.worker.DeliveryWorker --url $REDIS_URL barby
"""

from __future__ import annotations

from rq import Worker

import services.delivery.jobs  # noqa: F401  (preloaded for the forks)


class DeliveryWorker(Worker):
    """Identical behaviour to rq.Worker; exists so the import above happens before any fork."""
