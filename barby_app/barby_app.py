"""The Barby app: every page, the plain HTTP API mounted on the same backend, one theme."""

from __future__ import annotations

import reflex as rx

from barby_app.api import create_api
from barby_app.pages.home import index
from barby_app.state.home import HomeState
from barby_app.state.language import LanguageState

app = rx.App(
    html_lang="he",
    html_custom_attrs={"dir": "rtl"},
    api_transformer=create_api(),
    head_components=[rx.el.meta(name="viewport", content="width=device-width, initial-scale=1")],
)

app.add_page(index, route="/", title="Barby Tel Aviv · בארבי", on_load=[LanguageState.sync_document, HomeState.load])

from barby_app.pages.admin import register as register_admin  # noqa: E402 - the back office under /admin

register_admin(app)
