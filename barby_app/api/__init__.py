"""Plain HTTP routes mounted on the Reflex backend: provider callbacks and internal JSON APIs.

Each room has a module here exposing `routes`; `create_api()` gathers them into one Starlette app
that rxconfig's App mounts via `api_transformer` (and that tests serve on their own).
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import BaseRoute

from barby_app.api import admin, delivery, health, media, payments, sandbox


def all_routes() -> list[BaseRoute]:
    return [*health.routes, *payments.routes, *sandbox.routes, *delivery.routes, *admin.routes, *media.routes]


def create_api() -> Starlette:
    return Starlette(routes=all_routes())
