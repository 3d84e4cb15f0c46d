"""Show management: create, edit, duplicate, hide, cancel, tiers, images, links and the live preview;
changes that would break sold tickets are refused with a clear message and change nothing."""

from __future__ import annotations

import pytest
from sqlmodel import select

from services.backoffice import links, shows
from services.db import read_session, transaction
from services.errors import ValidationFailed
from services.models import AuditEntry, SecretLink, Show, ShowStatus, TicketTier

FORM = {"title_he": "הופעה חדשה", "title_en": "New Show", "artist": "להקה / Band", "starts_at": "2027-03-04T21:00",
        "doors_at": "2027-03-04T20:00", "seating": "standing", "capacity": "500", "status": "active",
        "max_per_order": "6", "is_public": "true", "description_he": "תיאור", "description_en": "About"}
TIER = {"kind": "regular", "name_he": "רגיל", "name_en": "Regular", "price": "149.90", "allocation": "400",
        "sale_starts_at": "", "sale_ends_at": "", "per_customer_limit": "", "is_public": "true"}


def test_create_edit_and_tiers_then_the_public_can_buy(tokens) -> None:
    manager = tokens["manager"]
    show_id = shows.save_show(manager, None, FORM)
    tier_id = shows.save_tier(manager, show_id, None, TIER)
    with read_session() as session:
        show, tier = session.get(Show, show_id), session.get(TicketTier, tier_id)
    assert show.starts_at.isoformat() == "2027-03-04T19:00:00+00:00"  # Tel Aviv winter time is UTC+2
    assert (tier.price, show.is_public, show.slug) == (14990, True, "new-show")
    assert shows.preview(manager, show_id).action == "buy"
    assert shows.preview(manager, show_id).price == "₪149.90"
    shows.save_show(manager, show_id, {**FORM, "capacity": "600", "waiting_list_enabled": "true", "min_age": "18"})
    assert shows.show_form(manager, show_id)["capacity"] == "600"
    assert shows.show_form(manager, show_id)["min_age"] == "18"
    with read_session() as session:
        assert {e.action for e in session.exec(select(AuditEntry))} >= {"show.create", "show.update", "tier.save"}


@pytest.mark.parametrize(("field", "value", "message"), [
    ("title_en", " ", "English title is required"),
    ("starts_at", "next friday", "must be a date and time"),
    ("doors_at", "2027-03-04T22:00", "Doors must open before"),
    ("capacity", "-5", "Capacity must be a whole number"),
    ("status", "party", "Status must be one of"),
    ("min_age", "17", "age limit must be none, 16\\+, 18\\+ or 21\\+"),
    ("min_age", "abc", "age limit must be"),
])
def test_bad_show_input_is_refused_with_a_message(tokens, field: str, value: str, message: str) -> None:
    with pytest.raises(ValidationFailed, match=message):
        shows.save_show(tokens["admin"], None, {**FORM, field: value})
    with read_session() as session:
        assert session.exec(select(Show).where(Show.title_en == "New Show")).first() is None


def _sold_show(token: str) -> tuple[int, int]:
    show_id = shows.save_show(token, None, FORM)
    tier_id = shows.save_tier(token, show_id, None, TIER)
    with transaction() as session:
        session.get(TicketTier, tier_id).sold = 120
        session.get(Show, show_id).sold = 120
    return show_id, tier_id


def test_changes_that_would_break_sold_tickets_are_refused(tokens) -> None:
    token = tokens["manager"]
    show_id, tier_id = _sold_show(token)
    with pytest.raises(ValidationFailed, match="below the 120 tickets already sold"):
        shows.save_show(token, show_id, {**FORM, "capacity": "100"})
    with pytest.raises(ValidationFailed, match="below the 120 tickets"):
        shows.save_tier(token, show_id, tier_id, {**TIER, "allocation": "119"})
    with pytest.raises(ValidationFailed, match="has sales"):
        shows.delete_tier(token, tier_id)
    with read_session() as session:
        assert (session.get(Show, show_id).capacity, session.get(TicketTier, tier_id).allocation) == (500, 400)
    shows.save_show(token, show_id, {**FORM, "capacity": "120"})  # exactly what is sold is fine


