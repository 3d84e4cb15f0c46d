"""The confirmation email: built with the `emails` library, sent over SMTP in one attempt.

Sending reports one of three outcomes: accepted (the server said 250 to DATA), a temporary failure
(connection refused, timeout, 4xx: retry later) or a permanent one (5xx: retrying cannot help).
"""

from __future__ import annotations

import html
import re
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import emails
from emails.backend.smtp import SMTPBackend

from services.clock import format_date
from services.delivery.config import get_config
from services.delivery.content import OrderView, pdf_filename
from services.delivery.texts import instructions, text
from services.settings import get_settings


class TemporaryFailure(Exception):
    """Worth retrying after a back-off: the server or network is unavailable right now."""


class PermanentFailure(Exception):
    """Retrying will not help (address refused, message rejected): staff must act."""


class _SingleShotSMTP(SMTPBackend):
    """The `emails` SMTP backend without its silent resend on disconnect.

    The stock backend retries a whole sendmail once if the server disconnects; if that happens after
    the server stored the message, the customer gets it twice. Our retries go through the delivery
    record instead, where they are counted and fenced.
    """

    def retry_on_disconnect(self, func: Callable) -> Callable:
        return func


@dataclass(frozen=True)
class LinkInfo:
    url: str
    expires: datetime


def message_id_for(idempotency_key: str) -> str:
    """A Message-ID derived from the delivery's idempotency key: the same delivery, the same id."""
    domain = get_settings().mail_from.rsplit("@", 1)[-1].strip(" >") or "barby.co.il"
    return f"<{re.sub(r'[^A-Za-z0-9]+', '.', idempotency_key).strip('.')}.delivery@{domain}>"


def build_email(view: OrderView, *, link: LinkInfo, pdf: bytes, message_id: str) -> emails.Message:
    """Subject, HTML and text bodies, and the PDF attached."""
    lang = view.language
    message = emails.html(
        subject=text(lang, "subject", number=view.number, show=view.show_title),
        html=_html_body(view, link), text=_text_body(view, link),
        mail_from=get_settings().mail_from, message_id=message_id,
        headers={"X-Barby-Order": view.number},
    )
    message.attach(data=pdf, filename=pdf_filename(view), content_disposition="attachment",
                   mime_type="application/pdf")
    return message


def _facts(view: OrderView) -> list[tuple[str, str]]:
    lang = view.language
    facts = [(text(lang, "order_number"), view.number), (text(lang, "show"), view.show_title)]
    if view.tickets:
        facts += [(text(lang, "date"), view.show_date), (text(lang, "doors"), view.doors),
                  (text(lang, "quantity"), str(len(view.tickets)))]
        if view.min_age:
            facts.append((text(lang, "age_limit"), f"{view.min_age}+"))
    return facts


def _text_body(view: OrderView, link: LinkInfo) -> str:
    lang = view.language
    lines = [text(lang, "greeting", name=view.name), "", text(lang, "intro"), ""]
    lines += [f"{label}: {value}" for label, value in _facts(view)]
    lines += ["", text(lang, "instructions_title") + ":", *(f"- {item}" for item in instructions(lang, view.min_age))]
    lines += ["", f"{text(lang, 'download')}: {link.url}",
              text(lang, "download_note", date=format_date(link.expires, lang)), "", text(lang, "footer")]
    return "\n".join(lines)


def _html_body(view: OrderView, link: LinkInfo) -> str:
    lang = view.language
    direction, align = ("rtl", "right") if lang == "he" else ("ltr", "left")
    esc = html.escape
    rows = "".join(
        f'<tr><td style="color:#777;padding:4px 12px">{esc(label)}</td>'
        f'<td style="font-weight:bold;padding:4px 12px">{esc(value)}</td></tr>'
        for label, value in _facts(view)
    )
    items = "".join(f"<li>{esc(item)}</li>" for item in instructions(lang, view.min_age))
    return (
        f'<!doctype html><html lang="{lang}" dir="{direction}"><body style="font-family:Arial,sans-serif;'
        f'direction:{direction};text-align:{align};background:#f4f4f4;margin:0;padding:24px">'
        f'<div style="max-width:600px;margin:auto;background:#fff;padding:24px">'
        f'<h1 style="background:#0c0c0c;color:#fff;padding:12px;margin:0 0 16px">BARBY</h1>'
        f"<p>{esc(text(lang, 'greeting', name=view.name))}</p><p>{esc(text(lang, 'intro'))}</p>"
        f"<table>{rows}</table>"
        f'<p><a href="{esc(link.url)}" style="display:inline-block;background:#e62846;color:#fff;'
        f'padding:12px 20px;text-decoration:none;font-weight:bold">{esc(text(lang, "download"))}</a></p>'
        f"<p style=\"color:#777\">{esc(text(lang, 'download_note', date=format_date(link.expires, lang)))}</p>"
        f"<h2>{esc(text(lang, 'instructions_title'))}</h2><ul>{items}</ul>"
        f'<p style="color:#999;font-size:12px">{esc(text(lang, "footer"))}</p></div></body></html>'
    )


def send_email(message: emails.Message, to: str, *, on_accepted: Callable[[], None]) -> None:
    """Send once; call `on_accepted` the moment the server accepts, before the polite QUIT.

    Recording the acceptance before anything else keeps the window in which a crash could lead to
    a second send as short as the SMTP protocol allows.
    """
    settings = get_settings()
    backend = _SingleShotSMTP(
        host=settings.smtp_host, port=settings.smtp_port, tls=settings.smtp_tls, user=settings.smtp_user,
        password=settings.smtp_password, timeout=get_config().smtp_timeout, local_hostname="barby.local",
        fail_silently=True,
    )
    try:
        try:
            response = message.send(to=to, smtp=backend)
        except (OSError, smtplib.SMTPException) as error:
            raise TemporaryFailure(f"smtp: {type(error).__name__}: {error}") from error
        _raise_for(response)
        on_accepted()
    finally:
        backend.close()


def _raise_for(response) -> None:
    """Turn the library's response into accepted / TemporaryFailure / PermanentFailure."""
    if response is not None and response.success:
        return
    code = getattr(response, "status_code", None)
    detail = f"smtp {code}: {getattr(response, 'status_text', b'')!r} {getattr(response, 'error', '')}"
    if code is not None and 500 <= code < 600:
        raise PermanentFailure(detail)
    raise TemporaryFailure(detail)
