"""Order search and the order page."""

from __future__ import annotations

from typing import Any

import reflex as rx

from barby_app.state.admin.session import AdminState, blank, path_arg
from services.backoffice import orders as order_service
from services.backoffice import search as search_service
from services.backoffice.orders import (
    AuditLine,
    CallbackLine,
    DeliveryLine,
    GiftCardPaymentLine,
    OrderPage,
    PaymentLine,
    RefundLine,
    TicketLine,
)
from services.backoffice.search import OrderHit
from services.errors import ValidationFailed


class OrderSearchState(AdminState):
    query: str = ""
    show_id: str = ""
    status: str = ""
    date_from: str = ""
    date_to: str = ""
    page: int = 1
    hits: list[OrderHit] = []
    has_next: bool = False
    matched: str = ""
    searched: bool = False

    async def _run(self):
        try:
            filters = search_service.parse_filters(self.show_id, self.status, self.date_from, self.date_to)
        except ValidationFailed as bad:
            self.error = bad.message_en
            return self.bounce()
        result = await self.guard(search_service.search_orders, self.query, filters, page=self.page)
        if result is not None:
            self.hits, self.has_next, self.searched = result.hits, result.has_next, True
            self.matched = " / ".join(result.kinds)
        return self.bounce()

    @rx.event
    async def search(self, form: dict[str, Any]):
        self.query = str(form.get("q", "")).strip()
        self.show_id, self.status = str(form.get("show_id", "")), str(form.get("status", ""))
        self.date_from, self.date_to = str(form.get("date_from", "")), str(form.get("date_to", ""))
        self.page = 1
        return await self._run()

    @rx.event
    async def next_page(self):
        self.page += 1
        return await self._run()

    @rx.event
    async def previous_page(self):
        self.page = max(1, self.page - 1)
        return await self._run()


class OrderPageState(AdminState):
    order: OrderPage = blank(OrderPage)
    tickets: list[TicketLine] = []
    payments: list[PaymentLine] = []
    callbacks: list[CallbackLine] = []
    deliveries: list[DeliveryLine] = []
    refunds: list[RefundLine] = []
    timeline: list[AuditLine] = []
    gift_cards: list[GiftCardPaymentLine] = []
    loaded: bool = False

    @rx.var
    def can_refund(self) -> bool:
        return "orders.refund" in self.powers

    @rx.var
    def can_void(self) -> bool:
        return "tickets.void" in self.powers

    async def _reload(self) -> None:
        page = await self.guard(order_service.order_page, path_arg(self.router.url.path))
        if page is None:
            return
        self.tickets, self.payments, self.callbacks = page.tickets, page.payments, page.callbacks
        self.deliveries, self.refunds, self.timeline = page.deliveries, page.refunds, page.timeline
        self.gift_cards = page.gift_cards
        self.order, self.loaded = page, True

    @rx.event
    async def load(self):
        self.notice, self.loaded = "", False
        await self._reload()
        return self.bounce()

    async def _act(self, fn, *args: Any):
        self.notice = ""
        message = await self.guard(fn, self.order.number, *args)
        if message is not None:
            self.notice = str(message)
        await self._reload()
        return self.bounce()

    @rx.event
    async def resend(self):
        return await self._act(order_service.resend_tickets)

    @rx.event
    async def correct_email(self, form: dict[str, Any]):
        return await self._act(order_service.correct_email_and_resend, str(form.get("email", "")))

    @rx.event
    async def recheck(self):
        return await self._act(order_service.recheck_payment)

    @rx.event
    async def void(self, ticket_id: int):
        return await self._act(order_service.void_ticket, int(ticket_id), "voided from the order page")

    @rx.event
    async def reissue(self, ticket_id: int):
        return await self._act(order_service.reissue_ticket, int(ticket_id), "reissued from the order page")

    @rx.event
    async def refund(self, form: dict[str, Any]):
        return await self._act(order_service.refund, str(form.get("amount", "")), str(form.get("reason", "")))

    @rx.event
    async def cancel(self, form: dict[str, Any]):
        return await self._act(order_service.cancel, str(form.get("reason", "")))
