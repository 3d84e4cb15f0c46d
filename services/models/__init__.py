"""The domain schema: every table of the product, imported here so alembic sees them all."""

from services.models.base import StrEnum, UTCDateTime, utcnow
from services.models.giftcards import (
    GiftCard,
    GiftCardRedemption,
    GiftCardStatus,
    GiftCardTransaction,
    RedemptionStatus,
)
from services.models.operations import (
    AuditEntry,
    Delivery,
    DeliveryAttempt,
    DeliveryChannel,
    DeliveryStatus,
    LegacyId,
    StaffRole,
    StaffUser,
)
from services.models.orders import (
    Customer,
    CustomerNote,
    DeliveryMethod,
    Order,
    OrderKind,
    OrderStatus,
    Ticket,
    TicketStatus,
)
from services.models.payments import Payment, PaymentCallback, PaymentStatus, Refund
from services.models.shows import (
    Hold,
    HoldStatus,
    Seating,
    SecretLink,
    Show,
    ShowStatus,
    TicketTier,
    TierKind,
    WaitingKind,
    WaitingListEntry,
)

__all__ = [
    "AuditEntry", "Customer", "CustomerNote", "Delivery", "DeliveryAttempt", "DeliveryChannel",
    "DeliveryMethod", "DeliveryStatus", "GiftCard", "GiftCardRedemption", "GiftCardStatus", "GiftCardTransaction", "Hold",
    "HoldStatus", "LegacyId", "Order", "OrderKind", "OrderStatus", "Payment", "PaymentCallback",
    "PaymentStatus", "RedemptionStatus", "Refund", "Seating", "SecretLink", "Show", "ShowStatus", "StaffRole", "StaffUser",
    "StrEnum", "Ticket", "TicketStatus", "TicketTier", "TierKind", "UTCDateTime", "WaitingKind",
    "WaitingListEntry", "utcnow",
]
