"""The purchase form: held tickets with a countdown, the buyer's details, then the payment page."""

from __future__ import annotations

import reflex as rx

from barby_app.components.forms import alert, field
from barby_app.components.layout import page
from barby_app.state.checkout import CheckoutState
from barby_app.state.language import LanguageState

T = LanguageState.t
S = CheckoutState.summary
ERRORS = CheckoutState.field_errors

# Counts every [data-expires] element down once a second; at zero it clicks the hidden trigger so the
# server releases the hold and the page says so.
COUNTDOWN_SCRIPT = """
setInterval(function () {
  document.querySelectorAll('[data-expires]').forEach(function (el) {
    var left = Math.max(0, Math.round((Number(el.dataset.expires) - Date.now()) / 1000));
    el.textContent = String(Math.floor(left / 60)).padStart(2, '0') + ':' + String(left % 60).padStart(2, '0');
    if (left === 0 && el.dataset.fired !== el.dataset.expires) {
      el.dataset.fired = el.dataset.expires;
      var trigger = document.getElementById(el.dataset.trigger);
      if (trigger) trigger.click();
    }
  });
}, 1000);
"""


def summary_row(label: rx.Var, value: rx.Var, value_id: str = "") -> rx.Component:
    return rx.hstack(rx.text(label, color="gray"), rx.spacer(), rx.text(value, weight="medium", id=value_id or None),
                     width="100%")


def summary_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(S.title, size="5", as_="h2"),
            summary_row(T["date"], S.date),
            summary_row(T["doors"], S.doors),
            summary_row(T["ticket_type"], S.tier_name),
            summary_row(T["price"], S.unit_price),
            summary_row(T["quantity"], S.quantity.to_string()),
            rx.divider(),
            rx.hstack(rx.text(T["total"], weight="bold"), rx.spacer(), rx.text(S.total, size="5", weight="bold",
                                                                                id="order-total"), width="100%"),
            spacing="2", width="100%",
        ),
        width="100%",
    )


def countdown() -> rx.Component:
    return rx.callout(
        rx.hstack(rx.text(T["tickets_held_for"]),
                  rx.el.span("--:--", data_expires=S.expires_at_ms.to_string(), data_trigger="hold-expired-trigger",
                             id="hold-countdown", style={"fontWeight": 700, "fontVariantNumeric": "tabular-nums"},
                             role="timer", aria_live="off"),
                  spacing="2"),
        icon="timer", color_scheme="amber", width="100%",
    )


def applied_card(card: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.text(T["gc_applied"], " ", rx.code(card["shown"]), size="2"), rx.spacer(),
        rx.text("−", card["take_shown"], weight="medium"),
        rx.button(T["gc_remove"], type="button", variant="ghost", size="1",
                  on_click=CheckoutState.remove_gift_card(card["code"])),
        width="100%", align="center",
    )


def gift_cards_box() -> rx.Component:
    """Apply a gift card (or two): the share each pays shows at once; the rest goes to the payment page."""
    return rx.card(rx.vstack(
        rx.form(
            rx.el.label(T["gift_card_code"], html_for="field-gift-card-code",
                        style={"display": "block", "marginBottom": "4px", "fontWeight": 500}),
            rx.hstack(
                rx.input(id="field-gift-card-code", name="gift_card_code", size="3", width="100%",
                         auto_complete="off", aria_describedby="gift-card-error"),
                rx.button(T["gc_apply"], type="submit", size="3", variant="outline", id="apply-gift-card"),
                width="100%",
            ),
            rx.el.label(T["gc_use_amount"], html_for="field-gift-card-amount",
                        style={"display": "block", "margin": "6px 0 4px", "fontSize": "14px", "color": "#aaa"}),
            rx.input(id="field-gift-card-amount", name="gift_card_amount", size="2", width="10em",
                     input_mode="numeric", auto_complete="off"),
            on_submit=CheckoutState.apply_gift_card, reset_on_submit=True, width="100%",
        ),
        rx.cond(CheckoutState.gift_card_error != "",
                rx.text(CheckoutState.gift_card_error, color="tomato", size="2", role="alert", id="gift-card-error")),
        rx.foreach(CheckoutState.applied, applied_card),
        rx.cond(CheckoutState.applied.length() > 0, rx.hstack(
            rx.text(T["gc_left_to_pay"], weight="bold"), rx.spacer(),
            rx.text(CheckoutState.left_to_pay, weight="bold", id="left-to-pay"), width="100%")),
        width="100%", spacing="2",
    ), width="100%")


def delivery_choice() -> rx.Component:
    return rx.box(
        rx.el.fieldset(
            rx.el.legend(T["delivery"], style={"fontWeight": 500, "marginBottom": "6px"}),
            rx.radio_group.root(
                rx.hstack(
                    rx.el.label(rx.radio_group.item(value="email", id="delivery-email"), T["by_email"],
                                style={"display": "flex", "gap": "6px", "alignItems": "center"}),
                    rx.el.label(rx.radio_group.item(value="sms", id="delivery-sms"), T["by_sms"],
                                style={"display": "flex", "gap": "6px", "alignItems": "center"}),
                    spacing="5",
                ),
                name="delivery", default_value="email",
            ),
            style={"border": "none", "padding": 0, "margin": 0},
        ),
        margin_bottom="var(--space-3)",
    )


def terms() -> rx.Component:
    return rx.box(
        rx.el.label(rx.checkbox(name="terms", id="field-terms"), T["terms"],
                    style={"display": "flex", "gap": "8px", "alignItems": "center"}),
        rx.cond(ERRORS.contains("terms"), rx.text(ERRORS["terms"], color="tomato", size="2", role="alert")),
        margin_bottom="var(--space-3)",
    )


def purchase_form() -> rx.Component:
    return rx.form(
        field(T["name"], "name", ERRORS, autocomplete="name"),
        field(T["id_number"], "id_number", ERRORS, input_mode="numeric"),
        field(T["phone"], "phone", ERRORS, type_="tel", autocomplete="tel"),
        field(T["email"], "email", ERRORS, type_="email", autocomplete="email"),
        delivery_choice(),
        terms(),
        alert(CheckoutState.error),
        rx.button(rx.cond(CheckoutState.covered, T["gc_pay_with_cards"], T["to_payment"]), type="submit", size="4",
                  width="100%", loading=CheckoutState.busy, id="pay-button"),
        on_submit=CheckoutState.submit, width="100%",
    )


def expired_notice() -> rx.Component:
    return rx.vstack(
        rx.callout(T["hold_expired"], color_scheme="red", role="alert", id="hold-expired", width="100%"),
        rx.link(rx.button(T["try_again"], size="3"), href="/shows/" + S.show_slug),
        width="100%",
    )


def checkout_body() -> rx.Component:
    return rx.cond(
        CheckoutState.found,
        rx.vstack(
            rx.heading(T["checkout_title"], size="7", as_="h1"),
            summary_card(),
            rx.cond(
                CheckoutState.expired,
                expired_notice(),
                rx.vstack(countdown(), gift_cards_box(), purchase_form(), width="100%", spacing="4"),
            ),
            rx.button("expired", id="hold-expired-trigger", on_click=CheckoutState.hold_expired, display="none",
                      aria_hidden="true", tab_index=-1),
            rx.script(COUNTDOWN_SCRIPT),
            spacing="4", width="100%", max_width="560px", margin="0 auto",
        ),
        rx.heading(T["hold_expired"], size="5"),
    )


def checkout_page() -> rx.Component:
    return page(checkout_body())
