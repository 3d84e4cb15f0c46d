"""The page the payment provider sends the customer back to: it follows the order's real status."""

from __future__ import annotations

import asyncio

import reflex as rx

from barby_app.state.offloop import run_service
from services.storefront import OrderProgress, abandon_payment, order_progress

POLL_SECONDS = 1.5
POLL_LIMIT = 80  # two minutes, then the page says what it knows and staff take over


class OrderState(rx.State):
    progress: OrderProgress = OrderProgress()

    @rx.event(background=True)
    async def follow(self):
        """Ask for the real status until it is final; the redirect alone is never trusted."""
        async with self:
            number = self.router._page.params.get("number", "")
            key = self.router._page.params.get("key", "")
            returned_unpaid = self.router._page.params.get("result") == "failure"
            self.progress = OrderProgress(number=number)
        if returned_unpaid:
            await run_service(abandon_payment, number, key)
        for _ in range(POLL_LIMIT):
            progress = await run_service(order_progress, number, key)
            async with self:
                self.progress = progress
            if progress.final:
                return
            await asyncio.sleep(POLL_SECONDS)
