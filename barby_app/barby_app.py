"""The Barby app: every page, the plain HTTP API mounted on the same backend, one theme."""

from __future__ import annotations

import contextlib

import reflex as rx

from barby_app.api import create_api
from barby_app.pages.admin import register as register_admin
from barby_app.pages.checkout import checkout_page
from barby_app.pages.dev_mail import dev_mail_page
from barby_app.pages.gift_cards import balance_page, gift_cards_page
from barby_app.pages.home import index
from barby_app.pages.info import account_page, contact_page, support_page
from barby_app.pages.order import order_page
from barby_app.pages.show import show_page
from barby_app.state.checkout import CheckoutState
from barby_app.state.dev_mail import DevMailState
from barby_app.state.gift_cards import GiftCardBalanceState, GiftCardsState
from barby_app.state.home import HomeState
from barby_app.state.language import LanguageState
from barby_app.state.order import OrderState
from barby_app.state.show import ShowState
from services.periodic import start_in_process
from services.settings import get_settings

app = rx.App(
    html_lang="he",
    html_custom_attrs={"dir": "rtl"},
    api_transformer=create_api(),
    head_components=[rx.el.meta(name="viewport", content="width=device-width, initial-scale=1")],
)



@contextlib.asynccontextmanager
async def periodic_jobs():
    """Without Redis (the embedded run) the backend itself runs the periodic jobs; with it, `rq cron` does."""
    if get_settings().redis_url:
        yield
        return
    stop = start_in_process()
    yield
    stop.set()


app.register_lifespan_task(periodic_jobs)

SYNC = LanguageState.sync_document
app.add_page(index, route="/", title="Barby Tel Aviv · בארבי", on_load=[SYNC, HomeState.load])
app.add_page(show_page, route="/shows/[slug]", title="Barby · הופעה", on_load=[SYNC, ShowState.load_public])
app.add_page(show_page, route="/s/[token]", title="Barby", on_load=[SYNC, ShowState.load_secret])
app.add_page(checkout_page, route="/checkout/[hold]", title="Barby · הזמנה", on_load=[SYNC, CheckoutState.load])
app.add_page(order_page, route="/order/[number]", title="Barby · הזמנה", on_load=[SYNC, OrderState.follow])
for route, component, title in (("/contact", contact_page, "צור קשר"), ("/support", support_page, "עזרה"),
                                ("/account", account_page, "האזור האישי")):
    app.add_page(component, route=route, title=f"Barby · {title}", on_load=SYNC)
app.add_page(balance_page, route="/gift-cards/balance", title="Barby · יתרת כרטיס מתנה",
             on_load=[SYNC, GiftCardBalanceState.clear])
app.add_page(gift_cards_page, route="/gift-cards", title="Barby · כרטיסי מתנה", on_load=[SYNC, GiftCardsState.load])
app.add_page(dev_mail_page, route="/dev/mail", title="Barby · mail sink", on_load=DevMailState.load)
register_admin(app)
