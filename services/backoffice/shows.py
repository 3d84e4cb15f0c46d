"""Show management: list, create, edit, duplicate, hide, cancel; tiers; image upload; live preview.

Changes that would break tickets already sold (capacity or an allocation below what is sold or
held, deleting a tier with sales) are refused with a message saying why, and change nothing.
"""

from __future__ import annotations

import re
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists
from sqlmodel import Session, func, select

from services import audit
from services.backoffice import forms
from services.backoffice.search import show_matches
from services.clock import format_date, format_money, format_time, now
from services.db import read_session, transaction
from services.errors import NotFound, ValidationFailed
from services.media import save_show_image
from services.models import (
    Hold,
    HoldStatus,
    Order,
    Seating,
    SecretLink,
    Show,
    ShowStatus,
    StaffUser,
    TicketTier,
    TierKind,
    utcnow,
)
from services.staff.access import guarded
from services.staff.roles import can
from services.ticketing import public_state, release_expired_holds

MAX_IMAGE_BYTES = 5 * 1024 * 1024
IMAGE_TYPES = {b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}  # WebP is checked separately (RIFF....WEBP)
SHOW_FLAGS = ("is_public", "featured", "waiting_list_enabled")


@dataclass(frozen=True)
class ShowRow:
    id: int
    title: str
    title_he: str
    artist: str
    date: str
    status: str
    public: bool
    sold: int
    capacity: int
    public_action: str


@dataclass(frozen=True)
class TierRow:
    id: int
    kind: str
    name_he: str
    name_en: str
    price: str
    price_input: str
    allocation: int
    sold: int
    held: int
    sale_starts: str
    sale_ends: str
    per_customer_limit: str
    is_public: bool


@dataclass(frozen=True)
class Preview:
    action: str
    message_he: str
    message_en: str
    code: str
    reason: str
    price: str


def _load(session: Session, show_id: int) -> Show:
    show = session.get(Show, show_id)
    if show is None:
        raise NotFound("This show does not exist.", "המופע אינו קיים.")
    return show


_LIMIT_NAMES = {"capacity": ("Capacity", "הקיבולת"), "allocation": ("The allocation", "ההקצאה")}


def _refuse_below_taken(field: str, limit: int, taken: int) -> None:
    """A show's capacity or a tier's allocation may never drop below the tickets already sold or held."""
    if limit < taken:
        en, he = _LIMIT_NAMES[field]
        raise ValidationFailed(field, f"{en} cannot go below the {taken} tickets already sold or held.",
                               f"לא ניתן להקטין את {he} אל מתחת ל-{taken} הכרטיסים שכבר נמכרו או שמורים.")


@guarded("shows.view")
def list_shows(staff: StaffUser, *, query: str = "", include_past: bool = False) -> list[ShowRow]:
    """Shows by date (upcoming first unless past ones are asked for), optionally filtered by text.

    What the public sees for each row comes from the ticket engine's pure `public_state` over shows and
    tiers read in two statements, never a query per show (the list holds up to 500).
    """
    moment = now()
    shows, tiers, lapsed = _listed(query, include_past, moment)
    if lapsed:  # buyers who walked away: give their tickets back first, so no row says "sold out" for them
        release_expired_holds(moment)
        shows, tiers, _ = _listed(query, include_past, moment)
    by_show: dict[int, list[TicketTier]] = defaultdict(list)
    for tier in tiers:
        by_show[tier.show_id].append(tier)
    return [
        ShowRow(id=s.id, title=s.title_en, title_he=s.title_he, artist=s.artist,
                date=f"{format_date(s.starts_at, 'en')} {format_time(s.starts_at)}", status=str(s.status),
                public=s.is_public, sold=s.sold,
                capacity=s.capacity, public_action=public_state(s, by_show[s.id], now=moment).action)
        for s in shows
    ]


def _listed(query: str, include_past: bool, moment: datetime) -> tuple[list[Show], list[TicketTier], bool]:
    """The listed shows, all their tiers, and whether any of them has lapsed holds not yet given back."""
    lapsed = exists().where(Hold.show_id == Show.id, Hold.status == HoldStatus.ACTIVE, Hold.expires_at <= moment)
    statement = select(Show, lapsed.label("lapsed")).order_by(Show.starts_at)
    if not include_past:
        statement = statement.where(Show.starts_at > moment - timedelta(days=1))
    if query.strip():
        statement = statement.where(show_matches(query.strip()))
    with read_session() as session:
        rows = session.exec(statement.limit(500)).all()
        shows = [show for show, _ in rows]
        tiers = session.exec(select(TicketTier).where(TicketTier.show_id.in_([s.id for s in shows]))).all()
    return shows, list(tiers), any(has_lapsed for _, has_lapsed in rows)


