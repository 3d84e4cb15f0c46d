"""/admin/customers/[customer_ref]: details, all orders, gift cards, waiting lists, notes."""

from __future__ import annotations

import reflex as rx

from barby_app.components.admin.layout import admin_page, cell, table
from barby_app.pages.admin.orders import hit_row, section
from barby_app.state.admin.customers import CustomerPageState
from services.backoffice.customers import GiftCardLine, NoteLine, WaitingLine

C = CustomerPageState


def card_row(g: GiftCardLine) -> rx.Component:
    return rx.table.row(cell(rx.code(g.code)), cell(g.relation), cell(g.initial), cell(g.balance), cell(g.status),
                        cell(g.recipient))


def waiting_row(w: WaitingLine) -> rx.Component:
    return rx.table.row(cell(w.show), cell(w.kind), cell(w.quantity), cell(w.created), cell(w.notified))


def note_row(n: NoteLine) -> rx.Component:
    return rx.table.row(cell(n.at), cell(n.author), cell(rx.text(n.body, white_space="pre-wrap")))


def customer_page() -> rx.Component:
    c = C.customer
    return admin_page(
        C, "Customer",
        rx.cond(C.loaded, rx.vstack(
            rx.heading(c.name, size="7", dir="auto", id="customer-name"),
            rx.text(c.email, " · ", c.phone, " · ID ", c.id_number, " · language ", c.language),
            rx.text("Customer since ", c.created, " · legacy ids: ", c.legacy_ids, size="2", color_scheme="gray"),
            section("Orders", table(["Order", "Legacy", "Created", "Customer", "Email", "Phone", "Show", "Status", "Qty",
                                     "Total", ""], rx.foreach(C.orders, hit_row))),
            section("Gift cards", table(["Code", "", "Initial", "Balance", "Status", "Recipient"],
                                        rx.foreach(C.gift_cards, card_row))),
            section("Waiting lists and registrations", table(["Show", "Kind", "Qty", "Joined", "Notified"],
                                                             rx.foreach(C.waiting, waiting_row))),
            section("Notes",
                    rx.form(rx.hstack(rx.text_area(name="body", placeholder="Add a note", width="480px", dir="auto"),
                                      rx.button("Add note", type="submit")),
                            on_submit=C.add_note, reset_on_submit=True),
                    table(["When", "Who", "Note"], rx.foreach(C.notes, note_row))),
            spacing="5", width="100%",
        )),
    )
