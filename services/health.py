"""Health of the things the app depends on, for `GET /api/health` and operators."""

from __future__ import annotations

from sqlalchemy import text

from services.db import get_engine
from services.settings import get_settings


def check_database() -> str:
    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
        return "ok"
    except Exception as error:
        return f"error: {type(error).__name__}"


def check_redis() -> str:
    url = get_settings().redis_url
    if not url:
        return "not configured (jobs run in-process)"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        return "ok"
    except Exception as error:
        return f"error: {type(error).__name__}"


def health_report() -> dict[str, str]:
    report = {"database": check_database(), "redis": check_redis()}
    report["status"] = "ok" if report["database"] == "ok" and not report["redis"].startswith("error") else "degraded"
    return report
