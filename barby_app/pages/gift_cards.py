"""Gift cards: buy one for someone (phone-first form), and check a card's balance."""

from __future__ import annotations

import reflex as rx

from barby_app.components.forms import alert, field
from barby_app.components.layout import page
from barby_app.state.gift_cards import GiftCardBalanceState, GiftCardsState
from barby_app.state.language import LanguageState

T = LanguageState.t
ERRORS = GiftCardsState.field_errors


def amount_choice() -> rx.Component:
    """Preset amounts as a button group, plus a custom amount; the server checks the bounds."""
    return rx.box(
        rx.el.fieldset(
            rx.el.legend(T["gc_amount"], style={"fontWeight": 500, "marginBottom": "6px"}),
            rx.hstack(
                rx.foreach(GiftCardsState.presets, lambda value: rx.button(
                    "₪" + value, type="button", size="3", id="amount-" + value,
                    variant=rx.cond(GiftCardsState.amount == value, "solid", "outline"),
                    aria_pressed=rx.cond(GiftCardsState.amount == value, "true", "false"),
                    on_click=GiftCardsState.choose(value))),
                wrap="wrap", spacing="2",
            ),
            style={"border": "none", "padding": 0, "margin": 0},
        ),
        field(T["gc_other_amount"], "custom_amount", ERRORS, required=False, input_mode="numeric"),
        rx.cond(ERRORS.contains("amount"), rx.text(ERRORS["amount"], color="tomato", size="2", role="alert",
                                                   id="field-amount-error")),
        margin_bottom="var(--space-3)", width="100%",
    )


def message_field() -> rx.Component:
    return rx.box(
        rx.el.label(T["gc_message"], html_for="field-message",
                    style={"display": "block", "marginBottom": "4px", "fontWeight": 500}),
        rx.text_area(id="field-message", name="message", max_length=500, rows="3", width="100%", dir="auto"),
        rx.cond(ERRORS.contains("message"), rx.text(ERRORS["message"], color="tomato", size="2", role="alert")),
        width="100%", margin_bottom="var(--space-3)",
    )


def buy_form() -> rx.Component:
    return rx.form(
        amount_choice(),
        rx.heading(T["gc_recipient"], size="4", as_="h2", margin_block="var(--space-3)"),
        field(T["gc_recipient_name"], "recipient_name", ERRORS),
        field(T["gc_recipient_email"], "recipient_email", ERRORS, type_="email"),
        field(T["gc_recipient_phone"], "recipient_phone", ERRORS, type_="tel", required=False),
        message_field(),
        field(T["gc_send_on"], "send_on", ERRORS, type_="date", required=False),
        rx.cond(ERRORS.contains("send_at"), rx.text(ERRORS["send_at"], color="tomato", size="2", role="alert")),
        rx.heading(T["gc_buyer"], size="4", as_="h2", margin_block="var(--space-3)"),
        field(T["name"], "buyer_name", ERRORS, autocomplete="name"),
        field(T["email"], "buyer_email", ERRORS, type_="email", autocomplete="email"),
        field(T["phone"], "buyer_phone", ERRORS, type_="tel", autocomplete="tel"),
        rx.box(
            rx.el.label(rx.checkbox(name="terms", id="field-terms"), T["terms"],
                        style={"display": "flex", "gap": "8px", "alignItems": "center"}),
            rx.cond(ERRORS.contains("terms"), rx.text(ERRORS["terms"], color="tomato", size="2", role="alert")),
            margin_bottom="var(--space-3)",
        ),
        alert(GiftCardsState.error),
        rx.button(T["gc_buy"], type="submit", size="4", width="100%", loading=GiftCardsState.busy, id="buy-gift-card"),
        on_submit=GiftCardsState.submit, width="100%",
    )


def gift_cards_page() -> rx.Component:
    return page(rx.vstack(
        rx.heading(T["nav_gift_cards"], size="8", as_="h1"),
        rx.text(T["gift_cards_intro"], size="4", color="#c8c8d0"),
        rx.text(T["gc_validity"], size="2", color="gray"),
        buy_form(),
        rx.link(T["gc_check_title"], href="/gift-cards/balance", id="balance-link"),
        spacing="4", width="100%", max_width="560px", margin="0 auto",
    ))


def history_table() -> rx.Component:
    return rx.table.root(
        rx.table.body(rx.foreach(GiftCardBalanceState.history, lambda row: rx.table.row(
            rx.table.cell(row[0]), rx.table.cell(row[1]), rx.table.cell(row[2]), rx.table.cell(row[3])))),
        width="100%", size="1",
    )


def balance_result() -> rx.Component:
    card = GiftCardBalanceState.card
    return rx.card(rx.vstack(
        rx.text(card.code, font_family="monospace", size="4", id="card-code"),
        rx.hstack(rx.text(T["gc_balance"], color="gray"), rx.spacer(),
                  rx.text(GiftCardBalanceState.balance, size="6", weight="bold", id="card-balance"), width="100%"),
        rx.hstack(rx.text(T["gc_expires"], color="gray"), rx.spacer(), rx.text(card.expires, id="card-expires"),
                  width="100%"),
        rx.cond(card.expired, rx.badge(T["gc_expired"], color_scheme="red")),
        rx.cond(card.void, rx.badge(T["gc_void"], color_scheme="red")),
        rx.heading(T["gc_history"], size="3", as_="h2"),
        history_table(),
        width="100%",
    ), width="100%")


def balance_page() -> rx.Component:
    errors = GiftCardBalanceState.field_errors
    return page(rx.vstack(
        rx.heading(T["gc_check_title"], size="8", as_="h1"),
        rx.form(
            field(T["gc_code"], "code", errors),
            field(T["gc_check_email"], "email", errors, type_="email"),
            alert(GiftCardBalanceState.error),
            rx.button(T["gc_check"], type="submit", size="3", width="100%", id="check-balance"),
            on_submit=GiftCardBalanceState.check, reset_on_submit=False, width="100%",
        ),
        rx.cond(GiftCardBalanceState.found, balance_result()),
        spacing="4", width="100%", max_width="560px", margin="0 auto",
    ))
