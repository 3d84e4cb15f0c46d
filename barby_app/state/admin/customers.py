"""The customer page."""

from __future__ import annotations

from typing import Any

import reflex as rx

from barby_app.state.admin.session import AdminState, blank, path_arg
from services.backoffice import customers as customer_service
from services.backoffice.customers import CustomerPage, GiftCardLine, NoteLine, WaitingLine
from services.backoffice.search import OrderHit


class CustomerPageState(AdminState):
    customer: CustomerPage = blank(CustomerPage)
    orders: list[OrderHit] = []
    gift_cards: list[GiftCardLine] = []
    waiting: list[WaitingLine] = []
    notes: list[NoteLine] = []
    loaded: bool = False

    async def _reload(self) -> None:
        ref = path_arg(self.router.url.path)
        page = await self.guard(customer_service.customer_page, int(ref) if ref.isdigit() else 0)
        if page is not None:
            self.orders, self.gift_cards, self.waiting, self.notes = page.orders, page.gift_cards, page.waiting, page.notes
            page.orders = []
            self.customer, self.loaded = page, True

    @rx.event
    async def load(self):
        self.loaded = False
        await self._reload()
        return self.bounce()

    @rx.event
    async def add_note(self, form: dict[str, Any]):
        await self.guard(customer_service.add_note, self.customer.id, str(form.get("body", "")))
        if not self.error:
            self.notice = "Note saved."
        await self._reload()
        return self.bounce()
