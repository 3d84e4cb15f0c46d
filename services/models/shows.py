"""Shows, their ticket tiers and secret links: what the venue sells."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from services.models.base import StrEnum, UTCDateTime, enum_field, trigram_index, utcnow


class Seating(StrEnum):
    STANDING = "standing"
    SEATED = "seated"


class ShowStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    CLOSED = "closed"  # sales closed by staff
    CANCELLED = "cancelled"
    INACTIVE = "inactive"


class TierKind(StrEnum):
    PRESALE = "presale"
    EARLY_BIRD = "early_bird"
    REGULAR = "regular"
    INTERNAL = "internal"


class Show(SQLModel, table=True):
    """One performance. Counters `sold` and `held` cap every tier together against `capacity`."""

    __table_args__ = (
        CheckConstraint("sold >= 0 AND held >= 0", name="show_counters_nonnegative"),
        CheckConstraint("sold + held <= capacity", name="show_within_capacity"),
        Index("ix_show_starts_at", "starts_at"),
        trigram_index("ix_show_title_he_trgm", "title_he"),
        trigram_index("ix_show_title_en_trgm", "title_en"),
        trigram_index("ix_show_artist_trgm", "artist"),
    )

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=120, unique=True, index=True)
    title_he: str = Field(max_length=200)
    title_en: str = Field(max_length=200)
    artist: str = Field(max_length=200, index=True)
    description_he: str = ""
    description_en: str = ""
    image: str = Field(default="", max_length=300)
    starts_at: datetime = Field(sa_type=UTCDateTime)
    doors_at: datetime = Field(sa_type=UTCDateTime)
    seating: Seating = enum_field(Seating, Seating.STANDING)
    capacity: int = Field(ge=0)
    sold: int = 0
    held: int = 0
    is_public: bool = True
    status: ShowStatus = enum_field(ShowStatus, ShowStatus.ACTIVE)
    featured: bool = False
    waiting_list_enabled: bool = False
    max_per_order: int = Field(default=6, ge=1)
    min_age: int = Field(default=0, ge=0, description="entry age limit: 0 none, else 16 / 18 / 21")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TicketTier(SQLModel, table=True):
    """A price and allocation within a show, open during its own sale window."""

    __table_args__ = (
        CheckConstraint("sold >= 0 AND held >= 0", name="tier_counters_nonnegative"),
        CheckConstraint("sold + held <= allocation", name="tier_within_allocation"),
        CheckConstraint("price >= 0", name="tier_price_nonnegative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    show_id: int = Field(foreign_key="show.id", index=True)
    kind: TierKind = enum_field(TierKind, TierKind.REGULAR)
    name_he: str = Field(max_length=120)
    name_en: str = Field(max_length=120)
    price: int = Field(description="agorot")
    allocation: int = Field(ge=0)
    sold: int = 0
    held: int = 0
    sale_starts_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sale_ends_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    per_customer_limit: int | None = None
    is_public: bool = True
    sort_order: int = 0


class SecretLink(SQLModel, table=True):
    """A private way in: its own tier or price, quantity, allocation, window and campaign."""

    __table_args__ = (
        CheckConstraint("sold >= 0 AND held >= 0", name="link_counters_nonnegative"),
        CheckConstraint("sold + held <= allocation", name="link_within_allocation"),
    )

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=64, unique=True, index=True)
    show_id: int = Field(foreign_key="show.id", index=True)
    tier_id: int = Field(foreign_key="tickettier.id")
    price: int | None = Field(default=None, description="agorot; overrides the tier's price")
    max_per_order: int = Field(default=2, ge=1)
    allocation: int = Field(ge=0)
    sold: int = 0
    held: int = 0
    valid_from: datetime | None = Field(default=None, sa_type=UTCDateTime)
    valid_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    campaign: str = Field(default="", max_length=120)
    active: bool = True
    created_by_id: int | None = Field(default=None, foreign_key="staffuser.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class HoldStatus(StrEnum):
    ACTIVE = "active"
    CONVERTED = "converted"
    RELEASED = "released"
    EXPIRED = "expired"


class Hold(SQLModel, table=True):
    """Tickets reserved for one buyer while they pay; counted in the tier, show and link `held`."""

    __table_args__ = (
        Index("ix_hold_active_expiry", "status", "expires_at"),
        UniqueConstraint("token", name="uq_hold_token"),
    )

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=64)
    show_id: int = Field(foreign_key="show.id", index=True)
    tier_id: int = Field(foreign_key="tickettier.id", index=True)
    secret_link_id: int | None = Field(default=None, foreign_key="secretlink.id")
    customer_key: str = Field(default="", max_length=200, index=True)
    quantity: int = Field(ge=1)
    unit_price: int
    status: HoldStatus = enum_field(HoldStatus, HoldStatus.ACTIVE)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WaitingKind(StrEnum):
    WAITING_LIST = "waiting_list"  # sold out: tell me if tickets come back
    REGISTRATION = "registration"  # not on sale yet: tell me when it opens


class WaitingListEntry(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("show_id", "email", "kind", name="uq_waiting_show_email"),)

    id: int | None = Field(default=None, primary_key=True)
    show_id: int = Field(foreign_key="show.id", index=True)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    kind: WaitingKind = enum_field(WaitingKind, WaitingKind.WAITING_LIST)
    name: str = Field(max_length=200)
    email: str = Field(max_length=254, index=True)
    phone: str = Field(default="", max_length=20)
    quantity: int = 1
    language: str = Field(default="he", max_length=2)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    notified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
