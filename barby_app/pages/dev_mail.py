"""/dev/mail: the local mail sink's messages (development only; empty and refused in production)."""

from __future__ import annotations

import reflex as rx

from barby_app.state.dev_mail import DevMailState, MailRow


def message_card(message: MailRow) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(rx.text(message.received, color="gray", size="2"), rx.text(message.recipient, size="2"), spacing="4"),
            rx.heading(message.subject, size="4", dir="auto"),
            rx.el.details(rx.el.summary("Text"), rx.el.pre(message.text, style={"whiteSpace": "pre-wrap"}, dir="auto")),
            rx.cond(message.pdf_url != "", rx.link("Open the attached PDF", href=message.pdf_url, is_external=True)),
            align="start", spacing="2",
        ),
        width="100%",
    )


def dev_mail_page() -> rx.Component:
    return rx.box(
        rx.heading("Development mail sink", size="7", margin_bottom="var(--space-2)"),
        rx.text("Every email the app sent on this machine, newest first (SMTP on the settings' SMTP_PORT).",
                color="gray", margin_bottom="var(--space-4)"),
        rx.cond(
            DevMailState.available,
            rx.vstack(rx.foreach(DevMailState.messages, message_card), spacing="3", width="100%"),
            rx.text("Not available in production."),
        ),
        max_width="900px", margin="0 auto", padding="var(--space-6)", dir="ltr",
    )
