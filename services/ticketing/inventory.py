"""Holds: reserving tickets while a buyer pays, and turning them into sold tickets or giving them back.

A hold is taken in one transaction against everything that limits it at once: the tier's allocation,
the show-wide capacity, the secret link's allocation and the customer's limit. The state function
(`public_state`) decides *what* may be offered; the conditional UPDATEs in `store` decide, under the
row locks, whether the tickets still exist. See `store` for the lock order that keeps this deadlock-free.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import Connection
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, select

from services import clock
from services.db import get_engine, transaction
from services.errors import NotAllowed, NotFound, SoldOut, ValidationFailed
from services.models import Hold, HoldStatus, SecretLink, Show, TicketTier
from services.settings import get_settings
from services.ticketing import store
from services.ticketing.state import SOLD_OUT_CODES, Access, ShowState, TierOffer, is_public_tier, public_state
from services.ticketing.store import Target, TierFacts, release_expired_holds

__all__ = ["claim_hold_for_customer", "convert_hold", "normalize_customer_key", "release_expired_holds", "release_hold",
           "return_to_sale", "take_hold"]

_REFUSALS: dict[str, tuple[str, str]] = {
    "registration": ("Tickets for this show are not on sale yet.", "המכירה למופע זה טרם נפתחה."),
    "closed": ("Ticket sales for this show are closed.", "המכירה למופע זה סגורה."),
    "waiting_list": ("Ticket sales for this show are closed; you can join the waiting list.",
                     "המכירה למופע זה סגורה; ניתן להצטרף לרשימת ההמתנה."),
    "unavailable": ("Tickets for this show are not available.", "כרטיסים למופע זה אינם זמינים."),
    "tier": ("This ticket type is not on sale.", "סוג כרטיס זה אינו במכירה."),
    "link": ("This ticket link is not valid.", "קישור הכרטיסים אינו תקף."),
}


def normalize_customer_key(raw: str) -> str:
    """The per-customer-limit key: the email, trimmed and lower-cased (as orders store it)."""
    return (raw or "").strip().lower()


def _sold_out() -> SoldOut:
    return SoldOut("Sorry, these tickets are sold out.", "מצטערים, הכרטיסים אזלו.")


def _only_left(offer: TierOffer) -> SoldOut:
    """Fewer left than asked for: how many, of which tier (the page may list several)."""
    if offer.left == 1:
        return SoldOut(f"Only 1 {offer.name_en} ticket is left.", f"נותר כרטיס אחד בלבד מסוג {offer.name_he}.")
    return SoldOut(f"Only {offer.left} {offer.name_en} tickets are left.",
                   f"נותרו {offer.left} כרטיסים בלבד מסוג {offer.name_he}.")


def _refusal(state: ShowState, tier_id: int | None, tiers: list[TierFacts]) -> Exception:
    """The clear, bilingual refusal for a visitor the state offers nothing (or not this tier) to."""
    if state.code in SOLD_OUT_CODES:
        return _sold_out()
    if state.code == "customer_limit_reached":
        return ValidationFailed("quantity", "You have reached the ticket limit for this show.",
                                "הגעת למספר הכרטיסים המרבי למופע זה.")
    if state.link_problem not in ("", "show_not_selling") and state.action != "buy":
        return NotAllowed(*_REFUSALS["link"], code=state.link_problem)
    if state.action == "buy":
        return _tier_refusal(next((t for t in tiers if t.id == tier_id), None))
    return NotAllowed(*_REFUSALS[state.action], code=state.code)


def _tier_refusal(tier: TierFacts | None) -> Exception:
    """The show is on sale, but not this tier (sold out, outside its window, hidden, or another show's).

    With several tiers on the page, "sold out" alone reads as "the show is sold out": a public tier is
    named, and the buyer told another type can still be chosen. A hidden tier's name is never revealed.
    """
    sold_out = tier is not None and tier.sold + tier.held >= tier.allocation
    if tier is None or not is_public_tier(tier):
        return _sold_out() if sold_out else NotAllowed(*_REFUSALS["tier"], code="tier_not_offered")
    if sold_out:
        return SoldOut(f"{tier.name_en} tickets are sold out; please choose another ticket type.",
                       f"הכרטיסים מסוג {tier.name_he} אזלו; נא לבחור סוג כרטיס אחר.")
    return NotAllowed(f"{tier.name_en} tickets are not on sale right now; please choose another ticket type.",
                      f"כרטיסים מסוג {tier.name_he} אינם במכירה כרגע; נא לבחור סוג כרטיס אחר.",
                      code="tier_not_offered")


def _check_limits(offer: TierOffer, quantity: int) -> None:
    """Per-order / per-customer caps are the buyer's mistake (ValidationFailed); stock is SoldOut."""
    if quantity > offer.limit:
        raise ValidationFailed("quantity", f"You can take at most {offer.limit} tickets.",
                               f"ניתן לרכוש עד {offer.limit} כרטיסים.")
    if quantity > offer.left:
        raise _only_left(offer)


def _enforce_customer_limit(conn: Connection, tier_id: int, limit: int | None, key: str, quantity: int,
                            now: datetime) -> None:
    """Count, under a per-customer lock, what the customer already holds or bought of the tier."""
    if limit is None or not key:
        return
    store.lock_customer(conn, tier_id, key)
    taken = store.customer_taken(conn, tier_id, key, now)
    if taken + quantity > limit:
        allowed = max(0, limit - taken)
        raise ValidationFailed("quantity", f"You can take {allowed} more tickets of this type (limit "
                               f"{limit} per customer).",
                               f"ניתן לרכוש עוד {allowed} כרטיסים מסוג זה (עד {limit} ללקוח).")


def claim_hold_for_customer(session: Session, hold: Hold, customer: str, *, now: datetime | None = None) -> None:
    """Name the buyer of a hold taken anonymously (the show page does not know who is buying yet).

    Inside the caller's transaction (order creation), with the hold row locked: the tier's per-customer
    limit is checked against everything this customer already holds or bought, under the same per-customer
    lock take_hold uses, so a second tab or a second hold cannot slip past it.
    """
    key = normalize_customer_key(customer)
    if not key or hold.customer_key == key:
        return
    tier = session.get(TicketTier, hold.tier_id)
    _enforce_customer_limit(session.connection(), tier.id, tier.per_customer_limit, key, hold.quantity,
                            now or clock.now())
    hold.customer_key = key
    session.add(hold)


def return_to_sale(session: Session, *, show_id: int, tier_id: int, secret_link_id: int | None,
                   quantity: int) -> None:
    """Refunded or cancelled tickets go back on sale, inside the caller's transaction.

    After this, a tier's `sold` is its converted holds minus the seats returned; the waiting list and
    the public page see the seats at once.
    """
    if quantity > 0:
        store.return_sold(session.connection(), Target(show_id, tier_id, secret_link_id, quantity))


def _choose(state: ShowState, tier_id: int | None, via_link: bool, tiers: list[TierFacts]) -> TierOffer:
    offer = state.offer_for(tier_id, prefer_link=via_link)
    if state.action != "buy" or offer is None:
        raise _refusal(state, tier_id, tiers)
    return offer


class _LapsedSoldOut(SoldOut):
    """Sold out, but the show has lapsed holds: worth releasing them and trying once more."""


def _access(snapshot: store.Snapshot, secret_token: str | None, internal: bool) -> Access:
    if internal:
        return Access.staff()
    return Access.secret(snapshot.link) if secret_token else Access.public()


def _hold_object(hold_id: int, values: dict) -> Hold:
    """The inserted row as a Hold the caller can use in any session (detached: adding it never re-inserts)."""
    hold = Hold(id=hold_id, **values)
    make_transient_to_detached(hold)
    return hold


def _try_hold(show_id: int, tier_id: int | None, quantity: int, key: str, secret_token: str | None,
              internal: bool, now: datetime) -> Hold:
    """One attempt, in one transaction: decide the offer, then reserve it with the conditional UPDATEs."""
    with get_engine().begin() as conn:
        snapshot = store.load_snapshot(conn, show_id, now, secret_token)
        if snapshot is None:
            raise NotFound("This show does not exist.", "המופע אינו קיים.")
        try:
            state = public_state(snapshot.show, snapshot.tiers, now=now, access=_access(snapshot, secret_token, internal))
            offer = _choose(state, tier_id, bool(secret_token), snapshot.tiers)
            _check_limits(offer, quantity)
            if not internal:
                tier = next(t for t in snapshot.tiers if t.id == offer.tier_id)
                _enforce_customer_limit(conn, tier.id, tier.per_customer_limit, key, quantity, now)
            target = Target(show_id, offer.tier_id, offer.secret_link_id, quantity)
            if not store.take(conn, target):
                raise _sold_out()
        except SoldOut as refused:
            if snapshot.has_expired_holds:
                raise _LapsedSoldOut(refused.message_en, refused.message_he) from refused
            raise
        values = {"token": secrets.token_urlsafe(24), "show_id": show_id, "tier_id": offer.tier_id,
                  "secret_link_id": offer.secret_link_id, "customer_key": key, "quantity": quantity,
                  "unit_price": offer.price, "status": HoldStatus.ACTIVE, "created_at": now, "ended_at": None,
                  "expires_at": now + timedelta(minutes=get_settings().hold_minutes)}
        hold_id = store.insert_hold(conn, values)
    return _hold_object(hold_id, values)


def take_hold(*, show_id: int, tier_id: int | None, quantity: int, customer_key: str = "",
              secret_token: str | None = None, internal: bool = False, now: datetime | None = None) -> Hold:
    """Reserve `quantity` tickets for the hold time (setting `hold_minutes`), in its own transaction.

    `tier_id` None takes the tier the state function offers this visitor. Raises SoldOut when the tickets
    are gone (after releasing the show's lapsed holds once and retrying, when it has any), NotAllowed when
    the sale is not open to this visitor, ValidationFailed for a quantity over a per-order or per-customer cap.
    The transaction runs on SQLAlchemy Core: this is the hot path of a ticket drop (see bench/ticket_drop.py).
    """
    if not isinstance(quantity, int) or quantity < 1:
        raise ValidationFailed("quantity", "Please choose at least one ticket.", "נא לבחור לפחות כרטיס אחד.")
    now = now or clock.now()
    key = normalize_customer_key(customer_key)
    try:
        return _try_hold(show_id, tier_id, quantity, key, secret_token, internal, now)
    except _LapsedSoldOut as refused:
        if not release_expired_holds(now, show_id=show_id):
            raise SoldOut(refused.message_en, refused.message_he) from None
    try:
        return _try_hold(show_id, tier_id, quantity, key, secret_token, internal, now)
    except _LapsedSoldOut as refused:  # others lapsed meanwhile: still a plain "sold out" to the caller
        raise SoldOut(refused.message_en, refused.message_he) from None


def release_hold(hold_token: str, *, reason: str = "abandoned", now: datetime | None = None) -> bool:
    """Give a hold's tickets back (buyer left, payment failed, or `reason="expired"`). Idempotent.

    Returns True when this call released it; False when it was unknown or already converted/released.
    """
    now = now or clock.now()
    with transaction() as session:
        query = select(Hold).where(Hold.token == hold_token).with_for_update()
        hold = session.exec(query).first()
        if hold is None or hold.status != HoldStatus.ACTIVE:
            return False
        store.return_held(session.connection(), [store.target_of(hold)])
        hold.status = HoldStatus.EXPIRED if reason == "expired" else HoldStatus.RELEASED
        hold.ended_at = now
        session.add(hold)
    return True


def _expire_cached(session: Session, target: Target) -> None:
    """The counters changed behind the ORM's back: make any loaded show/tier/link re-read them."""
    for model, row_id in ((Show, target.show_id), (TicketTier, target.tier_id), (SecretLink, target.link_id)):
        cached = session.identity_map.get(session.identity_key(model, row_id)) if row_id is not None else None
        if cached is not None:
            session.expire(cached, ["sold", "held"])


def _retake_as_sold(session: Session, target: Target) -> bool:
    """A paid hold that had lapsed: take its tickets again, straight as sold, if the capacity is still there."""
    savepoint = session.begin_nested()
    if store.take(session.connection(), target, as_sold=True):
        savepoint.commit()
        return True
    savepoint.rollback()
    return False


def convert_hold(session: Session, hold: Hold, *, now: datetime | None = None) -> bool:
    """Inside the caller's (mark-paid) transaction: the hold's tickets become sold and the hold CONVERTED.

    A hold that already lapsed (expired or released) takes the capacity again as sold; when that capacity is
    gone it returns False and changes nothing, so the caller flags the paid order NEEDS_ATTENTION for staff.
    Converting a converted hold returns True and changes nothing.
    """
    now = now or clock.now()
    query = select(Hold).where(Hold.id == hold.id).with_for_update().execution_options(populate_existing=True)
    locked = session.exec(query).one()
    if locked.status == HoldStatus.CONVERTED:
        return True
    target = store.target_of(locked)
    if locked.status == HoldStatus.ACTIVE:
        store.held_to_sold(session.connection(), target)
    elif not _retake_as_sold(session, target):
        return False
    locked.status, locked.ended_at = HoldStatus.CONVERTED, now
    session.add(locked)
    session.flush()
    _expire_cached(session, target)
    if locked is not hold:
        hold.status, hold.ended_at = locked.status, locked.ended_at
    return True
