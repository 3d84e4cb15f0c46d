"""The back office's pages under /admin; `register(app)` adds them all (called from barby_app.py)."""

from __future__ import annotations

import reflex as rx

from barby_app.pages.admin.customers import customer_page
from barby_app.pages.admin.gift_cards import card_page
from barby_app.pages.admin.gift_cards import search_page as gift_card_search_page
from barby_app.pages.admin.orders import order_detail_page, search_page
from barby_app.pages.admin.shows import show_edit_page, shows_page
from barby_app.pages.admin.sign_in import sign_in_page
from barby_app.pages.admin.staff import staff_page
from barby_app.state.admin.customers import CustomerPageState
from barby_app.state.admin.gift_cards import GiftCardPageState, GiftCardSearchState
from barby_app.state.admin.orders import OrderPageState
from barby_app.state.admin.session import AdminState
from barby_app.state.admin.shows import ShowEditState, ShowListState
from barby_app.state.admin.staff import StaffState

CHECK = AdminState.check_session


def register(app: rx.App) -> None:
    """Every protected page first verifies the session on the server, then loads through guarded services."""
    app.add_page(sign_in_page, route="/admin", title="Barby · back office", on_load=AdminState.landing)
    app.add_page(search_page, route="/admin/orders", title="Orders · Barby back office", on_load=CHECK)
    app.add_page(order_detail_page, route="/admin/orders/[order_ref]", title="Order · Barby back office",
                 on_load=[CHECK, OrderPageState.load])
    app.add_page(customer_page, route="/admin/customers/[customer_ref]", title="Customer · Barby back office",
                 on_load=[CHECK, CustomerPageState.load])
    app.add_page(shows_page, route="/admin/shows", title="Shows · Barby back office", on_load=[CHECK, ShowListState.load])
    app.add_page(show_edit_page, route="/admin/shows/[show_ref]", title="Show · Barby back office",
                 on_load=[CHECK, ShowEditState.load])
    app.add_page(gift_card_search_page, route="/admin/gift-cards", title="Gift cards · Barby back office",
                 on_load=[CHECK, GiftCardSearchState.load])
    app.add_page(card_page, route="/admin/gift-cards/[card_ref]", title="Gift card · Barby back office",
                 on_load=[CHECK, GiftCardPageState.load])
    app.add_page(staff_page, route="/admin/staff", title="Staff · Barby back office", on_load=[CHECK, StaffState.load])
