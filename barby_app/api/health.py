"""GET /api/health: database and Redis connectivity as JSON (503 when the database is down)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from services.health import health_report


async def health(_request: Request) -> JSONResponse:
    report = await run_in_threadpool(health_report)
    return JSONResponse(report, status_code=200 if report["database"] == "ok" else 503)


routes = [Route("/api/health", health, methods=["GET"])]
