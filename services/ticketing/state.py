"""The public state of a show: the one place that decides what a visitor may buy right now.

`public_state` is a pure function of the show, its tiers (with their counters), the time and the
visitor's access, so pages, the back office, the chatbot and payments all get the same answer and
tests can drive it without a database. `show_state` is the convenience that loads those inputs.

The customer sees one simple action; `code` and `reason` tell staff why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from services import clock
from services.db import get_engine
from services.errors import NotFound
from services.models import SecretLink, Show, ShowStatus, TicketTier, TierKind
from services.ticketing import store
from services.ticketing.store import LinkFacts, ShowFacts, Snapshot, TierFacts

# The state function reads plain facts: ORM rows (tests, the back office) or the hot path's snapshots.
AnyShow = Show | ShowFacts
AnyTier = TicketTier | TierFacts
AnyLink = SecretLink | LinkFacts

Action = Literal["buy", "sold_out", "registration", "waiting_list", "closed", "unavailable"]
AccessKind = Literal["public", "secret_link", "internal"]
Window = Literal["not_open", "open", "ended"]

# Codes that mean "the tickets are gone" (a hold attempt answers SoldOut), as opposed to "not for you / not now".
SOLD_OUT_CODES = frozenset({"show_full", "tiers_sold_out", "link_sold_out"})

ACTION_MESSAGES: dict[str, tuple[str, str]] = {
    "buy": ("לרכישת כרטיסים", "Buy tickets"),
    "sold_out": ("הכרטיסים אזלו", "Sold out"),
    "registration": ("המכירה טרם נפתחה – הרשמו ונעדכן", "Sale not open yet – register to be told"),
    "waiting_list": ("הצטרפו לרשימת ההמתנה", "Join the waiting list"),
    "closed": ("המכירה סגורה", "Sales are closed"),
    "unavailable": ("לא זמין", "Unavailable"),
}


@dataclass(frozen=True)
class Access:
    """Who is asking: the public, the holder of a secret link, or staff selling internally.

    `link` is None with kind "secret_link" when the token presented matches no link.
    `taken` maps tier id to the tickets this customer already holds or bought (per-customer limits).
    """

    kind: AccessKind = "public"
    link: AnyLink | None = None
    taken: Mapping[int, int] = field(default_factory=dict)

    @classmethod
    def public(cls, taken: Mapping[int, int] | None = None) -> Access:
        return cls("public", None, dict(taken or {}))

    @classmethod
    def secret(cls, link: AnyLink | None, taken: Mapping[int, int] | None = None) -> Access:
        return cls("secret_link", link, dict(taken or {}))

    @classmethod
    def staff(cls) -> Access:
        return cls("internal")


@dataclass(frozen=True)
class TierOffer:
    """One way to buy: a tier at a price, how many are left for this visitor and the per-order cap.

    `max_quantity` = min(`left`, `limit`): `left` is stock (tier, show and link together),
    `limit` the per-order / per-customer cap regardless of stock.
    """

    tier_id: int
    kind: str
    name_he: str
    name_en: str
    price: int
    left: int
    limit: int
    secret_link_id: int | None = None

    @property
    def max_quantity(self) -> int:
        return max(0, min(self.left, self.limit))


@dataclass(frozen=True)
class ShowState:
    """What the customer sees (`action` and the primary offer) and why (`code`, `reason`) for staff."""

    show_id: int | None
    action: Action
    code: str
    reason: str
    offers: tuple[TierOffer, ...] = ()
    opens_at: datetime | None = None
    via: AccessKind = "public"
    link_problem: str = ""
    tier_id: int | None = None
    tier_kind: str | None = None
    tier_name_he: str = ""
    tier_name_en: str = ""
    price: int | None = None
    max_quantity: int = 0
    secret_link_id: int | None = None

    def message(self, language: str) -> str:
        he, en = ACTION_MESSAGES[self.action]
        return he if language == "he" else en

    def offer_for(self, tier_id: int | None, *, prefer_link: bool = True) -> TierOffer | None:
        """The offer for `tier_id` (None = the primary one), a secret-link offer first when there are two."""
        candidates = [o for o in self.offers if tier_id is None or o.tier_id == tier_id]
        if not prefer_link:
            candidates.sort(key=lambda o: o.secret_link_id is not None)
        return candidates[0] if candidates else None


def _state(show: AnyShow, action: Action, code: str, reason: str, offers: Sequence[TierOffer] = (), *,
           opens_at: datetime | None = None, via: AccessKind = "public", link_problem: str = "") -> ShowState:
    """Build a ShowState whose flat tier fields mirror the primary (first) offer."""
    first = offers[0] if offers else None
    return ShowState(
        show_id=show.id, action=action, code=code, reason=reason, offers=tuple(offers), opens_at=opens_at,
        via=via, link_problem=link_problem,
        tier_id=first.tier_id if first else None, tier_kind=first.kind if first else None,
        tier_name_he=first.name_he if first else "", tier_name_en=first.name_en if first else "",
        price=first.price if first else None, max_quantity=first.max_quantity if first else 0,
        secret_link_id=first.secret_link_id if first else None,
    )


def show_left(show: AnyShow) -> int:
    """Seats/standing places not sold or held, across every tier together."""
    return max(0, show.capacity - show.sold - show.held)


def tier_left(tier: AnyTier) -> int:
    return max(0, tier.allocation - tier.sold - tier.held)


def link_left(link: AnyLink) -> int:
    return max(0, link.allocation - link.sold - link.held)


def tier_window(tier: AnyTier, now: datetime) -> Window:
    """Where `now` falls in the tier's own sale window (open-ended on a side left empty)."""
    if tier.sale_starts_at is not None and now < tier.sale_starts_at:
        return "not_open"
    if tier.sale_ends_at is not None and now >= tier.sale_ends_at:
        return "ended"
    return "open"


