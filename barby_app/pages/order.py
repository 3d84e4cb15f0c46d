"""Back from the payment page: confirming, then "tickets sent", or a failure with a way to retry."""

from __future__ import annotations

import reflex as rx

from barby_app.components.layout import page
from barby_app.state.language import LanguageState
from barby_app.state.order import OrderState

T = LanguageState.t
P = OrderState.progress


def number_line() -> rx.Component:
    return rx.text(T["order_number"], ": ", rx.el.strong(P.number, id="order-number"), size="4")


def confirmed() -> rx.Component:
    return rx.cond(
        P.attention,
        rx.callout(T["order_attention"], color_scheme="amber", id="order-attention"),
        rx.vstack(
            rx.heading(T["thank_you"], size="7", as_="h1", id="order-confirmed"),
            number_line(),
            rx.cond(
                P.gift_card,
                rx.text(T["gc_receipt_sent_to"], " ", rx.el.strong(P.email), id="gift-card-confirmed"),
                rx.cond(
                    P.sent,
                    rx.text(T["tickets_sent_to"], " ", rx.el.strong(P.email), id="tickets-sent"),
                    rx.hstack(rx.spinner(), rx.text(T["sending_tickets_to"], " ", rx.el.strong(P.email)),
                              id="tickets-sending", role="status"),
                ),
            ),
            rx.cond(P.download != "", rx.link(rx.button(T["download_tickets"], size="4", id="download-tickets"),
                                              href=P.download, is_external=True)),
            spacing="4", align="center",
        ),
    )


def failed() -> rx.Component:
    return rx.vstack(
        rx.heading(T["payment_failed"], size="7", as_="h1", id="order-failed"),
        number_line(),
        rx.text(T["payment_failed_help"]),
        rx.link(rx.button(T["try_again"], size="3"), href="/"),
        spacing="4", align="center",
    )


def waiting() -> rx.Component:
    return rx.vstack(
        number_line(),
        rx.spinner(size="3"),
        rx.text(T["confirming"], id="order-confirming", role="status"),
        spacing="4", align="center",
    )


def order_page() -> rx.Component:
    return page(
        rx.center(
            rx.card(
                rx.cond(P.paid, confirmed(), rx.cond(P.failed, failed(), waiting())),
                size="4", width="100%", max_width="560px",
            ),
            padding_block="var(--space-8)",
        )
    )
