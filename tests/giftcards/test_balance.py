"""The public balance check: the right code and email show the card; every refusal looks the same; guessing is capped."""

from __future__ import annotations

import pytest

from services.giftcards import GiftCardRefused, check_balance, format_code
from services.models import utcnow
from services.security.ratelimit import LIMITS, RateLimited
from tests.giftcards.test_ledger import make_card


def test_the_code_with_its_email_shows_balance_expiry_and_history():
    code = make_card(20000)
    card = check_balance(format_code(code).lower(), " Noa@Example.com ", client="10.0.0.1", language="en", now=utcnow())
    assert (card.balance, card.code, card.expired, [line.kind for line in card.history]) == (
        20000, format_code(code), False, ["issue"])
    assert card.expires.endswith(str(utcnow().year + 5))


def test_every_refusal_reads_the_same():
    code = make_card(20000)
    answers = set()
    for typed, email in ((code, "someone.else@example.com"), ("ABCD-EFGH-JKMN-PQRS", "noa@example.com"),
                         ("", "noa@example.com"), (code, "")):
        with pytest.raises(GiftCardRefused) as refused:
            check_balance(typed, email, client="10.0.0.2", now=utcnow())
        answers.add((refused.value.message_en, refused.value.message_he))
    assert len(answers) == 1


def test_guessing_codes_is_rate_limited_per_client():
    make_card(20000)
    allowed = int(LIMITS["gift_card_check_ip"].split("/")[0])
    for attempt in range(allowed):
        with pytest.raises(GiftCardRefused):
            check_balance(f"ABCD-EFGH-JKMN-{attempt:04d}", "x@example.com", client="10.0.0.3", now=utcnow())
    with pytest.raises(RateLimited):
        check_balance("ABCD-EFGH-JKMN-PQRS", "x@example.com", client="10.0.0.3", now=utcnow())
    with pytest.raises(GiftCardRefused):  # another client is not affected
        check_balance("ABCD-EFGH-JKMN-PQRS", "x@example.com", client="10.0.0.4", now=utcnow())
