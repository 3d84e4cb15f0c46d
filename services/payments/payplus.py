"""PayPlus over its REST API (also what the local sandbox speaks, so this adapter runs unchanged there).

Documents followed (PayPlus API reference, docs.payplus.co.il):
- Generate a payment page link: https://docs.payplus.co.il/reference/post_paymentpages-generatelink
  (POST {base}/PaymentPages/generateLink, headers `api-key` + `secret-key`; body payment_page_uid,
  amount (ILS decimal), currency_code, charge_method, refURL_success / refURL_failure /
  refURL_callback, more_info, customer{customer_name,email,phone}; answer results.status and
  data.page_request_uid / data.payment_page_link). Staging base https://restapidev.payplus.co.il/api/v1.0,
  production https://restapi.payplus.co.il/api/v1.0 (same page's "servers", and PayPlus's FAQ
  "איך פונים אל דף תשלום באמצעות API").
- Validate requests received from PayPlus: https://docs.payplus.co.il/reference/validate-requests-received-from-payplus
  (header `hash` = base64 HMAC-SHA256 of the JSON body with our secret key; header `user-agent: PayPlus`).
- Transaction callback: https://docs.payplus.co.il/reference/get_yourdomain-yourendpoint
  (sent for every charged or refunded transaction; payment_request_uid only for payment-page ones).
- IPN (status of a page request / transaction): https://docs.payplus.co.il/reference/post_paymentpages-ipn
  (POST {base}/PaymentPages/ipn with payment_request_uid or transaction_uid).
- Refund: https://docs.payplus.co.il/reference/post_transactions-refundbytransactionuid
  (POST {base}/Transactions/RefundByTransactionUID with transaction_uid and amount).
Not confirmed from the stored copies (the example bodies were not readable in full): the exact
nesting of the callback and IPN answers. We read the field names used by PayPlus's own plugins
(transaction.uid, transaction.status_code "000" = approved, transaction.amount, transaction.currency,
transaction.more_info, transaction.payment_page_request_uid, transaction.approval_number,
data.card_information.four_digits, transaction.alternative_method_name ("google-pay"; empty for a card);
IPN data.method, data.status_code, data.transaction_uid, data.amount,
data.more_info) and accept both a flat and a nested layout; `send_failure_callback` and
`hide_other_charge_methods` are likewise taken from public integrations, not the reference.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

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
CHARGE_METHOD_CHARGE = 1  # J4: immediate charge


def sign_body(body: bytes, secret: str) -> str:
    """PayPlus's callback signature: base64(HMAC-SHA256(secret, body))."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


