"""The homepage: upcoming shows in the visitor's language, and the search box over them."""

from __future__ import annotations

import reflex as rx

from barby_app.state.language import LanguageState
from barby_app.state.offloop import run_service
from services.catalog import ShowCard, filter_shows, upcoming_shows


class HomeState(rx.State):
    shows: list[ShowCard] = []
    query: str = ""
    loaded: bool = False

    @rx.var
    def featured(self) -> list[ShowCard]:
        return [show for show in self.shows if show.featured]

    @rx.var
    def results(self) -> list[ShowCard]:
        return filter_shows(self.shows, self.query)

    @rx.event
    def set_query(self, value: str):
        self.query = value[:80]

    @rx.event
    async def load(self):
        language = (await self.get_state(LanguageState)).language
        self.shows = await run_service(upcoming_shows, language)
        self.loaded = True
