"""One settings object for the whole platform, read from the environment (and `.env` if present).

Defaults are the embedded development shape: a SQLite file, no Redis (jobs run in-process), the
local payment sandbox and the local mail sink. Setting DATABASE_URL / REDIS_URL switches to
PostgreSQL and rq workers with no code change.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Everything that differs between a laptop, CI and the venue's production servers."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"

    database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'barby.db'}"
    redis_url: str | None = None
    rq_queue: str = "barby"

    public_base_url: str = "http://localhost:3000"
    # `make run` serves pages, the event socket and /api on one port (reflex --single-port).
    backend_base_url: str = "http://localhost:3000"

    # Payments. "sandbox" is the local PayPlus-compatible provider served by the app itself.
    payment_provider: Literal["sandbox", "payplus", "tranzila"] = "sandbox"
    payplus_base_url: str = ""
    payplus_api_key: str = "sandbox-api-key"
    payplus_secret_key: str = "sandbox-secret-key"
    payplus_payment_page_uid: str = "sandbox-page"
    tranzila_base_url: str = "https://api.tranzila.com"
    tranzila_terminal: str = ""
    tranzila_app_key: str = ""
    tranzila_secret: str = ""
    sandbox_enabled: bool = True

    # Mail: the embedded default is the local sink started beside the app.
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_tls: bool = False
    mail_from: str = "Barby <tickets@barby.co.il>"

    sms_provider: Literal["log", "http"] = "log"
    sms_gateway_url: str = ""
    sms_gateway_token: str = ""

    jwt_secret: str = "dev-only-change-me-in-production-0123456789"
    staff_session_hours: int = 12
    download_link_days: int = 30

    hold_minutes: int = Field(default=10, ge=1, le=120)
    # Gift cards: the amounts a customer may buy, in agorot, and the presets the page offers.
    gift_card_min_amount: int = Field(default=5000, ge=100)
    gift_card_max_amount: int = Field(default=200000, ge=100)
    gift_card_presets: list[int] = [10000, 20000, 30000, 50000]
    # Overrides of services.security.ratelimit.LIMITS by name, e.g. {"staff_sign_in_ip": "20/minute"}.
    rate_limits: dict[str, str] = {}
    media_dir: Path = PROJECT_ROOT / "var" / "media"
    timezone: str = "Asia/Jerusalem"
    default_language: Literal["he", "en"] = "he"

    @model_validator(mode="after")
    def _public_deployments_are_explicit(self) -> Settings:
        """A site on a real domain must say what it is, and never sign staff sessions with the dev secret.

        Without this, forgetting ENVIRONMENT=production would quietly leave the payment sandbox on.
        """
        host = urlparse(self.public_base_url).hostname or ""
        if host in ("localhost", "127.0.0.1", "::1") or host.endswith(".localhost"):
            return self
        if self.environment == "development":
            raise ValueError(f"PUBLIC_BASE_URL is {self.public_base_url}: set ENVIRONMENT=production for a public site")
        if self.jwt_secret.startswith("dev-only"):
            raise ValueError("set JWT_SECRET for a site on a public address")
        return self

    @model_validator(mode="after")
    def _production_is_safe(self) -> Settings:
        """Refuse to start production with development conveniences or published secrets left on."""
        if self.environment != "production":
            return self
        for refused, reason in self.production_problems():
            if refused:
                raise ValueError(reason)
        return self

    def production_problems(self) -> list[tuple[bool, str]]:
        """Every check production must pass, as (failed, why): docs/security.md lists the same checklist."""
        return [
            (self.payment_provider == "sandbox" or self.sandbox_enabled,
             "the payment sandbox cannot be enabled in production (it gives tickets away)"),
            (self.jwt_secret.startswith("dev-only"), "set JWT_SECRET in production"),
            (len(self.jwt_secret.encode()) < 32, "JWT_SECRET must be at least 32 bytes"),
            (self.database_url.startswith("sqlite"), "production runs on PostgreSQL: set DATABASE_URL"),
            (self.payment_provider == "payplus" and (self.payplus_api_key.startswith("sandbox-")
                                                     or self.payplus_secret_key.startswith("sandbox-")),
             "set the real PAYPLUS_API_KEY and PAYPLUS_SECRET_KEY (the defaults are published)"),
            (self.payment_provider == "tranzila" and not (self.tranzila_secret and self.tranzila_app_key),
             "set TRANZILA_APP_KEY and TRANZILA_SECRET"),
            (self.sms_provider == "log", "the log SMS gateway writes ticket links to a file: set SMS_PROVIDER=http"),
        ]

    @property
    def on_loopback(self) -> bool:
        """Whether customers reach this site only from this machine (a laptop, a test run)."""
        host = urlparse(self.public_base_url).hostname or ""
        return host in ("localhost", "127.0.0.1", "::1") or host.endswith(".localhost")

    @property
    def dev_tools_allowed(self) -> bool:
        """The payment sandbox and the mail viewer: development or test runs on a loopback address only.

        A staging site on a real address (ENVIRONMENT=test, say) must not hand out free tickets or show
        customers' mail, whatever else is set.
        """
        return self.environment in ("development", "test") and self.on_loopback

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith("postgresql")

    @property
    def sqlalchemy_url(self) -> str:
        """The URL with the psycopg 3 driver named, whatever form the operator wrote."""
        url = self.database_url
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings; tests clear the cache after changing the environment."""
    return Settings()
