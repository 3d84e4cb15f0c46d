"""/admin: staff sign-in."""

from __future__ import annotations

import reflex as rx

from barby_app.state.admin.session import AdminState


def sign_in_page() -> rx.Component:
    return rx.center(
        rx.card(
            rx.form(
                rx.vstack(
                    rx.heading("Barby back office", size="6"),
                    rx.text("Staff sign-in", color_scheme="gray"),
                    rx.input(name="email", type="email", placeholder="Email", id="staff-email", width="100%",
                             auto_complete="username", required=True),
                    rx.input(name="password", type="password", placeholder="Password", id="staff-password",
                             width="100%", auto_complete="current-password", required=True),
                    rx.cond(AdminState.sign_in_error != "",
                            rx.callout(AdminState.sign_in_error, color_scheme="red", role="alert", id="sign-in-error")),
                    rx.button("Sign in", type="submit", width="100%", id="sign-in"),
                    spacing="3", width="320px",
                ),
                on_submit=AdminState.sign_in,
            ),
        ),
        min_height="100vh", dir="ltr", lang="en",
    )
