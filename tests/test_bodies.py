"""No body can crash a route or be read before its sender is known: sizes, nesting, NUL characters.

Over real HTTP against the API as the app mounts it (tests/fixtures/http.py).
"""

from __future__ import annotations

import json

import pytest

from services.payments.payplus import sign_body
from services.settings import get_settings
from services.staff.auth import sign_in
from tests.backoffice.conftest import PASSWORDS

NESTED = ("[" * 20_000 + "]" * 20_000).encode()  # under the size cap, deep enough for RecursionError
NESTED_OBJECT = ("{\"a\":" * 8_000 + "1" + "}" * 8_000).encode()


@pytest.fixture
def admin(seeded) -> dict[str, str]:
    return {"authorization": f"Bearer {sign_in(*PASSWORDS['admin']).token}", "content-type": "application/json"}


def test_admin_routes_authenticate_before_reading_and_refuse_oversized_bodies(http, admin) -> None:
    big = b"x" * (2 * 1024 * 1024)
    anonymous = http.post("/api/admin/shows", content=big, headers={"content-type": "application/json"})
    assert anonymous.status_code == 401
    assert http.post("/api/admin/shows", content=big, headers=admin).status_code == 413
    image = http.post("/api/admin/shows/1/image", content=b"\xff\xd8\xff" + b"\0" * (6 * 1024 * 1024),
                      headers={"authorization": admin["authorization"]})
    assert image.status_code == 413
    assert http.post("/api/admin/shows/1/image", content=b"\xff\xd8\xff").status_code == 401


@pytest.mark.parametrize("body", [NESTED, NESTED_OBJECT, b"{not json", b"[1, 2]", json.dumps({"title_en": "a\x00b"}).encode()])
def test_admin_json_that_cannot_be_used_is_a_400(http, admin, body: bytes) -> None:
    answer = http.post("/api/admin/shows", content=body, headers=admin)
    assert answer.status_code == 400 and answer.json()["message"]


def test_callbacks_refuse_oversized_and_deeply_nested_bodies(http) -> None:
    secret = get_settings().payplus_secret_key
    nested = http.post("/api/payments/payplus/callback", content=NESTED_OBJECT,
                       headers={"hash": sign_body(NESTED_OBJECT, secret), "user-agent": "PayPlus"})
    assert nested.status_code in (400, 401, 413) and nested.status_code < 500
    huge = http.post("/api/payments/payplus/callback", content=b"{" + b" " * (70 * 1024) + b"}",
                     headers={"user-agent": "PayPlus"})
    assert huge.status_code == 413


def test_the_sandbox_api_survives_nested_json(http) -> None:
    settings = get_settings()
    answer = http.post("/sandbox/payplus/api/v1.0/PaymentPages/generateLink", content=NESTED_OBJECT,
                       headers={"api-key": settings.payplus_api_key, "secret-key": settings.payplus_secret_key,
                                "content-type": "application/json"})
    assert answer.status_code < 500
