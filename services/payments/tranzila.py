"""Tranzila: hosted iframe page with a notify URL, then its JSON API for status and refunds.

Documents followed (docs.tranzila.com):
- Authentication: https://docs.tranzila.com/docs/payments-and-billing/authentication (and
  /docs/reports/authentication): headers X-tranzila-api-app-key, X-tranzila-api-request-time (unix
  seconds), X-tranzila-api-nonce (40 random bytes, hex), X-tranzila-api-access-token =
  hex HMAC-SHA256(message=app_key, key=secret + request_time + nonce).
- Transaction information: https://docs.tranzila.com/docs/reports/track-transaction-data/get-transaction-information
  (POST https://api.tranzila.com/v1/transactions, body terminal_name + transaction_index, or
  transaction_start_date / transaction_end_date (YYYY-MM-DD) for a range).
- Create a credit card transaction: https://docs.tranzila.com/docs/payments-and-billing/tranzila-api/create-a-credit-card-transaction
  (POST https://api.tranzila.com/v1/transaction/credit_card/create, txn_type "credit" for a refund
  of an earlier transaction referenced by reference_txn_id).
- Notify page: https://docs.tranzila.com/docs/vibe-coding/closing-an-order-in-base44-using-notify-page
  (the iframe page posts the transaction result to the notify URL; return method POST).
Not confirmed from the stored copies: the iframe page's query parameters (we use the long-standing
direct.tranzila.com/{terminal}/iframenew.php with sum, currency=1 (ILS), orderid, contact, email,
phone, lang, notify_url_address, success_url_address, fail_url_address, google_pay=1), the notify
field names (Response "000" = approved, index, sum, currency, ConfirmationCode, ccno, orderid) and
the answer shapes of /v1/transactions (transactions[].index, amount, currency,
processor_response_code, authorization_number, order_id) and of the credit transaction
(error_code, transaction_result.processor_response_code / transaction_id), and how a report row names a
wallet payment (read defensively from payment_method / wallet / digital_wallet; none means a card). Tranzila does not sign
the notify call, so we put our own HMAC of the order number in the notify URL and, above all,
never mark anything paid before /v1/transactions confirms it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode

from services.payments.base import (
    CallbackCheck,
    CallbackRequest,
    PageRequest,
    PaymentPage,
    ProviderError,
    RefundResult,
    TxnState,
    TxnStatus,
    agorot_to_decimal,
    decimal_to_agorot,
    payment_method,
)
from services.payments.http import post_json

APPROVED_CODE = "000"
ILS_CODE = "1"  # Tranzila's currency code for shekels


def access_headers(app_key: str, secret: str, *, now: int | None = None, nonce: str | None = None) -> dict[str, str]:
    """The four authentication headers of Tranzila's API (see the module docstring)."""
    request_time = str(now if now is not None else int(time.time()))
    nonce = nonce or secrets.token_hex(40)
    token = hmac.new((secret + request_time + nonce).encode(), app_key.encode(), hashlib.sha256).hexdigest()
    return {
        "X-tranzila-api-app-key": app_key,
        "X-tranzila-api-request-time": request_time,
        "X-tranzila-api-nonce": nonce,
        "X-tranzila-api-access-token": token,
        "Content-Type": "application/json",
    }


