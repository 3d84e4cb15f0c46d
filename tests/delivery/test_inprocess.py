"""Delivery without Redis (the embedded default): the same jobs, run by the app's own threads."""

from __future__ import annotations

from sqlmodel import select

from services.db import read_session
from services.delivery import dispatch
from services.delivery.inprocess import runner
from services.models import Delivery, DeliveryAttempt, Ticket
from tests.delivery.checks import body_text, pdf_attachment, pdf_pages_text, qr_codes_per_page
from tests.delivery.factory import make_paid_order, make_show


def test_paid_order_is_emailed_in_process_with_its_tickets(smtp_server) -> None:
    order, ids = make_paid_order(make_show(), quantity=2, language="en", name="Noa Levi")
    dispatch(ids)
    assert runner().drain(60)
    [message] = smtp_server.wait_for(1)
    assert order.number in message["Subject"] and "Ravid Plotnik Live" in message["Subject"]
    assert message["To"].endswith(order.email)
    text = body_text(message)
    assert "Thursday 03.12.2026" in text and "20:00" in text and "/api/tickets/" in text
    pdf = pdf_attachment(message)
    with read_session() as session:
        barcodes = [t.barcode for t in session.exec(select(Ticket).where(Ticket.order_id == order.id).order_by(Ticket.id))]
        delivery = session.get(Delivery, ids[0])
        attempts = session.exec(select(DeliveryAttempt).where(DeliveryAttempt.delivery_id == ids[0])).all()
    pages = pdf_pages_text(pdf)
    assert len(pages) == 2
    for page, barcode in zip(pages, barcodes, strict=True):
        assert barcode in page and order.number in page and "Noa Levi" in page
    assert qr_codes_per_page(pdf) == [[b] for b in barcodes]
    assert delivery.status == "sent" and delivery.attempts == 1 and delivery.message_id == message["Message-ID"]
    assert [a.outcome for a in attempts] == ["sent"]
