"""Roles and their powers: the single table every back-office event and internal route checks.

`require(token, permission)` is the one server-side gate: it verifies the session token (signature,
expiry, not signed out, staff still active) and reads the role from the database, so a demoted or
disabled account loses its powers on its very next click, whatever its token says.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

from services.errors import BarbyError, NotAllowed
from services.models import StaffRole, StaffUser

ADMIN, MANAGER, BOX_OFFICE, SUPPORT = StaffRole.ADMIN, StaffRole.MANAGER, StaffRole.BOX_OFFICE, StaffRole.SUPPORT
EVERYONE = frozenset(StaffRole)

PERMISSIONS: dict[str, frozenset[StaffRole]] = {
    # Looking things up and helping customers: every role.
    "orders.search": EVERYONE,
    "orders.view": EVERYONE,
    "customers.view": EVERYONE,
    "customers.notes": EVERYONE,
    "orders.resend": EVERYONE,
    "orders.correct_email": EVERYONE,
    "orders.recheck_payment": EVERYONE,
    # Money: support sees no prices and refunds nothing.
    "prices.view": frozenset({ADMIN, MANAGER, BOX_OFFICE}),
    "orders.refund": frozenset({ADMIN, MANAGER, BOX_OFFICE}),
    "tickets.void": frozenset({ADMIN, BOX_OFFICE}),
    # Shows, their tiers and secret links: the people who run the programme.
    "shows.view": frozenset({ADMIN, MANAGER, BOX_OFFICE}),
    "shows.edit": frozenset({ADMIN, MANAGER}),
    "links.manage": frozenset({ADMIN, MANAGER}),
    "reports.view": frozenset({ADMIN, MANAGER}),
    # Accounts: admin only.
    "staff.manage": frozenset({ADMIN}),
}

ROLE_LABELS = {ADMIN: "Admin", MANAGER: "Manager", BOX_OFFICE: "Box office", SUPPORT: "Support"}


class NotSignedIn(BarbyError):
    """No valid session: the visitor must sign in (HTTP 401)."""

    code = "unauthenticated"


class RoleRefused(NotAllowed):
    """Signed in, but the role lacks the permission (HTTP 403); distinct from business refusals."""

    code = "forbidden"


def can(role: StaffRole | str | None, permission: str) -> bool:
    """Whether a role holds a permission; unknown permissions are refused, never assumed."""
    if role is None:
        return False
    return StaffRole(role) in PERMISSIONS.get(permission, frozenset())


def powers(role: StaffRole | str) -> list[str]:
    """Every permission of a role, for the UI to decide what to show (the server still checks)."""
    return sorted(name for name in PERMISSIONS if can(role, name))


def require(token: str | None, permission: str) -> StaffUser:
    """The staff member behind `token` if their current role holds `permission`; refuses otherwise."""
    from services.staff.auth import current_staff

    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    staff = current_staff(token)
    if not can(staff.role, permission):
        raise RoleRefused(
            f"Your role ({ROLE_LABELS[staff.role]}) may not do this.",
            f"התפקיד שלך ({ROLE_LABELS[staff.role]}) אינו מורשה לפעולה זו.",
        )
    return staff


P = ParamSpec("P")
R = TypeVar("R")

# Every guarded back-office operation, by name: the role test walks this to prove each one refuses.
GUARDED: dict[str, tuple[str, Callable[..., object]]] = {}


def guarded(permission: str) -> Callable[[Callable[Concatenate[StaffUser, P], R]], Callable[Concatenate[str | None, P], R]]:
    """Turn `fn(staff, ...)` into `fn(token, ...)` that checks the permission before anything runs."""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")

    def decorate(fn: Callable[Concatenate[StaffUser, P], R]) -> Callable[Concatenate[str | None, P], R]:
        @wraps(fn)
        def wrapper(token: str | None, *args: P.args, **kwargs: P.kwargs) -> R:
            return fn(require(token, permission), *args, **kwargs)

        wrapper.permission = permission  # type: ignore[attr-defined]
        GUARDED[f"{fn.__module__}.{fn.__name__}"] = (permission, wrapper)
        return wrapper

    return decorate
