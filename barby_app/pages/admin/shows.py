"""/admin/shows (list) and /admin/shows/[show_ref] (edit, image, tiers, live preview, secret links)."""

from __future__ import annotations

import reflex as rx

from barby_app.components.admin.layout import admin_page, cell, checkbox, field, table
from barby_app.pages.admin.orders import section
from barby_app.state.admin.shows import ShowEditState, ShowListState
from services.backoffice.links import LinkRow
from services.backoffice.shows import ShowRow, TierRow
from services.models import ShowStatus, TierKind

L = ShowListState
E = ShowEditState


def show_row(s: ShowRow) -> rx.Component:
    return rx.table.row(
        cell(s.id), cell(rx.link(s.title, href="/admin/shows/" + s.id.to_string())), cell(s.title_he), cell(s.artist),
        cell(s.date), cell(s.status), cell(rx.cond(s.public, "public", "hidden")),
        cell(s.sold.to_string() + " / " + s.capacity.to_string()), cell(s.public_action),
    )


def shows_page() -> rx.Component:
    return admin_page(
        L, "Shows",
        rx.hstack(
            rx.form(rx.hstack(rx.input(name="q", placeholder="Title or artist", dir="auto"),
                              rx.el.label(rx.el.input(type="checkbox", name="past", value="1"), " include past"),
                              rx.button("Filter", type="submit", variant="soft"), align="center"),
                    on_submit=L.filter),
            rx.cond(L.powers.contains("shows.edit"), rx.link(rx.button("New show"), href="/admin/shows/new")),
            spacing="4",
        ),
        table(["Id", "Title", "Hebrew", "Artist", "Date", "Status", "Visibility", "Sold", "Public sees"],
              rx.foreach(L.shows, show_row)),
    )


def select(label: str, name: str, options: list[str], value: rx.Var) -> rx.Component:
    return rx.vstack(rx.text(label, size="1", color_scheme="gray"),
                     rx.el.select(*[rx.el.option(o, value=o) for o in options], name=name, default_value=value),
                     spacing="1")


def details_form() -> rx.Component:
    f = E.form
    return rx.form(
        rx.vstack(
            rx.grid(
                field("Hebrew title", "title_he", value=f["title_he"]), field("English title", "title_en", value=f["title_en"]),
                field("Artist (Hebrew / English)", "artist", value=f["artist"]),
                field("Show starts (Tel Aviv time)", "starts_at", value=f["starts_at"], type_="datetime-local"),
                field("Doors open", "doors_at", value=f["doors_at"], type_="datetime-local"),
                field("Capacity", "capacity", value=f["capacity"], type_="number"),
                field("Max tickets per order", "max_per_order", value=f["max_per_order"], type_="number"),
                select("Seating", "seating", ["standing", "seated"], f["seating"]),
                select("Age limit (0 = none)", "min_age", ["0", "16", "18", "21"], f["min_age"]),
                select("Status", "status", [s.value for s in ShowStatus], f["status"]),
                columns="3", spacing="3", width="100%",
            ),
            rx.vstack(rx.text("Hebrew description", size="1"),
                      rx.text_area(name="description_he", default_value=f["description_he"], dir="rtl", width="100%",
                                   rows="4"), width="100%"),
            rx.vstack(rx.text("English description", size="1"),
                      rx.text_area(name="description_en", default_value=f["description_en"], dir="ltr", width="100%",
                                   rows="4"), width="100%"),
            rx.hstack(checkbox("Public (visible on the site)", "is_public", f["is_public"] == "true"),
                      checkbox("Featured", "featured", f["featured"] == "true"),
                      checkbox("Waiting list when sold out", "waiting_list_enabled", f["waiting_list_enabled"] == "true"),
                      spacing="5"),
            rx.button("Save show", type="submit", id="save-show"),
            spacing="3", width="100%",
        ),
        on_submit=E.save, key=E.form_version.to_string(), width="100%",
    )


def tier_row(t: TierRow) -> rx.Component:
    return rx.table.row(
        cell(t.kind), cell(t.name_en), cell(t.name_he), cell(t.price), cell(t.allocation), cell(t.sold), cell(t.held),
        cell(t.sale_starts), cell(t.sale_ends), cell(t.per_customer_limit), cell(rx.cond(t.is_public, "yes", "no")),
        cell(rx.cond(E.powers.contains("shows.edit"), rx.hstack(
            rx.button("Edit", size="1", variant="soft", on_click=E.edit_tier(t.id)),
            rx.button("Delete", size="1", color_scheme="red", variant="soft", on_click=E.delete_tier(t.id))))),
    )


