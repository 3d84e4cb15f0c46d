"""The sandbox bank: a local stand-in for PayPlus with the same API, hosted page and signed callbacks.

It is a separate "third party" with its own books: in memory for the embedded single-process run, in
Redis when REDIS_URL is set (then Reflex runs several backend workers, and any of them may be asked
about a page another created). A restart of the in-memory books forgets open pages. It authenticates the merchant's api-key / secret-key like PayPlus does,
and signs callbacks with the merchant's secret exactly as documented for PayPlus (see payplus.py).
Test cards decide what happens, including the hard cases a real provider produces:

    4111 1111 1111 1111  approve, callback sent before the customer is redirected
    4000 0000 0000 0002  decline (a failure callback is sent)
    4000 0000 0000 0010  approve, callback late (after the redirect; held until released)
    4000 0000 0000 0028  approve, callback sent twice
    4000 0000 0000 0036  approve, callback never sent
    "Google Pay" button  approve, like the first card

It only exists outside production: see `sandbox_allowed()`.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from services.payments.payplus import APPROVED_CODE, sign_body
from services.settings import Settings, get_settings

API_PREFIX = "/sandbox/payplus/api/v1.0"
PAGE_PREFIX = "/sandbox/payplus/page"
DECLINED_CODE = "001"


class Behaviour(StrEnum):
    APPROVE = "approve"
    DECLINE = "decline"
    LATE = "approve_callback_late"
    TWICE = "approve_callback_twice"
    NEVER = "approve_callback_never"


TEST_CARDS: dict[str, tuple[Behaviour, str]] = {
    "4111111111111111": (Behaviour.APPROVE, "Approved; callback before the redirect"),
    "4000000000000002": (Behaviour.DECLINE, "Declined"),
    "4000000000000010": (Behaviour.LATE, "Approved; callback arrives late (after the redirect)"),
    "4000000000000028": (Behaviour.TWICE, "Approved; callback arrives twice"),
    "4000000000000036": (Behaviour.NEVER, "Approved; callback never arrives"),
}


def sandbox_allowed(settings: Settings | None = None) -> bool:
    """Only for development and tests on a loopback address (the production validator refuses it too)."""
    settings = settings or get_settings()
    return settings.sandbox_enabled and settings.dev_tools_allowed


def _ours(url: str) -> bool:
    """A return or callback URL on our own public or backend base (the sandbox redirects nowhere else)."""
    settings = get_settings()
    return any(url.startswith(base.rstrip("/") + "/") for base in (settings.public_base_url, settings.backend_base_url))


@dataclass(frozen=True)
class Delivery:
    """One signed callback for the HTTP layer to POST."""

    url: str
    body: bytes
    headers: dict[str, str]


@dataclass
class SandboxPage:
    uid: str
    secret: str
    request: dict[str, Any]
    status: str = "open"  # open / approved / declined
    transaction: dict[str, Any] | None = None
    refunded: Decimal = Decimal("0")
    held: list[Delivery] = field(default_factory=list)


@dataclass(frozen=True)
class PayOutcome:
    redirect_url: str
    deliver_now: list[Delivery]
    held: bool


class _MemoryBooks:
    """Pages in this process's memory (the embedded run: one process)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.pages: dict[str, SandboxPage] = {}
        self.by_txn: dict[str, str] = {}

    def locked(self) -> threading.Lock:
        return self._lock

    def get(self, uid: str) -> SandboxPage | None:
        return self.pages.get(uid)

    def put(self, page: SandboxPage) -> None:
        self.pages[page.uid] = page

    def page_for_txn(self, txn_uid: str) -> str:
        return self.by_txn.get(txn_uid, "")

    def index_txn(self, txn_uid: str, uid: str) -> None:
        self.by_txn[txn_uid] = uid

    def forget_all(self) -> None:
        self.pages.clear()
        self.by_txn.clear()


