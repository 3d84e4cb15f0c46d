"""The foundation: migrations on both databases, the seed, and the small shared rules."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from alembic import command
from sqlmodel import func, select

from services.customers import normalize_phone, validate_israeli_id
from services.db import read_session, reset_engine
from services.errors import ValidationFailed
from services.models import GiftCard, GiftCardTransaction, Order, SecretLink, Show, StaffUser, Ticket, TicketTier
from services.seed import seed
from services.settings import Settings, get_settings
from tests.conftest import PG_ADMIN_URL
from tests.fixtures.database import alembic_config


def _round_trip(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    reset_engine()
    try:
        for target in ("head", "base", "head"):
            (command.upgrade if target == "head" else command.downgrade)(alembic_config(), target)
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
        reset_engine()


def test_migrations_round_trip_on_sqlite(tmp_path, monkeypatch) -> None:
    _round_trip(monkeypatch, f"sqlite:///{tmp_path / 'barby.db'}")


def test_migrations_round_trip_on_postgres(monkeypatch) -> None:
    name = f"barby_migr_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        _round_trip(monkeypatch, PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name)
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_seed_is_idempotent_and_consistent() -> None:
    first = seed()
    assert first == {"shows": 12, "staff": 4, "orders": 6, "gift_cards": 5}
    assert seed() == {"shows": 0, "staff": 0, "orders": 0, "gift_cards": 0}
    with read_session() as session:
        roles = {user.role for user in session.exec(select(StaffUser))}
        assert roles == {"admin", "manager", "box_office", "support"}
        for show in session.exec(select(Show)):
            tiers = session.exec(select(TicketTier).where(TicketTier.show_id == show.id)).all()
            assert show.sold == sum(t.sold for t in tiers) <= show.capacity
        tickets = session.exec(select(func.count()).select_from(Ticket)).one()
        ticket_orders = session.exec(select(func.count()).select_from(Order).where(Order.kind == "tickets")).one()
        assert tickets == 2 * ticket_orders
        assert session.exec(select(SecretLink)).one().token == "ravid-friends-2026"
        cards = session.exec(select(GiftCard).order_by(GiftCard.id)).all()
        assert [c.balance for c in cards] == [30000, 8000, 0, 15000, 50000]
        for card in cards:  # the ledger always sums to the balance
            assert card.balance == session.exec(select(func.sum(GiftCardTransaction.amount))
                                                .where(GiftCardTransaction.gift_card_id == card.id)).one()
        slugs = {s.slug: s for s in session.exec(select(Show))}
        assert slugs["noga-erez"].waiting_list_enabled and slugs["noga-erez"].sold == slugs["noga-erez"].capacity
        assert not slugs["teder-closing-party"].is_public


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("052-123-4567", "0521234567"), ("+972 52 123 4567", "0521234567"), ("00972521234567", "0521234567"),
     ("(03) 555-1234", "035551234"), ("972-54-7654321", "0547654321")],
)
def test_phone_numbers_are_normalised(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["", "12345", "052-123-456a", "+1 212 555 1234", "0121234567"])
def test_bad_phone_numbers_are_refused(raw: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        normalize_phone(raw)
    assert refused.value.field == "phone"


def test_israeli_id_check_digit() -> None:
    assert validate_israeli_id("000000018") == "000000018"
    assert validate_israeli_id("18") == "000000018"
    for bad in ("000000019", "12345678a", "1234567890", ""):
        with pytest.raises(ValidationFailed):
            validate_israeli_id(bad)


def test_production_refuses_the_sandbox() -> None:
    with pytest.raises(ValueError, match="sandbox"):
        Settings(environment="production", payment_provider="payplus", sandbox_enabled=True,
                 jwt_secret="x" * 40, database_url="postgresql://db/barby")
    Settings(environment="production", payment_provider="payplus", sandbox_enabled=False,
             jwt_secret="x" * 40, database_url="postgresql://db/barby", payplus_api_key="live-key",
             payplus_secret_key="live-secret", sms_provider="http")


def test_models_and_migrations_agree_on_postgres() -> None:
    """`alembic check`: autogenerate finds nothing to add or drop, so no index silently disappears."""
    command.check(alembic_config())


def test_a_public_address_needs_an_explicit_environment_and_secret() -> None:
    with pytest.raises(ValueError, match="ENVIRONMENT=production"):
        Settings(public_base_url="https://tickets.barby.co.il", environment="development")
    with pytest.raises(ValueError, match="JWT_SECRET"):
        Settings(public_base_url="https://staging.barby.co.il", environment="test")
    Settings(public_base_url="https://staging.barby.co.il", environment="test", jwt_secret="s" * 40)
    Settings(public_base_url="http://127.0.0.1:8123", environment="development")
