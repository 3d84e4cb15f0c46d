"""Static venue pages: contact, support (common questions), and the gift-card and account entrances."""

from __future__ import annotations

import reflex as rx

from barby_app.components.layout import page
from barby_app.state.language import LanguageState

T = LanguageState.t


def info_page(title_key: str, *paragraph_keys: str) -> rx.Component:
    return page(
        rx.vstack(
            rx.heading(T[title_key], size="8", as_="h1"),
            *[rx.text(T[key], size="4", color="#c8c8d0", line_height="1.7") for key in paragraph_keys],
            spacing="4", max_width="720px", padding_block="var(--space-6)",
        )
    )


def faq_item(question_key: str, answer_key: str) -> rx.Component:
    return rx.el.details(
        rx.el.summary(T[question_key], style={"fontWeight": 600, "cursor": "pointer", "padding": "12px 0"}),
        rx.text(T[answer_key], color="#c8c8d0", padding_bottom="var(--space-3)"),
        style={"borderBottom": "1px solid #23232b", "width": "100%"},
    )


def contact_page() -> rx.Component:
    return info_page("nav_contact", "contact_address", "contact_box_office", "contact_email")


def support_page() -> rx.Component:
    return page(
        rx.vstack(
            rx.heading(T["nav_support"], size="8", as_="h1"),
            faq_item("faq_no_ticket_q", "faq_no_ticket_a"),
            faq_item("faq_wrong_email_q", "faq_wrong_email_a"),
            faq_item("faq_payment_q", "faq_payment_a"),
            faq_item("faq_gift_q", "faq_gift_a"),
            rx.text(T["contact_box_office"], color="gray", margin_top="var(--space-4)"),
            spacing="2", max_width="720px", padding_block="var(--space-6)", width="100%",
        )
    )


def account_page() -> rx.Component:
    return info_page("nav_account", "account_intro", "contact_box_office")
