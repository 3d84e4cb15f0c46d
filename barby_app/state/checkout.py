"""The purchase form: the held tickets, the buyer's details, and the hand-off to the payment page."""

from __future__ import annotations

import json
import uuid

import reflex as rx

from barby_app.state.language import LanguageState
from barby_app.state.offloop import run_service
from services.errors import BarbyError, ValidationFailed
from services.orders import create_ticket_order, start_payment
from services.storefront import CheckoutSummary, checkout_summary
from services.ticketing import release_hold

GIFT_CARDS_NOT_YET = {
    "he": "תשלום בכרטיס מתנה באתר יתאפשר בקרוב. בינתיים ניתן לממש אותו בקופת המועדון.",
    "en": "Paying with a gift card online is coming soon; meanwhile it can be redeemed at the box office.",
}
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

    async def _language(self) -> str:
        return (await self.get_state(LanguageState)).language

    @rx.event
    async def load(self):
        token = self.router._page.params.get("hold", "")
        self.field_errors, self.error, self.busy = {}, "", False
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
        if summary.active:
            self.summary = summary  # a fast clock: the countdown restarts from the server's expiry
            return
        await run_service(release_hold, self.summary.hold_token, reason="expired")
        self.expired = True

    @rx.event
    async def submit(self, form: dict):
        if self.busy or self.expired:
            return
        language = await self._language()
        self.field_errors, self.error = {}, ""
        if (form.get("gift_card") or "").strip():
            self.field_errors = {"gift_card": GIFT_CARDS_NOT_YET[language]}
            return
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
            )
            # The provider is called over the network: off the event loop, which also serves the sandbox.
            url = await run_service(start_payment, order.number)
        except ValidationFailed as invalid:
            if invalid.field in FORM_FIELDS:
                self.field_errors = {invalid.field: invalid.message(language)}
            else:  # e.g. the per-customer limit: about the tickets, not a field on this form
                self.error = invalid.message(language)
            self.busy = False
            return
        except BarbyError as refusal:
            self.error = refusal.message(language)
            self.busy = False
            return
        # A full page load, not client-side routing: the provider's page (even the sandbox's, on our own
        # host) is not a Reflex route.
        yield rx.call_script(f"window.location.assign({json.dumps(url)})")