def show_form_values(show: Show | None) -> dict[str, str]:
    """The edit form's values for a show (empty for a new one): everything as text."""
    if show is None:
        return {"title_he": "", "title_en": "", "artist": "", "description_he": "", "description_en": "",
                "starts_at": "", "doors_at": "", "seating": "standing", "capacity": "", "status": "draft",
                "max_per_order": "6", "min_age": "0", "image": "", "is_public": "", "featured": "",
                "waiting_list_enabled": ""}
    return {
        "title_he": show.title_he, "title_en": show.title_en, "artist": show.artist,
        "description_he": show.description_he, "description_en": show.description_en,
        "starts_at": forms.venue_input(show.starts_at), "doors_at": forms.venue_input(show.doors_at),
        "seating": str(show.seating), "capacity": str(show.capacity), "status": str(show.status),
        "max_per_order": str(show.max_per_order), "min_age": str(show.min_age), "image": show.image,
        **{name: "true" if getattr(show, name) else "" for name in SHOW_FLAGS},
    }


@guarded("shows.view")
def show_form(staff: StaffUser, show_id: int) -> dict[str, str]:
    with read_session() as session:
        return show_form_values(_load(session, show_id))


def _parse_show(values: dict[str, str]) -> dict[str, object]:
    """Checked, typed show fields from form text; raises ValidationFailed on the first problem."""
    starts = forms.venue_moment(values.get("starts_at"), "starts_at", "Show date and time")
    doors = forms.venue_moment(values.get("doors_at"), "doors_at", "Doors", optional=True) or starts - timedelta(hours=1)
    if doors > starts:
        raise ValidationFailed("doors_at", "Doors must open before the show starts.", "פתיחת הדלתות חייבת להיות לפני תחילת המופע.")
    seating, status = (values.get("seating") or "standing"), (values.get("status") or "draft")
    if seating not in set(Seating):
        raise ValidationFailed("seating", "Seating must be standing or seated.")
    if status not in set(ShowStatus):
        raise ValidationFailed("status", f"Status must be one of: {', '.join(ShowStatus)}.")
    return {
        "title_he": forms.text(values.get("title_he"), "title_he", "Hebrew title"),
        "title_en": forms.text(values.get("title_en"), "title_en", "English title"),
        "artist": forms.text(values.get("artist"), "artist", "Artist"),
        "description_he": forms.text(values.get("description_he"), "description_he", "Hebrew description",
                                     required=False, max_length=5000),
        "description_en": forms.text(values.get("description_en"), "description_en", "English description",
                                     required=False, max_length=5000),
        "starts_at": starts, "doors_at": doors, "seating": Seating(seating), "status": ShowStatus(status),
        "capacity": forms.whole_number(values.get("capacity"), "capacity", "Capacity", minimum=1),
        "max_per_order": forms.whole_number(values.get("max_per_order"), "max_per_order", "Max per order", minimum=1),
        "min_age": _age_limit(values.get("min_age")),
        **{name: forms.flag(values.get(name)) for name in SHOW_FLAGS},
    }


AGE_LIMITS = (0, 16, 18, 21)


def _age_limit(value: str | None) -> int:
    """The show's entry age: none (0), 16, 18 or 21; anything else is refused."""
    text = (value or "0").strip().rstrip("+")
    if not (text.isascii() and text.isdigit()) or int(text) not in AGE_LIMITS:
        raise ValidationFailed("min_age", "The age limit must be none, 16+, 18+ or 21+.",
                               "הגבלת הגיל חייבת להיות ללא, 16+, 18+ או 21+.")
    return int(text)


def _slug(session: Session, title: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:80] or "show"
    slug = base
    while session.exec(select(Show.id).where(Show.slug == slug)).first() is not None:
        slug = f"{base}-{secrets.token_hex(2)}"
    return slug


@guarded("shows.edit")
def save_show(staff: StaffUser, show_id: int | None, values: dict[str, str]) -> int:
    """Create (show_id None) or update a show; refuses a capacity below what is already sold or held."""
    fields = _parse_show(values)
    with transaction() as session:
        if show_id is None:
            show = Show(slug=_slug(session, str(fields["title_en"])), **fields)
            session.add(show)
            session.flush()
            action = "show.create"
        else:
            show = session.exec(select(Show).where(Show.id == show_id).with_for_update()).first()
            if show is None:
                raise NotFound("This show does not exist.", "המופע אינו קיים.")
            _refuse_below_taken("capacity", int(fields["capacity"]), show.sold + show.held)
            for name, value in fields.items():
                setattr(show, name, value)
            show.updated_at = utcnow()
            action = "show.update"
        audit.record(session, actor_type="staff", actor_id=staff.id, action=action, entity_type="show",
                     entity_id=show.id, fields={k: str(v) for k, v in fields.items() if not k.startswith("description")})
        return show.id


