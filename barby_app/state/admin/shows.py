"""Show management: the list, the edit page (details, image, tiers, live preview, secret links)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from barby_app.state.admin.session import AdminState, blank, path_arg
from services.backoffice import links as link_service
from services.backoffice import shows as show_service
from services.backoffice.links import LinkRow
from services.backoffice.shows import Preview, ShowRow, TierRow


class ShowListState(AdminState):
    shows: list[ShowRow] = []
    query: str = ""
    include_past: bool = False

    @rx.event
    async def load(self):
        rows = await self.guard(show_service.list_shows, query=self.query, include_past=self.include_past)
        self.shows = rows or []
        return self.bounce()

    @rx.event
    def filter(self, form: dict[str, Any]):
        self.query, self.include_past = str(form.get("q", "")), bool(form.get("past"))
        return ShowListState.load


class ShowEditState(AdminState):
    form: dict[str, str] = show_service.show_form_values(None)
    form_version: int = 0
    show_id: int = 0
    tiers: list[TierRow] = []
    links: list[LinkRow] = []
    preview: Preview = blank(Preview)
    editing_tier: int = 0

    @rx.var
    def is_new(self) -> bool:
        return self.show_id == 0

    async def _reload(self) -> None:
        if not self.show_id:
            self.form, self.tiers, self.links = show_service.show_form_values(None), [], []
        else:
            self.form = await self.guard(show_service.show_form, self.show_id) or self.form
            self.tiers = await self.guard(show_service.list_tiers, self.show_id) or []
            self.preview = await self.guard(show_service.preview, self.show_id) or blank(Preview)
            self.links = (await self.guard(link_service.list_links, self.show_id) or []) if "links.manage" in self.powers else []
        self.form_version += 1

    @rx.event
    async def load(self):
        ref = path_arg(self.router.url.path)
        self.show_id, self.notice, self.editing_tier = int(ref) if ref.isdigit() else 0, "", 0
        await self._reload()
        return self.bounce()

    async def _then(self, notice: str, result: object, *, go_to: int | None = None):
        if result is not None or not self.error:
            self.notice = notice
        if go_to:
            return [rx.redirect(f"/admin/shows/{go_to}"), self.bounce()] if not self.signed_out else self.bounce()
        await self._reload()
        return self.bounce()

    @rx.event
    async def save(self, form: dict[str, Any]):
        values = {k: str(v) for k, v in form.items()}
        new_id = await self.guard(show_service.save_show, self.show_id or None, values)
        if new_id is None:
            self.form = {**self.form, **values}
            return self.bounce()
        return await self._then("Saved.", new_id, go_to=new_id if not self.show_id else None)

    @rx.event
    async def duplicate(self):
        new_id = await self.guard(show_service.duplicate_show, self.show_id)
        return await self._then("Duplicated: this is the copy (hidden draft).", new_id, go_to=new_id)

    @rx.event
    async def toggle_public(self):
        result = await self.guard(show_service.set_public, self.show_id, not bool(self.form.get("is_public")))
        return await self._then("Visibility changed.", result)

    @rx.event
    async def cancel_show(self):
        result = await self.guard(show_service.cancel_show, self.show_id, "cancelled from the show page")
        return await self._then("The show is cancelled: sales are stopped. Refund orders one by one.", result)

    @rx.event
    async def upload_image(self, files: list[rx.UploadFile]):
        for file in files[:1]:
            data = await file.read()
            url = await self.guard(show_service.upload_image, self.show_id, file.name or "upload", data)
            if url:
                self.notice = "Image uploaded."
        await self._reload()
        return self.bounce()

    @rx.var
    def tier_draft(self) -> dict[str, str]:
        """The tier being edited, as the form's starting values (empty when adding a new tier)."""
        tier = next((t for t in self.tiers if t.id == self.editing_tier), None)
        if tier is None:
            return {"kind": "regular", "name_en": "", "name_he": "", "price": "", "allocation": "", "starts": "",
                    "ends": "", "limit": "", "public": "yes"}
        return {"kind": tier.kind, "name_en": tier.name_en, "name_he": tier.name_he, "price": tier.price_input,
                "allocation": str(tier.allocation), "starts": tier.sale_starts, "ends": tier.sale_ends,
                "limit": tier.per_customer_limit, "public": "yes" if tier.is_public else "no"}

    @rx.event
    def edit_tier(self, tier_id: int):
        self.editing_tier = int(tier_id)
        self.form_version += 1

    @rx.event
    async def save_tier(self, form: dict[str, Any]):
        values = {k: str(v) for k, v in form.items()}
        tier_id = await self.guard(show_service.save_tier, self.show_id, self.editing_tier or None, values)
        if tier_id is not None:
            self.editing_tier = 0
        return await self._then("Tier saved.", tier_id)

    @rx.event
    async def delete_tier(self, tier_id: int):
        result = await self.guard(show_service.delete_tier, int(tier_id))
        return await self._then("Tier deleted.", result)

    @rx.event
    async def create_link(self, form: dict[str, Any]):
        url = await self.guard(link_service.create_link, self.show_id, {k: str(v) for k, v in form.items()})
        return await self._then(f"Link created: {url}", url)

    @rx.event
    async def set_link(self, link_id: int, active: bool):
        result = await self.guard(link_service.set_link_active, int(link_id), bool(active))
        return await self._then("Link updated.", result)
