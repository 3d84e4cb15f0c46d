"""Where a show's picture lives: one place answers for pages, emails and PDFs.

A show's `image` is the URL pages use: either a bundled demo poster (`/shows/x.jpg`, served from
`assets/`) or a back-office upload (`/api/media/shows/x.jpg`, stored under settings.media_dir). PDFs need
the file itself, so `show_image_path` maps either kind of URL back to a file, and never outside its
folder. Before this, PDFs looked only in assets/ and every uploaded poster vanished from the tickets.
"""

from __future__ import annotations

from pathlib import Path

from services.settings import PROJECT_ROOT, get_settings

ASSETS = PROJECT_ROOT / "assets"
MEDIA_URL = "/api/media/"
IMAGE_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


def media_root() -> Path:
    return Path(get_settings().media_dir).resolve()


def media_file(relative: str) -> Path | None:
    """An uploaded image by its path under the media folder; None for anything else (or outside it)."""
    root = media_root()
    path = (root / relative).resolve()
    if root not in path.parents or path.suffix not in IMAGE_TYPES or not path.is_file():
        return None
    return path


def save_show_image(name: str, data: bytes) -> str:
    """Store an uploaded (already validated) show image; returns the URL pages use for it."""
    folder = media_root() / "shows"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return f"{MEDIA_URL}shows/{name}"


def show_image_path(image: str | None) -> Path | None:
    """The file behind a show's image URL (upload or bundled poster), or None when there is none."""
    if not image:
        return None
    if image.startswith(MEDIA_URL):
        return media_file(image.removeprefix(MEDIA_URL))
    root = ASSETS.resolve()
    path = (root / image.lstrip("/")).resolve()
    return path if root in path.parents and path.suffix in IMAGE_TYPES and path.is_file() else None