def tier_form() -> rx.Component:
    D = E.tier_draft
    return rx.form(
        rx.flex(
            rx.el.select(*[rx.el.option(k.value, value=k.value) for k in TierKind], name="kind",
                         default_value=D["kind"], aria_label="Kind"),
            rx.input(name="name_en", placeholder="English name", width="140px", default_value=D["name_en"],
                     aria_label="English name"),
            rx.input(name="name_he", placeholder="שם בעברית", dir="rtl", width="140px", default_value=D["name_he"],
                     aria_label="Hebrew name"),
            rx.input(name="price", placeholder="Price ₪", width="90px", default_value=D["price"], aria_label="Price"),
            rx.input(name="allocation", placeholder="Allocation", width="90px", default_value=D["allocation"],
                     aria_label="Allocation"),
            rx.input(name="sale_starts_at", type="datetime-local", default_value=D["starts"], aria_label="Sale starts"),
            rx.input(name="sale_ends_at", type="datetime-local", default_value=D["ends"], aria_label="Sale ends"),
            rx.input(name="per_customer_limit", placeholder="Per customer", width="100px", default_value=D["limit"],
                     aria_label="Per-customer limit"),
            rx.el.label(rx.el.input(type="checkbox", name="is_public", value="true",
                                    default_checked=D["public"] == "yes"), " public"),
            rx.button(rx.cond(E.editing_tier > 0, "Save tier #" + E.editing_tier.to_string(), "Add tier"), type="submit"),
            spacing="2", wrap="wrap", align="center",
        ),
        on_submit=E.save_tier, key="tier-" + E.form_version.to_string(), reset_on_submit=True,
    )


def link_row(k: LinkRow) -> rx.Component:
    return rx.table.row(
        cell(rx.hstack(rx.code(k.url), rx.button("Copy", size="1", variant="soft",
                                                 on_click=rx.set_clipboard(k.url)))),
        cell(k.campaign), cell(k.tier), cell(k.price), cell(k.max_per_order), cell(k.allocation),
        cell(k.sold.to_string() + " sold / " + k.held.to_string() + " held"), cell(k.orders), cell(k.revenue),
        cell(k.valid_from), cell(k.valid_until),
        cell(rx.cond(k.active, rx.button("Disable", size="1", color_scheme="red", variant="soft",
                                         on_click=E.set_link(k.id, False)),
                     rx.button("Enable", size="1", variant="soft", on_click=E.set_link(k.id, True)))),
    )


def links_section() -> rx.Component:
    return section(
        "Secret links",
        rx.form(rx.flex(
            rx.el.select(rx.foreach(E.tiers, lambda t: rx.el.option(t.name_en, value=t.id.to_string())), name="tier_id"),
            rx.input(name="price", placeholder="Price ₪ (empty = tier)", width="150px"),
            rx.input(name="max_per_order", placeholder="Max per order", width="110px"),
            rx.input(name="allocation", placeholder="Allocation", width="100px"),
            rx.input(name="valid_from", type="datetime-local"), rx.input(name="valid_until", type="datetime-local"),
            rx.input(name="campaign", placeholder="Campaign label", dir="auto"),
            rx.button("Create link", type="submit"), spacing="2", wrap="wrap", align="center",
        ), on_submit=E.create_link, reset_on_submit=True),
        table(["URL", "Campaign", "Tier", "Price", "Max/order", "Allocation", "Counters", "Orders", "Revenue", "From",
               "Until", ""], rx.foreach(E.links, link_row)),
    )


def show_edit_page() -> rx.Component:
    p = E.preview
    return admin_page(
        E, "Show",
        rx.cond(~E.is_new, rx.hstack(
            rx.cond(E.powers.contains("shows.edit"), rx.hstack(
                rx.button("Duplicate", on_click=E.duplicate, variant="soft"),
                rx.button(rx.cond(E.form["is_public"] == "true", "Hide from site", "Show on site"),
                          on_click=E.toggle_public, variant="soft"),
                rx.button("Cancel show", on_click=E.cancel_show, color_scheme="red", variant="soft"))),
            rx.card(rx.vstack(rx.text("The public sees now:", size="1"),
                              rx.text(p.message_en, " · ", p.message_he, " ", p.price, weight="bold", id="preview-action"),
                              rx.text(p.code, ": ", p.reason, size="1", color_scheme="gray"))),
            spacing="4", align="center",
        )),
        details_form(),
        rx.cond(~E.is_new & E.powers.contains("shows.edit"), rx.vstack(
            rx.hstack(rx.cond(E.form["image"] != "", rx.image(src=E.form["image"], height="80px")),
                      rx.upload(rx.text("Drop a JPEG/PNG/WebP (≤ 5 MB) here or click"), id="show-image",
                                accept={"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/webp": [".webp"]},
                                max_files=1, border="1px dashed var(--gray-7)", padding="var(--space-3)"),
                      rx.button("Upload image", on_click=E.upload_image(rx.upload_files(upload_id="show-image"))),
                      align="center"),
        )),
        rx.cond(~E.is_new, section("Ticket tiers", table(
            ["Kind", "Name", "Hebrew", "Price", "Allocation", "Sold", "Held", "Sale starts", "Sale ends", "Per customer",
             "Public", ""], rx.foreach(E.tiers, tier_row)), rx.cond(E.powers.contains("shows.edit"), tier_form()))),
        rx.cond(~E.is_new & E.powers.contains("links.manage"), links_section()),
    )
