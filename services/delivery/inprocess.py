"""Running delivery jobs without Redis (the embedded default): a small thread pool in the app.

The same `run_delivery` runs here as in an rq worker; back-off between attempts uses tenacity with
the same intervals as rq's Retry. Work here dies with the process, which is why the periodic sweep
exists: it finds whatever was queued or failed and not yet sent, and queues it again.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait

from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

from services.delivery.config import get_config
from services.delivery.jobs import DeliveryRetry, run_delivery

log = logging.getLogger("barby.delivery")


class Stopped(Exception):
    """The runner is shutting down: abandon the back-off (the sweep picks the delivery up later)."""


class InProcessRunner:
    """A two-thread pool running delivery jobs with back-off; `shutdown` cancels pending retries."""

    def __init__(self, threads: int = 2) -> None:
        self.stop = threading.Event()
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="barby-delivery")
        self.futures: set[Future] = set()
        self.lock = threading.Lock()

    def submit(self, delivery_id: int) -> None:
        future = self.executor.submit(self._run, delivery_id)
        with self.lock:
            self.futures.add(future)
        future.add_done_callback(self._forget)

    def _forget(self, future: Future) -> None:
        with self.lock:
            self.futures.discard(future)

    def _run(self, delivery_id: int) -> str:
        intervals = get_config().retry_intervals or [0]
        retrying = Retrying(
            retry=retry_if_exception_type(DeliveryRetry), stop=stop_after_attempt(len(intervals) + 1),
            wait=lambda state: _interval(state, intervals), sleep=self._sleep, reraise=True,
        )
        try:
            return retrying(run_delivery, delivery_id)
        except (DeliveryRetry, Stopped) as error:
            log.warning("in-process delivery %s left for the sweep: %s", delivery_id, error)
        except Exception:
            log.exception("in-process delivery %s crashed", delivery_id)
        return "unfinished"

    def _sleep(self, seconds: float) -> None:
        if self.stop.wait(seconds):
            raise Stopped("shutting down")

    def drain(self, timeout: float = 60) -> bool:
        """Wait for everything submitted so far (tests, and the dev server at exit)."""
        with self.lock:
            pending = set(self.futures)
        _done, not_done = wait(pending, timeout=timeout)
        return not not_done

    def shutdown(self) -> None:
        self.stop.set()
        self.executor.shutdown(wait=True, cancel_futures=True)


def _interval(state: RetryCallState, intervals: list[int]) -> float:
    return float(intervals[min(state.attempt_number - 1, len(intervals) - 1)])


_runner: InProcessRunner | None = None
_runner_lock = threading.Lock()


def runner() -> InProcessRunner:
    global _runner
    with _runner_lock:
        if _runner is None:
            _runner = InProcessRunner()
        return _runner


def reset_runner() -> None:
    """Stop the current runner (cancelling back-offs) and start fresh next time: used between tests."""
    global _runner
    with _runner_lock:
        current, _runner = _runner, None
    if current is not None:
        current.shutdown()
