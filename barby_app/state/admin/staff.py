"""Staff accounts (admin)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from barby_app.state.admin.session import AdminState
from services.staff import users
from services.staff.users import StaffLine


class StaffState(AdminState):
    staff: list[StaffLine] = []

    def _reload(self) -> None:
        self.staff = self.guard(users.list_staff) or []

    @rx.event
    def load(self):
        self._reload()
        return self.bounce()

    @rx.event
    def create(self, form: dict[str, Any]):
        new_id = self.guard(users.create_staff, str(form.get("email", "")), str(form.get("name", "")),
                            str(form.get("role", "")), str(form.get("password", "")))
        if new_id is not None:
            self.notice = "Account created."
        self._reload()
        return self.bounce()

    @rx.event
    def set_role(self, user_id: int, role: str):
        self.guard(users.update_staff, int(user_id), role=role)
        self._reload()
        return self.bounce()

    @rx.event
    def set_active(self, user_id: int, active: bool):
        self.guard(users.update_staff, int(user_id), active=bool(active))
        self._reload()
        return self.bounce()

    @rx.event
    def unlock(self, user_id: int):
        self.guard(users.update_staff, int(user_id), unlock=True)
        self._reload()
        return self.bounce()
