"""The one way a page state calls a service: `await run_service(fn, *args)`, in a worker thread.

Reflex runs every visitor's events on ONE asyncio loop, and in the embedded run (`make run`) that loop
also serves the payment sandbox and the HTTP API. A service waits on the database, argon2 or a
provider's HTTP; called directly in an event handler, that wait freezes every visitor (and a refund
through the sandbox can never be answered, since the sandbox is stuck behind it). In a thread it only
delays the visitor who asked. tests/test_state_offloop.py fails if a state calls a service any other way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


async def run_service(fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Run `fn(*args, **kwargs)` off the event loop and return (or raise) what it does."""
    return await asyncio.to_thread(fn, *args, **kwargs)
