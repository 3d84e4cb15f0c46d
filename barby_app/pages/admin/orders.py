"""/admin/orders (search) and /admin/orders/[order_ref] (everything about one order, and actions)."""

from __future__ import annotations

import reflex as rx

from barby_app.components.admin.layout import admin_page, cell, table
from barby_app.state.admin.orders import OrderPageState, OrderSearchState
from services.backoffice.orders import (
    AuditLine,
    CallbackLine,
    DeliveryLine,
    GiftCardPaymentLine,
    PaymentLine,
    RefundLine,
    TicketLine,
)
from services.backoffice.search import OrderHit
from services.models import OrderStatus

S = OrderSearchState
P = OrderPageState


def hit_row(hit: OrderHit) -> rx.Component:
    return rx.table.row(
        cell(rx.link(hit.number, href="/admin/orders/" + hit.number, class_name="order-link")),
        cell(hit.legacy_number), cell(hit.created),
        cell(rx.cond(hit.customer_id > 0, rx.link(hit.name, href="/admin/customers/" + hit.customer_id.to_string()),
                     hit.name)),
        cell(hit.email), cell(hit.phone), cell(hit.show), cell(hit.status), cell(hit.quantity), cell(hit.total),
        cell(rx.text(hit.matched_by, size="1", color_scheme="gray")),
        class_name="order-hit",
    )


def search_form() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.input(name="q", placeholder="Order number, name, email, phone, barcode, payment ref, gift card, show…",
                     default_value=S.query, id="order-search", width="520px", dir="auto"),
            rx.input(name="show_id", placeholder="Show id", default_value=S.show_id, width="90px"),
            rx.el.select(rx.el.option("Any status", value=""),
                         *[rx.el.option(s.value, value=s.value) for s in OrderStatus], name="status",
                         default_value=S.status),
            rx.input(name="date_from", type="date", default_value=S.date_from),
            rx.input(name="date_to", type="date", default_value=S.date_to),
            rx.button("Search", type="submit", id="search-button"),
            spacing="2", wrap="wrap", align="center",
        ),
        on_submit=S.search,
    )


def search_page() -> rx.Component:
    return admin_page(
        S, "Orders",
        search_form(),
        rx.cond(S.matched != "", rx.text("Matched by: ", S.matched, size="2", color_scheme="gray")),
        rx.cond(S.searched & (S.hits.length() == 0), rx.text("No orders found.", id="no-results")),
        rx.cond(S.hits.length() > 0, table(
            ["Order", "Legacy", "Created", "Customer", "Email", "Phone", "Show", "Status", "Qty", "Total", "Matched"],
            rx.foreach(S.hits, hit_row), id="search-results")),
        rx.hstack(
            rx.button("← Previous", on_click=S.previous_page, disabled=S.page <= 1, variant="soft"),
            rx.text("Page ", S.page),
            rx.button("Next →", on_click=S.next_page, disabled=~S.has_next, variant="soft"),
            align="center",
        ),
    )


def section(title: str, *children: rx.Component) -> rx.Component:
    return rx.vstack(rx.heading(title, size="4"), *children, spacing="2", width="100%")


def ticket_row(t: TicketLine) -> rx.Component:
    return rx.table.row(
        cell(rx.code(t.barcode)), cell(t.status), cell(t.tier), cell(t.price), cell(t.seat), cell(t.issued),
        cell(t.voided), cell(t.replaces),
        cell(rx.cond(P.can_void & (t.status == "valid"), rx.hstack(
            rx.button("Void", size="1", color_scheme="red", variant="soft", on_click=P.void(t.id)),
            rx.button("Reissue", size="1", variant="soft", on_click=P.reissue(t.id))))),
    )


def payment_row(p: PaymentLine) -> rx.Component:
    return rx.table.row(cell(p.created), cell(p.provider), cell(p.status), cell(p.amount), cell(p.refunded),
                        cell(p.transaction_id), cell(p.page_request_uid), cell(p.approval), cell(p.card))


def callback_row(c: CallbackLine) -> rx.Component:
    return rx.table.row(
        cell(c.received), cell(c.provider),
        cell(rx.cond(c.valid, rx.badge("valid", color_scheme="green"), rx.badge("rejected", color_scheme="red"))),
        cell(rx.cond(c.duplicate, rx.badge("duplicate", color_scheme="orange"), "")),
        cell(c.outcome), cell(c.transaction_id), cell(rx.text(c.detail, size="1")),
    )


def delivery_row(d: DeliveryLine) -> rx.Component:
    return rx.table.row(cell(d.created), cell(d.channel), cell(d.purpose), cell(d.recipient), cell(d.status),
                        cell(d.attempts), cell(d.sent), cell(rx.text(d.last_error, color_scheme="red", size="1")),
                        cell(rx.text(d.history, size="1")), class_name="delivery-row")


