"""Customer identity: normalising what people type, and finding or creating the customer record."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from services.errors import ValidationFailed
from services.models import Customer, utcnow

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")


def normalize_email(raw: str) -> str:
    """Lower-cased and trimmed; refuses what cannot be an address."""
    email = (raw or "").strip().lower()
    if not _EMAIL.match(email) or len(email) > 254:
        raise ValidationFailed("email", "Please enter a valid email address.", "נא להזין כתובת דוא״ל תקינה.")
    return email


def normalize_phone(raw: str) -> str:
    """An Israeli phone in its local form (0521234567), from any common way of writing it.

    Accepts spaces, dashes, dots, brackets and the +972 / 00972 / 972 prefixes.
    """
    digits = re.sub(r"[\s\-().]", "", raw or "")
    if digits.startswith("+"):
        digits = digits[1:]
    if digits.startswith("00972"):
        digits = "0" + digits[5:]
    elif digits.startswith("972"):
        digits = "0" + digits[3:]
    if not digits.isdigit() or not digits.startswith("0") or len(digits) not in (9, 10):
        raise ValidationFailed("phone", "Please enter a valid Israeli phone number.", "נא להזין מספר טלפון ישראלי תקין.")
    if len(digits) == 10 and not digits.startswith("05") and not digits.startswith("07"):
        raise ValidationFailed("phone", "Please enter a valid Israeli phone number.", "נא להזין מספר טלפון ישראלי תקין.")
    return digits


def phone_search_key(raw: str) -> str | None:
    """The normalised phone for a search box, or None when the text is not a phone number."""
    try:
        return normalize_phone(raw)
    except ValidationFailed:
        return None


def validate_israeli_id(raw: str) -> str:
    """A teudat zehut with a valid check digit, left-padded to 9 digits."""
    digits = re.sub(r"\D", "", raw or "")
    if not digits or len(digits) > 9 or len(digits) != len((raw or "").strip()):
        raise ValidationFailed("id_number", "Please enter a valid ID number.", "נא להזין מספר תעודת זהות תקין.")
    digits = digits.zfill(9)
    total = 0
    for index, char in enumerate(digits):
        product = int(char) * (1 if index % 2 == 0 else 2)
        total += product - 9 if product > 9 else product
    if total % 10 != 0:
        raise ValidationFailed("id_number", "This ID number is not valid.", "מספר תעודת הזהות אינו תקין.")
    return digits


def upsert_customer(
    session: Session, *, email: str, name: str, phone: str = "", id_number: str = "", language: str = "he"
) -> Customer:
    """The customer with this email, created on first purchase and kept up to date after."""
    email = normalize_email(email)
    customer = session.exec(select(Customer).where(Customer.email == email)).first()
    if customer is None:
        customer = Customer(email=email, name=name.strip(), phone=phone, id_number=id_number, language=language)
        session.add(customer)
    else:
        customer.name = name.strip() or customer.name
        customer.phone = phone or customer.phone
        customer.id_number = id_number or customer.id_number
        customer.language = language
        customer.updated_at = utcnow()
    session.flush()
    return customer
