"""The order page shows everything about an order on one screen; its actions do the work through the
owning services and land in the audit timeline with who and when. Also the customer page."""

from __future__ import annotations

import pytest
from sqlmodel import select

from services.backoffice import customers, orders
from services.db import read_session, transaction
from services.errors import BarbyError, ValidationFailed
from services.models import (
    Delivery,
    DeliveryAttempt,
    Order,
    Payment,
    PaymentCallback,
    Ticket,
    WaitingListEntry,
)


@pytest.fixture
def order(seeded) -> Order:
    """A seeded paid order with a payment, three callbacks (valid, duplicate, forged) and a failed delivery."""
    with transaction() as session:
        order = session.exec(select(Order).where(Order.email == "noa.levi@example.com").order_by(Order.id)).first()
        session.add(Payment(order_id=order.id, provider="payplus", page_request_uid="uid-1",
                            provider_transaction_id="txn-1", amount=order.total, status="approved", card_last4="4242",
                            method="google_pay"))
        for valid, outcome in ((True, "paid"), (True, "duplicate_ignored"), (False, "bad_signature")):
            session.add(PaymentCallback(provider="payplus", raw_body="{}", signature_valid=valid, outcome=outcome,
                                        order_number=order.number, provider_transaction_id="txn-1"))
        delivery = Delivery(order_id=order.id, channel="email", recipient=order.email, idempotency_key="k1",
                            status="failed", attempts=1, last_error="550 mailbox unavailable")
        session.add(delivery)
        session.flush()
        session.add(DeliveryAttempt(delivery_id=delivery.id, outcome="failed", error="550 mailbox unavailable"))
        return order


def test_the_order_page_has_everything(tokens, order) -> None:
    page = orders.order_page(tokens["box_office"], order.number)
    assert (page.number, page.name, page.status, len(page.tickets)) == (order.number, "נועה לוי", "paid", 2)
    assert [(c.valid, c.duplicate) for c in page.callbacks] == [(True, False), (True, True), (False, False)]
    assert page.payments[0].transaction_id == "txn-1" and page.payments[0].amount.startswith("₪")
    assert page.payments[0].card == "Google Pay ••4242"  # how the customer paid, as staff read it
    assert page.deliveries[0].last_error == "550 mailbox unavailable" and "failed" in page.deliveries[0].history
    assert orders.order_page(tokens["support"], str(order.id)).total == "—"  # support: no prices


def test_resend_and_email_correction_are_sent_and_audited(tokens, order, smtp_server) -> None:
    orders.resend_tickets(tokens["support"], order.number)
    with pytest.raises(ValidationFailed):
        orders.correct_email_and_resend(tokens["support"], order.number, "noa@")
    message = orders.correct_email_and_resend(tokens["support"], order.number, " Noa.Fixed@Example.com ")
    assert "noa.fixed@example.com" in message
    received = smtp_server.wait_for(2)
    assert sorted(m["To"] for m in received) == ["noa.fixed@example.com", "noa.levi@example.com"]
    page = orders.order_page(tokens["admin"], order.number)
    assert page.email == "noa.fixed@example.com"
    resent = [line for line in page.timeline if line.action == "order.tickets_resent"]
    assert len(resent) == 2 and {line.actor for line in resent} == {"Sagi Support"}


def test_void_and_reissue_a_ticket(tokens, order) -> None:
    with read_session() as session:
        first, second = session.exec(select(Ticket).where(Ticket.order_id == order.id).order_by(Ticket.id)).all()
    orders.void_ticket(tokens["box_office"], order.number, first.id, "lost")
    message = orders.reissue_ticket(tokens["box_office"], order.number, second.id, "shared on Instagram")
    page = orders.order_page(tokens["admin"], order.number)
    assert [t.status for t in page.tickets] == ["void", "void", "valid"]
    assert page.tickets[2].replaces == second.barcode and page.tickets[2].barcode in message
    actions = [line.action for line in page.timeline]
    assert {"order.ticket_voided", "order.ticket_reissued", "ticket.voided", "ticket.reissued"} <= set(actions)
    with pytest.raises(BarbyError, match="does not belong"):
        orders.void_ticket(tokens["box_office"], order.number, first.id + 1000)


def test_refund_and_cancel_need_a_reason(tokens, order) -> None:
    with pytest.raises(ValidationFailed, match="Say why"):
        orders.refund(tokens["manager"], order.number, "10", " ")
    with pytest.raises(ValidationFailed, match="Say why"):
        orders.cancel(tokens["manager"], order.number, "")
    with pytest.raises(ValidationFailed, match="amount in shekels"):
        orders.refund(tokens["manager"], order.number, "ten", "asked")


def test_the_customer_page_and_notes(tokens, order) -> None:
    with transaction() as session:
        session.add(WaitingListEntry(show_id=order.show_id, customer_id=order.customer_id, name="נועה לוי",
                                     email="noa.levi@example.com"))
    with pytest.raises(ValidationFailed, match="Write the note"):
        customers.add_note(tokens["support"], order.customer_id, "  ")
    customers.add_note(tokens["support"], order.customer_id, "התקשרה: לא קיבלה כרטיסים, נשלחו שוב")
    page = customers.customer_page(tokens["support"], order.customer_id)
    assert page.name == "נועה לוי" and order.number in [o.number for o in page.orders]
    # Support sees the cards she received, never their codes (the code spends the money) nor balances.
    assert [g.code for g in page.gift_cards] == ["••••-7777", "••••-2222"] and page.gift_cards[0].balance == "—"
    assert len(page.waiting) == 1 and page.notes[0].author == "Sagi Support"
    assert customers.customer_page(tokens["admin"], order.customer_id).gift_cards[0].balance == "₪300"