def is_public_tier(tier: AnyTier) -> bool:
    return tier.is_public and tier.kind != TierKind.INTERNAL


def _sorted(tiers: Iterable[AnyTier]) -> list[AnyTier]:
    return sorted(tiers, key=lambda t: (t.sort_order, t.price, t.id or 0))


def _customer_cap(tier: AnyTier, taken: Mapping[int, int]) -> int | None:
    """Tickets this customer may still take of the tier, or None when the tier has no per-customer limit."""
    if tier.per_customer_limit is None:
        return None
    return max(0, tier.per_customer_limit - taken.get(tier.id or 0, 0))


def _offer(tier: AnyTier, *, left: int, limit: int, price: int | None = None, link_id: int | None = None) -> TierOffer:
    return TierOffer(tier_id=tier.id or 0, kind=str(tier.kind), name_he=tier.name_he, name_en=tier.name_en,
                     price=tier.price if price is None else price, left=left, limit=limit, secret_link_id=link_id)


def describe_tiers(show: AnyShow, tiers: Iterable[AnyTier], now: datetime) -> str:
    """One line per tier for staff: window, counters and what is left."""
    parts = [
        f"{t.name_en} ({t.kind}{'' if is_public_tier(t) else ', internal'}): {tier_window(t, now)}, "
        f"{t.sold} sold + {t.held} held of {t.allocation}"
        for t in _sorted(tiers)
    ]
    return f"show {show.sold} sold + {show.held} held of {show.capacity}; " + "; ".join(parts)


def _ended_state(show: AnyShow, code: str, reason: str, *, sold_out: bool, via: AccessKind = "public",
                 link_problem: str = "") -> ShowState:
    """Sold out or closed, turned into the waiting list when the show keeps one."""
    if show.waiting_list_enabled:
        return _state(show, "waiting_list", code, reason + "; waiting list open", via=via, link_problem=link_problem)
    return _state(show, "sold_out" if sold_out else "closed", code, reason, via=via, link_problem=link_problem)


