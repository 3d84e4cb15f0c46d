"""The page the payment provider sends the customer back to: it follows the order's real status."""

from __future__ import annotations

import asyncio

import reflex as rx

from services.delivery import download_url
from services.errors import BarbyError
from services.orders import order_by_number, order_status

POLL_SECONDS = 1.5
POLL_LIMIT = 80  # two minutes, then the page says what it knows and staff take over


class OrderState(rx.State):
    number: str = ""
    status: str = ""
    found: bool = True
    paid: bool = False
    attention: bool = False
    failed: bool = False
    email: str = ""
    download: str = ""
    show_slug: str = ""

    def _refresh(self) -> None:
        try:
            view = order_status(self.number)
        except BarbyError:
            self.found = False
            return
        self.status, self.paid, self.attention = view.status, view.paid, view.attention
        self.failed = view.status in ("failed", "expired", "cancelled")
        order = order_by_number(self.number)
        self.email = order.email if order else ""
        if self.paid and not self.attention and order is not None:
            self.download = download_url(order)

    @rx.event(background=True)
    async def follow(self):
        """Ask for the real status until it is final; the redirect alone is never trusted."""
        async with self:
            self.number = self.router._page.params.get("number", "")
            self.found, self.paid, self.failed, self.download = True, False, False, ""
        for _ in range(POLL_LIMIT):
            async with self:
                await asyncio.to_thread(self._refresh)
                if not self.found or self.paid or self.failed:
                    return
            await asyncio.sleep(POLL_SECONDS)
