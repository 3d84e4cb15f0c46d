"""The one server-side gate every back-office event and internal route passes.

`require(token, permission)` verifies the session token (signature, expiry, not signed out, staff still
active) and reads the role from the database, so a demoted or disabled account loses its powers on its
very next click, whatever its token says. Sessions live in `auth`, the role table in `roles`; this module
joins them, so neither of those imports the other.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

from services.errors import NotAllowed
from services.models import StaffUser
from services.staff.auth import current_staff
from services.staff.roles import PERMISSIONS, ROLE_LABELS, can


class RoleRefused(NotAllowed):
    """Signed in, but the role lacks the permission (HTTP 403); distinct from business refusals."""

    code = "forbidden"


def require(token: str | None, permission: str) -> StaffUser:
    """The staff member behind `token` if their current role holds `permission`; refuses otherwise."""
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
