"""/admin/gift-cards (search, outstanding liability) and /admin/gift-cards/[card_ref] (the card and its fixes)."""

from __future__ import annotations

import reflex as rx

from barby_app.components.admin.layout import admin_page, cell, field, table
from barby_app.pages.admin.orders import section
from barby_app.state.admin.gift_cards import GiftCardPageState, GiftCardSearchState
from services.backoffice.giftcards import CardRow, LedgerRow

S = GiftCardSearchState
P = GiftCardPageState


def card_row(row: CardRow) -> rx.Component:
    return rx.table.row(
        cell(rx.link(rx.code(row.code), href="/admin/gift-cards/" + row.id.to_string(), class_name="card-link")),
        cell(row.status), cell(row.initial), cell(row.balance), cell(row.recipient), cell(row.buyer),
        cell(rx.cond(row.order_number != "", rx.link(row.order_number, href="/admin/orders/" + row.order_number))),
        cell(row.expires), class_name="card-row",
    )


def search_page() -> rx.Component:
    return admin_page(
        S, "Gift cards",
        rx.cond(S.outstanding != "", rx.callout(
            rx.text("Outstanding gift-card balance (liability): ", rx.el.strong(S.outstanding, id="liability"),
                    " on ", S.outstanding_cards, " cards"), color_scheme="blue")),
        rx.form(rx.hstack(
            rx.input(name="q", placeholder="Code, buyer or recipient name/email, order number…", default_value=S.query,
                     id="card-search", width="520px", dir="auto"),
            rx.button("Search", type="submit", id="card-search-button")), on_submit=S.search),
        rx.cond(S.searched & (S.rows.length() == 0), rx.text("No gift cards found.")),
        rx.cond(S.rows.length() > 0, table(["Code", "Status", "Initial", "Balance", "Recipient", "Buyer", "Order",
                                            "Valid until"], rx.foreach(S.rows, card_row), id="card-results")),
    )


def ledger_row(row: LedgerRow) -> rx.Component:
    return rx.table.row(cell(row.at), cell(row.kind), cell(row.amount), cell(row.balance_after),
                        cell(rx.cond(row.order_number != "", rx.link(row.order_number,
                                                                     href="/admin/orders/" + row.order_number))),
                        cell(row.note))


def allowed(permission: str, *children: rx.Component) -> rx.Component:
    return rx.cond(P.powers.contains(permission), rx.fragment(*children))


def actions() -> rx.Component:
    return rx.vstack(
        allowed("giftcards.resend", rx.button("Resend to the recipient", on_click=P.resend, id="resend-card")),
        allowed("giftcards.change_recipient", rx.form(rx.hstack(
            field("Correct the recipient's email", "email", width="320px"),
            rx.button("Change and resend", type="submit"), align="end"), on_submit=P.change_recipient)),
        allowed("giftcards.adjust", rx.form(rx.hstack(
            field("Adjust by ₪ (minus to take)", "amount", width="160px"), field("Reason", "reason", width="320px"),
            rx.button("Adjust", type="submit", id="adjust-card"), align="end"), on_submit=P.adjust,
            reset_on_submit=True)),
        allowed("giftcards.extend", rx.form(rx.hstack(
            field("Valid until", "until", type_="date", width="180px"), field("Reason", "reason", width="320px"),
            rx.button("Extend", type="submit"), align="end"), on_submit=P.extend, reset_on_submit=True)),
        allowed("giftcards.void", rx.form(rx.hstack(
            field("Reason for cancelling", "reason", width="320px"),
            rx.button("Cancel the card", type="submit", color_scheme="red"), align="end"), on_submit=P.void,
            reset_on_submit=True)),
        spacing="3", align="start",
    )


def card_page() -> rx.Component:
    c = P.card
    return admin_page(
        P, "Gift card",
        rx.cond(P.loaded, rx.vstack(
            rx.heading(rx.code(c.code, id="card-code"), size="6"),
            rx.text("Status ", rx.el.strong(c.status), " · balance ", rx.el.strong(c.balance, id="card-balance"),
                    " of ", c.initial, " · issued ", c.issued, " · valid until ", c.expires),
            rx.text("For ", c.recipient_name, " <", c.recipient_email, "> ", c.recipient_phone, dir="auto"),
            rx.text("Bought by ", c.buyer, " in ", rx.link(c.order_number, href="/admin/orders/" + c.order_number),
                    rx.cond(c.send_at != "", rx.text.span(" · to be sent ", c.send_at)), dir="auto"),
            rx.cond(c.message != "", rx.blockquote(c.message, dir="auto")),
            section("Actions", actions()),
            section("Ledger", table(["When", "What", "Amount", "Balance after", "Order", "Note"],
                                    rx.foreach(P.ledger, ledger_row))),
            section("Orders it paid", rx.hstack(rx.foreach(P.paid_orders, lambda number: rx.link(
                number, href="/admin/orders/" + number)), wrap="wrap")),
            spacing="4", width="100%",
        )),
    )