def gift_card_row(g: GiftCardPaymentLine) -> rx.Component:
    return rx.table.row(cell(rx.link(rx.code(g.code), href="/admin/gift-cards/" + g.card_id.to_string())),
                        cell(g.amount), cell(g.refunded), cell(g.status))


def refund_row(r: RefundLine) -> rx.Component:
    return rx.table.row(cell(r.created), cell(r.amount), cell(r.status), cell(r.reason))


def audit_row(a: AuditLine) -> rx.Component:
    return rx.table.row(cell(a.at), cell(a.actor), cell(a.action), cell(rx.text(a.detail, size="1")))


def summary() -> rx.Component:
    o = P.order
    return rx.grid(
        rx.vstack(rx.text("Status", size="1"), rx.badge(o.status, size="2", id="order-status")),
        rx.vstack(rx.text("Show", size="1"), rx.text(o.show, dir="auto"), rx.text(o.show_date, size="1"),
                  rx.cond(o.tier != "", rx.fragment(  # two lines: a price beside a Hebrew name reorders
                      rx.text(o.quantity, " × ", o.tier, id="order-tier"),
                      rx.text("Unit price ", o.unit_price, id="order-unit-price")))),
        rx.vstack(rx.text("Customer", size="1"),
                  rx.cond(o.customer_id > 0, rx.link(o.name, href="/admin/customers/" + o.customer_id.to_string(),
                                                     dir="auto", id="customer-link"), rx.text(o.name, dir="auto")),
                  rx.text(o.email, id="order-email"), rx.text(o.phone)),
        rx.vstack(rx.text("Amounts", size="1"), rx.text("Total ", o.total), rx.text("Gift card ", o.gift_card_amount),
                  rx.text("Charged ", o.amount_due)),
        rx.vstack(rx.text("Dates", size="1"), rx.text("Created ", o.created), rx.text("Paid ", o.paid),
                  rx.text("Legacy number ", o.legacy_number)),
        rx.vstack(rx.text("Delivery", size="1"), rx.text(o.delivery_method, " · ", o.language),
                  rx.text(o.attention_reason, color_scheme="red")),
        columns="3", spacing="4", width="100%",
    )


def actions() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.button("Resend tickets", on_click=P.resend, id="resend-tickets"),
            rx.button("Re-check payment with provider", on_click=P.recheck, variant="soft", id="recheck-payment"),
            spacing="2",
        ),
        rx.form(rx.hstack(rx.input(name="email", placeholder="Corrected email", type="email", id="corrected-email"),
                          rx.button("Correct email and resend", type="submit", variant="soft")),
                on_submit=P.correct_email, reset_on_submit=True),
        rx.cond(P.can_refund, rx.hstack(
            rx.form(rx.hstack(rx.input(name="amount", placeholder="₪ (empty = all)", width="130px"),
                              rx.input(name="reason", placeholder="Reason", width="220px"),
                              rx.button("Refund", type="submit", color_scheme="red", variant="soft")),
                    on_submit=P.refund, reset_on_submit=True),
            rx.form(rx.hstack(rx.input(name="reason", placeholder="Reason", width="220px"),
                              rx.button("Cancel order", type="submit", color_scheme="red")),
                    on_submit=P.cancel, reset_on_submit=True),
            spacing="4")),
        spacing="2",
    )


def order_detail_page() -> rx.Component:
    return admin_page(
        P, "Order",
        rx.cond(P.loaded, rx.vstack(
            rx.heading(P.order.number, size="7", id="order-number"),
            summary(), actions(),
            section("Tickets", table(["Barcode", "Status", "Tier", "Price", "Seat", "Issued", "Voided", "Replaces", ""],
                                     rx.foreach(P.tickets, ticket_row))),
            section("Payment attempts", table(["Created", "Provider", "Status", "Amount", "Refunded", "Transaction",
                                               "Page request", "Approval", "Card"], rx.foreach(P.payments, payment_row))),
            section("Provider callbacks", table(["Received", "Provider", "Signature", "", "Outcome", "Transaction",
                                                 "Detail"], rx.foreach(P.callbacks, callback_row))),
            section("Deliveries", table(["Created", "Channel", "Purpose", "Recipient", "Status", "Attempts", "Sent",
                                         "Last error", "History"], rx.foreach(P.deliveries, delivery_row),
                                        id="deliveries")),
            section("Refunds", table(["Created", "Amount", "Status", "Reason"], rx.foreach(P.refunds, refund_row))),
            rx.cond(P.gift_cards.length() > 0, section("Paid by gift card", table(
                ["Card", "Amount", "Returned to the card", "Status"], rx.foreach(P.gift_cards, gift_card_row),
                id="gift-card-payments"))),
            section("Audit timeline", table(["When", "Who", "Action", "Detail"], rx.foreach(P.timeline, audit_row),
                                            id="audit-timeline")),
            spacing="5", width="100%",
        )),
    )
