"""Gift-card orders reach both people: the recipient gets the card (PDF, code, dates, message), the buyer a receipt."""

from __future__ import annotations

from sqlmodel import select

from services.db import read_session
from services.delivery import dispatch
from services.delivery.inprocess import runner
from services.giftcards import format_code
from services.models import Delivery, GiftCard
from services.orders import mark_paid
from services.orders.giftcard_orders import GiftCardRequest, create_gift_card_order
from services.payments import TxnState, TxnStatus
from tests.delivery.checks import body_text, pdf_attachment, pdf_pages_text, qr_codes_per_page


def paid_gift_card_order(language: str = "en") -> tuple[int, GiftCard]:
    order = create_gift_card_order(GiftCardRequest(
        amount="180", buyer_name="Dana Levi", buyer_email="dana@example.com", buyer_phone="0521234567",
        recipient_name="Noa Cohen", recipient_email="noa@example.com", message="Happy birthday, Noa!",
        language=language), idempotency_key="gift-1")
    mark_paid(order.id, TxnStatus(TxnState.APPROVED, transaction_id="t-1", amount=18000, currency="ILS"),
              provider="sandbox", source="test")
    with read_session() as session:
        return order.id, session.exec(select(GiftCard).where(GiftCard.purchase_order_id == order.id)).one()


def test_the_recipient_gets_the_card_and_the_buyer_a_receipt_without_the_code(smtp_server) -> None:
    order_id, card = paid_gift_card_order()
    with read_session() as session:
        ids = [d.id for d in session.exec(select(Delivery).where(Delivery.order_id == order_id))]
    dispatch(ids)
    assert runner().drain(60)
    messages = {m["To"]: m for m in smtp_server.wait_for(2)}
    to_noa, to_dana = messages["noa@example.com"], messages["dana@example.com"]
    assert "Dana Levi sent you a Barby gift card" in to_noa["Subject"]
    letter = body_text(to_noa)
    assert format_code(card.code) in letter and "Happy birthday, Noa!" in letter and "Valid until" in letter
    pdf = pdf_attachment(to_noa)
    assert qr_codes_per_page(pdf) == [[card.code]]
    page = pdf_pages_text(pdf)[0]
    assert "Issued" in page and "Valid until" in page and str(card.expires_at.year) in page
    receipt = body_text(to_dana)
    assert "Receipt" in to_dana["Subject"] and "Noa Cohen" in receipt and card.code not in receipt
    assert format_code(card.code) not in receipt and not list(to_dana.iter_attachments())