def _gate(show: AnyShow, now: datetime) -> ShowState | None:
    """Show-level refusals that no public visitor or link gets past."""
    if show.status in (ShowStatus.CANCELLED, ShowStatus.DRAFT, ShowStatus.INACTIVE):
        return _state(show, "unavailable", f"show_{show.status}", f"show is {show.status}")
    if now >= show.starts_at:
        return _state(show, "closed", "show_started", "the show has started: online sales are over")
    if show.status == ShowStatus.CLOSED:
        return _ended_state(show, "closed_by_staff", "sales closed by staff", sold_out=False)
    return None


def _public(show: AnyShow, tiers: Sequence[AnyTier], now: datetime, taken: Mapping[int, int]) -> ShowState:
    """The state every anonymous visitor sees: public tiers, in their windows, within every allocation."""
    if (gated := _gate(show, now)) is not None:
        return gated
    if not show.is_public:
        return _state(show, "unavailable", "hidden", "show is not public (sold only through links or internally)")
    public = [t for t in _sorted(tiers) if is_public_tier(t)]
    if not public:
        return _state(show, "unavailable", "no_public_tiers", "the show has no public ticket tier")
    whole = show_left(show)
    summary = describe_tiers(show, tiers, now)
    offers = []
    for tier in public:
        if tier_window(tier, now) == "open" and (left := min(tier_left(tier), whole)) > 0:
            cap = _customer_cap(tier, taken)
            offers.append(_offer(tier, left=left, limit=show.max_per_order if cap is None else min(show.max_per_order, cap)))
    buyable = [o for o in offers if o.max_quantity > 0]
    if buyable:
        return _state(show, "buy", f"on_sale_{buyable[0].kind}", f"on sale: {buyable[0].kind}; {summary}", buyable)
    if offers:
        return _state(show, "unavailable", "customer_limit_reached",
                      f"this customer reached the per-customer limit; {summary}")
    if whole == 0:
        return _ended_state(show, "show_full", f"show capacity reached; {summary}", sold_out=True)
    upcoming = [t for t in public if tier_window(t, now) == "not_open" and tier_left(t) > 0]
    if upcoming:
        opens = min(t.sale_starts_at for t in upcoming if t.sale_starts_at is not None)
        return _state(show, "registration", "not_open_yet", f"next sale opens {opens.isoformat()}; {summary}",
                      opens_at=opens)
    if all(tier_left(t) == 0 for t in public):
        return _ended_state(show, "tiers_sold_out", f"every public tier is sold out; {summary}", sold_out=True)
    return _ended_state(show, "sale_closed", f"every sale window has closed; {summary}", sold_out=False)


def _link_problem(show: AnyShow, link: AnyLink | None, tiers: Sequence[AnyTier], now: datetime) -> str:
    """Why a presented secret link cannot sell right now ("" when it can)."""
    if link is None:
        return "unknown_link"
    if link.show_id != show.id:
        return "other_show"
    if not link.active:
        return "link_inactive"
    if link.valid_from is not None and now < link.valid_from:
        return "link_not_yet_valid"
    if link.valid_until is not None and now >= link.valid_until:
        return "link_expired"
    if not any(t.id == link.tier_id for t in tiers):
        return "link_tier_missing"
    return ""


def _with_problem(state: ShowState, problem: str) -> ShowState:
    return replace(state, link_problem=problem, reason=f"secret link: {problem}; {state.reason}")


