"""A show as a card in the upcoming-shows grid."""

from __future__ import annotations

import reflex as rx

from barby_app.state.language import LanguageState


def show_card(show: rx.Var) -> rx.Component:
    t = LanguageState.t
    return rx.link(
        rx.card(
            rx.inset(rx.image(src=show.image, alt=show.title, width="100%", height="180px", object_fit="cover",
                              loading="lazy"), side="top", pb="current"),
            rx.vstack(
                rx.text(show.date, size="2", color="#ff3d6e", weight="bold"),
                rx.heading(show.title, size="4", as_="h3"),
                rx.text(t["doors"], " ", show.doors, size="2", color="gray"),
                rx.cond(show.price_from != "",
                        rx.text(t["from_price"], show.price_from, size="2", weight="medium")),
                spacing="1", align="start",
            ),
            class_name="show-card", height="100%",
        ),
        href="/shows/" + show.slug, underline="none", color="inherit", data_testid="show-card",
    )
