"""/admin/staff: accounts and roles (admin only)."""

from __future__ import annotations

import reflex as rx

from barby_app.components.admin.layout import admin_page, cell, table
from barby_app.state.admin.staff import StaffState
from services.models import StaffRole
from services.staff.users import StaffLine

ROLES = [r.value for r in StaffRole]


def staff_row(s: StaffLine) -> rx.Component:
    return rx.table.row(
        cell(s.name), cell(s.email),
        cell(rx.el.select(*[rx.el.option(r, value=r) for r in ROLES], value=s.role,
                          on_change=lambda role: StaffState.set_role(s.id, role))),
        cell(rx.cond(s.active, "active", "disabled")), cell(s.last_login), cell(s.locked_until),
        cell(rx.hstack(
            rx.cond(s.active, rx.button("Disable", size="1", variant="soft", color_scheme="red",
                                        on_click=StaffState.set_active(s.id, False)),
                    rx.button("Enable", size="1", variant="soft", on_click=StaffState.set_active(s.id, True))),
            rx.cond(s.locked_until != "", rx.button("Unlock", size="1", variant="soft", on_click=StaffState.unlock(s.id))),
        )),
    )


def staff_page() -> rx.Component:
    return admin_page(
        StaffState, "Staff accounts",
        rx.form(rx.hstack(
            rx.input(name="name", placeholder="Name", dir="auto"), rx.input(name="email", placeholder="Email", type="email"),
            rx.el.select(*[rx.el.option(r, value=r) for r in ROLES], name="role"),
            rx.input(name="password", placeholder="Initial password (10+)", type="password"),
            rx.button("Create account", type="submit"),
        ), on_submit=StaffState.create, reset_on_submit=True),
        table(["Name", "Email", "Role", "Status", "Last sign-in", "Locked until", ""], rx.foreach(StaffState.staff, staff_row)),
    )
