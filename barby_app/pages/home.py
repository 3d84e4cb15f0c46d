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


def search_box() -> rx.Component:
    return rx.box(
        rx.el.label(LanguageState.t["search_label"], html_for="show-search", class_name="visually-hidden",
                    style={"position": "absolute", "width": "1px", "height": "1px", "overflow": "hidden",
                           "clip": "rect(0 0 0 0)"}),
        rx.input(
            rx.input.slot(rx.icon("search")),
            id="show-search", type="search", placeholder=LanguageState.t["search_placeholder"],
            value=HomeState.query, on_change=HomeState.set_query.debounce(250), size="3",
            width=rx.breakpoints(initial="100%", sm="320px"),
        ),
    )


def index() -> rx.Component:
    t = LanguageState.t
    return page(
        featured_strip(),
        rx.flex(
            rx.heading(t["upcoming_shows"], size="7", id="shows", as_="h1"),
            rx.spacer(),
            search_box(),
            direction=rx.breakpoints(initial="column", sm="row"), gap="3", margin_top="6", margin_bottom="4",
            align=rx.breakpoints(initial="stretch", sm="center"),
        ),
        rx.cond(
            HomeState.loaded & (HomeState.results.length() == 0),
            rx.text(rx.cond(HomeState.query != "", t["no_results"], t["no_shows"]), id="no-results"),
        ),
        rx.grid(
            rx.foreach(HomeState.results, show_card),
            columns=rx.breakpoints(initial="1", sm="2", md="3", lg="4"),
            spacing="4",
        ),
    )