def test_duplicate_hide_cancel_and_delete_an_unsold_tier(tokens) -> None:
    token = tokens["admin"]
    show_id, _tier = _sold_show(token)
    copy_id = shows.duplicate_show(token, show_id)
    with read_session() as session:
        copy = session.get(Show, copy_id)
        copy_tiers = session.exec(select(TicketTier).where(TicketTier.show_id == copy_id)).all()
    assert (copy.status, copy.is_public, copy.sold, copy.title_he) == (ShowStatus.DRAFT, False, 0, "הופעה חדשה")
    assert [(t.name_en, t.sold, t.price) for t in copy_tiers] == [("Regular", 0, 14990)]
    shows.delete_tier(token, copy_tiers[0].id)
    shows.set_public(token, show_id, False)
    assert shows.preview(token, show_id).action == "unavailable"
    shows.cancel_show(token, show_id)
    with pytest.raises(ValidationFailed, match="already cancelled"):
        shows.cancel_show(token, show_id)


def test_images_are_checked_by_content_and_size_and_stored_under_the_media_folder(tokens, tmp_path, monkeypatch) -> None:
    from services.settings import get_settings

    monkeypatch.setenv("MEDIA_DIR", str(tmp_path / "media"))
    get_settings.cache_clear()
    token = tokens["manager"]
    show_id = shows.save_show(token, None, FORM)
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
    url = shows.upload_image(token, show_id, "poster.png", png)
    assert url.startswith("/api/media/shows/new-show-") and url.endswith(".png")
    assert (tmp_path / "media" / "shows" / url.rsplit("/", 1)[1]).read_bytes() == png
    with pytest.raises(ValidationFailed, match="not a JPEG, PNG or WebP"):
        shows.upload_image(token, show_id, "poster.jpg", b"<script>alert(1)</script>")
    with pytest.raises(ValidationFailed, match="too large"):
        shows.upload_image(token, show_id, "huge.jpg", b"\xff\xd8\xff" + b"\0" * (5 * 1024 * 1024))
    get_settings.cache_clear()


def test_secret_links_are_created_listed_with_sales_and_disabled(tokens) -> None:
    token = tokens["manager"]
    show_id = shows.save_show(token, None, FORM)
    tier_id = shows.save_tier(token, show_id, None, TIER)
    url = links.create_link(token, show_id, {"tier_id": str(tier_id), "price": "99", "allocation": "20",
                                             "max_per_order": "2", "campaign": "חברים של הלהקה"})
    [row] = links.list_links(token, show_id)
    assert row.url == url and "/s/" in url and (row.price, row.allocation, row.orders) == ("₪99", 20, 0)
    assert row.campaign == "חברים של הלהקה" and row.active
    with pytest.raises(ValidationFailed, match="Allocation must be"):
        links.create_link(token, show_id, {"tier_id": str(tier_id), "allocation": "0"})
    links.set_link_active(token, row.id, False)
    with read_session() as session:
        assert not session.get(SecretLink, row.id).active


def test_an_uploaded_poster_is_printed_on_the_tickets(tokens, tmp_path, monkeypatch) -> None:
    """The poster staff upload is the one on the PDF (it used to be looked for among the demo posters only)."""
    import io

    from PIL import Image
    from pypdf import PdfReader

    from services.delivery.content import load_order_view, render_order_pdf
    from services.settings import get_settings
    from tests.delivery.factory import make_paid_order

    monkeypatch.setenv("MEDIA_DIR", str(tmp_path / "media"))
    get_settings.cache_clear()
    show_id = shows.save_show(tokens["manager"], None, FORM)
    with transaction() as session:
        tier_id = _tier(session, show_id)
    red = io.BytesIO()
    Image.new("RGB", (900, 400), (230, 20, 20)).save(red, format="PNG")
    shows.upload_image(tokens["manager"], show_id, "poster.png", red.getvalue())
    order, _ids = make_paid_order((show_id, tier_id), quantity=1)
    with read_session() as session:
        pdf = render_order_pdf(load_order_view(session, order.id))
    pictures = [picture.image.convert("RGB") for picture in PdfReader(io.BytesIO(pdf)).pages[0].images]
    reds = [p for p in pictures if p.getpixel((p.width // 2, p.height // 2)) == (230, 20, 20)]
    assert len(reds) == 1, [p.size for p in pictures]
    get_settings.cache_clear()


def _tier(session, show_id: int) -> int:
    tier = TicketTier(show_id=show_id, name_he="רגיל", name_en="Regular", price=10000, allocation=50)
    session.add(tier)
    session.flush()
    return tier.id
