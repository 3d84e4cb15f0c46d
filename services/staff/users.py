"""Staff accounts (admin only): list, create, change role, disable, reset password, unlock."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from services import audit
from services.backoffice.orders import when
from services.customers import normalize_email
from services.db import read_session, transaction
from services.errors import NotFound, ValidationFailed
from services.models import StaffRole, StaffUser
from services.security import hash_password
from services.staff.access import guarded

MIN_PASSWORD = 10


@dataclass(frozen=True)
class StaffLine:
    id: int
    email: str
    name: str
    role: str
    active: bool
    locked_until: str
    last_login: str


def _password(value: str) -> str:
    if len(value or "") < MIN_PASSWORD:
        raise ValidationFailed("password", f"Passwords need at least {MIN_PASSWORD} characters.",
                               f"סיסמה צריכה לפחות {MIN_PASSWORD} תווים.")
    return hash_password(value)


def _role(value: str) -> StaffRole:
    if value not in set(StaffRole):
        raise ValidationFailed("role", f"Role must be one of: {', '.join(StaffRole)}.")
    return StaffRole(value)


@guarded("staff.manage")
def list_staff(staff: StaffUser) -> list[StaffLine]:
    with read_session() as session:
        users = session.exec(select(StaffUser).order_by(StaffUser.name)).all()
    return [StaffLine(id=u.id, email=u.email, name=u.name, role=str(u.role), active=u.active,
                      locked_until=when(u.locked_until), last_login=when(u.last_login_at)) for u in users]


@guarded("staff.manage")
def create_staff(staff: StaffUser, email: str, name: str, role: str, password: str) -> int:
    address, role_value, hashed = normalize_email(email), _role(role), _password(password)
    if not (name or "").strip():
        raise ValidationFailed("name", "Name is required.", "שם הוא שדה חובה.")
    with transaction() as session:
        if session.exec(select(StaffUser).where(StaffUser.email == address)).first():
            raise ValidationFailed("email", "A staff account with this email already exists.")
        user = StaffUser(email=address, name=name.strip(), role=role_value, password_hash=hashed)
        session.add(user)
        session.flush()
        audit.record(session, actor_type="staff", actor_id=staff.id, action="staff.create", entity_type="staff_user",
                     entity_id=user.id, role=str(role_value))
        return user.id


@guarded("staff.manage")
def update_staff(staff: StaffUser, user_id: int, *, role: str | None = None, active: bool | None = None,
                 password: str | None = None, unlock: bool = False) -> None:
    """Change a colleague's role or access; an admin cannot lock themselves out by demoting or disabling."""
    with transaction() as session:
        user = session.get(StaffUser, user_id)
        if user is None:
            raise NotFound("This staff account does not exist.")
        if user.id == staff.id and ((role and role != StaffRole.ADMIN) or active is False):
            raise ValidationFailed("role", "You cannot demote or disable your own account.")
        changes: dict[str, str] = {}
        if role is not None:
            user.role = _role(role)
            changes["role"] = role
        if active is not None:
            user.active = active
            changes["active"] = str(active)
        if password:
            user.password_hash = _password(password)
            changes["password"] = "reset"
        if unlock:
            user.locked_until, user.failed_logins = None, 0
            changes["unlock"] = "yes"
        audit.record(session, actor_type="staff", actor_id=staff.id, action="staff.update", entity_type="staff_user",
                     entity_id=user_id, **changes)
