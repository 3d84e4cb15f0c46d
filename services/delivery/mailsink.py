"""The development mail sink: an SMTP server (aiosmtpd) that keeps every message as a .eml file.

The embedded run points SMTP at it (127.0.0.1:8025), so a newcomer buys a ticket and then reads
the email and opens the PDF in the dev mail page, with nothing leaving the machine.

    python -m services.delivery.mailsink      # run it alone
    start_mailsink()                          # from the dev server; returns the running Controller
    list_messages() / read_message(id) / message_attachment(id, n)   # for the dev page and JSON API
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from services.delivery.config import get_config
from services.settings import get_settings

_ID = re.compile(r"^[0-9TZ.-]+-[0-9a-f]{8}$")


class MailSinkHandler:
    """aiosmtpd handler: every accepted message becomes `<received-at>-<random>.eml` in `directory`."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope: Envelope) -> str:
        self.store(envelope)
        return "250 Message accepted for delivery"

    def store(self, envelope: Envelope) -> Path:
        """Write atomically (temp file, then rename) so a reader never sees half a message."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        path = self.directory / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        envelope_headers = f"X-Mailsink-From: {envelope.mail_from}\r\nX-Mailsink-To: {', '.join(envelope.rcpt_tos)}\r\n"
        content = envelope.original_content or envelope.content
        data = envelope_headers.encode() + (content if isinstance(content, bytes) else content.encode())
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(data)
        temporary.rename(path)
        return path


def start_mailsink(host: str | None = None, port: int | None = None, directory: Path | None = None) -> Controller:
    """Start the sink in a background thread (defaults: SMTP_HOST/SMTP_PORT, var/mailsink)."""
    settings = get_settings()
    handler = MailSinkHandler(directory or get_config().mailsink_dir)
    controller = Controller(handler, hostname=host or settings.smtp_host, port=port or settings.smtp_port)
    controller.start()
    return controller


@dataclass(frozen=True)
class StoredMessage:
    """A kept message, decoded for display."""

    id: str
    received_at: datetime
    mail_from: str
    to: str
    subject: str
    message_id: str = ""
    text: str = ""
    html: str = ""
    attachments: list[dict] = field(default_factory=list)

    def summary(self) -> dict:
        return {"id": self.id, "received_at": self.received_at.isoformat(), "from": self.mail_from, "to": self.to,
                "subject": self.subject, "attachments": len(self.attachments)}


def _directory(directory: Path | None) -> Path:
    return Path(directory or get_config().mailsink_dir)


def _parse(path: Path) -> EmailMessage:
    with path.open("rb") as handle:
        return BytesParser(policy=policy.default).parse(handle)


def _received_at(message_id: str) -> datetime:
    return datetime.strptime(message_id.rsplit("-", 1)[0], "%Y%m%dT%H%M%S.%fZ").replace(tzinfo=UTC)


def _load(path: Path) -> StoredMessage:
    parsed = _parse(path)
    text_part = parsed.get_body(preferencelist=("plain",))
    html_part = parsed.get_body(preferencelist=("html",))
    attachments = [
        {"index": index, "filename": part.get_filename() or f"part-{index}", "content_type": part.get_content_type(),
         "size": len(part.get_payload(decode=True) or b"")}
        for index, part in enumerate(parsed.iter_attachments())
    ]
    return StoredMessage(
        id=path.stem, received_at=_received_at(path.stem), mail_from=str(parsed.get("From", "")),
        to=str(parsed.get("To", "")), subject=str(parsed.get("Subject", "")),
        message_id=str(parsed.get("Message-ID", "")), text=text_part.get_content() if text_part else "",
        html=html_part.get_content() if html_part else "", attachments=attachments,
    )


def list_messages(directory: Path | None = None, limit: int = 100) -> list[StoredMessage]:
    """Newest first."""
    paths = sorted(_directory(directory).glob("*.eml"), reverse=True)[:limit]
    return [_load(path) for path in paths]


def _path(message_id: str, directory: Path | None) -> Path:
    if not _ID.match(message_id):  # ids come from URLs: never let one name a path outside the sink
        raise FileNotFoundError(message_id)
    path = _directory(directory) / f"{message_id}.eml"
    if not path.exists():
        raise FileNotFoundError(message_id)
    return path


def read_message(message_id: str, directory: Path | None = None) -> StoredMessage:
    return _load(_path(message_id, directory))


def message_attachment(message_id: str, index: int, directory: Path | None = None) -> tuple[str, str, bytes]:
    """(filename, content type, bytes) of the index-th attachment."""
    parts = list(_parse(_path(message_id, directory)).iter_attachments())
    if not 0 <= index < len(parts):
        raise FileNotFoundError(f"{message_id}#{index}")
    part = parts[index]
    return part.get_filename() or f"part-{index}", part.get_content_type(), part.get_payload(decode=True) or b""


def main() -> None:
    import time

    controller = start_mailsink()
    print(f"Mail sink on {controller.hostname}:{controller.port}, keeping messages in {get_config().mailsink_dir}")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        controller.stop()


if __name__ == "__main__":
    main()
