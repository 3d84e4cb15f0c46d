"""The age limit is the show's own: printed on the tickets and in the email only for a show that has one."""

from __future__ import annotations

from email import message_from_bytes
from email.policy import default

import pytest

from services.db import read_session, transaction
from services.delivery.content import load_order_view, render_order_pdf
from services.delivery.mail import LinkInfo, build_email
from services.models import Show, utcnow
from tests.delivery.checks import body_html, body_text, pdf_pages_text
from tests.delivery.factory import make_paid_order, make_show


def _documents(min_age: int, language: str) -> tuple[str, str]:
    show = make_show()
    with transaction() as session:
        session.get(Show, show[0]).min_age = min_age
    order, _ids = make_paid_order(show, quantity=1, language=language)
    with read_session() as session:
        view = load_order_view(session, order.id)
    pdf = render_order_pdf(view)
    email = build_email(view, link=LinkInfo("https://barby.example/t", utcnow()), pdf=pdf, message_id="<m@x>")
    parsed = message_from_bytes(email.as_string().encode(), policy=default)
    return "\n".join(pdf_pages_text(pdf)), body_text(parsed) + body_html(parsed)


@pytest.mark.parametrize("language, words", [("en", "Age limit"), ("he", "הגבלת גיל")])
def test_an_all_ages_show_prints_no_age_limit(language: str, words: str) -> None:
    pdf, email = _documents(0, language)
    assert "18+" not in pdf and "18+" not in email and words not in email and words not in pdf


def test_an_18_plus_show_says_so_on_the_ticket_and_in_the_email() -> None:
    pdf, email = _documents(18, "en")
    assert "18+" in pdf and "Entry is 18+ only" in pdf and "Age limit" in pdf
    assert "Age limit" in email and "18+" in email


def test_the_show_page_shows_the_shows_own_age_limit(seeded) -> None:
    from services.storefront import show_page

    assert show_page(slug="red-axes-night", language="en").age_limit == "21+"
    assert show_page(slug="shlomo-artzi-intimate", language="he").age_limit == ""
