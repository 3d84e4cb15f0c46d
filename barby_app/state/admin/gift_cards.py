"""Gift-card search (with the outstanding liability) and the card page with its actions."""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

from barby_app.state.admin.session import AdminState, blank, path_arg
from services.backoffice import giftcards as card_service
from services.backoffice.giftcards import CardPage, CardRow, LedgerRow
from services.clock import format_money


class GiftCardSearchState(AdminState):
    query: str = ""
    rows: list[CardRow] = []
    searched: bool = False
    outstanding: str = ""
    outstanding_cards: int = 0

    @rx.event
    async def load(self):
        self.rows, self.searched, self.outstanding = [], False, ""
        if "reports.view" in self.powers:
            figure = await self.guard(card_service.liability)
            if figure is not None:
                self.outstanding, self.outstanding_cards = format_money(figure.outstanding), figure.cards
        return self.bounce()

    @rx.event
    async def search(self, form: dict[str, Any]):
        self.query = str(form.get("q", "")).strip()
        rows = await self.guard(card_service.search_gift_cards, self.query)
        if rows is not None:
            self.rows, self.searched = rows, True
        return self.bounce()


class GiftCardPageState(AdminState):
    card: CardPage = blank(CardPage)
    ledger: list[LedgerRow] = []
    paid_orders: list[str] = []
    loaded: bool = False

    async def _reload(self) -> None:
        ref = path_arg(self.router.url.path)
        page = await self.guard(card_service.gift_card_page, int(ref) if ref.isdigit() else 0)
        if page is not None:
            self.ledger, self.paid_orders = page.ledger, page.paid_orders
            self.card, self.loaded = dataclasses.replace(page, ledger=[], paid_orders=[]), True

    async def _act(self, fn, *args: Any):
        message = await self.guard(fn, self.card.id, *args)
        if message is not None:
            self.notice = message
        await self._reload()
        return self.bounce()

    @rx.event
    async def load(self):
        self.loaded = False
        await self._reload()
        return self.bounce()

    @rx.event
    async def resend(self):
        return await self._act(card_service.resend_gift_card)

    @rx.event
    async def change_recipient(self, form: dict[str, Any]):
        return await self._act(card_service.change_recipient_email, str(form.get("email", "")))

    @rx.event
    async def adjust(self, form: dict[str, Any]):
        return await self._act(card_service.adjust_balance, str(form.get("amount", "")), str(form.get("reason", "")))

    @rx.event
    async def void(self, form: dict[str, Any]):
        return await self._act(card_service.void_card, str(form.get("reason", "")))

    @rx.event
    async def extend(self, form: dict[str, Any]):
        return await self._act(card_service.extend_expiry, str(form.get("until", "")), str(form.get("reason", "")))
