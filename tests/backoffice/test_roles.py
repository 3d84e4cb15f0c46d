"""Who may do what in the back office, proved for every operation, every role and an anonymous visitor.

Two doors lead to the same services: the Reflex pages' events (which call the permission-checked
service functions registered in GUARDED) and the internal JSON API under /api/admin (tested over
real HTTP with no token, a forged token and each role's token). The expected matrix is written out
here independently of services.staff.roles, so a change to either is a visible decision.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import jwt
import pytest
from sqlmodel import select

import services.backoffice.customers
import services.backoffice.giftcards
import services.backoffice.links
import services.backoffice.orders
import services.backoffice.search
import services.backoffice.shows
import services.staff.users
from barby_app.api.admin import ROUTES
from services.backoffice.search import Filters
from services.db import transaction
from services.errors import BarbyError
from services.models import GiftCard, TicketTier
from services.staff.access import GUARDED, RoleRefused
from services.staff.auth import NotSignedIn
from tests.backoffice.conftest import ROLES

ALL = set(ROLES)
MONEY = {"admin", "manager", "box_office"}
PROGRAMME = {"admin", "manager"}
B = "services.backoffice"

# operation -> (roles allowed, how to call it with a token and the seeded world)
OPERATIONS: dict[str, tuple[set[str], Callable[[str | None, dict], object]]] = {
    f"{B}.search.search_orders": (ALL, lambda t, w: services.backoffice.search.search_orders(t, w["phone"], Filters())),
    f"{B}.orders.order_page": (ALL, lambda t, w: services.backoffice.orders.order_page(t, w["order"])),
    f"{B}.orders.resend_tickets": (ALL, lambda t, w: services.backoffice.orders.resend_tickets(t, w["order"])),
    f"{B}.orders.correct_email_and_resend": (ALL, lambda t, w: services.backoffice.orders.correct_email_and_resend(
        t, w["order"], "not-an-email")),
    f"{B}.orders.recheck_payment": (ALL, lambda t, w: services.backoffice.orders.recheck_payment(t, w["order"])),
    f"{B}.orders.void_ticket": ({"admin", "box_office"}, lambda t, w: services.backoffice.orders.void_ticket(
        t, w["order"], w["ticket"] + 10_000)),
    f"{B}.orders.reissue_ticket": ({"admin", "box_office"}, lambda t, w: services.backoffice.orders.reissue_ticket(
        t, w["order"], w["ticket"] + 10_000)),
    f"{B}.orders.refund": (MONEY, lambda t, w: services.backoffice.orders.refund(t, w["order"], "10", "")),
    f"{B}.orders.cancel": (MONEY, lambda t, w: services.backoffice.orders.cancel(t, w["order"], "")),
    f"{B}.customers.customer_page": (ALL, lambda t, w: services.backoffice.customers.customer_page(t, w["customer"])),
    f"{B}.customers.add_note": (ALL, lambda t, w: services.backoffice.customers.add_note(t, w["customer"], "called")),
    f"{B}.shows.list_shows": (MONEY, lambda t, w: services.backoffice.shows.list_shows(t)),
    f"{B}.shows.show_form": (MONEY, lambda t, w: services.backoffice.shows.show_form(t, w["show"])),
    f"{B}.shows.list_tiers": (MONEY, lambda t, w: services.backoffice.shows.list_tiers(t, w["show"])),
    f"{B}.shows.preview": (MONEY, lambda t, w: services.backoffice.shows.preview(t, w["show"])),
    f"{B}.shows.save_show": (PROGRAMME, lambda t, w: services.backoffice.shows.save_show(t, w["show"], {})),
    f"{B}.shows.duplicate_show": (PROGRAMME, lambda t, w: services.backoffice.shows.duplicate_show(t, w["show"])),
    f"{B}.shows.set_public": (PROGRAMME, lambda t, w: services.backoffice.shows.set_public(t, w["show"], True)),
    f"{B}.shows.cancel_show": (PROGRAMME, lambda t, w: services.backoffice.shows.cancel_show(t, 999_999)),
    f"{B}.shows.save_tier": (PROGRAMME, lambda t, w: services.backoffice.shows.save_tier(t, w["show"], None, {})),
    f"{B}.shows.delete_tier": (PROGRAMME, lambda t, w: services.backoffice.shows.delete_tier(t, w["spare_tier"])),
    f"{B}.shows.upload_image": (PROGRAMME, lambda t, w: services.backoffice.shows.upload_image(t, w["show"], "x.txt", b"hi")),
    f"{B}.links.list_links": (PROGRAMME, lambda t, w: services.backoffice.links.list_links(t, w["show"])),
    f"{B}.links.create_link": (PROGRAMME, lambda t, w: services.backoffice.links.create_link(t, w["show"], {})),
    f"{B}.links.set_link_active": (PROGRAMME, lambda t, w: services.backoffice.links.set_link_active(t, w["link"], True)),
    f"{B}.giftcards.search_gift_cards": (ALL, lambda t, w: services.backoffice.giftcards.search_gift_cards(t, "noa")),
    f"{B}.giftcards.gift_card_page": (ALL, lambda t, w: services.backoffice.giftcards.gift_card_page(t, w["card"])),
    f"{B}.giftcards.resend_gift_card": (ALL, lambda t, w: services.backoffice.giftcards.resend_gift_card(t, w["card"])),
    f"{B}.giftcards.change_recipient_email": (ALL, lambda t, w: services.backoffice.giftcards.change_recipient_email(
        t, w["card"], "not-an-email")),
    f"{B}.giftcards.adjust_balance": (PROGRAMME, lambda t, w: services.backoffice.giftcards.adjust_balance(
        t, w["card"], "10", "")),
    f"{B}.giftcards.void_card": (PROGRAMME, lambda t, w: services.backoffice.giftcards.void_card(t, w["card"], "")),
    f"{B}.giftcards.extend_expiry": (PROGRAMME, lambda t, w: services.backoffice.giftcards.extend_expiry(
        t, w["card"], "2040-01-01", "")),
    f"{B}.giftcards.liability": (PROGRAMME, lambda t, w: services.backoffice.giftcards.liability(t)),
    "services.staff.users.list_staff": ({"admin"}, lambda t, w: services.staff.users.list_staff(t)),
    "services.staff.users.create_staff": ({"admin"}, lambda t, w: services.staff.users.create_staff(t, "x", "", "", "")),
    "services.staff.users.update_staff": ({"admin"}, lambda t, w: services.staff.users.update_staff(t, 999_999)),
}


@pytest.fixture
def spare(world) -> dict:
    """The world plus a tier with no sales, which the allowed roles may delete."""
    with transaction() as session:
        tier = TicketTier(show_id=world["show"], name_he="רזרבה", name_en="Spare", price=100, allocation=5)
        session.add(tier)
        session.flush()
        card = session.exec(select(GiftCard).order_by(GiftCard.id)).first()
        return {**world, "spare_tier": tier.id, "card": card.id}


def test_every_guarded_operation_is_in_the_matrix() -> None:
    """A new back-office operation cannot ship without a row here saying who may use it."""
    assert set(GUARDED) == set(OPERATIONS)


def _outcome(call: Callable[[], object]) -> str:
    try:
        call()
    except NotSignedIn:
        return "sign-in"
    except RoleRefused:
        return "refused"
    except BarbyError:
        return "ran"  # reached the operation itself, which judged the input (e.g. a missing reason)
    return "ran"


@pytest.mark.parametrize("role", [*ROLES, "anonymous", "forged"])
def test_each_operation_checks_the_role_on_the_server(role: str, tokens, spare) -> None:
    token = {"anonymous": None, "forged": jwt.encode({"sub": "1", "exp": 9_999_999_999}, "a-guessed-secret-that-is-long-enough!!", algorithm="HS256")}
    token = token.get(role, tokens.get(role))
    outcomes = {name: _outcome(lambda call=call: call(token, spare)) for name, (_allowed, call) in OPERATIONS.items()}
    if role in ("anonymous", "forged"):
        expected = dict.fromkeys(OPERATIONS, "sign-in")
    else:
        expected = {name: "ran" if role in allowed else "refused" for name, (allowed, _call) in OPERATIONS.items()}
    assert outcomes == expected


# ── the internal HTTP API ─────────────────────────────────────────────────────────────────────────

API_PERMISSIONS: dict[tuple[str, str], set[str]] = {
    ("GET", "/api/admin/me"): ALL,
    ("GET", "/api/admin/orders"): ALL,
    ("GET", "/api/admin/orders/{ref}"): ALL,
    ("POST", "/api/admin/orders/{ref}/resend"): ALL,
    ("POST", "/api/admin/orders/{ref}/email"): ALL,
    ("POST", "/api/admin/orders/{ref}/recheck"): ALL,
    ("POST", "/api/admin/orders/{ref}/refund"): MONEY,
    ("POST", "/api/admin/orders/{ref}/cancel"): MONEY,
    ("POST", "/api/admin/orders/{ref}/tickets/{ticket}/void"): {"admin", "box_office"},
    ("POST", "/api/admin/orders/{ref}/tickets/{ticket}/reissue"): {"admin", "box_office"},
    ("GET", "/api/admin/customers/{id}"): ALL,
    ("POST", "/api/admin/customers/{id}/notes"): ALL,
    ("GET", "/api/admin/shows"): MONEY,
    ("POST", "/api/admin/shows"): PROGRAMME,
    ("GET", "/api/admin/shows/{id}"): MONEY,
    ("PUT", "/api/admin/shows/{id}"): PROGRAMME,
    ("POST", "/api/admin/shows/{id}/duplicate"): PROGRAMME,
    ("POST", "/api/admin/shows/{id}/hide"): PROGRAMME,
    ("POST", "/api/admin/shows/{id}/unhide"): PROGRAMME,
    ("POST", "/api/admin/shows/{id}/cancel"): PROGRAMME,
    ("GET", "/api/admin/shows/{id}/preview"): MONEY,
    ("GET", "/api/admin/shows/{id}/tiers"): MONEY,
    ("POST", "/api/admin/shows/{id}/tiers"): PROGRAMME,
    ("PUT", "/api/admin/shows/{id}/tiers/{tier}"): PROGRAMME,
    ("DELETE", "/api/admin/tiers/{tier}"): PROGRAMME,
    ("GET", "/api/admin/shows/{id}/links"): PROGRAMME,
    ("POST", "/api/admin/shows/{id}/links"): PROGRAMME,
    ("POST", "/api/admin/links/{link}/disable"): PROGRAMME,
    ("POST", "/api/admin/links/{link}/enable"): PROGRAMME,
    ("POST", "/api/admin/shows/{id}/image"): PROGRAMME,
    ("GET", "/api/admin/staff"): {"admin"},
    ("POST", "/api/admin/staff"): {"admin"},
    ("PATCH", "/api/admin/staff/{id}"): {"admin"},
}
PUBLIC = {("POST", "/api/admin/session"), ("DELETE", "/api/admin/session")}


def _url(path: str, w: dict) -> str:
    """Fill a route's parameters with seeded ids; bodies are empty so allowed calls stop at validation."""
    return (path.replace("{ref}", w["order"]).replace("{ticket}", str(w["ticket"] + 10_000))
            .replace("{tier}", str(w["spare_tier"])).replace("{link}", str(w["link"]))
            .replace("{id}", str(w["customer"] if "customers" in path else 999_999 if "staff" in path else w["show"])))


