"""Form pieces with a visible label and the server's message right beside the field."""

from __future__ import annotations

import reflex as rx


def field(label: rx.Var | str, name: str, errors: rx.Var, *, type_: str = "text", autocomplete: str = "",
          required: bool = True, input_mode: str | None = None, default_value: str | rx.Var = "") -> rx.Component:
    """A labelled input; `errors[name]` (from the server) shows under it and is announced to screen readers."""
    field_id = f"field-{name}"
    props = {"input_mode": input_mode} if input_mode else {}
    return rx.box(
        rx.el.label(label, html_for=field_id, style={"display": "block", "marginBottom": "4px", "fontWeight": 500}),
        rx.input(id=field_id, name=name, type=type_, auto_complete=autocomplete or "off", required=required,
                 size="3", width="100%", default_value=default_value, aria_invalid=rx.cond(errors.contains(name), "true", "false"),
                 aria_describedby=f"{field_id}-error", **props),
        rx.cond(errors.contains(name),
                rx.text(errors[name], id=f"{field_id}-error", color="tomato", size="2", role="alert")),
        width="100%", margin_bottom="var(--space-3)",
    )


def alert(message: rx.Var) -> rx.Component:
    return rx.cond(message != "", rx.callout(message, color_scheme="red", role="alert", width="100%", margin_block="var(--space-3)"))
