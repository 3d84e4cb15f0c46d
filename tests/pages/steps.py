"""What a customer does on the purchase form and the sandbox payment page, shared by the browser tests."""

from __future__ import annotations

TEST_CARD = "4111 1111 1111 1111"  # the sandbox approves it


def fill_purchase_form(page, *, email: str, phone: str = "052-123-4567", name: str = "נועה לוי") -> None:
    page.fill("#field-name", name)
    page.fill("#field-id_number", "000000018")
    page.fill("#field-phone", phone)
    page.fill("#field-email", email)
    page.click("#field-terms")


def pay_by_card(page, card: str = TEST_CARD) -> None:
    """From the purchase form through the sandbox's card form (the order page follows)."""
    page.click("#pay-button")
    page.wait_for_selector("#card-number")
    page.fill("#card-number", card)
    page.fill("#card-expiry", "12/30")
    page.fill("#card-cvv", "123")
    page.click("#pay-button")


def pay_with_google_pay(page) -> None:
    page.click("#pay-button")
    page.wait_for_selector("#google-pay-button")
    page.click("#google-pay-button")


def confirmed_order_number(page) -> str:
    page.wait_for_selector("#order-confirmed", timeout=60000)
    return page.inner_text("#order-number")
