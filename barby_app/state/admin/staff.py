"""Staff accounts (admin)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from barby_app.state.admin.session import AdminState
from services.staff import users
from services.staff.users import StaffLine


class StaffState(AdminState):
    staff: list[StaffLine] = []

    async def _reload(self) -> None:
        self.staff = await self.guard(users.list_staff) or []

    @rx.event
    async def load(self):
        await self._reload()
        return self.bounce()

    @rx.event
    async def create(self, form: dict[str, Any]):
        new_id = await self.guard(users.create_staff, str(form.get("email", "")), str(form.get("name", "")),
                            str(form.get("role", "")), str(form.get("password", "")))
        if new_id is not None:
            self.notice = "Account created."
        await self._reload()
        return self.bounce()

    @rx.event
    async def set_role(self, user_id: int, role: str):
        await self.guard(users.update_staff, int(user_id), role=role)
        await self._reload()
        return self.bounce()

    @rx.event
    async def set_active(self, user_id: int, active: bool):
        await self.guard(users.update_staff, int(user_id), active=bool(active))
        await self._reload()
        return self.bounce()

    @rx.event
    async def unlock(self, user_id: int):
        await self.guard(users.update_staff, int(user_id), unlock=True)
        await self._reload()
        return self.bounce()
