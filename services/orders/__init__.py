"""Orders: from a hold to a paid order with tickets, exactly once, and back again by refund.

The rules this module keeps:
- money is integer agorot; an order changes state only inside one `transaction()`, with its row
  locked (`SELECT ... FOR UPDATE`) so concurrent callbacks, return pages and jobs take turns;
- nothing is marked paid on the word of a callback or a redirect: only the provider's status API
  (`TxnStatus`) settles a payment, and a provider transaction id is recorded once;
- a paid order is never dropped: when its tickets cannot be issued it waits for staff
  (NEEDS_ATTENTION) with the reason written down;
- no network call happens inside a database transaction.
"""

from services.orders.common import order_by_number
from services.orders.creation import Contact, create_ticket_order, start_payment
from services.orders.reconciliation import (
    OrderView,
    current_order,
    order_status,
    recheck_with_provider,
    reconcile_pending,
    recover_late_payments,
    shows_as_paid,
)
from services.orders.refunds import cancel_order, refund_order
from services.orders.settlement import (
    Settlement,
    complete_with_gift_cards,
    mark_paid,
    record_decline,
    settle_payment,
)

__all__ = [
    "Contact", "OrderView", "Settlement", "cancel_order", "complete_with_gift_cards", "create_ticket_order",
    "current_order", "mark_paid", "order_by_number", "order_status", "recheck_with_provider", "reconcile_pending",
    "record_decline", "recover_late_payments", "refund_order", "settle_payment", "shows_as_paid", "start_payment",
]
