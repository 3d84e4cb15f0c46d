"""The return page polls every 1.5 s while the customer waits: each poll reads the order row once."""

from __future__ import annotations

import re

import httpx

from services.order_access import order_key
from services.orders import start_payment
from services.storefront import order_progress
from tests.payments.test_payplus_sandbox import pay

READS_ORDER = re.compile(r'(FROM|JOIN)\s+"order"\s')  # the table (not payment.order_id and the like)


def _poll(number: str, sql_statements: list[str]):
    sql_statements.clear()
    progress = order_progress(number, order_key(number))
    return progress, [s for s in sql_statements if READS_ORDER.search(s)], len(sql_statements)


def test_each_poll_reads_the_order_once_pending_or_paid(buy, api_server, http: httpx.Client, sql_statements) -> None:
    number = buy().order.number
    page = start_payment(number)

    progress, order_reads, _ = _poll(number, sql_statements)  # pending: the provider is asked too
    assert not progress.paid and not progress.failed
    assert len(order_reads) == 1, order_reads

    pay(http, page)
    progress, order_reads, statements = _poll(number, sql_statements)
    assert progress.paid and progress.email == "dana@example.com"
    assert len(order_reads) == 1, order_reads
    assert statements == 2  # the order, and whether its confirmation has been sent
