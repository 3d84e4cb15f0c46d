"""The homepage: upcoming shows in the visitor's language."""

from __future__ import annotations

import reflex as rx

from barby_app.state.language import LanguageState
from services.catalog import ShowCard, upcoming_shows


class HomeState(rx.State):
    shows: list[ShowCard] = []
    loaded: bool = False

    @rx.var
    def featured(self) -> list[ShowCard]:
        return [show for show in self.shows if show.featured]

    @rx.event
    async def load(self):
        language = (await self.get_state(LanguageState)).language
        self.shows = upcoming_shows(language)
        self.loaded = True
