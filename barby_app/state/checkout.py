"""The purchase form: the held tickets, the buyer's details, and the hand-off to the payment page."""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import reflex as rx

from barby_app.state.language import LanguageState
from barby_app.state.offloop import run_service
from services.clock import format_money, now
from services.errors import BarbyError, ValidationFailed
from services.giftcards import GiftCardRefused, normalize_code
from services.giftcards.redemption import plan_for_checkout, typed_cap
from services.order_access import return_url
from services.orders import complete_with_gift_cards, create_ticket_order, start_payment
from services.storefront import CheckoutSummary, checkout_summary
from services.ticketing import release_hold

SHORT_WAIT = 10  # seconds the server waits out itself when the browser's countdown ends a little early
FORM_FIELDS = ("name", "id_number", "phone", "email", "gift_card", "delivery", "terms")
TERMS_REQUIRED = {"he": "יש לאשר את התקנון.", "en": "Please accept the terms."}


class CheckoutState(rx.State):
    summary: CheckoutSummary = CheckoutSummary()
    found: bool = True
    expired: bool = False
    field_errors: dict[str, str] = {}
    error: str = ""
    busy: bool = False
    request_key: str = ""
    # Gift cards applied to this order: code (stored form), shown (grouped), take (agorot), take_shown.
    applied: list[dict[str, str]] = []
    gift_card_error: str = ""

    @rx.var
    def left_to_pay(self) -> str:
        return format_money(self.summary.total_agorot - sum(int(card["take"]) for card in self.applied))

    @rx.var
    def covered(self) -> bool:
        """The gift cards pay for everything: the form completes the order with no payment page."""
        return bool(self.applied) and sum(int(card["take"]) for card in self.applied) >= self.summary.total_agorot

    async def _language(self) -> str:
        return (await self.get_state(LanguageState)).language

    @rx.event
    async def load(self):
        token = self.router._page.params.get("hold", "")
        self.field_errors, self.error, self.busy = {}, "", False
        self.applied, self.gift_card_error = [], ""
        self.request_key = uuid.uuid4().hex  # one order per form, however often it is submitted
        try:
            self.summary = await run_service(checkout_summary, token, await self._language())
            self.found, self.expired = True, not self.summary.active
        except BarbyError:
            self.found = False

    @rx.event
    async def hold_expired(self):
        """The countdown reached zero: give the tickets back now rather than at the next sweep.

        The browser's clock only prompts the check: the server releases the hold only if it has expired.
        """
        if not self.summary.hold_token:
            return
        summary = await run_service(checkout_summary, self.summary.hold_token, await self._language())
        left = summary.expires_at_ms / 1000 - time.time()
        if summary.active and 0 < left <= SHORT_WAIT:
            # The browser's clock ran a little ahead: the countdown already shows 00:00 and will not fire
            # again, so wait out the last moment here and look once more.
            await asyncio.sleep(left + 0.2)
            summary = await run_service(checkout_summary, self.summary.hold_token, await self._language())
        if summary.active:
            self.summary = summary  # a much faster clock: the countdown restarts from the server's expiry
            return
        await run_service(release_hold, self.summary.hold_token, reason="expired")
        self.expired = True

    async def _split(self, codes: list[str], caps: dict[str, int]) -> None:
        """Ask how the cards would pay this order (balance, share) and show it; nothing is held yet."""
        language = await self._language()
        self.gift_card_error = ""
        try:
            uses = await run_service(plan_for_checkout, codes, self.summary.total_agorot, caps=caps,
                                           client=self.router.session.client_ip or "unknown", now=now())
        except BarbyError as refusal:
            self.gift_card_error = refusal.message(language)
            return
        self.applied = [{"code": u.code, "shown": u.shown_code, "take": str(u.take), "cap": str(caps.get(u.code, "")),
                         "take_shown": format_money(u.take), "balance": format_money(u.balance)} for u in uses]

    def _caps(self) -> dict[str, int]:
        return {card["code"]: int(card["cap"]) for card in self.applied if card.get("cap")}

    @rx.event
    async def apply_gift_card(self, form: dict):
        typed = str(form.get("gift_card_code") or "").strip()
        if not typed:
            return
        try:
            cap = typed_cap(form.get("gift_card_amount"))
        except BarbyError as refusal:
            self.gift_card_error = refusal.message(await self._language())
            return
        caps = self._caps() | ({normalize_code(typed): cap} if cap else {})
        await self._split([card["code"] for card in self.applied] + [typed], caps)

    @rx.event
    async def remove_gift_card(self, code: str):
        await self._split([card["code"] for card in self.applied if card["code"] != code], self._caps())

    @rx.event
    async def submit(self, form: dict):
        if self.busy or self.expired:
            return
        language = await self._language()
        self.field_errors, self.error = {}, ""
        if not form.get("terms"):
            self.field_errors = {"terms": TERMS_REQUIRED[language]}
            return
        self.busy = True
        yield
        try:
            order = await run_service(
                create_ticket_order,
                hold_token=self.summary.hold_token, name=form.get("name", ""), email=form.get("email", ""),
                phone=form.get("phone", ""), id_number=form.get("id_number", ""),
                delivery_method=form.get("delivery", "email"), language=language, idempotency_key=self.request_key,
                gift_cards=[(card["code"], int(card["take"])) for card in self.applied],
            )
            if order.amount_due == 0:  # the gift cards pay for everything: no payment page
                await run_service(complete_with_gift_cards, order.number)
                url = return_url(order.number, "success")
            else:
                # The provider is called over the network: off the event loop, which also serves the sandbox.
                url = await run_service(start_payment, order.number)
        except ValidationFailed as invalid:
            if invalid.field in FORM_FIELDS:
                self.field_errors = {invalid.field: invalid.message(language)}
            else:  # e.g. the per-customer limit: about the tickets, not a field on this form
                self.error = invalid.message(language)
            self.busy = False
            return
        except GiftCardRefused as refusal:  # a card spent elsewhere meanwhile: show the new split
            self.gift_card_error, self.busy = refusal.message(language), False
            await self._split([card["code"] for card in self.applied], self._caps())
            return
        except BarbyError as refusal:
            self.error = refusal.message(language)
            self.busy = False
            return
        # A full page load, not client-side routing: the provider's page (even the sandbox's, on our own
        # host) is not a Reflex route.
        yield rx.call_script(f"window.location.assign({json.dumps(url)})")