def _secret(show: AnyShow, tiers: Sequence[AnyTier], link: AnyLink | None, now: datetime,
            taken: Mapping[int, int]) -> ShowState:
    """A valid link overrides the public state for its holder only: its tier, price, quantity and allocation.

    The link's own window replaces the tier's sale window (private access outside the public sale), but
    staff closure, cancellation and the show starting still stop it. Public offers follow the link's.
    """
    if (gated := _gate(show, now)) is not None:
        return _with_problem(gated, "show_not_selling" if link is not None else "unknown_link")
    public = _public(show, tiers, now, taken)
    if problem := _link_problem(show, link, tiers, now):
        return _with_problem(public, problem)
    assert link is not None
    tier = next(t for t in tiers if t.id == link.tier_id)
    left = min(link_left(link), tier_left(tier), show_left(show))
    if left == 0:
        if public.action == "buy":
            return _with_problem(public, "link_sold_out")
        return _state(show, "sold_out", "link_sold_out", f"secret link '{link.campaign}' has no tickets left; "
                      f"link {link.sold} sold + {link.held} held of {link.allocation}; {public.reason}",
                      via="secret_link", link_problem="link_sold_out")
    cap = _customer_cap(tier, taken)
    limit = min(link.max_per_order, cap if cap is not None else link.max_per_order)
    if limit == 0:
        return _state(show, "unavailable", "customer_limit_reached", "this customer reached the per-customer limit",
                      via="secret_link")
    offer = _offer(tier, left=left, limit=limit, price=link.price, link_id=link.id)
    others = public.offers if public.action == "buy" else ()
    return _state(show, "buy", "secret_link", f"secret link '{link.campaign}' (public: {public.code}); "
                  f"link {link.sold} sold + {link.held} held of {link.allocation}", (offer, *others), via="secret_link")


def _internal(show: AnyShow, tiers: Sequence[AnyTier], now: datetime) -> ShowState:
    """Staff selling inside the venue: any tier, any window, no per-order caps; never past an allocation."""
    if show.status in (ShowStatus.CANCELLED, ShowStatus.DRAFT, ShowStatus.INACTIVE):
        return _state(show, "unavailable", f"show_{show.status}", f"show is {show.status}", via="internal")
    whole = show_left(show)
    offers = [_offer(t, left=left, limit=left) for t in _sorted(tiers) if (left := min(tier_left(t), whole)) > 0]
    summary = describe_tiers(show, tiers, now)
    if offers:
        return _state(show, "buy", "internal_sale", f"internal staff sale; {summary}", offers, via="internal")
    code = "show_full" if whole == 0 else "tiers_sold_out"
    return _state(show, "sold_out", code, f"nothing left to sell; {summary}", via="internal")


def public_state(show: AnyShow, tiers: Sequence[AnyTier], *, now: datetime, access: Access | None = None) -> ShowState:
    """What this visitor sees for `show` at `now`: buy (with offers), sold out, registration, waiting list,
    closed or unavailable. Pure: it reads the counters it is given and changes nothing.
    """
    access = access or Access.public()
    tiers = [t for t in tiers if t.show_id == show.id]
    if access.kind == "internal":
        return _internal(show, tiers, now)
    if access.kind == "secret_link":
        return _secret(show, tiers, access.link, now, access.taken)
    return _public(show, tiers, now, access.taken)


def _load(show: int | str, now: datetime, token: str | None, customer_key: str) -> tuple[Snapshot, dict[int, int]]:
    with get_engine().connect() as conn:
        snapshot = store.load_snapshot(conn, show, now, token)
        if snapshot is None:
            raise NotFound("This show does not exist.", "המופע אינו קיים.")
        taken = {t.id: store.customer_taken(conn, t.id, customer_key, now)
                 for t in snapshot.tiers if t.per_customer_limit is not None and customer_key}
    return snapshot, taken


def show_state(show: int | str, *, secret_token: str | None = None, internal: bool = False,
               now: datetime | None = None, customer_key: str = "") -> ShowState:
    """Load a show (by id or slug) and answer `public_state` for this visitor.

    Reading releases the show's lapsed holds first (when it has any), so a page never shows "sold out"
    because of buyers who walked away. `customer_key` (the email) applies per-customer limits.
    """
    now = now or clock.now()
    key = customer_key.strip().lower()
    snapshot, taken = _load(show, now, secret_token, key)
    if snapshot.has_expired_holds:
        store.release_expired_holds(now, show_id=snapshot.show.id)
        snapshot, taken = _load(snapshot.show.id, now, secret_token, key)
    if internal:
        access = Access.staff()
    else:
        access = Access.secret(snapshot.link, taken) if secret_token else Access.public(taken)
    return public_state(snapshot.show, snapshot.tiers, now=now, access=access)