class TranzilaProvider:
    """Tranzila iframe page + notify, confirmed and refunded through api.tranzila.com."""

    def __init__(
        self, *, terminal: str, app_key: str, secret: str, api_base_url: str, direct_base_url: str = "https://direct.tranzila.com"
    ) -> None:
        self.name = "tranzila"
        self.terminal = terminal
        self._app_key = app_key
        self._secret = secret
        self.api_base_url = api_base_url.rstrip("/")
        self.direct_base_url = direct_base_url.rstrip("/")

    def __repr__(self) -> str:
        return f"TranzilaProvider(terminal={self.terminal!r}, api_base_url={self.api_base_url!r})"

    def notify_token(self, order_number: str) -> str:
        """Our proof, carried in the notify URL, that the notify belongs to this order."""
        message = f"{self.terminal}:{order_number}".encode()
        return hmac.new(self._secret.encode(), message, hashlib.sha256).hexdigest()

    def create_payment_page(self, request: PageRequest) -> PaymentPage:
        """Tranzila's page needs no API call: the URL itself carries the order."""
        notify = f"{request.callback_url}?{urlencode({'ref': request.order_number, 'sig': self.notify_token(request.order_number)})}"
        params = {
            "sum": str(agorot_to_decimal(request.amount)),
            "currency": ILS_CODE,
            "cred_type": "1",
            "orderid": request.order_number,
            "contact": request.customer_name,
            "email": request.email,
            "phone": request.phone,
            "lang": "il" if request.language == "he" else "us",
            "google_pay": "1",
            "notify_url_address": notify,
            "success_url_address": request.success_url,
            "fail_url_address": request.failure_url,
        }
        url = f"{self.direct_base_url}/{self.terminal}/iframenew.php?{urlencode(params)}"
        return PaymentPage(url=url, page_request_uid=request.order_number)

    def verify_callback(self, callback: CallbackRequest) -> CallbackCheck:
        """Authentic when the URL's token matches the order the notify names (Tranzila itself signs nothing)."""
        fields = {key: values[-1] for key, values in parse_qs(callback.body.decode("utf-8", "replace")).items()}
        ref = str(callback.query.get("ref", ""))
        token = str(callback.query.get("sig", ""))
        if not ref or not token or not hmac.compare_digest(self.notify_token(ref), token):
            return CallbackCheck(authentic=False, detail="notify token mismatch")
        if fields.get("orderid", ref) != ref:
            return CallbackCheck(authentic=False, detail="notify order differs from its token")
        return CallbackCheck(
            authentic=True,
            order_number=ref,
            transaction_id=fields.get("index", ""),
            page_request_uid=ref,
            state=TxnState.APPROVED if fields.get("Response") == APPROVED_CODE else TxnState.DECLINED,
            amount=decimal_to_agorot(fields.get("sum")),
            currency=_currency(fields.get("currency", ILS_CODE)),
            approval_number=fields.get("ConfirmationCode", ""),
            card_last4=fields.get("ccno", "")[-4:],
        )

    def query_status(self, *, page_request_uid: str = "", transaction_id: str = "", order_number: str = "") -> TxnStatus:
        """Tranzila's report of the transaction: by index when we have it, else by our order id in recent days."""
        body: dict[str, Any] = {"terminal_name": self.terminal}
        if transaction_id:
            body["transaction_index"] = int(transaction_id)
        else:
            today = date.today()
            body["transaction_start_date"] = (today - timedelta(days=1)).isoformat()
            body["transaction_end_date"] = today.isoformat()
        answer = post_json(f"{self.api_base_url}/v1/transactions", body, self._headers(), idempotent=True)
        rows = answer.get("transactions") or answer.get("data") or []
        rows = rows if isinstance(rows, list) else []
        wanted = order_number or page_request_uid
        found = [_status(row, fallback_order=wanted) for row in rows if _matches(row, transaction_id, wanted)]
        approved = [status for status in found if status.state == TxnState.APPROVED]
        if approved or found:
            return (approved or found)[0]
        return TxnStatus(state=TxnState.PENDING, detail="no such transaction at Tranzila")

    def refund(self, *, transaction_id: str, amount: int, currency: str, approval_number: str = "") -> RefundResult:
        """A credit transaction referencing the original charge."""
        body = {
            "terminal_name": self.terminal,
            "txn_type": "credit",
            "reference_txn_id": int(transaction_id),
            "authorization_number": approval_number,
            "txn_currency_code": currency,
            "items": [{"name": "Refund", "type": "I", "unit_price": float(agorot_to_decimal(amount)), "units_number": 1}],
        }
        answer = post_json(
            f"{self.api_base_url}/v1/transaction/credit_card/create", body, self._headers(), idempotent=False
        )
        result = answer.get("transaction_result") or {}
        if str(answer.get("error_code", "0")) != "0" or str(result.get("processor_response_code")) != APPROVED_CODE:
            raise ProviderError(f"Tranzila refused the refund: {answer.get('message', '')}")
        return RefundResult(reference=str(result.get("transaction_id", "")))

    def _headers(self) -> dict[str, str]:
        return access_headers(self._app_key, self._secret)


def _matches(row: object, transaction_id: str, order_number: str) -> bool:
    if not isinstance(row, dict):
        return False
    if transaction_id:
        return str(row.get("index")) == str(transaction_id)
    return str(row.get("order_id") or row.get("orderid") or "") == order_number


def _status(row: dict[str, Any], *, fallback_order: str) -> TxnStatus:
    code = str(row.get("processor_response_code", "")).zfill(3)
    return TxnStatus(
        state=TxnState.APPROVED if code == APPROVED_CODE else TxnState.DECLINED,
        transaction_id=str(row.get("index", "")),
        page_request_uid=fallback_order,
        order_number=str(row.get("order_id") or row.get("orderid") or fallback_order),
        amount=decimal_to_agorot(row.get("amount")),
        currency=_currency(row.get("currency", ILS_CODE)),
        approval_number=str(row.get("authorization_number") or ""),
        card_last4=str(row.get("last_4") or row.get("ccno") or "")[-4:],
        method=payment_method(row.get("payment_method"), row.get("wallet"), row.get("digital_wallet")),
    )


def _currency(value: object) -> str:
    text = str(value or "").upper()
    return "ILS" if text in (ILS_CODE, "ILS", "NIS") else text
