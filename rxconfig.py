"""Reflex configuration. Business settings live in services.settings; this only wires Reflex to them."""

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

from services.settings import get_settings

_settings = get_settings()

config = rx.Config(
    app_name="barby_app",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    # Several app workers share page state through Redis when REDIS_URL is set.
    redis_url=_settings.redis_url,
    api_url=_settings.backend_base_url,
    deploy_url=_settings.public_base_url,
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(appearance="dark", accent_color="crimson", radius="large"))],
    disable_plugins=[SitemapPlugin],
)
