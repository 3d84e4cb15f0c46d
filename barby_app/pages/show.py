"""The show page: details and the action the ticket engine decided (buy, sold out, lists, closed)."""

from __future__ import annotations

import reflex as rx

from barby_app.components.forms import alert, field
from barby_app.components.layout import ACCENT, page
from barby_app.state.language import LanguageState
from barby_app.state.show import ShowState

T = LanguageState.t
SHOW = ShowState.show


def details() -> rx.Component:
    return rx.vstack(
        rx.text(SHOW.artist, size="3", color=ACCENT, weight="bold"),
        rx.heading(SHOW.title, size="8", as_="h1", id="show-title"),
        rx.hstack(
            rx.badge(SHOW.date, size="3"),
            rx.badge(T["doors"], " ", SHOW.doors, size="3", color_scheme="gray"),
            rx.cond(SHOW.age_limit != "", rx.badge(T["age_limit"], " ", SHOW.age_limit, size="3", color_scheme="amber",
                                                   id="age-limit")),
            rx.badge(rx.cond(SHOW.seating == "seated", T["seated"], T["standing"]), size="3", color_scheme="gray"),
            wrap="wrap", spacing="2",
        ),
        rx.text(SHOW.description, size="3", color="#c8c8d0", line_height="1.7"),
        spacing="3", align="start", width="100%",
    )


def tier_option(offer) -> rx.Component:
    """One tier as a native radio inside its label: name, price and a "few left" hint.

    A real radio button gives the keyboard behaviour for free (Tab into the group, arrows to move),
    and the label makes the whole row the click target and the radio's accessible name.
    """
    tier = offer.tier_id.to_string()
    chosen = ShowState.tier_id == tier
    return rx.el.label(
        rx.el.input(type="radio", name="tier", value=tier, checked=chosen, on_change=ShowState.choose_tier,
                    id="tier-" + tier, style={"accentColor": ACCENT, "width": "20px", "height": "20px",
                                              "margin": 0, "flexShrink": 0}),
        rx.vstack(
            rx.text(offer.name, size="4", weight="medium", class_name="tier-name"),
            rx.cond(offer.secret, rx.badge(T["secret_price"], color_scheme="amber", size="1")),
            rx.cond(offer.few_left != "", rx.text(offer.few_left, size="2", color="#ffb84d", class_name="few-left")),
            spacing="1", align="start", flex="1", min_width="0",
        ),
        rx.text(offer.price, size="5", weight="bold", class_name="tier-price", white_space="nowrap"),
        class_name="tier-option", data_checked=rx.cond(chosen, "true", "false"),
        style={"display": "flex", "alignItems": "center", "gap": "12px", "width": "100%", "padding": "12px",
               "borderRadius": "8px", "cursor": "pointer", "background": rx.cond(chosen, "#2a1620", "#16161c"),
               "border": rx.cond(chosen, f"2px solid {ACCENT}", "1px solid #3a3a44"),
               "&:focus-within": {"outline": f"2px solid {ACCENT}", "outlineOffset": "2px"}},
    )


def tier_choice() -> rx.Component:
    """Every tier the engine allows (hall and balcony, presale beside VIP) as one radio group; a single
    tier shows as a plain line."""
    return rx.cond(
        SHOW.offers.length() > 1,
        rx.el.fieldset(
            rx.el.legend(T["ticket_type"], style={"fontWeight": 500, "marginBottom": "8px", "padding": 0}),
            rx.vstack(rx.foreach(SHOW.offers, tier_option), spacing="2", width="100%"),
            id="tier-choice", style={"border": "none", "padding": 0, "margin": 0, "minWidth": 0, "width": "100%"},
        ),
        rx.vstack(
            rx.hstack(rx.text(SHOW.tier_name, size="4", weight="medium"), rx.spacer(),
                      rx.text(SHOW.price, size="6", weight="bold", id="ticket-price"), width="100%", align="center"),
            rx.foreach(SHOW.offers, lambda offer: rx.cond(offer.few_left != "", rx.text(
                offer.few_left, size="2", color="#ffb84d", id="few-left"))),
            spacing="1", width="100%",
        ),
    )


def buy_panel() -> rx.Component:
    return rx.vstack(
        rx.cond(SHOW.via_secret_link, rx.badge(T["secret_offer"], color_scheme="amber", size="2")),
        tier_choice(),
        rx.el.label(T["quantity"], html_for="quantity", style={"fontWeight": 500}),
        rx.el.select(
            rx.foreach(ShowState.chosen_quantities, lambda n: rx.el.option(n, value=n)),
            id="quantity", value=ShowState.quantity, on_change=ShowState.set_quantity,
            style={"width": "100%", "padding": "10px", "fontSize": "16px", "borderRadius": "8px",
                   "background": "#16161c", "color": "white", "border": "1px solid #3a3a44"},
        ),
        rx.button(SHOW.message, on_click=ShowState.buy, loading=ShowState.busy, size="4", width="100%",
                  id="buy-button"),
        spacing="3", width="100%",
    )


def list_form() -> rx.Component:
    """Waiting list (sold out) or registration (sale not open yet): the same small form."""
    return rx.cond(
        ShowState.joined,
        rx.callout(rx.cond(SHOW.action == "waiting_list", T["joined_waiting_list"], T["joined_registration"]),
                   color_scheme="green", id="list-joined", role="status"),
        rx.form(
            field(T["name"], "name", ShowState.field_errors, autocomplete="name"),
            field(T["email"], "email", ShowState.field_errors, type_="email", autocomplete="email"),
            field(T["phone"], "phone", ShowState.field_errors, type_="tel", autocomplete="tel", required=False),
            rx.button(rx.cond(SHOW.action == "waiting_list", T["join_waiting_list"], T["register"]),
                      type="submit", size="3", width="100%", id="list-submit"),
            on_submit=ShowState.join_list, width="100%",
        ),
    )


def action_panel() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.cond(SHOW.action != "buy", rx.heading(SHOW.message, size="5", id="show-action")),
            rx.cond(SHOW.opens_at != "", rx.text(T["sale_opens"], SHOW.opens_at, color="gray")),
            alert(ShowState.error),
            rx.match(
                SHOW.action,
                ("buy", buy_panel()),
                ("waiting_list", list_form()),
                ("registration", list_form()),
                rx.fragment(),
            ),
            spacing="3", width="100%",
        ),
        size="3", width="100%", id="ticket-action", data_action=SHOW.action,
    )


def show_body() -> rx.Component:
    return rx.cond(
        ShowState.found,
        rx.vstack(
            rx.image(src=SHOW.image, alt=SHOW.title, width="100%", height=["220px", "340px", "420px"],
                     object_fit="cover", object_position="center 70%", border_radius="16px"),
            rx.grid(details(), action_panel(), columns=rx.breakpoints(initial="1", md="2"), spacing="6", width="100%"),
            spacing="5", width="100%",
        ),
        rx.heading(T["show_not_found"], size="6"),
    )


def show_page() -> rx.Component:
    return page(show_body())