@guarded("shows.edit")
def duplicate_show(staff: StaffUser, show_id: int) -> int:
    """A hidden draft copy with the same details and tiers and nothing sold: the start of a new date."""
    with transaction() as session:
        original = _load(session, show_id)
        skip = {"id", "slug", "sold", "held", "created_at", "updated_at", "status", "is_public", "featured"}
        copy = Show(**{k: v for k, v in original.model_dump().items() if k not in skip},
                    slug=_slug(session, original.title_en + " copy"), status=ShowStatus.DRAFT, is_public=False)
        session.add(copy)
        session.flush()
        for tier in session.exec(select(TicketTier).where(TicketTier.show_id == show_id)).all():
            data = {k: v for k, v in tier.model_dump().items() if k not in {"id", "show_id", "sold", "held"}}
            session.add(TicketTier(show_id=copy.id, **data))
        audit.record(session, actor_type="staff", actor_id=staff.id, action="show.duplicate", entity_type="show",
                     entity_id=copy.id, source_show_id=show_id)
        return copy.id


@guarded("shows.edit")
def set_public(staff: StaffUser, show_id: int, public: bool) -> None:
    """Hide a show from (or show it again on) the public site; links and sold tickets are untouched."""
    with transaction() as session:
        show = _load(session, show_id)
        show.is_public, show.updated_at = public, utcnow()
        audit.record(session, actor_type="staff", actor_id=staff.id, action="show.show" if public else "show.hide",
                     entity_type="show", entity_id=show_id)


@guarded("shows.edit")
def cancel_show(staff: StaffUser, show_id: int, reason: str = "") -> None:
    """Stop all sales for good. Refunds of sold tickets are separate, deliberate actions per order."""
    with transaction() as session:
        show = _load(session, show_id)
        if show.status == ShowStatus.CANCELLED:
            raise ValidationFailed("status", "This show is already cancelled.", "המופע כבר בוטל.")
        show.status, show.updated_at = ShowStatus.CANCELLED, utcnow()
        audit.record(session, actor_type="staff", actor_id=staff.id, action="show.cancel", entity_type="show",
                     entity_id=show_id, reason=reason, sold=show.sold)


def _tier_row(tier: TicketTier) -> TierRow:
    return TierRow(
        id=tier.id, kind=str(tier.kind), name_he=tier.name_he, name_en=tier.name_en, price=format_money(tier.price),
        price_input=forms.shekels(tier.price), allocation=tier.allocation, sold=tier.sold, held=tier.held,
        sale_starts=forms.venue_input(tier.sale_starts_at), sale_ends=forms.venue_input(tier.sale_ends_at),
        per_customer_limit="" if tier.per_customer_limit is None else str(tier.per_customer_limit),
        is_public=tier.is_public,
    )


@guarded("shows.view")
def list_tiers(staff: StaffUser, show_id: int) -> list[TierRow]:
    with read_session() as session:
        _load(session, show_id)
        tiers = session.exec(select(TicketTier).where(TicketTier.show_id == show_id)
                             .order_by(TicketTier.sort_order, TicketTier.id)).all()
    rows = [_tier_row(t) for t in tiers]
    if not can(staff.role, "prices.view"):
        rows = [TierRow(**{**r.__dict__, "price": "—", "price_input": ""}) for r in rows]
    return rows


def _parse_tier(values: dict[str, str]) -> dict[str, object]:
    kind = values.get("kind") or "regular"
    if kind not in set(TierKind):
        raise ValidationFailed("kind", f"Tier kind must be one of: {', '.join(TierKind)}.")
    starts = forms.venue_moment(values.get("sale_starts_at"), "sale_starts_at", "Sale start", optional=True)
    ends = forms.venue_moment(values.get("sale_ends_at"), "sale_ends_at", "Sale end", optional=True)
    if starts and ends and ends <= starts:
        raise ValidationFailed("sale_ends_at", "The sale must end after it starts.", "סיום המכירה חייב להיות אחרי תחילתה.")
    return {
        "kind": TierKind(kind),
        "name_he": forms.text(values.get("name_he"), "name_he", "Hebrew tier name", max_length=120),
        "name_en": forms.text(values.get("name_en"), "name_en", "English tier name", max_length=120),
        "price": forms.agorot(values.get("price"), "price"),
        "allocation": forms.whole_number(values.get("allocation"), "allocation", "Allocation"),
        "sale_starts_at": starts, "sale_ends_at": ends,
        "per_customer_limit": forms.whole_number(values.get("per_customer_limit"), "per_customer_limit",
                                                 "Per-customer limit", minimum=1, optional=True),
        "is_public": forms.flag(values.get("is_public", "true")),
    }