class _RedisBooks:
    """Pages in Redis, shared by every backend worker; a Redis lock serialises changes like the memory lock."""

    TTL = 7 * 24 * 3600

    def __init__(self, url: str, namespace: str) -> None:
        import redis

        self.redis = redis.Redis.from_url(url)
        self.prefix = f"{namespace}:sandbox"  # the app's queue name: two apps on one Redis keep apart

    def locked(self):
        return self.redis.lock(f"{self.prefix}:lock", timeout=30, blocking_timeout=30)

    def get(self, uid: str) -> SandboxPage | None:
        raw = self.redis.get(f"{self.prefix}:page:{uid}")
        return _page_from_json(raw) if raw else None

    def put(self, page: SandboxPage) -> None:
        self.redis.set(f"{self.prefix}:page:{page.uid}", _page_to_json(page), ex=self.TTL)

    def page_for_txn(self, txn_uid: str) -> str:
        raw = self.redis.get(f"{self.prefix}:txn:{txn_uid}")
        return raw.decode() if raw else ""

    def index_txn(self, txn_uid: str, uid: str) -> None:
        self.redis.set(f"{self.prefix}:txn:{txn_uid}", uid, ex=self.TTL)

    def forget_all(self) -> None:
        keys = [*self.redis.scan_iter(f"{self.prefix}:page:*"), *self.redis.scan_iter(f"{self.prefix}:txn:*")]
        if keys:
            self.redis.delete(*keys)


def _page_to_json(page: SandboxPage) -> str:
    return json.dumps({
        "uid": page.uid, "secret": page.secret, "request": page.request, "status": page.status,
        "transaction": page.transaction, "refunded": str(page.refunded),
        "held": [{"url": d.url, "body": base64.b64encode(d.body).decode(), "headers": d.headers} for d in page.held],
    })


def _page_from_json(raw: bytes) -> SandboxPage:
    data = json.loads(raw)
    held = [Delivery(url=d["url"], body=base64.b64decode(d["body"]), headers=d["headers"]) for d in data["held"]]
    return SandboxPage(uid=data["uid"], secret=data["secret"], request=data["request"], status=data["status"],
                       transaction=data["transaction"], refunded=Decimal(data["refunded"]), held=held)


class SandboxBank:
    """The sandbox's books: page requests and their transactions, safe across threads and workers."""

    def __init__(self) -> None:
        self._memory = _MemoryBooks()
        self._redis: dict[str, _RedisBooks] = {}

    def _books(self) -> _MemoryBooks | _RedisBooks:
        settings = get_settings()
        if not settings.redis_url:
            return self._memory
        key = f"{settings.redis_url} {settings.rq_queue}"
        if key not in self._redis:
            self._redis[key] = _RedisBooks(settings.redis_url, settings.rq_queue)
        return self._redis[key]

    def forget_all(self) -> None:
        """Lose every page, as a restart of the in-memory books does (tests use it)."""
        books = self._books()
        with books.locked():
            books.forget_all()

    def authenticate(self, api_key: str, secret_key: str) -> bool:
        settings = get_settings()
        return secrets.compare_digest(api_key, settings.payplus_api_key) and secrets.compare_digest(
            secret_key, settings.payplus_secret_key
        )

    def generate_link(self, secret: str, payload: dict[str, Any], page_base_url: str) -> dict[str, Any]:
        missing = [key for key in ("payment_page_uid", "amount", "currency_code") if not payload.get(key)]
        if missing:
            return _error(f"missing {', '.join(missing)}")
        if Decimal(str(payload["amount"])) <= 0:
            return _error("amount must be positive")
        foreign = [key for key in ("refURL_success", "refURL_failure", "refURL_callback")
                   if payload.get(key) and not _ours(str(payload[key]))]
        if foreign:
            return _error(f"{', '.join(foreign)} must point at this site")
        uid = secrets.token_hex(16)
        books = self._books()
        with books.locked():
            books.put(SandboxPage(uid=uid, secret=secret, request=dict(payload)))
        link = f"{page_base_url.rstrip('/')}{PAGE_PREFIX}/{uid}"
        return _success("payment page link has been generated", {"page_request_uid": uid, "payment_page_link": link})

    def page(self, uid: str) -> SandboxPage | None:
        books = self._books()
        with books.locked():
            return books.get(uid)

    def pay(self, uid: str, *, method: str, card_number: str) -> PayOutcome | None:
        """The customer pressed pay: decide by test card, record the transaction, build callbacks."""
        books = self._books()
        with books.locked():
            page = books.get(uid)
            if page is None or page.status != "open":
                return None
            behaviour = Behaviour.APPROVE if method == "google_pay" else TEST_CARDS.get(_digits(card_number), (Behaviour.DECLINE, ""))[0]
            approved = behaviour != Behaviour.DECLINE
            page.transaction = _transaction(page, method=method, card_number=card_number, approved=approved)
            page.status = "approved" if approved else "declined"
            books.index_txn(page.transaction["uid"], uid)
            delivery = self._callback(page, "Charge")
            now, held = _schedule(behaviour, delivery)
            page.held.extend(held)
            books.put(page)
            target = page.request.get("refURL_success" if approved else "refURL_failure") or ""
        return PayOutcome(redirect_url=_with_query(target, page_request_uid=uid), deliver_now=now, held=bool(held))

    def release(self, uid: str) -> list[Delivery]:
        """Held (late) callbacks, handed out once."""
        books = self._books()
        with books.locked():
            page = books.get(uid)
            if page is None:
                return []
            held, page.held = page.held, []
            books.put(page)
            return held

    def ipn(self, payload: dict[str, Any]) -> dict[str, Any]:
        books = self._books()
        with books.locked():
            uid = str(payload.get("payment_request_uid") or "") or books.page_for_txn(str(payload.get("transaction_uid") or ""))
            page = books.get(uid)
            if page is None or page.transaction is None:
                return _error("transaction not found")
            txn = page.transaction
            return _success("ipn", {
                "transaction_uid": txn["uid"], "page_request_uid": uid, "status_code": txn["status_code"],
                "amount": txn["amount"], "currency_code": txn["currency"], "more_info": txn["more_info"],
                "approval_num": txn["approval_number"], "four_digits": txn["four_digits"],
                "method": txn.get("alternative_method_name") or "credit-card",
                "refunded_amount": float(page.refunded),
            })

    def refund(self, payload: dict[str, Any]) -> tuple[dict[str, Any], Delivery | None]:
        books = self._books()
        with books.locked():
            page = books.get(books.page_for_txn(str(payload.get("transaction_uid") or "")))
            if page is None or page.transaction is None or page.status != "approved":
                return _error("transaction not found"), None
            amount = Decimal(str(payload.get("amount") or 0))
            if amount <= 0 or page.refunded + amount > Decimal(str(page.transaction["amount"])):
                return _error("refund amount exceeds the transaction"), None
            page.refunded += amount
            books.put(page)
            refund_uid = secrets.token_hex(12)
            delivery = self._callback(page, "Refund", amount=amount, uid=refund_uid)
            return _success("refund succeeded", {"transaction": {"uid": refund_uid, "amount": float(amount)}}), delivery

    def _callback(self, page: SandboxPage, kind: str, *, amount: Decimal | None = None, uid: str = "") -> Delivery:
        txn = dict(page.transaction or {})
        if amount is not None:
            txn.update(uid=uid, amount=float(amount), type=kind)
        body = {
            "transaction_type": kind,
            "transaction": txn,
            "data": {"card_information": {"four_digits": txn.get("four_digits", "")}},
        }
        raw = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
        headers = {"hash": sign_body(raw, page.secret), "user-agent": "PayPlus", "content-type": "application/json"}
        return Delivery(url=str(page.request.get("refURL_callback") or ""), body=raw, headers=headers)


