"""Staff sign-in: hashed passwords, signed expiring tokens, lock-out, sign-out, and the database
(not the token) deciding the role on every check."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest
from sqlmodel import select

from services.db import read_session, transaction
from services.models import AuditEntry, StaffUser, utcnow
from services.settings import get_settings
from services.staff.access import RoleRefused, require
from services.staff.auth import (
    AUDIENCE,
    MAX_FAILURES,
    AccountLocked,
    NotSignedIn,
    SignInFailed,
    current_staff,
    sign_in,
    sign_out,
)
from tests.backoffice.conftest import PASSWORDS


def _user(role: str) -> StaffUser:
    with read_session() as session:
        return session.exec(select(StaffUser).where(StaffUser.email == PASSWORDS[role][0])).one()


def test_passwords_are_stored_as_argon2_hashes(seeded) -> None:
    user = _user("admin")
    assert user.password_hash.startswith("$argon2id$") and PASSWORDS["admin"][1] not in user.password_hash


def test_sign_in_issues_a_signed_expiring_token(seeded) -> None:
    signed = sign_in("  ADMIN@barby.local ", PASSWORDS["admin"][1])
    claims = jwt.decode(signed.token, get_settings().jwt_secret, algorithms=["HS256"], audience=AUDIENCE)
    hours = (claims["exp"] - claims["iat"]) / 3600
    assert hours == get_settings().staff_session_hours and claims["sub"] == str(_user("admin").id)
    assert current_staff(signed.token).role == "admin"


def test_wrong_password_and_unknown_account_get_the_same_message(seeded) -> None:
    with pytest.raises(SignInFailed) as wrong:
        sign_in(PASSWORDS["admin"][0], "nope")
    with pytest.raises(SignInFailed) as unknown:
        sign_in("nobody@barby.local", "nope")
    assert wrong.value.message_en == unknown.value.message_en == "Wrong email or password."


def test_five_failures_lock_the_account_even_against_the_right_password(seeded) -> None:
    email, password = PASSWORDS["support"]
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(SignInFailed):
            sign_in(email, "wrong")
    with pytest.raises(AccountLocked):
        sign_in(email, "wrong")
    with pytest.raises(AccountLocked) as locked:
        sign_in(email, password)
    assert "locked until" in locked.value.message_en
    with read_session() as session:
        assert session.exec(select(AuditEntry).where(AuditEntry.action == "staff.lock_out")).one()
    with transaction() as session:  # fifteen minutes later
        user = session.exec(select(StaffUser).where(StaffUser.email == email)).one()
        user.locked_until = utcnow() - timedelta(seconds=1)
    assert sign_in(email, password).role == "support"


def test_expired_tampered_and_signed_out_tokens_are_refused(seeded) -> None:
    user = _user("manager")
    expired = jwt.encode({"sub": str(user.id), "jti": "a", "iat": utcnow() - timedelta(hours=13),
                          "exp": utcnow() - timedelta(hours=1), "aud": AUDIENCE}, get_settings().jwt_secret)
    with pytest.raises(NotSignedIn, match="expired"):
        current_staff(expired)
    token = sign_in(*PASSWORDS["manager"]).token
    head, body, signature = token.split(".")
    with pytest.raises(NotSignedIn):
        current_staff(f"{head}.{body}.{signature[:-3]}abc")
    assert require(token, "shows.edit").id == user.id
    sign_out(token)
    with pytest.raises(NotSignedIn):
        require(token, "shows.edit")


def test_role_and_active_flag_come_from_the_database_on_every_check(seeded) -> None:
    token = sign_in(*PASSWORDS["manager"]).token
    assert require(token, "shows.edit")
    with transaction() as session:
        user = session.exec(select(StaffUser).where(StaffUser.email == PASSWORDS["manager"][0])).one()
        user.role = "support"
    with pytest.raises(RoleRefused):
        require(token, "shows.edit")
    with transaction() as session:
        session.exec(select(StaffUser).where(StaffUser.email == PASSWORDS["manager"][0])).one().active = False
    with pytest.raises(NotSignedIn):
        require(token, "orders.search")