@guarded("shows.edit")
def save_tier(staff: StaffUser, show_id: int, tier_id: int | None, values: dict[str, str]) -> int:
    """Add or change a tier; an allocation below what the tier already sold or holds is refused."""
    fields = _parse_tier(values)
    with transaction() as session:
        _load(session, show_id)
        if tier_id is None:
            count = session.exec(select(func.count()).select_from(TicketTier).where(TicketTier.show_id == show_id)).one()
            tier = TicketTier(show_id=show_id, sort_order=count, **fields)
            session.add(tier)
            session.flush()
        else:
            tier = session.exec(select(TicketTier).where(TicketTier.id == tier_id).with_for_update()).first()
            if tier is None or tier.show_id != show_id:
                raise NotFound("This ticket tier does not exist.", "סוג הכרטיס אינו קיים.")
            _refuse_below_taken("allocation", int(fields["allocation"]), tier.sold + tier.held)
            for name, value in fields.items():
                setattr(tier, name, value)
        audit.record(session, actor_type="staff", actor_id=staff.id, action="tier.save", entity_type="show",
                     entity_id=show_id, tier_id=tier.id, price=fields["price"], allocation=fields["allocation"])
        return tier.id


@guarded("shows.edit")
def delete_tier(staff: StaffUser, tier_id: int) -> None:
    """Remove a tier nobody bought; one with sales, holds, orders or secret links is refused."""
    with transaction() as session:
        tier = session.exec(select(TicketTier).where(TicketTier.id == tier_id).with_for_update()).first()
        if tier is None:
            raise NotFound("This ticket tier does not exist.", "סוג הכרטיס אינו קיים.")
        orders = session.exec(select(func.count()).select_from(Order).where(Order.tier_id == tier_id)).one()
        links = session.exec(select(func.count()).select_from(SecretLink).where(SecretLink.tier_id == tier_id)).one()
        if tier.sold or tier.held or orders:
            raise ValidationFailed("tier", f"“{tier.name_en}” has sales ({tier.sold} sold, {tier.held} held, {orders} orders) "
                                   "and cannot be deleted: set its allocation to what is sold or hide it instead.",
                                   f"ל“{tier.name_he}” יש מכירות ולכן אי אפשר למחוק אותו.")
        if links:
            raise ValidationFailed("tier", f"“{tier.name_en}” is used by {links} secret link(s): disable or delete those first.")
        session.delete(tier)
        audit.record(session, actor_type="staff", actor_id=staff.id, action="tier.delete", entity_type="show",
                     entity_id=tier.show_id, tier_id=tier_id, name=tier.name_en)


def image_extension(filename: str, data: bytes) -> str:
    """The real type of an uploaded image from its first bytes (not its name); refuses anything else."""
    if not data:
        raise ValidationFailed("image", "The file is empty.", "הקובץ ריק.")
    if len(data) > MAX_IMAGE_BYTES:
        raise ValidationFailed("image", f"The image is too large ({len(data) // 1024} KB): the limit is 5 MB.",
                               "התמונה גדולה מדי: המגבלה היא 5MB.")
    for magic, ext in IMAGE_TYPES.items():
        if data.startswith(magic):
            return ext
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    raise ValidationFailed("image", f"“{filename}” is not a JPEG, PNG or WebP image.", "הקובץ אינו תמונה מסוג JPEG, PNG או WebP.")


@guarded("shows.edit")
def upload_image(staff: StaffUser, show_id: int, filename: str, data: bytes) -> str:
    """Store a validated image under the media folder and point the show at it; returns its URL."""
    ext = image_extension(filename, data)
    with transaction() as session:
        show = _load(session, show_id)
        url = save_show_image(f"{show.slug}-{secrets.token_hex(4)}.{ext}", data)
        show.image, show.updated_at = url, utcnow()
        audit.record(session, actor_type="staff", actor_id=staff.id, action="show.image", entity_type="show",
                     entity_id=show_id, image=show.image, bytes=len(data))
        return show.image


@guarded("shows.view")
def preview(staff: StaffUser, show_id: int) -> Preview:
    """What the public sees for this show right now, as the ticket engine decides it, and why."""
    from services.ticketing import ACTION_MESSAGES, show_state

    state = show_state(show_id)
    he, en = ACTION_MESSAGES[state.action]
    price = format_money(state.price) if state.price is not None and can(staff.role, "prices.view") else ""
    return Preview(action=state.action, message_he=he, message_en=en, code=state.code, reason=state.reason, price=price)
