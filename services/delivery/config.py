"""Delivery tuning, read from the environment beside the platform settings.

Kept here rather than in services/settings.py because only delivery reads these, and tests and
operators need to shorten back-offs and leases without touching anything else.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from services.settings import PROJECT_ROOT


class DeliveryConfig(BaseSettings):
    """Retry, lease and storage knobs for ticket delivery (env prefix DELIVERY_)."""

    model_config = SettingsConfigDict(env_prefix="DELIVERY_", env_file=".env", extra="ignore")

    # Seconds between retries of a failed attempt (SMTP down, gateway 5xx): 4 retries over ~20 minutes.
    retry_intervals: list[int] = [10, 60, 300, 900]
    # After this many attempts the sweep stops re-queuing and staff see the failure.
    max_attempts: int = 10
    # A "sending" row older than this belongs to a dead worker. Must exceed job_timeout.
    lease_seconds: int = 300
    # rq kills a job running longer than this (well inside the lease, so a live worker never loses it).
    job_timeout: int = 120
    smtp_timeout: float = 30.0
    # A queued row younger than this is assumed to be on its way; the sweep leaves it alone.
    queued_grace_seconds: int = 60
    # Paid orders younger than this with no confirmation at all get one (never old or imported orders).
    backfill_hours: int = 48
    mailsink_dir: Path = PROJECT_ROOT / "var" / "mailsink"
    log_dir: Path = PROJECT_ROOT / "var"
    sweep_every_seconds: int = 60


@lru_cache
def get_config() -> DeliveryConfig:
    """Process-wide delivery config; tests clear the cache after changing the environment."""
    return DeliveryConfig()
