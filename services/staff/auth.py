"""Staff sign-in: argon2 password check, lock-out after repeated failures, signed expiring JWTs.

Sessions are stateless tokens, but each check re-reads the account, so disabling a user or changing
their role takes effect at once. Signing out is recorded in the audit log under the token's id,
and a signed-out token is refused from then on.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from sqlmodel import Session, select

from services import audit
from services.db import read_session, transaction
from services.errors import BarbyError
from services.models import AuditEntry, StaffUser, utcnow
from services.security import hash_password, verify_password
from services.settings import get_settings

MAX_FAILURES = 5
LOCK_MINUTES = 15
ALGORITHM = "HS256"
AUDIENCE = "barby-backoffice"
_DUMMY_HASH = hash_password("timing-equaliser-not-a-password")


class NotSignedIn(BarbyError):
    """No valid session: the visitor must sign in (HTTP 401)."""

    code = "unauthenticated"


class SignInFailed(BarbyError):
    code = "sign_in_failed"


class AccountLocked(BarbyError):
    code = "locked"


@dataclass(frozen=True)
class SignedIn:
    token: str
    staff_id: int
    name: str
    role: str
    expires_at: datetime


def sign_in(email: str, password: str, *, remote_addr: str = "") -> SignedIn:
    """A session token for correct credentials; counts failures and locks the account after five."""
    email = (email or "").strip().lower()
    now = utcnow()
    with transaction() as session:
        staff = session.exec(select(StaffUser).where(StaffUser.email == email).with_for_update()).first()
        if staff is None:
            verify_password(_DUMMY_HASH, password or "")  # same work whether or not the account exists
            raise _wrong_credentials()
        if staff.locked_until is not None and staff.locked_until > now:
            raise _locked(staff.locked_until)
        if not verify_password(staff.password_hash, password or "") or not staff.active:
            _count_failure(session, staff, now, remote_addr)
            session.commit()
            if staff.locked_until is not None and staff.locked_until > now:
                raise _locked(staff.locked_until)
            raise _wrong_credentials()
        staff.failed_logins, staff.locked_until, staff.last_login_at = 0, None, now
        expires = now + timedelta(hours=get_settings().staff_session_hours)
        jti = uuid.uuid4().hex
        token = jwt.encode(
            {"sub": str(staff.id), "role": str(staff.role), "jti": jti, "iat": now, "exp": expires, "aud": AUDIENCE},
            get_settings().jwt_secret, algorithm=ALGORITHM,
        )
        audit.record(session, actor_type="staff", actor_id=staff.id, action="staff.sign_in",
                     entity_type="staff_session", entity_id=jti, remote_addr=remote_addr)
        return SignedIn(token, staff.id, staff.name, str(staff.role), expires)


def _count_failure(session: Session, staff: StaffUser, now: datetime, remote_addr: str) -> None:
    staff.failed_logins += 1
    locked = staff.failed_logins >= MAX_FAILURES
    if locked:
        staff.locked_until, staff.failed_logins = now + timedelta(minutes=LOCK_MINUTES), 0
    audit.record(session, actor_type="staff", actor_id=staff.id, action="staff.lock_out" if locked else "staff.sign_in_failed",
                 entity_type="staff_user", entity_id=staff.id, remote_addr=remote_addr)


def _wrong_credentials() -> SignInFailed:
    return SignInFailed("Wrong email or password.", "דוא״ל או סיסמה שגויים.")


def _locked(until: datetime) -> AccountLocked:
    from services.clock import format_time

    return AccountLocked(
        f"Too many failed attempts: this account is locked until {format_time(until)}.",
        f"יותר מדי ניסיונות כושלים: החשבון נעול עד {format_time(until)}.",
    )


def _claims(token: str | None) -> dict:
    if not token:
        raise NotSignedIn("Please sign in.", "נא להתחבר.")
    try:
        return jwt.decode(token, get_settings().jwt_secret, algorithms=[ALGORITHM], audience=AUDIENCE,
                          options={"require": ["exp", "iat", "sub", "jti"]})
    except jwt.ExpiredSignatureError as error:
        raise NotSignedIn("Your session has expired: please sign in again.", "פג תוקף ההתחברות: נא להתחבר שוב.") from error
    except jwt.PyJWTError as error:
        raise NotSignedIn("Please sign in.", "נא להתחבר.") from error


def current_staff(token: str | None) -> StaffUser:
    """The active staff member a valid, not signed-out token belongs to, with their role as stored now."""
    claims = _claims(token)
    with read_session() as session:
        staff = session.get(StaffUser, int(claims["sub"]))
        if staff is None or not staff.active or _revoked(session, claims["jti"]):
            raise NotSignedIn("Please sign in.", "נא להתחבר.")
        return staff


def _revoked(session: Session, jti: str) -> bool:
    found = session.exec(select(AuditEntry.id).where(
        AuditEntry.entity_type == "staff_session", AuditEntry.entity_id == jti, AuditEntry.action == "staff.sign_out",
    )).first()
    return found is not None


def sign_out(token: str | None) -> None:
    """End the session for good: the token is refused from now on, even before it expires."""
    try:
        claims = _claims(token)
    except NotSignedIn:
        return
    with transaction() as session:
        if not _revoked(session, claims["jti"]):
            audit.record(session, actor_type="staff", actor_id=claims["sub"], action="staff.sign_out",
                         entity_type="staff_session", entity_id=claims["jti"],
                         expires=datetime.fromtimestamp(claims["exp"], UTC))
