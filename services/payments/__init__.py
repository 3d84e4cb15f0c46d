"""The payment room's providers: PayPlus, Tranzila and the local PayPlus-compatible sandbox.

`get_provider()` builds the configured adapter; callbacks name their provider by URL and are
checked by the adapter for that protocol (`provider_for_callback`).
"""

from __future__ import annotations

from services.payments.base import (
    CallbackCheck,
    CallbackRequest,
    PageRequest,
    PaymentPage,
    PaymentProvider,
    ProviderError,
    ProviderOutcomeUnknown,
    RefundResult,
    TxnState,
    TxnStatus,
)
from services.payments.payplus import PayPlusProvider
from services.payments.sandbox import API_PREFIX, sandbox_allowed
from services.payments.tranzila import TranzilaProvider
from services.settings import Settings, get_settings

__all__ = [
    "CallbackCheck", "CallbackRequest", "PageRequest", "PaymentPage", "PaymentProvider", "ProviderError", "ProviderOutcomeUnknown",
    "RefundResult", "TxnState", "TxnStatus", "callback_url", "get_provider", "provider_for_callback",
]

CALLBACK_PATHS = {"payplus": "/api/payments/payplus/callback", "tranzila": "/api/payments/tranzila/notify"}


def get_provider(name: str | None = None, settings: Settings | None = None) -> PaymentProvider:
    """The adapter for `name` (default: the configured provider), built from settings."""
    settings = settings or get_settings()
    name = name or settings.payment_provider
    if name in ("sandbox", "payplus"):
        return PayPlusProvider(
            name=name,
            base_url=_payplus_base_url(name, settings),
            api_key=settings.payplus_api_key,
            secret_key=settings.payplus_secret_key,
            payment_page_uid=settings.payplus_payment_page_uid,
        )
    if name == "tranzila":
        return TranzilaProvider(
            terminal=settings.tranzila_terminal,
            app_key=settings.tranzila_app_key,
            secret=settings.tranzila_secret,
            api_base_url=settings.tranzila_base_url,
        )
    raise ProviderError(f"Unknown payment provider {name!r}.")


def provider_for_callback(protocol: str, settings: Settings | None = None) -> PaymentProvider | None:
    """The configured adapter when it speaks `protocol` ("payplus" covers the sandbox); else None."""
    settings = settings or get_settings()
    configured = settings.payment_provider
    speaks = "payplus" if configured in ("sandbox", "payplus") else configured
    return get_provider(configured, settings) if speaks == protocol else None


def callback_url(provider_name: str, settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    protocol = "payplus" if provider_name in ("sandbox", "payplus") else provider_name
    return f"{settings.backend_base_url.rstrip('/')}{CALLBACK_PATHS[protocol]}"


def _payplus_base_url(name: str, settings: Settings) -> str:
    """An empty PAYPLUS_BASE_URL means the app's own sandbox, which production never has."""
    if settings.payplus_base_url:
        return settings.payplus_base_url
    if name == "payplus" or not sandbox_allowed(settings):
        raise ProviderError("PAYPLUS_BASE_URL is not set and the sandbox is not available here.")
    return f"{settings.backend_base_url.rstrip('/')}{API_PREFIX}"