def test_every_api_route_is_in_the_matrix() -> None:
    routes = {(method, path) for method, path, _handler in ROUTES} | {("POST", "/api/admin/shows/{id}/image")}
    assert routes == set(API_PERMISSIONS) | PUBLIC


def test_api_routes_without_a_token_or_with_a_forged_one_answer_401(http: httpx.Client, spare) -> None:
    forged = jwt.encode({"sub": "1", "exp": 9_999_999_999, "jti": "x", "iat": 0}, "a-wrong-secret-that-is-long-enough!!!!", algorithm="HS256")
    for method, path in API_PERMISSIONS:
        for headers in ({}, {"Authorization": f"Bearer {forged}"}, {"Authorization": "Bearer not-a-token"}):
            response = http.request(method, _url(path, spare), json={}, headers=headers)
            assert response.status_code == 401, (method, path, headers, response.text)
            assert response.json()["error"] == "unauthenticated"


@pytest.mark.parametrize("role", ROLES)
def test_api_routes_check_the_role(role: str, http: httpx.Client, tokens, spare) -> None:
    headers = {"Authorization": f"Bearer {tokens[role]}"}
    answers = {}
    for method, path in API_PERMISSIONS:
        if path.endswith("/image"):
            response = http.post(_url(path, spare), content=b"not an image", headers=headers)
        else:
            response = http.request(method, _url(path, spare), json={}, headers=headers)
        assert response.status_code < 500, (method, path, response.text)
        answers[(method, path)] = "refused" if response.status_code == 403 else "ran"
        assert response.status_code != 401, (method, path, response.text)
    assert answers == {key: "ran" if role in allowed else "refused" for key, allowed in API_PERMISSIONS.items()}
