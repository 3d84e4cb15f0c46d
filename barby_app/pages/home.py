"""The homepage: featured shows up top, then every upcoming show."""

from __future__ import annotations

import reflex as rx

from barby_app.components.layout import page
from barby_app.components.show_card import show_card
from barby_app.state.home import HomeState
from barby_app.state.language import LanguageState


def featured_strip() -> rx.Component:
    return rx.scroll_area(
        rx.hstack(
            rx.foreach(
                HomeState.featured,
                lambda show: rx.link(
                    rx.box(
                        rx.image(src=show.image, alt=show.title, width=["300px", "520px"], height=["200px", "320px"],
                                 object_fit="cover", border_radius="12px"),
                        rx.box(rx.heading(show.title, size="6"), rx.text(show.date, size="3"),
                               position="absolute", bottom="0", padding="4", width="100%",
                               background="linear-gradient(transparent, rgba(0,0,0,0.85))", border_radius="0 0 12px 12px"),
                        position="relative",
                    ),
                    href="/shows/" + show.slug, color="white", underline="none", flex_shrink="0",
                ),
            ),
            spacing="4", padding_bottom="3",
        ),
        type="hover", scrollbars="horizontal",
    )


def index() -> rx.Component:
    t = LanguageState.t
    return page(
        featured_strip(),
        rx.heading(t["upcoming_shows"], size="7", id="shows", margin_top="6", margin_bottom="4", as_="h1"),
        rx.cond(
            HomeState.loaded & (HomeState.shows.length() == 0),
            rx.text(t["no_shows"]),
        ),
        rx.grid(
            rx.foreach(HomeState.shows, show_card),
            columns=rx.breakpoints(initial="1", sm="2", md="3", lg="4"),
            spacing="4",
        ),
    )
