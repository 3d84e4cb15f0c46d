"""GET /api/health over real HTTP."""

from __future__ import annotations

import httpx


def test_health_reports_database_and_redis(http: httpx.Client) -> None:
    response = http.get("/api/health")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["redis"].startswith("not configured")
    assert body["status"] == "ok"


def test_health_reports_redis_when_configured(http: httpx.Client, monkeypatch) -> None:
    from services.settings import get_settings

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    get_settings.cache_clear()
    assert http.get("/api/health").json()["redis"] == "ok"
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    get_settings.cache_clear()
    assert http.get("/api/health").json()["redis"].startswith("error")
