"""What production refuses to start with, and dev tools that exist only on a developer's own machine."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.payments.sandbox import BANK, sandbox_allowed
from services.settings import Settings, get_settings

SAFE = dict(environment="production", jwt_secret="x" * 40, database_url="postgresql://db/barby",
            payment_provider="payplus", sandbox_enabled=False, payplus_api_key="live-key",
            payplus_secret_key="live-secret", sms_provider="http", public_base_url="https://tickets.barby.co.il")


def test_a_safe_production_configuration_starts() -> None:
    Settings(**SAFE)


@pytest.mark.parametrize("change, reason", [
    ({"payplus_api_key": "sandbox-api-key"}, "PAYPLUS_API_KEY"),
    ({"payplus_secret_key": "sandbox-secret-key"}, "PAYPLUS_SECRET_KEY"),
    ({"payment_provider": "tranzila", "tranzila_app_key": "app", "tranzila_secret": ""}, "TRANZILA_SECRET"),
    ({"jwt_secret": "short-but-not-the-dev-one"}, "at least 32 bytes"),
    ({"sms_provider": "log"}, "log SMS gateway"),
    ({"sandbox_enabled": True}, "sandbox"),
])
def test_production_refuses_published_secrets_and_dev_conveniences(change: dict, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        Settings(**{**SAFE, **change})


@pytest.mark.parametrize("environment, base, allowed", [
    ("development", "http://localhost:3000", True),
    ("test", "http://127.0.0.1:8123", True),
    ("test", "https://staging.barby.co.il", False),  # a staging site on a real address: no free tickets
    ("production", "https://tickets.barby.co.il", False),
])
def test_the_sandbox_and_mail_viewer_exist_only_on_a_developers_machine(environment, base, allowed) -> None:
    extra = SAFE if environment == "production" else {"jwt_secret": "s" * 40}
    settings = Settings(**{**extra, "environment": environment, "public_base_url": base,
                           "sandbox_enabled": environment != "production"})
    assert settings.dev_tools_allowed is allowed and sandbox_allowed(settings) is allowed


def test_the_dev_mail_routes_are_gone_on_a_public_address(http, monkeypatch) -> None:
    assert http.get("/api/dev/mail").status_code == 200
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://staging.barby.co.il")
    monkeypatch.setenv("JWT_SECRET", "s" * 40)
    get_settings.cache_clear()
    try:
        assert http.get("/api/dev/mail").status_code == 404
    finally:
        get_settings.cache_clear()


def test_the_sandbox_sends_buyers_and_callbacks_only_to_our_own_site() -> None:
    base = get_settings().public_base_url.rstrip("/")
    ours = {"payment_page_uid": "p", "amount": 10, "currency_code": "ILS", "refURL_success": f"{base}/order/B-1",
            "refURL_failure": f"{base}/order/B-1", "refURL_callback": f"{base}/api/payments/payplus/callback"}
    assert BANK.generate_link("secret", ours, base)["results"]["status"] == "success"
    for key in ("refURL_success", "refURL_failure", "refURL_callback"):
        answer = BANK.generate_link("secret", {**ours, key: "https://evil.example/steal"}, base)
        assert answer["results"]["status"] == "error" and key in answer["results"]["description"]


def test_the_demo_seed_refuses_to_run_in_production(monkeypatch) -> None:
    from services.seed import seed

    for name, value in {"ENVIRONMENT": "production", "SANDBOX_ENABLED": "false", "PAYMENT_PROVIDER": "payplus",
                        "JWT_SECRET": "x" * 40, "PAYPLUS_API_KEY": "k", "PAYPLUS_SECRET_KEY": "s",
                        "SMS_PROVIDER": "http", "PUBLIC_BASE_URL": "https://tickets.barby.co.il"}.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        with pytest.raises(SystemExit, match="published passwords"):
            seed()
    finally:
        get_settings.cache_clear()
