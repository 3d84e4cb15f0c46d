"""The gift-card pages: buying a card for someone, and checking a card's balance."""

from __future__ import annotations

import json
import uuid

import reflex as rx

from barby_app.state.language import LanguageState
from barby_app.state.offloop import run_service
from services.clock import format_money, now
from services.errors import BarbyError, ValidationFailed
from services.giftcards import CardBalance, check_balance
from services.orders import start_payment
from services.orders.giftcard_orders import GiftCardRequest, create_gift_card_order
from services.settings import get_settings

BUY_FIELDS = ("amount", "buyer_name", "buyer_email", "buyer_phone", "recipient_name", "recipient_email",
              "recipient_phone", "message", "send_at")
TERMS_REQUIRED = {"he": "יש לאשר את התקנון.", "en": "Please accept the terms."}


class GiftCardsState(rx.State):
    """The purchase form: preset or custom amount, buyer, recipient, message and date."""

    presets: list[str] = []
    amount: str = ""
    field_errors: dict[str, str] = {}
    error: str = ""
    busy: bool = False
    request_key: str = ""

    @rx.event
    def load(self):
        settings = get_settings()
        self.presets = [str(value // 100) for value in settings.gift_card_presets]
        self.amount = self.amount or (self.presets[1] if len(self.presets) > 1 else "")
        self.field_errors, self.error, self.busy = {}, "", False
        self.request_key = uuid.uuid4().hex  # one order per form, however often it is submitted

    @rx.event
    def choose(self, amount: str):
        self.amount = amount

    @rx.event
    async def submit(self, form: dict):
        if self.busy:
            return
        language = (await self.get_state(LanguageState)).language
        self.field_errors, self.error = {}, ""
        if not form.get("terms"):
            self.field_errors = {"terms": TERMS_REQUIRED[language]}
            return
        self.busy = True
        yield
        request = GiftCardRequest(
            amount=str(form.get("custom_amount") or self.amount), buyer_name=form.get("buyer_name", ""),
            buyer_email=form.get("buyer_email", ""), buyer_phone=form.get("buyer_phone", ""),
            recipient_name=form.get("recipient_name", ""), recipient_email=form.get("recipient_email", ""),
            recipient_phone=form.get("recipient_phone", ""), message=form.get("message", ""),
            send_on=form.get("send_on", ""), language=language,
        )
        try:
            order = await run_service(create_gift_card_order, request, idempotency_key=self.request_key)
            url = await run_service(start_payment, order.number)
        except ValidationFailed as invalid:
            field = "recipient_email" if invalid.field == "email" else invalid.field
            if field in BUY_FIELDS:
                self.field_errors = {field: invalid.message(language)}
            else:
                self.error = invalid.message(language)
            self.busy = False
            return
        except BarbyError as refusal:
            self.error, self.busy = refusal.message(language), False
            return
        yield rx.call_script(f"window.location.assign({json.dumps(url)})")


class GiftCardBalanceState(rx.State):
    """The balance page: code and email in, balance, expiry and history out; refusals all look alike."""

    card: CardBalance = CardBalance()
    found: bool = False
    error: str = ""
    field_errors: dict[str, str] = {}  # every refusal is one message for the form, never per field

    @rx.var
    def balance(self) -> str:
        return format_money(self.card.balance)

    @rx.var
    def history(self) -> list[list[str]]:
        return [[line.when, line.kind, format_money(line.amount), format_money(line.balance_after)]
                for line in self.card.history]

    @rx.event
    def clear(self):
        """Opening the page starts blank: a card checked earlier in the visit is not shown again."""
        self.card, self.found, self.error = CardBalance(), False, ""

    @rx.event
    async def check(self, form: dict):
        language = (await self.get_state(LanguageState)).language
        self.error, self.found = "", False
        try:
            self.card = await run_service(
                check_balance, form.get("code", ""), form.get("email", ""),
                client=self.router.session.client_ip or "unknown", language=language, now=now())
            self.found = True
        except BarbyError as refusal:
            self.error = refusal.message(language)
