"""The homepage: featured shows up top, then every upcoming show."""

from __future__ import annotations

import reflex as rx

from barby_app.components.layout import page
from barby_app.components.show_card import show_card
from barby_app.state.home import HomeState
from barby_app.state.language import LanguageState

# Advances the featured carousel every six seconds (paused while hovered or focused), and the arrow
# buttons step it by one slide; scroll-snap keeps a slide aligned whatever the width or direction.
CAROUSEL_SCRIPT = """
(function () {
  function track() { return document.getElementById('featured-track'); }
  function step(direction) {
    var el = track(); if (!el || !el.firstElementChild) return;
    var width = el.firstElementChild.getBoundingClientRect().width + 16;
    var rtl = getComputedStyle(el).direction === 'rtl';
    var atEnd = Math.abs(el.scrollLeft) + el.clientWidth >= el.scrollWidth - 4;
    if (direction > 0 && atEnd) { el.scrollTo({left: 0, behavior: 'smooth'}); return; }
    el.scrollBy({left: (rtl ? -1 : 1) * direction * width, behavior: 'smooth'});
  }
  window.barbyCarousel = step;
  setInterval(function () {
    var el = track();
    if (el && !el.matches(':hover') && !el.contains(document.activeElement)) step(1);
  }, 6000);
})();
"""


def featured_slide(show: rx.Var) -> rx.Component:
    return rx.link(
        rx.box(
            rx.image(src=show.image, alt=show.title, width="100%", height=["220px", "340px", "400px"],
                     object_fit="cover", object_position="center 70%", border_radius="16px"),
            rx.box(rx.text(show.date, size="3", color="#ff3d6e", weight="bold"), rx.heading(show.title, size="7"),
                   position="absolute", bottom="0", padding="var(--space-5)", width="100%",
                   background="linear-gradient(transparent, rgba(0,0,0,0.9))", border_radius="0 0 16px 16px"),
            position="relative",
        ),
        href="/shows/" + show.slug, color="white", underline="none", class_name="featured-slide",
        flex="0 0 min(100%, 880px)", style={"scrollSnapAlign": "start"},
    )


def carousel_button(direction: int, label: str) -> rx.Component:
    """Previous points to where reading starts: right in Hebrew, left in English."""
    rtl = LanguageState.direction == "rtl"
    icon = rx.cond(rtl == (direction < 0), rx.icon("chevron-right"), rx.icon("chevron-left"))
    return rx.icon_button(icon, on_click=rx.call_script(f"window.barbyCarousel({direction})"),
                          variant="soft", color_scheme="gray", radius="full", size="3", aria_label=label)


def featured_strip() -> rx.Component:
    return rx.box(
        rx.flex(
            rx.foreach(HomeState.featured, featured_slide),
            id="featured-track", gap="4", overflow_x="auto", padding_bottom="var(--space-2)",
            style={"scrollSnapType": "x mandatory", "scrollbarWidth": "none"},
            aria_label="Featured shows", role="region",
        ),
        rx.hstack(carousel_button(-1, "Previous"), carousel_button(1, "Next"),
                  justify="end", margin_top="var(--space-2)", display=["none", "flex"]),
        rx.script(CAROUSEL_SCRIPT),
    )


def search_box() -> rx.Component:
    return rx.box(
        rx.el.label(LanguageState.t["search_label"], html_for="show-search", class_name="visually-hidden",
                    style={"position": "absolute", "width": "1px", "height": "1px", "overflow": "hidden",
                           "clip": "rect(0 0 0 0)"}),
        rx.input(
            rx.input.slot(rx.icon("search")),
            id="show-search", type="search", placeholder=LanguageState.t["search_placeholder"],
            value=HomeState.query, on_change=HomeState.set_query.debounce(250), size="3",
            width=rx.breakpoints(initial="100%", sm="320px"),
        ),
    )


def index() -> rx.Component:
    t = LanguageState.t
    return page(
        featured_strip(),
        rx.flex(
            rx.heading(t["upcoming_shows"], size="7", id="shows", as_="h1"),
            rx.spacer(),
            search_box(),
            direction=rx.breakpoints(initial="column", sm="row"), gap="3", margin_top="var(--space-6)", margin_bottom="var(--space-4)",
            align=rx.breakpoints(initial="stretch", sm="center"),
        ),
        rx.cond(
            HomeState.loaded & (HomeState.results.length() == 0),
            rx.text(rx.cond(HomeState.query != "", t["no_results"], t["no_shows"]), id="no-results"),
        ),
        rx.grid(
            rx.foreach(HomeState.results, show_card),
            columns=rx.breakpoints(initial="1", sm="2", md="3", lg="4"),
            spacing="4",
        ),
    )
