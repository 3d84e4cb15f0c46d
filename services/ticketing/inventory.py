"""Holds: reserving tickets while a buyer pays, and turning them into sold tickets or giving them back.

A hold is taken in one transaction against everything that limits it at once: the tier's allocation,
the show-wide capacity, the secret link's allocation and the customer's limit. The state function
(`public_state`) decides *what* may be offered; the conditional UPDATEs in `store` decide, under the
row locks, whether the tickets still exist. See `store` for the lock order that keeps this deadlock-free.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, select

from services import clock
from services.db import transaction
from services.errors import NotAllowed, NotFound, SoldOut, ValidationFailed
from services.models import Hold, HoldStatus, SecretLink, Show, TicketTier
from services.settings import get_settings
from services.ticketing import store
from services.ticketing.state import SOLD_OUT_CODES, Access, ShowState, TierOffer, public_state
from services.ticketing.store import Target, release_expired_holds

__all__ = ["convert_hold", "normalize_customer_key", "release_expired_holds", "release_hold", "take_hold"]

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


def _sold_out(left: int | None = None) -> SoldOut:
    if left:
        return SoldOut(f"Only {left} tickets are left.", f"נותרו {left} כרטיסים בלבד.")
    return SoldOut("Sorry, these tickets are sold out.", "מצטערים, הכרטיסים אזלו.")


def _refusal(state: ShowState, tier_id: int | None, tiers: list[TicketTier]) -> Exception:
    """The clear, bilingual refusal for a visitor the state offers nothing (or not this tier) to."""
    if state.code in SOLD_OUT_CODES:
        return _sold_out()
    if state.code == "customer_limit_reached":
        return ValidationFailed("quantity", "You have reached the ticket limit for this show.",
                                "הגעת למספר הכרטיסים המרבי למופע זה.")
    if state.link_problem and state.action != "buy":
        return NotAllowed(*_REFUSALS["link"], code=state.link_problem)
    if state.action == "buy":
        tier = next((t for t in tiers if t.id == tier_id), None)
        if tier is not None and tier.sold + tier.held >= tier.allocation:
            return _sold_out()
        return NotAllowed(*_REFUSALS["tier"], code="tier_not_offered")
    return NotAllowed(*_REFUSALS[state.action], code=state.code)


def _check_limits(offer: TierOffer, quantity: int) -> None:
    """Per-order / per-customer caps are the buyer's mistake (ValidationFailed); stock is SoldOut."""
    if quantity > offer.limit:
        raise ValidationFailed("quantity", f"You can take at most {offer.limit} tickets.",
                               f"ניתן לרכוש עד {offer.limit} כרטיסים.")
    if quantity > offer.left:
        raise _sold_out(offer.left)


def _enforce_customer_limit(session: Session, tier: TicketTier, key: str, quantity: int, now: datetime) -> None:
    """Count, under a per-customer lock, what the customer already holds or bought of the tier."""
    if tier.per_customer_limit is None or not key:
        return
    store.lock_customer(session, tier.id, key)
    taken = store.customer_taken(session, tier.id, key, now)
    if taken + quantity > tier.per_customer_limit:
        allowed = max(0, tier.per_customer_limit - taken)
        raise ValidationFailed("quantity", f"You can take {allowed} more tickets of this type (limit "
                               f"{tier.per_customer_limit} per customer).",
                               f"ניתן לרכוש עוד {allowed} כרטיסים מסוג זה (עד {tier.per_customer_limit} ללקוח).")


def _choose(state: ShowState, tier_id: int | None, via_link: bool, tiers: list[TicketTier]) -> TierOffer:
    offer = state.offer_for(tier_id, prefer_link=via_link)
    if state.action != "buy" or offer is None:
        raise _refusal(state, tier_id, tiers)
    return offer


def _try_hold(show_id: int, tier_id: int | None, quantity: int, key: str, secret_token: str | None,
              internal: bool, now: datetime) -> Hold:
    """One attempt, in one transaction: decide the offer, then reserve it with the conditional UPDATEs."""
    with transaction() as session:
        show = session.get(Show, show_id)
        if show is None:
            raise NotFound("This show does not exist.", "המופע אינו קיים.")
        tiers = store.load_tiers(session, show_id)
        link: SecretLink | None = store.load_link(session, secret_token) if secret_token else None
        access = Access.staff() if internal else Access.secret(link) if secret_token else Access.public()
        offer = _choose(public_state(show, tiers, now=now, access=access), tier_id, bool(secret_token), tiers)
        _check_limits(offer, quantity)
        tier = next(t for t in tiers if t.id == offer.tier_id)
        if not internal:
            _enforce_customer_limit(session, tier, key, quantity, now)
        target = Target(show_id, offer.tier_id, offer.secret_link_id, quantity)
        if not store.take(session, target):
            raise _sold_out()
        hold = Hold(token=secrets.token_urlsafe(24), show_id=show_id, tier_id=offer.tier_id,
                    secret_link_id=offer.secret_link_id, customer_key=key, quantity=quantity,
                    unit_price=offer.price, expires_at=now + timedelta(minutes=get_settings().hold_minutes),
                    created_at=now)
        session.add(hold)
        session.flush()
        return hold


def take_hold(*, show_id: int, tier_id: int | None, quantity: int, customer_key: str = "",
              secret_token: str | None = None, internal: bool = False, now: datetime | None = None) -> Hold:
    """Reserve `quantity` tickets for the hold time (setting `hold_minutes`), in its own transaction.

    `tier_id` None takes the tier the state function offers this visitor. Raises SoldOut when the tickets
    are gone (after releasing the show's expired holds once and retrying), NotAllowed when the sale is not
    open to this visitor, ValidationFailed for a quantity over a per-order or per-customer cap.
    """
    if not isinstance(quantity, int) or quantity < 1:
        raise ValidationFailed("quantity", "Please choose at least one ticket.", "נא לבחור לפחות כרטיס אחד.")
    now = now or clock.now()
    key = normalize_customer_key(customer_key)
    try:
        return _try_hold(show_id, tier_id, quantity, key, secret_token, internal, now)
    except SoldOut:
        if not release_expired_holds(now, show_id=show_id):
            raise
    return _try_hold(show_id, tier_id, quantity, key, secret_token, internal, now)


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
        store.return_held(session, [store.target_of(hold)])
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
    if store.take(session, target, as_sold=True):
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
        store.held_to_sold(session, target)
    elif not _retake_as_sold(session, target):
        return False
    locked.status, locked.ended_at = HoldStatus.CONVERTED, now
    session.add(locked)
    session.flush()
    _expire_cached(session, target)
    if locked is not hold:
        hold.status, hold.ended_at = locked.status, locked.ended_at
    return True
