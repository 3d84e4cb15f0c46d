"""GET /api/media/...: uploaded show images from the configurable media folder (public, read-only)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from services.media import IMAGE_TYPES, media_file


async def media(request: Request) -> Response:
    """Serve a file only if it resolves inside the media folder and is one of the image types we store."""
    path = media_file(request.path_params["path"])
    if path is None:
        return Response("Not found", status_code=404)
    return FileResponse(path, media_type=IMAGE_TYPES[path.suffix], headers={"Cache-Control": "public, max-age=86400"})


routes = [Route("/api/media/{path:path}", media, methods=["GET"])]
