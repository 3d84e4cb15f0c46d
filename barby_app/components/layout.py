"""The public site's frame: header with navigation and language switch, footer, RTL/LTR direction."""

from __future__ import annotations

import reflex as rx

from barby_app.state.language import LanguageState

ACCENT = "#ff3d6e"


def nav_link(label: rx.Var, href: str) -> rx.Component:
    return rx.link(label, href=href, color="white", weight="medium", underline="none", _hover={"color": ACCENT})


NAV_ITEMS = (("nav_shows", "/#shows"), ("nav_gift_cards", "/gift-cards"), ("nav_account", "/account"),
             ("nav_contact", "/contact"), ("nav_support", "/support"))


def mobile_menu() -> rx.Component:
    """The same navigation behind a menu button on phones."""
    t = LanguageState.t
    return rx.box(
        rx.menu.root(
            rx.menu.trigger(rx.icon_button(rx.icon("menu"), variant="ghost", color_scheme="gray", size="3",
                                           aria_label="Menu", id="mobile-menu")),
            rx.menu.content(*[rx.menu.item(rx.link(t[key], href=href, color="inherit", underline="none", width="100%"))
                              for key, href in NAV_ITEMS]),
        ),
        display=["block", "block", "none"],
    )


def header() -> rx.Component:
    t = LanguageState.t
    return rx.el.header(rx.box(
        rx.flex(
            rx.link(
                rx.hstack(rx.text("BARBY", size="7", weight="bold", color=ACCENT, letter_spacing="0.12em"),
                          rx.text(t["venue"], size="2", color="gray", display=["none", "block"]),
                          align="baseline", spacing="3"),
                href="/", underline="none", aria_label="Barby",
            ),
            rx.spacer(),
            rx.hstack(
                *[nav_link(t[key], href) for key, href in NAV_ITEMS],
                display=["none", "none", "flex"],
                spacing="5",
            ),
            mobile_menu(),
            rx.button(
                t["switch_language"], on_click=LanguageState.toggle_language, variant="outline", color_scheme="gray",
                size="2", id="language-switch",
            ),
            align="center", spacing="4", padding_inline=["var(--space-4)", "var(--space-6)"], padding_block="var(--space-3)", max_width="1200px", margin="0 auto",
        ),
        position="sticky", top="0", z_index="10", background="rgba(10,10,14,0.92)",
        backdrop_filter="blur(8px)", border_bottom="1px solid #23232b",
    ), style={"display": "contents"})


def footer() -> rx.Component:
    return rx.el.footer(
        rx.text(LanguageState.t["footer"], size="2", color="gray"),
        style={"padding": "24px", "textAlign": "center", "borderTop": "1px solid #23232b", "marginTop": "32px"},
    )


def page(*children: rx.Component) -> rx.Component:
    """A public page: content in the visitor's direction between header and footer."""
    return rx.box(
        header(),
        rx.box(rx.el.main(*children, id="content"), max_width="1200px", margin="0 auto",
               padding_inline=["var(--space-3)", "var(--space-6)"], padding_block="var(--space-5)"),
        footer(),
        dir=LanguageState.direction,
        lang=LanguageState.language,
        min_height="100vh",
        position="relative",
        overflow_x="clip",  # Radix's visually hidden form inputs sit just outside an RTL page's edge
        background="#0b0b0f",
        color="white",
    )
