"""GET /api/media/...: uploaded show images from the configurable media folder (public, read-only)."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from services.settings import get_settings

TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


async def media(request: Request) -> Response:
    """Serve a file only if it resolves inside the media folder and is one of the image types we store."""
    root = Path(get_settings().media_dir).resolve()
    path = (root / request.path_params["path"]).resolve()
    if root not in path.parents or path.suffix not in TYPES or not path.is_file():
        return Response("Not found", status_code=404)
    return FileResponse(path, media_type=TYPES[path.suffix], headers={"Cache-Control": "public, max-age=86400"})


routes = [Route("/api/media/{path:path}", media, methods=["GET"])]