class PayPlusProvider:
    """PayPlus hosted payment page, callback check, IPN status and refund by transaction."""

    def __init__(self, *, name: str, base_url: str, api_key: str, secret_key: str, payment_page_uid: str) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key
        self._secret = secret_key
        self.payment_page_uid = payment_page_uid

    def __repr__(self) -> str:  # never show the keys, even in a traceback
        return f"PayPlusProvider(name={self.name!r}, base_url={self.base_url!r})"

    def _headers(self) -> dict[str, str]:
        return {"api-key": self._api_key, "secret-key": self._secret, "accept": "application/json"}

    def create_payment_page(self, request: PageRequest) -> PaymentPage:
        """Ask PayPlus for a one-off page for this order; card and Google Pay are offered on it."""
        payload = {
            "payment_page_uid": self.payment_page_uid,
            "charge_method": CHARGE_METHOD_CHARGE,
            "amount": float(agorot_to_decimal(request.amount)),
            "currency_code": request.currency,
            "language_code": request.language,
            "more_info": request.order_number,
            "refURL_success": request.success_url,
            "refURL_failure": request.failure_url,
            "refURL_callback": request.callback_url,
            "send_failure_callback": True,
            "hide_other_charge_methods": False,  # keep Google Pay next to the card form
            "customer": {"customer_name": request.customer_name, "email": request.email, "phone": request.phone},
            "items": [{"name": request.description, "quantity": 1, "price": float(agorot_to_decimal(request.amount))}],
        }
        answer = post_json(f"{self.base_url}/PaymentPages/generateLink", payload, self._headers(), idempotent=False)
        data = answer.get("data") or {}
        if _results_status(answer) != "success" or not data.get("payment_page_link"):
            raise ProviderError(f"PayPlus refused the payment page: {_description(answer)}")
        return PaymentPage(url=str(data["payment_page_link"]), page_request_uid=str(data.get("page_request_uid", "")))

    def verify_callback(self, callback: CallbackRequest) -> CallbackCheck:
        """Authentic only when the `hash` header is the HMAC of the body with our secret key."""
        headers = {key.lower(): value for key, value in callback.headers.items()}
        received = headers.get("hash", "")
        if not received:
            return CallbackCheck(authentic=False, detail="no hash header")
        if headers.get("user-agent", "") != "PayPlus":
            return CallbackCheck(authentic=False, detail="user-agent is not PayPlus")
        try:
            body = json.loads(callback.body)
        except (ValueError, RecursionError):
            return CallbackCheck(authentic=False, detail="body is not JSON")
        if not isinstance(body, dict) or not _signature_matches(callback.body, body, received, self._secret):
            return CallbackCheck(authentic=False, detail="signature mismatch")
        return _read_callback(body)

    def query_status(self, *, page_request_uid: str = "", transaction_id: str = "", order_number: str = "") -> TxnStatus:
        """PayPlus's IPN answer for a page request (or a transaction): approved, declined or nothing yet."""
        if not page_request_uid and not transaction_id:
            return TxnStatus(state=TxnState.PENDING, detail="nothing to look up")
        payload: dict[str, Any] = {"related_transaction": False}
        if page_request_uid:
            payload["payment_request_uid"] = page_request_uid
        if transaction_id:
            payload["transaction_uid"] = transaction_id
        answer = post_json(f"{self.base_url}/PaymentPages/ipn", payload, self._headers(), idempotent=True)
        if _results_status(answer) != "success":
            return TxnStatus(state=TxnState.PENDING, page_request_uid=page_request_uid, detail=_description(answer))
        data = answer.get("data") or {}
        txn = data.get("transaction") if isinstance(data.get("transaction"), dict) else data
        return TxnStatus(
            state=_state(txn.get("status_code")),
            transaction_id=str(txn.get("transaction_uid") or txn.get("uid") or ""),
            page_request_uid=str(
                txn.get("page_request_uid") or txn.get("payment_page_request_uid") or page_request_uid
            ),
            order_number=str(txn.get("more_info") or ""),
            amount=decimal_to_agorot(txn.get("amount")),
            currency=str(txn.get("currency_code") or txn.get("currency") or ""),
            approval_number=str(txn.get("approval_number") or txn.get("approval_num") or ""),
            card_last4=str(txn.get("four_digits") or ""),
            method=payment_method(txn.get("alternative_method_name"), txn.get("method"), data.get("method")),
        )

    def refund(self, *, transaction_id: str, amount: int, currency: str, approval_number: str = "") -> RefundResult:
        """Refund part or all of a charged transaction."""
        payload = {"transaction_uid": transaction_id, "amount": float(agorot_to_decimal(amount))}
        answer = post_json(
            f"{self.base_url}/Transactions/RefundByTransactionUID", payload, self._headers(), idempotent=False
        )
        if _results_status(answer) != "success":
            raise ProviderError(f"PayPlus refused the refund: {_description(answer)}")
        txn = (answer.get("data") or {}).get("transaction") or {}
        return RefundResult(reference=str(txn.get("uid", "")), detail=_description(answer))


def _signature_matches(raw: bytes, body: dict[str, Any], received: str, secret: str) -> bool:
    """PayPlus signs JSON.stringify(body): the raw bytes, or their compact re-serialisation."""
    compact = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    return any(hmac.compare_digest(sign_body(candidate, secret), received) for candidate in (raw, compact))


def _read_callback(body: dict[str, Any]) -> CallbackCheck:
    txn = body.get("transaction") if isinstance(body.get("transaction"), dict) else body
    data = body.get("data") if isinstance(body.get("data"), dict) else {}
    card = data.get("card_information") if isinstance(data.get("card_information"), dict) else {}
    return CallbackCheck(
        authentic=True,
        order_number=str(txn.get("more_info") or ""),
        transaction_id=str(txn.get("uid") or txn.get("transaction_uid") or ""),
        page_request_uid=str(txn.get("payment_page_request_uid") or txn.get("payment_request_uid") or ""),
        state=_state(txn.get("status_code")),
        amount=decimal_to_agorot(txn.get("amount")),
        currency=str(txn.get("currency") or txn.get("currency_code") or ""),
        approval_number=str(txn.get("approval_number") or ""),
        card_last4=str(card.get("four_digits") or ""),
        is_refund=str(body.get("transaction_type", "")).lower() == "refund",
    )


def _state(status_code: object) -> TxnState:
    if status_code is None or status_code == "":
        return TxnState.PENDING
    return TxnState.APPROVED if str(status_code) == APPROVED_CODE else TxnState.DECLINED


def _results_status(answer: dict[str, Any]) -> str:
    results = answer.get("results")
    return str(results.get("status", "")) if isinstance(results, dict) else ""


def _description(answer: dict[str, Any]) -> str:
    results = answer.get("results")
    return str(results.get("description", "")) if isinstance(results, dict) else ""