def _transaction(page: SandboxPage, *, method: str, card_number: str, approved: bool) -> dict[str, Any]:
    request = page.request
    digits = _digits(card_number) if method != "google_pay" else "4242"
    return {
        "uid": secrets.token_hex(16),
        "payment_page_request_uid": page.uid,
        "type": "Charge",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "status_code": APPROVED_CODE if approved else DECLINED_CODE,
        "amount": float(Decimal(str(request["amount"]))),
        "currency": str(request.get("currency_code", "ILS")),
        "more_info": str(request.get("more_info", "")),
        "approval_number": f"{secrets.randbelow(10**7):07d}" if approved else "",
        "four_digits": digits[-4:],
        "alternative_method_name": "google-pay" if method == "google_pay" else "",
    }


def _schedule(behaviour: Behaviour, delivery: Delivery) -> tuple[list[Delivery], list[Delivery]]:
    """(send before the redirect, hold for later) for one page's callback."""
    if not delivery.url or behaviour == Behaviour.NEVER:
        return [], []
    if behaviour == Behaviour.LATE:
        return [], [delivery]
    if behaviour == Behaviour.TWICE:
        return [delivery, delivery], []
    return [delivery], []


def _digits(text: str) -> str:
    return "".join(char for char in text or "" if char.isdigit())


def _with_query(url: str, **params: str) -> str:
    from urllib.parse import urlencode

    if not url:
        return ""
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"


def _success(description: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"results": {"status": "success", "code": 0, "description": description}, "data": data}


def _error(description: str) -> dict[str, Any]:
    return {"results": {"status": "error", "code": 1, "description": description}, "data": {}}


BANK = SandboxBank()
