"""`make run`: the local mail sink plus the whole app (pages, event socket and /api) on one port.

Usage: python tools/devserver.py   (after `alembic upgrade head` and `python -m services.seed`)
"""

from __future__ import annotations

import os
import subprocess
import sys

from services.delivery.mailsink import start_mailsink
from services.settings import PROJECT_ROOT, get_settings


def start_local_mail_sink() -> None:
    """The embedded default sends mail to a local SMTP server that keeps every message."""
    settings = get_settings()
    if settings.smtp_host not in ("127.0.0.1", "localhost"):
        return
    start_mailsink()
    print(f"Mail sink on {settings.smtp_host}:{settings.smtp_port}: read it at {settings.public_base_url}/dev/mail")


def main() -> None:
    settings = get_settings()
    port = os.environ.get("PORT", "3000")
    start_local_mail_sink()
    print(f"Barby on {settings.public_base_url} (database: {settings.database_url.split('@')[-1]})")
    command = [sys.executable, "-m", "reflex", "run", "--env", "prod", "--single-port",
               "--frontend-port", port, "--backend-port", port]
    raise SystemExit(subprocess.call(command, cwd=PROJECT_ROOT))


if __name__ == "__main__":
    main()
