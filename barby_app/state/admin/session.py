"""The staff session: a signed JWT in a cookie, verified on the server for every back-office event."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

import reflex as rx

from barby_app.state.offloop import run_service
from services.errors import BarbyError
from services.staff import auth
from services.staff.auth import NotSignedIn
from services.staff.roles import ROLE_LABELS, powers

T = TypeVar("T")
SESSION_SECONDS = 12 * 3600


def blank(cls: type[T]) -> T:
    """An instance of a result dataclass with every field empty: a page's state before it loads."""
    defaults = {int: 0, bool: False, "int": 0, "bool": False}
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
            continue
        values[f.name] = defaults.get(f.type, "")
    return cls(**values)


def path_arg(url_path: str) -> str:
    """The last segment of /admin/orders/B-100042 (the dynamic part of the back-office routes)."""
    return url_path.rstrip("/").rsplit("/", 1)[-1]


class AdminState(rx.State):
    """Signed-in staff member; every back-office state inherits from it and uses `guard`."""

    token: str = rx.Cookie("", name="barby_staff", max_age=SESSION_SECONDS, same_site="strict", path="/")
    staff_name: str = ""
    role: str = ""
    role_label: str = ""
    powers: list[str] = []
    error: str = ""
    notice: str = ""
    signed_out: bool = False
    sign_in_error: str = ""

    async def guard(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Call a permission-checked service with this session's token, off the event loop; turn refusals
        into messages.

        An invalid or expired session sets `signed_out` (the handler then redirects to sign-in).
        """
        self.error = ""
        try:
            return await run_service(fn, self.token, *args, **kwargs)
        except NotSignedIn as refused:
            self.signed_out, self.sign_in_error = True, refused.message_en
        except BarbyError as refused:
            self.error = refused.message_en
        return None

    def bounce(self):
        """The redirect to sign in, when the session is gone."""
        return rx.redirect("/admin") if self.signed_out else None

    @rx.event
    async def check_session(self):
        """on_load of every protected page: who is signed in (verified now), or back to sign-in."""
        self.signed_out, self.error, self.notice = False, "", ""
        try:
            staff = await run_service(auth.current_staff, self.token)
        except NotSignedIn as refused:
            self.sign_in_error = "" if not self.token else refused.message_en
            return rx.redirect("/admin")
        self.staff_name, self.role = staff.name, str(staff.role)
        self.role_label, self.powers = ROLE_LABELS[staff.role], powers(staff.role)
        return None

    @rx.event
    async def sign_in(self, form: dict[str, Any]):
        try:
            signed = await run_service(auth.sign_in, str(form.get("email", "")), str(form.get("password", "")),
                                       remote_addr=self.router.headers.host or "")
        except BarbyError as refused:
            self.sign_in_error = refused.message_en
            return None
        self.token, self.sign_in_error = signed.token, ""
        return rx.redirect("/admin/orders")

    @rx.event
    async def sign_out(self):
        await run_service(auth.sign_out, self.token)
        self.token, self.staff_name, self.role, self.powers = "", "", "", []
        return rx.redirect("/admin")

    @rx.event
    async def landing(self):
        """/admin itself: straight to the search when already signed in."""
        try:
            await run_service(auth.current_staff, self.token)
        except NotSignedIn:
            return None
        return rx.redirect("/admin/orders")
