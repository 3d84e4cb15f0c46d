"""Reading request bodies safely: a size cap checked before reading, and JSON that can never crash a route.

Every route that takes a body goes through here, so an oversized upload is refused from its
Content-Length (or cut off while streaming) before a byte is kept, and malformed, deeply nested or
NUL-carrying JSON is a 4xx with a message, never a 500.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

JSON_LIMIT = 64 * 1024


class BadBody(Exception):
    """The body cannot be used: `status` (413 too large, 400 malformed) and a message for the caller."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message

    def response(self) -> JSONResponse:
        return JSONResponse({"error": "too_large" if self.status == 413 else "invalid", "message": self.message},
                            status_code=self.status)


async def read_capped(request: Request, limit: int) -> bytes:
    """The body, refused (413) when Content-Length says it is too large or it grows past `limit` while read."""
    declared = request.headers.get("content-length", "")
    if declared and (not declared.isascii() or not declared.isdigit() or int(declared) > limit):
        raise BadBody(413, f"The body is larger than {limit // 1024} KB.")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BadBody(413, f"The body is larger than {limit // 1024} KB.")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_json_object(raw: bytes) -> dict[str, Any]:
    """A JSON object from bytes; malformed, nested past Python's limit, not an object or holding NUL: 400."""
    try:
        value = json.loads(raw or b"{}")
    except (ValueError, RecursionError) as error:
        raise BadBody(400, "The body is not valid JSON.") from error
    if not isinstance(value, dict):
        raise BadBody(400, "The body must be a JSON object.")
    if _has_nul(value):
        raise BadBody(400, "Text may not contain NUL characters.")
    return value


def _has_nul(value: Any) -> bool:
    """Whether any string (key or value) holds a NUL, which PostgreSQL refuses; walked without recursion."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


async def read_json_object(request: Request, limit: int = JSON_LIMIT) -> dict[str, Any]:
    return parse_json_object(await read_capped(request, limit))
