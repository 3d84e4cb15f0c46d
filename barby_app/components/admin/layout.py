"""The back office's frame: navigation by role, who is signed in, sign-out, notices and errors.

English-first and left-to-right; names and free text keep their own direction (dir="auto").
"""

from __future__ import annotations

import reflex as rx

from barby_app.state.admin.session import AdminState


def nav_item(label: str, href: str, permission: str) -> rx.Component:
    return rx.cond(AdminState.powers.contains(permission), rx.link(label, href=href, weight="medium"))


def header() -> rx.Component:
    return rx.flex(
        rx.link(rx.text("BARBY · back office", weight="bold", size="4"), href="/admin/orders", underline="none"),
        nav_item("Orders", "/admin/orders", "orders.search"),
        nav_item("Shows", "/admin/shows", "shows.view"),
        nav_item("Gift cards", "/admin/gift-cards", "giftcards.view"),
        nav_item("Staff", "/admin/staff", "staff.manage"),
        rx.spacer(),
        rx.text(AdminState.staff_name, " · ", AdminState.role_label, size="2", color_scheme="gray", id="signed-in-as"),
        rx.button("Sign out", on_click=AdminState.sign_out, variant="outline", size="1", id="sign-out"),
        align="center", spacing="5", padding="var(--space-3)", border_bottom="1px solid var(--gray-6)",
    )


def messages(state: type[AdminState]) -> rx.Component:
    return rx.fragment(
        rx.cond(state.error != "", rx.callout(state.error, color_scheme="red", role="alert", id="admin-error")),
        rx.cond(state.notice != "", rx.callout(state.notice, color_scheme="green", role="status", id="admin-notice")),
    )


def admin_page(state: type[AdminState], title: str, *children: rx.Component) -> rx.Component:
    return rx.box(
        header(),
        rx.vstack(rx.heading(title, size="6"), messages(state), *children, spacing="4", padding=["var(--space-3)", "var(--space-6)"], width="100%",
                  max_width="1400px", margin="0 auto"),
        dir="ltr", lang="en", min_height="100vh",
    )


def field(label: str, name: str, *, value: rx.Var | str = "", type_: str = "text", width: str = "100%",
          **props) -> rx.Component:
    """A labelled uncontrolled input (reset by the form's key when the state reloads)."""
    return rx.vstack(
        rx.text(label, size="1", color_scheme="gray"),
        rx.input(name=name, default_value=value, type=type_, id=f"field-{name}", dir="auto", width=width, **props),
        spacing="1", width=width,
    )


def checkbox(label: str, name: str, checked: rx.Var | bool) -> rx.Component:
    return rx.el.label(
        rx.el.input(type="checkbox", name=name, value="true", default_checked=checked, id=f"field-{name}"),
        " ", label, style={"display": "flex", "gap": "6px", "alignItems": "center"},
    )


def cell(value, **props) -> rx.Component:
    return rx.table.cell(value, dir="auto", **props)


def table(headers: list[str], body: rx.Component, **props) -> rx.Component:
    return rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
        rx.table.body(body), variant="surface", size="1", width="100%", **props,
    )
