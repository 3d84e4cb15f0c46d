"""The development mail sink page: what the app "sent", so a newcomer can read the email and open the PDF."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from barby_app.state.offloop import run_service
from services.clock import local
from services.delivery.mailsink import list_messages
from services.settings import get_settings


@dataclass
class MailRow:
    id: str
    received: str
    recipient: str
    subject: str
    text: str
    pdf_url: str


class DevMailState(rx.State):
    messages: list[MailRow] = []
    available: bool = True

    @rx.event
    async def load(self):
        self.available = get_settings().dev_tools_allowed
        if not self.available:
            self.messages = []
            return
        messages = await run_service(list_messages, limit=50)
        self.messages = [
            MailRow(id=m.id, received=f"{local(m.received_at):%d.%m.%Y %H:%M:%S}", recipient=m.to, subject=m.subject,
                    text=m.text, pdf_url=f"/api/dev/mail/{m.id}/attachments/0" if m.attachments else "")
            for m in messages
        ]
