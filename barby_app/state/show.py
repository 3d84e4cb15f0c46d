"""The show page (and secret-link page): the engine's action, quantity choice and waiting-list form."""

from __future__ import annotations

import reflex as rx

from barby_app.state.language import LanguageState
from barby_app.state.offloop import run_service
from services.errors import BarbyError, ValidationFailed
from services.storefront import ShowPage, show_page
from services.ticketing import release_hold, take_hold
from services.waitlist import join


class ShowState(rx.State):
    show: ShowPage = ShowPage()
    found: bool = True
    secret_token: str = ""
    quantity: str = "2"
    error: str = ""
    field_errors: dict[str, str] = {}
    joined: bool = False
    busy: bool = False
    held_token: str = ""  # this visitor's current hold: a second click replaces it, never adds one
    tier_id: str = ""  # the tier the visitor picked among the engine's offers

    @rx.var
    def chosen_quantities(self) -> list[str]:
        """How many of the chosen tier this visitor may take in one order."""
        for offer in self.show.offers:
            if str(offer.tier_id) == self.tier_id:
                return offer.quantities
        return self.show.quantities

    async def _language(self) -> str:
        return (await self.get_state(LanguageState)).language

    async def _reload(self) -> None:
        language = await self._language()
        try:
            # Off the event loop: a busy drop must not make one visitor's database wait everyone's.
            self.show = await run_service(
                show_page, slug=self.router._page.params.get("slug") if not self.secret_token else None,
                secret_token=self.secret_token or None, language=language,
            )
            self.found = True
        except BarbyError:
            self.found = False
        if not any(str(offer.tier_id) == self.tier_id for offer in self.show.offers):
            self.tier_id = str(self.show.offers[0].tier_id) if self.show.offers else ""
        self._bound_quantity()

    def _bound_quantity(self) -> None:
        allowed = self.chosen_quantities
        if allowed and self.quantity not in allowed:
            self.quantity = allowed[-1] if int(self.quantity or "1") > int(allowed[-1]) else allowed[0]

    @rx.event
    async def load_public(self):
        self.secret_token, self.error, self.field_errors, self.joined, self.busy = "", "", {}, False, False
        await self._reload()

    @rx.event
    async def load_secret(self):
        self.secret_token = self.router._page.params.get("token", "")
        self.error, self.field_errors, self.joined, self.busy = "", {}, False, False
        await self._reload()

    @rx.event
    def set_quantity(self, value: str):
        self.quantity = value

    @rx.event
    def choose_tier(self, tier_id: str):
        """Pick a tier (only one the engine offered: anything else keeps the current choice)."""
        if any(str(offer.tier_id) == str(tier_id) for offer in self.show.offers):
            self.tier_id = str(tier_id)
            self._bound_quantity()

    @rx.event
    async def buy(self):
        """Hold the chosen tickets and open the purchase form; a second click while busy does nothing."""
        if self.busy:
            return
        self.busy, self.error = True, ""
        yield
        language = await self._language()
        try:
            if self.held_token:  # a double click, or back from the form to change the quantity
                await run_service(release_hold, self.held_token, reason="replaced")
            hold = await run_service(
                take_hold, show_id=self.show.show_id, tier_id=int(self.tier_id) if self.tier_id else None,
                quantity=int(self.quantity) if self.quantity.isdigit() else 0, secret_token=self.secret_token or None,
            )
        except BarbyError as refusal:
            self.error = refusal.message(language)
            self.busy = False
            await self._reload()
            return
        # Stay busy until the next page load: a second click already queued behind this one is ignored.
        self.held_token = hold.token
        yield rx.redirect(f"/checkout/{hold.token}")

    @rx.event
    async def join_list(self, form: dict):
        language = await self._language()
        self.field_errors, self.error = {}, ""
        try:
            await run_service(join, show_id=self.show.show_id, name=form.get("name", ""), email=form.get("email", ""),
                              phone=form.get("phone", ""), language=language)
        except ValidationFailed as invalid:
            self.field_errors = {invalid.field: invalid.message(language)}
            return
        except BarbyError as refusal:
            self.error = refusal.message(language)
            return
        self.joined = True
